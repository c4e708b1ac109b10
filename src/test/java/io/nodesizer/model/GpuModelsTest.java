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
    void modelsMatchWithoutCaseAndAMemorySuffixNeedsThatMemory() {
        assertThat(GpuModels.allows(List.of(), "t4")).isTrue();                       // any model
        assertThat(GpuModels.allows(GpuModels.of(List.of("T4")), "")).isTrue();       // shape declares none
        assertThat(GpuModels.allows(GpuModels.of(List.of("T4")), "t4")).isTrue();
        // QA 69a F2: a memory suffix is a board of the chip, met only where that memory is known (p3dn's V100s have 32 GB)
        assertThat(GpuModels.allows(GpuModels.of(List.of("V100M16", "V100M32")), "V100-SXM2-32GB")).isTrue();
        assertThat(GpuModels.allows(GpuModels.of(List.of("V100M16")), "V100-SXM2-32GB")).isFalse();
        assertThat(GpuModels.allows(GpuModels.of(List.of("V100M16")), "v100")).isFalse();  // memory not known: not taken as met
        assertThat(GpuModels.allows(GpuModels.of(List.of("V100")), "V100-PCIE-16GB")).isTrue();
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

    /**
     * QA 69a F2, F3: a gpu.product pin is the board GPU feature discovery names (NVIDIA-A100-SXM4-80GB is not the 40 GB
     * board of p4d, but is p4de's), and an RTX PRO pin is that board (it was read as "RTX", which no type has).
     */
    @Test
    void aProductPinIsTheBoardItNames() {
        String a100x80 = GpuModels.fromProductLabel("NVIDIA-A100-SXM4-80GB");
        assertThat(GpuModels.board("aws", "p4d", "a100")).isEqualTo("A100-SXM4-40GB");
        assertThat(GpuModels.allows(List.of(a100x80), GpuModels.board("aws", "p4d", "a100"))).isFalse();
        assertThat(GpuModels.allows(List.of(a100x80), GpuModels.board("aws", "p4de", "a100"))).isTrue();
        assertThat(GpuModels.allows(List.of(a100x80), GpuModels.board("azure", "NDamsr_v4", "a100"))).isTrue();
        assertThat(GpuModels.allows(List.of(a100x80), GpuModels.board("azure", "NCads_v4", "a100"))).isFalse(); // PCIe
        assertThat(GpuModels.allows(List.of(GpuModels.fromProductLabel("NVIDIA-A100-80GB-PCIe")),
                GpuModels.board("azure", "NCads_v4", "a100"))).isTrue();
        assertThat(GpuModels.allows(List.of(GpuModels.fromProductLabel("NVIDIA-H100-80GB-HBM3")), GpuModels.board("aws", "p5", "h100")))
                .isTrue();
        assertThat(GpuModels.allows(List.of(GpuModels.fromProductLabel("NVIDIA-H100-NVL")), GpuModels.board("aws", "p5", "h100"))).isFalse();
        assertThat(GpuModels.allows(List.of(GpuModels.fromProductLabel("NVIDIA-A10G")), "a10g")).isTrue();
        assertThat(GpuModels.allows(List.of(GpuModels.fromProductLabel("NVIDIA-A10G")), "a10")).isFalse();
        String rtx6000 = GpuModels.fromProductLabel("NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition");
        assertThat(GpuModels.allows(List.of(rtx6000), "rtx-pro-server-6000")).isTrue();   // AWS g7e
        assertThat(GpuModels.allows(List.of(rtx6000), "rtxpro6000bse")).isTrue();         // Azure NCds_v6
        assertThat(GpuModels.allows(List.of(rtx6000), "rtx-pro-4500")).isFalse();
        assertThat(GpuModels.allows(List.of(GpuModels.fromProductLabel("NVIDIA-RTX-PRO-4500-Blackwell")), "rtx-pro-4500")).isTrue();
        assertThat(GpuModels.allows(List.of(GpuModels.fromProductLabel("NVIDIA-RTX-PRO-6000-Blackwell-Workstation-Edition")),
                "rtx-pro-server-6000")).isFalse();
        assertThat(GpuModels.allows(List.of(GpuModels.fromProductLabel("NVIDIA-GeForce-RTX-4090")), "rtx-pro-server-6000")).isFalse();
        // Where the shape's memory is not known the reason says so, and how to give it.
        NodeShape v100 = ShapeSpec.parse("cpu=8,memory=61Gi,gpu=1,gpu-model=V100", ReservationPolicies::forProvider, null, null);
        assertThat(GpuModels.whyNot(List.of("V100M32"), v100)).isEqualTo("needs GPU model V100M32; custom-8c-61g-1gpu has V100, which "
                + "board of it (memory, form factor) is not known: give it as gpu-model= with them (A100-SXM4-80GB, V100M32)");
        NodeShape v32 = ShapeSpec.parse("cpu=8,memory=61Gi,gpu=1,gpu-model=V100M32", ReservationPolicies::forProvider, null, null);
        assertThat(GpuModels.whyNot(List.of("V100M32"), v32)).isNull();
    }

    @Test
    void anInlineGpuModelNeedsGpus() {
        assertThatThrownBy(() -> ShapeSpec.parse("cpu=8,memory=32Gi,gpu-model=T4", ReservationPolicies::forProvider, null, null))
                .isInstanceOf(InputException.class).hasMessageContaining("names a gpu-model but has no gpu");
    }
}
