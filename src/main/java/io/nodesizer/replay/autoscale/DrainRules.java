package io.nodesizer.replay.autoscale;

import io.nodesizer.model.PodGroup;
import io.nodesizer.model.PodTemplate;

/**
 * Which pods keep their node from an autoscaler's scale-down, by what their manifests say ({@link PodTemplate.Eviction}):
 * a node running one is never found unneeded nor consolidated. Pods read from CSV profiles and traces say nothing, so
 * they keep no node.
 */
public final class DrainRules {
    /** How {@link #clusterAutoscaler}'s reason for local storage begins. */
    public static final String LOCAL_STORAGE = "local storage";

    private DrainRules() {
    }

    /**
     * Why Cluster Autoscaler's drain rules block the removal of a node running a pod of {@code group}, or null
     * (kubernetes/autoscaler {@code cluster-autoscaler/simulator/drainability/rules}, in its order): {@code safe-to-evict:
     * "true"} lets any pod go; {@code safe-to-evict: "false"} blocks ({@code notsafetoevict}); a bare pod, which no
     * controller recreates, blocks ({@code replicated}); a pod with local storage blocks under
     * {@code --skip-nodes-with-local-storage} (default true; {@code localstorage}). The {@code system} rule (kube-system
     * pods no PodDisruptionBudget covers) is not applied: the replay reads no budgets.
     */
    public static String clusterAutoscaler(PodGroup group, boolean skipNodesWithLocalStorage) {
        PodTemplate t = group.template();
        if (t == null || "true".equals(t.eviction().safeToEvict())) {
            return null;
        }
        if ("false".equals(t.eviction().safeToEvict())) {
            return "annotated cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"";
        }
        if (group.kind().equals("Pod")) {
            return "a bare pod: no controller would recreate it";
        }
        if (skipNodesWithLocalStorage && t.eviction().localStorage() != null) {
            return LOCAL_STORAGE + " (" + t.eviction().localStorage() + ")";
        }
        return null;
    }

    /**
     * Why Karpenter never disrupts a node running a pod of {@code group} voluntarily, or null: the pod's
     * {@code karpenter.sh/do-not-disrupt: "true"} (kubernetes-sigs/karpenter, disruption's candidate filter).
     */
    public static String karpenter(PodGroup group) {
        PodTemplate t = group.template();
        return t != null && t.eviction().doNotDisrupt() ? "annotated karpenter.sh/do-not-disrupt: \"true\"" : null;
    }
}
