package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.DisruptionBudget;
import io.nodesizer.model.PodGroup;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PodDisruptionBudgets that cover the replay's pods, with the status the disruption controller would give them now:
 * per budget the pods it expects (those of its pods that arrived and have not left, running, pending or unschedulable:
 * its controllers' replicas) and the healthy ones (running; a pod is Ready once bound here), so that evictions allowed =
 * healthy less desired ({@link DisruptionBudget#allowed(int, int)}). Per node the running pods some budget covers, so the
 * autoscalers read a node's pods only when one of them is covered.
 */
final class Budgets {
    private final DisruptionBudget[] budgets;
    /** Per group the budgets that cover its pods; null when none does. */
    private final int[][] ofGroup;
    /** Per group whether its pods carry labels (preemption's budget check skips a pod without any). */
    private final boolean[] labelled;
    /**
     * Per group whether its pods are annotated {@code cluster-autoscaler.kubernetes.io/safe-to-evict: "true"}: CA's
     * drainability rules let such a pod go before its PodDisruptionBudget rule is asked (the eviction API still is).
     */
    private final boolean[] safeToEvict;
    private final int[] expected;
    private final int[] healthy;
    /** Per budget whether kube-scheduler's preemption sees it cover pods: not with an empty selector ("matches nothing" there). */
    private final boolean[] preemptionCovers;
    /** Per node its running pods that some budget covers (grown on placement). */
    private int[] coveredOn = new int[0];

    private Budgets(DisruptionBudget[] budgets, int[][] ofGroup, boolean[] labelled, boolean[] safeToEvict) {
        this.budgets = budgets;
        this.ofGroup = ofGroup;
        this.labelled = labelled;
        this.safeToEvict = safeToEvict;
        this.expected = new int[budgets.length];
        this.healthy = new int[budgets.length];
        this.preemptionCovers = new boolean[budgets.length];
        for (int b = 0; b < budgets.length; b++) {
            preemptionCovers[b] = !budgets[b].emptySelector();
        }
    }

    /** The budgets of {@code table}'s groups; null when no group is covered (the usual input: nothing is counted). */
    static Budgets of(DemandTable table) {
        Map<DisruptionBudget, Integer> index = new LinkedHashMap<>();
        int[][] ofGroup = new int[table.groupCount()][];
        boolean[] labelled = new boolean[ofGroup.length];
        boolean[] safeToEvict = new boolean[ofGroup.length];
        for (int g = 0; g < ofGroup.length; g++) {
            PodGroup group = table.group(g);
            labelled[g] = !group.placement().podLabels().isEmpty();
            safeToEvict[g] = group.template() != null && "true".equals(group.template().eviction().safeToEvict());
            List<DisruptionBudget> covering = group.template() == null ? List.of() : group.template().eviction().budgets();
            if (!covering.isEmpty()) {
                ofGroup[g] = covering.stream().mapToInt(b -> index.computeIfAbsent(b, k -> index.size())).toArray();
            }
        }
        return index.isEmpty() ? null : new Budgets(index.keySet().toArray(DisruptionBudget[]::new), ofGroup, labelled, safeToEvict);
    }

    int count() {
        return budgets.length;
    }

    DisruptionBudget budget(int b) {
        return budgets[b];
    }

    /** The budgets covering {@code group}'s pods; null when none does. */
    int[] of(int group) {
        return ofGroup[group];
    }

    /** Whether Cluster Autoscaler's simulation lets {@code group}'s pods go whatever their budgets (safe-to-evict "true"). */
    boolean caIgnores(int group) {
        return safeToEvict[group];
    }

    /** Evictions budget {@code b} allows now. */
    int allowed(int b) {
        return budgets[b].allowed(expected[b], healthy[b]);
    }

    /**
     * kube-scheduler's {@code filterPodsWithPDBViolation} over the first {@code n} of {@code victims} (most important
     * first): into {@code out}, per pod whether evicting it and those before it breaks a budget that covers it, each
     * budget's allowance now ({@code allowed}, copied into {@code left}) counted down pod by pod. A budget with an empty
     * selector covers no pod here, and a pod without labels none (its selector cannot match them).
     */
    void breaking(PodStream stream, int[] victims, int n, int[] allowed, int[] left, boolean[] out) {
        System.arraycopy(allowed, 0, left, 0, budgets.length);
        for (int i = 0; i < n; i++) {
            int g = stream.group(victims[i]);
            int[] bs = ofGroup[g];
            boolean breaks = false;
            if (bs != null && labelled[g]) { // "A pod with no labels will not match any PDB. So, no need to check."
                for (int b : bs) {
                    if (preemptionCovers[b] && --left[b] < 0) {
                        breaks = true;
                    }
                }
            }
            out[i] = breaks;
        }
    }

    /** Whether a running pod on {@code node} is covered by some budget. */
    boolean covers(int node) {
        return node < coveredOn.length && coveredOn[node] > 0;
    }

    /** A pod of {@code group} goes from pod state {@code from} to {@code to}: it arrives, or leaves. */
    void changed(int group, byte from, byte to) {
        int[] bs = ofGroup[group];
        if (bs == null) {
            return;
        }
        int delta = from == Cluster.POD_NOT_ARRIVED && to != Cluster.POD_GONE ? 1
                : to == Cluster.POD_GONE && from != Cluster.POD_NOT_ARRIVED ? -1 : 0;
        for (int b : bs) {
            expected[b] += delta;
        }
    }

    /** A pod of {@code group} starts ({@code delta} 1) or stops (-1) running on {@code node}. */
    void running(int group, int node, int delta) {
        int[] bs = ofGroup[group];
        if (bs == null) {
            return;
        }
        for (int b : bs) {
            healthy[b] += delta;
        }
        if (node >= coveredOn.length) {
            coveredOn = Arrays.copyOf(coveredOn, Math.max(node + 1, coveredOn.length * 2));
        }
        coveredOn[node] += delta;
    }

    /** Checks the counts against pod states and nodes derived afresh ({@code state} and {@code nodeOf} per pod). */
    void verify(PodStream stream, byte[] state, int[] nodeOf) {
        int[] exp = new int[budgets.length];
        int[] run = new int[budgets.length];
        int[] on = new int[coveredOn.length];
        for (int p = 0; p < state.length; p++) {
            int[] bs = ofGroup[stream.group(p)];
            if (bs == null || state[p] == Cluster.POD_NOT_ARRIVED || state[p] == Cluster.POD_GONE) {
                continue;
            }
            for (int b : bs) {
                exp[b]++;
                run[b] += state[p] == Cluster.POD_RUNNING ? 1 : 0;
            }
            if (state[p] == Cluster.POD_RUNNING) {
                on[nodeOf[p]]++;
            }
        }
        if (!Arrays.equals(exp, expected) || !Arrays.equals(run, healthy) || !Arrays.equals(on, coveredOn)) {
            throw new IllegalStateException("the PodDisruptionBudgets' counts are out of step with the pods: expected "
                    + Arrays.toString(expected) + " (derived " + Arrays.toString(exp) + "), healthy " + Arrays.toString(healthy)
                    + " (derived " + Arrays.toString(run) + ")");
        }
    }
}
