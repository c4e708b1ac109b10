package io.nodesizer.replay.autoscale;

import io.nodesizer.model.PodGroup;
import io.nodesizer.model.PodTemplate;

/**
 * Which pods keep their node from an autoscaler's scale-down, by what their manifests and the PodDisruptionBudgets among
 * them say ({@link PodTemplate.Eviction}):
 * a node running one is never found unneeded nor consolidated. Pods read from CSV profiles and traces say nothing, so
 * they keep no node.
 */
public final class DrainRules {
    /** How {@link #clusterAutoscaler}'s reason for local storage begins. */
    public static final String LOCAL_STORAGE = "local storage";
    /** {@link #clusterAutoscaler}'s reason for a kube-system pod no budget covers. */
    public static final String SYSTEM_POD = "a kube-system pod that no PodDisruptionBudget covers";

    private DrainRules() {
    }

    /**
     * Why a node running a pod of {@code group} is never removed by Cluster Autoscaler, or null: CA's drainability rules
     * (kubernetes/autoscaler {@code cluster-autoscaler/simulator/drainability/rules}), in their order:
     * {@code safe-to-evict: "true"} lets the pod go before any other rule is asked ({@code safetoevict}); a bare pod, which
     * no controller recreates, blocks ({@code replicated}); a kube-system pod that no budget among the inputs covers blocks
     * under {@code --skip-nodes-with-system-pods} (default true; {@code system}); {@code safe-to-evict: "false"} blocks
     * ({@code notsafetoevict}); a pod with local storage blocks under {@code --skip-nodes-with-local-storage}
     * (default true; {@code localstorage}); a PodDisruptionBudget among the inputs that never allows an eviction
     * ({@code maxUnavailable: 0}, {@code minAvailable: 100%}) blocks ({@code pdb}). A budget whose allowance depends on how
     * many pods run is weighed as the replay runs; what CA's rules let go but the eviction API refuses fails the drain
     * instead ({@link #clusterAutoscalerDrainFails}). A pod below {@code expendableCutoff} keeps no node.
     */
    public static String clusterAutoscaler(PodGroup group, boolean skipNodesWithLocalStorage, boolean skipNodesWithSystemPods,
                                           int expendableCutoff) {
        PodTemplate t = group.template();
        // An expendable pod is out of CA's cluster snapshot before any drainability rule is asked (core/static_autoscaler.go
        // takes the scheduled pods through core/utils FilterOutExpendablePods; flag doc of --expendable-pods-priority-cutoff:
        // "They can be killed without any consideration during scale down"): whatever its namespace, annotations or
        // budgets, it keeps no node, as consolidate's withoutExpendable has it (QA 70b F15).
        if (t == null || "true".equals(t.eviction().safeToEvict()) || io.nodesizer.kube.ExpendablePods.expendable(group.priority(), expendableCutoff)) {
            return null;
        }
        // CA's replicated rule asks for a controller ownerReference, not that its controller be among the inputs: a pod of a
        // pods-only dump, owned by a ReplicaSet not listed, is replicated.
        if (t.eviction().ownerless()) {
            return "a bare pod: no controller would recreate it";
        }
        if (skipNodesWithSystemPods && "kube-system".equals(group.placement().namespace()) && t.eviction().budgets().isEmpty()) {
            return SYSTEM_POD;
        }
        if ("false".equals(t.eviction().safeToEvict())) {
            return "annotated cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"";
        }
        if (skipNodesWithLocalStorage && t.eviction().localStorage() != null) {
            return LOCAL_STORAGE + " (" + t.eviction().localStorage() + ")";
        }
        if (t.eviction().budgetAllowingNone() != null) {
            return budgetAllowsNone(t);
        }
        return null;
    }

