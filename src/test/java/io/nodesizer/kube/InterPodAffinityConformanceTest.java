// Conformance cases translated from kube-scheduler's InterPodAffinity Filter tests (github.com/kubernetes/kubernetes):
//   pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go, TestRequiredAffinitySingleNode and
//   TestRequiredAffinityMultipleNodes @ e7827879dbc282e7f5103451dc63169e964b6bb7
// Upstream Filter status nil (or PreFilter Skip, which passes every node) = admitted; Unschedulable /
// UnschedulableAndUnresolvable = rejected. One row per node upstream checks, named "<upstream name> [<node>]".
// Nodes keep upstream's labels exactly (region, zone, az, hostname, ...: plain labels used as topology keys; none of these
// tests uses kubernetes.io/hostname). Upstream namespace "" is "default" here. Existing pods run (not being deleted).
// The other tables of the file (TestPreFilterStateAddRemovePod, TestGetTPMapMatchingIncomingAffinityAntiAffinity, ...)
// check PreFilter state, not Filter.
//
// Translated: 38 of the 44 cases, 60 rows (20 of 26 in TestRequiredAffinitySingleNode, 18 of 18 in
// TestRequiredAffinityMultipleNodes); every case not listed under "Skipped" below is translated. No translated case disagrees.
//
// Required pod affinity follows upstream's satisfyPodAffinity (PodTopologyRules.affinityAllows): only existing pods that
// match ALL of the incoming pod's required affinity terms count (podMatchesAllAffinityTerms in
// getIncomingAffinityAntiAffinityCounts); each term needs such a pod in node j's domain of its key; when NO pod matches all
// the terms and the pod matches all its own terms, the first pod of a series goes anywhere (node having the keys). Two
// TestRequiredAffinityMultipleNodes cases check exactly this (both translated with all their node rows):
//  - "The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the collection
//    should not be blocked from being scheduled onto any node, even there's no existing pod that matches the rule
//    anywhere.": [nodeA] and [nodeB] admitted (p1 foo=bar matches only the term foo In [bar]; no pod matches both terms, so
//    the first-of-a-series exception applies).
//  - "Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match, and
//    the match logic should be satisfied on the same pod": [nodeA] and [nodeB] refused (term foo/region is met by pod1 on
//    nodeA, term bar/zone by pod2 on nodeB: two different pods, neither counts; the label-less incoming pod matches
//    neither of its own terms).
//
// Skipped here, 6 cases (4 of them translated in SnapshotNamespaceSelectorConformanceTest):
//  - SingleNode "PodAffinity fails PreFilter with an invalid affinity label syntax" and "PodAntiAffinity fails PreFilter
//    with an invalid antiaffinity label syntax": PreFilter's label-value validation; PodTopologyRules does not validate
//    (its admits refuses node1 too, but only because no pod matches the terms)
//  - SingleNode "affinity with NamespaceSelector", "affinity with non-matching NamespaceSelector", "anti-affinity with
//    matching NamespaceSelector", "anti-affinity with non-matching NamespaceSelector": a labelled namespaceSelector needs
//    the Namespace objects, which these Spec pods do not carry; they run in SnapshotNamespaceSelectorConformanceTest, as a
//    snapshot with upstream's Namespace objects read by SnapshotReader (all four agree there).
// Preferred terms are not in these Filter tables (they are scoring, not filters).
package io.nodesizer.kube;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Placement.Operator;
import io.nodesizer.model.Placement.PodAffinityTerm;
import io.nodesizer.model.Placement.Requirement;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translates kube-scheduler's InterPodAffinity Filter test tables into cases for
 * {@link PodTopologyRules#admits}: required pod affinity (with the first-of-a-series exception), required
 * anti-affinity of the incoming pod, and existing pods' anti-affinity (symmetry), on any topology key.
 *
 * <p>Upstream: github.com/kubernetes/kubernetes,
 * {@code pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go}, {@code TestRequiredAffinitySingleNode}
 * and {@code TestRequiredAffinityMultipleNodes} @ e7827879dbc282e7f5103451dc63169e964b6bb7. Nodes keep upstream's
 * labels; upstream namespace "" is "default". See the comment at the top of the file for the cases skipped.
 */
public final class InterPodAffinityConformanceTest {

    private static final boolean ADMIT = true;
    private static final boolean REFUSE = false;
    private static final String NS = "default";

    /** A pod: namespace, labels, required affinity and anti-affinity terms. */
    public record Spec(String namespace, Map<String, String> labels, List<PodAffinityTerm> affinity, List<PodAffinityTerm> anti) {
        Spec withAffinity(PodAffinityTerm... t) {
            return new Spec(namespace, labels, concat(affinity, t), anti);
        }

        Spec withAnti(PodAffinityTerm... t) {
            return new Spec(namespace, labels, affinity, concat(anti, t));
        }

        public Placement placement() {
            return new Placement(Map.of(), null, List.of(), namespace, labels, anti, affinity, List.of());
        }

        private static List<PodAffinityTerm> concat(List<PodAffinityTerm> a, PodAffinityTerm[] b) {
            List<PodAffinityTerm> out = new ArrayList<>(a);
            out.addAll(List.of(b));
            return out;
        }
    }

    /** A node: its labels, its pods, and upstream's outcome for the incoming pod (null: upstream checks no such node). */
    public record N(String name, Map<String, String> labels, List<Spec> pods, Boolean admits) {
    }

    public record Case(String name, Spec incoming, List<N> nodes) {
    }

    public record Row(Case c, int node) {
        @Override
        public String toString() {
            return c.name() + " [" + c.nodes().get(node).name() + "]";
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleNodeRows")
    void requiredAffinitySingleNode(Row r) {
        check(r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multipleNodesRows")
    void requiredAffinityMultipleNodes(Row r) {
        check(r);
    }

    private static void check(Row r) {
        Case c = r.c();
        List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        List<List<ClusterSnapshot.Pod>> onNode = new ArrayList<>();
        List<ClusterSnapshot.Pod> all = new ArrayList<>();
        for (N n : c.nodes()) {
            nodes.add(new ClusterSnapshot.Node(n.name(), n.labels(), Resources.ZERO, Resources.ZERO, false, new SourceRef("t", 1), List.of()));
            List<ClusterSnapshot.Pod> here = new ArrayList<>();
            for (int i = 0; i < n.pods().size(); i++) {
                Spec s = n.pods().get(i);
                here.add(new ClusterSnapshot.Pod(s.namespace(), n.name() + "-p" + i, Resources.ZERO, n.name(), "Running", "ReplicaSet", "rs",
                    new SourceRef("t", 1), null, null, s.placement()));
            }
            onNode.add(here);
            all.addAll(here);
        }
        ClusterSnapshot.Pod incoming = new ClusterSnapshot.Pod(c.incoming().namespace(), "p", Resources.ZERO, null, "Pending", "ReplicaSet",
            "rs", new SourceRef("t", 1), null, null, c.incoming().placement());
        all.add(incoming);
        PodTopologyRules rules = new PodTopologyRules(all, nodes);
        boolean[] open = new boolean[nodes.size()];
        Arrays.fill(open, true);
        boolean[] eligible = open;
        boolean admits = c.nodes().get(r.node()).admits();
        assertThat(rules.admits(incoming, r.node(), onNode, eligible))
            .as("%s: upstream %s", r, admits ? "Success" : "Unschedulable")
            .isEqualTo(admits);
    }

    private static Stream<Row> rows(Case... cases) {
        return Stream.of(cases).flatMap(c -> IntStream.range(0, c.nodes().size())
            .filter(i -> c.nodes().get(i).admits() != null)
            .mapToObj(i -> new Row(c, i)));
    }

    // ---- TestRequiredAffinitySingleNode: node1 (region r1, zone z11); upstream's "node" key is a label node1 lacks ----

    private static final Map<String, String> POD_LABEL = Map.of("service", "securityscan");
    private static final Map<String, String> POD_LABEL2 = Map.of("security", "S1");
    private static final Map<String, String> NODE1 = Map.of("region", "r1", "zone", "z11");
    /** Upstream's {@code pod}: labelled service=securityscan, on node1. */
    private static final Spec SCAN = pod(POD_LABEL);

    /** node1 running {@code pods}, upstream's outcome {@code admits}. */
    private static List<N> node1(boolean admits, Spec... pods) {
        return List.of(new N("node1", NODE1, List.of(pods), admits));
    }

    public static Stream<Row> singleNodeRows() {
        return rows(
            // PreFilter Skip: no term anywhere, every node passes
            new Case("A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods",
                pod(Map.of()), node1(ADMIT)),
            new Case("satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod",
                pod(POD_LABEL2).withAffinity(term("region", in("service", "securityscan", "value2"))), node1(ADMIT, SCAN)),
            new Case("satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in "
                + "labelSelector that matches the existing pod",
                pod(POD_LABEL2).withAffinity(term("region", notIn("service", "securityscan3", "value3"))), node1(ADMIT, SCAN)),
            // the term names namespace DiffNameSpace (the existing pod is in ns) and has no topologyKey: node1 lacks key ""
            new Case("Does not satisfy the PodAffinity with labelSelector because of diff Namespace",
                pod(POD_LABEL2).withAffinity(new PodAffinityTerm(Map.of(), List.of(in("service", "securityscan", "value2")),
                    List.of("DiffNameSpace"), false, false, "")),
                node1(REFUSE, pod("ns", POD_LABEL))),
            // topologyKey "" as upstream's PodAffinityIn(..., "", ...)
            new Case("Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
                pod(POD_LABEL).withAffinity(term("", in("service", "antivirusscan", "value2"))), node1(REFUSE, SCAN)),
            new Case("satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution ",
                pod(POD_LABEL2).withAffinity(
                    term("region", exists("service"), doesNotExist("wrongkey")),
                    term("region", in("service", "securityscan"), notIn("service", "WrongValue"))),
                node1(ADMIT, SCAN)),
            new Case("The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because "
                + "one of the matchExpression item don't match.",
                pod(POD_LABEL2).withAffinity(
                    term("region", exists("service"), doesNotExist("wrongkey")),
                    term("region", in("service", "securityscan2"), notIn("service", "WrongValue"))),
                node1(REFUSE, SCAN)),
            // the anti-affinity term is on key "node", which node1 lacks: nothing to repel
            new Case("satisfies the PodAffinity and PodAntiAffinity with the existing pod",
                pod(POD_LABEL2).withAffinity(term("region", in("service", "securityscan", "value2")))
                    .withAnti(term("node", in("service", "antivirusscan", "value2"))),
                node1(ADMIT, SCAN)),
            new Case("satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod",
                pod(POD_LABEL2).withAffinity(term("region", in("service", "securityscan", "value2")))
                    .withAnti(term("node", in("service", "antivirusscan", "value2"))),
                node1(ADMIT, pod(POD_LABEL).withAnti(term("node", in("service", "antivirusscan", "value2"))))),
            new Case("satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
                pod(POD_LABEL2).withAffinity(term("region", in("service", "securityscan", "value2")))
                    .withAnti(term("zone", in("service", "securityscan", "value2"))),
                node1(REFUSE, SCAN)),
            new Case("satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
                pod(POD_LABEL).withAffinity(term("region", in("service", "securityscan", "value2")))
                    .withAnti(term("node", in("service", "antivirusscan", "value2"))),
                node1(REFUSE, pod(POD_LABEL).withAnti(term("zone", in("service", "securityscan", "value2"))))),
            // the existing pod runs on node2, which upstream's snapshot has no Node for: a label-less node2 without a row
            // here. Neither it nor the incoming pod matches the NotIn term.
            new Case("pod matches its own Label in PodAffinity and that matches the existing pod Labels",
                pod(POD_LABEL).withAffinity(term("region", notIn("service", "securityscan", "value2"))),
                List.of(new N("node1", NODE1, List.of(), REFUSE), new N("node2", Map.of(), List.of(SCAN), null))),
            new Case("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy "
                + "PodAntiAffinity symmetry with the existing pod",
                pod(POD_LABEL),
                node1(REFUSE, pod(POD_LABEL).withAnti(term("zone", in("service", "securityscan", "value2"))))),
            // PreFilter Skip: the existing pod's term does not select the incoming pod
            new Case("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy "
                + "PodAntiAffinity symmetry with the existing pod",
                pod(POD_LABEL),
                node1(ADMIT, pod(POD_LABEL).withAnti(term("zone", notIn("service", "securityscan", "value2"))))),
            new Case("satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
                pod(POD_LABEL).withAnti(term("region", exists("service")), term("region", exists("security"))),
                node1(REFUSE, pod(POD_LABEL2).withAnti(term("zone", exists("security"))))),
            new Case("PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms",
                pod(POD_LABEL).withAnti(term("zone", exists("service")), term("zone", exists("security"))),
                node1(REFUSE, pod(POD_LABEL2).withAnti(term("zone", exists("security"))))),
            new Case("PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms",
                pod(POD_LABEL2).withAnti(term("zone", exists("security"))),
                node1(REFUSE, pod(POD_LABEL).withAnti(term("zone", exists("service")), term("zone", exists("security"))))),
            new Case("PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms",
                pod(Map.of("abc", "", "xyz", "")).withAnti(term("zone", exists("abc")), term("zone", exists("def"))),
                node1(REFUSE, pod(Map.of("def", "", "xyz", "")).withAnti(term("zone", exists("abc")), term("zone", exists("def"))))),
            new Case("PodAntiAffinity symmetry check b2: incoming pod and existing pod partially match each other on AffinityTerms",
                pod(Map.of("def", "", "xyz", "")).withAnti(term("zone", exists("abc")), term("zone", exists("def"))),
                node1(REFUSE, pod(Map.of("abc", "", "xyz", "")).withAnti(term("zone", exists("abc")), term("zone", exists("def"))))),
            // namespaceSelector {}: every namespace, so the pod of subteam2.team1 is repelled
            new Case("anti-affinity with matching all NamespaceSelector",
                pod("subteam1.team1", POD_LABEL2).withAnti(new PodAffinityTerm(Map.of(), List.of(in("service", "securityscan", "value2")),
                    List.of(), true, false, "zone")),
                node1(REFUSE, pod("subteam2.team1", POD_LABEL))));
    }

    // ---- TestRequiredAffinityMultipleNodes ----

    private static final Map<String, String> RG_CHINA = Map.of("region", "China");
    private static final Map<String, String> RG_CHINA_AZ1 = Map.of("region", "China", "az", "az1");
    private static final Map<String, String> RG_INDIA = Map.of("region", "India");

    private static Map<String, String> rzh(String region, String zone, String host) {
        return Map.of("region", region, "zone", zone, "hostname", host);
    }

    public static Stream<Row> multipleNodesRows() {
        Spec fooBar = pod(Map.of("foo", "bar"));
        return rows(
            new Case("A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an "
                + "existing pod that matches the affinity rules",
                pod(Map.of()).withAffinity(term("region", in("foo", "bar"))),
                List.of(
                    new N("node1", RG_CHINA, List.of(fooBar), ADMIT),
                    new N("node2", RG_CHINA_AZ1, List.of(), ADMIT),
                    new N("node3", RG_INDIA, List.of(), REFUSE))),
            // p1 (foo=bar) matches only the first term; no existing pod matches both, and the incoming pod matches both of its own
            // terms: the first pod of the series may go on any node that has the key "zone"
            new Case("The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the "
                + "collection should not be blocked from being scheduled onto any node, even there's no existing pod that matches the "
                + "rule anywhere.",
                pod(Map.of("foo", "bar", "service", "securityscan"))
                    .withAffinity(term("zone", in("foo", "bar")), term("zone", in("service", "securityscan"))),
                List.of(
                    new N("nodeA", Map.of("zone", "az1", "hostname", "h1"), List.of(fooBar), ADMIT),
                    new N("nodeB", Map.of("zone", "az2", "hostname", "h2"), List.of(), ADMIT))),
            // the nodes carry "zoneLabel", not "zone": a node without the key cannot satisfy the term
            new Case("The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys",
                pod(Map.of("foo", "bar", "service", "securityscan"))
                    .withAffinity(term("zone", in("foo", "bar")), term("zone", in("service", "securityscan"))),
                List.of(
                    new N("nodeA", Map.of("zoneLabel", "az1", "hostname", "h1"), List.of(fooBar), REFUSE),
                    new N("nodeB", Map.of("zoneLabel", "az2", "hostname", "h2"), List.of(), REFUSE))),
            new Case("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity "
                + "rule. The pod can not be scheduled onto nodeA and nodeB.",
                pod(Map.of()).withAnti(term("region", in("foo", "abc"))),
                List.of(
                    new N("nodeA", Map.of("region", "r1", "hostname", "nodeA"), List.of(pod(Map.of("foo", "abc"))), REFUSE),
                    new N("nodeB", Map.of("region", "r1", "hostname", "nodeB"), List.of(), REFUSE))),
            new Case("This test ensures that anti-affinity matches a pod when any term of the anti-affinity rule matches a pod.",
                pod(Map.of()).withAnti(term("region", in("foo", "abc")), term("zone", in("service", "securityscan"))),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of("foo", "abc", "service", "securityscan"))), REFUSE),
                    new N("nodeB", rzh("r1", "z2", "nodeB"), List.of(), REFUSE))),
            new Case("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity "
                + "rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC",
                pod(Map.of()).withAnti(term("region", in("foo", "abc"))),
                List.of(
                    new N("nodeA", RG_CHINA, List.of(pod(Map.of("foo", "abc"))), REFUSE),
                    new N("nodeB", RG_CHINA_AZ1, List.of(), REFUSE),
                    new N("nodeC", RG_INDIA, List.of(), ADMIT))),
            // nodeC's pod (NS2) repels foo=123 only in its own namespace NS2; the incoming pod is in NS1
            new Case("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity "
                + "rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (NodeC has an existing pod that "
                + "match the inter pod affinity rule but in different namespace)",
                pod("NS1", Map.of("foo", "123")).withAnti(term("region", in("foo", "bar"))),
                List.of(
                    new N("nodeA", RG_CHINA, List.of(pod("NS1", Map.of("foo", "bar"))), REFUSE),
                    new N("nodeB", RG_CHINA_AZ1, List.of(), REFUSE),
                    new N("nodeC", RG_INDIA, List.of(pod("NS2", Map.of()).withAnti(term("region", in("foo", "123")))), ADMIT))),
            // PreFilter Skip: no node carries "invalid-node-label", so the existing pod's term repels nowhere
            new Case("Test existing pod's anti-affinity: if an existing pod has a term with invalid topologyKey, labelSelector of the term "
                + "is firstly checked, and then topologyKey of the term is also checked",
                pod(Map.of("foo", "")),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of()).withAnti(term("invalid-node-label", exists("foo")))), ADMIT),
                    new N("nodeB", rzh("r1", "z1", "nodeB"), List.of(), ADMIT))),
            new Case("Test incoming pod's anti-affinity: even if labelSelector matches, we still check if topologyKey matches",
                pod(Map.of()).withAnti(term("invalid-node-label", exists("foo"))),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of("foo", ""))), ADMIT),
                    new N("nodeB", rzh("r1", "z1", "nodeB"), List.of(), ADMIT))),
            new Case("Test existing pod's anti-affinity: incoming pod wouldn't considered as a fit as it violates each existingPod's terms "
                + "on all nodes",
                pod(Map.of("foo", "", "bar", "")),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(
                        pod(Map.of()).withAnti(term("zone", exists("foo"))),
                        pod(Map.of()).withAnti(term("region", exists("bar")))), REFUSE),
                    new N("nodeB", rzh("r1", "z2", "nodeB"), List.of(), REFUSE))),
            new Case("Test incoming pod's anti-affinity: incoming pod wouldn't considered as a fit as it at least violates one anti-affinity "
                + "rule of existingPod",
                pod(Map.of()).withAnti(term("zone", exists("foo")), term("region", exists("bar"))),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of("foo", ""))), REFUSE),
                    new N("nodeB", rzh("r1", "z2", "nodeB"), List.of(pod(Map.of("bar", ""))), REFUSE))),
            new Case("Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term "
                + "match - case when one term has invalid topologyKey",
                pod(Map.of("foo", "", "bar", "")),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of())
                        .withAnti(term("invalid-node-label", exists("foo")), term("zone", exists("bar")))), REFUSE),
                    new N("nodeB", rzh("r1", "z2", "nodeB"), List.of(), ADMIT))),
            new Case("Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term "
                + "match - case when one term has invalid topologyKey",
                pod(Map.of()).withAnti(term("invalid-node-label", exists("foo")), term("zone", exists("bar"))),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of("foo", "", "bar", ""))), REFUSE),
                    new N("nodeB", rzh("r1", "z2", "nodeB"), List.of(), ADMIT))),
            new Case("Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term "
                + "match - case when all terms have valid topologyKey",
                pod(Map.of("foo", "", "bar", "")),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of())
                        .withAnti(term("region", exists("foo")), term("zone", exists("bar")))), REFUSE),
                    new N("nodeB", rzh("r1", "z2", "nodeB"), List.of(), REFUSE))),
            new Case("Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term "
                + "match - case when all terms have valid topologyKey",
                pod(Map.of()).withAnti(term("region", exists("foo")), term("zone", exists("bar"))),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of("foo", "", "bar", ""))), REFUSE),
                    new N("nodeB", rzh("r1", "z2", "nodeB"), List.of(), REFUSE))),
            new Case("Test existing pod's anti-affinity: existingPod on nodeA and nodeB has at least one anti-affinity term matches "
                + "incoming pod, so incoming pod can only be scheduled to nodeC",
                pod(Map.of("foo", "", "bar", "")),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of())
                        .withAnti(term("zone", exists("foo")), term("zone", exists("labelA")))), REFUSE),
                    new N("nodeB", rzh("r1", "z2", "nodeB"), List.of(pod(Map.of())
                        .withAnti(term("zone", exists("bar")), term("zone", exists("labelB")))), REFUSE),
                    new N("nodeC", rzh("r1", "z3", "nodeC"), List.of(), ADMIT))),
            new Case("Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match",
                pod(Map.of()).withAffinity(term("region", exists("foo")), term("zone", exists("bar"))),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of("foo", "", "bar", ""))), ADMIT),
                    new N("nodeB", rzh("r1", "z1", "nodeB"), List.of(), ADMIT))),
            // pod1 matches only the foo term and pod2 only the bar term: neither counts, and the label-less incoming pod does not
            // match its own terms, so no node passes
            new Case("Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match, "
                + "and the match logic should be satisfied on the same pod",
                pod(Map.of()).withAffinity(term("region", exists("foo")), term("zone", exists("bar"))),
                List.of(
                    new N("nodeA", rzh("r1", "z1", "nodeA"), List.of(pod(Map.of("foo", ""))), REFUSE),
                    new N("nodeB", rzh("r1", "z2", "nodeB"), List.of(pod(Map.of("bar", ""))), REFUSE))));
    }

    // ---- builders ----

    private static Spec pod(Map<String, String> labels) {
        return pod(NS, labels);
    }

    private static Spec pod(String namespace, Map<String, String> labels) {
        return new Spec(namespace, labels, List.of(), List.of());
    }

    /** A required term over the pod's own namespace: matchExpressions {@code selector}, on {@code topologyKey}. */
    private static PodAffinityTerm term(String topologyKey, Requirement... selector) {
        return new PodAffinityTerm(Map.of(), List.of(selector), List.of(), false, false, topologyKey);
    }

    private static Requirement in(String key, String... values) {
        return new Requirement(key, Operator.IN, List.of(values));
    }

    private static Requirement notIn(String key, String... values) {
        return new Requirement(key, Operator.NOT_IN, List.of(values));
    }

    private static Requirement exists(String key) {
        return new Requirement(key, Operator.EXISTS, List.of());
    }

    private static Requirement doesNotExist(String key) {
        return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
    }
}
