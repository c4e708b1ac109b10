package io.nodesizer.replay;

import io.nodesizer.engine.strategy.KubeScheduler;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler's score cache never serves a score that a fresh computation would not give. */
class SchedulerScoreCacheTest {
    private static final List<Pool> POOLS = List.of(
            ReplayFixtures.pool(0, "small", 2000, 8 * ReplayFixtures.GIB, 0.10),
            ReplayFixtures.pool(1, "large", 8000, 32 * ReplayFixtures.GIB, 0.40));

    /**
     * The scheduler's cached node scores (per request and ready position, valid while the
     * position's stamp holds) equal a fresh score every time one is used: with the check on, a
     * stale one fails the run. Every scoring, several pools and zones, pods that come and go.
     */
    @Test
    void cachedScoresEqualFreshOnes() {
        String key = "nodesizer.checkScores";
        System.setProperty(key, "true");
        try {
            for (long seed = 1; seed <= 8; seed++) {
                PodStream s = ReplayPropertyTest.random(seed, 300, 8 * 3600);
                for (KubeScheduler.Scoring scoring : KubeScheduler.Scoring.values()) {
                    Replay.Settings settings = new Replay.Settings(new ProvisionDelay(30, 200), 30, seed, scoring, 600, false,
                            seed % 2 == 0, -1, 1 + (int) (seed % 3));
                    Autoscaler ca = new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 1000), seed);
                    ReplayResult r = Replay.run(s, seed % 2 == 0 ? POOLS : POOLS.subList(0, 1), ca, settings);
                    assertThat(r.podsArrived()).isEqualTo(300);
                }
            }
        } finally {
            System.clearProperty(key);
        }
    }
}
