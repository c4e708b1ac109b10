package io.nodesizer.replay.windows;

import io.nodesizer.replay.PodStream;
import io.nodesizer.replay.Pool;
import io.nodesizer.replay.ProvisionDelay;
import io.nodesizer.replay.Replay;
import io.nodesizer.replay.ReplayFixtures;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Karpenter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan's progress (QA 62c F9: windows ran 30 s and more without a word): replays done against the most the plan can still
 * run, never past it, the bound only shrinking, and ending full.
 */
class WindowPlannerProgressTest {
    @Test
    void progressCountsReplaysAgainstAShrinkingBoundAndEndsFull() {
        PodStream stream = ReplayFixtures.plainStream(7, 400, 2 * 86_400L);
        Pool pool = ReplayFixtures.pool(0, "node", 4000, 16 * ReplayFixtures.GIB, 0.2);
        Replay.Settings settings = Replay.Settings.defaults(ProvisionDelay.fixed(240), 7);
        List<int[]> calls = new ArrayList<>();
        WindowPlanner.Plan plan = WindowPlanner.plan(stream, pool, List.of(pool), settings, settings,
                ClusterAutoscaler.Settings.defaults(0, 1000), Karpenter.Settings.defaults(1000), 20, false, 120, null, List.of(),
                List.of(new WindowPlanner.Draw(8, stream)), (done, total) -> calls.add(new int[]{done, total}));
        assertThat(plan.alternatives()).hasSize(4);
        assertThat(calls).isNotEmpty();
        int[] last = calls.get(calls.size() - 1);
        assertThat(last[0]).as("ends full").isEqualTo(last[1]);
        // fixed, reactive, the Karpenter replay and the four alternatives on the one more draw at least
        assertThat(last[0]).isGreaterThanOrEqualTo(2 + 1 + 4);
        for (int i = 0; i < calls.size(); i++) {
            assertThat(calls.get(i)[0]).as("call %d: never past the bound", i).isLessThanOrEqualTo(calls.get(i)[1]);
            if (i > 0) {
                assertThat(calls.get(i)[0]).as("call %d: done never falls", i).isGreaterThanOrEqualTo(calls.get(i - 1)[0]);
                assertThat(calls.get(i)[1] - calls.get(i)[0]).as("call %d: what is left never grows", i)
                        .isLessThanOrEqualTo(calls.get(i - 1)[1] - calls.get(i - 1)[0]);
            }
        }
    }
}
