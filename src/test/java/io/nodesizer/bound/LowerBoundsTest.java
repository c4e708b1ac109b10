package io.nodesizer.bound;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;

final class LowerBoundsTest {

    @Test
    void l2CountsItemsAboveHalfCapacityThatL1Misses() {
        // Three items of 6 on capacity 10: L1 = ceil(18/10) = 2, but no two share a bin → L2 = 3.
        assertThat(LowerBounds.martelloTothL2(new long[] {6}, new int[] {3}, 10)).isEqualTo(3);
    }

    @Test
    void l2AddsTheSmallItemsThatDoNotFitTheLeftovers() {
        // Capacity 10: two items of 7 and five of 3. α = 3: J2 = (5, 7] = the two 7s, leaving 2·10 − 14 = 6;
        // J3 = [3, 5] = five 3s = 15; 15 − 6 = 9 → one more bin → L2 = 3 (L1 = ceil(29/10) = 3 as well).
        assertThat(LowerBounds.martelloTothL2(new long[] {7, 3}, new int[] {2, 5}, 10)).isEqualTo(3);
        // Items 8, 8, 3, 3, 3: L1 = ceil(25/10) = 3. α = 3: J1 = items > 7 = two 8s (the 3s cannot join them),
        // J3 = three 3s = 9 → ceil(9/10) = 1 more → L2 = 3. α = 0 gives 2 + ceil((9 − 4)/10) = 3.
        assertThat(LowerBounds.martelloTothL2(new long[] {8, 3}, new int[] {2, 3}, 10)).isEqualTo(3);
        // Items 9, 9, 2, 2: L1 = ceil(22/10) = 3; α = 2: the 9s (> 8) are alone, the 2s need another bin → 3.
        assertThat(LowerBounds.martelloTothL2(new long[] {9, 2}, new int[] {2, 2}, 10)).isEqualTo(3);
        // Items 9, 9, 1, 1: α = 1: the 9s are not > 9, J2 = two 9s with slack 2 = the two 1s → 2 bins.
        assertThat(LowerBounds.martelloTothL2(new long[] {9, 1}, new int[] {2, 2}, 10)).isEqualTo(2);
    }

    /** The one-pass L2 against its definition: every α in [0, C/2], sums taken directly. */
    @Test
    void l2MatchesItsDefinitionOnRandomItems() {
        java.util.Random rnd = new java.util.Random(3);
        for (int trial = 0; trial < 300; trial++) {
            long capacity = 10 + rnd.nextInt(200);
            int n = 1 + rnd.nextInt(trial < 200 ? 12 : 6000);
            long[] sizes = new long[n];
            int[] counts = new int[n];
            for (int i = 0; i < n; i++) {
                sizes[i] = rnd.nextInt((int) capacity + 1);
                counts[i] = 1 + rnd.nextInt(4);
            }
            long expected = 0;
            for (long alpha = 0; 2 * alpha <= capacity; alpha++) {
                long j1 = 0;
                long j2 = 0;
                long sumJ2 = 0;
                long sumJ3 = 0;
                for (int i = 0; i < n; i++) {
                    long sz = sizes[i];
                    if (sz > capacity - alpha) {
                        j1 += counts[i];
                    } else if (2 * sz > capacity) {
                        j2 += counts[i];
                        sumJ2 += sz * counts[i];
                    } else if (sz >= alpha) {
                        sumJ3 += sz * counts[i];
                    }
                }
                long excess = sumJ3 - (j2 * capacity - sumJ2);
                expected = Math.max(expected, j1 + j2 + (excess <= 0 ? 0 : (excess + capacity - 1) / capacity));
            }
            assertThat((long) LowerBounds.martelloTothL2(sizes, counts, capacity)).as("trial %d", trial).isEqualTo(expected);
        }
    }

    /**
     * compute() takes L2 as L1 where no pod is above half a node (no sort then): that is exactly what
     * the full L2 gives, checked against it on random workloads with and without such pods.
     */
    @Test
    void l2PartsAreTheFullL2() {
        for (int seed = 0; seed < 60; seed++) {
            Workload w = io.nodesizer.testkit.Fixtures.randomWorkload(seed, 1 + seed % 40, 6, 100 + 80L * seed, (1L + seed % 7) * GIB, false);
            PackingProblem p = new PackingProblem(DemandTable.of(w), shape("n", 4000, 16 * GIB, 110, 0.2), Resources.ZERO);
            LowerBound b = LowerBounds.compute(p);
            int[] groups = p.schedulableGroups();
            int[] counts = java.util.Arrays.stream(groups).map(g -> p.table().replicas(g)).toArray();
            for (int r : p.activeDims()) {
                long[] sizes = java.util.Arrays.stream(groups).mapToLong(g -> p.flatDemand()[g * DemandTable.D + r]).toArray();
                String name = "L2(" + io.nodesizer.model.Resource.at(r).kubernetesName() + ")";
                int full = LowerBounds.martelloTothL2(sizes, counts, p.podCapacity()[r]);
                assertThat(b.parts()).as("seed %d %s", seed, name).anySatisfy(part -> {
                    assertThat(part.method()).isEqualTo(name);
                    assertThat(part.value()).isEqualTo(full);
                });
            }
        }
    }

