// Conformance cases translated from kube-scheduler's InterPodAffinity Score tests (github.com/kubernetes/kubernetes):
//   pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go, TestPreferredAffinity and
//   TestPreferredAffinityWithHardPodAffinitySymmetricWeight @ 030880a5dc5449403c6d1f0aa146a7dc21d6c6dc
//   (plugin read in scoring.go; NormalizeScore as in the current sources: min and max over the scored nodes)
// Expected: upstream's expectedList after Score and NormalizeScore, node by node; a PreScore Skip is 0 on every node
// (the plugin adds nothing).
//
// Mapping. Each upstream node is a pool of its own. Existing pods with the same namespace, labels and terms are one group;
// the incoming pod is a group of its own with no running pod. Upstream namespace "" is "default". Topology keys: these
// tests use the plain labels "region" and "az". "region" is rewritten to topology.kubernetes.io/zone (the node's region
// value is its zone; a node without the label gets a zone of its own). "az", where it is on some node, is rewritten to
// topology.kubernetes.io/zone when the case has no region term, else to kubernetes.io/hostname (each az value is on one
// node there, and the term matches no pod on a node without az); where no node has az it is kept as "az", a key
// PreferenceScoring leaves out, as upstream scores nothing for a key no node has. A node without the key of a term gets
// nothing from it upstream; here every node has a zone and a hostname, so a case is translated only when such a node holds
// no pod the term matches. The hardPodAffinityWeight is kube-scheduler's default, 1.
// PreferenceScoring.normalized gives the plugin's normalized score unweighted (addTo adds 2 × it).
//
// Translated: 22 of the 31 cases (19 of 26 in TestPreferredAffinity, 3 of 5 in
// TestPreferredAffinityWithHardPodAffinitySymmetricWeight).
//
// Disagreement found and fixed (6 cases): "Affinity: nodes in one region has more matching pods comparing to other
// region, so the region which has more matches will get high score" and "Affinity and Anti Affinity: considering both
// affinity and anti-affinity, the pod to schedule and existing pods have the same labels" expect 0 on the region with
// fewer matches (India: 12 against China's 24; 16 against 40), and the four "Affinity with pods matching ..." cases
// node2 at 0 (affinity: 5 against node1's 15) or at 100 (anti-affinity: -5 against -15). PreferenceScoring normalized
// from min(0, lowest) to max(0, highest), as kube-scheduler did before its NormalizeScore took the min and max over the
// scored nodes only, and gave India 50 and 40, node2 33 (affinity) and 66 (anti-affinity). It now maps the lowest
// score of the scored nodes to 0 and the highest to 100 (0 everywhere when they are equal), as upstream does.
// Translated with a note:
//  - "Affinity symmetry with namespace selector", "AntiAffinity symmetry with namespace selector", "with matching
//    NamespaceSelector" (hard weight): the namespaceSelector matches the incoming pod's namespace upstream; nodesizer
//    takes an unresolved non-empty namespaceSelector as every namespace (the terms here are built without Namespace
//    objects; manifests with them resolve it, NamespacesTest), which agrees here.
//  - "Affinity with pods matching NamespaceSelector" (the affinity and the anti-affinity case of that name): the pod in
//    subteam1.team2 (team2) does not match upstream and does here (every namespace): node1 has 15 (−15) here against
//    upstream's 10 (−10), node2 5 (−5) in both; normalized over the two nodes the outcome is the same, 100/0 (0/100).
//  - "Avoid panic when partial nodes in a topology don't have pods with affinity": both nodes are in one region, so there
//    is one zone, and zone terms are left out (the same on every node): 0 and 0, as upstream's equal scores normalize.
//  - "No nodes to score": nothing scored, an empty result.
// Upstream names two anti-affinity cases like the affinity cases before them ("Affinity with pods matching
// NamespaceSelector", "Affinity with pods matching both NamespaceSelector and Namespaces fields"); here they carry
// " (anti-affinity)" to tell them apart.
//
// Skipped, 9 cases:
//  - "Affinity: pod that matches topology key & pods in nodes will get high score comparing to others which doesn't match
//    either pods in nodes or in topology key", "Affinity: different Label operators and values for pod affinity scheduling
//    preference, including some match failures ": node3 has no region label but holds a pod the term matches (upstream
//    gives node3 nothing; here node3 has a zone, and that pod counts in it).
//  - "Anti Affinity: pod that does not match topology key & match the pods in nodes will get higher score comparing to
//    others ": the same with node2, no az label, holding an S1 pod.
//  - "Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity &
//    anti affinity": the same with node2, no region label, holding an S1 pod.
//  - "invalid Affinity fails PreScore", "invalid AntiAffinity fails PreScore": label value validation (a PreScore error);
//    not modelled.
//  - "Ignore preferred terms of existing pods": InterPodAffinityArgs.IgnorePreferredTermsOfExistingPods, a profile
//    argument nodesizer does not read (false, the default, is what it does: "Do not ignore ..." is translated).
//  - "with zero weight" (hard weight): InterPodAffinityArgs.HardPodAffinityWeight 0; nodesizer uses the default, 1.
//  - "with no matching namespace" (hard weight): the incoming pod's namespace (subteam1.team2) is neither listed nor
//    selected (team1); nodesizer takes the namespaceSelector as every namespace and scores 100/100/0 where upstream
//    skips (0 everywhere). By design for a selector not resolved against Namespace objects (none here).
package io.nodesizer.engine.strategy;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Placement.PodAffinityTerm;
import io.nodesizer.model.Placement.WeightedPodTerm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.nodesizer.engine.strategy.ScoreConformanceSupport.doesNotExist;
import static io.nodesizer.engine.strategy.ScoreConformanceSupport.exists;
import static io.nodesizer.engine.strategy.ScoreConformanceSupport.in;
import static io.nodesizer.engine.strategy.ScoreConformanceSupport.term;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translates kube-scheduler's {@code TestPreferredAffinity} and
 * {@code TestPreferredAffinityWithHardPodAffinitySymmetricWeight} into cases for {@link PreferenceScoring}'s
 * InterPodAffinity plugin. Upstream: {@code pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go}
 * @ 030880a5dc5449403c6d1f0aa146a7dc21d6c6dc; see the top of the file for the mapping and the cases skipped.
 */
