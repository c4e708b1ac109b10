package io.nodesizer.replay;

import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where only the free amounts decide where pods go, CA's unneeded pass runs without {@code Headroom}
 * ({@code autoscale.UnneededPass}). With {@code -Dnodesizer.checkScores=true} every pass is run
 * both ways and a different set of unneeded nodes throws (as does a first fit from a group's
 * remembered start that differs from one from the first node): random replays of plain groups, one
 * or two pools, several utilisation thresholds, with the check on; and the same replay gives the
 * same result with the check off.
 */
class UnneededPassTest {
    private static final List<Pool> POOLS = List.of(
            ReplayFixtures.pool(0, "small", 2000, 8 * ReplayFixtures.GIB, 0.10),
            ReplayFixtures.pool(1, "large", 8000, 32 * ReplayFixtures.GIB, 0.40));

    private static ReplayResult replay(long seed) {
        PodStream s = ReplayFixtures.plainStream(seed, 600, 12 * 3600);
        double threshold = 0.3 + 0.1 * (seed % 5);
        ClusterAutoscaler ca = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 300, threshold, 300, Expander.RANDOM, 0, 1000, 10), seed);
        Replay.Settings settings = new Replay.Settings(new ProvisionDelay(30, 200), 30, seed,
                seed % 3 == 0 ? io.nodesizer.engine.strategy.KubeScheduler.Scoring.DEFAULT_PROFILE
                        : io.nodesizer.engine.strategy.KubeScheduler.Scoring.MOST_ALLOCATED, 600, false, seed % 2 == 0, -1, 1);
        return Replay.run(s, seed % 2 == 0 ? POOLS : List.of(ReplayFixtures.pool(0, "large", 8000, 32 * ReplayFixtures.GIB, 0.40)), ca, settings);
    }

    @Test
    void thePassOnTheAmountsAloneFindsWhatHeadroomFinds() {
        for (long seed = 1; seed <= 12; seed++) {
            ReplayResult unchecked = replay(seed);
            long s = seed;
            ReplayResult checked = ReplayFixtures.checked(() -> replay(s));
            assertThat(checked.podsArrived()).isEqualTo(600);
            assertThat(checked.scaleDowns()).as("seed %d drains nodes (the unneeded pass moves pods)", seed).isPositive();
            assertThat(checked.nodeHours()).isEqualTo(unchecked.nodeHours());
            assertThat(checked.scaleDowns()).isEqualTo(unchecked.scaleDowns());
            assertThat(checked.pendingPodSeconds()).isEqualTo(unchecked.pendingPodSeconds());
        }
    }
}
