package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast strategies (segment tree and bulk replicas in FFD, ordered free shares in BFD) must
 * place every pod exactly where the textbook pod-by-pod scan would.
 */
final class ReferenceImplementationTest {
    private static final int D = DemandTable.D;
    private static final int GPU = io.nodesizer.model.Resource.GPU.ordinal();
    private static final NodeShape SHAPE = Fixtures.shape("n", new Resources(8000, 32 * GIB, 30, 4000, 0));

    @Test
    void firstFitDecreasingMatchesTheNaiveScan() {
        for (long seed = 1; seed <= 60; seed++) {
            PackingProblem p = problem(seed);
            int[] fast = run(p, new FirstFitDecreasing());
            assertThat(fast).as("seed %d", seed).isEqualTo(naive(p, false));
        }
    }

    @Test
    void firstFitDecreasingMatchesTheNaiveScanOnManyDistinctPods() {
        // Thousands of distinct CPU- and memory-heavy pods: hundreds of nodes, tree growth, dead
        // nodes and the ratio projections all come into play.
        for (long seed = 1; seed <= 4; seed++) {
            Workload w = Fixtures.randomWorkload(seed, 3000, 1, 4000, 24 * GIB, false);
            PackingProblem p = new PackingProblem(DemandTable.of(w), SHAPE, Resources.ZERO);
            assertThat(run(p, new FirstFitDecreasing())).as("seed %d", seed).isEqualTo(naive(p, false));
        }
    }

