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
 */
public record IgnoredObject(String kind, String name, SourceRef origin, String reason, PodGroup idle, TemplateRef template) {
    /** An object listed with no pods to fall back on. */
    public IgnoredObject(String kind, String name, SourceRef origin, String reason) {
        this(kind, name, origin, reason, null, null);
    }

    /** A workload left out at zero replicas, with its pods at one replica ({@link #idle}). */
    public IgnoredObject(String kind, String name, SourceRef origin, String reason, PodGroup idle) {
        this(kind, name, origin, reason, idle, null);
    }
}
