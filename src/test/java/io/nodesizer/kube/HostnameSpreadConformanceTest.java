// Conformance cases translated from kube-scheduler's PodTopologySpread Filter tests (github.com/kubernetes/kubernetes):
//   pkg/scheduler/framework/plugins/podtopologyspread/filtering_test.go, TestSingleConstraint and
//   TestMultipleConstraints @ e7827879dbc282e7f5103451dc63169e964b6bb7
// The class keeps its name (README refers to it) though it now covers zone keys and any other key too.
// Upstream Filter status nil/Success = admitted; Unschedulable / UnschedulableAndUnresolvable = rejected. Each upstream
// case gives one row per node, named "<upstream name> [<node>]". Upstream's topology key "node" (valued with the node's
// name) is read as kubernetes.io/hostname, except in the one case where a node lacks that label (see below); upstream's
// "zone" label stays a plain node label "zone", used as the topology key "zone". Every node also keeps upstream's labels,
// and gets kubernetes.io/hostname = its name. Upstream namespace "" is "default" here.
// The other tables of the file (TestPreFilterState, ...AddPod, ...RemovePod) check PreFilter state, not Filter.
//
// Translated: all 34 cases (23 in TestSingleConstraint, 11 in TestMultipleConstraints). None disagrees.
// Node inclusion policies: upstream's SpreadConstraint(..., minDomains, nodeAffinityPolicy, nodeTaintsPolicy, ...)
// pointers are the two booleans of spread(maxSkew, key, HONOR|IGNORE, HONOR|IGNORE, selector), in that order; a nil
// pointer is the default (affinity Honor, taints Ignore). Upstream's Filter never asks whether node j itself passes the
// policies (NodeAffinity / TaintToleration would refuse it, and are not run), nor does admits: a node that a constraint
// leaves out counts 0 pods there.
// TestSingleConstraint:
//  - "no existing pods", "no existing pods, incoming pod doesn't match itself" (zone)
//  - "existing pods in a different namespace do not count" (zone; pods in ns1 / ns2)
//  - "existing pods do not match null selector" (zone): a null labelSelector selects nothing upstream; written as the
//    selector PodPlacement resolves it to (In on key "" with no values), which matches no pod
//  - "pods spread across zones as 3/3, all nodes fit" (zone)
//  - "pods spread across zones as 1/2 due to absence of label 'zone' on node-b" (zone; node-b is labelled "zon")
//  - "pod cannot be scheduled as all nodes don't have label 'rack'" (topologyKey rack, on no node)
//  - "pods spread across nodes as 2/1/0/3, only node-x fits"
//  - "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit"
//  - "pods spread across nodes as 2/1/0/3, but pod doesn't match itself"
//  - "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits"
//  - "terminating Pods should be excluded" (a pod being deleted: ClusterSnapshot.Pod terminating = true)
//  - "incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits" (zone)
//  - "pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits"
//    and "... > minDomains, then the all nodes fit" (node-a, node-b, node-c; minDomains 4 and 2)
//  - "pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, then the third and fourth nodes
//    fit" and "... > minDomains, then the all nodes fit" (zone; minDomains 3 and 1)
//  - "NodeAffinityPolicy honored with labelSelectors" and "NodeAffinityPolicy honored with nodeAffinity": these disagreed
//    at first (the filter counted the pods of a node the pod's affinity excludes); it now counts pods only on eligible
//    nodes, node j's own too, as upstream's PreFilter does, and they agree.
//  - "NodeAffinityPolicy ignored with labelSelectors": upstream has two cases of that name (the pod's nodeSelector foo,
//    then its required nodeAffinity foo In [""]), both nodeAffinityPolicy Ignore: translated as "... (nodeSelector)" and
//    "... (nodeAffinity)". node-y, without foo, counts: 1/1/0/1; rows a no, b no, x fits, y no.
//  - "NodeTaintsPolicy honored" (nodeTaintsPolicy Honor): node-y's unschedulable taint leaves it out, 1/1/0/~1~; rows
//    a no, b no, x fits, y fits (counts 0 there).
//  - "NodeTaintsPolicy ignored"
// TestMultipleConstraints (a zone constraint with a node one):
//  - "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]", "... [3/4, 2/1/0/4]"
//  - "Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]", "... [1/0, 0/0/1/1]", "... [2/3, 1/0/0/1]"
//  - "Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint"
//  - "two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]": here the node
//    constraint uses the plain label "node" as its key, since a node without kubernetes.io/hostname is its own domain by
//    name in our model (real nodes always carry it), while upstream's node-x has no "node" label and is refused
//  - "two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore" (nodeSelector foo, which node-y lacks;
//    the node constraint nodeAffinityPolicy Ignore): zone 2/0, node 1/1/0/1; rows a no, b no, x fits, y no
//  - "two node inclusion Constraints, zone: honor/honor, node: honor/ignore" (node-y tainted, without foo; the zone
//    constraint nodeTaintsPolicy Honor): zone 2/0, node 1/1/0/1; rows a no, b no, x fits, y no
//  - "two node inclusion Constraints, zone: honor/ignore, node: honor/ignore" (the default policies: nodeSelector foo
//    honoured, node-y's taint ignored); rows a no, b fits, x fits, y no
//  - "two node inclusion Constraints, zone: honor/honor, node: ignore/ignore" (nodeSelector foo, which node-b lacks;
//    node-y tainted; the zone constraint honours both, the node one ignores both): zone 1/0, node 1/1/0/1; rows a no,
//    b no, x fits, y no
// The six cases with nodeAffinityPolicy Ignore or nodeTaintsPolicy Honor were skipped until the policies were modelled
// (2f38a7e); translated afterwards, they agreed with PodTopologyRules as it was, which is unchanged.
// (No case of these tables uses matchLabelKeys.)
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
 * {@code node} (each node labelled with its own name) is read as {@code kubernetes.io/hostname}; its
 * {@code zone} label stays a plain label used as the key {@code zone}. Nodes keep upstream's labels as well,
 * so node affinity on {@code node} still applies. Upstream namespace "" is "default" here. See the comment at
 * the top of the file for the cases translated.
 */
