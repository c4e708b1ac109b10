// Conformance cases translated from kube-scheduler's NodeAffinity Score test (github.com/kubernetes/kubernetes):
//   pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go, TestNodeAffinityPriority
//   @ 022462ccaeb5664cfd0c860978624bb0619aaa01
// Expected: upstream's expectedList after Score and NormalizeScore (helper.DefaultNormalizeScore), node by node.
// Each upstream node is a pool of its own (a NodeShape whose labels are the node's; NodeLabels adds the well-known ones,
// none of which these terms name); the pod is one group with the pod's preferred node terms.
// PreferenceScoring.normalized gives the plugin's normalized score unweighted (addTo adds 2 × it).
//
// Translated: 5 of the 7 cases. No translated case disagrees. "calculate the priorities correctly even if PreScore is
// not called" has the same pod and nodes as "all nodes matches the preferred scheduling requirements of pod but with
// different priorities " (upstream checks its Score without PreScore; ours has no PreScore step): translated as such.
//
// Skipped, 2 cases (NodeAffinityArgs.AddedAffinity, a scheduler profile argument nodesizer does not read):
//  - "added affinity"
//  - "added affinity and pod has default affinity"
package io.nodesizer.engine.strategy;

import io.nodesizer.model.Placement;
import io.nodesizer.model.Placement.Requirement;
import io.nodesizer.model.Placement.Term;
import io.nodesizer.model.Placement.WeightedTerm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.nodesizer.engine.strategy.ScoreConformanceSupport.in;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translates kube-scheduler's {@code TestNodeAffinityPriority} into cases for {@link PreferenceScoring}'s
 * NodeAffinity plugin (the summed weights of the preferred terms a node meets). Upstream:
 * {@code pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go}
 * @ 022462ccaeb5664cfd0c860978624bb0619aaa01; see the top of the file for the cases skipped.
 */
final class ScoreConformanceNodeAffinityTest {
    private static final Map<String, String> LABEL1 = Map.of("foo", "bar");
    private static final Map<String, String> LABEL2 = Map.of("key", "value");
    private static final Map<String, String> LABEL3 = Map.of("az", "az1");
    private static final Map<String, String> LABEL4 = Map.of("abc", "az11", "def", "az22");
    private static final Map<String, String> LABEL5 = Map.of("foo", "bar", "key", "value", "az", "az1");

    /** Upstream's affinity1: foo In [bar], weight 2. */
    private static final List<WeightedTerm> AFFINITY1 = List.of(new WeightedTerm(2, term(in("foo", "bar"))));
    /** Upstream's affinity2: foo=bar weight 2; key=value weight 4; foo=bar and key=value and az=az1 weight 5. */
    private static final List<WeightedTerm> AFFINITY2 = List.of(
            new WeightedTerm(2, term(in("foo", "bar"))),
            new WeightedTerm(4, term(in("key", "value"))),
            new WeightedTerm(5, term(in("foo", "bar"), in("key", "value"), in("az", "az1"))));

    record N(String name, Map<String, String> labels, long expected) {
    }

    record Case(String name, List<WeightedTerm> preferred, List<N> nodes) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nodeAffinityPriority(Case c) {
        ScoreConformanceSupport.Scenario s = new ScoreConformanceSupport.Scenario();
        Placement pl = Placement.ANY.withPreferences(new Placement.Preferences(c.preferred(), List.of(), List.of(), false));
        int pod = s.group("pod", pl);
        for (N n : c.nodes()) {
            s.node(n.name(), n.labels(), List.of(), null);
        }
        long[] want = c.nodes().stream().mapToLong(N::expected).toArray();
        assertThat(s.score(PreferenceScoring.Plugin.NODE_AFFINITY, pod))
                .as("%s: upstream %s", c.name(), Arrays.toString(want))
                .containsExactly(want);
    }

    static Stream<Case> cases() {
        List<N> fiveOneTwo = List.of(new N("node1", LABEL1, 18), new N("node5", LABEL5, 100), new N("node2", LABEL2, 36));
        return Stream.of(
                new Case("all nodes are same priority as NodeAffinity is nil", List.of(),
                        List.of(new N("node1", LABEL1, 0), new N("node2", LABEL2, 0), new N("node3", LABEL3, 0))),
                new Case("no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero", AFFINITY1,
                        List.of(new N("node1", LABEL4, 0), new N("node2", LABEL2, 0), new N("node3", LABEL3, 0))),
                new Case("only node1 matches the preferred scheduling requirements of pod", AFFINITY1,
                        List.of(new N("node1", LABEL1, 100), new N("node2", LABEL2, 0), new N("node3", LABEL3, 0))),
                new Case("all nodes matches the preferred scheduling requirements of pod but with different priorities ", AFFINITY2,
                        fiveOneTwo),
                new Case("calculate the priorities correctly even if PreScore is not called", AFFINITY2, fiveOneTwo));
    }

    private static Term term(Requirement... expressions) {
        return new Term(List.of(expressions), List.of());
    }
}
