package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compact unschedulable list a sweep keeps per shape reads back as the packing worded it. */
final class NeverPlacedTest {

    @Test
    void readsBackTheReasonsCountsAndOrderOfTheEagerList() {
        Workload w = Workload.of(List.of(group("web", 500, GIB, 30), group("huge", 64000, GIB, 2), group("fat", 1000, 40 * GIB, 3),
                group("ok", 1000, GIB, 1), group("both", 99000, 99 * GIB, 4)));
        NodeShape s = shape("m5-like", 8000, 32 * GIB, 110, 0.40);
        PackingProblem problem = new PackingProblem(DemandTable.of(w), s, new Resources(100, GIB, 2, 0, 0));
        List<ShapeEvaluation.UnschedulableGroup> eager = new ArrayList<>();
        for (PackingProblem.Unschedulable u : problem.unschedulable()) {
            eager.add(new ShapeEvaluation.UnschedulableGroup(problem.table().group(u.group()), u.reason()));
        }
        NeverPlaced never = NeverPlaced.of(problem);
        assertThat(never).hasSize(3).containsExactlyElementsOf(eager);
        assertThat(never.get(1)).isEqualTo(eager.get(1));
        assertThat(never.get(2).reason()).contains("needs 99 CPU; m5-like allocatable is 8 CPU (7.9 after DaemonSets)");
        assertThat(never.pods()).isEqualTo(2 + 3 + 4);
        assertThatThrownBy(() -> never.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /**
     * Fix 77a: the list words a reason once per kind of group (requests, placement, GPU models and vendor) and gives it to
     * every group of that kind; each group's reason is still the one its packing words for it alone.
     */
    @Test
    void groupsAlikeShareTheirReasonAndEachIsTheOneThePackingWords() {
        List<io.nodesizer.model.PodGroup> groups = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            groups.add(group("big-" + i, i % 2 == 0 ? 64000 : 96000, (i % 3 + 1) * 100 * GIB, 1 + i % 3));
            groups.add(io.nodesizer.testkit.Fixtures.gpuGroup("nv-" + i, 1 + i % 2, "nvidia", 1));
            groups.add(io.nodesizer.testkit.Fixtures.gpuGroup("amd-" + i, 1, "amd", 2));
            groups.add(group("ok-" + i, 500, GIB, 1));
        }
        DemandTable table = DemandTable.of(Workload.of(groups));
        for (NodeShape s : List.of(shape("cpu-only", 8000, 32 * GIB, 110, 0.4),
                io.nodesizer.testkit.Fixtures.priced("one-gpu", 16000, 64 * GIB, 1000, 1.0))) {
            PackingProblem problem = new PackingProblem(table, s, new Resources(100, GIB, 1, 0, 0));
            List<ShapeEvaluation.UnschedulableGroup> eager = new ArrayList<>();
            for (PackingProblem.Unschedulable u : problem.unschedulable()) {
                eager.add(new ShapeEvaluation.UnschedulableGroup(problem.table().group(u.group()), u.reason()));
            }
            assertThat(eager).as(s.name()).hasSizeGreaterThan(12);
            assertThat(NeverPlaced.of(problem)).as(s.name()).containsExactlyElementsOf(eager);
            assertThat(eager.stream().map(ShapeEvaluation.UnschedulableGroup::reason).distinct().count()).as(s.name())
                    .isGreaterThan(1).isLessThan(eager.size());
        }
    }

    @Test
    void anEvaluationKeepsTheCompactListAndCountsWithoutWordingReasons() {
        Workload w = Workload.of(List.of(group("web", 500, GIB, 30), group("huge", 64000, GIB, 2)));
        var evaluator = new ShapeEvaluator(DemandTable.of(w), List.of(), List.of(PackingStrategies.FFD), 1);
        ShapeEvaluation e = evaluator.evaluate(shape("small", 8000, 32 * GIB, 110, 0.4)).evaluation();
        assertThat(e.unschedulable()).isInstanceOf(NeverPlaced.class).hasSize(1);
        assertThat(e.unschedulableCount()).isEqualTo(2);
        assertThat(e.unschedulable().get(0).group().name()).isEqualTo("huge");
        ShapeEvaluation fanned = evaluator.fanOut(e, shape("twin", 8000, 32 * GIB, 110, 0.3));
        assertThat(fanned.unschedulable()).isInstanceOf(NeverPlaced.class);
        assertThat(fanned.unschedulable().get(0).reason()).contains("twin allocatable");
        ShapeEvaluation none = evaluator.evaluate(shape("big", 128000, 256 * GIB, 110, 4.0)).evaluation();
        assertThat(none.unschedulable()).isEmpty();
        assertThat(none.unschedulableCount()).isZero();
    }
}
