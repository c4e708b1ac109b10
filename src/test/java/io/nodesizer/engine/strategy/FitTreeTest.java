package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.engine.NodeLedger;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FitTree#findFirst} against the textbook scan (lowest node in [from, nodeCount) the ledger
 * says fits), on random fleets driven like FFD drives the tree: pods land on the node the scan
 * finds or on a new one, nodes are killed when dead, the newest node stays out of the tree. With
 * CPU, memory, pods, ephemeral storage, GPU devices, pods that repel each other and zones.
 */
final class FitTreeTest {
    private static final int D = DemandTable.D;
    private static final int CPU = 0;
    private static final int MEM = 1;
    private static final int PODS = 2;
    private static final int GPU = 3;
    private static final int EPH = 4;

    @Test
    void cpuAndMemoryOnly() {
        for (long seed = 1; seed <= 40; seed++) {
            run(seed, new int[] {CPU, MEM, PODS}, false, false, 1, true);
        }
    }

    @Test
    void exactFitsOnARoundGrid() {
        // Requests in whole steps, so free amounts hit demands exactly: the boundary of every test.
        for (long seed = 1; seed <= 40; seed++) {
            run(seed, new int[] {CPU, MEM, PODS}, false, false, 1, true, true);
        }
    }

    @Test
    void withoutStaircases() {
        for (long seed = 1; seed <= 20; seed++) {
            run(seed, new int[] {CPU, MEM, PODS}, false, false, 1, false);
        }
    }

    @Test
    void severalResourcesAndFewPodSlots() {
        // Pod slots and ephemeral storage bind too, so subtrees pass the staircase and fail elsewhere.
        for (long seed = 1; seed <= 30; seed++) {
            run(seed, new int[] {CPU, MEM, PODS, EPH}, false, false, 1, true);
        }
    }

    @Test
    void gpuDevices() {
        for (long seed = 1; seed <= 30; seed++) {
            run(seed, new int[] {CPU, MEM, PODS, GPU}, true, false, 1, true);
        }
    }

    @Test
    void podsThatRepelEachOtherAndZones() {
        for (long seed = 1; seed <= 30; seed++) {
            run(seed, new int[] {CPU, MEM, PODS}, false, true, 1 + (int) (seed % 3), true);
        }
    }

    @Test
    void everythingAtOnce() {
        for (long seed = 1; seed <= 30; seed++) {
            run(seed, new int[] {CPU, MEM, PODS, GPU, EPH}, true, true, 3, true);
        }
    }

    @Test
    void staircasesCoarsenedOnManyComplementaryNodes() {
        // Thousands of nodes whose free CPU and memory trade off exactly: fronts far longer than
        // a staircase keeps, so the coarsened ones must still never hide a fitting node.
        SplittableRandom random = new SplittableRandom(7);
        int[] dims = {CPU, MEM, PODS};
        long[] capacity = {100_000, 100_000, 1000, 0, 0};
        NodeLedger ledger = new NodeLedger(capacity, 16);
        FitTree tree = new FitTree(dims, 16, true, new long[] {0, 0, 1, 0, 0});
        long[] demand = new long[D];
        for (int node = 0; node < 3000; node++) {
            ledger.open();
            long c = random.nextLong(100_000);
            demand[CPU] = c;
            demand[MEM] = Math.max(0, 100_000 - c - random.nextLong(50));
            demand[PODS] = 1;
            ledger.take(node, demand, 0, 0, dims, 1);
            tree.update(node, ledger);
        }
        for (int q = 0; q < 20_000; q++) {
            demand[CPU] = random.nextLong(100_000);
            demand[MEM] = random.nextLong(100_000);
            int from = random.nextInt(10) == 0 ? random.nextInt(3000) : 0;
            assertThat(tree.findFirst(demand, 0, 0, from, ledger.nodeCount(), ledger))
                    .as("query %d", q).isEqualTo(naive(ledger, demand, 0, 0, dims, from));
        }
    }

    /** Random groups placed pod by pod first-fit style; every search checked against the scan. */
    private static void run(long seed, int[] dims, boolean gpus, boolean rules, int zones, boolean staircases) {
        run(seed, dims, gpus, rules, zones, staircases, false);
    }

