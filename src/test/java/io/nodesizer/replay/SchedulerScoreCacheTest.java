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
        withScoreChecks(() -> {
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
        });
    }

    /**
     * Pods of a few controllers (PodTopologySpread's system defaults score them), so that the
     * profiles take the spread from the count levels and pass over words below the best
     * ({@code Scheduler.offerSpread}): with the check on, the levels' fewest and most must be the
     * candidates', every candidate's total the one the preference plugins give over all of them,
     * and every word passed over below the best. One zone (the levels' case), and two or three
     * zones (the zone count differs between nodes: every candidate is scored as before).
     */
    @Test
    void spreadFromCountLevelsEqualsThePreferencePlugins() {
        withScoreChecks(() -> {
            for (long seed = 1; seed <= 6; seed++) {
                PodStream s = controlled(seed, 600, 8 * 3600);
                for (KubeScheduler.Scoring scoring : List.of(KubeScheduler.Scoring.BIN_PACKING_PROFILE, KubeScheduler.Scoring.DEFAULT_PROFILE)) {
                    Replay.Settings settings = new Replay.Settings(new ProvisionDelay(30, 200), 30, seed, scoring, 600, false,
                            seed % 2 == 0, -1, seed <= 4 ? 1 : (int) seed - 3);
                    Autoscaler ca = new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 1000), seed);
                    ReplayResult r = Replay.run(s, seed % 3 == 0 ? POOLS : POOLS.subList(0, 1), ca, settings);
                    assertThat(r.podsArrived()).isEqualTo(600);
                }
            }
        });
    }

    /** Runs {@code replays} with the scheduler's self-checks on ({@code -Dnodesizer.checkScores=true}: a failed check throws). */
    private static void withScoreChecks(Runnable replays) {
        String key = "nodesizer.checkScores";
        System.setProperty(key, "true");
        try {
            replays.run();
        } finally {
            System.clearProperty(key);
        }
    }

    /** {@code pods} pods of five controllers with random requests, arriving at random over {@code horizon} seconds. */
    static PodStream controlled(long seed, int pods, long horizon) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        List<io.nodesizer.model.PodGroup> groups = new java.util.ArrayList<>();
        for (int g = 0; g < 5; g++) {
            groups.add(new io.nodesizer.model.PodGroup("w" + g, "test",
                    io.nodesizer.model.Resources.of(new long[]{r.nextLong(50, 1500), r.nextLong(1, 8) * ReplayFixtures.GIB / 4, 1, 0, 0}), 1,
                    false, null, new io.nodesizer.model.SourceRef("test", 1), List.of(), null,
                    io.nodesizer.model.Placement.ANY.withPreferences(io.nodesizer.model.Placement.Preferences.SYSTEM_SPREAD)));
        }
        return ReplayFixtures.randomArrivals(groups, r, pods, horizon);
    }
}