    @Test
    void dualFeasibleFunctionsCountPodsThatFitOnlySoManyToANode() {
        // 30 pods of 500m on 1,930m nodes: three to a node, 10 nodes; the volume says 8 and L2 as much.
        LowerBounds.Merged m = LowerBounds.Merged.of(new long[] {500}, new int[] {30});
        assertThat(LowerBounds.martelloTothL2(m, 1930)).isEqualTo(8);
        assertThat(LowerBounds.feketeSchepers(m, 1930)).isEqualTo(10);
        // A size that divides the capacity counts as itself: 4 × 250 on 1,000 fill one node exactly.
        assertThat(LowerBounds.feketeSchepers(LowerBounds.Merged.of(new long[] {250}, new int[] {4}), 1000)).isEqualTo(1);
    }

    /** The 2^60 audit: t·C passed a long for C past 2^56 (one 1Ei pod on a 7Ei node was bounded at 2 nodes, below the packing's 1). */
    @Test
    void dualFeasibleFunctionsHoldForCapacitiesNearALong() {
        assertThat(LowerBounds.feketeSchepers(LowerBounds.Merged.of(new long[] {1L << 60}, new int[] {1}), 7L << 60)).isEqualTo(1);
        assertThat(LowerBounds.feketeSchepers(LowerBounds.Merged.of(new long[] {4L << 60}, new int[] {3}), 6L << 60)).isEqualTo(3);
        // Three to a node when each is a bit over a quarter: the same answer as at a small capacity, scaled.
        long c = (1L << 62) + 12345;
        assertThat(LowerBounds.feketeSchepers(LowerBounds.Merged.of(new long[] {c / 4 + 1}, new int[] {30}), c))
                .isEqualTo(LowerBounds.feketeSchepers(LowerBounds.Merged.of(new long[] {1001}, new int[] {30}), 4000));
    }

    /** The bound against its definition, u_k summed pod by pod in exact fractions, and against the optimum of small instances. */
    @Test
    void dualFeasibleFunctionsMatchTheirDefinitionAndNeverPassTheOptimum() {
        java.util.Random rnd = new java.util.Random(5);
        for (int trial = 0; trial < 400; trial++) {
            long capacity = 10 + rnd.nextInt(trial < 300 ? 50 : 5000);
            int n = 1 + rnd.nextInt(trial < 300 ? 8 : 400);
            long[] sizes = new long[n];
            int[] counts = new int[n];
            for (int i = 0; i < n; i++) {
                sizes[i] = rnd.nextInt(6) == 0 ? capacity / (2 + rnd.nextInt(4)) : rnd.nextInt((int) capacity + 1);
                counts[i] = trial < 300 ? 1 : 1 + rnd.nextInt(4);
            }
            long smallest = java.util.Arrays.stream(sizes).filter(x -> x > 0).min().orElse(0);
            long expected = 0;
            for (long k = 1; smallest > 0 && k <= Math.min(100, capacity / smallest); k++) {
                java.math.BigInteger sum = java.math.BigInteger.ZERO; // Σ u_k × k × C
                for (int i = 0; i < n; i++) {
                    long unit = (k + 1) * sizes[i] % capacity == 0 ? k * sizes[i] : capacity * ((k + 1) * sizes[i] / capacity);
                    sum = sum.add(java.math.BigInteger.valueOf(unit * counts[i]));
                }
                java.math.BigInteger[] qr = sum.divideAndRemainder(java.math.BigInteger.valueOf(k * capacity));
                expected = Math.max(expected, qr[0].longValue() + (qr[1].signum() == 0 ? 0 : 1));
            }
            int dff = LowerBounds.feketeSchepers(LowerBounds.Merged.of(sizes, counts), capacity);
            assertThat((long) dff).as("trial %d", trial).isEqualTo(expected);
            if (trial < 300) {
                assertThat(dff).as("trial %d: %s on %d", trial, java.util.Arrays.toString(sizes), capacity)
                        .isLessThanOrEqualTo(fewestBins(sizes, capacity));
            }
        }
    }

    /** The fewest bins of {@code capacity} for {@code sizes}, by search (largest first, each into a used bin or a new one). */
    private static int fewestBins(long[] sizes, long capacity) {
        long[] s = sizes.clone();
        java.util.Arrays.sort(s);
        int best = s.length;
        return search(s, s.length - 1, new long[s.length], 0, capacity, best);
    }