    private static void run(long seed, int[] dims, boolean gpus, boolean rules, int zones, boolean staircases, boolean grid) {
        SplittableRandom random = new SplittableRandom(seed);
        int groups = 1 + random.nextInt(60);
        long[] capacity = {8000, 32L << 30, 4 + random.nextInt(40), gpus ? 4000 : 0, 100L << 30};
        long[] demand = new long[groups * D];
        for (int g = 0; g < groups; g++) {
            demand[g * D + CPU] = random.nextInt(5) == 0 ? 0 : 10 + random.nextLong(4000);
            demand[g * D + MEM] = random.nextInt(5) == 0 ? 0 : (16L << 20) + random.nextLong(16L << 30);
            demand[g * D + PODS] = 1;
            if (gpus && random.nextInt(3) == 0) {
                demand[g * D + GPU] = random.nextBoolean() ? 1000L * (1 + random.nextInt(2)) : 100 + random.nextInt(900);
            }
            demand[g * D + EPH] = random.nextLong(30L << 30);
            if (grid) {
                demand[g * D + CPU] = 500L * random.nextInt(9);
                demand[g * D + MEM] = (long) random.nextInt(9) << 30;
            }
        }
        int[][] conflicts = null;
        int[] caps = null;
        int[] zoneSkew = null;
        if (rules) {
            conflicts = new int[groups][];
            caps = new int[groups];
            zoneSkew = new int[groups];
            for (int g = 0; g < groups; g++) {
                if (random.nextInt(4) == 0) {
                    int h = random.nextInt(groups);
                    conflicts[g] = g == h ? new int[] {g} : new int[] {Math.min(g, h), Math.max(g, h)};
                    caps[g] = 1 + random.nextInt(2);
                }
                zoneSkew[g] = random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0;
            }
            // Conflicts are symmetric: a group repels those that repel it.
            for (int g = 0; g < groups; g++) {
                if (conflicts[g] != null) {
                    for (int h : conflicts[g]) {
                        if (h != g) {
                            conflicts[h] = with(conflicts[h], g);
                            caps[h] = Math.max(1, caps[h]);
                        }
                    }
                }
            }
        }
        NodeLedger ledger = new NodeLedger(capacity, 16, gpus ? GpuDevices.count(capacity[GPU]) : 0, conflicts, caps, zones, zoneSkew);
        // Half the runs tell the tree which demands every pod shares (a pod slot each; others by
        // chance when there is one group), as FFD does: those leave the maxima for the staircases.
        long[] same = null;
        if (random.nextBoolean()) {
            same = new long[D];
            for (int r = 0; r < D; r++) {
                same[r] = demand[r];
                for (int g = 1; g < groups; g++) {
                    same[r] = demand[g * D + r] == same[r] ? same[r] : 0;
                }
            }
        }
        FitTree tree = new FitTree(dims, 16, staircases, same);
        long[] smallest = new long[dims.length];
        java.util.Arrays.fill(smallest, Long.MAX_VALUE);
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < dims.length; k++) {
                smallest[k] = Math.min(smallest[k], demand[g * D + dims[k]]);
            }
        }
        int pods = 200 + random.nextInt(1500);
        for (int i = 0; i < pods; i++) {
            int g = random.nextInt(groups);
            int offset = g * D;
            int from = random.nextInt(8) == 0 ? random.nextInt(ledger.nodeCount() + 1) : 0;
            int expected = naive(ledger, demand, offset, g, dims, from);
            int found = tree.findFirst(demand, offset, g, from, ledger.nodeCount(), ledger);
            assertThat(found).as("seed %d pod %d", seed, i).isEqualTo(expected);
            int node = found >= 0 ? found : ledger.openFor(g);
            assertThat(ledger.fits(node, demand, offset, g, dims)).as("seed %d pod %d: the new node takes it", seed, i).isTrue();
            ledger.take(node, demand, offset, g, dims, 1);
            // Dead: below the smallest demand of some resource (no pod of any group fits), as FFD's suffix minima say.
            boolean dead = false;
            for (int k = 0; k < dims.length; k++) {
                dead |= ledger.free(node, dims[k]) < smallest[k];
            }
            // Now and then a dead node is updated instead (as nodes placed before FFD starts are):
            // the tree must still never offer it.
            if (dead && random.nextInt(4) != 0) {
                tree.kill(node, ledger);
            } else {
                tree.update(node, ledger);
            }
        }
    }

    private static int[] with(int[] list, int g) {
        if (list == null) {
            return new int[] {g};
        }
        for (int h : list) {
            if (h == g) {
                return list;
            }
        }
        int[] out = java.util.Arrays.copyOf(list, list.length + 1);
        out[list.length] = g;
        java.util.Arrays.sort(out);
        return out;
    }

    private static int naive(NodeLedger ledger, long[] demand, int offset, int g, int[] dims, int from) {
        for (int node = from; node < ledger.nodeCount(); node++) {
            if (ledger.fits(node, demand, offset, g, dims)) {
                return node;
            }
        }
        return -1;
    }
}
