package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.ZoneReplayTest.Watched;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.demand.TimePoints;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static io.nodesizer.replay.ZoneReplayTest.perZone;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pod rules on the zone in a replay, as kube-scheduler's filters apply them and the
 * autoscalers plan for them: required pod anti-affinity and affinity on the zone, node selectors
 * naming a zone, and a spread's minDomains counted over the zones that have ready nodes. Every
 * placement is also asserted in {@link Pods#place} (assertions are on in the tests).
 */
final class ZoneRulesReplayTest {
    private static final Pool MID = ReplayFixtures.pool(0, "mid", 4000, 16 * GIB, 0.19);
    private static final List<String> NAMES = List.of("zone-a", "zone-b", "zone-c");

    private static Placement.PodAffinityTerm selects(String app, String key) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, key);
    }

    private static PodGroup group(String name, long cpuMillis, int replicas, Placement p) {
        return new PodGroup(name, "test", new Resources(cpuMillis, GIB, 1, 0, 0), replicas, false, null, new SourceRef("t", 1),
                List.of(), null, p);
    }

    private static Placement labelled(String app, Map<String, String> selector, List<Placement.PodAffinityTerm> anti,
                                      List<Placement.PodAffinityTerm> affinity, List<Placement.Spread> spread) {
        return new Placement(selector, null, List.of(), "shop", Map.of("app", app), anti, affinity, spread);
    }

    /** One replica per zone: required anti-affinity on the zone against its own pods. */
    private static PodGroup onePerZone(String name, long cpuMillis, int replicas) {
        return group(name, cpuMillis, replicas, labelled(name, Map.of(), List.of(selects(name, PodConflicts.ZONE)), List.of(), List.of()));
    }

    /** Replica i of group g arrives at {@code arrive[g]} and leaves at {@code leave[g]} (or stays when it is STAYS). */
    private static PodStream stream(long horizon, List<PodGroup> groups, long[] arrive, long[] leave) {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, horizon);
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < groups.get(g).replicas(); i++) {
                b.add(g, i, arrive[g], leave[g]);
            }
        }
        return b.build();
    }

    private static Replay.Settings settings(int zones) {
        return Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold().withZones(zones);
    }

    private static ClusterAutoscaler ca() {
        return new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10), 1);
    }

    /**
     * Karpenter schedules the pods of a node it deletes without counting them where they run: a do-not-disrupt pod pinned
     * to zone-a, one per zone by its anti-affinity, held on its expired node until the terminationGracePeriod, gets a new
     * node in zone-a at the expiry and starts there at once when deleted. Counted on its old node too, it would repel
     * itself from zone-a: no node until it is deleted, then a minute pending.
     */
    @Test
    void karpenterPlacesAHeldPodWithoutItselfInItsZonesCounts() {
        Placement inA = labelled("web", Map.of(PodConflicts.ZONE, "zone-a"), List.of(selects("web", PodConflicts.ZONE)), List.of(), List.of());
        PodGroup web = io.nodesizer.testkit.Fixtures.budgeted(group("web", 3000, 1, inA), List.of()).withEviction(new io.nodesizer.model.PodTemplate.Eviction(null, null, true, List.of()));
        PodStream s = stream(7200, List.of(web), new long[]{0}, new long[]{PodStream.STAYS});
        Karpenter k = new Karpenter(new Karpenter.Settings(Karpenter.Settings.BATCH_IDLE, Karpenter.Settings.BATCH_MAX,
                Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 0, Karpenter.Settings.POLL_PERIOD, 100,
                new Karpenter.Budget(100, true), 3600, 600));
        Watched w = new Watched(k);
        ReplayResult r = Replay.run(s, List.of(MID), w, settings(3).withZones(NAMES));
        assertThat(r.budgetedDrains().forced()).isEqualTo(1);
        assertThat(r.scaleUps()).isEqualTo(2);
        // web waited only for its first node (ready at 61); A from 1 to 4200 (10 minutes after its drain began), B from A's
        // expiry at 3601
        assertThat(r.pendingPodSeconds()).isEqualTo(61.0);
        assertThat(r.nodeHours() * 3600).isCloseTo((4200 - 1) + (7200 - 3601), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(perZone(w.cluster, 0)).containsExactly(1, 0, 0);
        assertThat(r.pendingAtEnd()).isZero();
    }

    /**
     * Twenty do-not-disrupt pods with a zone rule (affinity to their own kind in the zone) held on one expired node:
     * the provisioner lifts them all from their zone's counts (more pods than the scratch list first holds: it read the
     * list before it grew and threw), they get a node at the expiry and the old one goes at its terminationGracePeriod.
     */
    @Test
    void karpenterLiftsManyHeldPodsWithZoneRules() {
        Placement together = labelled("web", Map.of(), List.of(), List.of(selects("web", PodConflicts.ZONE)), List.of());
        PodGroup small = new PodGroup("web", "test", new Resources(100, GIB / 4, 1, 0, 0), 20, false, null, new SourceRef("t", 1),
                List.of(), null, together); // all twenty on one node
        PodGroup web = io.nodesizer.testkit.Fixtures.budgeted(small, List.of())
                .withEviction(new io.nodesizer.model.PodTemplate.Eviction(null, null, true, List.of()));
        PodStream s = stream(7200, List.of(web), new long[]{0}, new long[]{PodStream.STAYS});
        Karpenter k = new Karpenter(new Karpenter.Settings(Karpenter.Settings.BATCH_IDLE, Karpenter.Settings.BATCH_MAX,
                Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 0, Karpenter.Settings.POLL_PERIOD, 100,
                new Karpenter.Budget(100, true), 3600, 600));
        ReplayResult r = ReplayFixtures.checked(() -> Replay.run(s, List.of(MID), k, settings(3).withZones(NAMES)));
        assertThat(r.budgetedDrains().forced()).isEqualTo(1);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.pendingPodSeconds()).isEqualTo(20 * 61.0); // only the wait for the first node
        assertThat(r.pendingAtEnd()).isZero();
    }

    @Test
    void zoneAntiAffinityRunsOnePodPerZoneAndTheAutoscalersAddNoNodeForTheRest() {
        // Five 1-CPU replicas that repel each other by zone, three zones: one runs in each zone,
        // two stay Pending. CA's estimate puts its new nodes in the zones the rule admits, one per
        // zone, and adds none for the two that no zone takes; Karpenter's claims do the same.
        PodStream s = stream(7200, List.of(onePerZone("etcd", 1000, 5)), new long[]{0}, new long[]{PodStream.STAYS});
        List<Supplier<Autoscaler>> models = List.of(ZoneRulesReplayTest::ca, () -> new Karpenter(Karpenter.Settings.defaults(100)));
        for (Supplier<Autoscaler> model : models) {
            Watched w = new Watched(model.get());
            ReplayResult r = Replay.run(s, List.of(MID), w, settings(3));
            String what = w.inner.name();
            assertThat(perZone(w.cluster, 0)).as(what).containsExactly(1, 1, 1);
            assertThat(r.pendingAtEnd()).as(what).isEqualTo(2);
            assertThat(r.scaleUps()).as(what).isEqualTo(3);
        }
        // One zone: one pod runs, on one node.
        Watched w = new Watched(ca());
        ReplayResult one = Replay.run(s, List.of(MID), w, settings(1));
        assertThat(one.pendingAtEnd()).isEqualTo(4);
        assertThat(one.scaleUps()).isEqualTo(1);
    }

    @Test
    void aPodThatLeavesItsZoneLetsThePodItRepelledIn() {
        // One zone, two replicas repelling each other: the second waits until the first leaves at
        // 1000 s and then takes the room on the same node at once (no capacity had been short).
        PodStream s = stream(3600, List.of(onePerZone("etcd", 1000, 1), onePerZone("etcd", 1000, 1)), new long[]{0, 0},
                new long[]{1000, PodStream.STAYS});
        ReplayResult r = Replay.run(s, List.of(MID), new FixedCount(1), settings(1));
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.pendingMaxSeconds()).isEqualTo(1000);
    }

    @Test
    void zoneAffinityPutsThePodsInTheirTargetsZone() {
        // app needs a db pod in its zone (the app does not match its own terms). Six fixed nodes,
        // two per zone. app arrives first and waits for db (arriving at 500 s), then all four app
        // replicas run in db's zone, on its two nodes.
        PodGroup db = group("db", 1000, 1, labelled("db", Map.of(), List.of(), List.of(), List.of()));
        PodGroup app = group("app", 1500, 4, labelled("app", Map.of(), List.of(), List.of(selects("db", PodConflicts.ZONE)), List.of()));
        PodStream s = stream(3600, List.of(db, app), new long[]{500, 0}, new long[]{PodStream.STAYS, PodStream.STAYS});
        Watched w = new Watched(new FixedCount(6));
        ReplayResult r = Replay.run(s, List.of(MID), w, settings(3));
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.pendingMaxSeconds()).isEqualTo(500);
        int[] dbZones = perZone(w.cluster, 0);
        int[] appZones = perZone(w.cluster, 1);
        int zone = Arrays.stream(new int[]{0, 1, 2}).filter(z -> dbZones[z] == 1).findFirst().getAsInt();
        assertThat(appZones[zone]).isEqualTo(4);

        // Under CA: app's new nodes go to db's zone too, and none is added before db runs.
        Watched scaled = new Watched(ca());
        ReplayResult rs = Replay.run(s, List.of(MID), scaled, settings(3));
        assertThat(rs.pendingAtEnd()).isZero();
        int[] dbZ = perZone(scaled.cluster, 0);
        int[] appZ = perZone(scaled.cluster, 1);
        for (int z = 0; z < 3; z++) {
            assertThat(appZ[z]).as("zone " + z).isEqualTo(dbZ[z] == 1 ? 4 : 0);
        }
    }

    @Test
    void karpentersLaunchAfterAFruitlessOneWaitsItsBatchWhetherOrNotIdleLoopsRan() {
        // app (2 CPU) needs a db pod in its zone and waits from 100 s: no db runs, so no new node can
        // help it and Karpenter's launch for it requests nothing. At 1001 s db arrives and runs on the
        // one node (in zone-a, beside filler's 2.5 CPU), so app needs a node of its own in zone-a.
        // The batch for it opens at 1001 s and closes a batchIdle (1 s) later, with or without the
        // loops every poll period in between: before, the loop at 1000 s had opened a batch for the
        // stuck app pod, and with it the launch came at 1001 s in the dense run, 1002 s in the sparse one.
        PodGroup filler = group("filler", 2500, 1, labelled("filler", Map.of(), List.of(), List.of(), List.of()));
        PodGroup app = group("app", 2000, 1, labelled("app", Map.of(), List.of(), List.of(selects("db", PodConflicts.ZONE)), List.of()));
        PodGroup db = group("db", 500, 1, labelled("db", Map.of(), List.of(), List.of(), List.of()));
        PodStream s = stream(3600, List.of(filler, app, db), new long[]{0, 100, 1001},
                new long[]{PodStream.STAYS, PodStream.STAYS, PodStream.STAYS});
        Replay.Settings settings = settings(3);
        for (Replay.Settings st : List.of(settings, settings.dense())) {
            Watched w = new Watched(new Karpenter(Karpenter.Settings.defaults(100)));
            ReplayResult r = Replay.run(s, List.of(MID), w, st);
            String what = st.denseTicks() ? "dense" : "sparse";
            assertThat(r.scaleUps()).as(what).isEqualTo(2);
            assertThat(w.cluster.requestedAt(1)).as(what).isEqualTo(1002);
            assertThat(w.cluster.zone(1)).as(what).isEqualTo(w.cluster.zone(0));
            assertThat(r.pendingAtEnd()).as(what).isZero();
        }
    }

    @Test
    void aNodeSelectorOnTheZoneKeepsThePodsInItAndTheAutoscalersGrowThatZone() {
        // Six 3-CPU pods pinned to zone-b need six 4-CPU nodes; CA and Karpenter add them all in
        // zone-b. Pods pinned to a zone that is not among --zones are unschedulable, with the reason.
        Placement inB = labelled("web", Map.of(PodConflicts.ZONE, "zone-b"), List.of(), List.of(), List.of());
        Placement inX = labelled("old", Map.of(PodConflicts.ZONE, "zone-x"), List.of(), List.of(), List.of());
        PodStream s = stream(3600, List.of(group("web", 3000, 6, inB), group("old", 1000, 2, inX)), new long[]{0, 0},
                new long[]{PodStream.STAYS, PodStream.STAYS});
        for (Supplier<Autoscaler> model : List.<Supplier<Autoscaler>>of(ZoneRulesReplayTest::ca,
                () -> new Karpenter(Karpenter.Settings.defaults(100)))) {
            Watched w = new Watched(model.get());
            ReplayResult r = Replay.run(s, List.of(MID), w, settings(3).withZones(NAMES));
            String what = w.inner.name();
            assertThat(perZone(w.cluster, 0)).as(what).containsExactly(0, 6, 0);
            assertThat(r.pendingAtEnd()).as(what).isZero();
            assertThat(r.scaleUps()).as(what).isEqualTo(6);
            assertThat(r.unschedulableReasons()).as(what).containsOnlyKeys(
                    "its node selector or required node affinity admits none of the zones (zone-a, zone-b, zone-c); kube-scheduler keeps it Pending");
            assertThat(r.unschedulableReasons().values()).containsExactly(2L);
        }
        // Zones only counted (no names): the selector is taken as met, as in pack.
        ReplayResult counted = Replay.run(s, List.of(MID), ca(), settings(3));
        assertThat(counted.unschedulableReasons()).isEmpty();
    }

    @Test
    void minDomainsCountsTheZonesThatHaveReadyNodes() {
        // maxSkew 1 with minDomains 3. Two fixed nodes (zones 1 and 2): two domains, fewer than 3,
        // so the fewest counts as 0 and each zone holds one pod: 2 of 6 run. With three nodes the
        // three zones are domains and the spread is the plain one: all six run (2/2/2).
        Placement.Spread spread = new Placement.Spread(1, true, selects("web", PodConflicts.ZONE), 3);
        PodGroup web = group("web", 1000, 6, labelled("web", Map.of(), List.of(), List.of(), List.of(spread)));
        PodStream s = stream(3600, List.of(web), new long[]{0}, new long[]{PodStream.STAYS});
        assertThat(Replay.run(s, List.of(MID), new FixedCount(2), settings(3)).pendingAtEnd()).isEqualTo(4);
        Watched w = new Watched(new FixedCount(3));
        assertThat(Replay.run(s, List.of(MID), w, settings(3)).pendingAtEnd()).isZero();
        assertThat(perZone(w.cluster, 0)).containsExactly(2, 2, 2);
    }

    /**
     * One zone (no --zones) is one domain, fewer than minDomains 3: the fewest counts as 0, so the zone holds maxSkew (2) pods
     * and 4 stay Pending, under a fixed cluster and under CA, which adds no node for them (QA 51a F1: all six ran).
     */
    @Test
    void minDomainsAboveOneWithOneZoneLetsTheZoneHoldMaxSkew() {
        Placement.Spread spread = new Placement.Spread(2, true, selects("web", PodConflicts.ZONE), 3);
        PodGroup web = group("web", 1000, 6, labelled("web", Map.of(), List.of(), List.of(), List.of(spread)));
        PodStream s = stream(3600, List.of(web), new long[]{0}, new long[]{PodStream.STAYS});
        assertThat(Replay.run(s, List.of(MID), new FixedCount(3), settings(1)).pendingAtEnd()).isEqualTo(4);
        ReplayResult scaled = Replay.run(s, List.of(MID), ca(), settings(1));
        assertThat(scaled.pendingAtEnd()).isEqualTo(4);
        assertThat(scaled.scaleUps()).isEqualTo(1);
        // minDomains 1: one domain has no skew, all six run.
        Placement.Spread plain = new Placement.Spread(2, true, selects("web", PodConflicts.ZONE), 1);
        PodStream free = stream(3600, List.of(group("web", 1000, 6, labelled("web", Map.of(), List.of(), List.of(), List.of(plain)))),
                new long[]{0}, new long[]{PodStream.STAYS});
        assertThat(Replay.run(free, List.of(MID), new FixedCount(3), settings(1)).pendingAtEnd()).isZero();
    }

    @Test
    void randomRunsWithEveryZoneRuleKeepTheRulesAtEveryPlacement() {
        // Random arrivals and departures of a one-per-zone group, a db and its zone-affine app, a
        // pinned group and a spread with minDomains, under CA, Karpenter and a fixed cluster. Pods.place
        // asserts every rule at every placement and each run verifies its counts; at the end no two
        // etcd pods share a zone, no two leaders share an instance type, and, on a fixed cluster,
        // every app pod runs in a zone with a db pod.
        assertThat(Pods.class.desiredAssertionStatus()).isTrue();
        long preempted = 0;
        for (long run = 1; run <= 60; run++) {
            // Runs 31-60 repeat 1-30 with random priorities: preemption then evicts pods with rules and for them.
            long seed = (run - 1) % 30 + 1;
            boolean prioritized = run > 30;
            SplittableRandom rnd = new SplittableRandom(seed);
            int zones = 2 + rnd.nextInt(3);
            List<String> names = NAMES.subList(0, Math.min(3, zones));
            List<String> zoneNames = zones <= 3 ? names : List.of("zone-a", "zone-b", "zone-c", "zone-d");
            Placement.Spread spread = new Placement.Spread(1, true, selects("s", PodConflicts.ZONE), 1 + rnd.nextInt(zones + 1));
            List<PodGroup> groups = List.of(
                    onePerZone("etcd", 500 + 500L * rnd.nextInt(3), 1 + rnd.nextInt(5)),
                    group("db", 1000, 1 + rnd.nextInt(2), labelled("db", Map.of(), List.of(), List.of(), List.of())),
                    group("app", 500 + 500L * rnd.nextInt(4), 10, labelled("app", Map.of(), List.of(), List.of(selects("db", PodConflicts.ZONE)),
                            List.of())),
                    group("pinned", 1000, 8, labelled("pinned", Map.of(PodConflicts.ZONE, zoneNames.get(rnd.nextInt(zones))), List.of(),
                            List.of(), List.of())),
                    group("s", 500 + 500L * rnd.nextInt(4), 12, labelled("s", Map.of(), List.of(), List.of(), List.of(spread))),
                    group("leader", 1000, 1 + rnd.nextInt(4), labelled("leader", Map.of(),
                            List.of(selects("leader", "node.kubernetes.io/instance-type")), List.of(), List.of())));
            if (prioritized) {
                SplittableRandom pr = new SplittableRandom(seed * 31);
                groups = groups.stream().map(g -> g.withPriority(pr.nextInt(4) * 500 - 500)).toList();
            }
            PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 4 * 3600);
            boolean leave = seed % 2 == 0;
            for (int g = 0; g < groups.size(); g++) {
                for (int i = 0; i < groups.get(g).replicas(); i++) {
                    long arrive = rnd.nextLong(3600);
                    b.add(g, i, arrive, leave ? arrive + 1 + rnd.nextLong(3 * 3600) : PodStream.STAYS);
                }
            }
            PodStream s = b.build();
            List<Supplier<Autoscaler>> models = List.of(ZoneRulesReplayTest::ca, () -> new Karpenter(Karpenter.Settings.defaults(100)),
                    () -> new FixedCount(3 * zones));
            for (Supplier<Autoscaler> model : models) {
                Watched w = new Watched(model.get());
                Replay.Settings st = settings(zones).withZones(zoneNames);
                ReplayResult r = Replay.run(s, List.of(MID, ReplayFixtures.pool(1, "large", 8000, 32 * GIB, 0.38))
                        .subList(0, w.inner instanceof Karpenter ? 2 : 1), w, st);
                String what = w.inner.name() + " seed " + seed + ", " + zones + " zones" + (prioritized ? ", priorities" : "");
                if (prioritized && w.inner instanceof FixedCount) {
                    preempted += r.evictions(); // a fixed cluster drains nothing: its evictions are preemptions
                }
                int[] etcd = perZone(w.cluster, 0);
                int[] db = perZone(w.cluster, 1);
                int[] app = perZone(w.cluster, 2);
                int[] leaders = new int[2];
                int[][] scratch = {new int[8]};
                for (int li = 0; li < w.cluster.liveCount(); li++) {
                    int node = w.cluster.liveNode(li);
                    for (int i = 0, k = w.cluster.podsOnNode(node, scratch); i < k; i++) {
                        leaders[w.cluster.pool(node)] += w.cluster.stream().group(scratch[0][i]) == 5 ? 1 : 0;
                    }
                }
                assertThat(Math.max(leaders[0], leaders[1])).as(what + " leaders per instance type").isLessThanOrEqualTo(1);
                for (int z = 0; z < zones; z++) {
                    assertThat(etcd[z]).as(what).isLessThanOrEqualTo(1);
                    // Affinity binds at scheduling only: a db that leaves (or is evicted by a scale-down or a
                    // consolidation) may leave its app pods behind, so this holds for fixed clusters without departures.
                    // Preemption may evict a db of lower priority than its app pods.
                    if (app[z] > 0 && !leave && !prioritized && w.inner instanceof FixedCount) {
                        assertThat(db[z]).as(what + " app in zone " + z).isPositive();
                    }
                }
            }
        }
        assertThat(preempted).isPositive();
    }

    @Test
    void podRulesOnOtherKeysUseThePoolsLabelValuesAsDomains() {
        // Anti-affinity on the instance type among leader's own pods, two pools (two instance
        // types): one leader per pool runs, the third stays Pending, and Karpenter launches no node
        // for it once each type runs one. Affinity on the architecture: exporters run beside no
        // particular node once db runs (both pools are amd64: one domain). Affinity on a label no
        // pool carries: unschedulable, with the reason.
        String type = "node.kubernetes.io/instance-type";
        PodGroup leader = group("leader", 1000, 3, labelled("leader", Map.of(), List.of(selects("leader", type)), List.of(), List.of()));
        PodGroup db = group("db", 1000, 1, labelled("db", Map.of(), List.of(), List.of(), List.of()));
        PodGroup exporter = group("exporter", 500, 4, labelled("exporter", Map.of(), List.of(), List.of(selects("db", "kubernetes.io/arch")),
                List.of()));
        PodGroup rack = group("rack", 500, 2, labelled("rack", Map.of(), List.of(), List.of(selects("db", "example.com/rack")), List.of()));
        PodStream s = stream(7200, List.of(leader, db, exporter, rack), new long[]{0, 600, 0, 0},
                new long[]{PodStream.STAYS, PodStream.STAYS, PodStream.STAYS, PodStream.STAYS});
        List<Pool> pools = List.of(MID, ReplayFixtures.pool(1, "large", 8000, 32 * GIB, 0.38));
        Watched w = new Watched(new Karpenter(Karpenter.Settings.defaults(100)));
        ReplayResult r = Replay.run(s, pools, w, settings(1));
        assertThat(r.pendingAtEnd()).isEqualTo(1); // the third leader
        int[] leadersPerPool = new int[2];
        int[][] scratch = {new int[8]};
        for (int li = 0; li < w.cluster.liveCount(); li++) {
            int node = w.cluster.liveNode(li);
            int k = w.cluster.podsOnNode(node, scratch);
            for (int i = 0; i < k; i++) {
                leadersPerPool[w.cluster.pool(node)] += w.cluster.stream().group(scratch[0][i]) == 0 ? 1 : 0;
            }
        }
        assertThat(leadersPerPool).containsExactly(1, 1);
        assertThat(perZone(w.cluster, 2)).containsExactly(4);
        assertThat(r.unschedulableReasons()).containsOnlyKeys("required pod affinity on topology key example.com/rack: no node of the "
                + "pools carries that label, and kube-scheduler admits a pod only on a node with every key of its terms; it keeps it Pending");
        // A hard spread on a label no pool carries: unschedulable, with the reason.
        PodGroup spreadOnRack = group("spread", 500, 2, labelled("spread", Map.of(), List.of(), List.of(),
                List.of(new Placement.Spread(1, true, selects("spread", "example.com/rack")))));
        ReplayResult sr = Replay.run(stream(3600, List.of(spreadOnRack), new long[]{0}, new long[]{PodStream.STAYS}), List.of(MID), ca(),
                settings(1));
        assertThat(sr.unschedulableReasons().keySet()).singleElement().asString().contains("PodTopologySpread filter rejects a node without it");
        // One pool: one leader in the whole cluster, and CA adds no node for the other two.
        ReplayResult one = Replay.run(stream(7200, List.of(leader), new long[]{0}, new long[]{PodStream.STAYS}), List.of(MID), ca(), settings(3));
        assertThat(one.pendingAtEnd()).isEqualTo(2);
        assertThat(one.scaleUps()).isEqualTo(1);
    }

    @Test
    void aDaemonSetsAntiAffinityMakesTheWorkloadsItSelectsUnschedulable() {
        Placement agent = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "agent"), List.of(selects("web", PodConflicts.HOSTNAME)),
                List.of());
        io.nodesizer.model.DaemonSetSpec ds = new io.nodesizer.model.DaemonSetSpec("agent", new Resources(100, GIB / 4, 1, 0, 0), Map.of(),
                new SourceRef("t", 1), null, agent);
        List<PodGroup> groups = List.of(group("web", 1000, 3, labelled("web", Map.of(), List.of(), List.of(), List.of())),
                group("free", 1000, 2, labelled("free", Map.of(), List.of(), List.of(), List.of())));
        Workload w = new Workload(groups, List.of(ds), List.of(), List.of("t"));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(w), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int g = 0; g < 2; g++) {
            for (int i = 0; i < groups.get(g).replicas(); i++) {
                b.add(g, i, 0, PodStream.STAYS);
            }
        }
        ReplayResult r = Replay.run(b.build(), List.of(Pool.of(0, MID.shape(), ds.request())), ca(), settings(1));
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.unschedulableReasons()).hasSize(1);
        assertThat(r.unschedulableReasons().keySet().iterator().next()).contains("DaemonSet's pods (its terms or theirs: DaemonSet agent's pods, whose terms repel it)");
        assertThat(r.unschedulableReasons().values()).containsExactly(3L);
    }

    @Test
    void aTargetPlacedByARetryLetsThePodsWaitingForItIn() {
        // filler fills the only node until 1000 s; app (zone or instance-type affinity to db)
        // arrives at 5 s and waits; db arrives at 10 s and waits for room. When filler leaves, the
        // retry meets app first (older), which finds no db yet, then places db: app must get
        // another look then (kube-scheduler requeues it on db's Add event), not wait forever.
        for (String key : new String[]{PodConflicts.ZONE, "node.kubernetes.io/instance-type", PodConflicts.HOSTNAME}) {
            PodGroup filler = group("filler", 3500, 1, labelled("filler", Map.of(), List.of(), List.of(), List.of()));
            PodGroup db = group("db", 1000, 1, labelled("db", Map.of(), List.of(), List.of(), List.of()));
            PodGroup app = group("app", 300, 1, labelled("app", Map.of(), List.of(), List.of(selects("db", key)), List.of()));
            PodStream s = stream(3600, List.of(filler, db, app), new long[]{0, 10, 5}, new long[]{1000, PodStream.STAYS, PodStream.STAYS});
            for (int zones : new int[]{1, 3}) {
                ReplayResult r = Replay.run(s, List.of(MID), new FixedCount(1), settings(zones));
                assertThat(r.pendingAtEnd()).as(key + ", " + zones + " zones").isZero();
                assertThat(r.pendingMaxSeconds()).as(key).isEqualTo(995);
            }
        }
    }

    @Test
    void podsQueuedBeforeTheirTargetGetOneNodeNotOnePerLoop() {
        // Cold start: three app pods with affinity to db arrive at 0 s, db at 1 s; one node holds all
        // four. The autoscalers' what-if meets app before db; offered again once db has a place, the
        // apps count as helped by the same node, so one node is added, whatever the key.
        for (String key : new String[]{PodConflicts.ZONE, "node.kubernetes.io/instance-type", PodConflicts.HOSTNAME}) {
            PodGroup db = group("db", 1000, 1, labelled("db", Map.of(), List.of(), List.of(), List.of()));
            PodGroup app = group("app", 500, 3, labelled("app", Map.of(), List.of(), List.of(selects("db", key)), List.of()));
            PodStream s = stream(7200, List.of(db, app), new long[]{1, 0}, new long[]{PodStream.STAYS, PodStream.STAYS});
            for (Supplier<Autoscaler> model : List.<Supplier<Autoscaler>>of(ZoneRulesReplayTest::ca,
                    () -> new Karpenter(Karpenter.Settings.defaults(100)))) {
                for (long delay : new long[]{60, 300}) {
                    Replay.Settings st = Replay.Settings.defaults(ProvisionDelay.fixed(delay), 1).cold().withZones(3);
                    ReplayResult r = Replay.run(s, List.of(MID), model.get(), st);
                    assertThat(r.pendingAtEnd()).as(key).isZero();
                    assertThat(r.scaleUps()).as(key + " " + model.get().name() + " delay " + delay).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void karpenterPacksPodsWithRulesOnOtherKeysTogether() {
        // 20 exporters (0.1 CPU) with affinity to db on the architecture (or the instance type)
        // arrive at 1200 s: they share claims, two nodes at most as without the rule, not a node each.
        for (String key : new String[]{"kubernetes.io/arch", "node.kubernetes.io/instance-type"}) {
            PodGroup db = group("db", 1000, 1, labelled("db", Map.of(), List.of(), List.of(), List.of()));
            PodGroup exp = group("exp", 100, 20, labelled("exp", Map.of(), List.of(), List.of(selects("db", key)), List.of()));
            PodStream s = stream(7200, List.of(db, exp), new long[]{0, 1200}, new long[]{PodStream.STAYS, PodStream.STAYS});
            List<Pool> pools = List.of(MID, ReplayFixtures.pool(1, "large", 8000, 32 * GIB, 0.38));
            ReplayResult r = Replay.run(s, pools, new Karpenter(Karpenter.Settings.defaults(100)), settings(1));
            assertThat(r.pendingAtEnd()).as(key).isZero();
            assertThat(r.scaleUps()).as(key).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aNodeRunningATargetAndItsFollowerCanBeScaledDown() {
        // big1 (2.5 CPU), db and app (zone affinity to db; 0.5 CPU each) share node 1; big2 (3 CPU)
        // takes node 2. When big1 leaves, node 1 is under CA's threshold: its pods fit beside big2
        // if db moves before app (the what-if and the drain both put targets first), so CA removes it.
        PodGroup big1 = group("big1", 2500, 1, labelled("big1", Map.of(), List.of(), List.of(), List.of()));
        PodGroup db = group("db", 500, 1, labelled("db", Map.of(), List.of(), List.of(), List.of()));
        PodGroup app = group("app", 500, 1, labelled("app", Map.of(), List.of(), List.of(selects("db", PodConflicts.ZONE)), List.of()));
        PodGroup big2 = group("big2", 3000, 1, labelled("big2", Map.of(), List.of(), List.of(), List.of()));
        PodStream s = stream(7200, List.of(big1, db, app, big2), new long[]{0, 0, 1, 100},
                new long[]{1000, PodStream.STAYS, PodStream.STAYS, PodStream.STAYS});
        Watched w = new Watched(ca());
        ReplayResult r = Replay.run(s, List.of(MID), w, settings(1));
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(w.cluster.readyNodes()).isEqualTo(1);
    }

    /** Running pods of {@code group} per pool at the end. */
    private static int[] perPool(Cluster c, int group, int pools) {
        int[] n = new int[pools];
        int[][] scratch = {new int[8]};
        for (int li = 0; li < c.liveCount(); li++) {
            int node = c.liveNode(li);
            for (int i = 0, k = c.podsOnNode(node, scratch); i < k; i++) {
                n[c.pool(node)] += c.stream().group(scratch[0][i]) == group ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void affinityTermsMixingTheHostnameWithTheZoneNeedATargetOnTheNode() {
        // web fills two nodes (3.5 of 4 CPU), batch a third. cache: {app=web on the hostname, app=web
        // on the zone}: only the half CPU beside each web pod takes it, so two run and two wait,
        // under CA and Karpenter alike (replayed as if absent, all four ran). With {app=etcd on the
        // zone, app=web on the hostname} no pod matches both terms: every cache pod stays Pending.
        PodGroup web = group("web", 3500, 2, labelled("web", Map.of(), List.of(selects("web", PodConflicts.HOSTNAME)), List.of(), List.of()));
        PodGroup batch = group("batch", 1000, 1, labelled("batch", Map.of(), List.of(), List.of(), List.of()));
        PodGroup etcd = group("etcd", 100, 1, labelled("etcd", Map.of(), List.of(), List.of(), List.of()));
        List<Supplier<Autoscaler>> models = List.of(ZoneRulesReplayTest::ca, () -> new Karpenter(Karpenter.Settings.defaults(100)));
        for (Supplier<Autoscaler> model : models) {
            PodGroup cache = group("cache", 500, 4, labelled("cache", Map.of(), List.of(),
                    List.of(selects("web", PodConflicts.HOSTNAME), selects("web", PodConflicts.ZONE)), List.of()));
            Watched w = new Watched(model.get());
            ReplayResult r = Replay.run(stream(7200, List.of(web, batch, cache), new long[]{0, 0, 1800},
                    new long[]{PodStream.STAYS, PodStream.STAYS, PodStream.STAYS}), List.of(MID), w, settings(3));
            String what = w.inner.name();
            assertThat(r.pendingAtEnd()).as(what).isEqualTo(2);
            assertThat(perZone(w.cluster, 2)).as(what).isEqualTo(perZone(w.cluster, 0));

            PodGroup none = group("cache", 500, 4, labelled("cache", Map.of(), List.of(),
                    List.of(selects("etcd", PodConflicts.ZONE), selects("web", PodConflicts.HOSTNAME)), List.of()));
            ReplayResult n = Replay.run(stream(7200, List.of(web, etcd, none), new long[]{0, 0, 0},
                    new long[]{PodStream.STAYS, PodStream.STAYS, PodStream.STAYS}), List.of(MID), model.get(), settings(3));
            assertThat(n.pendingAtEnd()).as(what).isEqualTo(4);
        }
    }

    @Test
    void affinityTermsMixingTheZoneWithTheInstanceTypeNeedATargetInBothDomains() {
        // app: {app=db on the zone, app=db on the instance type}, two pools (two instance types),
        // three zones. app arrives first and waits for db (600 s); db fills its node, so app's pods
        // get new nodes, in db's zone and of db's pool. Replayed as if absent, they ran at once.
        String type = "node.kubernetes.io/instance-type";
        PodGroup db = group("db", 3500, 1, labelled("db", Map.of(), List.of(), List.of(), List.of()));
        PodGroup app = group("app", 1000, 6, labelled("app", Map.of(), List.of(), List.of(selects("db", PodConflicts.ZONE), selects("db", type)),
                List.of()));
        List<Pool> pools = List.of(MID, ReplayFixtures.pool(1, "large", 8000, 32 * GIB, 0.38));
        PodStream s = stream(7200, List.of(db, app), new long[]{600, 0}, new long[]{PodStream.STAYS, PodStream.STAYS});
        List<Supplier<Autoscaler>> models = List.of(ZoneRulesReplayTest::ca, () -> new Karpenter(Karpenter.Settings.defaults(100)));
        for (Supplier<Autoscaler> model : models) {
            Watched w = new Watched(model.get());
            ReplayResult r = Replay.run(s, pools, w, settings(3));
            String what = w.inner.name();
            assertThat(r.pendingAtEnd()).as(what).isZero();
            assertThat(r.pendingMaxSeconds()).as(what).isGreaterThanOrEqualTo(600);
            int[] dbZones = perZone(w.cluster, 0);
            int[] appZones = perZone(w.cluster, 1);
            for (int z = 0; z < 3; z++) {
                assertThat(appZones[z]).as(what + ", zone " + z).isEqualTo(dbZones[z] == 1 ? 6 : 0);
            }
            int[] dbPools = perPool(w.cluster, 0, 2);
            int[] appPools = perPool(w.cluster, 1, 2);
            for (int p = 0; p < 2; p++) {
                assertThat(appPools[p]).as(what + ", pool " + p).isEqualTo(dbPools[p] == 1 ? 6 : 0);
            }
        }
    }

    @Test
    void aSeriesDoesNotStartWhileItsTargetsRunOnPoolsWithoutOneOfItsKeys() {
        // web (tier=x) runs on pool "mid", which has no example.com/rack label; pool "racked" has
        // rack=r1. app (tier=x too) wants tier=x in its zone and in its rack. kube-scheduler counts
        // web toward (zone, web's zone) - its node has the zone but not the rack - so the counts are
        // not empty and app is no first of a series; no node has a tier=x pod in its rack, so every
        // app pod stays Pending (satisfyPodAffinity). Was: the rack term passed as a first of a
        // series (no target in any rack) and app ran on racked nodes in web's zone.
        String rack = "example.com/rack";
        Pool mid = Pool.of(0, io.nodesizer.testkit.Fixtures.shape("mid", 4000, 16 * GIB, 110, 0.19), io.nodesizer.model.Resources.ZERO);
        Pool racked = Pool.of(1, io.nodesizer.testkit.Fixtures.shape("racked", 4000, 16 * GIB, 110, 0.19)
                .withLabelsAndTaints(Map.of(rack, "r1"), List.of()), io.nodesizer.model.Resources.ZERO);
        Placement.PodAffinityTerm tierZone = new Placement.PodAffinityTerm(Map.of("tier", "x"), List.of(), List.of(), false, false,
                PodConflicts.ZONE);
        Placement.PodAffinityTerm tierRack = new Placement.PodAffinityTerm(Map.of("tier", "x"), List.of(), List.of(), false, false, rack);
        PodGroup web = group("web", 1000, 1, new Placement(Map.of("node.kubernetes.io/instance-type", "mid"), null, List.of(), "shop",
                Map.of("app", "web", "tier", "x"), List.of(), List.of(), List.of()));
        PodGroup app = group("app", 1000, 3, new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "app", "tier", "x"), List.of(),
                List.of(tierZone, tierRack), List.of()));
        PodStream s = stream(7200, List.of(web, app), new long[]{0, 600}, new long[]{PodStream.STAYS, PodStream.STAYS});
        List<Supplier<Autoscaler>> models = List.of(ZoneRulesReplayTest::ca, () -> new Karpenter(Karpenter.Settings.defaults(100)),
                () -> new FixedCount(4));
        for (Supplier<Autoscaler> model : models) {
            Watched w = new Watched(model.get());
            ReplayResult r = Replay.run(s, List.of(mid, racked), w, settings(3));
            String what = w.inner.name();
            assertThat(perPool(w.cluster, 0, 2)).as(what).containsExactly(1, 0);
            assertThat(r.pendingAtEnd()).as(what).isEqualTo(3);
        }
        // Without web, app starts its series on a racked node and the rest follow into its zone.
        PodStream alone = stream(7200, List.of(app), new long[]{600}, new long[]{PodStream.STAYS});
        for (Supplier<Autoscaler> model : models.subList(0, 2)) {
            Watched w = new Watched(model.get());
            ReplayResult r = Replay.run(alone, List.of(mid, racked), w, settings(3));
            String what = w.inner.name();
            assertThat(r.pendingAtEnd()).as(what).isZero();
            assertThat(perPool(w.cluster, 0, 2)).as(what).containsExactly(0, 3);
            assertThat(Arrays.stream(perZone(w.cluster, 0)).max().getAsInt()).as(what).isEqualTo(3);
        }
    }
}
