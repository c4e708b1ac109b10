// Conformance cases translated from kube-scheduler's PodTopologySpread Score test (github.com/kubernetes/kubernetes):
//   pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go, TestPodTopologySpreadScore
//   @ 008b3652959ca58af8be3fb5b6ecfe9ae7638282 (plugin read in scoring.go @ 02fb06dfc56a53699335ab60973b991fbc436a05)
// Expected: upstream's want after Score and NormalizeScore, for the nodes upstream scores (its nodes; its failedNodes
// hold pods that count but are not scored), node by node. The file's other tables (TestPreScoreSkip,
// TestPreScoreStateEmptyNodes) check PreScore's state, not scores; "system defaulting, nodes don't have zone, pods match
// service" below is the only score case with the system default constraints.
//
// Mapping. Each upstream node is a pool of its own; its "zone" label value is a zone index (topology key "zone" is
// rewritten to topology.kubernetes.io/zone, which keeps its meaning: a plain label per node); upstream key "node", a
// label carrying the node's name, is rewritten to kubernetes.io/hostname where the case's meaning survives (see below).
// The incoming pod is one group; PreferenceScoring counts, per constraint, the running pods of the pod's own group
// (upstream: of its owner when the pod has one, else the pods the constraint's selector matches in its namespace; these
// tests' pods have no owner). So an existing pod the constraints' selector matches (label foo, namespace default) is a pod
// of the incoming pod's group; one it does not match is a pod of another group. That holds only when every constraint of
// the pod selects the same pods: cases whose constraints select different pods (fooSelector on one, barSelector on the
// other) are skipped, by design (listed below). A terminating pod is not running: it is not in the counts.
// PreferenceScoring.normalized gives the plugin's normalized score unweighted (addTo adds 2 × it).
//
// Translated: 17 of the 28 cases. No translated case disagrees.
//  - "one constraint on node, null selector": the null selector matches no pod, so the existing pods are another group's.
//  - "existing pods in a different namespace do not count": p-a1 (namespace ns1) is another group's pod.
//  - "minDomains has no effect when ScheduleAnyway", "NodeAffinityPolicy ignored with labelSelectors", "NodeAffinityPolicy
//    ignored with nodeAffinity", "NodeTaintsPolicy ignored": key "node" rewritten to kubernetes.io/hostname (each node's own
//    value; the normalizing weight, log(3 + 2), is the same for three domains and three scored nodes). node-c is scored
//    although the nodeSelector / nodeAffinity keeps the pod off it (upstream's test skips Filter; so does this one).
//  - "system defaulting, nodes don't have zone, pods match service": the pod has no constraint and a Service selects it:
//    Placement.Preferences.systemSpread. No node has a zone label: upstream's zone default constraint then adds nothing
//    (Score skips a key the node lacks); the scoring is built with 0 zones, its "nodes carry no zone label" mode (the
//    simulations' nodes always carry one: one zone without --zones).
//
// Skipped, 11 cases:
//  - "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key": node-b has no
//    kubernetes.io/hostname label (upstream ignores it: score 0, left out of min and max); every node has one here.
//  - "two Constraints on zone, 2 out of 4 nodes are candidates", "two Constraints on zone and node, with different
//    labelSelectors", "two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods", "two
//    Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates": the two constraints
//    select different pods (foo / bar); ours counts the pod's own group for every constraint (by design: a group is one
//    workload, and a constraint is taken to select its own workload's pods).
//  - "matchLabelKeys ignored when feature gate disabled", "matchLabelKeys ANDed with LabelSelector when LabelSelector is
//    empty", "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty": the same (zone and hostname
//    constraints selecting different pods).
//  - "NodeAffinityPolicy honoed with labelSelectors", "NodeAffinityPolicy honoed with nodeAffinity", "NodeTaintsPolicy
//    honored": they need a per-node topology key other than the hostname ("node"), whose counts PreScore takes only from
//    nodes the pod's node affinity / tolerations admit; with kubernetes.io/hostname upstream counts every node's own pods
//    (the "ignored" result), so the rewrite changes the case. Node inclusion policies are not modelled: the pods counted
//    are the pod's own group's, which run only where its node affinity admits them.
package io.nodesizer.engine.strategy;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Placement.PodAffinityTerm;
import io.nodesizer.model.Placement.Spread;
import io.nodesizer.model.Placement.Taint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.nodesizer.engine.strategy.ScoreConformanceSupport.exists;
import static io.nodesizer.engine.strategy.ScoreConformanceSupport.in;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translates kube-scheduler's {@code TestPodTopologySpreadScore} into cases for {@link PreferenceScoring}'s
 * PodTopologySpread plugin. Upstream: {@code pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go}
 * @ 008b3652959ca58af8be3fb5b6ecfe9ae7638282; see the top of the file for the mapping and the cases skipped.
 */
