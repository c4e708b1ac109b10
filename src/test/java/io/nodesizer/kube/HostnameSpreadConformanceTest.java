// Conformance cases translated from kube-scheduler's PodTopologySpread Filter tests (github.com/kubernetes/kubernetes):
//   pkg/scheduler/framework/plugins/podtopologyspread/filtering_test.go, TestSingleConstraint and
//   TestMultipleConstraints @ e7827879dbc282e7f5103451dc63169e964b6bb7
// Upstream Filter status nil = admitted; Unschedulable / UnschedulableAndUnresolvable = rejected. Each upstream case
// gives one row per node, named "<upstream name> [<node>]". Topology key "node" (valued with the node name) is read as
// kubernetes.io/hostname; nodes keep upstream's labels too. Upstream namespace "" is "default" here.
// The other tables of the file (TestPreFilterState, ...AddPod, ...RemovePod) check PreFilter state, not Filter.
//
// Translated (9 of the 34 cases):
//  - "pods spread across nodes as 2/1/0/3, only node-x fits"
//  - "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit"
//  - "pods spread across nodes as 2/1/0/3, but pod doesn't match itself"
//  - "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits"
//  - "NodeTaintsPolicy ignored"
//  - "NodeAffinityPolicy honored with labelSelectors" and "NodeAffinityPolicy honored with nodeAffinity": these disagreed
//    at first (the filter counted the pods of a node the pod's affinity excludes); it now counts pods only on eligible
//    nodes, node j's own too, as upstream's PreFilter does, and they agree.
//  - "pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits"
//    and "... > minDomains, then the all nodes fit" (node-0 excluded by NotIn affinity: a 3-node cluster; minDomains 4 and
//    2; rows for node-1..node-3, the nodes upstream names as candidates)
//
// Skipped, TestSingleConstraint:
//  - "no existing pods": topologyKey zone
//  - "no existing pods, incoming pod doesn't match itself": zone
//  - "existing pods in a different namespace do not count": zone
//  - "existing pods do not match null selector": zone (and a null label selector)
//  - "pods spread across zones as 3/3, all nodes fit": zone
//  - "pods spread across zones as 1/2 due to absence of label 'zone' on node-b": zone
//  - "pod cannot be scheduled as all nodes don't have label 'rack'": topologyKey rack, which no node has (every node has a hostname)
//  - "terminating Pods should be excluded": needs a pod being deleted, which this table's rows cannot say; checked in
//    PodTopologyRulesTest.podsBeingDeletedDoNotCountForTheSpread (pods being deleted do not count, as upstream)
//  - "incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits": zone
//  - "pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, then the third and fourth nodes fit":
//    zone, minDomains
//  - "pods spread across zone as 2/1, maxSkew is 2 and the number of domains > minDomains, then the all nodes fit": zone, minDomains
//  - "NodeAffinityPolicy ignored with labelSelectors" (both cases of that name: nodeSelector, and nodeAffinity):
//    nodeAffinityPolicy Ignore
//  - "NodeTaintsPolicy honored": nodeTaintsPolicy Honor
// Skipped, TestMultipleConstraints (every case pairs a zone constraint with the node one):
//  - "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]": zone
//  - "two Constraints on zone and node, spreads = [3/4, 2/1/0/4]": zone
//  - "Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]": zone
//  - "Constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]": zone
//  - "Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]": zone
//  - "Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint": zone
//  - "two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]": zone
//  - "two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore": zone, nodeAffinityPolicy Ignore
//  - "two node inclusion Constraints, zone: honor/honor, node: honor/ignore": zone, nodeTaintsPolicy Honor
//  - "two node inclusion Constraints, zone: honor/ignore, node: honor/ignore": zone
//  - "two node inclusion Constraints, zone: honor/honor, node: ignore/ignore": zone, nodeTaintsPolicy Honor, nodeAffinityPolicy Ignore
package io.nodesizer.kube;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Placement.Operator;
import io.nodesizer.model.Placement.PodAffinityTerm;
import io.nodesizer.model.Placement.Requirement;
import io.nodesizer.model.Placement.Spread;
import io.nodesizer.model.Placement.Taint;
import io.nodesizer.model.Placement.Term;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translates kube-scheduler's PodTopologySpread Filter test tables into cases for
 * {@link PodTopologyRules#admits}, with the upstream outcome for every node of each case
 * (Filter status nil = admitted; Unschedulable / UnschedulableAndUnresolvable = rejected).
 *
 * <p>Upstream: github.com/kubernetes/kubernetes,
 * {@code pkg/scheduler/framework/plugins/podtopologyspread/filtering_test.go}, {@code TestSingleConstraint}
 * and {@code TestMultipleConstraints} @ e7827879dbc282e7f5103451dc63169e964b6bb7. Upstream's topology key
 * {@code node} (each node labelled with its own name) is read as {@code kubernetes.io/hostname}; nodes keep
 * upstream's labels as well, so node affinity on {@code node} still applies. Upstream namespace "" is
 * "default" here. See the comment at the top of the file for the cases skipped and the ones that disagree.
 */
final class HostnameSpreadConformanceTest {

    private static final boolean FITS = true;
    private static final boolean NO_FIT = false;
    private static final String NS = "default";
    private static final Map<String, String> FOO = Map.of("foo", "");
    private static final Map<String, String> BAR = Map.of("bar", "");
    /** Upstream's {@code taints}: the unschedulable taint, NoSchedule. */
    private static final Taint UNSCHEDULABLE = new Taint("node.kubernetes.io/unschedulable", "", "NoSchedule");

    /**
     * One node of a case: its labels besides the hostname, its taints, the labels of the pods running on it
     * (all in the incoming pod's namespace), and whether upstream's Filter admits the incoming pod there.
     */
    record N(String name, Map<String, String> labels, List<Taint> taints, List<Map<String, String>> pods, boolean fits) {
    }

    record Case(String name, Placement incoming, List<N> nodes) {
    }

    /** One node of a case: a row of its own, named "upstream name [node]". */
    record Row(Case c, int node) {
        @Override
        public String toString() {
            return c.name() + " [" + c.nodes().get(node).name() + "]";
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleConstraintRows")
    void singleConstraint(Row r) {
        check(r);
    }

    /** Builds the cluster of the case, the eligible nodes as the caller computes them, and checks node {@code r.node()}. */
    private static void check(Row r) {
        Case c = r.c();
        List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        List<List<ClusterSnapshot.Pod>> onNode = new ArrayList<>();
        List<ClusterSnapshot.Pod> all = new ArrayList<>();
        for (N n : c.nodes()) {
            Map<String, String> labels = new HashMap<>(n.labels());
            labels.put(PodConflicts.HOSTNAME, n.name());
            nodes.add(new ClusterSnapshot.Node(n.name(), labels, Resources.ZERO, Resources.ZERO, false, new SourceRef("t", 1), n.taints()));
            List<ClusterSnapshot.Pod> here = new ArrayList<>();
            for (int i = 0; i < n.pods().size(); i++) {
                here.add(pod(n.name() + "-p" + i, n.name(), new Placement(Map.of(), null, List.of(), NS, n.pods().get(i), List.of(), List.of())));
            }
            onNode.add(here);
            all.addAll(here);
        }
        ClusterSnapshot.Pod incoming = pod("p", null, c.incoming());
        all.add(incoming);
        PodTopologyRules rules = new PodTopologyRules(all, nodes);
        assertThat(rules.active()).as("the incoming pod's hard hostname spread makes the rules active").isTrue();
        boolean[] open = new boolean[nodes.size()];
        Arrays.fill(open, true);
        boolean[] eligible = PodTopologyRules.eligible(incoming, nodes, open);
        boolean fits = c.nodes().get(r.node()).fits();
        assertThat(rules.admits(incoming, r.node(), onNode, eligible))
            .as("%s: upstream %s", r, fits ? "Success" : "Unschedulable")
            .isEqualTo(fits);
    }

    private static Stream<Row> rows(Case... cases) {
        return Stream.of(cases).flatMap(c -> IntStream.range(0, c.nodes().size()).mapToObj(i -> new Row(c, i)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("laterRows")
    void nodeAffinityPolicyAndMinDomains(Row r) {
        check(r);
    }

    static Stream<Row> laterRows() {
        // node-y lacks foo, so the pod's node selector (or affinity) excludes it: 1/1/0/~1~, minimum 0 over a, b and x.
        // Upstream's Filter on node-y counts nothing there (the NodeAffinity plugin, not run, would reject it).
        List<N> honored = List.of(
            new N("node-a", Map.of("node", "node-a", "foo", ""), List.of(), List.of(FOO), NO_FIT),
            new N("node-b", Map.of("node", "node-b", "foo", ""), List.of(), List.of(FOO), NO_FIT),
            new N("node-x", Map.of("node", "node-x", "foo", ""), List.of(), List.of(), FITS),
            new N("node-y", Map.of("node", "node-y"), List.of(), List.of(FOO), FITS));
        Case bySelector = new Case("NodeAffinityPolicy honored with labelSelectors",
            new Placement(FOO, null, List.of(), NS, FOO, List.of(), List.of(), List.of(spread(1, exists("foo")))), honored);
        Case byAffinity = new Case("NodeAffinityPolicy honored with nodeAffinity",
            new Placement(Map.of(), List.of(new Term(List.of(new Requirement("foo", Operator.IN, List.of(""))), List.of())), List.of(), NS, FOO,
                List.of(), List.of(), List.of(spread(1, exists("foo")))), honored);
        // node-0 is excluded by NotIn affinity (a 3-node cluster); 2/2/1 foo pods on node-1..node-3; maxSkew 2.
        Case fewerDomains = new Case("pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, "
            + "then the third node fits", notOnNode0(4), spread221(NO_FIT, NO_FIT, FITS));
        Case moreDomains = new Case("pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, "
            + "then the all nodes fit", notOnNode0(2), spread221(FITS, FITS, FITS));
        return Stream.concat(rows(bySelector, byAffinity),
            Stream.of(fewerDomains, moreDomains).flatMap(c -> IntStream.range(1, 4).mapToObj(i -> new Row(c, i))));
    }

    /** The incoming foo pod: node affinity NotIn [node-0], a DoNotSchedule hostname spread of maxSkew 2 with {@code minDomains}. */
    private static Placement notOnNode0(int minDomains) {
        Spread s = new Spread(2, true, new PodAffinityTerm(Map.of(), List.of(exists("foo")), List.of(), false, false, PodConflicts.HOSTNAME),
            minDomains);
        return new Placement(Map.of(), List.of(new Term(List.of(new Requirement("node", Operator.NOT_IN, List.of("node-0"))), List.of())),
            List.of(), NS, FOO, List.of(), List.of(), List.of(s));
    }

    private static List<N> spread221(boolean one, boolean two, boolean three) {
        return List.of(
            new N("node-0", Map.of("node", "node-0"), List.of(), List.of(), FITS), // no row: excluded by the affinity
            new N("node-1", Map.of("node", "node-1"), List.of(), List.of(FOO, FOO), one),
            new N("node-2", Map.of("node", "node-2"), List.of(), List.of(FOO, FOO), two),
            new N("node-3", Map.of("node", "node-3"), List.of(), List.of(FOO), three));
    }

    static Stream<Row> singleConstraintRows() {
        return rows(
            // spreads 2/1/0/3 on the four nodes: the minimum is node-x's 0
            new Case("pods spread across nodes as 2/1/0/3, only node-x fits",
                incoming(FOO, spread(1, exists("foo"))),
                spread2103(NO_FIT, NO_FIT, FITS, NO_FIT)),
            new Case("pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
                incoming(FOO, spread(2, exists("foo"))),
                spread2103(NO_FIT, FITS, FITS, NO_FIT)),
            // the incoming pod (label bar) is not selected by its own constraint: it adds 0, not 1
            new Case("pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
                incoming(BAR, spread(1, exists("foo"))),
                spread2103(NO_FIT, FITS, FITS, NO_FIT)),
            // only node-a and node-y admit the node affinity, so the minimum is node-a's 2. Upstream's Filter does not
            // check the affinity of the node itself (the NodeAffinity plugin does), nor does admits: node-b and node-x fit.
            new Case("incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
                new Placement(Map.of(), List.of(new Term(List.of(new Requirement("node", Operator.IN, List.of("node-a", "node-y"))), List.of())),
                    List.of(), NS, FOO, List.of(), List.of(), List.of(spread(1, exists("foo")))),
                spread2103(FITS, FITS, FITS, NO_FIT)),
            // default nodeTaintsPolicy Ignore: the tainted node-y still counts as a domain (1/1/0/1, minimum 0)
            new Case("NodeTaintsPolicy ignored",
                incoming(FOO, spread(1, exists("foo"))),
                List.of(
                    new N("node-a", Map.of("node", "node-a", "foo", ""), List.of(), List.of(FOO), NO_FIT),
                    new N("node-b", Map.of("node", "node-b", "foo", ""), List.of(), List.of(FOO), NO_FIT),
                    new N("node-x", Map.of("node", "node-x", "foo", ""), List.of(), List.of(), FITS),
                    new N("node-y", Map.of("node", "node-y"), List.of(UNSCHEDULABLE), List.of(FOO), NO_FIT))));
    }

    /**
     * Upstream's usual four nodes (node-a, node-b in zone1; node-x, node-y in zone2) with two, one, none and three
     * pods labelled foo, and the expected outcome on each.
     */
    private static List<N> spread2103(boolean a, boolean b, boolean x, boolean y) {
        return List.of(
            new N("node-a", Map.of("zone", "zone1", "node", "node-a"), List.of(), List.of(FOO, FOO), a),
            new N("node-b", Map.of("zone", "zone1", "node", "node-b"), List.of(), List.of(FOO), b),
            new N("node-x", Map.of("zone", "zone2", "node", "node-x"), List.of(), List.of(), x),
            new N("node-y", Map.of("zone", "zone2", "node", "node-y"), List.of(), List.of(FOO, FOO, FOO), y));
    }

    private static Placement incoming(Map<String, String> labels, Spread... spread) {
        return new Placement(Map.of(), null, List.of(), NS, labels, List.of(), List.of(), List.of(spread));
    }

    /** A DoNotSchedule constraint on the hostname. */
    private static Spread spread(int maxSkew, Requirement... selector) {
        return new Spread(maxSkew, true, new PodAffinityTerm(Map.of(), List.of(selector), List.of(), false, false, PodConflicts.HOSTNAME));
    }

    /** Upstream's {@code fooSelector} / {@code barSelector}: matchExpressions key Exists. */
    private static Requirement exists(String key) {
        return new Requirement(key, Operator.EXISTS, List.of());
    }

    private static ClusterSnapshot.Pod pod(String name, String nodeName, Placement placement) {
        return new ClusterSnapshot.Pod(NS, name, Resources.ZERO, nodeName, "Running", "ReplicaSet", "rs", new SourceRef("t", 1),
            null, null, placement);
    }
}