public final class HostnameSpreadConformanceTest {

    private static final boolean FITS = true;
    private static final boolean NO_FIT = false;
    /** A node inclusion policy: Honor (true) or Ignore (false). */
    private static final boolean HONOR = true;
    private static final boolean IGNORE = false;
    private static final String NS = "default";
    private static final String HOST = PodConflicts.HOSTNAME;
    private static final String ZONE = "zone";
    private static final Map<String, String> FOO = Map.of("foo", "");
    private static final Map<String, String> BAR = Map.of("bar", "");
    private static final Map<String, String> FOO_BAR = Map.of("foo", "", "bar", "");
    /** Upstream's {@code taints}: the unschedulable taint, NoSchedule. */
    private static final List<Taint> UNSCHEDULABLE = List.of(new Taint("node.kubernetes.io/unschedulable", "", "NoSchedule"));
    /** A null labelSelector as PodPlacement resolves it: a requirement no pod meets (In with no values). */
    private static final Requirement NOTHING = new Requirement("", Operator.IN, List.of());

    /** An existing pod: its labels, its namespace, and whether it is being deleted. */
    public record P(Map<String, String> labels, String namespace, boolean terminating) {
    }

    /**
     * One node of a case: its labels besides the hostname, its taints, the pods running on it, and whether
     * upstream's Filter admits the incoming pod there (null: no row, the node is not among upstream's).
     */
    public record N(String name, Map<String, String> labels, List<Taint> taints, List<P> pods, Boolean fits) {
    }

    public record Case(String name, Placement incoming, List<N> nodes) {
    }

