package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/** The timeline's samples and their peaks at the run's edges. */
final class TimelineSamplerTest {
    /**
     * A horizon off the sample grid (650 s, samples every 60 s): a pod that arrives at the horizon and finds no room is
     * pending in the horizon's sample, not in the peaks of the one before it (review 46 F1: the sample at 600 showed it).
     */
    @Test
    void theHorizonsStateIsTheHorizonsSampleOnly() {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(Fixtures.group("full", 4000, GIB, 1),
                Fixtures.group("late", 1000, GIB, 1)))), TimePoints.DEFAULT_ORIGIN, 650);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(1, 0, 650, PodStream.STAYS);
        ReplayResult r = ReplayFixtures.run(b.build(), List.of(ReplayFixtures.pool(0, "four", 4000, 16 * GIB, 1.0)), new FixedCount(1), 0);
        List<TimelinePoint> t = r.timeline();
        TimelinePoint last = t.get(t.size() - 1);
        TimelinePoint before = t.get(t.size() - 2);
        assertThat(last.t()).isEqualTo(650);
        assertThat(last.pendingPods()).isEqualTo(1);
        assertThat(before.t()).isEqualTo(600);
        assertThat(before.pendingPods()).isZero();
        assertThat(before.peakPendingPods()).isZero();
    }
}
