package io.nodesizer.pattern;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;

final class SeedPatternsTest {

    private static PackingProblem problem(List<PodGroup> groups, Resources node) {
        return new PackingProblem(DemandTable.of(Workload.of(groups)), shape("n", node), Resources.ZERO);
    }

    private static long[] demand(RequestTypes types) {
        long[] d = new long[types.count()];
        for (int t = 0; t < d.length; t++) {
            d[t] = types.pods(t);
        }
        return d;
    }

    /** 1,000 pods of 60 and 1,000 of 40 CPU on 100-CPU nodes: every FFD node is one of each. */
    @Test
    void identicalNodesAreOnePattern() {
        PackingProblem p = problem(List.of(group("big", 60, 0, 1000), group("small", 40, 0, 1000)), new Resources(100, 0, 110, 0, 0));
        RequestTypes types = RequestTypes.of(p);
        List<int[]> seeds = SeedPatterns.firstFitDecreasing(types, demand(types));
        assertThat(seeds).hasSize(1);
        assertThat(seeds.get(0)).containsExactly(1, 1);
    }

    /** Random workloads with GPU shares: every seed fits one node on every resource and on the devices. */
    @Test
    void everySeedFitsANode() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 30; trial++) {
            List<PodGroup> groups = new ArrayList<>();
            for (int g = 0; g < 1 + rnd.nextInt(12); g++) {
                long gpu = rnd.nextInt(3) == 0 ? 100L * (1 + rnd.nextInt(10)) : 0;
                groups.add(group("g" + g, new Resources(500L * (1 + rnd.nextInt(16)), 1L << (20 + rnd.nextInt(10)), 1, gpu, 0),
                        1 + rnd.nextInt(400)));
            }
            PackingProblem p = problem(groups, new Resources(16_000, 64L << 30, 30, 4000, 0));
            RequestTypes types = RequestTypes.of(p);
            long[] demand = demand(types);
            for (int[] seed : SeedPatterns.firstFitDecreasing(types, demand)) {
                for (int k = 0; k < types.dimensions(); k++) {
                    long used = 0;
                    for (int t = 0; t < seed.length; t++) {
                        used += seed[t] * types.size(t, k);
                    }
                    assertThat(used).as("trial %d dimension %d", trial, k).isLessThanOrEqualTo(types.capacity(k));
                }
                assertThat(types.holdsOnDevices(seed)).isTrue();
                for (int t = 0; t < seed.length; t++) {
                    assertThat((long) seed[t]).isLessThanOrEqualTo(demand[t]);
                }
            }
        }
    }

    /**
     * The node count of the first-fit decreasing packing: 5 pods of 60 and 3 of 40 CPU on 100-CPU nodes take three nodes
     * of 60 + 40 and two of 60 alone (the groups' counts, not the distinct patterns); 1,000 pairs take 1,000 nodes; a
     * pod that fits no node leaves it unplaced: -1.
     */
    @Test
    void theNodeCountIsTheGroupsCounts() {
        PackingProblem few = problem(List.of(group("big", 60, 0, 5), group("small", 40, 0, 3)), new Resources(100, 0, 110, 0, 0));
        RequestTypes types = RequestTypes.of(few);
        assertThat(SeedPatterns.firstFitDecreasingNodes(types, demand(types))).isEqualTo(5);
        PackingProblem pairs = problem(List.of(group("big", 60, 0, 1000), group("small", 40, 0, 1000)), new Resources(100, 0, 110, 0, 0));
        RequestTypes paired = RequestTypes.of(pairs);
        assertThat(SeedPatterns.firstFitDecreasingNodes(paired, demand(paired))).isEqualTo(1000);
        // Pod slots: 3 a node, 8 pods of 10 CPU: three nodes though CPU would take one.
        PackingProblem slots = problem(List.of(group("tiny", 10, 0, 8)), new Resources(100, 0, 3, 0, 0));
        RequestTypes slotted = RequestTypes.of(slots);
        assertThat(SeedPatterns.firstFitDecreasingNodes(slotted, demand(slotted))).isEqualTo(3);
    }

    /** The patterns of a packing are its nodes' pods per type, each distinct node once. */
    @Test
    void thePatternsOfAPackingAreItsNodes() {
        PackingProblem p = problem(List.of(group("big", 60, 0, 5), group("small", 40, 0, 3)), new Resources(100, 0, 110, 0, 0));
        PackingResult ffd = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
        List<int[]> seeds = SeedPatterns.of(RequestTypes.of(p), ffd.assignment(), ffd.nodeCount());
        // FFD: three nodes of 60 + 40, two of 60 alone.
        assertThat(seeds).hasSize(2);
        assertThat(seeds).anySatisfy(s -> assertThat(s).containsExactly(1, 1));
        assertThat(seeds).anySatisfy(s -> assertThat(s).containsExactly(1, 0));
    }
}
