// The kube-scheduler filter tables of the kube conformance tests, run through the replay's scheduler filter instead of
// PodTopologyRules / NodeMatching: the same case lists (InterPodAffinityConformanceTest, HostnameSpreadConformanceTest,
// NodeMatchingConformanceTest; see their headers for the upstream files and commits), each row (case + node) as a replay
// (ReplayFilterHarness): one pool per upstream node with its labels and taints, the existing pods placed on their nodes
// by the replay's own scheduler, then the filter asked about the incoming pod on the row's node.
//
// What is checked per row: the pod rules alone (Cluster.podRulesAdmit: the hostname anti-affinity and spread counts,
// TopologyRules with KeyDomains, hostname co-location) give upstream's outcome, since upstream's plugin tables run one
// plugin (InterPodAffinity or PodTopologySpread) without NodeAffinity and TaintToleration; and the whole filter
// (Cluster.fits) gives upstream's outcome AND the pool's verdict (node selector, affinity, tolerations). For
// NodeMatchingConformanceTest's rows the pool's verdict is the filter: Cluster.fits gives upstream's outcome. Then the
// incoming pod arrives: the scheduler binds it to a node the filter admits, or leaves it pending when it admits none.
//
// Mapping:
//  - InterPodAffinity: node labels as upstream, every topology key (region, zone, az, hostname, node, "", zoneLabel,
//    invalid-node-label) a plain label, so the replay's KeyDomains decides on the pools' values; the cluster is one zone.
//    A second pass (zoneAsZone) reads upstream's plain label "zone" as topology.kubernetes.io/zone, the nodes in replay
//    zones named by it, for the cases with a term on "zone" whose nodes all carry it: there ZoneConflicts and the
//    zone-keyed CoLocation of TopologyRules decide the zone terms.
//  - PodTopologySpread: upstream's "zone" (label and key) is the replay's zone (topology.kubernetes.io/zone, zones named
//    zone1, zone2); its "node" key, already kubernetes.io/hostname in the kube table, is the replay node; the label "node"
//    stays a plain label (node affinity on it). Rows with no zone label on any node run in one zone.
//  - A pod being deleted upstream ("terminating Pods should be excluded") leaves the replay before the probe.
//
// Counts (checked by rowCounts): 222 of 237 rows run through replay (and 33 of them a second time with the zone as the
// replay's zone); 15 skipped, because replay nodes are always in a zone and have no name. 4 rows run disagree in the pod rules alone, by design (below); none in the
// whole filter.
//  - InterPodAffinity (TestRequiredAffinitySingleNode, TestRequiredAffinityMultipleNodes): 60 of 60 rows run
//    (20 + 40); the kube table's own 6 skipped cases (namespaceSelector with labels, label syntax) are not in its list.
//    zoneAsZone: 33 of the 60 rows run again with the zone as the replay's zone; 27 not: 25 rows of cases with no term
//    on "zone", and the 2 rows of "The first pod of the collection can only be scheduled on nodes labelled with the
//    requested topology keys", whose nodes carry "zoneLabel", not "zone" (every replay node is in a zone: a node
//    without the key cannot be built; the first pass runs them, on the plain key).
//  - PodTopologySpread (TestSingleConstraint, TestMultipleConstraints): 126 of 130 rows run (82 of 86 + 44 of 44);
//    4 skipped: "pods spread across zones as 1/2 due to absence of label 'zone' on node-b": every replay node is in a
//    zone, so a node without the zone label cannot be built. "two Constraints on zone and node, absence of label 'node'
//    on node-x, spreads = [1/1, 1/0/0/1]" (4 rows) runs its spread on the plain label "node" through KeyDomains' skew
//    check (skipped before that check existed: the key's presence was all replay checked of it).
//    "pod cannot be scheduled as all nodes don't have label 'rack'" (2 rows) runs: no node carries "rack", and that is
//    what the replay checks of such a spread.
//    Expected disagreements (OFF_DOMAIN), 4 rows, in the pod rules alone: "NodeAffinityPolicy honored with
//    labelSelectors [node-y]", "NodeAffinityPolicy honored with nodeAffinity [node-y]", "NodeTaintsPolicy honored
//    [node-y]", "two node inclusion Constraints, zone: honor/ignore, node: honor/ignore [node-b]". Upstream admits: the
//    node is no domain of the hostname spread (the pod's node selector / affinity excludes it, or its taint is not
//    tolerated, with the policy Honor), so its Filter counts 0 pods there (matchNum 0 + 1 - min 0 <= 1). The replay's
//    hostname spread (ConflictCounts, HostnameFloors) counts the node's own foo pod whatever the domains: 1 + 1 - 0 > 1,
//    refused. Not a replay bug: such a node is always one the pod's pool check refuses (NodeAffinity / TaintToleration,
//    as the policies exclude exactly those), which the scheduler asks first, so the whole filter refuses, as
//    kube-scheduler with all its plugins does; the test asserts exactly that.
//  - NodeAffinity / TaintToleration / component-helpers (NodeMatchingConformanceTest): 36 of 47 rows run (20 of 28
//    TestNodeAffinity, 13 of 13 taint rows, 3 of 6 helper rows); 11 skipped: the rows whose pod has matchFields on
//    metadata.name (8 in TestNodeAffinity, the 3 TestNodeSelectorMatch rows): a replay node has no name (a pool's nodes
//    are made later, NodeLabels.NEW_NODE), so a matchFields term matches none of them by design.
// Every other row that runs agrees with upstream, in the pod rules alone and in the whole filter.
package io.nodesizer.replay;

