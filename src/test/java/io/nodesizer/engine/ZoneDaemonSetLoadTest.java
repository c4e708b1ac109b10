package io.nodesizer.engine;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DaemonSets that run on the nodes of some zones only ({@link PackingProblem#zoneCapacities()}): each node leaves pods what
 * its zone's DaemonSets leave, a pod that fits the nodes of some zone is placed, and the lower bound stays at or below the
 * optimum (brute force over node counts, zone mixes and assignments on tiny instances).
 */
final class ZoneDaemonSetLoadTest {
    private static final NodeShape SHAPE = Fixtures.shape("s", 4000, 16 * GIB, 110, null);

    /** A 4-CPU shape whose zone-a nodes run a DaemonSet of {@code zoneACpu} and zone-b nodes none. */
    private static PackingProblem problem(List<PodGroup> groups, long zoneACpu) {
        DemandTable table = DemandTable.of(Workload.of(groups), List.of("a", "b"));
        Resources a = new Resources(zoneACpu, 0, 1, 0, 0);
        return new PackingProblem(table, SHAPE, a, a, List.of(a, Resources.ZERO), List.of(a, Resources.ZERO));
    }

    @Test
    void zoneBNodesPayNothingForAZoneADaemonSet() {
        // 4 pods of 2 CPU: a zone-a node (3 CPU left) takes 1, a zone-b node (4) takes 2; round the zones a, b, a: 3 nodes,
        // where charging the DaemonSet on every node took 4.
        PackingProblem p = problem(List.of(Fixtures.group("web", 2000, GIB, 4)), 1000);
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1); // verified against each node's zone
            assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(3);
            assertThat(r.unschedulable()).isEmpty();
        }
        // The bound counts on the lightest node: 8 CPU / 4 = 2, not 4 (no packing with a node of each zone reaches it,
        // two zone-b nodes do).
        assertThat(LowerBounds.compute(p).value()).isEqualTo(2);
    }

    @Test
    void podsThatFitOnlyTheNodesOfTheLighterZoneArePlacedThere() {
        // A 2-CPU DaemonSet in zone a leaves 2 CPU there; 3-CPU pods fit only zone b's nodes, one each.
        PackingProblem p = problem(List.of(Fixtures.group("web", 3000, GIB, 4)), 2000);
        assertThat(p.unschedulable()).isEmpty();
        PackingResult r = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
        assertThat(r.nodeCount()).isEqualTo(4);
        for (int node = 0; node < r.nodeCount(); node++) {
            assertThat(r.zoneOf(node, 2)).isEqualTo(1);
        }
        // Bigger than every zone's room: unschedulable, with each zone's room.
        PackingProblem tooBig = problem(List.of(Fixtures.group("big", 4500, GIB, 1)), 2000);
        assertThat(tooBig.unschedulable()).singleElement().extracting(PackingProblem.Unschedulable::reason).asString()
                .contains("needs 4.5 CPU").contains("(2 after DaemonSets in zone a, 4 in zone b)");
    }

    @Test
    void boundNeverAboveTheOptimumOnTinyInstances() {
        SplittableRandom random = new SplittableRandom(78);
        for (int trial = 0; trial < 150; trial++) {
            int groups = 1 + random.nextInt(3);
            List<PodGroup> list = new ArrayList<>();
            int pods = 0;
            for (int g = 0; g < groups; g++) {
                int replicas = 1 + random.nextInt(2);
                pods += replicas;
                list.add(Fixtures.group("g" + g, 250L * (1 + random.nextInt(14)), GIB * (1 + random.nextInt(8)), replicas));
            }
            long dsCpu = 250L * random.nextInt(12);
            PackingProblem p = problem(list, dsCpu);
            if (!p.unschedulable().isEmpty()) {
                continue;
            }
            long[] cpu = new long[pods];
            long[] mem = new long[pods];
            int i = 0;
            for (PodGroup g : list) {
                for (int k = 0; k < g.replicas(); k++, i++) {
                    cpu[i] = g.request().cpuMillis();
                    mem[i] = g.request().memoryBytes();
                }
            }
            int optimum = optimum(cpu, mem, 4000 - dsCpu, 4000, 16 * GIB);
            LowerBound bound = LowerBounds.compute(p);
            assertThat(bound.value()).as("trial %d: %s, DaemonSet %dm in zone a", trial, list, dsCpu).isLessThanOrEqualTo(optimum);
            PackingResult r = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
            assertThat(r.nodeCount()).isGreaterThanOrEqualTo(optimum);
        }
    }

    /** The fewest nodes, each in zone a (CPU {@code capA}) or zone b ({@code capB}), that hold every pod: by brute force. */
    private static int optimum(long[] cpu, long[] mem, long capA, long capB, long memCap) {
        for (int n = 1; n <= cpu.length; n++) {
            for (int inA = 0; inA <= n; inA++) {
                long[] cpuCap = new long[n];
                for (int k = 0; k < n; k++) {
                    cpuCap[k] = k < inA ? capA : capB;
                }
                if (assign(0, cpu, mem, cpuCap, new long[n], new long[n], memCap)) {
                    return n;
                }
            }
        }
        throw new AssertionError("every pod fits a node of its own");
    }

    private static boolean assign(int pod, long[] cpu, long[] mem, long[] cpuCap, long[] cpuUsed, long[] memUsed, long memCap) {
        if (pod == cpu.length) {
            return true;
        }
        for (int k = 0; k < cpuCap.length; k++) {
            if (cpuUsed[k] + cpu[pod] <= cpuCap[k] && memUsed[k] + mem[pod] <= memCap) {
                cpuUsed[k] += cpu[pod];
                memUsed[k] += mem[pod];
                boolean ok = assign(pod + 1, cpu, mem, cpuCap, cpuUsed, memUsed, memCap);
                cpuUsed[k] -= cpu[pod];
                memUsed[k] -= mem[pod];
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }
}
