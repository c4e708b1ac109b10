package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.demand.TimePoints;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay counts a hard topology spread whose selector also selects other workloads' pods over
 * every pod it selects, as kube-scheduler's PodTopologySpread filter does: a canary labelled
 * {@code app: web} counts with the stable pods, on the hostname and over the zones, in the
 * scheduler and in the autoscalers' simulations. Every placement is also checked against
 * kube-scheduler's formula by an independent recount here.
 */
final class SharedSpreadReplayTest {
    private static final Pool MID = ReplayFixtures.pool(0, "mid", 4000, 16 * GIB, 0.19);

    /**
     * Pods labelled app=web, track={@code track}, with a DoNotSchedule spread on {@code key}
     * selecting every app=web pod (maxSkew 0: no spread, only the labels).
     */
    private static PodGroup web(String track, int replicas, String key, int maxSkew, long cpuMillis) {
        Placement.PodAffinityTerm all = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false, key);
        List<Placement.Spread> spread = maxSkew == 0 ? List.of() : List.of(new Placement.Spread(maxSkew, true, all));
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web", "track", track), List.of(), List.of(), spread);
        return new PodGroup("web-" + track, "test", new Resources(cpuMillis, GIB, 1, 0, 0), replicas, false, null, new SourceRef("t", 1),
                List.of(), null, p);
    }

    /** Every replica of every group arrives at the time given for its group and stays. */
    private static PodStream stream(List<PodGroup> groups, long... arrival) {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 7200);
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < groups.get(g).replicas(); i++) {
                b.add(g, i, arrival[g], PodStream.STAYS);
            }
        }
        return b.build();
    }

    private static Replay.Settings settings(int zones) {
        return Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold().withZones(zones);
    }

    /** Running app=web pods (every group here) per live node. */
    private static int[] webPerNode(Cluster c) {
        int[] n = new int[c.liveCount()];
        for (int li = 0; li < c.liveCount(); li++) {
            n[li] = c.podsOn(c.liveNode(li));
        }
        return n;
    }

    @Test
    void aCanaryCountsWithTheStablePodsOnTheHostname() {
        // Five fixed 4-CPU nodes, four stable and one canary 500m pod, all app=web with a hostname
        // spread of maxSkew 1 over app=web. The stable pods take one node each (a node without one
        // makes the fewest 0); the canary then may join none of them (1 + 1 − 0 > 1) and takes the
        // fifth node, as kube-scheduler places it. Counted per workload, most-allocated scoring put
        // the canary beside a stable pod (its own count 0 there).
        List<PodGroup> groups = List.of(web("stable", 4, PodConflicts.HOSTNAME, 1, 500), web("canary", 1, PodConflicts.HOSTNAME, 1, 500));
        ZoneReplayTest.Watched w = new ZoneReplayTest.Watched(new FixedCount(5));
        ReplayResult r = Replay.run(stream(groups, 0, 100), List.of(MID), w, settings(1));
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(webPerNode(w.cluster)).containsOnly(1);
    }

    @Test
    void withTheAutoscalersTheCanaryJoinsAStablePodOnceEveryNodeRunsOne() {
        // The same pods with CA and with Karpenter, the canary arriving after the stable pods run: the
        // stable pods take a node each (new nodes are empty, so the fewest is 0 for them); then every
        // node runs one web pod, the fewest is 1, and the canary may join any (1 + 1 − 1 ≤ 1), as
        // kube-scheduler lets it: no fifth node, and a node with two web pods (CA's scale-down of the
        // lightly loaded nodes may pair more of them later, the fewest rising as nodes go).
        List<PodGroup> groups = List.of(web("stable", 4, PodConflicts.HOSTNAME, 1, 500), web("canary", 1, PodConflicts.HOSTNAME, 1, 500));
        ZoneReplayTest.Watched ca = new ZoneReplayTest.Watched(
                new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10), 1));
        ReplayResult r = Replay.run(stream(groups, 0, 100), List.of(MID), ca, settings(1));
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.peakNodes()).isLessThanOrEqualTo(4);
        int[] perNode = webPerNode(ca.cluster);
        assertThat(java.util.Arrays.stream(perNode).sum()).isEqualTo(5);
        assertThat(java.util.Arrays.stream(perNode).max().orElse(0)).isGreaterThanOrEqualTo(2);
        ZoneReplayTest.Watched karpenter = new ZoneReplayTest.Watched(new Karpenter(Karpenter.Settings.defaults(100)));
        ReplayResult k = Replay.run(stream(groups, 0, 100), List.of(MID), karpenter, settings(1));
        assertThat(k.pendingAtEnd()).isZero();
        assertThat(java.util.Arrays.stream(webPerNode(karpenter.cluster)).sum()).isEqualTo(5);
    }

    @Test
    void aCanaryCountsWithThePodsItSelectsOverTheZones() {
        // Three fixed 4-CPU nodes in zones 1, 2, 3. Two legacy app=web pods without a spread arrive
        // first; most-allocated scoring puts both on one node (2/0/0). Two canary pods spread over
        // app=web with maxSkew 1 then may not join that zone (2 + 1 − 0 > 1): one goes to each other
        // zone (the second would be 1 + 1 − 0 = 2 beside the first). Counted per workload, the first
        // canary joined the legacy pods (its own count 0 there, and most-allocated prefers that node).
        List<PodGroup> groups = List.of(web("legacy", 2, PodConflicts.ZONE, 0, 1000), web("canary", 2, PodConflicts.ZONE, 1, 1000));
        ZoneReplayTest.Watched w = new ZoneReplayTest.Watched(new FixedCount(3));
        ReplayResult r = Replay.run(stream(groups, 0, 100), List.of(MID), w, settings(3));
        assertThat(r.pendingAtEnd()).isZero();
        int[] legacy = ZoneReplayTest.perZone(w.cluster, 0);
        int[] canary = ZoneReplayTest.perZone(w.cluster, 1);
        assertThat(legacy).containsExactlyInAnyOrder(2, 0, 0);
        for (int z = 0; z < 3; z++) {
            assertThat(canary[z]).as("canary pods in zone " + z + " (legacy " + legacy[z] + ")").isEqualTo(legacy[z] == 2 ? 0 : 1);
        }
    }

    @Test
    void aZoneSpreadSharedByTwoSpreadingWorkloadsEvensTheirTotals() {
        // Stable (3) arrives first, 1/1/1; the canary (3, the same spread) then fills 2/2/2 in total,
        // one per zone, whatever the scoring prefers.
        List<PodGroup> groups = List.of(web("stable", 3, PodConflicts.ZONE, 1, 500), web("canary", 3, PodConflicts.ZONE, 1, 500));
        ZoneReplayTest.Watched w = new ZoneReplayTest.Watched(new FixedCount(3));
        ReplayResult r = Replay.run(stream(groups, 0, 100), List.of(MID), w, settings(3));
        assertThat(r.pendingAtEnd()).isZero();
        int[] stable = ZoneReplayTest.perZone(w.cluster, 0);
        int[] canary = ZoneReplayTest.perZone(w.cluster, 1);
        for (int z = 0; z < 3; z++) {
            assertThat(stable[z] + canary[z]).as("zone " + z).isEqualTo(2);
        }
    }
}
