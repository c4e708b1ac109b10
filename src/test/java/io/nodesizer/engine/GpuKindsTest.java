package io.nodesizer.engine;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

class GpuKindsTest {
    private static final Resources NODE = new Resources(32000, 128 * GIB, 110, 4000, 0);

    /** An openb-like pod (vendor nvidia) asking {@code gpu} thousandths of one of {@code models} (empty: any). */
    private static PodGroup pod(String name, long gpu, List<String> models) {
        return new PodGroup(name, PodGroup.OPENB, new Resources(1000, GIB, 1, gpu, 0), 1, true, null, new SourceRef("t", 1), models);
    }

    private static NodeShape gpuShape(String name, String model) {
        return new NodeShape(name, "test", name, "amd64", NODE, NODE, "none", 1.0, model, Map.of(), List.of(), "nvidia");
    }

    @Test
    void groupsAskingTheSameModelsShareAKindAndGroupsWithoutGpusHaveNone() {
        List<String> a100 = List.of("a100");
        DemandTable table = DemandTable.of(Workload.of(List.of(pod("a", 500, a100), pod("cpu", 0, List.of()),
                pod("b", 1000, new ArrayList<>(a100)), pod("any", 250, List.of()), pod("c", 500, a100))));
        GpuKinds kinds = table.gpuKinds();
        assertThat(kinds.ofGroup()).containsExactly(0, -1, 0, 1, 0);
        assertThat(kinds.kinds()).extracting(PodGroup::name).containsExactly("a", "any");
        assertThat(table.gpuKinds()).isSameAs(kinds);
    }

    @Test
    void aShapeServesAKindAsItServesEachGroupOfIt() {
        DemandTable table = DemandTable.of(Workload.of(List.of(pod("a", 500, List.of("a100")), pod("cpu", 0, List.of()),
                pod("any", 250, List.of()))));
        GpuKinds kinds = table.gpuKinds();
        for (NodeShape shape : List.of(gpuShape("a100-node", "a100"), gpuShape("t4-node", "t4"))) {
            boolean[] served = kinds.servedBy(shape);
            for (int g = 0; g < table.groupCount(); g++) {
                assertThat(kinds.served(served, g)).as(table.group(g).name() + " on " + shape.name())
                        .isEqualTo(table.group(g).gpusServedBy(shape));
            }
        }
        assertThat(kinds.servedBy(gpuShape("t4-node", "t4"))).containsExactly(false, true);
        // The problem leaves out the group the model refuses, by kind as by group.
        PackingProblem onT4 = new PackingProblem(table, gpuShape("t4-node", "t4"), Resources.ZERO);
        assertThat(onT4.schedulableGroups()).containsExactly(1, 2);
        assertThat(onT4.unschedulable().get(0).reason()).containsIgnoringCase("a100");
    }
}
