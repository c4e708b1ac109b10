package io.nodesizer.kube;

import io.nodesizer.catalog.Catalogs;
import io.nodesizer.catalog.NodeShapes;
import io.nodesizer.kube.provider.ReservationPolicies;
import io.nodesizer.model.InstanceType;
import io.nodesizer.model.NodeShape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The labels Karpenter gives AWS nodes, as {@link NodeLabels} derives them from the type's name. */
final class NodeLabelsTest {

    /**
     * Every bundled AWS type: instance-category and instance-generation as the catalog's own
     * columns give them (the AWS data's category and generation), hyphenated families included —
     * c7i-flex, p6-b200, u-6tb1, u7in-16tb — which a pattern on letters then digits missed, so
     * pods asking for category m or generation above 5 were refused on m7i-flex.
     */
    @Test
    void categoryAndGenerationOfEveryAwsTypeAsTheCatalogHasThem() {
        // The catalog's generation column, read from the bundled resource (the model keeps no generation).
        Map<String, String> generation = new java.util.HashMap<>();
        try (var in = NodeLabelsTest.class.getResourceAsStream("/io/nodesizer/catalog/aws.csv")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(",", -1);
                if (!line.startsWith("#") && f.length > 4 && !f[0].equals("provider")) {
                    generation.put(f[1], f[4]);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int checked = 0;
        for (InstanceType t : Catalogs.load("aws")) {
            NodeShape shape = NodeShapes.toShape(t, ReservationPolicies.forProvider("aws"), null, null);
            Map<String, String> labels = NodeLabels.of(shape);
            assertThat(labels.get("karpenter.k8s.aws/instance-family")).as(t.name()).isEqualTo(t.family());
            assertThat(labels.get("karpenter.k8s.aws/instance-category")).as(t.name()).isEqualTo(t.category());
            assertThat(labels.get("karpenter.k8s.aws/instance-generation")).as(t.name()).isEqualTo(generation.get(t.name()));
            checked++;
        }
        assertThat(checked).isGreaterThan(800);
        assertThat(generation.get("u-6tb1.56xlarge")).isEqualTo("1");
    }

    /**
     * A DaemonSet that selects another cloud's own label runs on no node of this cloud (the node has
     * no such label; a pod with that selector is refused too); one on this cloud's label the shape
     * does not determine, or on a node group's label, is still counted everywhere with a note.
     */
    @Test
    void daemonSetsOnAnotherCloudsLabelsRunOnNoNode() {
        NodeShape aws = NodeShapes.toShape(Catalogs.load("aws").stream().filter(t -> t.name().equals("m5.xlarge")).findFirst().orElseThrow(),
                ReservationPolicies.forProvider("aws"), null, null);
        NodeShape gce = NodeShapes.toShape(Catalogs.load("gce").stream().filter(t -> t.name().equals("n2-standard-4")).findFirst().orElseThrow(),
                ReservationPolicies.forProvider("gce"), null, null);
        var gkeOnly = daemonSet("gke-agent", Map.of("cloud.google.com/machine-family", "n2"));
        var karpenterOnly = daemonSet("aws-agent", Map.of("karpenter.k8s.aws/instance-hypervisor", "nitro"));
        var pool = daemonSet("pool-agent", Map.of("cloud.google.com/gke-nodepool", "default"));
        DaemonSetPlacement.Load onAws = DaemonSetPlacement.on(aws, java.util.List.of(gkeOnly, karpenterOnly, pool));
        assertThat(onAws.placed()).containsExactly("aws-agent", "pool-agent");
        assertThat(onAws.notes()).anySatisfy(n -> assertThat(n).contains("karpenter.k8s.aws/instance-hypervisor"))
                .noneSatisfy(n -> assertThat(n).contains("machine-family"));
        DaemonSetPlacement.Load onGce = DaemonSetPlacement.on(gce, java.util.List.of(gkeOnly, karpenterOnly, pool));
        assertThat(onGce.placed()).containsExactly("gke-agent", "pool-agent");
        assertThat(NodeMatching.onShape(gkeOnly.placement(), aws, NodeLabels.of(aws))).isNotNull(); // a pod alike is refused there
    }

    /**
     * Karpenter puts its GPU labels only on types with GPUs (instance-gpu-count, -name,
     * -manufacturer), so a DaemonSet requiring instance-gpu-count to exist (a DCGM exporter) runs on
     * g4dn nodes and on no m5 node, as a pod with the same affinity is refused by the m5 and not
     * charged there with a "does not determine" note. GPU memory, which nodesizer does not know,
     * stays undetermined on a GPU type.
     */
    @Test
    void daemonSetsOnKarpenterGpuLabelsRunOnlyOnGpuTypes() {
        NodeShape m5 = awsShape("m5.xlarge");
        NodeShape g4dn = awsShape("g4dn.xlarge");
        var dcgm = daemonSet("dcgm", requiring("karpenter.k8s.aws/instance-gpu-count", io.nodesizer.model.Placement.Operator.EXISTS));
        var nvidia = daemonSet("nvidia-only", requiring("karpenter.k8s.aws/instance-gpu-manufacturer",
                io.nodesizer.model.Placement.Operator.IN, "nvidia"));
        var bigGpu = daemonSet("big-gpu", requiring("karpenter.k8s.aws/instance-gpu-memory", io.nodesizer.model.Placement.Operator.GT, "20000"));
        DaemonSetPlacement.Load onM5 = DaemonSetPlacement.on(m5, java.util.List.of(dcgm, nvidia, bigGpu));
        assertThat(onM5.placed()).isEmpty();
        assertThat(onM5.notes()).isEmpty();
        assertThat(NodeMatching.onShape(dcgm.placement(), m5, NodeLabels.of(m5))).isNotNull(); // a pod alike is refused there
        DaemonSetPlacement.Load onG4dn = DaemonSetPlacement.on(g4dn, java.util.List.of(dcgm, nvidia, bigGpu));
        assertThat(onG4dn.placed()).containsExactly("dcgm", "nvidia-only", "big-gpu");
        assertThat(onG4dn.notes()).singleElement().satisfies(n -> assertThat(n).contains("instance-gpu-memory"));
    }

    /**
     * EKS's compute-type label is on the nodes EKS runs itself (Fargate, hybrid, Auto Mode), never
     * on a node group's EC2 instance: the stock aws-node DaemonSet's NotIn [fargate, hybrid, auto]
     * runs on every aws shape without an "undetermined label" note, and one for Fargate only on none
     * (QA 47: every EKS user's kube-system DaemonSets drew the note).
     */
    @Test
    void eksComputeTypeIsAbsentOnNodeGroupShapes() {
        NodeShape m5 = awsShape("m5.xlarge");
        var awsNode = daemonSet("aws-node", requiring(NodeLabels.EKS_COMPUTE_TYPE, io.nodesizer.model.Placement.Operator.NOT_IN,
                "fargate", "hybrid", "auto"));
        var fargateOnly = daemonSet("fargate-only", requiring(NodeLabels.EKS_COMPUTE_TYPE, io.nodesizer.model.Placement.Operator.IN,
                "fargate"));
        DaemonSetPlacement.Load load = DaemonSetPlacement.on(m5, java.util.List.of(awsNode, fargateOnly));
        assertThat(load.placed()).containsExactly("aws-node");
        assertThat(load.notes()).isEmpty();
    }

    /**
     * The GPU operators' DaemonSets select labels their own software puts only on nodes with their
     * GPUs (NVIDIA's {@code nvidia.com/gpu.present}, set when node feature discovery found a PCI
     * device of vendor 10de; AMD's labeller's {@code amd.com/gpu.*}): a DCGM exporter runs on no m5
     * node and no AMD node, and is charged with a note on an NVIDIA type, where the operator may or
     * may not be installed. Intel's PCI vendor 8086 is every Intel machine's chipset: not determined.
     */
    @Test
    void gpuStackDaemonSetsRunOnlyWhereTheirVendorsGpusAre() {
        NodeShape m5 = awsShape("m5.xlarge");
        NodeShape g4dn = awsShape("g4dn.xlarge");
        NodeShape g4ad = awsShape("g4ad.xlarge");
        var dcgm = daemonSet("dcgm-exporter", Map.of("nvidia.com/gpu.present", "true"));
        var nfd = daemonSet("nvidia-driver", Map.of("feature.node.kubernetes.io/pci-0302_10de.present", "true"));
        var amd = daemonSet("amd-metrics", Map.of("amd.com/gpu.family", "NV"));
        var eks = daemonSet("gpu-any", Map.of("k8s.amazonaws.com/accelerator", "nvidia-tesla-t4"));
        var intelPci = daemonSet("intel-pci", Map.of("feature.node.kubernetes.io/pci-8086.present", "true"));
        List<io.nodesizer.model.DaemonSetSpec> all = List.of(dcgm, nfd, amd, eks, intelPci);

        DaemonSetPlacement.Load onM5 = DaemonSetPlacement.on(m5, all);
        assertThat(onM5.placed()).containsExactly("intel-pci");
        assertThat(onM5.notes()).singleElement().satisfies(n -> assertThat(n).contains("pci-8086.present"));

        DaemonSetPlacement.Load onG4dn = DaemonSetPlacement.on(g4dn, all);
        assertThat(onG4dn.placed()).containsExactly("dcgm-exporter", "nvidia-driver", "gpu-any", "intel-pci");
        // nvidia.com/gpu.present is on an NVIDIA type's nodes (GPU feature discovery runs with the device plugin): no note for it.
        assertThat(onG4dn.notes()).hasSize(3).allSatisfy(n -> assertThat(n).contains("which a node shape does not determine"))
                .noneSatisfy(n -> assertThat(n).contains("gpu.present"));

        assertThat(DaemonSetPlacement.on(g4ad, all).placed()).containsExactly("amd-metrics", "gpu-any", "intel-pci");
    }

    @Test
    void nfdPciLabelsNameTheVendorAloneOrAfterAGpuClass() {
        assertThat(NodeLabels.gpuLabelVendor("feature.node.kubernetes.io/pci-10de.present")).isEqualTo("nvidia");
        assertThat(NodeLabels.gpuLabelVendor("feature.node.kubernetes.io/pci-0300_10de.present")).isEqualTo("nvidia");
        assertThat(NodeLabels.gpuLabelVendor("feature.node.kubernetes.io/pci-10de_20b0.present")).isEqualTo("nvidia");
        assertThat(NodeLabels.gpuLabelVendor("feature.node.kubernetes.io/pci-0380_1002.present")).isEqualTo("amd");
        assertThat(NodeLabels.gpuLabelVendor("feature.node.kubernetes.io/pci-1022.present")).isNull(); // AMD's CPUs' devices
        assertThat(NodeLabels.gpuLabelVendor("feature.node.kubernetes.io/pci-8086_1002.present")).isNull(); // Intel device 1002
        assertThat(NodeLabels.gpuLabelVendor("feature.node.kubernetes.io/cpu-model.vendor_id")).isNull();
        assertThat(NodeLabels.gpuLabelVendor("gpu.intel.com/device-id.0380-0bd5.present")).isEqualTo("intel");
        assertThat(NodeLabels.gpuLabelVendor("cloud.google.com/gke-accelerator")).isEmpty();
        assertThat(NodeLabels.gpuLabelVendor("app")).isNull();
    }

    /**
     * QA 67a F4: a label the shape does not determine is met for a DaemonSet (charged, the safe side) and not for the
     * workload's pods, which are left off the shape for want of it. The note says both and how to make them agree;
     * a DaemonSet on a label no pod selects keeps the plain note.
     */
    @Test
    void aDaemonSetChargedOnALabelThePodsAreRefusedForSaysSo() {
        NodeShape m5 = awsShape("m5.2xlarge");
        var acc = daemonSet("ds-acc", Map.of("accelerator", "nvidia"));
        var team = daemonSet("ds-team", Map.of("team", "a"));
        var sel = new io.nodesizer.model.PodGroup("sel", "Deployment", new io.nodesizer.model.Resources(1000, 1L << 30, 1, 0, 0), 2, false,
                null, new io.nodesizer.model.SourceRef("t", 1), List.of(), null,
                new io.nodesizer.model.Placement(Map.of("accelerator", "nvidia"), null, List.of()));
        DaemonSetPlacement.Load load = DaemonSetPlacement.on(m5, List.of(acc, team), null, List.of(sel));
        assertThat(load.placed()).containsExactly("ds-acc", "ds-team");
        assertThat(load.notes()).containsExactly("DaemonSet ds-acc selects on label accelerator, which a node shape does not determine; "
                        + "counted on every node, though the workload's 2 pods selecting on it (sel) are left off m5.2xlarge for want of it: "
                        + "if its nodes carry accelerator, give it to the shape (labels=accelerator=…) and both run there; if not, neither does",
                "DaemonSet ds-team selects on label team, which a node shape does not determine; counted on every node");
        assertThat(NodeMatching.onShape(sel.placement(), m5, NodeLabels.of(m5))).isNotNull();
    }

    private static NodeShape awsShape(String name) {
        return NodeShapes.toShape(Catalogs.load("aws").stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(),
                ReservationPolicies.forProvider("aws"), null, null);
    }

    private static io.nodesizer.model.DaemonSetSpec daemonSet(String name, io.nodesizer.model.Placement p) {
        return new io.nodesizer.model.DaemonSetSpec(name, new io.nodesizer.model.Resources(100, 1L << 27, 1, 0, 0), Map.of(),
                new io.nodesizer.model.SourceRef("t", 1), null, p);
    }

    private static io.nodesizer.model.Placement requiring(String key, io.nodesizer.model.Placement.Operator op, String... values) {
        var term = new io.nodesizer.model.Placement.Term(java.util.List.of(new io.nodesizer.model.Placement.Requirement(key, op,
                java.util.List.of(values))), java.util.List.of());
        return new io.nodesizer.model.Placement(Map.of(), java.util.List.of(term), java.util.List.of());
    }

    private static io.nodesizer.model.DaemonSetSpec daemonSet(String name, Map<String, String> selector) {
        io.nodesizer.model.Placement p = new io.nodesizer.model.Placement(selector, null, java.util.List.of());
        return new io.nodesizer.model.DaemonSetSpec(name, new io.nodesizer.model.Resources(100, 1L << 27, 1, 0, 0), selector,
                new io.nodesizer.model.SourceRef("t", 1), null, p);
    }

    /** A second candidate of one type, renamed m5.xlarge#2, keeps the type's name-derived labels and its type. */
    @Test
    void aRenamedShapeKeepsItsTypesLabels() {
        io.nodesizer.model.NodeShape m5 = io.nodesizer.catalog.ShapeSpec.parse("aws:m5.xlarge,labels=workload=batch",
                ReservationPolicies::forProvider, null, null);
        io.nodesizer.model.NodeShape renamed = NodeLabels.renamed(m5, "m5.xlarge#2");
        assertThat(renamed.name()).isEqualTo("m5.xlarge#2");
        assertThat(renamed.instanceType()).isEqualTo("m5.xlarge");
        assertThat(NodeLabels.of(renamed)).containsEntry("node.kubernetes.io/instance-type", "m5.xlarge")
                .containsEntry("karpenter.k8s.aws/instance-size", "xlarge").containsEntry("workload", "batch");
        assertThat(m5.instanceType()).isEqualTo("m5.xlarge");
    }
}
