package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hard spread over the zones in replay counts as domains the zones with a ready node of a pool
 * its node inclusion policies keep: with {@code nodeTaintsPolicy: Ignore} (the default) a zone whose
 * only nodes carry a taint the pods do not tolerate is a domain with none of them, as
 * kube-scheduler has it, and holds the other zones to maxSkew; Honor leaves it out.
 */
final class SpreadPoliciesReplayTest {
    private static final Pool MID = Pool.of(0, Fixtures.shape("mid", 4000, 16 * GIB, 110, 0.19), Resources.ZERO);
    private static final Pool TAINTED = Pool.of(1, Fixtures.shape("gpu", 4000, 16 * GIB, 110, 0.5)
            .withLabelsAndTaints(Map.of(), List.of(new Placement.Taint("dedicated", "gpu", "NoSchedule"))), Resources.ZERO);

    /** Two mid nodes (zones 1 and 2, the pool's balancing) and three tainted ones (zones 1, 2 and 3). */
    private static final class TwoMidThreeTainted extends ForwardingAutoscaler {
        TwoMidThreeTainted() {
            super(new io.nodesizer.replay.autoscale.FixedCount(2));
        }

        @Override
        public void start(Cluster cluster) {
            inner.start(cluster);
            for (int i = 0; i < 3; i++) {
                cluster.addInitialNode(1);
            }
        }
    }