    /** One node of a case: a row of its own, named "upstream name [node]". */
    public record Row(Case c, int node) {
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("multipleConstraintsRows")
    void multipleConstraints(Row r) {
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
            labels.put(HOST, n.name());
            nodes.add(new ClusterSnapshot.Node(n.name(), labels, Resources.ZERO, Resources.ZERO, false, new SourceRef("t", 1), n.taints()));
            List<ClusterSnapshot.Pod> here = new ArrayList<>();
            for (int i = 0; i < n.pods().size(); i++) {
                P p = n.pods().get(i);
                Placement pl = new Placement(Map.of(), null, List.of(), p.namespace(), p.labels(), List.of(), List.of());
                here.add(new ClusterSnapshot.Pod(p.namespace(), n.name() + "-p" + i, Resources.ZERO, n.name(), "Running", "ReplicaSet", "rs",
                    new SourceRef("t", 1), null, null, pl, null, p.terminating()));
            }
            onNode.add(here);
            all.addAll(here);
        }
        ClusterSnapshot.Pod incoming = new ClusterSnapshot.Pod(NS, "p", Resources.ZERO, null, "Pending", "ReplicaSet", "rs",
            new SourceRef("t", 1), null, null, c.incoming());
        all.add(incoming);
        PodTopologyRules rules = new PodTopologyRules(all, nodes);
        assertThat(rules.active()).as("the incoming pod's hard spread makes the rules active").isTrue();
        boolean[] open = new boolean[nodes.size()];
        Arrays.fill(open, true);
        boolean[] eligible = open;
        boolean fits = c.nodes().get(r.node()).fits();
        assertThat(rules.admits(incoming, r.node(), onNode, eligible))
            .as("%s: upstream %s", r, fits ? "Success" : "Unschedulable")
            .isEqualTo(fits);
    }

    /** A row for every node of the cases that upstream checks (fits not null). */
    private static Stream<Row> rows(Case... cases) {
        return Stream.of(cases).flatMap(c -> IntStream.range(0, c.nodes().size())
            .filter(i -> c.nodes().get(i).fits() != null)
            .mapToObj(i -> new Row(c, i)));
    }

