package io.nodesizer.kube;

import io.nodesizer.model.ClusterSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The snapshot's PodDisruptionBudgets as preemption reads them ({@code filterPodsWithPDBViolation}):
 * each with the disruptions it allows now (its status, or what the disruption controller would
 * compute when the snapshot has none: {@link io.nodesizer.model.DisruptionBudget#allowed});
 * a budget with an empty selector covers no pod here, and a pod without labels none.
 */
public record PreemptionBudgets(List<io.nodesizer.model.DisruptionBudget> budgets, int[] allowed) {
    public static PreemptionBudgets of(ClusterSnapshot snapshot) {
        List<io.nodesizer.model.DisruptionBudget> kept = new ArrayList<>();
        List<Integer> allowed = new ArrayList<>();
        io.nodesizer.model.BudgetCoverage coverage = io.nodesizer.model.BudgetCoverage.of(snapshot);
        for (io.nodesizer.model.DisruptionBudget b : snapshot.budgets()) {
            if (b.emptySelector()) {
                continue; // "A PDB with a nil or empty selector matches nothing"
            }
            kept.add(b);
            allowed.add(b.allowed(coverage.covered(b))); // the disruption controller counts every pod it selects
        }
        return new PreemptionBudgets(kept, allowed.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean covers(io.nodesizer.model.DisruptionBudget b, ClusterSnapshot.Pod p) {
        return !p.placement().podLabels().isEmpty() && b.covers(p); // filterPodsWithPDBViolation skips a pod without labels
    }

    /**
     * Per pod of {@code victims} (most important first), whether evicting it and those before
     * it breaks a budget that covers it: each covering budget's allowance counted down pod by pod.
     */
    public boolean[] breaking(List<ClusterSnapshot.Pod> victims) {
        boolean[] out = new boolean[victims.size()];
        if (budgets.isEmpty()) {
            return out;
        }
        int[] left = allowed.clone();
        for (int j = 0; j < victims.size(); j++) {
            for (int b = 0; b < budgets.size(); b++) {
                if (covers(budgets.get(b), victims.get(j)) && --left[b] < 0) {
                    out[j] = true;
                }
            }
        }
        return out;
    }

    /**
     * Of the pods preemption chose to evict ({@code victims}, any order), those whose eviction goes beyond what a budget that
     * covers them allows, counted down most important first. {@link #breaking} over every candidate is the reprieve's order
     * and the node's rank, as upstream's; but a pod ahead of a "violating" one may be reprieved and leave the allowance
     * unused, so what a report says of the evictions is this (review 71 #4: one eviction of a budget allowing one was
     * called beyond it).
     */
    public java.util.Set<ClusterSnapshot.Pod> beyond(List<ClusterSnapshot.Pod> victims) {
        List<ClusterSnapshot.Pod> chosen = new ArrayList<>(victims);
        chosen.sort(ClusterSnapshot.Pod.MORE_IMPORTANT_FIRST);
        boolean[] breaks = breaking(chosen);
        java.util.Set<ClusterSnapshot.Pod> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int j = 0; j < chosen.size(); j++) {
            if (breaks[j]) {
                out.add(chosen.get(j));
            }
        }
        return out;
    }
}
