package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay's scheduling queue in kube-scheduler's PrioritySort order: the higher priority first, then the earlier. */
final class PriorityReplayTest {
    private static final long GIB = ReplayFixtures.GIB;

    /**
     * One 4-CPU node, full with {@code first} until t = 100. {@code low} (priority {@code lowPriority})
     * arrives at 10 and {@code high} (1000) at 20, both 4 CPU and staying: both wait. When the node
     * frees, the retry places one of them; the other is pending at the end.
     */
    private static ReplayResult run(int lowPriority) {
        List<PodGroup> groups = List.of(Fixtures.group("first", 4000, GIB, 1), Fixtures.group("low", 4000, GIB, 1).withPriority(lowPriority),
                Fixtures.group("high", 4000, GIB, 1).withPriority(1000));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 300);
        b.add(0, 0, 0, 100);
        b.add(1, 0, 10, PodStream.STAYS);
        b.add(2, 0, 20, PodStream.STAYS);
        return Replay.run(b.build(), List.of(ReplayFixtures.pool(0, "n", 4000, 16 * GIB, 1.0)), new FixedCount(1),
                Replay.Settings.defaults(ProvisionDelay.fixed(0), 1));
    }

    @Test
    void aHigherPriorityPodArrivingLaterIsPlacedFirstWhenRoomFrees() {
        ReplayResult r = run(0);
        assertThat(r.pendingAtEnd()).isEqualTo(1);
        assertThat(String.join(" ", r.pendingAtEndReasons().keySet())).contains("low").doesNotContain("high");
        // low waits from 10 to the end (290 s), high from 20 to 100 (80 s).
        assertThat(r.pendingPodSeconds()).isEqualTo(290 + 80);
    }

    /** Pods of equal priority keep the queue order: the earlier one, low, gets the room. */
    @Test
    void podsOfEqualPriorityKeepTheQueueOrder() {
        ReplayResult r = run(1000);
        assertThat(String.join(" ", r.pendingAtEndReasons().keySet())).contains("high").doesNotContain("low");
        assertThat(r.pendingPodSeconds()).isEqualTo(90 + 280);
    }
}