    public static Stream<Row> singleConstraintRows() {
        return rows(
            new Case("no existing pods",
                incoming(FOO, spread(1, ZONE, exists("foo"))),
                abxy(List.of(), List.of(), List.of(), List.of(), FITS, FITS, FITS, FITS)),
            new Case("no existing pods, incoming pod doesn't match itself",
                incoming(FOO, spread(1, ZONE, exists("bar"))),
                abxy(List.of(), List.of(), List.of(), List.of(), FITS, FITS, FITS, FITS)),
            // node-a's two foo pods are in ns1 and ns2: zone1 counts 0, zone2 2
            new Case("existing pods in a different namespace do not count",
                incoming(FOO, spread(1, ZONE, exists("foo"))),
                abxy(List.of(new P(FOO, "ns1", false), new P(FOO, "ns2", false)), List.of(), foo(1), foo(1), FITS, FITS, NO_FIT, NO_FIT)),
            // the null selector selects no pod, the incoming one included: 0/0 everywhere
            new Case("existing pods do not match null selector",
                incoming(FOO, spread(1, ZONE, NOTHING)),
                abxy(List.of(), List.of(), foo(1), foo(1), FITS, FITS, FITS, FITS)),
            new Case("pods spread across zones as 3/3, all nodes fit",
                incoming(FOO, spread(1, ZONE, exists("foo"))),
                abxy(foo(2), foo(1), List.of(), foo(3), FITS, FITS, FITS, FITS)),
            // node-b is labelled "zon": refused, and its pod counts nowhere (zone1 1, zone2 2)
            new Case("pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
                incoming(FOO, spread(1, ZONE, exists("foo"))),
                List.of(
                    new N("node-a", Map.of("zone", "zone1", "node", "node-a"), List.of(), foo(1), FITS),
                    new N("node-b", Map.of("zon", "zone1", "node", "node-b"), List.of(), foo(1), NO_FIT),
                    new N("node-x", Map.of("zone", "zone2", "node", "node-x"), List.of(), foo(1), NO_FIT),
                    new N("node-y", Map.of("zone", "zone2", "node", "node-y"), List.of(), foo(1), NO_FIT))),
            new Case("pod cannot be scheduled as all nodes don't have label 'rack'",
                incoming(FOO, spread(1, "rack", exists("foo"))),
                List.of(
                    new N("node-a", Map.of("zone", "zone1", "node", "node-a"), List.of(), List.of(), NO_FIT),
                    new N("node-x", Map.of("zone", "zone2", "node", "node-x"), List.of(), List.of(), NO_FIT))),
            // spreads 2/1/0/3 on the four nodes: the minimum is node-x's 0
            new Case("pods spread across nodes as 2/1/0/3, only node-x fits",
                incoming(FOO, spread(1, HOST, exists("foo"))),
                spread2103(NO_FIT, NO_FIT, FITS, NO_FIT)),
            new Case("pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
                incoming(FOO, spread(2, HOST, exists("foo"))),
                spread2103(NO_FIT, FITS, FITS, NO_FIT)),
            // the incoming pod (label bar) is not selected by its own constraint: it adds 0, not 1
            new Case("pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
                incoming(BAR, spread(1, HOST, exists("foo"))),
                spread2103(NO_FIT, FITS, FITS, NO_FIT)),
            // only node-a and node-y admit the node affinity, so the minimum is node-a's 2. Upstream's Filter does not
            // check the affinity of the node itself (the NodeAffinity plugin does), nor does admits: node-b and node-x fit.
            new Case("incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
                affine(FOO, nodeIn("node", "node-a", "node-y"), spread(1, HOST, exists("foo"))),
                spread2103(FITS, FITS, FITS, NO_FIT)),
            // node-a's only foo pod is being deleted: 0/1, so node-a fits (0 + 1 - 0) and node-b does not (1 + 1 - 0)
            new Case("terminating Pods should be excluded",
                incoming(FOO, spread(1, HOST, exists("foo"))),
                List.of(
                    new N("node-a", Map.of("node", "node-a"), List.of(), List.of(new P(FOO, NS, true)), FITS),
                    new N("node-b", Map.of("node", "node-b"), List.of(), foo(1), NO_FIT))),
            // node-b is excluded by the affinity, so zone1 counts 0 (node-a) and zone2 1; node-b still fits here
            new Case("incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits",
                affine(FOO, new Term(List.of(new Requirement("node", Operator.NOT_IN, List.of("node-b"))), List.of()),
                    spread(1, ZONE, exists("foo"))),
                abxy(List.of(), foo(2), List.of(), foo(1), FITS, FITS, NO_FIT, NO_FIT)),
            // three domains, fewer than minDomains 4: the fewest is taken as 0
            new Case("pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits",
                incoming(FOO, spread(2, HOST, 4, exists("foo"))),
                spread221(NO_FIT, NO_FIT, FITS)),
            new Case("pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, then the all nodes fit",
                incoming(FOO, spread(2, HOST, 2, exists("foo"))),
                spread221(FITS, FITS, FITS)),
            // zone1 2, zone2 1; two domains, fewer than minDomains 3: the fewest is taken as 0
            new Case("pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, then the third and fourth "
                + "nodes fit",
                incoming(FOO, spread(2, ZONE, 3, exists("foo"))),
                abxy(foo(1), foo(1), List.of(), foo(1), NO_FIT, NO_FIT, FITS, FITS)),
            new Case("pods spread across zone as 2/1, maxSkew is 2 and the number of domains > minDomains, then the all nodes fit",
                incoming(FOO, spread(2, ZONE, 1, exists("foo"))),
                abxy(foo(1), foo(1), List.of(), foo(1), FITS, FITS, FITS, FITS)),
            // node-y lacks foo, so the pod's node selector (or affinity) excludes it: 1/1/0/~1~, minimum 0 over a, b and x.
            // Upstream's Filter on node-y counts nothing there (the NodeAffinity plugin, not run, would reject it).
            new Case("NodeAffinityPolicy honored with labelSelectors",
                selecting(FOO, FOO, spread(1, HOST, exists("foo"))),
                inclusion(List.of(), FITS)),
            new Case("NodeAffinityPolicy honored with nodeAffinity",
                affine(FOO, nodeIn("foo", ""), spread(1, HOST, exists("foo"))),
                inclusion(List.of(), FITS)),
            // nodeAffinityPolicy Ignore: node-y counts though the pod's node selector excludes it, 1/1/0/1, minimum 0:
            // node-y holds 1 + 1 - 0 = 2 > 1. (Upstream has two cases of this name: this one with a nodeSelector, the
            // next with nodeAffinity; the rows are told apart by the suffix.)
            new Case("NodeAffinityPolicy ignored with labelSelectors (nodeSelector)",
                selecting(FOO, FOO, spread(1, HOST, IGNORE, IGNORE, exists("foo"))),
                inclusion(List.of(), NO_FIT)),
            new Case("NodeAffinityPolicy ignored with labelSelectors (nodeAffinity)",
                affine(FOO, nodeIn("foo", ""), spread(1, HOST, IGNORE, IGNORE, exists("foo"))),
                inclusion(List.of(), NO_FIT)),
            // nodeTaintsPolicy Honor: node-y's taint, which the pod does not tolerate, leaves it out, 1/1/0/~1~, minimum 0.
            // Upstream's Filter on node-y counts nothing there (the TaintToleration plugin, not run, would reject it).
            new Case("NodeTaintsPolicy honored",
                incoming(FOO, spread(1, HOST, HONOR, HONOR, exists("foo"))),
                inclusion(UNSCHEDULABLE, FITS)),
            // default nodeTaintsPolicy Ignore: the tainted node-y still counts as a domain (1/1/0/1, minimum 0)
            new Case("NodeTaintsPolicy ignored",
                incoming(FOO, spread(1, HOST, exists("foo"))),
                inclusion(UNSCHEDULABLE, NO_FIT)));
    }