    private static int search(long[] s, int i, long[] load, int used, long capacity, int best) {
        if (used >= best) {
            return best;
        }
        if (i < 0) {
            return used;
        }
        for (int b = 0; b < used; b++) {
            if (load[b] + s[i] <= capacity) {
                load[b] += s[i];
                best = search(s, i - 1, load, used, capacity, best);
                load[b] -= s[i];
            }
        }
        load[used] = s[i];
        best = search(s, i - 1, load, used + 1, capacity, best);
        load[used] = 0;
        return best;
    }

    /** A pod is alone when no other pod — another replica or any other group's — fits beside it. */
    @Test
    void aloneMatchesItsDefinitionOnRandomGroups() {
        java.util.Random rnd = new java.util.Random(21);
        int d = DemandTable.D;
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(40);
            int[] groups = new int[n];
            int[] counts = new int[n];
            long[] demand = new long[n * d];
            long[] cap = {100, 100, 10, 0, 0};
            int[] dims = {0, 1, 2};
            for (int i = 0; i < n; i++) {
                groups[i] = i;
                counts[i] = 1 + rnd.nextInt(2);
                demand[i * d] = rnd.nextInt(101);
                demand[i * d + 1] = rnd.nextInt(101);
                demand[i * d + 2] = 1;
            }
            boolean[] got = LowerBounds.alone(groups, counts, demand, cap, dims);
            for (int i = 0; i < n; i++) {
                boolean partner = false;
                for (int j = 0; j < n && !partner; j++) {
                    if (j == i && counts[i] < 2) {
                        continue;
                    }
                    partner = demand[i * d] + demand[j * d] <= 100 && demand[i * d + 1] + demand[j * d + 1] <= 100;
                }
                assertThat(got[i]).as("trial %d group %d", trial, i).isEqualTo(!partner);
            }
        }
    }

    /** The packed-key radix sort orders like a stable sort by value, for small and large arrays. */
    @Test
    void ascendingIsAStableSortByValue() {
        java.util.Random rnd = new java.util.Random(9);
        for (int n : new int[] {0, 1, 7, 4095, 4096, 50_000}) {
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                values[i] = rnd.nextBoolean() ? rnd.nextInt(100) : Math.abs(rnd.nextLong() >>> 24);
            }
            Integer[] expected = new Integer[n];
            for (int i = 0; i < n; i++) {
                expected[i] = i;
            }
            java.util.Arrays.sort(expected, (a, b) -> Long.compare(values[a], values[b]));
            assertThat(LowerBounds.ascending(values)).containsExactly(java.util.Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
        }
        // Values too large to share a long with the index take the boxed path.
        long[] huge = {Long.MAX_VALUE, 3, Long.MAX_VALUE - 1, 0};
        assertThat(LowerBounds.ascending(huge)).containsExactly(3, 1, 2, 0);
    }

    @Test
    void podsThatAreLargeInDifferentResourcesCanStillBeAlone() {
        // Node 10 CPU / 10 GiB. A: 6 CPU, 5 GiB. B: 5 CPU, 6 GiB. A+A and B+B overflow; A+B = 11 CPU overflows too.
        // Every pod is alone, so 2 A + 2 B need 4 nodes, while L1 = ceil(22/10) = 3 and L2 per resource = 2
        // (only the two 6s are above half in each resource; the 5s sit exactly at half).
        Workload w = Workload.of(List.of(group("a", new Resources(6000, 5 * GIB, 1, 0, 0), 2),
                group("b", new Resources(5000, 6 * GIB, 1, 0, 0), 2)));
        PackingProblem p = new PackingProblem(DemandTable.of(w), shape("n", new Resources(10000, 10 * GIB, 110, 0, 0)), Resources.ZERO);
        LowerBound bound = LowerBounds.compute(p);
        assertThat(bound.value()).isEqualTo(4);
        assertThat(bound.method()).isEqualTo("alone+L2");
    }

    @Test
    void volumeBoundIsExactForHugeSums() {
        // 2^20 pods of 2^50 bytes overflow 64-bit sums (2^70); capacity 2^51 → exactly 2^19 nodes.
        int[] groups = {0};
        long[] demand = {0, 1L << 50, 0, 0, 0};
        assertThat(LowerBounds.volume(groups, new int[] {1 << 20}, demand, 1, 1L << 51)).isEqualTo(1 << 19);
    }

    @Test
    void gapIsRelativeToTheBound() {
        LowerBound b = new LowerBound(40, "L1(cpu)", List.of());
        assertThat(b.gapPercent(42)).isEqualTo(5.0);
    }
}
