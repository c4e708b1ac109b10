package io.nodesizer.engine;

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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Zones for a packing made as if the nodes had one zone ({@link ZoneBalance}): whenever it answers,
 * every spread over the zones holds on its zones (counted here per group and zone), every pod is
 * still placed, and the packing over the zones verifies (room, hostname rules, the spreads).
 */
class ZoneBalanceTest {

    @Test
    void balancedZonesKeepEverySpreadAndEveryPodOnItsNodesRoom() {
        NodeShape shape = Fixtures.shape("n", new Resources(8000, 32 * GIB, 30, 0, 0));
        int answered = 0;
        int moved = 0;
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int zones = 2 + random.nextInt(3);
            List<PodGroup> groups = new ArrayList<>();
            int n = 2 + random.nextInt(10);
            for (int g = 0; g < n; g++) {
                List<Placement.Spread> spread = new ArrayList<>();
                if (random.nextInt(2) == 0) {
                    spread.add(new Placement.Spread(1 + random.nextInt(2), true, self("g" + g, PodConflicts.ZONE)));
                }
                if (random.nextInt(4) == 0) {
                    spread.add(new Placement.Spread(1 + random.nextInt(3), true, self("g" + g, PodConflicts.HOSTNAME)));
                }
                List<Placement.PodAffinityTerm> anti = random.nextInt(6) == 0 ? List.of(self("g" + random.nextInt(n), PodConflicts.HOSTNAME))
                        : List.of();
                Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "g" + g), anti, List.of(), spread);
                groups.add(new PodGroup("g" + g, "test", new Resources(100 + random.nextInt(3000), (1 + random.nextInt(8)) * GIB, 1, 0, 0),
                        1 + random.nextInt(12), false, null, new SourceRef("t", 1), List.of(), null, p));
            }
            DemandTable zoned = DemandTable.of(Workload.of(groups), zones);
            if (zoned.zoneSkew() == null) {
                continue;
            }
            PackingProblem problem = new PackingProblem(zoned, shape, Resources.ZERO);
            PackingProblem flat = new PackingProblem(zoned.withOneZone(), shape, Resources.ZERO);
            PackingResult packed = PackingEngine.pack(flat, PackingStrategies.FFD.create(), seed);
            ZoneBalance.Balanced b = ZoneBalance.assign(problem, packed.nodeCount(), packed.assignment());
            if (b == null) {
                continue;
            }
            answered++;
            moved += java.util.Arrays.equals(b.assignment(), packed.assignment()) ? 0 : 1;
            assertThat(b.nodeZones().length).isLessThanOrEqualTo(packed.nodeCount());
            for (int g = 0; g < zoned.groupCount(); g++) {
                int[] perZone = new int[zones];
                int placed = 0;
                int placedBefore = 0;
                for (int i = 0; i < zoned.replicas(g); i++) {
                    int node = b.assignment()[zoned.firstPod(g) + i];
                    if (node >= 0) {
                        perZone[b.nodeZones()[node]]++;
                        placed++;
                    }
                    placedBefore += packed.assignment()[zoned.firstPod(g) + i] >= 0 ? 1 : 0;
                }
                assertThat(placed).as("seed %d group %d", seed, g).isEqualTo(placedBefore);
                if (zoned.zoneSkew()[g] > 0) {
                    int most = java.util.Arrays.stream(perZone).max().orElse(0);
                    int fewest = java.util.Arrays.stream(perZone).min().orElse(0);
                    assertThat(most - fewest).as("seed %d group %d per zone %s", seed, g, java.util.Arrays.toString(perZone))
                            .isLessThanOrEqualTo(zoned.zoneSkew()[g]);
                }
            }
            // Room, hostname caps and anti-affinity, the spreads: the packing verifier, on the zones given.
            PackingEngine.fromAssignment(problem, "balanced", b.nodeZones().length, b.assignment(), io.nodesizer.bound.LowerBounds.compute(problem),
                    0, b.nodeZones());
        }
        assertThat(answered).isGreaterThanOrEqualTo(30);
        assertThat(moved).as("packings balanced only by moving pods").isGreaterThanOrEqualTo(3);
    }

    /**
     * Twelve 1-CPU pods spread over three zones (maxSkew 1) beside ten 2-CPU workers, on 7.91-CPU
     * nodes: packed as one zone in 5 nodes, whose api pods no zone assignment balances as they lie;
     * moving pods (an api pod into a worker's room, the worker elsewhere) gives 4 per zone on 5 nodes.
     */
    @Test
    void podsMoveWhenTheNodesAsPackedCannotBeBalanced() {
        NodeShape shape = Fixtures.shape("m5.2xlarge", new Resources(7910, 31 * GIB, 58, 0, 0));
        Placement api = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "api"), List.of(), List.of(),
                List.of(new Placement.Spread(1, true, self("api", PodConflicts.ZONE))));
        List<PodGroup> groups = List.of(
                new PodGroup("api", "test", new Resources(1000, 2 * GIB, 1, 0, 0), 12, false, null, new SourceRef("t", 1), List.of(), null, api),
                Fixtures.group("worker", 2000, 4 * GIB, 10));
        DemandTable zoned = DemandTable.of(Workload.of(groups), 3);
        PackingProblem problem = new PackingProblem(zoned, shape, Resources.ZERO);
        // Five nodes as the optimizer might leave them: api pods 1, 1, 1, 4, 5 (no split of these blocks into three zones of 3–5 and 4 ± 1).
        int[] assignment = new int[22];
        int[] apiNodes = {0, 1, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4};
        int[] workerNodes = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3};
        System.arraycopy(apiNodes, 0, assignment, 0, 12);
        System.arraycopy(workerNodes, 0, assignment, 12, 10);
        ZoneBalance.Balanced b = ZoneBalance.assign(problem, 5, assignment);
        assertThat(b).isNotNull();
        PackingResult r = PackingEngine.fromAssignment(problem, "balanced", b.nodeZones().length, b.assignment(),
                io.nodesizer.bound.LowerBounds.compute(problem), 0, b.nodeZones());
        assertThat(r.nodeCount()).isEqualTo(5);
        assertThat(b.assignment()).isNotEqualTo(assignment);
    }

    private static Placement.PodAffinityTerm self(String app, String key) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, key);
    }
}
