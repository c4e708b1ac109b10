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
}
