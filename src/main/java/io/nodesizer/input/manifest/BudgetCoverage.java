package io.nodesizer.input.manifest;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.DisruptionBudget;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which PodDisruptionBudgets among the inputs cover each workload's pods (by the budget's namespace and selector, as the
 * eviction API matches them), written into the pods' {@link io.nodesizer.model.PodTemplate.Eviction} for the replay's
 * drain rules: the first budget that covers them, and one that never allows an eviction whatever the pods' count
 * ({@code maxUnavailable: 0} or {@code 0%}, {@code minAvailable: 100%}). Budgets whose allowance depends on how many pods
 * run are not judged: their pods count as covered only.
 */
public final class BudgetCoverage {
    private BudgetCoverage() {
    }

    /** {@code w} with its groups' budgets noted; {@code w} itself when it holds no budget. */
    public static Workload apply(Workload w) {
        List<DisruptionBudget> budgets = w.ignored().stream().map(IgnoredObject::budget).filter(Objects::nonNull).toList();
        if (budgets.isEmpty()) {
            return w;
        }
        List<PodGroup> groups = new ArrayList<>(w.groups().size());
        for (PodGroup g : w.groups()) {
            if (g.template() == null) {
                groups.add(g);
                continue;
            }
            String covering = null;
            String none = null;
            for (DisruptionBudget b : budgets) {
                if (PodConflicts.matches(b.selector(), b.namespace(), g.placement())) {
                    covering = covering == null ? b.fullName() : covering;
                    none = none == null && allowsNone(b) ? b.fullName() : none;
                }
            }
            groups.add(covering == null ? g : g.withEviction(g.template().eviction().withBudgets(covering, none)));
        }
        return w.withGroups(groups);
    }

    /** Whether {@code b} allows no eviction whatever the number of pods it covers. */
    static boolean allowsNone(DisruptionBudget b) {
        // Read as the reader checked them: up to nine digits, with or without a percent sign.
        String max = b.maxUnavailable() == null ? null : b.maxUnavailable().trim();
        String min = b.minAvailable() == null ? null : b.minAvailable().trim();
        return max != null && Integer.parseInt(max.replace("%", "")) == 0
                || min != null && min.endsWith("%") && Integer.parseInt(min.replace("%", "")) == 100;
    }
}
