package io.nodesizer.input.manifest;

import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The GPU pods' implied tolerations, and that pods alike keep sharing one placement instance. */
final class GpuProductSelectorsTest {
    private static final long GIB = 1L << 30;

    private static PodGroup openb(String name, long gpuMillis) {
        return new PodGroup(name, PodGroup.OPENB, new Resources(1000, GIB, 1, gpuMillis, 0), 1, true, null, new SourceRef("t.csv", 2));
    }

    /**
     * GPU pods that shared Placement.ANY (a trace's) share the one tolerating placement made for them, so the tables that
     * class pods by placement find them alike by identity; a pod without GPUs keeps Placement.ANY.
     */
    @Test
    void gpuPodsAlikeShareTheirToleratingPlacement() {
        Workload w = GpuProductSelectors.apply(Workload.of(List.of(openb("a", 1000), openb("cpu", 0), openb("b", 500),
                openb("c", 2000))));
        List<PodGroup> g = w.groups();
        Placement tolerating = g.get(0).placement();
        assertThat(tolerating.tolerations()).extracting(Placement.Toleration::key).contains("nvidia.com/gpu");
        assertThat(g.get(1).placement()).isSameAs(Placement.ANY);
        assertThat(g.get(2).placement()).isSameAs(tolerating);
        assertThat(g.get(3).placement()).isSameAs(tolerating);
        // The same answer as one made for the pod alone.
        assertThat(GpuProductSelectors.apply(Workload.of(List.of(openb("c", 2000)))).groups().get(0).placement()).isEqualTo(tolerating);
    }
}
