package io.nodesizer.replay;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import io.nodesizer.replay.autoscale.Karpenter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The autoscalers' what-if placements start a group's first fit where its last pod landed (while
 * nothing was taken back). With {@code -Dnodesizer.checkScores=true} every such start is checked
 * against a search from the first slot, and a difference throws: random replays of few groups
 * with many pods each (plain ones, one whose replicas repel each other, one on GPUs), under the
 * Cluster Autoscaler and Karpenter, run with the check on.
 */
class HeadroomFitStartTest {
    private static final List<Pool> POOLS = List.of(
            ReplayFixtures.pool(0, "small", 2000, 8 * ReplayFixtures.GIB, 0.10),
            ReplayFixtures.pool(1, "large", 8000, 32 * ReplayFixtures.GIB, 0.40));

    /** Six groups with random requests (group 4 repels its own replicas per node), pods arriving at random over {@code horizon} seconds. */
    static PodStream stream(long seed, int pods, long horizon) {
        SplittableRandom r = new SplittableRandom(seed);
        List<PodGroup> groups = new ArrayList<>();
        for (int g = 0; g < 6; g++) {
            Placement placement = Placement.ANY;
            if (g == 4) {
                placement = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web" + seed),
                        List.of(new Placement.PodAffinityTerm(Map.of("app", "web" + seed), List.of(), List.of(), false, false, PodConflicts.HOSTNAME)),
                        List.of());
            }
            groups.add(new PodGroup("w" + g, "test", new Resources(r.nextLong(50, 1800), r.nextLong(1, 10) * ReplayFixtures.GIB / 4, 1, 0, 0),
                    1, false, null, new SourceRef("test", 1), List.of(), null, placement));
        }
        return ReplayFixtures.randomArrivals(groups, r, pods, horizon);
    }

    @Test
    void firstFitFromWhereTheGroupLastLandedEqualsASearchFromTheFirstSlot() {
        String key = "nodesizer.checkScores";
        System.setProperty(key, "true");
        try {
            for (long seed = 1; seed <= 16; seed++) {
                PodStream s = stream(seed, 500, 12 * 3600);
                double threshold = 0.3 + 0.1 * (seed % 5);
                Autoscaler a = seed % 4 == 0 ? new Karpenter(Karpenter.Settings.defaults(Integer.MAX_VALUE))
                        : new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 300, threshold, 300, Expander.RANDOM, 0, 1000, 10), seed);
                Replay.Settings settings = new Replay.Settings(new ProvisionDelay(30, 200), 30, seed,
                        io.nodesizer.engine.strategy.KubeScheduler.Scoring.MOST_ALLOCATED, 600, false, seed % 2 == 0, -1, 1);
                ReplayResult r = Replay.run(s, seed % 2 == 0 ? POOLS : List.of(ReplayFixtures.pool(0, "large", 8000, 32 * ReplayFixtures.GIB, 0.40)), a, settings);
                assertThat(r.podsArrived()).isEqualTo(500);
                assertThat(r.scaleDowns()).as("seed %d drains nodes (the unneeded pass moves pods)", seed).isPositive();
            }
        } finally {
            System.clearProperty(key);
        }
    }
}