    /**
     * Why Cluster Autoscaler's drain of a node running a pod of {@code group} fails although its simulation lets the pod
     * go, or null: the eviction API, through which CA drains, refuses a pod that two or more budgets cover
     * ({@link #severalBudgets}; CA's budget rule asks each budget alone), and one annotated {@code safe-to-evict: "true"}
     * (which CA's rules let go before its budget is asked) while its budget allows no eviction — for good with a budget
     * that never allows one. Such a drain gives up after {@code --max-pod-eviction-time}, the node's other pods evicted,
     * and the node is found unneeded and drained again later.
     */
    public static String clusterAutoscalerDrainFails(PodGroup group, int expendableCutoff) {
        PodTemplate t = group.template();
        // CA's drain evicts the pods of its snapshot's node: an expendable pod is not among them (clusterAutoscaler).
        if (t == null || t.eviction().budgets().isEmpty() || io.nodesizer.kube.ExpendablePods.expendable(group.priority(), expendableCutoff)) {
            return null;
        }
        boolean safe = "true".equals(t.eviction().safeToEvict());
        if (!safe && t.eviction().budgetAllowingNone() != null) {
            return null; // CA's budget rule keeps the node for good (clusterAutoscaler): no drain starts
        }
        if (t.eviction().budgets().size() > 1) {
            return severalBudgets(t);
        }
        if (safe && t.eviction().budgetAllowingNone() != null) {
            return "annotated safe-to-evict: \"true\", but " + budgetAllowsNone(t);
        }
        return null;
    }

    /**
     * Why Karpenter never disrupts a node running a pod of {@code group} voluntarily, or null: the pod's
     * {@code karpenter.sh/do-not-disrupt: "true"} (kubernetes-sigs/karpenter, disruption's candidate filter).
     */
    public static String karpenter(PodGroup group) {
        PodTemplate t = group.template();
        if (t == null) {
            return null;
        }
        return t.eviction().doNotDisrupt() ? "annotated karpenter.sh/do-not-disrupt: \"true\""
                : t.eviction().budgets().size() > 1 ? severalBudgets(t)
                : t.eviction().budgetAllowingNone() != null ? budgetAllowsNone(t) : null;
    }

    /**
     * A pod that more than one PodDisruptionBudget covers cannot be evicted at all: the eviction subresource refuses it
     * ("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support"; kubernetes
     * {@code pkg/registry/core/pod/storage/eviction.go}), and Karpenter's {@code CanEvictPods} rejects its node up front.
     */
    private static String severalBudgets(PodTemplate t) {
        return "covered by " + t.eviction().budgets().size() + " PodDisruptionBudgets ("
                + String.join(", ", t.eviction().budgets().stream().map(io.nodesizer.model.DisruptionBudget::fullName).toList())
                + "): the eviction API refuses a pod with more than one";
    }

    /**
     * Whether Karpenter never disrupts a node that DaemonSet {@code ds} runs on: its pods annotated do-not-disrupt block
     * too (Karpenter's {@code ValidatePodsDisruptable} lets mirror and DaemonSet pods block disruption).
     */
    public static boolean karpenterKeptBy(io.nodesizer.model.DaemonSetSpec ds) {
        return ds.template() != null && ds.template().eviction().doNotDisrupt();
    }

    /** The taint Karpenter puts on a node it disrupts ({@code karpenter.sh/disrupted:NoSchedule}). */
    public static final io.nodesizer.model.Placement.Taint KARPENTER_DISRUPTED =
            new io.nodesizer.model.Placement.Taint("karpenter.sh/disrupted", "", "NoSchedule");

    /**
     * Whether Karpenter's drain of a node DaemonSet {@code ds} runs on waits for its pods until the terminationGracePeriod:
     * they are annotated do-not-disrupt, so never evicted, and, not tolerating the disrupted taint, drainable
     * ({@code podutil.IsDrainable}), so the drain waits for them ({@code IsWaitingEviction}); a DaemonSet that tolerates
     * every taint is left on the node and holds nothing.
     */
    public static boolean karpenterDrainHeldBy(io.nodesizer.model.DaemonSetSpec ds) {
        return karpenterKeptBy(ds) && (ds.placement() == null
                || !io.nodesizer.kube.NodeMatching.tolerated(ds.placement().tolerations(), KARPENTER_DISRUPTED));
    }

    private static String budgetAllowsNone(PodTemplate t) {
        return "PodDisruptionBudget " + t.eviction().budgetAllowingNone() + " allows no eviction";
    }
}
