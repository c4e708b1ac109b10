// Conformance cases translated from kube-scheduler's TaintToleration Score test (github.com/kubernetes/kubernetes):
//   pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go, TestTaintTolerationScore
//   @ 04c0d74f8e8bf18e93a9d8d082b218d3eb4c6395
// Expected: upstream's expectedList after Score and NormalizeScore (helper.DefaultNormalizeScore, reversed), node by node.
// Each upstream node is a pool of its own (a NodeShape with the node's taints); the pod is one group with the pod's
// tolerations. PreferenceScoring.normalized gives the plugin's normalized score unweighted (addTo adds 3 × it).
//
// Translated: 6 of the 8 cases. No translated case disagrees.
//
// Skipped, 2 cases (alpha feature gate TaintTolerationComparisonOperators, off by default):
//  - "Numeric Gt operator: pod with Gt toleration prefers nodes with matching SLA taint"
//  - "Numeric Lt operator: pod with Lt toleration prefers nodes with matching SLA taint"
//    Both need the Gt/Lt toleration operators, which upstream honours only with the gate on
//    (enableTaintTolerationComparisonOps: true). NodeMatching.tolerates gives a Gt/Lt toleration no match, as upstream
//    does with the gate off; ours scores 0 on both nodes (both taints intolerable), upstream with the gate 0 and 100.
// "Score ignores parse errors from numeric PreferNoSchedule taint value" runs with the gate on too but is translated: the
// taint value "high" does not parse, so upstream tolerates nothing there either, as ours.
package io.nodesizer.engine.strategy;

import io.nodesizer.model.Placement;
import io.nodesizer.model.Placement.Taint;
import io.nodesizer.model.Placement.Toleration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translates kube-scheduler's {@code TestTaintTolerationScore} into cases for {@link PreferenceScoring}'s
 * TaintToleration plugin (PreferNoSchedule taints the pod does not tolerate, reversed). Upstream:
 * {@code pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go}
 * @ 04c0d74f8e8bf18e93a9d8d082b218d3eb4c6395; see the top of the file for the cases skipped.
 */
final class ScoreConformanceTaintTolerationTest {
    private static final String PREFER = "PreferNoSchedule";
    private static final String NO_SCHEDULE = "NoSchedule";

    record N(String name, List<Taint> taints, long expected) {
    }

    record Case(String name, List<Toleration> tolerations, List<N> nodes) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void taintTolerationScore(Case c) {
        ScoreConformanceSupport.Scenario s = new ScoreConformanceSupport.Scenario();
        int pod = s.group("pod1", new Placement(Map.of(), null, c.tolerations()));
        for (N n : c.nodes()) {
            s.node(n.name(), Map.of(), n.taints(), null);
        }
        long[] want = c.nodes().stream().mapToLong(N::expected).toArray();
        assertThat(s.score(PreferenceScoring.Plugin.TAINT_TOLERATION, pod))
                .as("%s: upstream %s", c.name(), Arrays.toString(want))
                .containsExactly(want);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("node with taints tolerated by the pod, gets a higher score than those node with intolerable taints",
                        List.of(tol("foo", "Equal", "bar", PREFER)),
                        List.of(new N("nodeA", List.of(taint("foo", "bar", PREFER)), 100),
                                new N("nodeB", List.of(taint("foo", "blah", PREFER)), 0))),
                new Case("the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable "
                        + "taints a node has",
                        List.of(tol("cpu-type", "Equal", "arm64", PREFER), tol("disk-type", "Equal", "ssd", PREFER)),
                        List.of(new N("nodeA", List.of(), 100),
                                new N("nodeB", List.of(taint("cpu-type", "arm64", PREFER)), 100),
                                new N("nodeC", List.of(taint("cpu-type", "arm64", PREFER), taint("disk-type", "ssd", PREFER)), 100))),
                new Case("the more intolerable taints a node has, the lower score it gets.",
                        List.of(tol("foo", "Equal", "bar", PREFER)),
                        List.of(new N("nodeA", List.of(), 100),
                                new N("nodeB", List.of(taint("cpu-type", "arm64", PREFER)), 50),
                                new N("nodeC", List.of(taint("cpu-type", "arm64", PREFER), taint("disk-type", "ssd", PREFER)), 0))),
                new Case("only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function",
                        List.of(tol("cpu-type", "Equal", "arm64", NO_SCHEDULE), tol("disk-type", "Equal", "ssd", NO_SCHEDULE)),
                        List.of(new N("nodeA", List.of(), 100),
                                new N("nodeB", List.of(taint("cpu-type", "arm64", NO_SCHEDULE)), 100),
                                new N("nodeC", List.of(taint("cpu-type", "arm64", PREFER), taint("disk-type", "ssd", PREFER)), 0))),
                new Case("Default behaviour No taints and tolerations, lands on node with no taints",
                        List.of(),
                        List.of(new N("nodeA", List.of(), 100),
                                new N("nodeB", List.of(taint("cpu-type", "arm64", PREFER)), 0))),
                new Case("Score ignores parse errors from numeric PreferNoSchedule taint value",
                        List.of(tol("node.kubernetes.io/sla", "Gt", "950", PREFER)),
                        List.of(new N("nodeA", List.of(), 100),
                                new N("nodeB", List.of(taint("node.kubernetes.io/sla", "high", PREFER)), 0))));
    }

    private static Toleration tol(String key, String operator, String value, String effect) {
        return new Toleration(key, operator, value, effect);
    }

    private static Taint taint(String key, String value, String effect) {
        return new Taint(key, value, effect);
    }
}
