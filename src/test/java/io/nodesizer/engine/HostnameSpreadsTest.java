package io.nodesizer.engine;

import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A workload's own hostname spread in the packing, by kube-scheduler's rule over the packing's
 * nodes (most − fewest ≤ maxSkew, a node without the workload counting 0; the fewest 0 below
 * minDomains nodes): the verifier accepts exactly the packings that keep it, and the engine spreads
 * evenly where at most maxSkew per node would take more nodes.
 */
final class HostnameSpreadsTest {
    private static final NodeShape SHAPE = Fixtures.shape("m8", new Resources(8000, 32 * GIB, 110, 0, 0));

    private static PodGroup web(int replicas, int maxSkew, int minDomains, long cpu) {
        Placement.Spread spread = new Placement.Spread(maxSkew, true, new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(),
                List.of(), false, false, PodConflicts.HOSTNAME), minDomains);
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"), List.of(), List.of(), List.of(spread));
        return new PodGroup("web", "test", new Resources(cpu, GIB / 2, 1, 0, 0), replicas, false, null, new SourceRef("t", 1), List.of(),
                null, p);
    }

    private static PackingProblem problem(PodGroup... groups) {
        return new PackingProblem(DemandTable.of(Workload.of(List.of(groups))), SHAPE, Resources.ZERO);
    }

    /** The pods of group 0 on nodes by count: {@code perNode[n]} pods on node n. */
    private static int[] assignment(int... perNode) {
        return java.util.stream.IntStream.range(0, perNode.length).flatMap(n -> java.util.stream.IntStream.generate(() -> n)
                .limit(perNode[n])).toArray();
    }

    private static PackingResult planted(PackingProblem p, int... perNode) {
        return PackingEngine.fromAssignment(p, "planted", perNode.length, assignment(perNode), LowerBounds.compute(p), 0);
    }

    @Test
    void theVerifierTakesTheSchedulersRuleOverEveryNode() {
        PackingProblem p = problem(web(10, 1, 1, 500));
        planted(p, 4, 3, 3); // 4 − 3 ≤ 1: kube-scheduler's own placement on three nodes
        planted(p, 10); // one node: the fewest is its own count
        assertThatThrownBy(() -> planted(p, 5, 3, 2)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("a node holds 5 pods of web and another 2");
        // a node without the workload counts 0: 2 − 0 > 1
        PackingProblem q = problem(web(4, 1, 1, 500), plain());
        int[] a = new int[4 + 1];
        System.arraycopy(assignment(2, 2), 0, a, 0, 4);
        a[4] = 2; // the plain pod alone on a third node
        assertThatThrownBy(() -> PackingEngine.fromAssignment(q, "planted", 3, a, LowerBounds.compute(q), 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("and another 0");
        // below minDomains nodes the fewest counts as 0: at most maxSkew per node
        PackingProblem m = problem(web(10, 2, 5, 500));
        planted(m, 2, 2, 2, 2, 2);
        assertThatThrownBy(() -> planted(m, 4, 3, 3)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("minDomains 5");
    }

    /**
     * w0 pinned to zone a by its node selector, 2 × 1 CPU, spread on the hostname (maxSkew 1) and over the zones (maxSkew
     * {@code zoneSkew}, minDomains {@code zoneMinDomains}); {@code honor}: the hostname spread's nodeAffinityPolicy.
     */
    private static PodGroup pinnedToA(boolean honor, int hostMinDomains, int zoneSkew, int zoneMinDomains) {
        List<Placement.Spread> spreads = List.of(
                new Placement.Spread(1, true, new Placement.PodAffinityTerm(Map.of("app", "w0"), List.of(), List.of(), false, false,
                        PodConflicts.HOSTNAME), hostMinDomains, honor, false),
                new Placement.Spread(zoneSkew, true, new Placement.PodAffinityTerm(Map.of("app", "w0"), List.of(), List.of(), false, false,
                        PodConflicts.ZONE), zoneMinDomains));
        Placement p = new Placement(Map.of("topology.kubernetes.io/zone", "a"), null, List.of(), "shop", Map.of("app", "w0"), List.of(),
                List.of(), spreads);
        return new PodGroup("w0", "test", new Resources(1000, GIB, 1, 0, 0), 2, false, null, new SourceRef("t", 4), List.of(), null, p);
    }

    /** w0's two pods on the nodes {@code w0}, the plain pod on {@code plain}, nodes in zones {@code zones} (0: a, 1: b). */
    private static PackingResult plantedInZones(PodGroup w0, int[] w0Nodes, int plainNode, int... zones) {
        PackingProblem p = new PackingProblem(DemandTable.of(Workload.of(List.of(w0, plain())), List.of("a", "b")), SHAPE, Resources.ZERO);
        int[] a = {w0Nodes[0], w0Nodes[1], plainNode};
        return PackingEngine.fromAssignment(p, "planted", zones.length, a, LowerBounds.compute(p), 0, zones);
    }

    /**
     * kube-scheduler's PodTopologySpread (filtering.go, calPreFilterState; common.go, matchNodeInclusionPolicies) counts
     * as domains of a pinned workload's spreads only the nodes its node selector admits (nodeAffinityPolicy Honor, the
     * default), and takes the fewest as 0 below minDomains of them. w0 pinned to zone a: its two pods on the one zone-a
     * node are legal beside a zone-b node (not a domain), not beside a second, empty zone-a node, nor with Ignore (the
     * zone-b node counts 0), nor with the hostname's minDomains 2 (one domain); its zone spread counts zone a alone, so a
     * zone maxSkew of 1 binds nothing, but with the zone's minDomains 2 the fewest is 0 and zone a holds at most 1.
     */
    @Test
    void aWorkloadPinnedToOneZoneIsVerifiedOverThatZonesNodesOnly() {
        int[] together = {0, 0};
        assertThat(plantedInZones(pinnedToA(true, 1, 1, 1), together, 1, 0, 1).nodeCount()).isEqualTo(2);
        assertThat(plantedInZones(pinnedToA(true, 1, 1, 1), together, 0, 0).nodeCount()).isEqualTo(1);
        assertThatThrownBy(() -> plantedInZones(pinnedToA(true, 1, 1, 1), together, 1, 0, 0)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("a node holds 2 pods of w0 and another 0");
        assertThatThrownBy(() -> plantedInZones(pinnedToA(false, 1, 1, 1), together, 1, 0, 1)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("a node holds 2 pods of w0 and another 0");
        assertThatThrownBy(() -> plantedInZones(pinnedToA(true, 2, 1, 1), together, 1, 0, 1)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("minDomains 2");
        assertThat(plantedInZones(pinnedToA(true, 2, 1, 1), new int[] {0, 1}, 1, 0, 0).nodeCount()).isEqualTo(2);
        assertThatThrownBy(() -> plantedInZones(pinnedToA(true, 1, 1, 2), new int[] {0, 1}, 1, 0, 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("[2, 0] pods per zone");
        assertThat(plantedInZones(pinnedToA(true, 1, 2, 2), together, 1, 0, 1).nodeCount()).isEqualTo(2);
    }

    /**
     * The packer reaches those packings: w0's spread over the zones binds nothing within its one zone, so the rules place it
     * by the hostname rule over zone a's nodes (HostnameSpreads.floored), where it kept one pod per node; with Ignore each
     * node still holds one, a zone-b node being one of its domains.
     */
    @Test
    void aWorkloadPinnedToOneZoneSharesItsZonesOneNode() {
        for (boolean honor : new boolean[] {true, false}) {
            PackingProblem p = new PackingProblem(DemandTable.of(Workload.of(List.of(pinnedToA(honor, 1, 2, 1), plain())), List.of("a", "b")),
                    Fixtures.shape("m4", new Resources(4000, 16 * GIB, 110, 0, 0)), Resources.ZERO);
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(p, s.create(), 1);
                assertThat(r.unschedulablePodCount()).as(s.name()).isZero();
                assertThat(r.nodeCount()).as("%s, honor %s", s.name(), honor).isEqualTo(1);
            }
        }
    }

    private static PodGroup plain() {
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "batch"), List.of(), List.of(), List.of());
        return new PodGroup("batch", "test", new Resources(500, GIB / 2, 1, 0, 0), 1, false, null, new SourceRef("t", 2), List.of(),
                null, p);
    }

    /**
     * A pod that repels the spread workload runs on a node with none of it: the fewest is 0 there,
     * so at most maxSkew of the workload share any node, and that node comes on top (13 + 1).
     */
    @Test
    void besideAPodItRepelsTheSpreadKeepsMaxSkewPerNodeAndTheBoundCountsIt() {
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "guard"),
                List.of(new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false, PodConflicts.HOSTNAME)),
                List.of(), List.of());
        PodGroup guard = new PodGroup("guard", "test", new Resources(500, GIB / 2, 1, 0, 0), 1, false, null, new SourceRef("t", 3),
                List.of(), null, p);
        PackingProblem q = problem(web(13, 1, 1, 500), guard);
        io.nodesizer.bound.LowerBound bound = LowerBounds.compute(q);
        assertThat(bound.value()).isEqualTo(14);
        assertThat(bound.method()).isEqualTo("spread beside a repelled pod");
        for (PackingStrategies s : PackingStrategies.values()) {
            assertThat(PackingEngine.pack(q, s.create(), 1).nodeCount()).as(s.name()).isEqualTo(14);
        }
        // without the guard the spread binds no count
        assertThat(LowerBounds.compute(problem(web(13, 1, 1, 500))).value()).isEqualTo(1);
    }

    /** 40 replicas of 0.5 CPU with maxSkew 1 need 3 nodes of 8 CPU (14/13/13), not 40; the bound has no spread part. */
    @Test
    void everyStrategySpreadsEvenlyOverTheNodesCapacityNeeds() {
        PackingProblem p = problem(web(40, 1, 1, 500));
        assertThat(LowerBounds.compute(p).value()).isEqualTo(3);
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            int[] perNode = new int[r.nodeCount()];
            for (int node : r.assignment()) {
                perNode[node]++;
            }
            Arrays.sort(perNode);
            assertThat(perNode).as(s.name()).containsExactly(13, 13, 14);
            // with the cap kept, one per node
            PackingResult capped = PackingEngine.pack(p, s.create(), 1, LowerBounds.compute(p), true, false);
            assertThat(capped.nodeCount()).as(s.name()).isEqualTo(40);
        }
        // minDomains 5 above the 3 nodes capacity needs: five nodes, 8 each
        PackingResult five = PackingEngine.pack(problem(web(40, 1, 5, 500)), PackingStrategies.FFD.create(), 1);
        assertThat(five.nodeCount()).isEqualTo(5);
    }
}