final class ScoreConformanceInterPodAffinityTest {
    private static final String HOST = PodConflicts.HOSTNAME;
    private static final String ZONE = PodConflicts.ZONE;
    private static final String NS = "default";
    private static final Map<String, String> S1 = Map.of("security", "S1");
    private static final Map<String, String> S2 = Map.of("security", "S2");
    private static final Map<String, String> SERVICE_S1 = Map.of("service", "S1");

    /** A pod: namespace, labels, required affinity terms, preferred affinity and anti-affinity terms. */
    record Pod(String namespace, Map<String, String> labels, List<PodAffinityTerm> required, List<WeightedPodTerm> affinity,
               List<WeightedPodTerm> anti) {
        Placement placement() {
            return new Placement(Map.of(), null, List.of(), namespace, labels, List.of(), required, List.of(),
                    new Placement.Preferences(List.of(), affinity, anti, false));
        }

        Pod required(PodAffinityTerm... terms) {
            return new Pod(namespace, labels, plus(required, terms), affinity, anti);
        }

        Pod affinity(WeightedPodTerm... terms) {
            return new Pod(namespace, labels, required, plus(affinity, terms), anti);
        }

        Pod anti(WeightedPodTerm... terms) {
            return new Pod(namespace, labels, required, affinity, plus(anti, terms));
        }

        @SafeVarargs
        private static <T> List<T> plus(List<T> a, T... b) {
            List<T> out = new java.util.ArrayList<>(a);
            out.addAll(List.of(b));
            return out;
        }
    }

    /** A node: its zone (null: none), its running pods, upstream's score. */
    record N(String name, String zone, List<Pod> pods, long expected) {
    }

