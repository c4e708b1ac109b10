package io.nodesizer.sweep;

import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optimizer's patterns and moves keep at most maxSkew of a hostname spread per node, so it does
 * not take a start that spreads a workload evenly beyond that (kube-scheduler's rule over all
 * nodes): it improves the capped packing instead, then packs with a floor of the workload on every
 * node (up to maxSkew above it), and keeps the best; where nothing beats the start, the start stays
 * with the LP bound taken without the spread caps.
 */
final class EvenSpreadOptimizerTest {
    private static final NodeShape SHAPE = Fixtures.shape("m8", new Resources(8000, 32 * GIB, 110, 0, 0));

    private static PackingProblem web(int replicas, int maxSkew, long cpu) {
        Placement.Spread spread = new Placement.Spread(maxSkew, true, new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(),
                List.of(), false, false, PodConflicts.HOSTNAME), 1);
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"), List.of(), List.of(), List.of(spread));
        PodGroup g = new PodGroup("web", "test", new Resources(cpu, GIB / 2, 1, 0, 0), replicas, false, null, new SourceRef("t", 1),
                List.of(), null, p);
        return new PackingProblem(DemandTable.of(Workload.of(List.of(g))), SHAPE, Resources.ZERO);
    }

    @Test
    void anEvenStartWithMoreNodesThanACappedPackingGivesWayToTheOptimizedCappedOne() {
        PackingProblem p = web(10, 2, 500);
        // 3,1,1,1,1,1,1,1 on eight nodes: within maxSkew 2 of the fewest (valid), 3 above the cap
        int[] a = {0, 0, 0, 1, 2, 3, 4, 5, 6, 7};
        PackingResult start = PackingEngine.fromAssignment(p, "planted", 8, a, LowerBounds.compute(p), 0);
        ShapeOptimizer.Outcome o = new ShapeOptimizer(ShapeOptimizer.Settings.defaults()).optimize(start, start.lowerBound(), 1);
        // The capped packing (at most 2 per node) takes 5 nodes; with a floor of 8 on one node, the
        // one node holds all ten (the fewest is its own count: skew 0), as kube-scheduler runs them.
        assertThat(o.runs()).anyMatch(r -> r.strategy().contains("the optimizer's start") && r.nodes() == 5);
        assertThat(o.runs()).anyMatch(r -> r.strategy().equals(ShapeOptimizer.FLOORS_RUN) && r.nodes() == 1);
        assertThat(o.best().nodeCount()).isEqualTo(1);
        Map<Integer, Integer> perNode = new HashMap<>();
        for (int node : o.best().assignment()) {
            perNode.merge(node, 1, Integer::sum);
        }
        assertThat(perNode).containsExactly(Map.entry(0, 10));
        assertThat(o.bound().value()).isEqualTo(1); // capacity; no cap in the bound
    }

    @Test
    void anEvenStartNoCappedPackingCanMatchStaysWithTheLpBoundWithoutTheCaps() {
        PackingProblem p = web(40, 1, 500);
        PackingResult start = PackingEngine.pack(p, io.nodesizer.engine.strategy.PackingStrategies.FFD.create(), 1);
        assertThat(start.nodeCount()).isEqualTo(3);
        // a bound below the start's nodes, so that the optimizer has a gap to work on
        ShapeOptimizer.Outcome o = new ShapeOptimizer(ShapeOptimizer.Settings.defaults()).optimize(start,
                new io.nodesizer.bound.LowerBound(2, "given", List.of(new io.nodesizer.bound.LowerBound.Part("given", 2))), 1);
        assertThat(o.best().assignment()).isEqualTo(start.assignment());
        // The stage is named, the reason beside it (QA 75a item 4: the reason was the stage's name).
        assertThat(o.runs()).singleElement().satisfies(r -> {
            assertThat(r.strategy()).isEqualTo(ShapeOptimizer.NAME);
            assertThat(r.skipped()).startsWith("hostname spreads spread evenly").endsWith("LP bound without the spread caps 3");
        });
        assertThat(o.bound().value()).isEqualTo(3);
    }
}
