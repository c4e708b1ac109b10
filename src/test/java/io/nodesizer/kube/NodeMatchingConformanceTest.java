// Conformance cases translated from kube-scheduler's filter-plugin tests (github.com/kubernetes/kubernetes):
//  - pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go, TestNodeAffinity
//      @ 17bae91f207a5f2b101e581c90f7a72fc9adef96 (the table is identical @ 022462ccaeb5664cfd0c860978624bb0619aaa01)
//  - pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go, TestTaintTolerationFilter
//      and the gate-disabled rows of TestTaintTolerationFilterWithFeatureGate
//      @ 04c0d74f8e8bf18e93a9d8d082b218d3eb4c6395 (the first nine rows are identical @ cb6ff2d8ce3595f88570f82c7d0e6d98910afd3c)
//  - staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity_test.go,
//      TestNodeSelectorMatch and TestPodMatchesNodeSelectorAndAffinityTerms (rows not already in TestNodeAffinity)
//      @ 04791b4906602ffda5ccf9bc4c84d3329f1d7080
// Upstream wantStatus nil = fits; UnschedulableAndUnresolvable = does not fit. Case names are the upstream names.
package io.nodesizer.kube;

import io.nodesizer.model.Placement;
import io.nodesizer.model.Placement.Requirement;
import io.nodesizer.model.Placement.Taint;
import io.nodesizer.model.Placement.Term;
import io.nodesizer.model.Placement.Toleration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translates the kube-scheduler NodeAffinity and TaintToleration Filter test tables (and the
 * component-helpers node selector tables) into cases for {@link NodeMatching#whyNot}, with the
 * upstream fit / no-fit outcome. See the comment at the top of the file for files and commits.
 */
public final class NodeMatchingConformanceTest {

    private static final boolean FITS = true;
    private static final boolean NO_FIT = false;

    public record Case(String name, Placement pod, Map<String, String> labels, List<Taint> taints, String nodeName, boolean fits) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeAffinityCases")
    void nodeAffinity(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("taintCases")
    void taintToleration(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeSelectorHelperCases")
    void nodeSelectorHelpers(Case c) {
        check(c);
    }

    /** QA 61a F10: a matchFields term is on the node's fields, not its labels, and the reason says so. */
    @Test
    void theReasonSaysWhetherATermIsOnLabelsOrFields() {
        Map<String, String> labels = Map.of("foo", "bar");
        assertThat(NodeMatching.whyNot(affinity(fields(req("metadata.name", "In", "n1"))), labels, List.of(), "n2", Set.of()))
                .isEqualTo("its required node affinity is not met by the node's fields (metadata.name In [n1]; the node has metadata.name=n2)");
        assertThat(NodeMatching.whyNot(affinity(exprs(req("foo", "In", "baz"))), labels, List.of(), "n2", Set.of()))
                .isEqualTo("its required node affinity is not met by the node's labels (foo In [baz]; the node has foo=bar)");
        assertThat(NodeMatching.whyNot(affinity(fields(req("metadata.name", "In", "n1")), exprs(req("foo", "In", "baz"))), labels, List.of(),
                "n2", Set.of())).startsWith("its required node affinity is not met by the node's labels and fields (");
        // QA 68b F7: the node's own values of the keys named, where one expression of two fails
        assertThat(NodeMatching.whyNot(affinity(exprs(req("foo", "In", "bar"), req("gen", "Gt", "20"))), Map.of("foo", "bar", "gen", "18"),
                List.of(), "n2", Set.of())).isEqualTo("its required node affinity is not met by the node's labels (foo In [bar] and gen Gt [20]; "
                + "the node has foo=bar, gen=18)");
    }

    private static void check(Case c) {
        String why = NodeMatching.whyNot(c.pod(), c.labels(), c.taints(), c.nodeName(), Set.of());
        if (c.fits()) {
            assertThat(why).as("%s: upstream fits, ours does not", c.name()).isNull();
        } else {
            assertThat(why).as("%s: upstream does not fit, ours fits", c.name()).isNotNull();
        }
    }

    /**
     * TestNodeAffinity. Skipped, as they depend on the plugin's NodeAffinityArgs.AddedAffinity, which we do not model:
     * "Matches added affinity and Pod's node affinity", "Matches added affinity but not Pod's node affinity",
     * "Doesn't match added affinity". The PreFilter expectations (wantPreFilterStatus / wantPreFilterResult) are not
     * translated: only the Filter outcome is, so the two "... even if PreFilter is not called" rows are plain cases here.
     * Preferred terms are only scored (TestNodeAffinityPriority) and are not translated. Upstream nodeName defaults to "".
     */
    public static Stream<Case> nodeAffinityCases() {
        return Stream.of(
            aff("missing labels", selector(Map.of("foo", "bar")), Map.of(), "", NO_FIT),
            aff("same labels", selector(Map.of("foo", "bar")), Map.of("foo", "bar"), "", FITS),
            aff("node labels are superset", selector(Map.of("foo", "bar")), Map.of("foo", "bar", "baz", "blah"), "", FITS),
            aff("node labels are subset", selector(Map.of("foo", "bar", "baz", "blah")), Map.of("foo", "bar"), "", NO_FIT),
            aff("Pod with matchExpressions using In operator that matches the existing node",
                affinity(exprs(req("foo", "In", "bar", "value2"))), Map.of("foo", "bar"), "", FITS),
            aff("Pod with matchExpressions using Gt operator that matches the existing node",
                affinity(exprs(req("kernel-version", "Gt", "0204"))), Map.of("kernel-version", "0206"), "", FITS),
            aff("Pod with matchExpressions using NotIn operator that matches the existing node",
                affinity(exprs(req("mem-type", "NotIn", "DDR", "DDR2"))), Map.of("mem-type", "DDR3"), "", FITS),
            aff("Pod with matchExpressions using Exists operator that matches the existing node",
                affinity(exprs(req("GPU", "Exists"))), Map.of("GPU", "NVIDIA-GRID-K1"), "", FITS),
            aff("Pod with affinity that don't match node's labels won't schedule onto the node",
                affinity(exprs(req("foo", "In", "value1", "value2"))), Map.of("foo", "bar"), "", NO_FIT),
            aff("Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node",
                affinity(exprs()), Map.of("foo", "bar"), "", NO_FIT),
            aff("Pod with no Affinity will schedule onto a node", Placement.ANY, Map.of("foo", "bar"), "", FITS),
            // Affinity{NodeAffinity{Required: nil}}: no required affinity, i.e. requiredTerms == null
            aff("Pod with Affinity but nil NodeSelector will schedule onto a node",
                new Placement(Map.of(), null, List.of()), Map.of("foo", "bar"), "", FITS),
            aff("Pod with multiple matchExpressions ANDed that matches the existing node",
                affinity(exprs(req("GPU", "Exists"), req("GPU", "NotIn", "AMD", "INTER"))), Map.of("GPU", "NVIDIA-GRID-K1"), "", FITS),
            aff("Pod with multiple matchExpressions ANDed that doesn't match the existing node",
                affinity(exprs(req("GPU", "Exists"), req("GPU", "In", "AMD", "INTER"))), Map.of("GPU", "NVIDIA-GRID-K1"), "", NO_FIT),
            aff("Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
                affinity(exprs(req("foo", "In", "bar", "value2")), exprs(req("diffkey", "In", "wrong", "value2"))),
                Map.of("foo", "bar"), "", FITS),
            aff("Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) "
                    + "both are satisfied, will schedule onto the node",
                new Placement(Map.of("foo", "bar"), List.of(exprs(req("foo", "Exists"))), List.of()), Map.of("foo", "bar"), "", FITS),
            aff("Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) "
                    + "is not satisfied, won't schedule onto the node",
                new Placement(Map.of("foo", "bar"), List.of(exprs(req("foo", "Exists"))), List.of()), Map.of("foo", "barrrrrr"), "",
                NO_FIT),
            // Upstream: labels.NewRequirement rejects the value (not a valid label value), so the term has a parse
            // error and matches nothing (LazyErrorNodeSelector).
            aff("Pod with an invalid value in Affinity term won't be scheduled onto the node",
                affinity(exprs(req("foo", "NotIn", "invalid value: ___@#$%^"))), Map.of("foo", "bar"), "", NO_FIT),
            aff("Pod with matchFields using In operator that matches the existing node",
                affinity(fields(req("metadata.name", "In", "node1"))), Map.of(), "node1", FITS),
            aff("Pod with matchFields using In operator that does not match the existing node",
                affinity(fields(req("metadata.name", "In", "node1"))), Map.of(), "node2", NO_FIT),
            aff("Pod with two terms: matchFields does not match, but matchExpressions matches",
                affinity(fields(req("metadata.name", "In", "node1"), req("metadata.name", "In", "node2")),
                    exprs(req("foo", "In", "bar"))),
                Map.of("foo", "bar"), "node2", FITS),
            aff("Pod with one term: matchFields does not match, but matchExpressions matches",
                affinity(term(List.of(req("foo", "In", "bar")), List.of(req("metadata.name", "In", "node1")))),
                Map.of("foo", "bar"), "node2", NO_FIT),
            aff("Pod with one term: both matchFields and matchExpressions match",
                affinity(term(List.of(req("foo", "In", "bar")), List.of(req("metadata.name", "In", "node1")))),
                Map.of("foo", "bar"), "node1", FITS),
            aff("Pod with two terms: both matchFields and matchExpressions do not match",
                affinity(fields(req("metadata.name", "In", "node1")), exprs(req("foo", "In", "not-match-to-bar"))),
                Map.of("foo", "bar"), "node2", NO_FIT),
            aff("Pod with two terms of node.Name affinity",
                affinity(fields(req("metadata.name", "In", "node1")), fields(req("metadata.name", "In", "node2"))),
                Map.of(), "node2", FITS),
            aff("Pod with two conflicting mach field requirements",
                affinity(fields(req("metadata.name", "In", "node1"), req("metadata.name", "In", "node2"))),
                Map.of("foo", "bar"), "node2", NO_FIT),
            aff("Matches node selector correctly even if PreFilter is not called",
                selector(Map.of("foo", "bar")), Map.of("foo", "bar", "baz", "blah"), "", FITS),
            aff("Matches node affinity correctly even if PreFilter is not called",
                affinity(exprs(req("GPU", "Exists"), req("GPU", "NotIn", "AMD", "INTER"))), Map.of("GPU", "NVIDIA-GRID-K1"), "", FITS));
    }

    /**
     * TestTaintTolerationFilter (node "nodeA"). Skipped: the five rows with enableTaintTolerationComparisonOps: true
     * (Gt / Lt toleration operators, behind the alpha TaintTolerationComparisonOperators gate, off by default, which
     * we do not implement): "Pod with Gt toleration cannot be scheduled on node when taint value is lower than
     * threshold", "Pod with Gt toleration can be scheduled on node when taint value is higher than threshold", "Pod
     * with Lt toleration cannot be scheduled on node when taint value is higher than threshold", "Pod with Lt
     * toleration can be scheduled on node when taint value is lower than threshold", "Pod with Gt toleration cannot be
     * scheduled on node with non-numeric taint value". Added: the gate-disabled rows of
     * TestTaintTolerationFilterWithFeatureGate, which are the default behaviour (a Gt / Lt toleration tolerates nothing).
     */
    public static Stream<Case> taintCases() {
        return Stream.of(
            tnt("A pod having no tolerations can't be scheduled onto a node with nonempty taints",
                List.of(), List.of(taint("dedicated", "user1", "NoSchedule")), NO_FIT),
            tnt("A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule",
                List.of(tol("dedicated", "", "user1", "NoSchedule")), List.of(taint("dedicated", "user1", "NoSchedule")), FITS),
            tnt("A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
                List.of(tol("dedicated", "Equal", "user2", "NoSchedule")), List.of(taint("dedicated", "user1", "NoSchedule")), NO_FIT),
            tnt("A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node",
                List.of(tol("foo", "Exists", "", "NoSchedule")), List.of(taint("foo", "bar", "NoSchedule")), FITS),
            tnt("A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node",
                List.of(tol("dedicated", "Equal", "user2", "NoSchedule"), tol("foo", "Exists", "", "NoSchedule")),
                List.of(taint("dedicated", "user2", "NoSchedule"), taint("foo", "bar", "NoSchedule")), FITS),
            tnt("A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, "
                    + "can't be scheduled onto the node",
                List.of(tol("foo", "Equal", "bar", "PreferNoSchedule")), List.of(taint("foo", "bar", "NoSchedule")), NO_FIT),
            tnt("The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, "
                    + "and the effect of taint is NoSchedule. Pod can be scheduled onto the node",
                List.of(tol("foo", "Equal", "bar", "")), List.of(taint("foo", "bar", "NoSchedule")), FITS),
            tnt("The pod has a toleration that key and value don't match the taint on the node, "
                    + "but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
                List.of(tol("dedicated", "Equal", "user2", "NoSchedule")), List.of(taint("dedicated", "user1", "PreferNoSchedule")), FITS),
            tnt("The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
                List.of(), List.of(taint("dedicated", "user1", "PreferNoSchedule")), FITS),
            // TestTaintTolerationFilterWithFeatureGate, enableTaintTolerationComparisonOps: false
            tnt("Pod with Gt toleration cannot be scheduled when feature gate is disabled",
                List.of(tol("node.kubernetes.io/sla", "Gt", "750", "NoSchedule")),
                List.of(taint("node.kubernetes.io/sla", "950", "NoSchedule")), NO_FIT),
            tnt("Pod with Lt toleration cannot be scheduled when feature gate is disabled",
                List.of(tol("node.kubernetes.io/sla", "Lt", "950", "NoSchedule")),
                List.of(taint("node.kubernetes.io/sla", "800", "NoSchedule")), NO_FIT),
            tnt("Pod with mixed tolerations (Equal and Gt) when feature gate is disabled - only Equal is honored",
                List.of(tol("dedicated", "Equal", "user1", "NoSchedule"), tol("node.kubernetes.io/sla", "Gt", "750", "NoSchedule")),
                List.of(taint("dedicated", "user1", "NoSchedule")), FITS),
            tnt("Pod with mixed tolerations, Gt toleration needed but filtered out when feature gate is disabled",
                List.of(tol("dedicated", "Equal", "user1", "NoSchedule"), tol("node.kubernetes.io/sla", "Gt", "750", "NoSchedule")),
                List.of(taint("dedicated", "user1", "NoSchedule"), taint("node.kubernetes.io/sla", "950", "NoSchedule")), NO_FIT));
    }

    /**
     * component-helpers nodeaffinity_test.go rows with a match outcome that TestNodeAffinity does not already have
     * (the rest of TestPodMatchesNodeSelectorAndAffinityTerms repeats it). Skipped: TestNodeSelectorMatch "nil node"
     * (no node) and "invalid field selector and label selector" (asserts NewNodeSelector's parse error, no match
     * outcome); TestNodeSelectorRequirementsAsSelector (Gt / Lt / Exists parsing only, no node to match).
     */
    public static Stream<Case> nodeSelectorHelperCases() {
        return Stream.of(
            // TestNodeSelectorMatch: the pod has only this required node affinity
            aff("TestNodeSelectorMatch: node matches field selector, but not labels",
                affinity(term(List.of(req("label_1", "In", "label_1_val")), List.of(req("metadata.name", "In", "host_1")))),
                Map.of(), "host_1", NO_FIT),
            aff("TestNodeSelectorMatch: node matches field selector and label selector",
                affinity(term(List.of(req("label_1", "In", "label_1_val")), List.of(req("metadata.name", "In", "host_1")))),
                Map.of("label_1", "label_1_val"), "host_1", FITS),
            aff("TestNodeSelectorMatch: second term matches",
                affinity(exprs(req("label_1", "In", "label_1_val")), fields(req("metadata.name", "In", "host_1"))),
                Map.of(), "host_1", FITS),
            // TestPodMatchesNodeSelectorAndAffinityTerms
            aff("TestPodMatchesNodeSelectorAndAffinityTerms: no selector", Placement.ANY, Map.of(), "", FITS),
            aff("TestPodMatchesNodeSelectorAndAffinityTerms: Pod with a nil []NodeSelectorTerm in affinity, "
                    + "can't match the node's labels and won't schedule onto the node",
                affinity(), Map.of("foo", "bar"), "", NO_FIT),
            aff("TestPodMatchesNodeSelectorAndAffinityTerms: Pod with an empty []NodeSelectorTerm in affinity, "
                    + "can't match the node's labels and won't schedule onto the node",
                affinity(), Map.of("foo", "bar"), "", NO_FIT));
    }

    // ---- builders, named after the upstream fields ----

    private static Case aff(String name, Placement pod, Map<String, String> labels, String nodeName, boolean fits) {
        return new Case(name, pod, labels, List.of(), nodeName, fits);
    }

    private static Case tnt(String name, List<Toleration> tolerations, List<Taint> taints, boolean fits) {
        return new Case(name, new Placement(Map.of(), null, tolerations), Map.of(), taints, "nodeA", fits);
    }

    private static Placement selector(Map<String, String> nodeSelector) {
        return new Placement(nodeSelector, null, List.of());
    }

    /** requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms; no terms = a non-nil selector with none. */
    private static Placement affinity(Term... terms) {
        return new Placement(Map.of(), List.of(terms), List.of());
    }

    private static Term term(List<Requirement> matchExpressions, List<Requirement> matchFields) {
        return new Term(matchExpressions, matchFields);
    }

    private static Term exprs(Requirement... matchExpressions) {
        return new Term(List.of(matchExpressions), List.of());
    }

    private static Term fields(Requirement... matchFields) {
        return new Term(List.of(), List.of(matchFields));
    }

    private static Requirement req(String key, String operator, String... values) {
        return new Requirement(key, Placement.Operator.of(operator), List.of(values));
    }

    private static Toleration tol(String key, String operator, String value, String effect) {
        return new Toleration(key, operator, value, effect);
    }

    private static Taint taint(String key, String value, String effect) {
        return new Taint(key, value, effect);
    }
}
