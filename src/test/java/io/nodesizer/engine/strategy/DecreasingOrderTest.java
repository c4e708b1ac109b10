package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The radix-sorted order (large inputs) and the merge-sorted one (small) against a library stable
 * sort by the definition: dominant share descending, then total share descending, then input order.
 */
final class DecreasingOrderTest {
    private static final NodeShape SHAPE = Fixtures.shape("n", new Resources(8000, 32 * GIB, 110, 4000, 0));

    @Test
    void matchesAStableSortByDefinition() {
        for (long seed = 1; seed <= 12; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int groups = seed % 3 == 0 ? 50 + random.nextInt(500) : 2048 + random.nextInt(4000);
            // Few distinct CPU and memory values, so dominant and total shares tie often; some
            // pods request nothing of a resource; some groups are the same pod twice.
            List<PodGroup> out = new ArrayList<>();
            for (int i = 0; i < groups; i++) {
                long cpu = random.nextInt(8) == 0 ? 0 : 100L * (1 + random.nextInt(seed % 2 == 0 ? 20 : 4000));
                long mem = random.nextInt(8) == 0 ? 0 : (256L << 20) * (1 + random.nextInt(seed % 2 == 0 ? 30 : 100_000));
                long gpu = random.nextInt(10) == 0 ? 500L * (1 + random.nextInt(4)) : 0;
                out.add(Fixtures.group("g" + i, new Resources(Math.max(cpu, mem == 0 ? 10 : 0), mem, 1, gpu, 0), 1 + random.nextInt(3)));
            }
            PackingProblem p = new PackingProblem(DemandTable.of(Workload.of(out)), SHAPE, Resources.ZERO);
            assertThat(DecreasingOrder.of(p)).as("seed %d", seed).containsExactly(byDefinition(p));
        }
    }

    /**
     * Dominant shares that differ only in their lowest bits (memory of a node with 1 TiB, pods a
     * few KiB apart around a few sizes): the radix sort orders by the shares' top bits, so these
     * end in one run and only the sort of the run tells them apart, in short runs and long ones.
     */
    @Test
    void sharesCloserThanTheRadixKeySees() {
        NodeShape big = Fixtures.shape("big", new Resources(8000, 1024 * GIB, 110, 0, 0));
        for (long seed = 1; seed <= 8; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int groups = 2048 + random.nextInt(3000);
            int centers = seed % 2 == 0 ? 6 : 60; // about 500 pods a run, or 50
            List<PodGroup> out = new ArrayList<>();
            for (int i = 0; i < groups; i++) {
                long mem = 64 * GIB * (1 + random.nextInt(6)) + GIB / 64 * random.nextInt(centers / 6) + random.nextInt(4096);
                long cpu = 100L * (1 + random.nextInt(3));
                out.add(Fixtures.group("g" + i, new Resources(cpu, mem, 1, 0, 0), 1));
            }
            PackingProblem p = new PackingProblem(DemandTable.of(Workload.of(out)), big, Resources.ZERO);
            assertThat(DecreasingOrder.of(p)).as("seed %d", seed).containsExactly(byDefinition(p));
        }
    }

    /**
     * Thousands of groups over a few dozen requests, as a trace: the order is sorted per demand
     * class. Some requests tie with another on both shares (CPU and memory swapped), so the groups
     * of two classes interleave in input order; some groups fit no node and stay out.
     */
    @Test
    void perDemandClassAsByDefinition() {
        for (long seed = 1; seed <= 8; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            long[][] requests = new long[4 + random.nextInt(40)][];
            for (int i = 0; i < requests.length; i++) {
                int j = 1 + random.nextInt(16);
                int k = 1 + random.nextInt(30);
                // CPU j/32 and memory k/64 of the node, or the two swapped (equal dominant and total shares)
                requests[i] = i % 3 == 2 ? new long[] {125L * k, GIB * j} : new long[] {250L * j, GIB / 2 * k};
            }
            List<PodGroup> out = new ArrayList<>();
            int groups = 2048 + random.nextInt(6000);
            for (int i = 0; i < groups; i++) {
                long[] r = requests[random.nextInt(requests.length)];
                long cpu = random.nextInt(100) == 0 ? 9000 : r[0];
                out.add(Fixtures.group("g" + i, new Resources(cpu, r[1], 1, 0, 0), 1 + random.nextInt(2)));
            }
            PackingProblem p = new PackingProblem(DemandTable.of(Workload.of(out)), SHAPE, Resources.ZERO);
            assertThat(p.table().demandClasses().count()).isLessThanOrEqualTo(p.schedulableGroups().length / 4);
            assertThat(DecreasingOrder.of(p)).as("seed %d", seed).containsExactly(byDefinition(p));
        }
    }

    private static int[] byDefinition(PackingProblem p) {
        long[] demand = p.flatDemand();
        long[] cap = p.podCapacity();
        int[] dims = p.activeDims();
        List<Integer> groups = new ArrayList<>();
        for (int g : p.schedulableGroups()) {
            groups.add(g);
        }
        double[] dominant = new double[p.table().groupCount()];
        double[] total = new double[dominant.length];
        for (int g : groups) {
            for (int r : dims) {
                double share = (double) demand[g * DemandTable.D + r] / cap[r];
                total[g] += share;
                dominant[g] = Math.max(dominant[g], share);
            }
        }
        groups.sort(Comparator.<Integer>comparingDouble(g -> -dominant[g]).thenComparingDouble(g -> -total[g]));
        return groups.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void radixSortIsStable() {
        SplittableRandom random = new SplittableRandom(3);
        // The widest key sets the passes: 24 bits (two of 12) or 63 (six of 11).
        for (long widest : new long[] {1L << 24, Long.MAX_VALUE}) {
            for (int n : new int[] {0, 1, 5, 3000, 20_000}) {
                check(random, n, widest);
            }
        }
    }

    private static void check(SplittableRandom random, int n, long widest) {
        long[] keys = new long[n];
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = random.nextBoolean() ? random.nextLong(16) : random.nextLong(widest);
            values[i] = i;
        }
        long[] sortedKeys = keys.clone();
        java.util.Arrays.sort(sortedKeys);
        long[] copy = keys.clone();
        StableRadixSort.sort(keys, values);
        assertThat(keys).isEqualTo(sortedKeys);
        for (int i = 1; i < n; i++) {
            assertThat(copy[values[i]]).isEqualTo(keys[i]);
            if (keys[i] == keys[i - 1]) {
                assertThat(values[i]).isGreaterThan(values[i - 1]);
            }
        }
    }
}