    /** The pods left pending of six 1-CPU replicas spread over the zones with maxSkew 1. */
    private static long pending(boolean honorTaints) {
        Placement.PodAffinityTerm own = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.ZONE);
        Placement.Spread spread = new Placement.Spread(1, true, own, 1, true, honorTaints, false);
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"), List.of(), List.of(), List.of(spread));
        PodGroup web = new PodGroup("web", "test", new Resources(1000, GIB, 1, 0, 0), 6, false, null, new SourceRef("t", 1), List.of(), null, p);
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(web))), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < 6; i++) {
            b.add(0, i, 0, PodStream.STAYS);
        }
        ReplayResult r = Replay.run(b.build(), List.of(MID, TAINTED), new TwoMidThreeTainted(),
                Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold().withZones(3));
        return r.pendingAtEnd();
    }

    /** The zone term over app=web that the shared-spread tests' canaries spread by. */
    private static final Placement.PodAffinityTerm WEB_BY_ZONE = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false,
            false, PodConflicts.ZONE);

    /** A 4-CPU, 16 GiB pool whose nodes carry {@code pool=name}. */
    private static Pool pool(int index, String name, double price) {
        return Pool.of(index, Fixtures.shape(name, 4000, 16 * GIB, 110, price).withLabelsAndTaints(Map.of("pool", name), List.of()), Resources.ZERO);
    }

    /**
     * The pods left pending of three 1-CPU replicas pinned to zone a by their node selector and
     * spread over the zones with maxSkew 1, on three fixed 4-CPU nodes in zones a, b and c.
     */
    private static long pendingPinned(boolean honorAffinity) {
        Placement.PodAffinityTerm own = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.ZONE);
        Placement.Spread spread = new Placement.Spread(1, true, own, 1, honorAffinity, false, false);
        Placement p = new Placement(Map.of(PodConflicts.ZONE, "a"), null, List.of(), "shop", Map.of("app", "web"), List.of(), List.of(),
                List.of(spread));
        PodGroup web = new PodGroup("web", "test", new Resources(1000, GIB, 1, 0, 0), 3, false, null, new SourceRef("t", 1), List.of(), null, p);
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(web)), List.of("a", "b", "c")),
                TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < 3; i++) {
            b.add(0, i, 0, PodStream.STAYS);
        }
        ReplayResult r = Replay.run(b.build(), List.of(MID), new io.nodesizer.replay.autoscale.FixedCount(3),
                Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold().withZones(List.of("a", "b", "c")));
        return r.pendingAtEnd();
    }

    /**
     * nodeAffinityPolicy Ignore: every zone with a node is a domain, those the pod's node
     * selector refuses too (podtopologyspread filtering.go skips only nodes that fail the
     * inclusion policies), so zones b and c count with none and zone a holds one; two wait. Honor:
     * zone a alone is a domain and takes all three. Before, replay took a zone as a domain only
     * where the group's node selector admits it, whatever the policy: Ignore was Honor.
     */
    @Test
    void aPinnedWorkloadsIgnoreSpreadCountsEveryZoneWithANode() {
        assertThat(pendingPinned(false)).isEqualTo(2);
        assertThat(pendingPinned(true)).isZero();
    }

    @Test
    void aZoneOfOnlyTaintedNodesIsADomainUnlessTheSpreadHonoursTaints() {
        // Ignore: zone 3 is a domain with 0 web pods, so zones 1 and 2 hold one each; four wait.
        assertThat(pending(false)).isEqualTo(4);
        // Honor: the domains are zones 1 and 2, which take three each.
        assertThat(pending(true)).isZero();
    }

    @Test
    void aSharedZoneSpreadCountsOnlyThePodsOnItsDomainPools() {
        // Two legacy app=web pods run on the other pool's node (zone 1). The canary's zone spread
        // over app=web (maxSkew 1) has nodeAffinityPolicy Honor and a node selector for pool=mid, so
        // the other pool is no domain and its pods do not count: four canary pods spread over the
        // three mid zones, one at least in zone 1. Counting the legacy pods kept zone 1 closed.
        Pool mid = pool(0, "mid", 0.19);
        Pool other = pool(1, "other", 0.2);
        Placement.PodAffinityTerm web = WEB_BY_ZONE;
        Placement legacyPlacement = new Placement(Map.of("pool", "other"), null, List.of(), "shop", Map.of("app", "web", "track", "legacy"),
                List.of(), List.of(), List.of());
        Placement canaryPlacement = new Placement(Map.of("pool", "mid"), null, List.of(), "shop", Map.of("app", "web", "track", "canary"),
                List.of(), List.of(), List.of(new Placement.Spread(1, true, web, 1, true, false, false)));
        List<PodGroup> groups = List.of(
                new PodGroup("legacy", "test", new Resources(500, GIB, 1, 0, 0), 2, false, null, new SourceRef("t", 1), List.of(), null,
                        legacyPlacement),
                new PodGroup("canary", "test", new Resources(500, GIB, 1, 0, 0), 4, false, null, new SourceRef("t", 1), List.of(), null,
                        canaryPlacement));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < 2; i++) {
            b.add(0, i, 0, PodStream.STAYS);
        }
        for (int i = 0; i < 4; i++) {
            b.add(1, i, 10, PodStream.STAYS);
        }
        ZoneReplayTest.Watched w = new ZoneReplayTest.Watched(new ForwardingAutoscaler(new io.nodesizer.replay.autoscale.FixedCount(3)) {
            @Override
            public void start(Cluster cluster) {
                inner.start(cluster);
                cluster.addInitialNode(1);
            }
        });
        ReplayResult r = Replay.run(b.build(), List.of(mid, other), w, Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold().withZones(3));
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(ZoneReplayTest.perZone(w.cluster, 0)).containsExactly(2, 0, 0);
        assertThat(ZoneReplayTest.perZone(w.cluster, 1)[0]).isPositive();
    }

    @Test
    void aSharedZoneSpreadCountsAMemberThatMayUseEitherPoolOnlyOnItsDomainPools() {
        // Zones a, b, c. Two legacy app=web pods (3 CPU, no node selector: either pool) run on the
        // two other-pool nodes in zones a and b, the only nodes at 0 s. At 60 s three mid nodes are
        // ready, one per zone; fillers pinned to zones a and b fill the mid nodes there. Two canary
        // pods (pool=mid) spread over app=web with maxSkew 1: the other pool is no domain of their
        // spread, so kube-scheduler counts no legacy pod, all three zones hold 0, and the first
        // canary goes to zone c; the second would make zone c 2 against 0 in a and b, so it waits.
        // Counting the legacy pods whole (zones a and b at 1) let it into zone c too.
        Pool mid = pool(0, "mid", 0.19);
        Pool other = pool(1, "other", 0.2);
        Placement.PodAffinityTerm web = WEB_BY_ZONE;
        Placement legacyPlacement = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web", "track", "legacy"),
                List.of(), List.of(), List.of());
        Placement canaryPlacement = new Placement(Map.of("pool", "mid"), null, List.of(), "shop", Map.of("app", "web", "track", "canary"),
                List.of(), List.of(), List.of(new Placement.Spread(1, true, web, 1, true, false, false)));
        List<PodGroup> groups = new java.util.ArrayList<>(List.of(
                new PodGroup("legacy", "test", new Resources(3000, GIB, 1, 0, 0), 2, false, null, new SourceRef("t", 1), List.of(), null,
                        legacyPlacement),
                new PodGroup("canary", "test", new Resources(500, GIB, 1, 0, 0), 2, false, null, new SourceRef("t", 1), List.of(), null,
                        canaryPlacement)));
        for (String zone : List.of("a", "b")) {
            Placement filler = new Placement(Map.of("pool", "mid", PodConflicts.ZONE, zone), null, List.of(), "shop",
                    Map.of("app", "filler-" + zone), List.of(), List.of(), List.of());
            groups.add(new PodGroup("filler-" + zone, "test", new Resources(4000, GIB, 1, 0, 0), 1, false, null, new SourceRef("t", 1),
                    List.of(), null, filler));
        }
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 3600);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(0, 1, 0, PodStream.STAYS);
        b.add(2, 0, 70, PodStream.STAYS);
        b.add(3, 0, 70, PodStream.STAYS);
        b.add(1, 0, 100, PodStream.STAYS);
        b.add(1, 1, 100, PodStream.STAYS);
        ZoneReplayTest.Watched w = new ZoneReplayTest.Watched(new ForwardingAutoscaler(new io.nodesizer.replay.autoscale.FixedCount(0)) {
            @Override
            public void start(Cluster cluster) {
                cluster.addInitialNode(1);
                cluster.addInitialNode(1);
                for (int i = 0; i < 3; i++) {
                    cluster.requestNode(0); // ready after the provisioning delay: the run starts cold
                }
            }
        });
        ReplayResult r = Replay.run(b.build(), List.of(mid, other), w,
                Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold().withZones(List.of("a", "b", "c")));
        assertThat(ZoneReplayTest.perZone(w.cluster, 0)).containsExactly(1, 1, 0);
        assertThat(ZoneReplayTest.perZone(w.cluster, 2)).containsExactly(1, 0, 0);
        assertThat(ZoneReplayTest.perZone(w.cluster, 3)).containsExactly(0, 1, 0);
        assertThat(ZoneReplayTest.perZone(w.cluster, 1)).containsExactly(0, 0, 1);
        assertThat(r.pendingAtEnd()).isEqualTo(1);
    }
}
