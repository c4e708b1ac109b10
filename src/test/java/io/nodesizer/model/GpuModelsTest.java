package io.nodesizer.model;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingTestSupport;
import io.nodesizer.catalog.ShapeSpec;
import io.nodesizer.input.InputException;
import io.nodesizer.kube.provider.ReservationPolicies;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class GpuModelsTest {

    @Test
    void modelsMatchWithoutCaseAndMemorySuffixesMatchTheChip() {
        assertThat(GpuModels.allows(List.of(), "t4")).isTrue();                       // any model
        assertThat(GpuModels.allows(GpuModels.of(List.of("T4")), "")).isTrue();       // shape declares none
        assertThat(GpuModels.allows(GpuModels.of(List.of("T4")), "t4")).isTrue();
        assertThat(GpuModels.allows(GpuModels.of(List.of("V100M16", "V100M32")), "v100")).isTrue();
        assertThat(GpuModels.allows(GpuModels.of(List.of("V100M16")), "A100")).isFalse();
        assertThat(GpuModels.allows(GpuModels.of(List.of("A10")), "a10g")).isFalse(); // another chip
        assertThat(GpuModels.of(List.of("t4", "T4 ", "g2"))).containsExactly("G2", "T4");
    }

    @Test
    void aPodRestrictedToOtherModelsIsUnschedulableWithTheReason() {
        NodeShape t4 = ShapeSpec.parse("cpu=48,memory=192Gi,gpu=4,gpu-model=T4", ReservationPolicies::forProvider, null, null);
        assertThat(t4.gpuModel()).isEqualTo("T4");
        PodGroup g2 = new PodGroup("g2", "openb", new Resources(1000, GIB, 1, 1000, 0), 1, true, null, new SourceRef("t", 2), List.of("G2"));
        PodGroup any = new PodGroup("any", "openb", new Resources(1000, GIB, 1, 1000, 0), 1, true, null, new SourceRef("t", 3));
        PodGroup cpu = new PodGroup("cpu", "openb", new Resources(1000, GIB, 1, 0, 0), 1, true, null, new SourceRef("t", 4));
        PackingResult r = PackingTestSupport.pack(Workload.of(List.of(g2, any, cpu)), t4, "ffd");
        assertThat(r.unschedulable()).singleElement().satisfies(u -> assertThat(u.reason())
                .isEqualTo("needs GPU model G2; custom-48c-192g-4gpu has T4"));
        assertThat(r.nodeCount()).isEqualTo(1);
        // Same request, other models: the pattern method keeps them apart as types.
        PackingProblem p = new PackingProblem(DemandTable.of(Workload.of(List.of(g2, any))),
                ShapeSpec.parse("cpu=48,memory=192Gi,gpu=4", ReservationPolicies::forProvider, null, null), Resources.ZERO);
        assertThat(p.schedulableGroups()).hasSize(2);
    }

    @Test
    void anInlineGpuModelNeedsGpus() {
        assertThatThrownBy(() -> ShapeSpec.parse("cpu=8,memory=32Gi,gpu-model=T4", ReservationPolicies::forProvider, null, null))
                .isInstanceOf(InputException.class).hasMessageContaining("names a gpu-model but has no gpu");
    }
}
