package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;

final class ShapeSweepTest {

    @Test
    void memoryBoundNodesStrandTheirCpu() {
        // Pods of 1 CPU / 6 GiB on 8 CPU / 16 GiB nodes: two pods per node fill 12 GiB; the 4 GiB left is below
        // the smallest memory request, so memory is exhausted and the 6 free CPU per node are stranded.
        ShapeEvaluation e = ffd(group("mem-heavy", 1000, 6 * GIB, 4));
        assertThat(e.nodes()).isEqualTo(2);
        assertThat(e.strandedCpuMillis()).isEqualTo(2 * 6000);
        assertThat(e.strandedMemoryBytes()).isZero();
        assertThat(e.costPerMonth()).isEqualTo(2 * 0.5 * 730);
        assertThat(e.costPerMonthNPlusOne()).isEqualTo(3 * 0.5 * 730);
        assertThat(e.failureLossPercent()).isEqualTo(50.0);
    }

    /**
     * N+1 is the packing's N nodes plus one spare, and nodes the HA rules add are that spare: the
     * same 2-node packing ($0.50/h nodes) costs 3 nodes at N+1 bare or with --min-nodes-per-pool 2,
     * and 3 — not 4 — once --survive node has added its spare (shown as "2 (+1 HA)"); a
     * --min-nodes-per-pool 3 fleet is already N+1, and a packing of no node has nothing to lose.
     */
    @Test
    void nPlusOneCountsTheHaHeadroomAsTheSpare() {
        ShapeEvaluation bare = ffd(group("mem-heavy", 1000, 6 * GIB, 4)); // 2 nodes, as above
        assertThat(bare.packedNodes()).isEqualTo(2);
        ShapeEvaluation minTwo = HaSizing.apply(List.of(bare), new HaSizing.Rules(2, HaSizing.Survive.NONE, 1, null)).get(0);
        assertThat(minTwo.nodes()).isEqualTo(2);
        assertThat(minTwo.costPerMonthNPlusOne()).isEqualTo(3 * 0.5 * 730);
        ShapeEvaluation survive = HaSizing.apply(List.of(bare), new HaSizing.Rules(2, HaSizing.Survive.NODE, 1, null)).get(0);
        assertThat(survive.nodes()).isEqualTo(3);
        assertThat(survive.costPerMonthNPlusOne()).isEqualTo(survive.costPerMonth()).isEqualTo(3 * 0.5 * 730);
        assertThat(survive.spareIncluded()).isTrue();
        ShapeEvaluation minThree = HaSizing.apply(List.of(bare), new HaSizing.Rules(3, HaSizing.Survive.NONE, 1, null)).get(0);
        assertThat(minThree.costPerMonthNPlusOne()).isEqualTo(3 * 0.5 * 730);
        // Nothing placed (a pod no node holds): no node, no spare, and no price for the workload (QA 67c F6: it read as free).
        ShapeEvaluation empty = ffd(group("huge", 64000, GIB, 1));
        assertThat(empty.nodes()).isZero();
        assertThat(empty.nodesNPlusOne()).isZero();
        assertThat(empty.costPerMonthNPlusOne()).isNull();
        assertThat(empty.costPerMonth()).isNull();
        assertThat(empty.gapPercent()).isNaN(); // no packing, no gap (review 67)
    }

    /**
     * A node whose one GPU is taken still takes the pods that ask for none: its free CPU and memory
     * are stranded only once no such pod fits them (QA 48a: 12.89 CPU called stranded beside room
     * for 25 more web pods). One 1-GPU pod and four 500m web pods on a 16-CPU, 1-GPU node: nothing
     * stranded; with 31 web pods the 0.5 CPU left fits one more; with 32 none, and the memory left
     * is stranded (CPU is what ran out).
     */
    @Test
    void aNodeWhoseGpusAreTakenStrandsNothingWhilePodsWithoutGpusFit() {
        io.nodesizer.model.PodGroup gpu = io.nodesizer.testkit.Fixtures.gpuGroup("infer", 1, "nvidia", 1);
        for (int[] webAndStrandedGib : new int[][] {{4, 0}, {31, 0}, {30 + 1 + 1, 64 - 1 - 32}}) {
            Workload w = Workload.of(List.of(gpu, group("web", 500, GIB, webAndStrandedGib[0])));
            var evaluator = new ShapeEvaluator(DemandTable.of(w), List.of(), List.of(PackingStrategies.FFD), 1);
            ShapeEvaluation e = evaluator.evaluate(io.nodesizer.testkit.Fixtures.priced("g", 17000, 64 * GIB, 1000, 1.0)).evaluation();
            assertThat(e.nodes()).as("%d web pods", webAndStrandedGib[0]).isEqualTo(1);
            assertThat(e.strandedCpuMillis()).as("%d web pods", webAndStrandedGib[0]).isZero();
            assertThat(e.strandedMemoryBytes()).as("%d web pods", webAndStrandedGib[0]).isEqualTo(webAndStrandedGib[1] * GIB);
        }
    }

