// Conformance cases translated from kube-scheduler's InterPodAffinity Filter tests (github.com/kubernetes/kubernetes):
//   pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go, TestRequiredAffinitySingleNode and
//   TestRequiredAffinityMultipleNodes @ 072825f9a367e9ca0f73f91830945f1b7f46e0d9
// Upstream Filter status nil (or PreFilter Skip) = fits; Unschedulable / UnschedulableAndUnresolvable = does not fit.
// Case names are the upstream names (multiple-node rows get " [node]"). Upstream namespace "" is "default" here.
//
// No upstream Filter row uses topologyKey kubernetes.io/hostname: the keys are region, zone, node, "" and
// invalid-node-label. So there are two groups of cases:
//  - strictCases: rows where every pod has no (anti-)affinity at all (only one such row).
//  - singletonDomainCases: ADAPTED rows. A required anti-affinity term on key K is rewritten to hostname when, on the
//    node checked, the K domain holds only that node (every node of TestRequiredAffinitySingleNode; in
//    TestRequiredAffinityMultipleNodes, a node whose K value no other node of the row has). Upstream then decides
//    exactly as with hostname, so the outcome is kept. Rows with podAffinity, namespaceSelector labels, or a term
//    key that some node lacks are never adapted.
//
// Skipped, TestRequiredAffinitySingleNode:
//  - "satisfies with ... PodAffinity using In operator ...", "... using not in operator ...": podAffinity
//  - "Does not satisfy the PodAffinity with labelSelector because of diff Namespace": podAffinity
//  - "Doesn't satisfy the PodAffinity because of unmatching labelSelector ...": podAffinity
//  - "satisfies the PodAffinity with different label Operators ...", "The labelSelector requirements ... are ANDed ...": podAffinity
//  - "satisfies the PodAffinity and PodAntiAffinity with the existing pod" and the three other "... PodAffinity ...
//    PodAntiAffinity ..." rows: podAffinity (and anti-affinity on key "node", which node1 lacks)
//  - "pod matches its own Label in PodAffinity and that matches the existing pod Labels": podAffinity
//  - "PodAffinity fails PreFilter ...", "PodAntiAffinity fails PreFilter ...": podAffinity with invalid label values
//  - "affinity with NamespaceSelector", "affinity with non-matching NamespaceSelector": podAffinity, namespaceSelector labels
//  - "anti-affinity with matching NamespaceSelector", "anti-affinity with non-matching NamespaceSelector":
//    namespaceSelector with labels (taken as all namespaces: a snapshot's Namespace objects are not read)
// Skipped, TestRequiredAffinityMultipleNodes:
//  - the three podAffinity rows at the top and the two "Test incoming pod's affinity: ..." rows: podAffinity
//  - "NodeA and nodeB have same topologyKey and label value ... onto nodeA and nodeB.": region shared by both nodes
//  - "This test ensures that anti-affinity matches a pod when any term ...": region shared by both nodes
//  - "NodeA and nodeB ... nodeC" (both rows), nodes A and B: region China shared (nodeC is adapted)
//  - the four rows with topologyKey invalid-node-label: key no node has (upstream: never matches)
//  - "... violates each existingPod's terms on all nodes", "... at least violates one anti-affinity rule ...",
//    the two "... case when all terms have valid topologyKey" rows: region r1 shared by all nodes
package io.nodesizer.kube;

