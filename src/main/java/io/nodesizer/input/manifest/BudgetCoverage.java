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
 * drain rules: every budget that covers them, in the inputs' order. The replay keeps each budget's allowance as its pods
 * start and stop; one that never allows an eviction ({@code maxUnavailable: 0} or {@code 0%}, {@code minAvailable: 100%})
 * keeps their nodes whatever runs.
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
            List<DisruptionBudget> covering = g.template() == null ? List.of()
                    : budgets.stream().filter(b -> PodConflicts.matches(b.selector(), b.namespace(), g.placement())).toList();
            groups.add(covering.isEmpty() ? g : g.withEviction(g.template().eviction().withBudgets(covering)));
        }
        return w.withGroups(groups);
    }
}