final class ScoreConformancePodTopologySpreadTest {
    private static final String HOST = PodConflicts.HOSTNAME;
    private static final String ZONE = PodConflicts.ZONE;
    /** Upstream's {@code taints}: node.kubernetes.io/unschedulable:NoSchedule. */
    private static final List<Taint> TAINTS = List.of(new Taint("node.kubernetes.io/unschedulable", "", "NoSchedule"));

    /**
     * A node: its zone label value (null: none), whether upstream scores it, the running pods of the incoming pod's
     * group ({@code own}) and of another group ({@code other}), and upstream's score (null: not scored).
     */
    record Nd(String name, Map<String, String> labels, List<Taint> taints, String zone, int own, int other, Long expected) {
        boolean candidate() {
            return expected != null;
        }
    }

    record Case(String name, Placement pod, List<Nd> nodes) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void podTopologySpreadScore(Case c) {
        ScoreConformanceSupport.Scenario s = new ScoreConformanceSupport.Scenario();
        int pod = s.group("p", c.pod());
        int other = s.group("other", Placement.ANY);
        for (Nd n : c.nodes()) {
            int node = n.candidate() ? s.node(n.name(), n.labels(), n.taints(), n.zone()) : s.failedNode(n.name(), n.labels(), n.zone());
            s.pods(node, pod, n.own()).pods(node, other, n.other());
        }
        long[] want = c.nodes().stream().filter(Nd::candidate).mapToLong(Nd::expected).toArray();
        assertThat(s.score(PreferenceScoring.Plugin.POD_TOPOLOGY_SPREAD, pod))
                .as("%s: upstream %s", c.name(), Arrays.toString(want))
                .containsExactly(want);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("one constraint on node, no existing pods", soft(soft(1, HOST)),
                        List.of(node("node-a", 0, 100L), node("node-b", 0, 100L))),
                // if there is only one candidate node, it should be scored to 100
                new Case("one constraint on node, only one node is candidate", soft(soft(1, HOST)),
                        List.of(node("node-a", 2, 100L), node("node-b", 1, null))),
                new Case("one constraint on node, all nodes have the same number of matching pods", soft(soft(1, HOST)),
                        List.of(node("node-a", 1, 100L), node("node-b", 1, 100L))),
                // matching pods spread as 2/1/0/3
                new Case("one constraint on node, all 4 nodes are candidates", soft(soft(1, HOST)),
                        List.of(node("node-a", 2, 20L), node("node-b", 1, 60L), node("node-c", 0, 100L), node("node-d", 3, 0L))),
                // the null selector matches no pod: the foo pods are another group's
                new Case("one constraint on node, null selector", soft(new Spread(1, false, selector(HOST))),
                        List.of(other("node-a", 2, 100L), other("node-b", 1, 100L), other("node-c", 0, 100L), other("node-d", 3, 100L))),
                new Case("one constraint on node, all 4 nodes are candidates, maxSkew=2", soft(soft(2, HOST)),
                        List.of(node("node-a", 2, 33L), node("node-b", 1, 66L), node("node-c", 0, 100L), node("node-d", 3, 16L))),
                // matching pods spread as 4/3/2/1
                new Case("one constraint on node, all 4 nodes are candidates, maxSkew=3", soft(soft(3, HOST)),
                        List.of(node("node-a", 4, 44L), node("node-b", 3, 66L), node("node-c", 2, 77L), node("node-d", 1, 100L))),
                new Case("system defaulting, nodes don't have zone, pods match service",
                        fooPod().withPreferences(Placement.Preferences.SYSTEM_SPREAD),
                        List.of(node("node-a", 4, 44L), node("node-b", 3, 66L), node("node-c", 2, 77L), node("node-d", 1, 100L))),
                // matching pods spread as 4/2/1/~3~
                new Case("one constraint on node, 3 out of 4 nodes are candidates", soft(soft(1, HOST)),
                        List.of(node("node-a", 4, 33L), node("node-b", 2, 83L), node("node-x", 1, 100L), node("node-y", 3, null))),
                new Case("one constraint on zone, 3 out of 4 nodes are candidates", soft(soft(1, ZONE)),
                        List.of(zoned("node-a", "zone1", 4, 75L), zoned("node-b", "zone1", 2, 75L), zoned("node-x", "zone2", 1, 100L),
                                zoned("node-y", "zone2", 3, null))),
                // matching pods spread as 2/~1~/2/~4~
                new Case("two Constraints on zone and node, 2 out of 4 nodes are candidates", soft(soft(1, ZONE), soft(1, HOST)),
                        List.of(zoned("node-a", "zone1", 2, 100L), zoned("node-x", "zone2", 2, 63L), zoned("node-b", "zone1", 1, null),
                                zoned("node-y", "zone2", 4, null))),
                new Case("existing pods in a different namespace do not count", soft(soft(1, HOST)),
                        List.of(new Nd("node-a", Map.of(), List.of(), null, 1, 1, 100L), node("node-b", 2, 33L))),
                // p-a is terminating: not a running pod, not in the counts
                new Case("terminating Pods should be excluded", soft(soft(1, HOST)),
                        List.of(node("node-a", 0, 100L), node("node-b", 1, 0L))),
                new Case("minDomains has no effect when ScheduleAnyway", soft(new Spread(2, false, selector(HOST, exists("foo")), 10)),
                        List.of(node("node-a", 2, 75L), node("node-b", 2, 75L), node("node-c", 1, 100L))),
                new Case("NodeAffinityPolicy ignored with labelSelectors",
                        withNodeSelector(soft(soft(1, HOST))),
                        List.of(labelled("node-a", Map.of("foo", ""), 2, 66L), labelled("node-b", Map.of("foo", ""), 1, 100L),
                                node("node-c", 1, 100L))),
                new Case("NodeAffinityPolicy ignored with nodeAffinity",
                        withNodeAffinity(soft(soft(1, HOST))),
                        List.of(labelled("node-a", Map.of("foo", ""), 2, 66L), labelled("node-b", Map.of("foo", ""), 1, 100L),
                                node("node-c", 1, 100L))),
                new Case("NodeTaintsPolicy ignored", soft(soft(1, HOST)),
                        List.of(node("node-a", 2, 66L), node("node-b", 1, 100L), new Nd("node-c", Map.of(), TAINTS, null, 1, 0, 100L))));
    }

    /** A node without a zone label holding {@code own} pods of the incoming pod's group. */
    private static Nd node(String name, int own, Long expected) {
        return new Nd(name, Map.of(), List.of(), null, own, 0, expected);
    }

    private static Nd labelled(String name, Map<String, String> labels, int own, Long expected) {
        return new Nd(name, labels, List.of(), null, own, 0, expected);
    }

    private static Nd zoned(String name, String zone, int own, Long expected) {
        return new Nd(name, Map.of(), List.of(), zone, own, 0, expected);
    }

    /** A node holding {@code other} pods of another group. */
    private static Nd other(String name, int other, Long expected) {
        return new Nd(name, Map.of(), List.of(), null, 0, other, expected);
    }

    /** A ScheduleAnyway constraint with upstream's fooSelector (foo Exists). */
    private static Spread soft(int maxSkew, String key) {
        return new Spread(maxSkew, false, selector(key, exists("foo")));
    }

    private static PodAffinityTerm selector(String key, Placement.Requirement... expressions) {
        return new PodAffinityTerm(Map.of(), List.of(expressions), List.of(), false, false, key);
    }

    /** Upstream's incoming pod p, labelled foo="", in namespace default. */
    private static Placement fooPod() {
        return new Placement(Map.of(), null, List.of(), "default", Map.of("foo", ""), List.of(), List.of());
    }

    private static Placement soft(Spread... constraints) {
        return new Placement(Map.of(), null, List.of(), "default", Map.of("foo", ""), List.of(), List.of(), new ArrayList<>(List.of(constraints)));
    }

    private static Placement withNodeSelector(Placement p) {
        return new Placement(Map.of("foo", ""), null, List.of(), p.namespace(), p.podLabels(), List.of(), List.of(), p.spread());
    }

    private static Placement withNodeAffinity(Placement p) {
        return new Placement(Map.of(), List.of(new Placement.Term(List.of(in("foo", "")), List.of())), List.of(), p.namespace(),
                p.podLabels(), List.of(), List.of(), p.spread());
    }
}
