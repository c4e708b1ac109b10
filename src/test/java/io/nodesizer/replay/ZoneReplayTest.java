package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.demand.TimePoints;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay over zones: every node gets the zone of its pool with the fewest live nodes, and the
 * scheduler keeps a workload's hard zone spread within maxSkew as kube-scheduler's filter does.
 * Every placement is also checked by an assertion in {@link Pods#place} (the tests run with -ea).
 */
final class ZoneReplayTest {
    private static final Pool MID = ReplayFixtures.pool(0, "mid", 4000, 16 * GIB, 0.19);

    /** Pods of app={@code name} with a DoNotSchedule spread over zones selecting themselves, or none when maxSkew is 0. */
    private static PodGroup group(String name, long cpuMillis, int replicas, int maxSkew) {
        Placement.PodAffinityTerm own = new Placement.PodAffinityTerm(Map.of("app", name), List.of(), List.of(), false, false,
                PodConflicts.ZONE);
        List<Placement.Spread> spread = maxSkew == 0 ? List.of() : List.of(new Placement.Spread(maxSkew, true, own));
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", name), List.of(), List.of(), spread);
        return new PodGroup(name, "test", new Resources(cpuMillis, GIB, 1, 0, 0), replicas, false, null, new SourceRef("t", 1),
                List.of(), null, p);
    }

    /** Every replica of every group arrives at the time given for its group and stays. */
    private static PodStream stream(long horizon, List<PodGroup> groups, long... arrival) {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, horizon);
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < groups.get(g).replicas(); i++) {
                b.add(g, i, arrival[g], PodStream.STAYS);
            }
        }
        return b.build();
    }

    /** An autoscaler that keeps the cluster it ran on, to look at the placements afterwards. */
    static final class Watched extends ForwardingAutoscaler {
        Cluster cluster;

        Watched(Autoscaler inner) {
            super(inner);
        }

        @Override
        public void start(Cluster c) {
            cluster = c;
            inner.start(c);
        }
    }

    private static Replay.Settings settings(int zones) {
        return Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold().withZones(zones);
    }

    /** Running pods of {@code group} per zone at the end (one bucket when zones are not modelled). */
    static int[] perZone(Cluster c, int group) {
        int[] n = new int[c.zones()];
        int[][] scratch = {new int[8]};
        for (int li = 0; li < c.liveCount(); li++) {
            int node = c.liveNode(li);
            int k = c.podsOnNode(node, scratch);
            for (int i = 0; i < k; i++) {
                if (c.stream().group(scratch[0][i]) == group) {
                    n[Math.max(0, c.zone(node))]++;
                }
            }
        }
        return n;
    }

    /** Pods per live node, largest first. */
    private static int[] perNode(Cluster c) {
        int[] n = new int[c.liveCount()];
        for (int li = 0; li < c.liveCount(); li++) {
            n[li] = -c.podsOn(c.liveNode(li));
        }
        Arrays.sort(n);
        return Arrays.stream(n).map(v -> -v).toArray();
    }

    @Test
    void sixReplicasWithMaxSkewOneGoTwoToEachOfThreeZones() {
        // Three fixed 4-CPU nodes get zones 1, 2, 3. Six 1-CPU replicas, maxSkew 1: from (1,1,1) a
        // zone may reach 2 only while none holds fewer than 1, so they end 2/2/2. Without zones the
        // most-allocated score piles them up: 4 on the first node, 2 on the next.
        PodStream s = stream(3600, List.of(group("web", 1000, 6, 1)), 0);
        Watched zoned = new Watched(new FixedCount(3));
        ReplayResult r = Replay.run(s, List.of(MID), zoned, settings(3));
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(perZone(zoned.cluster, 0)).containsExactly(2, 2, 2);

        Watched flat = new Watched(new FixedCount(3));
        Replay.run(s, List.of(MID), flat, settings(1));
        assertThat(perNode(flat.cluster)).containsExactly(4, 2, 0);
    }

    @Test
    void theSkewKeepsAReplicaPendingThoughANodeHasRoom() {
        // Four fixed nodes of room for two 2-CPU replicas each: zones 1, 2, 3, 1 (the fourth goes to
        // the first of the zones with one node each). Capacity per zone 4/2/2. Eight replicas with
        // maxSkew 1 fill 2/2/2, the 7th goes to zone 1 (3 − 2 ≤ 1), the 8th could only go to zone 1
        // (4 − 2 = 2 > 1): one stays pending. maxSkew 2 admits it (4 − 2 ≤ 2), and so does one zone.
        for (int skew : new int[]{1, 2}) {
            PodStream s = stream(3600, List.of(group("web", 2000, 8, skew)), 0);
            Watched w = new Watched(new FixedCount(4));
            ReplayResult r = Replay.run(s, List.of(MID), w, settings(3));
            assertThat(r.pendingAtEnd()).as("maxSkew " + skew).isEqualTo(skew == 1 ? 1 : 0);
            assertThat(perZone(w.cluster, 0)).as("maxSkew " + skew).containsExactly(skew == 1 ? 3 : 4, 2, 2);
        }
        ReplayResult oneZone = Replay.run(stream(3600, List.of(group("web", 2000, 8, 1)), 0), List.of(MID), new FixedCount(4), settings(1));
        assertThat(oneZone.pendingAtEnd()).isZero();
    }

    @Test
    void noScaleUpForAReplicaThatNoZoneAdmitsBelowMinDomains() {
        // Three 0.5-CPU replicas spread over the zones with maxSkew 1 and minDomains 4, over two
        // zones: there are always fewer domains than minDomains, so the fewest counts as 0 and each
        // zone holds one replica; the third can run nowhere. CA's estimator and Karpenter's
        // simulation run the spread's filter on the new node in its zone, so neither scales up for
        // it: two nodes, one per zone. Estimated without a zone, the third made CA ask for a node
        // every loop (361 nodes in an hour, none removed while the scale-ups went on) and Karpenter
        // launch one every batch (1,801).
        Placement.PodAffinityTerm own = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.ZONE);
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"), List.of(), List.of(),
                List.of(new Placement.Spread(1, true, own, 4, true, false, false)));
        PodGroup web = new PodGroup("web", "test", new Resources(500, GIB / 4, 1, 0, 0), 3, false, null, new SourceRef("t", 1),
                List.of(), null, p);
        List<Autoscaler> autoscalers = List.of(
                new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 5000, 10), 1),
                new Karpenter(Karpenter.Settings.defaults(5000)));
        for (Autoscaler a : autoscalers) {
            ReplayResult r = Replay.run(stream(3600, List.of(web), 0), List.of(MID), a, settings(2));
            assertThat(r.pendingAtEnd()).as(a.name()).isEqualTo(1);
            assertThat(r.peakNodes()).as(a.name()).isEqualTo(2);
        }
    }

    /** 3-CPU pods, one a 4-CPU node: the spread workload s (maxSkew 1) at 0, 2000 and 3000 s, a plain pod p at 1000 s. */
    private static PodStream spreadThenPlainArrivals() {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(group("s", 3000, 3, 1), group("p", 3000, 1, 0)))),
                TimePoints.DEFAULT_ORIGIN, 6000);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(1, 0, 1000, PodStream.STAYS);
        b.add(0, 1, 2000, PodStream.STAYS);
        b.add(0, 2, 3000, PodStream.STAYS);
        return b.build();
    }

    @Test
    void caScalesUpAgainWhenItsNewNodeLandsInTheWrongZone() {
        // 3-CPU pods on 4-CPU nodes: one per node. The spread workload s (maxSkew 1) arrives at 0,
        // 2000 and 3000 s, a plain pod p at 1000 s. s1 → node in zone 1; p → zone 2 (fewest nodes);
        // s2 may not join zone 1 (1 + 1 − 0 > 1, zone 2 is a domain with none), so CA's node goes
        // to zone 3 and takes it. s3 must go to zone 2, the only zone with none, but CA's next
        // node goes to zone 1 (all zones hold one node): s3 cannot use it, so CA adds another,
        // which goes to zone 2 and takes s3. Five scale-ups; the empty zone-1 node is scaled down.
        // s3 waits 80 s: the loop at 3000 waits for more pods (s3 is 0 s old), the one at 3010 asks
        // for the zone-1 node, the next for the second node, and a node takes 60 s. (Were the
        // zone-1 node taken to help s3, CA would wait until it is scaled down.)
        Watched w = new Watched(new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10), 1));
        ReplayResult r = Replay.run(spreadThenPlainArrivals(), List.of(MID), w, settings(3));
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.scaleUps()).isEqualTo(5);
        assertThat(r.pendingMaxSeconds()).isEqualTo(80);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.evictions()).isZero();
        assertThat(perZone(w.cluster, 0)).containsExactly(1, 1, 1);
        assertThat(perZone(w.cluster, 1)).containsExactly(0, 1, 0);
    }

    @Test
    void karpenterLaunchesOneClaimInTheZoneTheSpreadAdmits() {
        // The arrivals above under Karpenter (QA 68a F1). s1 → a claim in zone 1 (no zone holds an s pod: the first of the
        // fewest nodes); p has no zone rule → the pool's balanced zone, 2. s2: zone 1 is refused by the spread (1 + 1 − 0 >
        // 1) and zone 2's node is full, so it waits; Karpenter counts every zone of the NodePool as a domain (s pods per zone
        // 1, 0, 0), and its claim takes a zone the spread admits with the fewest s pods, 2 or 3, the one with fewer nodes: 3.
        // s3 may then go only to zone 2 (1, 0, 1), and its claim goes there. Four launches, none wasted; s3 waits the batch
        // (1 s) and the provisioning (60 s). Launched in the round-robin zone, s3's claim went to zone 1, where the spread
        // refused it, and the next batch launched another: five launches, one consolidated away.
        Watched w = new Watched(new Karpenter(Karpenter.Settings.defaults(100)));
        ReplayResult r = Replay.run(spreadThenPlainArrivals(), List.of(MID), w, settings(3));
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.scaleUps()).isEqualTo(4);
        assertThat(r.scaleDowns()).isZero();
        assertThat(r.evictions()).isZero();
        assertThat(r.pendingMaxSeconds()).isEqualTo(61);
        assertThat(perZone(w.cluster, 0)).containsExactly(1, 1, 1);
        assertThat(perZone(w.cluster, 1)).containsExactly(0, 1, 0);
    }

    @Test
    void autoscaledRunsPlaceEverySpreadReplicaWithinItsSkew() {
        // Random arrivals of a spread workload and plain pods, under CA and Karpenter: every pod
        // ends placed or gone (the autoscalers converge). On even seeds the pods leave within
        // three hours; on odd seeds they stay, and the final counts over the zones with a ready
        // node (the domains) are within maxSkew: a pod evicted by a scale-down or consolidation
        // goes back only where the filter lets it. Pods.place asserts the skew at every placement
        // as well (assertions are on in the tests), and every run verifies its counts at the end.
        assertThat(Pods.class.desiredAssertionStatus()).isTrue();
        for (long seed = 1; seed <= 40; seed++) {
            boolean leave = seed % 2 == 0;
            SplittableRandom rnd = new SplittableRandom(seed);
            int skew = 1 + rnd.nextInt(2);
            int zones = 2 + rnd.nextInt(3);
            List<PodGroup> groups = List.of(group("s", 500 + 500L * rnd.nextInt(6), 30, skew), group("p", 500 + 500L * rnd.nextInt(6), 30, 0));
            PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 4 * 3600);
            for (int g = 0; g < 2; g++) {
                for (int i = 0; i < 30; i++) {
                    long arrive = rnd.nextLong(3600);
                    b.add(g, i, arrive, leave ? arrive + 1 + rnd.nextLong(3 * 3600) : PodStream.STAYS);
                }
            }
            PodStream s = b.build();
            List<Autoscaler> models = List.of(
                    new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10), seed),
                    new Karpenter(Karpenter.Settings.defaults(100)));
            for (Autoscaler a : models) {
                String what = a.name() + " seed " + seed + ", " + zones + " zones, maxSkew " + skew;
                Watched w = new Watched(a);
                ReplayResult r = Replay.run(s, List.of(MID, ReplayFixtures.pool(1, "large", 8000, 32 * GIB, 0.38)).subList(0,
                        a instanceof Karpenter ? 2 : 1), w, settings(zones));
                assertThat(r.pendingAtEnd()).as(what).isZero();
                if (leave) {
                    continue;
                }
                int[] n = perZone(w.cluster, 0);
                assertThat(Arrays.stream(n).sum()).as(what).isEqualTo(30);
                boolean[] domain = new boolean[zones];
                for (int li = 0; li < w.cluster.liveCount(); li++) {
                    int node = w.cluster.liveNode(li);
                    domain[w.cluster.zone(node)] |= w.cluster.state(node) == Cluster.READY;
                }
                int min = Integer.MAX_VALUE;
                for (int z = 0; z < zones; z++) {
                    min = domain[z] ? Math.min(min, n[z]) : min;
                }
                assertThat(Arrays.stream(n).max().getAsInt() - min).as(what + " " + Arrays.toString(n)).isLessThanOrEqualTo(skew);
            }
        }
    }

    /** Requests nodes at the start, drains one at 10 s and requests one more at 100 s, recording the zones. */
    private static final class Requests implements Autoscaler {
        final List<Integer> nodes = new ArrayList<>();
        private int step;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void start(Cluster c) {
            for (int pool : new int[]{0, 0, 1, 0, 1, 0, 0}) {
                nodes.add(c.addInitialNode(pool));
            }
        }

        @Override
        public void tick(Cluster c) {
            if (step++ == 0) {
                c.drain(nodes.get(1)); // pool 0's zone-2 node; removed after the 30 s drain delay
            } else {
                nodes.add(c.requestNode(0));
            }
        }

        @Override
        public long nextTick(Cluster c, long lastTick, boolean changed) {
            return step == 0 ? 10 : step == 1 ? 100 : Long.MAX_VALUE;
        }

        @Override
        public long period() {
            return 0;
        }
    }

    @Test
    void nodesAreSpreadRoundRobinWithinEachPool() {
        // Pool 0 gets nodes 1, 2, 4, 6, 7: zones 1, 2, 3, 1, 2; pool 1 counts its own: nodes 3 and
        // 5 in zones 1 and 2. After pool 0's zone-2 node is removed, zone 2 and 3 hold one node of
        // it each and zone 1 two: the next node goes to zone 2, the first of the fewest.
        Requests a = new Requests();
        Watched w = new Watched(a);
        Replay.run(stream(600, List.of(group("web", 1000, 1, 1)), 0), List.of(MID, ReplayFixtures.pool(1, "large", 8000, 32 * GIB, 0.38)),
                w, settings(3));
        int[] zones = a.nodes.stream().mapToInt(w.cluster::zone).toArray();
        assertThat(zones).containsExactly(0, 1, 0, 2, 1, 0, 1, 1);
        assertThat(w.cluster.state(a.nodes.get(1))).isEqualTo(Cluster.REMOVED);
    }

    @Test
    void withoutZonesNodesHaveNone() {
        Watched w = new Watched(new FixedCount(2));
        Replay.run(stream(600, List.of(group("web", 1000, 4, 1)), 0), List.of(MID), w, settings(1));
        assertThat(w.cluster.zones()).isEqualTo(1);
        assertThat(w.cluster.zone(0)).isEqualTo(-1);
    }
}
