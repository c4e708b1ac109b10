package io.nodesizer.model;

/**
 * An input object that is not a workload we pack (a Service, a ConfigMap, …), listed so nothing is
 * dropped silently.
 *
 * @param idle     for a workload left out at zero replicas, its pods as a group of one replica
 *                 (template, placement, origin), which a KEDA ScaledObject scaling it up from zero
 *                 packs (HorizontalPodAutoscalers), and an Argo Rollout referring to it takes its
 *                 template from; null for any other object
 * @param template for a workload whose pods come from another object's template (an Argo Rollout's
 *                 {@code spec.workloadRef}), that reference until it is resolved; null otherwise
 * @param budget   for a PodDisruptionBudget, what it says (the replay's drain rules read it); null otherwise
 * @param quota    for a ResourceQuota, what it says ({@code ResourceQuotas} applies it once every input is read); null otherwise
 */
public record IgnoredObject(String kind, String name, SourceRef origin, String reason, PodGroup idle, TemplateRef template,
                            DisruptionBudget budget, ResourceQuotaSpec quota) {
    /** An object with the payloads of the forms above but a quota. */
    public IgnoredObject(String kind, String name, SourceRef origin, String reason, PodGroup idle, TemplateRef template,
                         DisruptionBudget budget) {
        this(kind, name, origin, reason, idle, template, budget, null);
    }

    /** An object listed with no pods to fall back on. */
    public IgnoredObject(String kind, String name, SourceRef origin, String reason) {
        this(kind, name, origin, reason, null, null, null);
    }

    /** An object with pods to fall back on ({@link #idle}) or a template reference ({@link #template}). */
    public IgnoredObject(String kind, String name, SourceRef origin, String reason, PodGroup idle, TemplateRef template) {
        this(kind, name, origin, reason, idle, template, null);
    }

    /**
     * How the reason of an object packed as an approximation opens: its pods are placed, but with what nodesizer
     * does not model (hugepages, extended resources, devices claimed through Dynamic Resource Allocation) taken as
     * offered everywhere. Reports list it apart from the objects left out ({@code approximated}, not {@code ignored}).
     */
    public static final String APPROXIMATED = "approximated: ";

    /**
     * A workload whose pods request resources nodesizer does not pack ({@link ExtendedResources}: hugepages, device
     * plugins' other than whole GPUs), by name: the scheduler would keep them off nodes without those resources.
     */
    public static IgnoredObject unmodelledRequests(String kind, String name, SourceRef origin, java.util.Collection<String> resources) {
        return new IgnoredObject(kind, name, origin, APPROXIMATED + "its requests of " + String.join(", ", resources) + " are not "
                + "modelled (hugepages and extended resources other than whole GPUs): its pods are placed as if every node offered them");
    }

    /**
     * A workload left out because its pods request shares of NVIDIA GPUs ({@link ExtendedResources#nvidiaGpuShare}): packed as
     * if every node offered them, they sized a CPU-only pool and swept no GPU type (QA 69a F4).
     */
    public static IgnoredObject gpuShares(String kind, String name, SourceRef origin, java.util.Collection<String> resources) {
        return new IgnoredObject(kind, name, origin, "not packed: its pods request " + String.join(", ", resources) + GPU_SHARES
                + ", on nodes whose GPUs it partitions (MIG slices of an A100, A30, "
                + "H100, H200 or later, or time-sliced replicas), so no node without such a GPU runs them; nodesizer does not model "
                + "GPU partitions: to size nodes for them, request whole GPUs (nvidia.com/gpu)");
    }

    /** What the reason of a workload left out for its shares of NVIDIA GPUs ({@link #gpuShares}) says of them. */
    private static final String GPU_SHARES = ", a share of an NVIDIA GPU that only NVIDIA's device plugin offers";

    /** Whether this is a workload left out for its pods' shares of NVIDIA GPUs ({@link #gpuShares}). */
    public boolean leftOutForGpuShares() {
        return reason.startsWith("not packed: its pods request ") && reason.contains(GPU_SHARES);
    }

    /** Whether the object's pods are packed as an approximation ({@link #APPROXIMATED}). */
    public boolean approximated() {
        return reason.startsWith(APPROXIMATED);
    }

    /** A workload left out at zero replicas, with its pods at one replica ({@link #idle}). */
    public IgnoredObject(String kind, String name, SourceRef origin, String reason, PodGroup idle) {
        this(kind, name, origin, reason, idle, null);
    }
}