    /**
     * GPU shares fit device by device: six pods of 1 CPU, 1 GiB and 600 thousandths of a GPU on 16-CPU, 64 GiB nodes of two
     * GPUs take a device each, three nodes, and leave 400 on every device: no pod of the workload fits, so each node's 14
     * CPU and 62 GiB are stranded, though its free GPU total (800) is above the request (QA 73 F1: 0 and 0 were reported).
     * Shares of 400 fill the first node's devices (its CPU and memory stranded) and leave the second room for two more.
     */
    @Test
    void gpuSharesFitDeviceByDeviceForTheStrandedRoom() {
        long[][] shareNodesStrandedCpuGib = {{600, 3, 3 * 14_000, 3 * 62}, {400, 2, 12_000, 60}, {700, 3, 3 * 14_000, 3 * 62}};
        for (long[] c : shareNodesStrandedCpuGib) {
            Workload w = Workload.of(List.of(group("share", new Resources(1000, GIB, 1, c[0], 0), 6)));
            var evaluator = new ShapeEvaluator(DemandTable.of(w), List.of(), List.of(PackingStrategies.FFD), 1);
            ShapeEvaluation e = evaluator.evaluate(io.nodesizer.testkit.Fixtures.priced("g2", 16000, 64 * GIB, 2000, 1.0)).evaluation();
            assertThat(e.nodes()).as("shares of %d", c[0]).isEqualTo((int) c[1]);
            assertThat(e.strandedCpuMillis()).as("shares of %d", c[0]).isEqualTo(c[2]);
            assertThat(e.strandedMemoryBytes()).as("shares of %d", c[0]).isEqualTo(c[3] * GIB);
        }
    }

    /**
     * A pod that asks no CPU or memory (a chart's {@code resources: {}}) uses none of them: it fits every node, but the CPU
     * the memory-bound nodes leave is still stranded, and the disk no pod asks is not (QA 61a F1, F2: one such pod turned
     * every node's stranded room to 0).
     */
    @Test
    void aPodAskingNothingLeavesTheStrandedRoomStranded() {
        Workload w = Workload.of(List.of(group("mem-heavy", 1000, 6 * GIB, 4), group("best-effort", 0, 0, 1)));
        var evaluator = new ShapeEvaluator(DemandTable.of(w), List.of(), List.of(PackingStrategies.FFD), 1);
        ShapeEvaluation e = evaluator.evaluate(shape("n", 8000, 16 * GIB, 110, 0.5)).evaluation();
        assertThat(e.nodes()).isEqualTo(2);
        assertThat(e.strandedCpuMillis()).isEqualTo(2 * 6000);
        assertThat(e.strandedMemoryBytes()).isZero();
    }

    /** The pods of {@code g} packed by FFD onto 8 CPU / 16 GiB nodes at $0.50/h. */
    private static ShapeEvaluation ffd(io.nodesizer.model.PodGroup g) {
        var evaluator = new ShapeEvaluator(DemandTable.of(Workload.of(List.of(g))), List.of(), List.of(PackingStrategies.FFD), 1);
        return evaluator.evaluate(shape("n", 8000, 16 * GIB, 110, 0.5)).evaluation();
    }

