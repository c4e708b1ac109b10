package io.nodesizer.replay;

import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.replay.ZoneReplayTest.Watched;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.autoscale.Karpenter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hard topology spreads on a key other than the hostname and the zone ({@link KeyDomains}): the
 * pools' values of the key are the domains, and PodTopologySpread's skew is checked over the
 * values that have a ready node, as kube-scheduler counts them. Two pools, "mid" (4 CPU) and
 * "large" (8 CPU): two values of {@code node.kubernetes.io/instance-type}.
 */
final class KeySpreadReplayTest {
    private static final String TYPE = "node.kubernetes.io/instance-type";
    private static final Pool MID = ReplayFixtures.pool(0, "mid", 4000, 16 * GIB, 0.19);
    private static final Pool LARGE = ReplayFixtures.pool(1, "large", 8000, 32 * GIB, 0.38);

    /** A fixed cluster: {@code mid} nodes of the first pool and {@code large} of the second, ready from the start. */
    private static Watched fixed(int mid, int large) {
        return new Watched(new ForwardingAutoscaler(new FixedCount(mid)) {
            @Override
            public void start(Cluster cluster) {
                super.start(cluster);
                for (int i = 0; i < large; i++) {
                    cluster.addInitialNode(1);
                }
            }
        });
    }

    private static PodGroup group(String name, String app, int replicas, Map<String, String> selector, List<Placement.Spread> spread) {
        Placement p = new Placement(selector, null, List.of(), "shop", Map.of("app", app), List.of(), List.of(), spread);
        return new PodGroup(name, "test", new Resources(1000, GIB, 1, 0, 0), replicas, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    private static Placement.Spread onType(String app, int maxSkew, int minDomains) {
        return new Placement.Spread(maxSkew, true, new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, TYPE),
                minDomains);
    }

    /** Pods of {@code group} per pool at the end. */
    private static int[] perPool(Cluster c, int group) {
        int[] n = new int[2];
        int[][] scratch = {new int[16]};
        for (int li = 0; li < c.liveCount(); li++) {
            int node = c.liveNode(li);
            for (int i = 0, k = c.podsOnNode(node, scratch); i < k; i++) {
                n[c.pool(node)] += c.stream().group(scratch[0][i]) == group ? 1 : 0;
            }
        }
        return n;
    }

    private static ReplayResult run(List<PodGroup> groups, long[] arrive, Autoscaler a) {
        PodStream.Builder b = new PodStream.Builder(io.nodesizer.engine.DemandTable.of(io.nodesizer.model.Workload.of(groups)),
                io.nodesizer.replay.demand.TimePoints.DEFAULT_ORIGIN, 7200);
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < groups.get(g).replicas(); i++) {
                b.add(g, i, arrive[g] + i, PodStream.STAYS);
            }
        }
        return Replay.run(b.build(), List.of(MID, LARGE), a, Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold());
    }

    @Test
    void theSkewIsCheckedOverThePoolsValues() {
        // 12 one-CPU pods, maxSkew 1 over the instance type, on 3 mid (12 CPU) and 1 large (8 CPU):
        // 6 and 6. Only the key's presence checked (before): where the scores put them.
        Watched w = fixed(3, 1);
        ReplayResult r = run(List.of(group("web", "web", 12, Map.of(), List.of(onType("web", 1, 1)))), new long[]{0}, w);
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(perPool(w.cluster, 0)).containsExactly(6, 6);
        // maxSkew 3 on 3 mid and 1 large: the large takes at most 8, the mids at least 4 (8 − 4 ≤ 3 fails: 7 and 5 at most).
        Watched w3 = fixed(3, 1);
        run(List.of(group("web", "web", 12, Map.of(), List.of(onType("web", 3, 1)))), new long[]{0}, w3);
        int[] three = perPool(w3.cluster, 0);
        assertThat(three[0] + three[1]).isEqualTo(12);
        assertThat(Math.abs(three[0] - three[1])).isLessThanOrEqualTo(3);
    }

    @Test
    void onlyValuesWithAReadyNodeAreDomainsAndMinDomainsCountsThem() {
        // Only mid nodes: one value, no skew to keep (kube-scheduler counts the domains of the nodes there are).
        Watched one = fixed(3, 0);
        ReplayResult r = run(List.of(group("web", "web", 12, Map.of(), List.of(onType("web", 1, 1)))), new long[]{0}, one);
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(perPool(one.cluster, 0)).containsExactly(12, 0);
        // minDomains 3 with two values: the fewest counts as 0, so each value takes maxSkew (1) pod; 10 stay Pending.
        Watched min = fixed(3, 1);
        ReplayResult m = run(List.of(group("web", "web", 12, Map.of(), List.of(onType("web", 1, 3)))), new long[]{0}, min);
        assertThat(perPool(min.cluster, 0)).containsExactly(1, 1);
        assertThat(m.pendingAtEnd()).isEqualTo(10);
    }

    @Test
    void aSelectorThatSelectsAnotherWorkloadCountsItsPods() {
        // stable (app=web, pinned to mid) runs 4 pods on mid first; canary (app=web too) spreads app=web over the
        // instance type with maxSkew 1: mid holds 4 already, so all 4 canary pods go to large (4 − 0, 4 − 1, …).
        Watched w = fixed(2, 1);
        run(List.of(group("stable", "web", 4, Map.of(TYPE, "mid"), List.of()), group("canary", "web", 4, Map.of(), List.of(onType("web", 1, 1)))),
                new long[]{0, 600}, w);
        assertThat(perPool(w.cluster, 0)).containsExactly(4, 0);
        assertThat(perPool(w.cluster, 1)).containsExactly(0, 4);
    }

    @Test
    void karpenterLaunchesTheOtherTypeWhenTheSkewAsksForIt() {
        // With both types running (a pinned pod on each), Karpenter's new nodes follow the spread: the pods end within
        // maxSkew 1 of each other over the two types, and none stays Pending.
        Watched w = new Watched(new Karpenter(Karpenter.Settings.defaults(100)));
        ReplayResult r = run(List.of(group("a", "a", 1, Map.of(TYPE, "mid"), List.of()), group("b", "b", 1, Map.of(TYPE, "large"), List.of()),
                group("web", "web", 10, Map.of(), List.of(onType("web", 1, 1)))), new long[]{0, 0, 600}, w);
        assertThat(r.pendingAtEnd()).isZero();
        int[] web = perPool(w.cluster, 2);
        assertThat(web[0] + web[1]).isEqualTo(10);
        assertThat(Math.abs(web[0] - web[1])).isLessThanOrEqualTo(1);
    }
}