import io.nodesizer.model.Placement;
import io.nodesizer.model.Placement.Operator;
import io.nodesizer.model.Placement.PodAffinityTerm;
import io.nodesizer.model.Placement.Requirement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translates kube-scheduler's InterPodAffinity Filter test tables (required pod anti-affinity, one node at a time)
 * into cases for {@link PodConflicts#of}, with the upstream fit / no-fit outcome. See the comment at the top of the
 * file for the file, the commit, the adaptation and the rows skipped.
 */
final class PodConflictsConformanceTest {

    private static final boolean FITS = true;
    private static final boolean NO_FIT = false;
    private static final String NS = "default";

    record Case(String name, Placement incoming, List<Placement> existingOnNode, boolean fits) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strictCases")
    void strict(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singletonDomainCases")
    void singletonDomain(Case c) {
        check(c);
    }

    /** The incoming pod is group 0; it fits iff it conflicts with none of the pods already on the node. */
    private static void check(Case c) {
        List<PodGroup> groups = new ArrayList<>();
        groups.add(group("incoming", c.incoming()));
        for (int i = 0; i < c.existingOnNode().size(); i++) {
            groups.add(group("existing" + i, c.existingOnNode().get(i)));
        }
        int[][] conflicts = PodConflicts.of(groups);
        boolean fits = conflicts == null || conflicts[0] == null
                || java.util.Arrays.stream(conflicts[0]).noneMatch(g -> g >= 1);
        assertThat(fits).as("%s: upstream %s", c.name(), c.fits() ? "fits" : "does not fit").isEqualTo(c.fits());
    }

    static Stream<Case> strictCases() {
        return Stream.of(
            new Case("A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods",
                pod(NS, Map.of()), List.of(), FITS));
    }

    static Stream<Case> singletonDomainCases() {
        Map<String, String> podLabel = Map.of("service", "securityscan");
        Map<String, String> podLabel2 = Map.of("security", "S1");
        return Stream.of(
            // TestRequiredAffinitySingleNode (node1: region r1, zone z11; zone / region terms read as hostname)
            new Case("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. "
                    + "doesn't satisfy PodAntiAffinity symmetry with the existing pod",
                pod(NS, podLabel),
                List.of(pod(NS, podLabel, in("service", "securityscan", "value2"))), NO_FIT),
            new Case("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. "
                    + "satisfy PodAntiAffinity symmetry with the existing pod",
                pod(NS, podLabel),
                List.of(pod(NS, podLabel, notIn("service", "securityscan", "value2"))), FITS),
            new Case("satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
                pod(NS, podLabel, exists("service"), exists("security")),
                List.of(pod(NS, podLabel2, exists("security"))), NO_FIT),
            new Case("PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms",
                pod(NS, podLabel, exists("service"), exists("security")),
                List.of(pod(NS, podLabel2, exists("security"))), NO_FIT),
            new Case("PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms",
                pod(NS, podLabel2, exists("security")),
                List.of(pod(NS, podLabel, exists("service"), exists("security"))), NO_FIT),
            new Case("PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms",
                pod(NS, Map.of("abc", "", "xyz", ""), exists("abc"), exists("def")),
                List.of(pod(NS, Map.of("def", "", "xyz", ""), exists("abc"), exists("def"))), NO_FIT),
            new Case("PodAntiAffinity symmetry check b2: incoming pod and existing pod partially match each other on AffinityTerms",
                pod(NS, Map.of("def", "", "xyz", ""), exists("abc"), exists("def")),
                List.of(pod(NS, Map.of("abc", "", "xyz", ""), exists("abc"), exists("def"))), NO_FIT),
            new Case("anti-affinity with matching all NamespaceSelector",
                pod("subteam1.team1", podLabel2, allNamespaces(in("service", "securityscan", "value2"))),
                List.of(pod("subteam2.team1", podLabel)), NO_FIT),

            // TestRequiredAffinityMultipleNodes, per node whose domain is that node alone
            new Case("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod "
                    + "affinity rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC [nodeC]",
                pod(NS, Map.of(), in("foo", "abc")), List.of(), FITS),
            new Case("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod "
                    + "affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (NodeC has an "
                    + "existing pod that match the inter pod affinity rule but in different namespace) [nodeC]",
                pod("NS1", Map.of("foo", "123"), in("foo", "bar")),
                List.of(pod("NS2", Map.of(), in("foo", "123"))), FITS),
            // zones z1, z2, z3: one node each
            existingOnlyNodeC("nodeA", NO_FIT, pod(NS, Map.of(), exists("foo"), exists("labelA"))),
            existingOnlyNodeC("nodeB", NO_FIT, pod(NS, Map.of(), exists("bar"), exists("labelB"))),
            existingOnlyNodeC("nodeC", FITS));
    }

    private static Case existingOnlyNodeC(String node, boolean fits, Placement... onNode) {
        return new Case("Test existing pod's anti-affinity: existingPod on nodeA and nodeB has at least one anti-affinity term "
                + "matches incoming pod, so incoming pod can only be scheduled to nodeC [" + node + "]",
            pod(NS, Map.of("foo", "", "bar", "")), List.of(onNode), fits);
    }

    private static PodGroup group(String name, Placement p) {
        return new PodGroup(name, "test", new Resources(0, 0, 1, 0, 0), 1, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    private static Placement pod(String namespace, Map<String, String> labels, PodAffinityTerm... antiAffinity) {
        return new Placement(Map.of(), null, List.of(), namespace, labels, List.of(antiAffinity), List.of());
    }

    private static PodAffinityTerm term(String key, String operator, String... values) {
        return new PodAffinityTerm(Map.of(), List.of(new Requirement(key, Operator.of(operator), List.of(values))), List.of(),
            false, false, PodConflicts.HOSTNAME);
    }

    private static PodAffinityTerm in(String key, String... values) {
        return term(key, "In", values);
    }

    private static PodAffinityTerm notIn(String key, String... values) {
        return term(key, "NotIn", values);
    }

    private static PodAffinityTerm exists(String key) {
        return term(key, "Exists");
    }

    /** {@code namespaceSelector: {}}. */
    private static PodAffinityTerm allNamespaces(PodAffinityTerm t) {
        return new PodAffinityTerm(t.matchLabels(), t.matchExpressions(), t.namespaces(), true, false, t.topologyKey());
    }
}