    record Case(String name, Pod incoming, List<N> nodes) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preferredAffinity")
    void preferredAffinity(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hardPodAffinitySymmetricWeight")
    void preferredAffinityWithHardPodAffinitySymmetricWeight(Case c) {
        check(c);
    }

    private static void check(Case c) {
        ScoreConformanceSupport.Scenario s = new ScoreConformanceSupport.Scenario();
        int incoming = s.group("incoming", c.incoming().placement());
        Map<Placement, Integer> groups = new LinkedHashMap<>();
        for (N n : c.nodes()) {
            int node = s.node(n.name(), Map.of(), List.of(), n.zone());
            for (Pod p : n.pods()) {
                int g = groups.computeIfAbsent(p.placement(), pl -> s.group("existing-" + groups.size(), pl));
                s.pods(node, g, 1);
            }
        }
        long[] want = c.nodes().stream().mapToLong(N::expected).toArray();
        assertThat(s.score(PreferenceScoring.Plugin.INTER_POD_AFFINITY, incoming))
                .as("%s: upstream %s", c.name(), Arrays.toString(want))
                .containsExactly(want);
    }

    static Stream<Case> preferredAffinity() {
        Pod s1 = pod(S1);
        Pod s2 = pod(S2);
        return Stream.of(
                new Case("all nodes are same priority as Affinity is nil", s1,
                        List.of(n("node1", "China", 0), n("node2", "India", 0), n("node3", null, 0))),
                new Case("All the nodes that have the same topology key & label value with one of them has an existing pod that match the "
                        + "affinity rules, have the same score", pod(Map.of()).affinity(stayWithS1(ZONE)),
                        List.of(n("node1", "China", 100, s1), n("node2", "China", 100), n("node3", "India", 0))),
                new Case("Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more "
                        + "matches will get high score", pod(S1).affinity(stayWithS2(ZONE)),
                        List.of(n("node1", "China", 100, s2, s2), n("node2", "India", 0, s2), n("node3", "China", 100, s2),
                                n("node4", "China", 100, s2), n("node5", "India", 0, s2))),
                new Case("Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry",
                        s2,
                        List.of(n("node1", "China", 0, pod(S1).affinity(stayWithS1(ZONE))),
                                n("node2", "India", 100, pod(S2).affinity(stayWithS2(ZONE))), n("node3", null, 0))),
                new Case("Affinity symmetry with namespace selector", new Pod("subteam1.team1", S1, List.of(), List.of(), List.of()),
                        List.of(n("node1", "China", 100, pod(S1).affinity(new WeightedPodTerm(5, namespaceSelector(ZONE)))),
                                n("node2", "India", 0, pod(S2).affinity(stayWithS2(ZONE))), n("node3", null, 0))),
                new Case("AntiAffinity symmetry with namespace selector", new Pod("subteam1.team1", S1, List.of(), List.of(), List.of()),
                        List.of(n("node1", "China", 0, pod(S1).anti(new WeightedPodTerm(5, namespaceSelector(ZONE)))),
                                n("node2", "India", 100, pod(S2).affinity(stayWithS2(ZONE))), n("node3", null, 100))),
                new Case("Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry", s1,
                        List.of(n("node1", "China", 100, pod(S1).required(hardAffinity(ZONE))),
                                n("node2", "India", 100, pod(S2).required(hardAffinity(ZONE))), n("node3", null, 0))),
                // az -> zone (no region term): node1 az1, node2 (region China, no az) a zone of its own
                new Case("Anti Affinity: pod that does not match existing pods in node will get high score ",
                        pod(S1).anti(awayFrom("S1", ZONE)),
                        List.of(n("node1", "az1", 0, s1), n("node2", null, 100, s2))),
                new Case("Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches "
                        + "will get high score", pod(S1).anti(awayFrom("S1", ZONE)),
                        List.of(n("node1", "az1", 0, s1, s1), n("node2", null, 100, s2))),
                new Case("Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score", s2,
                        List.of(n("node1", "az1", 0, pod(S1).anti(awayFrom("S2", ZONE))),
                                n("node2", "az2", 100, pod(S2).anti(awayFrom("S1", ZONE))))),
                // region -> zone, az -> hostname (az1 is on node1 alone)
                new Case("Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods "
                        + "have the same labels", stayWithS1AwayFromS2(pod(S1), HOST),
                        List.of(n("node1", "China", 100, s1, s1), n("node2", "India", 0, s1), n("node3", "China", 100, s1, s1),
                                n("node4", "China", 100, s1), n("node5", "India", 0, s1))),
                // region -> zone, az -> hostname (az1 on node2 alone, az2 on node4 alone)
                new Case("Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both "
                        + "pod affinity & anti affinity & symmetry", stayWithS1AwayFromS2(pod(S1), HOST),
                        List.of(n("node1", "China", 100, s1), n("node2", null, 0, s2),
                                n("node3", "India", 100, stayWithS1AwayFromS2(pod(Map.of()), HOST)),
                                n("node4", null, 0, pod(Map.of()).anti(awayFrom("S1", HOST))))),
                // no node has az: kept as "az"
                new Case("Avoid panic when partial nodes in a topology don't have pods with affinity", s1,
                        List.of(n("node1", "China", 0, s1), n("node2", "China", 0, stayWithS1AwayFromS2(pod(Map.of()), "az")))),
                new Case("Affinity with pods matching NamespaceSelector",
                        new Pod("subteam1.team1", S1, List.of(), List.of(new WeightedPodTerm(5, namespaceSelector(ZONE))), List.of()),
                        List.of(n("node1", "China", 100, inNs("subteam1.team1"), inNs("subteam1.team1"), inNs("subteam1.team2")),
                                n("node2", "India", 0, inNs("subteam2.team1")))),
                new Case("Affinity with pods matching both NamespaceSelector and Namespaces fields",
                        new Pod("subteam1.team1", S1, List.of(), List.of(new WeightedPodTerm(5, namespaceSelector(ZONE))), List.of()),
                        List.of(n("node1", "China", 100, inNs("subteam1.team1"), inNs("subteam1.team1"), inNs("subteam2.team2")),
                                n("node2", "India", 0, inNs("subteam2.team1")))),
                new Case("Affinity with pods matching NamespaceSelector (anti-affinity)",
                        new Pod("subteam1.team1", S1, List.of(), List.of(), List.of(new WeightedPodTerm(5, namespaceSelector(ZONE)))),
                        List.of(n("node1", "China", 0, inNs("subteam1.team1"), inNs("subteam1.team1"), inNs("subteam1.team2")),
                                n("node2", "India", 100, inNs("subteam2.team1")))),
                new Case("Affinity with pods matching both NamespaceSelector and Namespaces fields (anti-affinity)",
                        new Pod("subteam1.team1", S1, List.of(), List.of(), List.of(new WeightedPodTerm(5, namespaceSelector(ZONE)))),
                        List.of(n("node1", "China", 0, inNs("subteam1.team1"), inNs("subteam1.team1"), inNs("subteam2.team2")),
                                n("node2", "India", 100, inNs("subteam2.team1")))),
                // no node has az: kept as "az"
                new Case("Do not ignore preferred terms of existing pods", s2,
                        List.of(n("node1", "China", 0, stayWithS1AwayFromS2(pod(S1), "az")),
                                n("node2", "India", 100, pod(S2).affinity(stayWithS2(ZONE))))),
                new Case("No nodes to score", s2, List.of()));
    }

    static Stream<Case> hardPodAffinitySymmetricWeight() {
        Pod hard = pod(Map.of()).required(new PodAffinityTerm(Map.of(), List.of(in("service", "S1")), List.of(NS, "subteam2.team2"),
                false, true, ZONE));
        List<N> nodes = List.of(n("node1", "China", 100, hard), n("node2", "India", 100, hard), n("node3", null, 0));
        return Stream.of(
                new Case("with default weight", pod(SERVICE_S1), nodes),
                new Case("with matching NamespaceSelector", new Pod("subteam1.team1", SERVICE_S1, List.of(), List.of(), List.of()), nodes),
                new Case("with matching Namespaces", new Pod("subteam2.team2", SERVICE_S1, List.of(), List.of(), List.of()), nodes));
    }

    private static N n(String name, String zone, long expected, Pod... pods) {
        return new N(name, zone, List.of(pods), expected);
    }

    private static Pod pod(Map<String, String> labels) {
        return new Pod(NS, labels, List.of(), List.of(), List.of());
    }

    /** An S1 pod in the namespace. */
    private static Pod inNs(String namespace) {
        return new Pod(namespace, S1, List.of(), List.of(), List.of());
    }

    /** Upstream's stayWithS1InRegion: affinity security In [S1], weight 5. */
    private static WeightedPodTerm stayWithS1(String key) {
        return new WeightedPodTerm(5, term(key, in("security", "S1")));
    }

    /** Upstream's stayWithS2InRegion: affinity security In [S2], weight 6. */
    private static WeightedPodTerm stayWithS2(String key) {
        return new WeightedPodTerm(6, term(key, in("security", "S2")));
    }

    /** Upstream's awayFromS1InAz / awayFromS2InAz: anti-affinity security In [value], weight 5. */
    private static WeightedPodTerm awayFrom(String value, String key) {
        return new WeightedPodTerm(5, term(key, in("security", value)));
    }

    /** Upstream's stayWithS1InRegionAwayFromS2InAz: affinity S1 weight 8 (region: zone), anti-affinity S2 weight 5 ({@code azKey}). */
    private static Pod stayWithS1AwayFromS2(Pod p, String azKey) {
        return p.affinity(new WeightedPodTerm(8, term(ZONE, in("security", "S1")))).anti(awayFrom("S2", azKey));
    }

    /** Upstream's hardAffinity: required security In [S1, value2], and security Exists with wrongkey DoesNotExist. */
    private static PodAffinityTerm[] hardAffinity(String key) {
        return new PodAffinityTerm[]{term(key, in("security", "S1", "value2")), term(key, exists("security"), doesNotExist("wrongkey"))};
    }

    /** Upstream's affinityNamespaceSelector / antiAffinityNamespaceSelector term: S1, namespaces subteam2.team2 and team=team1. */
    private static PodAffinityTerm namespaceSelector(String key) {
        return new PodAffinityTerm(Map.of(), List.of(in("security", "S1")), List.of("subteam2.team2"), false, true, key);
    }
}
