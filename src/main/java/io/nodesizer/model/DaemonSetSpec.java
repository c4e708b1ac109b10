package io.nodesizer.model;

import java.util.Map;
import java.util.Objects;

/**
 * A DaemonSet: one pod of {@code request} on every node whose labels match {@code nodeSelector}
 * (an empty selector selects every node). Its cost is charged to every selected node before any
 * workload pod is placed, as the DaemonSet controller does.
 *
 * @param template  the containers behind {@code request} when the input has them, else null
 * @param placement the pod template's node affinity and tolerations (its nodeSelector is {@code nodeSelector})
 * @param update    how it replaces its running pods when its template changes ({@link UpdateStrategy#DEFAULT} when not given)
 */
public record DaemonSetSpec(String name, Resources request, Map<String, String> nodeSelector, SourceRef origin, PodTemplate template,
                            Placement placement, UpdateStrategy update) {
    public DaemonSetSpec {
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(update, "update");
        if (!placement.nodeSelector().equals(nodeSelector)) {
            throw new IllegalArgumentException("The placement of DaemonSet " + name + " must carry its nodeSelector.");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(origin, "origin");
        nodeSelector = Map.copyOf(nodeSelector);
        if (template != null && !template.effectiveRequest().equals(request)) {
            throw new IllegalArgumentException("The request of DaemonSet " + name + " must be its template's.");
        }
    }

    /** A DaemonSet with the default update strategy. */
    public DaemonSetSpec(String name, Resources request, Map<String, String> nodeSelector, SourceRef origin, PodTemplate template,
                         Placement placement) {
        this(name, request, nodeSelector, origin, template, placement, UpdateStrategy.DEFAULT);
    }

    /** What kube-scheduler's scoring counts of one of its pods, as of a workload's ({@link PodGroup#scoringRequest()}). */
    public Resources scoringRequest() {
        return PodTemplate.scoringRequest(template, request);
    }

    /** The priority the API server's admission gives its pods ({@code spec.priority}; 0 without a template or one). */
    public int priority() {
        return template == null || template.priority() == null ? 0 : template.priority();
    }

    /** The same DaemonSet with another placement (its nodeSelector with it). */
    public DaemonSetSpec withPlacement(Placement newPlacement) {
        return new DaemonSetSpec(name, request, newPlacement.nodeSelector(), origin, template, newPlacement, update);
    }

    /** A DaemonSet without a container breakdown, affinity or tolerations. */
    public DaemonSetSpec(String name, Resources request, Map<String, String> nodeSelector, SourceRef origin) {
        this(name, request, nodeSelector, origin, null);
    }

    /** A DaemonSet with only a nodeSelector. */
    public DaemonSetSpec(String name, Resources request, Map<String, String> nodeSelector, SourceRef origin, PodTemplate template) {
        this(name, request, nodeSelector, origin, template, new Placement(nodeSelector, null, java.util.List.of()));
    }

    /** The same DaemonSet with other containers, and the request they add up to. */
    public DaemonSetSpec withTemplate(PodTemplate newTemplate) {
        return new DaemonSetSpec(name, newTemplate.effectiveRequest(), nodeSelector, origin, newTemplate, placement, update);
    }
}