    public static Stream<Row> multipleConstraintsRows() {
        return rows(
            // zone 3/3 admits every node, node 2/1/0/3 only node-x
            new Case("two Constraints on zone and node, spreads = [3/3, 2/1/0/3]",
                incoming(FOO, spread(1, ZONE, exists("foo")), spread(1, HOST, exists("foo"))),
                spread2103(NO_FIT, NO_FIT, FITS, NO_FIT)),
            // zone 3/4 admits only zone1, node 2/1/0/4 only node-x: none
            new Case("two Constraints on zone and node, spreads = [3/4, 2/1/0/4]",
                incoming(FOO, spread(1, ZONE, exists("foo")), spread(1, HOST, exists("foo"))),
                abxy(foo(2), foo(1), List.of(), foo(4), NO_FIT, NO_FIT, NO_FIT, NO_FIT)),
            // zone (foo) 1/0 admits zone2, node (bar) 0/0/0/1 admits node-a, node-b and node-x: node-x
            new Case("Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]",
                incoming(FOO_BAR, spread(1, ZONE, exists("foo")), spread(1, HOST, exists("bar"))),
                abxy(foo(1), List.of(), List.of(), bar(1), NO_FIT, NO_FIT, FITS, NO_FIT)),
            // zone (foo) 1/0 admits zone2, node (bar) 0/0/1/1 admits node-a and node-b: none
            new Case("Constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]",
                incoming(FOO_BAR, spread(1, ZONE, exists("foo")), spread(1, HOST, exists("bar"))),
                abxy(foo(1), List.of(), bar(1), bar(1), NO_FIT, NO_FIT, NO_FIT, NO_FIT)),
            // zone (foo) 2/3 admits zone1, node (bar) 1/0/0/1 admits node-b and node-x: node-b
            new Case("Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]",
                incoming(FOO_BAR, spread(1, ZONE, exists("foo")), spread(1, HOST, exists("bar"))),
                abxy(pods(FOO, FOO_BAR), List.of(), List.of(), pods(FOO, FOO_BAR, FOO), NO_FIT, FITS, NO_FIT, NO_FIT)),
            // the pod (bar) does not match its zone selector (foo): any zone; node (bar) 0/0/1/1: node-a and node-b
            new Case("Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint",
                incoming(BAR, spread(1, ZONE, exists("foo")), spread(1, HOST, exists("bar"))),
                abxy(foo(1), List.of(), bar(1), bar(1), FITS, FITS, NO_FIT, NO_FIT)),
            // the node constraint on the plain label "node", which node-x lacks (refused); zone 1/1, node 1/0/-/1: node-b
            new Case("two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]",
                incoming(FOO, spread(1, ZONE, exists("foo")), spread(1, "node", exists("foo"))),
                List.of(
                    new N("node-a", Map.of("zone", "zone1", "node", "node-a"), List.of(), foo(1), NO_FIT),
                    new N("node-b", Map.of("zone", "zone1", "node", "node-b"), List.of(), List.of(), FITS),
                    new N("node-x", Map.of("zone", "zone2"), List.of(), List.of(), NO_FIT),
                    new N("node-y", Map.of("zone", "zone2", "node", "node-y"), List.of(), foo(1), NO_FIT))),
            // nodeSelector foo excludes node-y from the zone constraint (Honor), not from the node one (Ignore).
            // zone 2/~1~ = 2/0: zone2; node 1/1/0/1: node-x. Both: node-x
            new Case("two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore",
                selecting(FOO, FOO, spread(1, ZONE, HONOR, IGNORE, exists("foo")), spread(1, HOST, IGNORE, IGNORE, exists("foo"))),
                zonedInclusion(true, true, true, false, List.of(), NO_FIT, NO_FIT, FITS, NO_FIT)),
            // no node selector; node-y's taint leaves it out of the zone constraint (Honor), not of the node one (Ignore).
            // zone 2/~1~ = 2/0: zone2; node 1/1/0/1: node-x. Both: node-x
            new Case("two node inclusion Constraints, zone: honor/honor, node: honor/ignore",
                incoming(FOO, spread(1, ZONE, HONOR, HONOR, exists("foo")), spread(1, HOST, HONOR, IGNORE, exists("foo"))),
                zonedInclusion(true, true, true, false, UNSCHEDULABLE, NO_FIT, NO_FIT, FITS, NO_FIT)),
            // nodeSelector foo excludes node-b; node-y's taint is ignored. zone 1/1 (node-b's pod not counted): any zone;
            // node 1/~1~/0/1: node-b (counts 0 there) and node-x
            new Case("two node inclusion Constraints, zone: honor/ignore, node: honor/ignore",
                selecting(FOO, FOO, spread(1, ZONE, exists("foo")), spread(1, HOST, exists("foo"))),
                zonedInclusion(true, false, true, true, UNSCHEDULABLE, NO_FIT, FITS, FITS, NO_FIT)),
            // the zone constraint leaves out node-b (node selector) and node-y (taint): zone 1/0, zone2; the node one
            // (ignore/ignore) counts every node, 1/1/0/1: node-x. Both: node-x
            new Case("two node inclusion Constraints, zone: honor/honor, node: ignore/ignore",
                selecting(FOO, FOO, spread(1, ZONE, HONOR, HONOR, exists("foo")), spread(1, HOST, IGNORE, IGNORE, exists("foo"))),
                zonedInclusion(true, false, true, true, UNSCHEDULABLE, NO_FIT, NO_FIT, FITS, NO_FIT)));
    }

