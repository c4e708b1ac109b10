package io.nodesizer.kube;

import io.nodesizer.model.GpuVendors;
import io.nodesizer.model.NodeShape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels every node of a shape carries: the kubelet's well-known labels (kubernetes.io/os,
 * kubernetes.io/arch, node.kubernetes.io/instance-type, their beta aliases, kubernetes.io/hostname),
 * the provider's own (Karpenter's karpenter.k8s.aws/instance-* on AWS, {@link #karpenterLabels};
 * cloud.google.com/machine-family on GCE), then the shape's own {@code labels=}. The hostname is a
 * placeholder no requirement names: a node that does not exist yet has no name anyone could pin
 * a pod to. Zone and region vary per node of a pool and are not here ({@link NodeMatching#PER_NODE}).
 */
public final class NodeLabels {
    /** The hostname of a node not created yet: no selector value equals it. */
    public static final String NEW_NODE = "(a new node)";

    private NodeLabels() {
    }

    /**
     * The value of topology key {@code key} on the nodes of a pool whose labels are {@code labels}
     * ({@link #of}), for domains of pod rules; null when they do not carry it. Keys a managed node
     * has though the shape does not declare them count as carried: the region (one value for the
     * cluster) and the node group labels ({@link NodeMatching#POOL_LABELS}: each pool its own value,
     * named by {@code pool}).
     */
    public static String topologyValue(Map<String, String> labels, String key, String pool) {
        String value = labels.get(key);
        if (value == null && NodeMatching.PER_NODE.contains(key)) {
            return "";
        }
        if (value == null && NodeMatching.POOL_LABELS.contains(key)) {
            return "\u0000pool " + pool;
        }
        return value;
    }

    /**
     * Label prefixes that only one cloud's nodes carry (their provider's own labels, set by the
     * managed node groups or the cloud's Karpenter); the catalog names providers aws, gce, azure.
     */
    private static final Map<String, List<String>> PROVIDER_PREFIXES = Map.of(
            "aws", List.of("karpenter.k8s.aws/", "eks.amazonaws.com/", "alpha.eksctl.io/", "k8s.amazonaws.com/"),
            "gce", List.of("cloud.google.com/", "node.gke.io/"),
            "azure", List.of("kubernetes.azure.com/", "karpenter.azure.com/"));

    /**
     * Whether {@code key} is a label only another cloud's nodes carry, so a node of a {@code provider}
     * shape that does not declare it ({@code labels=}) has none: {@code cloud.google.com/machine-family}
     * on an AWS node. False for a shape of no known provider (an inline shape) and for neutral keys.
     */
    public static boolean foreign(String key, String provider) {
        if (!PROVIDER_PREFIXES.containsKey(provider)) {
            return false;
        }
        for (Map.Entry<String, List<String>> e : PROVIDER_PREFIXES.entrySet()) {
            if (!e.getKey().equals(provider) && e.getValue().stream().anyMatch(key::startsWith)) {
                return true;
            }
        }
        return false;
    }

    /** Karpenter's AWS labels {@link #karpenterLabels} sets from the type's name and capacity whenever they apply. */
    private static final java.util.Set<String> KARPENTER_AWS_KEYS = java.util.Set.of("karpenter.k8s.aws/instance-family",
            "karpenter.k8s.aws/instance-category", "karpenter.k8s.aws/instance-generation", "karpenter.k8s.aws/instance-size",
            "karpenter.k8s.aws/instance-cpu", "karpenter.k8s.aws/instance-memory", "karpenter.k8s.aws/instance-gpu-count");

    /**
     * Karpenter's GPU labels, which its AWS provider sets only on types with GPUs
     * (karpenter-provider-aws, pkg/providers/instancetype/types.go, {@code computeRequirements}:
     * instance-gpu-name, -gpu-manufacturer, -gpu-count, -gpu-memory under {@code info.GpuInfo != nil}).
     */
    private static final java.util.Set<String> KARPENTER_AWS_GPU_KEYS = java.util.Set.of("karpenter.k8s.aws/instance-gpu-name",
            "karpenter.k8s.aws/instance-gpu-manufacturer", "karpenter.k8s.aws/instance-gpu-count", "karpenter.k8s.aws/instance-gpu-memory");

    /**
     * Whether the labels of a node of {@code shape} ({@link #of}) tell for sure if it carries
     * {@code key}: true for the Karpenter labels nodesizer sets from an AWS type whenever Karpenter
     * would ({@link #karpenterLabels}), so a missing one is absent from the node (no GPU labels on
     * an m5), and for the labels a GPU vendor's software puts only on nodes with its GPUs ({@link
     * #gpuLabelVendor}) on a shape without GPUs or with another vendor's; false for keys a shape does
     * not determine (GPU memory on a GPU type, NVIDIA's labels on an NVIDIA type, where the operator
     * may or may not run, a label its pools may be given), which a DaemonSet's requirement then takes as met.
     */
    public static boolean determines(NodeShape shape, String key) {
        String vendor = gpuLabelVendor(key);
        if (vendor != null && (shape.capacity().gpuMillis() == 0 || !GpuVendors.allows(vendor, shape.gpuVendor()))) {
            return true;
        }
        return shape.provider().equals("aws")
                && (KARPENTER_AWS_KEYS.contains(key) || KARPENTER_AWS_GPU_KEYS.contains(key) && shape.capacity().gpuMillis() == 0
                || key.equals(EKS_COMPUTE_TYPE));
    }

    /**
     * EKS sets {@code eks.amazonaws.com/compute-type} only on nodes it runs itself, Fargate's
     * ({@code fargate}), hybrid nodes and Auto Mode's ({@code hybrid}, {@code auto}), never on a node
     * group's EC2 instance, which an aws shape stands for: absent there, so the stock {@code aws-node}
     * and {@code kube-proxy} DaemonSets' {@code NotIn [fargate, hybrid, auto]} is decided (they run).
     */
    static final String EKS_COMPUTE_TYPE = "eks.amazonaws.com/compute-type";

    /**
     * Node feature discovery's PCI device labels of NVIDIA's (10de) or AMD's graphics (1002) vendor
     * ID, group 1: {@code feature.node.kubernetes.io/pci-<fields>.present}, the fields of
     * {@code deviceLabelFields} joined by "_" in NFD's order (class, vendor, device, …), so the vendor
     * first or after a class of the kinds NFD lists by default (display 03xx, co-processor 0b40,
     * processing accelerator 12xx): {@code pci-10de}, {@code pci-0302_10de} (the GPU operators' forms),
     * {@code pci-10de_20b0}.
     */
    private static final java.util.regex.Pattern NFD_GPU_PCI = java.util.regex.Pattern.compile(
            "feature\\.node\\.kubernetes\\.io/pci-(?:(?:03|0b|12)[0-9a-f]{2}_)?(10de|1002)(?:_[0-9a-f]{4})*\\.present");

    /**
     * The GPU vendor ({@link GpuVendors}) whose software alone puts label {@code key} on a node, and
     * only on a node with its GPUs; "" for a label any GPU node and no other carries; null for every
     * other label. NVIDIA: GPU feature discovery and the GPU operator ({@code nvidia.com/gpu.present},
     * {@code gpu.product}, {@code gpu.deploy.*}, {@code mig.*}, all {@code nvidia.com/}; the operator
     * labels a node only when NFD found an NVIDIA PCI device, NVIDIA/gpu-operator
     * {@code controllers/state_manager.go} {@code hasGPULabels}), and NFD's labels of PCI vendor 10de. AMD: its
     * node labeller ({@code amd.com/gpu.*}, {@code beta.amd.com/gpu.*}) and PCI vendor 1002 (AMD's
     * graphics; its CPUs' devices are 1022). Intel: its GPU plugin's NFD rules
     * ({@code gpu.intel.com/…}, {@code intel.feature.node.kubernetes.io/gpu}) — not PCI vendor 8086,
     * which every Intel machine's chipset shows. Any vendor: the clouds' accelerator labels on GPU node
     * pools (GKE's {@code cloud.google.com/gke-accelerator}, AKS's {@code kubernetes.azure.com/accelerator},
     * the {@code k8s.amazonaws.com/accelerator} EKS node groups are given for the Cluster Autoscaler).
     */
    static String gpuLabelVendor(String key) {
        if (key.startsWith("nvidia.com/")) {
            return "nvidia";
        }
        if (key.startsWith("amd.com/gpu") || key.startsWith("beta.amd.com/gpu")) {
            return "amd";
        }
        if (key.startsWith("gpu.intel.com/") || key.equals("intel.feature.node.kubernetes.io/gpu")) {
            return "intel";
        }
        if (key.equals("cloud.google.com/gke-accelerator") || key.equals("kubernetes.azure.com/accelerator")
                || key.equals("k8s.amazonaws.com/accelerator")) {
            return "";
        }
        java.util.regex.Matcher m = NFD_GPU_PCI.matcher(key);
        return !m.matches() ? null : m.group(1).equals("10de") ? "nvidia" : "amd";
    }

    /**
     * Whether a node label is derived from the instance type, so a node of another shape has another
     * value: the well-known instance-type labels, Karpenter's AWS {@code karpenter.k8s.aws/instance-*}
     * (family, size, generation, cpu, memory, gpu-…: aws/karpenter-provider-aws pkg/apis/v1/labels.go)
     * and Azure {@code karpenter.azure.com/sku-*}, and GKE's {@code cloud.google.com/machine-family}
     * and {@code cloud.google.com/gke-machine-type}.
     */
    public static boolean fromInstanceType(String key) {
        return key.equals("node.kubernetes.io/instance-type") || key.equals("beta.kubernetes.io/instance-type")
                || key.startsWith("karpenter.k8s.aws/instance-") || key.startsWith("eks.amazonaws.com/instance-") // EKS Auto Mode's
                || key.startsWith("karpenter.azure.com/sku-")
                || key.equals("cloud.google.com/machine-family") || key.equals("cloud.google.com/gke-machine-type");
    }

    /**
     * {@code shape} under another name (a second candidate of one instance type with other labels,
     * taints or price), its nodes labelled as the type's: the labels that come from the name
     * (instance type, Karpenter's instance size) are kept among its own.
     */
    public static NodeShape renamed(NodeShape shape, String name) {
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, String> derived = of(shape);
        for (String key : List.of("node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type", "karpenter.k8s.aws/instance-size")) {
            if (derived.containsKey(key)) {
                own.put(key, derived.get(key));
            }
        }
        own.putAll(shape.labels());
        return new NodeShape(name, shape.provider(), shape.family(), shape.arch(), shape.capacity(), shape.allocatable(), shape.reservation(),
                shape.pricePerHourUsd(), shape.gpuModel(), own, shape.taints(), shape.gpuVendor(), shape.kubeletCapacity());
    }

    public static Map<String, String> of(NodeShape shape) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", shape.arch());
        labels.put("beta.kubernetes.io/arch", shape.arch());
        labels.put("node.kubernetes.io/instance-type", shape.name());
        labels.put("beta.kubernetes.io/instance-type", shape.name());
        labels.put("kubernetes.io/hostname", NEW_NODE);
        if (shape.capacity().gpuMillis() > 0 && "nvidia".equals(shape.gpuVendor())) {
            // NVIDIA's GPU feature discovery (the GPU operator runs it with the device plugin a GPU node needs) on every node
            // with its GPUs; gpu.product names the exact board, which a type's model does not (GpuProductSelectors reads it).
            labels.put("nvidia.com/gpu.present", "true");
            labels.put("nvidia.com/gpu.count", Long.toString(shape.capacity().gpuMillis() / 1000));
        }
        switch (shape.provider()) {
            case "aws" -> karpenterLabels(shape, labels);
            case "gce" -> labels.put("cloud.google.com/machine-family", shape.family());
            default -> {
            }
        }
        labels.putAll(shape.labels());
        return labels;
    }

    /**
     * Category and generation from an AWS instance type's name, as Karpenter parses them
     * (karpenter-provider-aws, pkg/providers/instancetype/types.go, {@code instanceTypeScheme}
     * {@code (^[a-z]+)(\-[0-9]+tb)?([0-9]+).*\.}; category group 1, generation group 3):
     * {@code m5a.large} → m, 5; {@code inf2.xlarge} → inf, 2; {@code c7i-flex.large} → c, 7;
     * {@code p6-b200.48xlarge} → p, 6; {@code u-6tb1.metal} → u, 1 (the memory part skipped).
     * Matched on the family name, the type's part before the dot, with a dot after it.
     */
    private static final java.util.regex.Pattern AWS_TYPE = java.util.regex.Pattern.compile("(^[a-z]+)(-[0-9]+tb)?([0-9]+).*\\.");

    /**
     * The labels Karpenter puts on the AWS nodes it launches (its well-known labels,
     * {@code karpenter.k8s.aws/instance-*}, from the instance type), so that a pod selecting on
     * them (instance-category In [c, m, r], instance-generation Gt 4, instance-gpu-name t4, …)
     * is matched as on a Karpenter node rather than refused for a missing label: instance-family,
     * -category, -generation and -size from the type's name, -cpu (vCPUs) and -memory (MiB) from
     * its capacity, and for GPU types -gpu-name, -gpu-manufacturer (the catalog's, lower case as
     * Karpenter's) and -gpu-count.
     */
    private static void karpenterLabels(NodeShape shape, Map<String, String> labels) {
        labels.put("karpenter.k8s.aws/instance-family", shape.family());
        java.util.regex.Matcher m = AWS_TYPE.matcher(shape.family() + ".");
        if (m.find()) {
            labels.put("karpenter.k8s.aws/instance-category", m.group(1));
            labels.put("karpenter.k8s.aws/instance-generation", m.group(3));
        }
        int dot = shape.name().indexOf('.');
        if (dot > 0) {
            labels.put("karpenter.k8s.aws/instance-size", shape.name().substring(dot + 1));
        }
        labels.put("karpenter.k8s.aws/instance-cpu", Long.toString(shape.capacity().cpuMillis() / 1000));
        labels.put("karpenter.k8s.aws/instance-memory", Long.toString(shape.capacity().memoryBytes() >> 20));
        if (shape.capacity().gpuMillis() > 0) {
            labels.put("karpenter.k8s.aws/instance-gpu-count", Long.toString(shape.capacity().gpuMillis() / 1000));
            if (!shape.gpuModel().isEmpty()) {
                labels.put("karpenter.k8s.aws/instance-gpu-name", shape.gpuModel().toLowerCase(java.util.Locale.ROOT));
            }
            if (!shape.gpuVendor().isEmpty()) {
                labels.put("karpenter.k8s.aws/instance-gpu-manufacturer", shape.gpuVendor());
            }
        }
    }
}