    /**
     * A trace's shape: thousands of groups, most of one pod, drawn from a few dozen requests, so
     * FFD places runs of equal groups as one and the order is sorted per demand class; some
     * requests tie on both shares with another (CPU and memory swapped), some groups are too big
     * for the node, GPU shares and whole GPUs go on devices. Against pod-by-pod first fit in the
     * order by definition, with its own device bookkeeping: the same node and the same devices for
     * every pod.
     */
    @Test
    void firstFitDecreasingMatchesPodByPodOnManyEqualGroups() {
        NodeShape gpuShape = Fixtures.shape("g", new Resources(8000, 32 * GIB, 110, 8000, 0));
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            long[][] requests = new long[12 + random.nextInt(30)][];
            for (int i = 0; i < requests.length; i++) {
                long cpu = 250L * (1 + random.nextInt(12));
                long mem = GIB / 2 * (1 + random.nextInt(24));
                long gpu = switch (random.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> 1000L * (1 + random.nextInt(seed % 2 == 0 ? 2 : 4));
                    default -> 125L * (1 + random.nextInt(7));
                };
                requests[i] = i % 5 == 4
                        // the CPU and memory shares of the one before, swapped (exact: j/32 and k/64 of the node)
                        ? new long[] {requests[i - 1][1] / (GIB / 2) * 125, requests[i - 1][0] / 250 * GIB, requests[i - 1][2]}
                        : new long[] {cpu, mem, gpu};
            }
            List<PodGroup> groups = new ArrayList<>();
            int count = 2500 + random.nextInt(3000);
            for (int i = 0; i < count; i++) {
                long[] r = requests[random.nextInt(requests.length)];
                long cpu = random.nextInt(200) == 0 ? 9000 : r[0]; // now and then one that fits no node
                int replicas = random.nextInt(10) == 0 ? 1 + random.nextInt(5) : 1;
                groups.add(Fixtures.group("p" + i, new Resources(cpu, r[1], 1, r[2], 0), replicas));
            }
            PackingProblem p = new PackingProblem(DemandTable.of(Workload.of(groups)), gpuShape, Resources.ZERO);
            assertThat(p.table().demandClasses().count()).isLessThanOrEqualTo(p.schedulableGroups().length / 4);
            PackingResult fast = PackingEngine.pack(p, new FirstFitDecreasing(), 1);
            long[] masks = new long[p.table().podCount()];
            int[] naive = naiveWithDevices(p, masks);
            assertThat(fast.assignment()).as("seed %d", seed).isEqualTo(naive);
            assertThat(fast.gpuDevices()).as("seed %d", seed).isEqualTo(masks);
        }
    }

    /** Pod by pod in the order by definition, each on the lowest node with room in every resource and on its devices. */
    private static int[] naiveWithDevices(PackingProblem p, long[] masks) {
        int[] a = new int[p.table().podCount()];
        Arrays.fill(a, -1);
        long[] cap = p.podCapacity();
        int[] dims = p.activeDims();
        long[] demand = p.flatDemand();
        int devices = GpuDevices.count(cap[GPU]);
        List<long[]> free = new ArrayList<>();
        List<int[]> load = new ArrayList<>();
        for (int g : byDefinition(p)) {
            long gpu = demand[g * D + GPU];
            for (int i = 0; i < p.table().replicas(g); i++) {
                int chosen = -1;
                for (int n = 0; n < free.size() && chosen < 0; n++) {
                    boolean fits = GpuDevices.fits(load.get(n), 0, devices, gpu);
                    for (int r : dims) {
                        fits &= demand[g * D + r] <= free.get(n)[r];
                    }
                    chosen = fits ? n : -1;
                }
                if (chosen < 0) {
                    free.add(cap.clone());
                    load.add(new int[devices]);
                    chosen = free.size() - 1;
                }
                for (int r : dims) {
                    free.get(chosen)[r] -= demand[g * D + r];
                }
                int pod = p.table().firstPod(g) + i;
                masks[pod] = GpuDevices.take(load.get(chosen), 0, devices, gpu);
                a[pod] = chosen;
            }
        }
        return a;
    }

    /** Dominant share descending, total share descending, input order (a stable library sort). */
    private static int[] byDefinition(PackingProblem p) {
        long[] demand = p.flatDemand();
        long[] cap = p.podCapacity();
        double[] dominant = new double[p.table().groupCount()];
        double[] total = new double[dominant.length];
        for (int g : p.schedulableGroups()) {
            for (int r : p.activeDims()) {
                double share = (double) demand[g * D + r] / cap[r];
                total[g] += share;
                dominant[g] = Math.max(dominant[g], share);
            }
        }
        return Arrays.stream(p.schedulableGroups()).boxed()
                .sorted(Comparator.<Integer>comparingDouble(g -> -dominant[g]).thenComparingDouble(g -> -total[g]))
                .mapToInt(Integer::intValue).toArray();
    }

    @Test
    void bestFitDecreasingMatchesTheNaiveScan() {
        for (long seed = 1; seed <= 60; seed++) {
            PackingProblem p = problem(seed);
            int[] fast = run(p, new BestFitDecreasing());
            assertThat(fast).as("seed %d", seed).isEqualTo(naive(p, true));
        }
    }

    private static PackingProblem problem(long seed) {
        Workload w = Fixtures.randomWorkload(seed, 5 + (int) (seed % 50), 8, 3000, 12 * GIB, seed % 2 == 0);
        return new PackingProblem(DemandTable.of(w), SHAPE, Resources.ZERO);
    }

    private static int[] run(PackingProblem p, PackingStrategy s) {
        int[] a = new int[p.table().podCount()];
        Arrays.fill(a, -1);
        s.pack(p, new NodeLedger(p.podCapacity(), 16), a, new SplittableRandom(1));
        return a;
    }

    /** Pod by pod in decreasing order; first fit = lowest index, best fit = smallest Σ free/capacity (ties: lowest index). */
    private static int[] naive(PackingProblem p, boolean bestFit) {
        int[] a = new int[p.table().podCount()];
        Arrays.fill(a, -1);
        long[] cap = p.podCapacity();
        int[] dims = p.activeDims();
        long[] demand = p.flatDemand();
        long[][] free = new long[a.length + 1][];
        int nodes = 0;
        for (int g : DecreasingOrder.of(p)) {
            for (int i = 0; i < p.table().replicas(g); i++) {
                int chosen = -1;
                double best = Double.MAX_VALUE;
                for (int n = 0; n < nodes; n++) {
                    boolean fits = true;
                    for (int r : dims) {
                        fits &= demand[g * D + r] <= free[n][r];
                    }
                    if (!fits) {
                        continue;
                    }
                    if (!bestFit) {
                        chosen = n;
                        break;
                    }
                    double share = 0;
                    for (int r : dims) {
                        share += free[n][r] * (1.0 / cap[r]);
                    }
                    if (share < best) {
                        best = share;
                        chosen = n;
                    }
                }
                if (chosen < 0) {
                    free[nodes] = cap.clone();
                    chosen = nodes++;
                }
                for (int r : dims) {
                    free[chosen][r] -= demand[g * D + r];
                }
                a[p.table().firstPod(g) + i] = chosen;
            }
        }
        return a;
    }
}
