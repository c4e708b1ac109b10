package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.Pool;
import io.nodesizer.replay.PodStream;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Karpenter's relaxation ladder as {@link KarpenterPreferences} builds it from upstream's preferences.go {@code Relax}: one term
 * a step, the preferred anti-affinity terms heaviest first, then the preferred node terms heaviest first, then the
 * ScheduleAnyway spreads in the order {@code removeTopologySpreadScheduleAnyway} takes them (the first of the list, whose place
 * the last then takes), then, as some pool has a PreferNoSchedule taint, the toleration of it.
 */
class KarpenterPreferencesTest {
    private static final long GIB = 1024L * 1024 * 1024;

    private static PodGroup group(String app, Placement p) {
        return new PodGroup(app, "test", new Resources(500, GIB, 1, 0, 0), 1, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    private static Placement labelled(String app) {
        return new Placement(Map.of(), null, List.of(), "shop", Map.of("app", app), List.of(), List.of(), List.of());
    }

    private static Placement.WeightedTerm tier(int weight, String tier) {
        return new Placement.WeightedTerm(weight, new Placement.Term(List.of(new Placement.Requirement("tier", Placement.Operator.IN, List.of(tier))),
                List.of()));
    }

    @Test
    void preferencesAreRelaxedATermAtATimeInUpstreamsOrderAndThePreferNoScheduleTaintLast() {
        // p: keep off b (weight 100) and a (10); prefer tier gold (5), then silver (1); ScheduleAnyway spreads of 1 over c, e and
        // f on the hostname, in that order (removed c, then f, which took c's place, then e).
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "p"), List.of(), List.of(), List.of(
                new Placement.Spread(1, false, Fixtures.selectsApp("c")), new Placement.Spread(1, false, Fixtures.selectsApp("e")),
                new Placement.Spread(1, false, Fixtures.selectsApp("f"))))
                .withPreferences(new Placement.Preferences(List.of(tier(1, "silver"), tier(5, "gold")), List.of(), List.of(
                        new Placement.WeightedPodTerm(10, Fixtures.selectsApp("a")), new Placement.WeightedPodTerm(100, Fixtures.selectsApp("b"))),
                        false));
        List<PodGroup> groups = List.of(group("p", p), group("a", labelled("a")), group("b", labelled("b")), group("c", labelled("c")),
                group("e", labelled("e")), group("f", labelled("f")));
        int a = 1;
        int b = 2;
        int c = 3;
        int e = 4;
        int f = 5;
        List<Placement.Taint> pns = List.of(new Placement.Taint("spot", "yes", "PreferNoSchedule"));
        List<Pool> pools = List.of(
                Pool.of(0, Fixtures.shape("gold", 4000, 16 * GIB, 110, 0.30).withLabelsAndTaints(Map.of("tier", "gold"), List.of()), Resources.ZERO),
                Pool.of(1, Fixtures.shape("silver", 4000, 16 * GIB, 110, 0.20).withLabelsAndTaints(Map.of("tier", "silver"), List.of()), Resources.ZERO),
                Pool.of(2, Fixtures.shape("bronze", 4000, 16 * GIB, 110, 0.10).withLabelsAndTaints(Map.of("tier", "bronze"), pns), Resources.ZERO));
        PodStream.Builder s = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 600);
        s.add(1, 0, 300, PodStream.STAYS);
        LookOnce.run(s.build(), pools, 1, 10, cluster -> true, cluster -> {
            KarpenterPreferences prefs = KarpenterPreferences.of(cluster, true, (g, pool) -> true);
            assertThat(prefs.any()).isTrue();
            assertThat(prefs.constrains(0)).isTrue();
            // 2 anti-affinity terms, 2 node terms, 3 spreads and the toleration.
            assertThat(prefs.lastStep(0)).isEqualTo(8);
            assertThat(prefs.constrains(a)).as("a: no preference, but bronze's taint to tolerate").isTrue();
            assertThat(prefs.lastStep(a)).isEqualTo(1);
            int[][] beside = {{b}, {a}, {c, c}, {e, e}, {f, f}};
            boolean[][] admitted = {
                    // b, a, 2 c, 2 e, 2 f at steps 0..8
                    {false, false, false, false, false},
                    {true, false, false, false, false},
                    {true, true, false, false, false},
                    {true, true, false, false, false},
                    {true, true, false, false, false},
                    {true, true, true, false, false},
                    {true, true, true, false, true},
                    {true, true, true, true, true},
                    {true, true, true, true, true}};
            for (int step = 0; step <= 8; step++) {
                for (int k = 0; k < beside.length; k++) {
                    assertThat(prefs.admitsBeside(0, beside[k], beside[k].length, step)).as("step " + step + " beside " + java.util.Arrays.toString(beside[k]))
                            .isEqualTo(admitted[step][k]);
                }
                assertThat(prefs.poolAdmits(0, 0, step)).as("gold at step " + step).isEqualTo(step != 3);
                assertThat(prefs.poolAdmits(0, 1, step)).as("silver at step " + step).isEqualTo(step >= 3);
                assertThat(prefs.poolAdmits(0, 2, step)).as("bronze at step " + step).isEqualTo(step >= 4);
                assertThat(prefs.tolerates(0, 2, step)).as("bronze's PreferNoSchedule taint at step " + step).isEqualTo(step == 8);
                assertThat(prefs.tolerates(0, 0, step)).isTrue();
            }
            KarpenterPreferences ignore = KarpenterPreferences.of(cluster, false, (g, pool) -> true);
            assertThat(ignore.lastStep(0)).as("Ignore: only the toleration").isEqualTo(1);
            assertThat(ignore.admitsBeside(0, new int[]{b, c, c}, 3, 0)).isTrue();
            assertThat(ignore.tolerates(0, 2, 0)).isFalse();
            assertThat(ignore.tolerates(0, 2, 1)).isTrue();
            // Review 73 #3: p's place depends on its neighbours; a's only on the pool (bronze's taint); under Ignore nobody's.
            assertThat(prefs.dependsOnNeighbours(0)).isTrue();
            assertThat(prefs.dependsOnNeighbours(a)).isFalse();
            assertThat(ignore.dependsOnNeighbours(0)).isFalse();
            // The what-if's moves as p's spreads read them, on the one node (gold): at step 2 only the spreads
            // and gold are kept; one c moved on is maxSkew, a second is one too many, until it moves off or the what-if ends.
            assertThat(cluster.pool(0)).isZero();
            assertThat(prefs.admitsOn(0, 0, 2, null)).isTrue();
            prefs.moved(c, 0, 1);
            assertThat(prefs.admitsOn(0, 0, 2, null)).isTrue();
            prefs.moved(e, 0, 2);
            assertThat(prefs.admitsOn(0, 0, 2, null)).as("two e").isFalse();
            prefs.moved(e, 0, -2);
            prefs.moved(c, 0, 1);
            assertThat(prefs.admitsOn(0, 0, 2, null)).as("two c").isFalse();
            prefs.moved(c, 0, -1);
            assertThat(prefs.admitsOn(0, 0, 2, null)).as("one c again").isTrue();
            prefs.moved(a, 0, 1);
            assertThat(prefs.admitsOn(0, 0, 0, null)).as("beside an a moved on, which step 0 keeps off").isFalse();
            assertThat(prefs.admitsOn(0, 0, 2, null)).as("step 2 keeps no anti-affinity").isTrue();
            prefs.moved(f, 0, 2);
            assertThat(prefs.admitsOn(0, 0, 2, null)).isFalse();
            prefs.reset();
            assertThat(prefs.admitsOn(0, 0, 2, null)).as("a new what-if").isTrue();
            prefs.moved(c, 0, 2);
            assertThat(prefs.admitsOn(0, 0, 2, null)).as("recorded again after a reset").isFalse();
        });
    }

    private static Placement.WeightedPodTerm onKey(int weight, String app, String key) {
        return new Placement.WeightedPodTerm(weight, new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, key));
    }

    /**
     * Fix 76e: preferred pod affinity terms on the zone and on the hostname are relaxed together, heaviest first whatever the
     * key (preferences.go sorts each list by weight), then the anti-affinity terms; a node or claim meets the zone terms by
     * its zone: an affinity term where a target runs, an anti-affinity term where none runs nor is planned on a claim that may
     * land there ({@link KarpenterPreferences#plannedIn}).
     */
    @Test
    void zoneTermsAreRelaxedByWeightWithTheHostnameOnesAndMetByTheZone() {
        // p prefers a's zone (100), b's node (50), c's zone (10), and to keep off d's zone (5). a and d (3 CPU) run on two of
        // three 4-CPU nodes, one per zone.
        Placement p = labelled("p").withPreferences(new Placement.Preferences(List.of(), List.of(onKey(10, "c", io.nodesizer.kube.PodConflicts.ZONE),
                onKey(100, "a", io.nodesizer.kube.PodConflicts.ZONE), onKey(50, "b", io.nodesizer.kube.PodConflicts.HOSTNAME)),
                List.of(onKey(5, "d", io.nodesizer.kube.PodConflicts.ZONE)), false));
        List<PodGroup> groups = List.of(group("p", p), group("a", labelled("a")), group("b", labelled("b")), group("c", labelled("c")),
                group("d", labelled("d")));
        int a = 1;
        int b = 2;
        int c = 3;
        int d = 4;
        List<Pool> pools = List.of(Pool.of(0, Fixtures.shape("mid", 4000, 16 * GIB, 110, 0.19), Resources.ZERO));
        List<PodGroup> big = groups.stream().map(g -> g.name().equals("a") || g.name().equals("d")
                ? new PodGroup(g.name(), "test", new Resources(3000, GIB, 1, 0, 0), 1, false, null, new SourceRef("t", 1), List.of(), null, g.placement())
                : g).toList();
        PodStream.Builder s = new PodStream.Builder(DemandTable.of(Workload.of(big)), TimePoints.DEFAULT_ORIGIN, 600);
        s.add(a, 0, 0, PodStream.STAYS);
        s.add(d, 0, 0, PodStream.STAYS);
        boolean[] counted = KarpenterPreferences.zoneTargets(big);
        assertThat(counted).containsExactly(false, true, false, true, true);
        LookOnce.run(s.build(), pools, 3, 10, io.nodesizer.replay.Replay.Settings.defaults(io.nodesizer.replay.ProvisionDelay.fixed(30), 1).withZones(3),
                counted, cluster -> cluster.running(a) == 1 && cluster.running(d) == 1, cluster -> {
                    KarpenterPreferences prefs = KarpenterPreferences.of(cluster, true, (g, pool) -> true);
                    assertThat(prefs.lastStep(0)).as("3 affinity terms, 1 anti-affinity term").isEqualTo(4);
                    assertThat(prefs.pastAffinity(0)).isEqualTo(3);
                    assertThat(prefs.keepsAffinity(0, 1)).as("b's node, after a's zone").isTrue();
                    assertThat(prefs.keepsAffinity(0, 2)).isFalse();
                    assertThat(prefs.leftoverStep(0)).isEqualTo(3);
                    assertThat(prefs.admitsBeside(0, new int[]{b}, 1, 1)).isTrue();
                    assertThat(prefs.admitsBeside(0, new int[0], 0, 1)).as("no b anywhere, and p is none").isFalse();
                    assertThat(prefs.admitsBeside(0, new int[0], 0, 2)).isTrue();
                    int za = zoneRunning(cluster, a);
                    int zd = zoneRunning(cluster, d);
                    assertThat(za).isNotEqualTo(zd);
                    long all = 0b111;
                    long notD = all & ~(1L << zd);
                    assertThat(prefs.zonesAdmitted(0, 0, 0, null)).as("c runs nowhere and c's term does not select p").isZero();
                    assertThat(prefs.zonesAdmitted(0, 0, 2, null)).isZero();
                    int[] withC = cluster.newZoneMoves();
                    withC[c * 3 + za] = 1; // a c moved into a's zone (the zone rules' counts are at group * zones + zone)
                    assertThat(prefs.zonesAdmitted(0, 0, 0, withC)).as("a's zone, c's, not d's").isEqualTo(1L << za);
                    withC[c * 3 + za] = 0;
                    withC[c * 3 + zd] = 1;
                    assertThat(prefs.zonesAdmitted(0, 0, 0, withC)).as("c in d's zone").isZero();
                    assertThat(prefs.zonesAdmitted(0, 0, 1, withC)).as("a's term relaxed: c's zone, which is d's").isZero();
                    assertThat(prefs.zonesAdmitted(0, 0, 2, withC)).isZero();
                    assertThat(prefs.zonesAdmitted(0, 0, 3, null)).as("only the anti-affinity").isEqualTo(notD);
                    assertThat(prefs.zonesAdmitted(0, 0, 4, null)).isEqualTo(all);
                    assertThat(prefs.zoneRuled(0, 4)).isFalse();
                    assertThat(prefs.zoneRuled(a, 0)).isFalse();
                    prefs.plannedIn(d, notD); // a d on a claim that may still land in the other two zones
                    assertThat(prefs.zonesAdmitted(0, 0, 3, null)).as("d may land in any of them").isZero();
                    prefs.reset();
                    assertThat(prefs.zonesAdmitted(0, 0, 3, null)).isEqualTo(notD);
                    int[] moves = cluster.newZoneMoves();
                    cluster.zoneMoveIn(moves, dPod(cluster, d), 0, za, 1);
                    assertThat(prefs.zonesAdmitted(0, 0, 3, moves)).as("a d moved into a's zone").isEqualTo(notD & ~(1L << za));
                    assertThat(prefs.admitsOn(0, nodeIn(cluster, za), 0, null)).isFalse(); // p's hostname affinity to b, unmet on that node
                });
    }

    /** The zone of the node running the pod of {@code group}. */
    private static int zoneRunning(io.nodesizer.replay.Cluster cluster, int group) {
        return cluster.zone(nodeOf(cluster, group));
    }

    private static int nodeOf(io.nodesizer.replay.Cluster cluster, int group) {
        int[][] sc = {new int[8]};
        for (int li = 0; li < cluster.liveCount(); li++) {
            int node = cluster.liveNode(li);
            int k = cluster.podsOnNode(node, sc);
            for (int i = 0; i < k; i++) {
                if (cluster.offset(sc[0][i]) / DemandTable.D == group) {
                    return node;
                }
            }
        }
        throw new AssertionError("group " + group + " runs nowhere");
    }

    /** A pod of {@code group} that runs. */
    private static int dPod(io.nodesizer.replay.Cluster cluster, int group) {
        int[][] sc = {new int[8]};
        int k = cluster.podsOnNode(nodeOf(cluster, group), sc);
        for (int i = 0; i < k; i++) {
            if (cluster.offset(sc[0][i]) / DemandTable.D == group) {
                return sc[0][i];
            }
        }
        throw new AssertionError();
    }

    private static int nodeIn(io.nodesizer.replay.Cluster cluster, int zone) {
        for (int li = 0; li < cluster.liveCount(); li++) {
            if (cluster.zone(cluster.liveNode(li)) == zone) {
                return cluster.liveNode(li);
            }
        }
        throw new AssertionError("no node in zone " + zone);
    }

    @Test
    void aGroupOnlyPreferNoScheduleTaintedPoolsHoldLaunchesTolerantAndNoPoolWithOneCostsNothing() {
        List<PodGroup> groups = List.of(group("web", labelled("web")));
        io.nodesizer.model.NodeShape m = Fixtures.shape("m", 4000, 16 * GIB, 110, 0.20).withLabelsAndTaints(Map.of(),
                List.of(new Placement.Taint("x", "y", "PreferNoSchedule")));
        io.nodesizer.model.NodeShape xl = Fixtures.shape("xl", 8000, 32 * GIB, 110, 0.40);
        for (List<Pool> pools : List.of(List.of(Pool.of(0, m, Resources.ZERO)), List.of(Pool.of(0, xl, Resources.ZERO)),
                List.of(Pool.of(0, m, Resources.ZERO), Pool.of(1, xl, Resources.ZERO)))) {
            PodStream.Builder s = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 600);
            s.add(0, 0, 300, PodStream.STAYS);
            LookOnce.run(s.build(), pools, 1, 10, cluster -> true, cluster -> {
                KarpenterPreferences prefs = KarpenterPreferences.of(cluster, true, (g, pool) -> true);
                String what = pools.stream().map(Pool::name).toList().toString();
                // Only m: its taint is tolerated from the start (the ladder's last step is where it launches). Only xl: no taint,
                // nothing to do. Both: m's taint is required until the last step.
                assertThat(prefs.any()).as(what).isEqualTo(pools.size() == 2);
                assertThat(prefs.lastStep(0)).as(what).isEqualTo(pools.size() == 2 ? 1 : 0);
                assertThat(prefs.tolerates(0, 0, 0)).as(what).isEqualTo(pools.size() == 1);
                assertThat(prefs.tolerates(0, 0, prefs.lastStep(0))).as(what).isTrue();
            });
        }
    }

    private static Placement.Term size(String size) {
        return new Placement.Term(List.of(new Placement.Requirement("size", Placement.Operator.IN, List.of(size))), List.of());
    }

    /**
     * Review 73 #1: upstream's Relax drops OR'd required terms first, one a call while more than one is left, and only then the
     * PreferNoSchedule toleration; a term once dropped is never met again. api requires size m or size l. m's taint refuses it
     * while term 0 stands, so term 0 goes; no type is an l: the ladder runs out at the last term, and the group gets no claim
     * (it had fallen back to term 0, and an m launched). An l among the pools: term 1, an l. No taint on m: term 0, an m.
     */
    @Test
    void aGroupWhoseRelaxationRunsOutKeepsItsLastTermAndGetsNoClaim() {
        Placement p = new Placement(Map.of(), List.of(size("m"), size("l")), List.of(), "shop", Map.of("app", "api"), List.of(), List.of(),
                List.of());
        List<PodGroup> groups = List.of(group("api", p));
        List<Placement.Taint> pns = List.of(new Placement.Taint("x", "y", "PreferNoSchedule"));
        io.nodesizer.model.NodeShape taintedM = Fixtures.shape("m", 4000, 16 * GIB, 110, 0.20).withLabelsAndTaints(Map.of("size", "m"), pns);
        io.nodesizer.model.NodeShape m = Fixtures.shape("m", 4000, 16 * GIB, 110, 0.20).withLabelsAndTaints(Map.of("size", "m"), List.of());
        io.nodesizer.model.NodeShape l = Fixtures.shape("l", 6000, 24 * GIB, 110, 0.30).withLabelsAndTaints(Map.of("size", "l"), List.of());
        io.nodesizer.model.NodeShape xl = Fixtures.shape("xl", 8000, 32 * GIB, 110, 0.40).withLabelsAndTaints(Map.of("size", "xl"), List.of());
        record Case(String what, List<io.nodesizer.model.NodeShape> shapes, boolean claimless, int term) {
        }
        for (Case k : List.of(new Case("tainted m, xl", List.of(taintedM, xl), true, 1),
                new Case("tainted m, l, xl", List.of(taintedM, l, xl), false, 1),
                new Case("m, xl", List.of(m, xl), false, 0))) {
            List<Pool> pools = new java.util.ArrayList<>();
            for (io.nodesizer.model.NodeShape shape : k.shapes()) {
                pools.add(Pool.of(pools.size(), shape, Resources.ZERO));
            }
            PodStream.Builder s = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 600);
            s.add(0, 0, 300, PodStream.STAYS);
            for (boolean respect : new boolean[]{true, false}) {
                LookOnce.run(s.build(), pools, 1, 10, cluster -> true, cluster -> {
                    KarpenterPreferences prefs = KarpenterPreferences.of(cluster, respect, (g, pool) -> true);
                    assertThat(prefs.claimless(0)).as(k.what()).isEqualTo(k.claimless());
                    assertThat(prefs.requiredTerm(0)).as(k.what()).isEqualTo(k.term());
                });
            }
        }
        // Under Respect, no taint: a preferred tier no type carries is required until the terms but the last are gone (m, the
        // first term's type, is refused by it), and then no type meets size l: no claim. Under Ignore the preference is not
        // kept, and term 0 holds: an m.
        Placement gold = p.withPreferences(new Placement.Preferences(List.of(tier(50, "gold")), List.of(), List.of(), false));
        PodStream.Builder s = new PodStream.Builder(DemandTable.of(Workload.of(List.of(group("api", gold)))), TimePoints.DEFAULT_ORIGIN, 600);
        s.add(0, 0, 300, PodStream.STAYS);
        LookOnce.run(s.build(), List.of(Pool.of(0, m, Resources.ZERO), Pool.of(1, xl, Resources.ZERO)), 1, 10, cluster -> true, cluster -> {
            KarpenterPreferences respect = KarpenterPreferences.of(cluster, true, (g, pool) -> true);
            assertThat(respect.claimless(0)).isTrue();
            assertThat(respect.requiredTerm(0)).isEqualTo(1);
            assertThat(respect.lastStep(0)).isZero();
            assertThat(respect.constrains(0)).as("nothing kept: no preference, no taint").isFalse();
            KarpenterPreferences ignore = KarpenterPreferences.of(cluster, false, (g, pool) -> true);
            assertThat(ignore.claimless(0)).isFalse();
            assertThat(ignore.requiredTerm(0)).isZero();
        });
    }

    /**
     * Preferred pod affinity on the hostname (fix 76a): each term its own requirement (upstream a TopologyGroup a term), relaxed
     * before the anti-affinity terms, heaviest first. w prefers a node of c's (weight 100), one of its own (10), and to keep off
     * x's. A term is met beside a target, or, when it selects w itself, where no target runs or is placed anywhere
     * (topologygroup.go nextDomainAffinity); a new claim holds nothing, so only such a term lets one take w. lonely prefers
     * pods no group has: nothing meets it until it is relaxed.
     */
    @Test
    void preferredPodAffinityTermsAreRelaxedFirstAndMetBesideATargetOrAsTheFirstOfASeries() {
        Placement w = labelled("w").withPreferences(new Placement.Preferences(List.of(),
                List.of(new Placement.WeightedPodTerm(10, Fixtures.selectsApp("w")), new Placement.WeightedPodTerm(100, Fixtures.selectsApp("c"))),
                List.of(new Placement.WeightedPodTerm(1, Fixtures.selectsApp("x"))), false));
        Placement lonely = labelled("lonely").withPreferences(new Placement.Preferences(List.of(),
                List.of(new Placement.WeightedPodTerm(1, Fixtures.selectsApp("nobody"))), List.of(), false));
        List<PodGroup> groups = List.of(group("w", w), group("c", labelled("c")), group("x", labelled("x")), group("lonely", lonely));
        int c = 1;
        int x = 2;
        List<Pool> pools = List.of(Pool.of(0, Fixtures.shape("m", 4000, 16 * GIB, 110, 0.20), Resources.ZERO));
        PodStream.Builder s = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 600);
        s.add(c, 0, 300, PodStream.STAYS);
        LookOnce.run(s.build(), pools, 1, 40, cluster -> cluster.running(c) == 1, cluster -> {
            KarpenterPreferences prefs = KarpenterPreferences.of(cluster, true, (g, pool) -> true);
            // c's term, w's own, then the anti-affinity: 3 steps.
            assertThat(prefs.lastStep(0)).isEqualTo(3);
            assertThat(prefs.pastAffinity(0)).isEqualTo(2);
            assertThat(prefs.keepsAffinity(0, 1)).isTrue();
            assertThat(prefs.keepsAffinity(0, 2)).isFalse();
            assertThat(prefs.dependsOnNeighbours(0)).isTrue();
            assertThat(prefs.admitsBeside(0, new int[]{c}, 1, 0)).as("beside c, and no w anywhere").isTrue();
            assertThat(prefs.admitsBeside(0, new int[0], 0, 0)).as("c runs elsewhere").isFalse();
            assertThat(prefs.newClaimMeets(0, 0)).isFalse();
            assertThat(prefs.admitsOn(0, 0, 0, null)).as("the node c runs on").isTrue();
            assertThat(prefs.admitsBeside(0, new int[0], 0, 1)).as("c's term relaxed: the first w may go anywhere").isTrue();
            assertThat(prefs.newClaimMeets(0, 1)).isTrue();
            prefs.planned(0, 1);
            assertThat(prefs.admitsBeside(0, new int[0], 0, 1)).as("a w is placed: the next goes beside it").isFalse();
            assertThat(prefs.admitsBeside(0, new int[]{0}, 1, 1)).isTrue();
            assertThat(prefs.newClaimMeets(0, 1)).isFalse();
            assertThat(prefs.newClaimMeets(0, 2)).as("both affinity terms relaxed").isTrue();
            prefs.reset();
            assertThat(prefs.newClaimMeets(0, 1)).as("a new what-if").isTrue();
            // The anti-affinity is kept until after both affinity terms.
            assertThat(prefs.admitsBeside(0, new int[]{c, x}, 2, 0)).isFalse();
            assertThat(prefs.admitsBeside(0, new int[]{c, x}, 2, 2)).isFalse();
            assertThat(prefs.admitsBeside(0, new int[]{c, x}, 2, 3)).isTrue();
            assertThat(prefs.lastStep(3)).isEqualTo(1);
            assertThat(prefs.admitsBeside(3, new int[]{c, x}, 2, 0)).isFalse();
            assertThat(prefs.newClaimMeets(3, 0)).isFalse();
            assertThat(prefs.newClaimMeets(3, 1)).isTrue();
            KarpenterPreferences ignore = KarpenterPreferences.of(cluster, false, (g, pool) -> true);
            assertThat(ignore.constrains(0)).isFalse();
            assertThat(ignore.newClaimMeets(0, 0)).isTrue();
        });
    }
}