    /** Upstream's usual four nodes: node-a, node-b in zone1; node-x, node-y in zone2; their pods and outcomes. */
    private static List<N> abxy(List<P> a, List<P> b, List<P> x, List<P> y, boolean fa, boolean fb, boolean fx, boolean fy) {
        return List.of(
            new N("node-a", Map.of("zone", "zone1", "node", "node-a"), List.of(), a, fa),
            new N("node-b", Map.of("zone", "zone1", "node", "node-b"), List.of(), b, fb),
            new N("node-x", Map.of("zone", "zone2", "node", "node-x"), List.of(), x, fx),
            new N("node-y", Map.of("zone", "zone2", "node", "node-y"), List.of(), y, fy));
    }

    /** The four nodes with two, one, none and three pods labelled foo, and the expected outcome on each. */
    private static List<N> spread2103(boolean a, boolean b, boolean x, boolean y) {
        return abxy(foo(2), foo(1), List.of(), foo(3), a, b, x, y);
    }

    /** node-a, node-b, node-c (label node only) with 2/2/1 foo pods. */
    private static List<N> spread221(boolean a, boolean b, boolean c) {
        return List.of(
            new N("node-a", Map.of("node", "node-a"), List.of(), foo(2), a),
            new N("node-b", Map.of("node", "node-b"), List.of(), foo(2), b),
            new N("node-c", Map.of("node", "node-c"), List.of(), foo(1), c));
    }

    /** The node-inclusion cases' nodes: a, b, x labelled foo with 1/1/0 foo pods; node-y without foo, with one, its taints. */
    private static List<N> inclusion(List<Taint> yTaints, boolean yFits) {
        return List.of(
            new N("node-a", Map.of("node", "node-a", "foo", ""), List.of(), foo(1), NO_FIT),
            new N("node-b", Map.of("node", "node-b", "foo", ""), List.of(), foo(1), NO_FIT),
            new N("node-x", Map.of("node", "node-x", "foo", ""), List.of(), List.of(), FITS),
            new N("node-y", Map.of("node", "node-y"), yTaints, foo(1), yFits));
    }

