package io.nodesizer.report;

import io.nodesizer.replay.ReplayResult.BudgetedDrains;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The text reports' line on held drains, and the hint on what bounds Karpenter's waits for do-not-disrupt pods. */
class BudgetedDrainsLineTest {
    private static final String HINT = "Karpenter keeps a draining node for its do-not-disrupt pods as long as they run unless "
            + "--termination-grace-period (the NodePool's terminationGracePeriod) deletes them";

    @Test
    void doNotDisruptWaitsThatNothingForcedSayWhatBoundsThem() {
        String line = ReplayReport.budgetedDrainsLine(new BudgetedDrains(3, 0, 0, 1, 7200, Map.of(BudgetedDrains.DO_NOT_DISRUPT, 5L)));
        assertThat(line).isEqualTo("Drains waiting on refused evictions: 3 drains waited 2h in all (1 still waiting at the end, the node "
                + "kept); refusals: (karpenter.sh/do-not-disrupt) 5; " + HINT);
        // forced at the period: it was set; budgets alone: not do-not-disrupt
        assertThat(ReplayReport.budgetedDrainsLine(new BudgetedDrains(3, 0, 2, 1, 7200, Map.of(BudgetedDrains.DO_NOT_DISRUPT, 5L))))
                .doesNotContain(HINT);
        assertThat(ReplayReport.budgetedDrainsLine(new BudgetedDrains(3, 0, 0, 1, 7200, Map.of("shop/web-pdb", 5L)))).doesNotContain(HINT);
    }
}
