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
 * Hostname spreads' floors on one node per pool, pods pinned by pool: a pod a spread kept out is
 * tried again when the spread's fewest rises, though no capacity was freed (kube-scheduler requeues
 * it on the pod add or node change); each of a pod's shared spreads keeps its own minDomains.
 */
final class HostnameFloorsRetryTest {
    private static Pool pool(int i) {
        return Pool.of(i, Fixtures.shape("p" + i, 4000, 16 * GIB, 110, 0.19 + i * 0.01)
                .withLabelsAndTaints(Map.of("pool", "p" + i), List.of()), Resources.ZERO);
    }

    private static PodGroup group(String name, long cpu, Map<String, String> labels, Map<String, String> selector, List<Placement.Spread> spread) {
        Placement p = new Placement(selector, null, List.of(), "shop", labels, List.of(), List.of(), spread);
        return new PodGroup(name, "test", new Resources(cpu, GIB / 4, 1, 0, 0), 1, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    /** One node of each of three pools, from the start. */
    private static final class OnePerPool extends ForwardingAutoscaler {
        OnePerPool() {
            super(new io.nodesizer.replay.autoscale.FixedCount(0));
        }

        @Override
        public void start(Cluster cluster) {
            for (int i = 0; i < 3; i++) {
                cluster.addInitialNode(i);
            }
        }
    }

    @Test
    void aPendingPodIsRetriedWhenItsSpreadsFewestRises() {
        // canary's spread counts every app=web pod (stable ones too) with maxSkew 1. p0 and p1 run a
        // stable pod each, p2 none and has no room for the canary: the fewest is 0, so the canary is
        // Pending. A stable pod then starts on p2: the fewest is 1 and p0 admits the canary
        // (1 + 1 − 1 ≤ 1); kube-scheduler requeues it on the pod add and binds it.
        Placement.PodAffinityTerm web = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.HOSTNAME);
        Placement.Spread spread = new Placement.Spread(1, true, web, 1, true, false, false);
        List<PodGroup> groups = List.of(
                group("fill2", 3500, Map.of("app", "fill"), Map.of("pool", "p2"), List.of()),
                group("stable0", 100, Map.of("app", "web", "s", "0"), Map.of("pool", "p0"), List.of()),
                group("stable1", 100, Map.of("app", "web", "s", "1"), Map.of("pool", "p1"), List.of()),
                group("canary", 1000, Map.of("app", "web", "track", "canary"), Map.of(), List.of(spread)),
                group("stable2", 100, Map.of("app", "web", "s", "2"), Map.of("pool", "p2"), List.of()));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 3600);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(1, 0, 0, PodStream.STAYS);
        b.add(2, 0, 0, PodStream.STAYS);
        b.add(3, 0, 10, PodStream.STAYS);
        b.add(4, 0, 20, PodStream.STAYS);
        ZoneReplayTest.Watched w = new ZoneReplayTest.Watched(new OnePerPool());
        ReplayResult r = Replay.run(b.build(), List.of(pool(0), pool(1), pool(2)), w,
                Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold());
        assertThat(r.pendingAtEnd()).isEqualTo(0);
    }

    @Test
    void eachSharedSpreadKeepsItsOwnMinDomains() {
        // The canary has two shared hostname spreads: app=web (minDomains 1) and tier=front
        // (minDomains 5, more than the three nodes, so its fewest is 0). Every node runs a stable pod
        // (app=web, tier=front) and p0 also a tier=front pod: app=web's fewest is 1 and admits the
        // canary anywhere, but tier=front holds every node to one such pod, so kube-scheduler keeps
        // it Pending. Taking the first spread's minDomains for both placed it.
        Placement.PodAffinityTerm web = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.HOSTNAME);
        Placement.PodAffinityTerm front = new Placement.PodAffinityTerm(Map.of("tier", "front"), List.of(), List.of(), false, false,
                PodConflicts.HOSTNAME);
        List<Placement.Spread> spreads = List.of(new Placement.Spread(1, true, web, 1, true, false, false),
                new Placement.Spread(1, true, front, 5, true, false, false));
        List<PodGroup> groups = List.of(
                group("stable0", 100, Map.of("app", "web", "tier", "front", "s", "0"), Map.of("pool", "p0"), List.of()),
                group("stable1", 100, Map.of("app", "web", "tier", "front", "s", "1"), Map.of("pool", "p1"), List.of()),
                group("stable2", 100, Map.of("app", "web", "tier", "front", "s", "2"), Map.of("pool", "p2"), List.of()),
                group("other", 100, Map.of("tier", "front"), Map.of("pool", "p0"), List.of()),
                group("canary", 100, Map.of("app", "web", "tier", "front", "track", "canary"), Map.of(), spreads));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int g = 0; g < 4; g++) {
            b.add(g, 0, 0, PodStream.STAYS);
        }
        b.add(4, 0, 10, PodStream.STAYS);
        ReplayResult r = Replay.run(b.build(), List.of(pool(0), pool(1), pool(2)), new OnePerPool(),
                Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold());
        assertThat(r.pendingAtEnd()).isEqualTo(1);
    }
}