    /**
     * The multiple-constraint node-inclusion cases' nodes: node-a, node-b in zone1, node-x, node-y in zone2, with 1/1/0/1
     * foo pods; which of them carry the label foo, node-y's taints, and the outcome on each.
     */
    private static List<N> zonedInclusion(boolean aFoo, boolean bFoo, boolean xFoo, boolean yFoo, List<Taint> yTaints,
                                          boolean fa, boolean fb, boolean fx, boolean fy) {
        return List.of(
            new N("node-a", zoned("zone1", "node-a", aFoo), List.of(), foo(1), fa),
            new N("node-b", zoned("zone1", "node-b", bFoo), List.of(), foo(1), fb),
            new N("node-x", zoned("zone2", "node-x", xFoo), List.of(), List.of(), fx),
            new N("node-y", zoned("zone2", "node-y", yFoo), yTaints, foo(1), fy));
    }

    private static Map<String, String> zoned(String zone, String node, boolean foo) {
        return foo ? Map.of("zone", zone, "node", node, "foo", "") : Map.of("zone", zone, "node", node);
    }

    /** {@code n} running pods labelled foo in the default namespace. */
    private static List<P> foo(int n) {
        return java.util.Collections.nCopies(n, new P(FOO, NS, false));
    }

    private static List<P> bar(int n) {
        return java.util.Collections.nCopies(n, new P(BAR, NS, false));
    }

    @SafeVarargs
    private static List<P> pods(Map<String, String>... labels) {
        return Stream.of(labels).map(l -> new P(l, NS, false)).toList();
    }

    private static Placement incoming(Map<String, String> labels, Spread... spread) {
        return new Placement(Map.of(), null, List.of(), NS, labels, List.of(), List.of(), List.of(spread));
    }

    /** The incoming pod with a node selector. */
    private static Placement selecting(Map<String, String> nodeSelector, Map<String, String> labels, Spread... spread) {
        return new Placement(nodeSelector, null, List.of(), NS, labels, List.of(), List.of(), List.of(spread));
    }

    /** The incoming pod with a required node affinity of one term. */
    private static Placement affine(Map<String, String> labels, Term term, Spread... spread) {
        return new Placement(Map.of(), List.of(term), List.of(), NS, labels, List.of(), List.of(), List.of(spread));
    }

    /** A node selector term: {@code key} In {@code values}. */
    private static Term nodeIn(String key, String... values) {
        return new Term(List.of(new Requirement(key, Operator.IN, List.of(values))), List.of());
    }

    /** A DoNotSchedule constraint on {@code key}. */
    private static Spread spread(int maxSkew, String key, Requirement... selector) {
        return spread(maxSkew, key, 1, selector);
    }

    /** A DoNotSchedule constraint on {@code key} with minDomains. */
    private static Spread spread(int maxSkew, String key, int minDomains, Requirement... selector) {
        return spread(maxSkew, key, minDomains, HONOR, IGNORE, selector);
    }

    /**
     * A DoNotSchedule constraint on {@code key} with its node inclusion policies, in upstream's order:
     * nodeAffinityPolicy, nodeTaintsPolicy ({@link #HONOR} or {@link #IGNORE}).
     */
    private static Spread spread(int maxSkew, String key, boolean nodeAffinityPolicy, boolean nodeTaintsPolicy, Requirement... selector) {
        return spread(maxSkew, key, 1, nodeAffinityPolicy, nodeTaintsPolicy, selector);
    }

    private static Spread spread(int maxSkew, String key, int minDomains, boolean nodeAffinityPolicy, boolean nodeTaintsPolicy,
                                 Requirement... selector) {
        return new Spread(maxSkew, true, new PodAffinityTerm(Map.of(), List.of(selector), List.of(), false, false, key), minDomains,
            nodeAffinityPolicy, nodeTaintsPolicy);
    }

    /** Upstream's {@code fooSelector} / {@code barSelector}: matchExpressions key Exists. */
    private static Requirement exists(String key) {
        return new Requirement(key, Operator.EXISTS, List.of());
    }
}