    /**
     * One bill, to the cent, ranks the cheaper node first, whatever the last bits of the products (review 66: 3 × $0.0085/h
     * and 1 × $0.0255/h are both $18.615 a month, and came to 1862 and 1861 cents).
     */
    @Test
    void oneBillRanksTheCheaperNodeFirstEvenAtAHalfCent() {
        // 12 pods of 1 CPU: 3 nodes of 4 CPU, or 1 node of 12 CPU.
        Workload w = Workload.of(List.of(group("web", 1000, GIB, 12)));
        var evaluator = new ShapeEvaluator(DemandTable.of(w), List.of(), List.of(PackingStrategies.FFD), 1);
        ShapeEvaluation small = evaluator.evaluate(shape("small", 4000, 16 * GIB, 110, 0.0085)).evaluation();
        ShapeEvaluation large = evaluator.evaluate(shape("large", 12000, 48 * GIB, 110, 0.0255)).evaluation();
        assertThat(small.nodes()).isEqualTo(3);
        assertThat(large.nodes()).isEqualTo(1);
        assertThat(ShapeSweep.monthlyCents(small)).isEqualTo(ShapeSweep.monthlyCents(large)).isEqualTo(1862);
        assertThat(List.of(large, small).stream().sorted(ShapeSweep.RANKING).map(e -> e.shape().name()).toList())
                .containsExactly("small", "large");
    }

    @Test
    void rankingPutsCompleteShapesFirstThenCheapest() {
        Workload w = Workload.of(List.of(group("big", 12000, 8 * GIB, 1), group("web", 500, GIB, 20)));
        List<NodeShape> shapes = List.of(
                shape("small-cheap", 4000, 16 * GIB, 110, 0.10),   // cannot hold "big"
                shape("large", 16000, 64 * GIB, 110, 0.70),
                shape("xlarge", 32000, 128 * GIB, 110, 1.60));
        List<ShapeEvaluation> ranked = ShapeSweep.run(w, shapes, List.of(PackingStrategies.values()), 1, 2, ProgressListener.NONE);
        assertThat(ranked).extracting(e -> e.shape().name()).containsExactly("large", "xlarge", "small-cheap");
        // 12 + 20 × 0.5 = 22 CPU → 2 large nodes (16 CPU each) = $1.40/h beats 1 xlarge at $1.60/h; small-cheap
        // is cheapest but cannot hold "big", so it ranks last.
    }

    @Test
    void shapesThatPackIdenticallyArePackedOnceAndReportedEachWithItsOwnNameAndPrice() {
        Workload w = Workload.of(List.of(group("web", 500, GIB, 30), group("huge", 64000, GIB, 2)));
        // "m5-like" and "m6-like" have one allocatable: one packing, two rows, each with its own price and reasons.
        List<NodeShape> shapes = List.of(shape("m5-like", 8000, 32 * GIB, 110, 0.40), shape("m6-like", 8000, 32 * GIB, 110, 0.38),
                shape("other", 16000, 32 * GIB, 110, 0.70));
        var evaluator = new ShapeEvaluator(DemandTable.of(w), List.of(), List.of(PackingStrategies.values()), 3);
        assertThat(evaluator.packingKey(shapes.get(0))).isEqualTo(evaluator.packingKey(shapes.get(1)))
                .isNotEqualTo(evaluator.packingKey(shapes.get(2)));
        List<ShapeEvaluation> ranked = ShapeSweep.run(w, shapes, List.of(PackingStrategies.values()), 3, 1, ProgressListener.NONE);
        ShapeEvaluation m5 = ranked.stream().filter(e -> e.shape().name().equals("m5-like")).findFirst().orElseThrow();
        ShapeEvaluation m6 = ranked.stream().filter(e -> e.shape().name().equals("m6-like")).findFirst().orElseThrow();
        ShapeEvaluation direct = evaluator.evaluate(shapes.get(1)).evaluation(); // packed on its own
        assertThat(m6.nodes()).isEqualTo(direct.nodes()).isEqualTo(m5.nodes());
        assertThat(m6.lowerBound()).isEqualTo(direct.lowerBound());
        assertThat(m6.costPerMonth()).isEqualTo(m6.nodes() * 0.38 * 730);
        assertThat(m6.unschedulable()).extracting(ShapeEvaluation.UnschedulableGroup::reason).allMatch(r -> r.contains("m6-like"));
        assertThat(m5.unschedulable()).extracting(ShapeEvaluation.UnschedulableGroup::reason).allMatch(r -> r.contains("m5-like"));
    }

