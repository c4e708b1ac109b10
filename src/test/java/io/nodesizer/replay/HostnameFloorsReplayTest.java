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
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hard topology spread on the hostname in replay admits a pod where
 * {@code count + 1 − fewest ≤ maxSkew}, the fewest over the ready nodes that are domains of the
 * spread (kube-scheduler's minMatchNum: {@code nodeAffinityPolicy} Honor and
 * {@code nodeTaintsPolicy} Ignore by default, 0 below minDomains): ten replicas with maxSkew 1 on
 * three nodes run 4/3/3, where a per-node cap of maxSkew left seven Pending. Every replay here
 * ends with {@link Pods#verify}, which recounts the floors from the running pods.
 */
final class HostnameFloorsReplayTest {
    private static final Pool MID = Pool.of(0, Fixtures.shape("mid", 4000, 16 * GIB, 110, 0.19)
            .withLabelsAndTaints(Map.of("pool", "mid"), List.of()), Resources.ZERO);
    private static final Pool TAINTED = Pool.of(1, Fixtures.shape("gpu", 4000, 16 * GIB, 110, 0.5)
            .withLabelsAndTaints(Map.of(), List.of(new Placement.Taint("dedicated", "gpu", "NoSchedule"))), Resources.ZERO);
    private static final Pool OTHER = Pool.of(1, Fixtures.shape("other", 4000, 16 * GIB, 110, 0.2), Resources.ZERO);

    /** Ten 1-CPU replicas of app=web spread on the hostname with maxSkew 1 (and these policies), optionally only on pool=mid. */
    private static PodGroup web(int minDomains, boolean honorAffinity, boolean honorTaints, boolean onMidOnly) {
        Placement.PodAffinityTerm own = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.HOSTNAME);
        Placement.Spread spread = new Placement.Spread(1, true, own, minDomains, honorAffinity, honorTaints, false);
        Placement p = new Placement(onMidOnly ? Map.of("pool", "mid") : Map.of(), null, List.of(), "shop", Map.of("app", "web"),
                List.of(), List.of(), List.of(spread));
        return new PodGroup("web", "test", new Resources(1000, GIB, 1, 0, 0), 10, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    /** Three mid nodes (a fixed count) and one node of the second pool, from the start to the end. */
    private static final class WithExtraNode extends ForwardingAutoscaler {
        WithExtraNode() {
            super(new io.nodesizer.replay.autoscale.FixedCount(3));
        }

        @Override
        public void start(Cluster cluster) {
            inner.start(cluster);
            cluster.addInitialNode(1);
        }
    }

    /** Web pods per mid node at the end, most first, and the pods left pending. */
    private static String run(PodGroup web, Pool extra) {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(web))), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < web.replicas(); i++) {
            b.add(0, i, 0, PodStream.STAYS);
        }
        ZoneReplayTest.Watched w = new ZoneReplayTest.Watched(extra == null ? new io.nodesizer.replay.autoscale.FixedCount(3)
                : new WithExtraNode());
        List<Pool> pools = extra == null ? List.of(MID) : List.of(MID, extra);
        ReplayResult r = Replay.run(b.build(), pools, w, Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold());
        int[] perNode = new int[3];
        for (int li = 0, k = 0; li < w.cluster.liveCount(); li++) {
            int node = w.cluster.liveNode(li);
            if (w.cluster.pool(node) == 0) {
                perNode[k++] = -w.cluster.podsOn(node);
            }
        }
        Arrays.sort(perNode);
        return Arrays.toString(Arrays.stream(perNode).map(v -> -v).toArray()) + " pending " + r.pendingAtEnd();
    }

    @Test
    void tenReplicasWithMaxSkewOneRunFourThreeThreeOnThreeNodes() {
        // From 1/1/1 the fewest is 1, so a node may take a second (1 + 1 − 1 ≤ 1), not a third before
        // every node has two; a per-node cap of maxSkew (the fewest taken as 0) left seven Pending.
        assertThat(run(web(1, true, false, false), null)).isEqualTo("[4, 3, 3] pending 0");
    }

    @Test
    void aTaintedNodeIsADomainUnlessTheSpreadHonoursTaints() {
        // nodeTaintsPolicy Ignore (the default): the tainted node, which no web pod may use, counts with
        // 0 pods, so the fewest stays 0 and each mid node holds one. Honor leaves it out.
        assertThat(run(web(1, true, false, false), TAINTED)).isEqualTo("[1, 1, 1] pending 7");
        assertThat(run(web(1, true, true, false), TAINTED)).isEqualTo("[4, 3, 3] pending 0");
    }

    @Test
    void aNodeTheNodeSelectorExcludesIsNoDomainUnlessTheSpreadIgnoresAffinity() {
        // nodeAffinityPolicy Honor (the default): the other pool's node, which the pods' nodeSelector
        // excludes, is not a domain; Ignore counts it, with 0.
        assertThat(run(web(1, true, false, true), OTHER)).isEqualTo("[4, 3, 3] pending 0");
        assertThat(run(web(1, false, false, true), OTHER)).isEqualTo("[1, 1, 1] pending 7");
    }

    @Test
    void belowMinDomainsTheFewestIsZero() {
        assertThat(run(web(4, true, false, false), null)).isEqualTo("[1, 1, 1] pending 7");
        assertThat(run(web(3, true, false, false), null)).isEqualTo("[4, 3, 3] pending 0");
    }

    /**
     * The cluster autoscaler's estimate runs the scheduler's predicates on a snapshot of the
     * cluster with its new nodes (binpacking_estimator.go), so a new node may take more than
     * maxSkew of a workload once it holds one and every other node holds as many: 16 one-CPU
     * replicas with maxSkew 1 from an empty cluster of 4-CPU nodes make 4 nodes, 4/4/4/4, where
     * the fewest taken as 0 on new nodes asked for 16 (one pod each). Karpenter's claims are new
     * hostname domains with none (aws/karpenter-provider-aws#4666: a node per replica), as here.
     */
    @Test
    void theClusterAutoscalersEstimateTakesTheFewestOverTheClusterAndItsNewNodes() {
        PodGroup web = web(1, true, false, false);
        web = new PodGroup(web.name(), web.kind(), web.request(), 16, false, null, web.origin(), List.of(), null, web.placement());
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(web))), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < web.replicas(); i++) {
            b.add(0, i, 0, PodStream.STAYS);
        }
        ZoneReplayTest.Watched w = new ZoneReplayTest.Watched(
                new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10), 1));
        ReplayResult r = Replay.run(b.build(), List.of(MID), w, Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold());
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.peakNodes()).isEqualTo(4);
        for (int li = 0; li < w.cluster.liveCount(); li++) {
            assertThat(w.cluster.podsOn(w.cluster.liveNode(li))).isEqualTo(4);
        }
        PodStream.Builder k = new PodStream.Builder(DemandTable.of(Workload.of(List.of(web))), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < web.replicas(); i++) {
            k.add(0, i, 0, PodStream.STAYS);
        }
        ReplayResult karpenter = Replay.run(k.build(), List.of(MID), new Karpenter(Karpenter.Settings.defaults(100)),
                Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold());
        assertThat(karpenter.peakNodes()).isEqualTo(16);
    }

    /**
     * The scale-down simulations take the nodes they remove out of the spread's domains: with
     * minDomains 5 on five nodes, removing one leaves four, where the scheduler counts the fewest as
     * 0, so its pods (each node already holds one more than maxSkew) could go nowhere. Ten half-CPU
     * replicas at 2 per 4-CPU node are under CA's utilisation threshold, but no node is unneeded:
     * no scale-down. Karpenter launches a claim per pod and consolidates none of them: its simulation takes a hostname
     * spread's fewest as 0 (topologygroup.go domainMinCount), so a node holding one replica (maxSkew 1) takes no second
     * (QA 71a F11; before, with kube-scheduler's fewest, it consolidated the ten claims to five). The same with the
     * spread shared by a canary.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aScaleDownThatLeavesFewerThanMinDomainsNodesMovesNoPod(boolean shared) {
        PodGroup one = web(5, true, false, false);
        // shared: a canary labelled app=web too, so the spread counts both workloads (8 + 2)
        List<PodGroup> groups = new java.util.ArrayList<>();
        groups.add(new PodGroup(one.name(), one.kind(), new Resources(500, GIB, 1, 0, 0), shared ? 8 : 10, false, null, one.origin(),
                List.of(), null, one.placement()));
        if (shared) {
            groups.add(new PodGroup("web-canary", one.kind(), new Resources(500, GIB, 1, 0, 0), 2, false, null, one.origin(), List.of(),
                    null, one.placement()));
        }
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 6 * 3600);
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < groups.get(g).replicas(); i++) {
                b.add(g, i, 0, PodStream.STAYS);
            }
        }
        for (Autoscaler a : List.of(new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10), 1),
                new Karpenter(Karpenter.Settings.defaults(100)))) {
            ReplayResult r = Replay.run(b.build(), List.of(MID), a, Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold());
            assertThat(r.pendingAtEnd()).as(a.name()).isZero();
            if (a instanceof Karpenter) {
                // a claim per pod (10), none consolidated
                assertThat(r.scaleUps()).as(a.name()).isEqualTo(10);
                assertThat(r.scaleDowns()).as(a.name()).isZero();
                assertThat(r.evictions()).as(a.name()).isZero();
            } else {
                assertThat(r.scaleUps()).as(a.name()).isEqualTo(5);
                assertThat(r.scaleDowns()).as(a.name()).isZero();
                assertThat(r.evictions()).as(a.name()).isZero();
            }
        }
    }

    @Test
    void randomWorkloadsWithArrivalsAndDeparturesKeepTheFloorsInStep() {
        // Own and shared hostname spreads (maxSkew 1-3, some with minDomains or honouring taints),
        // pods arriving and leaving, under CA and Karpenter with a tainted second pool: every replay
        // ends with Pods#verify, which recounts every floor's counts, levels and fewest from the
        // running pods and the ready nodes.
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int round = 0; round < 30; round++) {
            List<PodGroup> groups = new java.util.ArrayList<>();
            int n = 2 + random.nextInt(4);
            for (int g = 0; g < n; g++) {
                String app = "a" + random.nextInt(3); // groups share app labels, so some spreads are shared
                Placement.PodAffinityTerm term = new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false,
                        PodConflicts.HOSTNAME);
                List<Placement.Spread> spread = random.nextInt(4) == 0 ? List.of()
                        : List.of(new Placement.Spread(1 + random.nextInt(3), true, term, 1 + random.nextInt(3), true, random.nextBoolean(), false));
                Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", app, "g", "g" + g), List.of(), List.of(), spread);
                groups.add(new PodGroup("g" + g, "test", new Resources(250 + 250L * random.nextInt(6), GIB, 1, 0, 0), 1 + random.nextInt(12),
                        false, null, new SourceRef("t", 1), List.of(), null, p));
            }
            PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 6 * 3600);
            for (int g = 0; g < n; g++) {
                for (int i = 0; i < groups.get(g).replicas(); i++) {
                    long arrival = random.nextInt(3 * 3600);
                    b.add(g, i, arrival, random.nextBoolean() ? PodStream.STAYS : arrival + 60 + random.nextInt(3 * 3600));
                }
            }
            PodStream stream = b.build();
            Autoscaler a = round % 2 == 0
                    ? new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10), round)
                    : new Karpenter(Karpenter.Settings.defaults(100));
            ReplayResult r = Replay.run(stream, List.of(MID, TAINTED), a,
                    Replay.Settings.defaults(ProvisionDelay.fixed(60), round).cold().withZones(1 + round % 3));
            assertThat(r.podsArrived()).as("round " + round).isPositive();
        }
    }
}
