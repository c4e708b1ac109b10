package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingVerifier;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 75a item 3: a shape whose nodes hold a dominated shape's packing is never reported with more nodes than it. First fit
 * decreasing is not monotone in the bin size: these 14 pods (134 CPU) take 5 nodes of 27 CPU and 6 of 28.
 */
final class DominatedPackingsTest {
    private static final long[] CPUS = {15, 14, 14, 14, 13, 11, 8, 8, 8, 7, 6, 6, 5, 5};

    private static Workload pods() {
        List<PodGroup> groups = new ArrayList<>();
        for (int i = 0; i < CPUS.length; i++) {
            groups.add(group("p" + i, CPUS[i] * 1000, GIB, 1));
        }
        return new Workload(groups, List.of(), List.of(), List.of());
    }

    private static final NodeShape SMALL = shape("small", 27_000, 64 * GIB, 110, 1.0);
    private static final NodeShape BIG = shape("big", 28_000, 64 * GIB, 110, 1.0);
    /** More CPU, less memory: not dominating, though the packing would fit. */
    private static final NodeShape LESS_MEMORY = shape("less-memory", 28_000, 63 * GIB, 110, 1.0);

    private static ShapeEvaluation named(List<ShapeEvaluation> ranked, String name) {
        return ranked.stream().filter(e -> e.shape().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aDominatingShapeHoldsTheSmallerShapesPacking() {
        Workload w = pods();
        ShapeSweep.Swept swept = ShapeSweep.sweep(w, List.of(SMALL, BIG, LESS_MEMORY), List.of(PackingStrategies.FFD), 1, 1,
                ProgressListener.NONE, ShapeEvaluator.OptimizeMode.OFF, ShapeOptimizer.Settings.defaults());
        ShapeEvaluation small = named(swept.ranked(), "small");
        ShapeEvaluation big = named(swept.ranked(), "big");
        assertThat(small.nodes()).isEqualTo(5);
        assertThat(small.packingOf()).isNull();
        assertThat(big.nodes()).isEqualTo(5); // its own first fit: 6
        assertThat(big.packingOf()).isEqualTo("small");
        assertThat(big.strategy()).isEqualTo("ffd");
        assertThat(big.tried()).extracting(ShapeEvaluation.StrategyRun::nodes).containsExactly(6); // its own run stays on record
        assertThat(big.lowerBound().value()).isEqualTo(5); // its own bound: ⌈134 ÷ 28⌉
        assertThat(named(swept.ranked(), "less-memory").nodes()).isEqualTo(6);
        assertThat(named(swept.ranked(), "less-memory").packingOf()).isNull();
        // The packing kept for --assignments and mixed pools is on big's own nodes, and verified there.
        PackingResult held = swept.optimizedPackings().get("big");
        assertThat(held.problem().shape()).isEqualTo(BIG);
        assertThat(held.nodeCount()).isEqualTo(5);
        PackingVerifier.verify(held);
        // Ranked as it now packs: big and small tie on cost; big has more CPU headroom.
        assertThat(swept.ranked()).extracting(e -> e.shape().name()).containsExactly("big", "small", "less-memory");
    }

    /**
     * A kept packing (the optimizer's) is taken by a shape with fewer pod slots than its own shape where its busiest node
     * fits them (g6.48xlarge's 737 slots against g7.48xlarge's 758, 29 pods at most on a node), and not where it does not.
     */
    @Test
    void aKeptPackingIsTakenWhereItsBusiestNodeFits() {
        Workload w = pods();
        NodeShape fewSlots = shape("few-slots", 28_000, 64 * GIB, 20, 1.0);
        NodeShape twoSlots = shape("two-slots", 28_000, 64 * GIB, 2, 1.0);
        List<NodeShape> shapes = List.of(SMALL, fewSlots, twoSlots);
        ShapeEvaluator evaluator = new ShapeEvaluator(DemandTable.of(w), List.of(), List.of(PackingStrategies.FFD), 1);
        List<ShapeEvaluation> ranked = ShapeSweep.run(w, shapes, List.of(PackingStrategies.FFD), 1, 1, ProgressListener.NONE);
        assertThat(named(ranked, "few-slots").nodes()).isEqualTo(6); // not dominating, and no packing kept: its own
        Map<String, PackingResult> kept = new java.util.HashMap<>(Map.of("small", evaluator.evaluate(SMALL, false).best()));
        List<ShapeEvaluation> adopted = DominatedPackings.adopt(ranked, evaluator, kept, 1);
        assertThat(named(adopted, "few-slots").nodes()).isEqualTo(5);
        assertThat(named(adopted, "few-slots").packingOf()).isEqualTo("small");
        assertThat(named(adopted, "two-slots").packingOf()).isNull(); // small's nodes hold 3 pods and more
        PackingVerifier.verify(kept.get("few-slots"));
    }
}