    /**
     * Review 76b #3: the bar counted the distinct shapes packed and ended before the twins were fanned out (seconds over a
     * whole catalog). Now it counts every shape, a packed one or a twin: 3 shapes of which 2 pack alike reach 3 of 3, on one
     * thread or two, never with another total.
     */
    @Test
    void theProgressCoversTheTwinsFannedOut() {
        Workload w = Workload.of(List.of(group("web", 500, GIB, 30)));
        List<NodeShape> shapes = List.of(shape("m5-like", 8000, 32 * GIB, 110, 0.40), shape("m6-like", 8000, 32 * GIB, 110, 0.38),
                shape("other", 16000, 32 * GIB, 110, 0.70));
        for (int threads : new int[] {1, 2}) {
            java.util.Set<Integer> totals = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            ShapeSweep.run(w, shapes, List.of(PackingStrategies.FFD), 1, threads, (done, total) -> {
                totals.add(total);
                most.accumulateAndGet(done, Math::max);
                calls.incrementAndGet();
            });
            assertThat(totals).as("threads %d", threads).containsExactly(3);
            assertThat(most.get()).as("threads %d", threads).isEqualTo(3);
            assertThat(calls.get()).as("threads %d: two packed, one fanned out", threads).isEqualTo(3);
        }
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        Workload w = Fixtures.randomWorkload(5, 40, 10, 4000, 16 * GIB, false);
        List<NodeShape> shapes = List.of(shape("a", 4000, 16 * GIB, 110, 0.2), shape("b", 8000, 32 * GIB, 110, 0.4),
                shape("c", 16000, 32 * GIB, 58, 0.6), shape("d", 2000, 8 * GIB, 29, 0.1));
        var one = ShapeSweep.run(w, shapes, List.of(PackingStrategies.values()), 7, 1, ProgressListener.NONE);
        var two = ShapeSweep.run(w, shapes, List.of(PackingStrategies.values()), 7, 2, ProgressListener.NONE);
        assertThat(one).extracting(e -> e.shape().name() + ":" + e.nodes() + ":" + e.strategy())
                .isEqualTo(two.stream().map(e -> e.shape().name() + ":" + e.nodes() + ":" + e.strategy()).toList());
    }

    @Test
    void verdictsNameTheCheapestClass() {
        Workload w = Workload.of(List.of(group("web", 500, GIB, 40)));
        List<NodeShape> shapes = List.of(shape("s4", 4000, 16 * GIB, 110, 0.20), shape("m16", 16000, 64 * GIB, 110, 0.70),
                shape("l32", 32000, 128 * GIB, 110, 1.50));
        var ranked = ShapeSweep.run(w, shapes, List.of(PackingStrategies.FFD), 1, 1, ProgressListener.NONE);
        // 40 × 0.5 CPU = 20 CPU: s4 → 5 nodes $1.00/h; m16 → 2 nodes $1.40/h; l32 → 1 node $1.50/h.
        Verdicts.Verdict sizes = Verdicts.fewerLargerVsManySmaller(ranked);
        assertThat(sizes.winner()).isEqualTo("small");
        assertThat(sizes.reasons().get(0)).startsWith("small wins with s4: 5 nodes, $730.00/month");
        assertThat(sizes.reasons()).anyMatch(r -> r.startsWith("medium (best m16, 2 nodes, $1,022.00/month) costs +40.0 %"));
        // The winner has the most nodes: its blast radius is set beside the class with the fewest, not beside itself.
        assertThat(sizes.reasons()).anyMatch(r -> r.startsWith("blast radius: one small node failing takes 20.0 % of capacity")
                && r.endsWith("one large node 100.0 %"));
        Verdicts.Verdict ratio = Verdicts.memoryToCpuRatio(ranked, 2.0);
        assertThat(ratio.winner()).isEqualTo("4 GiB/vCPU");
        assertThat(ratio.reasons().get(0)).isEqualTo("the workload requests 2 GiB of memory per CPU");
    }

    @Test
    void unpricedShapesRankAfterPricedOnes() {
        Workload w = Workload.of(List.of(group("web", 500, GIB, 4)));
        var ranked = ShapeSweep.run(w, List.of(shape("free?", 4000, 16 * GIB, 110, null), shape("paid", 4000, 16 * GIB, 110, 9.0)),
                List.of(PackingStrategies.FFD), 1, 1, ProgressListener.NONE);
        assertThat(ranked.get(0).shape().name()).isEqualTo("paid");
        assertThat(ranked.get(1).costPerHour()).isNull();
        assertThat(Resources.ZERO.fitsIn(ranked.get(1).shape().allocatable())).isTrue();
    }
}