import io.nodesizer.kube.HostnameSpreadConformanceTest;
import io.nodesizer.kube.InterPodAffinityConformanceTest;
import io.nodesizer.kube.NodeMatchingConformanceTest;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Placement.PodAffinityTerm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs kube-scheduler's InterPodAffinity, PodTopologySpread, NodeAffinity and TaintToleration filter
 * tables (the kube conformance tests' case lists) through the replay's scheduler filter, row by row:
 * see the comment at the top of the file for the mapping, the rows skipped and why.
 */
final class ReplayConformanceTest {
    private static final String UPSTREAM_ZONE = "zone";

    /** A row to run: its name, the replay's nodes and existing pods, the incoming pod, the node under test, upstream's outcome. */
    record Row(String name, List<ReplayFilterHarness.Node> nodes, List<ReplayFilterHarness.Pod> pods, Placement incoming, int node,
               boolean admits) {
        @Override
        public String toString() {
            return name;
        }
    }

    // ---------------------------------------------------------------- InterPodAffinity

    @ParameterizedTest(name = "{0}")
    @MethodSource("interPodAffinityRows")
    void interPodAffinity(Row r) {
        checkPodRules(r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interPodAffinityZoneRows")
    void interPodAffinityZoneAsZone(Row r) {
        checkPodRules(r);
    }

    static Stream<Row> interPodAffinityRows() {
        return interPodAffinityKube().map(r -> affinityRow(r, false));
    }

    static Stream<Row> interPodAffinityZoneRows() {
        return interPodAffinityKube().filter(ReplayConformanceTest::zoneExpressible).map(r -> affinityRow(r, true));
    }

    private static Stream<InterPodAffinityConformanceTest.Row> interPodAffinityKube() {
        return Stream.concat(InterPodAffinityConformanceTest.singleNodeRows(), InterPodAffinityConformanceTest.multipleNodesRows());
    }

    /** Whether some pod of the case has a term on "zone" and every node carries the label "zone". */
    private static boolean zoneExpressible(InterPodAffinityConformanceTest.Row r) {
        var c = r.c();
        boolean term = Stream.concat(Stream.of(c.incoming()), c.nodes().stream().flatMap(n -> n.pods().stream()))
                .flatMap(s -> Stream.concat(s.affinity().stream(), s.anti().stream()))
                .anyMatch(t -> UPSTREAM_ZONE.equals(t.topologyKey()));
        return term && c.nodes().stream().allMatch(n -> n.labels().containsKey(UPSTREAM_ZONE));
    }

    private static Row affinityRow(InterPodAffinityConformanceTest.Row r, boolean zoneAsZone) {
        var c = r.c();
        List<ReplayFilterHarness.Node> nodes = new ArrayList<>();
        List<ReplayFilterHarness.Pod> pods = new ArrayList<>();
        for (int i = 0; i < c.nodes().size(); i++) {
            var n = c.nodes().get(i);
            nodes.add(zoneAsZone ? zoned(n.name(), n.labels(), List.of()) : new ReplayFilterHarness.Node(n.name(), n.labels(), List.of(), null));
            for (var s : n.pods()) {
                pods.add(new ReplayFilterHarness.Pod(i, zoneAsZone ? rekeyZone(s.placement()) : s.placement(), false));
            }
        }
        Placement incoming = zoneAsZone ? rekeyZone(c.incoming().placement()) : c.incoming().placement();
        return new Row(r.toString(), nodes, pods, incoming, r.node(), c.nodes().get(r.node()).admits());
    }

    // ---------------------------------------------------------------- PodTopologySpread

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologySpreadRows")
    void topologySpread(Row r) {
        checkPodRules(r);
    }

    static Stream<Row> topologySpreadRows() {
        return topologySpreadKube().filter(r -> spreadSkip(r.c()) == null).map(ReplayConformanceTest::spreadRow);
    }

    private static Stream<HostnameSpreadConformanceTest.Row> topologySpreadKube() {
        return Stream.concat(HostnameSpreadConformanceTest.singleConstraintRows(), HostnameSpreadConformanceTest.multipleConstraintsRows());
    }

    /** Why the replay cannot express the case, or null. */
    static String spreadSkip(HostnameSpreadConformanceTest.Case c) {
        boolean allZoned = c.nodes().stream().allMatch(n -> n.labels().containsKey(UPSTREAM_ZONE));
        for (Placement.Spread s : c.incoming().spread()) {
            String key = s.term().topologyKey();
            if (UPSTREAM_ZONE.equals(key) && !allZoned) {
                return "a node without the zone label: every replay node is in a zone";
            }
        }
        return null;
    }

    private static Row spreadRow(HostnameSpreadConformanceTest.Row r) {
        var c = r.c();
        boolean allZoned = c.nodes().stream().allMatch(n -> n.labels().containsKey(UPSTREAM_ZONE));
        List<ReplayFilterHarness.Node> nodes = new ArrayList<>();
        List<ReplayFilterHarness.Pod> pods = new ArrayList<>();
        for (int i = 0; i < c.nodes().size(); i++) {
            var n = c.nodes().get(i);
            nodes.add(allZoned ? zoned(n.name(), n.labels(), n.taints()) : new ReplayFilterHarness.Node(n.name(), n.labels(), n.taints(), null));
            for (var p : n.pods()) {
                Placement pl = new Placement(Map.of(), null, List.of(), p.namespace(), p.labels(), List.of(), List.of());
                pods.add(new ReplayFilterHarness.Pod(i, pl, p.terminating()));
            }
        }
        return new Row(r.toString(), nodes, pods, rekeyZone(c.incoming()), r.node(), c.nodes().get(r.node()).fits());
    }

    // ---------------------------------------------------------------- NodeAffinity, TaintToleration

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeMatchingRows")
    void nodeMatching(NodeMatchingConformanceTest.Case c) {
        ReplayFilterHarness.Verdict v = ReplayFilterHarness.run(
                List.of(new ReplayFilterHarness.Node(c.nodeName().isEmpty() ? "node" : c.nodeName(), c.labels(), c.taints(), null)),
                List.of(), c.pod());
        checkPlacement(c.name(), v);
        assertThat(v.fits()[0]).as("%s: upstream %s", c.name(), c.fits() ? "fits" : "does not fit").isEqualTo(c.fits());
        assertThat(v.podRules()[0]).as("%s: no pod rule applies", c.name()).isTrue();
    }

    static Stream<NodeMatchingConformanceTest.Case> nodeMatchingRows() {
        return nodeMatchingKube().filter(c -> !namesNode(c.pod()));
    }

    private static Stream<NodeMatchingConformanceTest.Case> nodeMatchingKube() {
        return Stream.of(NodeMatchingConformanceTest.nodeAffinityCases(), NodeMatchingConformanceTest.taintCases(),
                NodeMatchingConformanceTest.nodeSelectorHelperCases()).flatMap(s -> s);
    }

    /** Whether the pod's required node affinity has matchFields (metadata.name): replay nodes have no names. */
    private static boolean namesNode(Placement p) {
        return p.requiredTerms() != null && p.requiredTerms().stream().anyMatch(t -> !t.matchFields().isEmpty());
    }

    /**
     * The rows where the replay's pod rules alone disagree with upstream's PodTopologySpread filter,
     * which the whole filter does not show (see the comment at the top of the file).
     */
    private static final java.util.Set<String> OFF_DOMAIN = java.util.Set.of(
            "NodeAffinityPolicy honored with labelSelectors [node-y]",
            "NodeAffinityPolicy honored with nodeAffinity [node-y]",
            "NodeTaintsPolicy honored [node-y]",
            "two node inclusion Constraints, zone: honor/ignore, node: honor/ignore [node-b]");

    // ---------------------------------------------------------------- counts

    @Test
    void rowCounts() {
        assertThat(InterPodAffinityConformanceTest.singleNodeRows().count()).isEqualTo(20);
        assertThat(interPodAffinityKube().count()).isEqualTo(60);
        assertThat(interPodAffinityRows().count()).isEqualTo(60);
        assertThat(interPodAffinityZoneRows().count()).isEqualTo(33);
        assertThat(HostnameSpreadConformanceTest.singleConstraintRows().count()).isEqualTo(86);
        assertThat(topologySpreadKube().count()).isEqualTo(130);
        assertThat(HostnameSpreadConformanceTest.singleConstraintRows().filter(r -> spreadSkip(r.c()) == null).count()).isEqualTo(82);
        assertThat(topologySpreadRows().count()).isEqualTo(126);
        assertThat(topologySpreadRows().map(Row::name).filter(OFF_DOMAIN::contains).count()).isEqualTo(OFF_DOMAIN.size());
        assertThat(NodeMatchingConformanceTest.nodeAffinityCases().filter(c -> !namesNode(c.pod())).count()).isEqualTo(20);
        assertThat(NodeMatchingConformanceTest.taintCases().filter(c -> !namesNode(c.pod())).count()).isEqualTo(13);
        assertThat(NodeMatchingConformanceTest.nodeSelectorHelperCases().filter(c -> !namesNode(c.pod())).count()).isEqualTo(3);
        assertThat(nodeMatchingKube().count()).isEqualTo(47);
        assertThat(nodeMatchingRows().count()).isEqualTo(36);
    }

    // ---------------------------------------------------------------- checks and mapping helpers

    /**
     * The pod rules alone give upstream's outcome on the row's node; the whole filter gives it too
     * where the pool admits the pod, and refuses where it does not.
     */
    private static void checkPodRules(Row r) {
        ReplayFilterHarness.Verdict v = ReplayFilterHarness.run(r.nodes(), r.pods(), r.incoming());
        int j = r.node();
        checkPlacement(r.name(), v);
        if (OFF_DOMAIN.contains(r.name())) {
            // Upstream admits; the replay's hostname spread counts the node's own pods and refuses; its pool refuses first.
            assertThat(v.pool()[j]).as("%s: the pool refuses the pod", r).isFalse();
            assertThat(v.podRules()[j]).as("%s: the pod rules alone refuse (expected disagreement)", r).isFalse();
            assertThat(v.fits()[j]).as("%s: the whole filter refuses", r).isFalse();
            return;
        }
        String upstream = r.admits() ? "Success" : "Unschedulable";
        assertThat(v.podRules()[j]).as("%s: upstream %s, the replay's pod rules say %s", r, upstream, v.podRules()[j]).isEqualTo(r.admits());
        assertThat(v.fits()[j]).as("%s: the whole filter (pool %s)", r, v.pool()[j] ? "admits" : "refuses")
                .isEqualTo(r.admits() && v.pool()[j]);
    }

    /** The scheduler bound the incoming pod to a node the filter admits, and left it pending only when it admits none. */
    private static void checkPlacement(String name, ReplayFilterHarness.Verdict v) {
        boolean any = false;
        for (boolean f : v.fits()) {
            any |= f;
        }
        if (v.placedOn() < 0) {
            assertThat(any).as("%s: pending, though the filter admits a node", name).isFalse();
        } else {
            assertThat(v.fits()[v.placedOn()]).as("%s: bound to a node the filter refuses", name).isTrue();
        }
    }

    /** A node in the replay zone its label "zone" names, without that label. */
    private static ReplayFilterHarness.Node zoned(String name, Map<String, String> labels, List<Placement.Taint> taints) {
        Map<String, String> rest = new HashMap<>(labels);
        String zone = rest.remove(UPSTREAM_ZONE);
        return new ReplayFilterHarness.Node(name, rest, taints, zone);
    }

    /** The placement with its terms and spreads on upstream's plain "zone" on topology.kubernetes.io/zone. */
    private static Placement rekeyZone(Placement p) {
        List<Placement.Spread> spread = p.spread().stream().map(s -> new Placement.Spread(s.maxSkew(), s.hard(), rekey(s.term()),
                s.minDomains(), s.honorsNodeAffinity(), s.honorsNodeTaints(), s.perRollout())).toList();
        return new Placement(p.nodeSelector(), p.requiredTerms(), p.tolerations(), p.namespace(), p.podLabels(),
                p.antiAffinity().stream().map(ReplayConformanceTest::rekey).toList(), p.affinity().stream().map(ReplayConformanceTest::rekey).toList(),
                spread, p.preferences());
    }

    private static PodAffinityTerm rekey(PodAffinityTerm t) {
        return UPSTREAM_ZONE.equals(t.topologyKey()) ? new PodAffinityTerm(t.matchLabels(), t.matchExpressions(), t.namespaces(),
                t.allNamespaces(), t.namespaceSelectorLabels(), PodConflicts.ZONE, t.namespaceSelector()) : t;
    }
}
