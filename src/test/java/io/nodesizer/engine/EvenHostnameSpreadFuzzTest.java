package io.nodesizer.engine;

import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random workloads with a hostname spread on their own pods (kube-scheduler's rule over all the
 * packing's nodes: most − fewest ≤ maxSkew, the fewest 0 below minDomains), mixed with pod
 * anti-affinity on the hostname and zone spreads, packed by every strategy. Every result is checked
 * by counts written here from the assignment alone, not by the product's verifier: every pod placed
 * or listed, loads within allocatable, the spread rule, anti-affinity, zone spreads, no more nodes
 * than the packing that caps each spread at maxSkew per node, and the same assignment twice.
 */
final class EvenHostnameSpreadFuzzTest {
    private static final NodeShape SHAPE = Fixtures.shape("mid", new Resources(8000, 32 * GIB, 110, 0, 0));

    /** What the test knows about a group, independently of the table's reading of its placement. */
    private record Spec(String name, String app, long cpu, long memory, int replicas, int hostSkew, int hostMinDomains,
                        List<String> repels, int zoneSkew) {
    }

    private static PodGroup group(Spec s) {
        List<Placement.Spread> spreads = new ArrayList<>();
        if (s.hostSkew() > 0) {
            spreads.add(new Placement.Spread(s.hostSkew(), true, term(s.app(), PodConflicts.HOSTNAME), s.hostMinDomains()));
        }
        if (s.zoneSkew() > 0) {
            spreads.add(new Placement.Spread(s.zoneSkew(), true, term(s.app(), PodConflicts.ZONE)));
        }
        List<Placement.PodAffinityTerm> anti = new ArrayList<>();
        for (String app : s.repels()) {
            anti.add(term(app, PodConflicts.HOSTNAME));
        }
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", s.app()), anti, List.of(), spreads);
        return new PodGroup(s.name(), "test", new Resources(s.cpu(), s.memory(), 1, 0, 0), s.replicas(), false, null,
                new SourceRef("t", 1), List.of(), null, p);
    }

    private static Placement.PodAffinityTerm term(String app, String key) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, key);
    }

    private static PackingProblem problem(List<Spec> specs, int zones) {
        return new PackingProblem(DemandTable.of(Workload.of(specs.stream().map(EvenHostnameSpreadFuzzTest::group).toList()), zones),
                SHAPE, Resources.ZERO);
    }

    private static List<Spec> randomSpecs(SplittableRandom random) {
        int n = 2 + random.nextInt(5);
        List<Spec> specs = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            int kind = random.nextInt(10);
            int hostSkew = 0;
            int minDomains = 1;
            if (kind < 6) { // most groups spread on the hostname
                hostSkew = 1 + random.nextInt(3);
                if (random.nextInt(3) == 0) {
                    minDomains = 2 + random.nextInt(5);
                }
            }
            List<String> repels = new ArrayList<>();
            if (random.nextInt(5) == 0) {
                repels.add("a" + g); // itself
            }
            if (random.nextInt(5) == 0) {
                int other = random.nextInt(n);
                if (other != g) {
                    repels.add("a" + other);
                }
            }
            int zoneSkew = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
            long cpu = 100 + 50L * random.nextInt(60);            // 0.1 .. 3.05 CPU
            long memory = 64 * MIB + MIB * random.nextInt(4096);  // 64 MiB .. ~4 GiB
            int replicas = 1 + random.nextInt(40);
            specs.add(new Spec("g" + g, "a" + g, cpu, memory, replicas, hostSkew, minDomains, repels, zoneSkew));
        }
        return specs;
    }

    /**
     * 150 random workloads by every strategy. {@code -Dfz.seed=…} and {@code -Dfz.rounds=…} run
     * other or more rounds by hand (seed 1 with 1500 rounds finds {@link #anEvenTryThatOvershootsLeavesNoEmptyNode}'s bug).
     */
    @Test
    void randomWorkloadsKeepTheSchedulersRuleUnderEveryStrategy() {
        SplittableRandom random = new SplittableRandom(Long.getLong("fz.seed", 20240611L));
        int rounds = Integer.getInteger("fz.rounds", 150);
        int evenWins = 0;
        for (int round = 0; round < rounds; round++) {
            int zones = 1 + random.nextInt(3);
            List<Spec> specs = randomSpecs(random);
            PackingProblem p = problem(specs, zones);
            long seed = 1000L + round;
            for (PackingStrategies s : PackingStrategies.values()) {
                String what = "round " + round + " " + s.strategyName() + " zones " + zones + " " + specs;
                PackingResult r = packed(what, () -> PackingEngine.pack(p, s.create(), seed));
                check(r, specs, what);

                // 4. determinism
                PackingResult again = packed(what, () -> PackingEngine.pack(p, s.create(), seed));
                assertThat(again.nodeCount()).as(what).isEqualTo(r.nodeCount());
                assertThat(again.assignment()).as(what).isEqualTo(r.assignment());

                // 3. never worse than the packing that caps every hostname spread at maxSkew per node
                PackingResult capped = packed(what + " (capped)", () -> PackingEngine.pack(p, s.create(), seed, LowerBounds.compute(p), true, false));
                check(capped, specs, what + " (capped)");
                int left = r.unschedulablePodCount();
                int leftCapped = capped.unschedulablePodCount();
                assertThat(left).as("%s: pods left out, even vs capped", what).isLessThanOrEqualTo(leftCapped);
                if (left == leftCapped) {
                    assertThat(r.nodeCount()).as("%s: nodes, even vs capped %d", what, capped.nodeCount())
                            .isLessThanOrEqualTo(capped.nodeCount());
                }
                if (r.nodeCount() < capped.nodeCount()) {
                    evenWins++;
                }
            }
        }
        // The fuzz must exercise the even placement, not only the capped fallback: 424 of the 1050
        // packings beat the capped one at the time of writing (267 with placeEvenly's extras all
        // put on one node, which the engine's own check then turns down).
        if (System.getProperty("fz.seed") == null && System.getProperty("fz.rounds") == null) {
            assertThat(evenWins).as("packings where the even spread saved nodes").isGreaterThanOrEqualTo(380);
        }
    }

    /** A packing; the product's own verifier failing it fails the test with the case named. */
    private static PackingResult packed(String what, java.util.function.Supplier<PackingResult> pack) {
        try {
            return pack.get();
        } catch (VerificationException e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * The test's own checks of one packing: every pod placed on a node of the packing or listed as
     * unschedulable (and not both), loads within allocatable, the hostname spread rule, required
     * anti-affinity and the zone spreads.
     */
    private static void check(PackingResult r, List<Spec> specs, String what) {
        PackingProblem p = r.problem();
        DemandTable t = p.table();
        int nodes = r.nodeCount();
        int[] a = r.assignment();
        assertThat(a).as(what).hasSize(t.podCount());

        // 1. every pod placed or listed, not both
        boolean[] listed = new boolean[t.podCount()];
        for (PackingProblem.Unschedulable u : r.unschedulable()) {
            for (int i = u.firstReplica(); i < t.replicas(u.group()); i++) {
                int pod = t.firstPod(u.group()) + i;
                assertThat(listed[pod]).as("%s: pod %d listed twice", what, pod).isFalse();
                listed[pod] = true;
            }
        }
        for (int pod = 0; pod < t.podCount(); pod++) {
            if (listed[pod]) {
                assertThat(a[pod]).as("%s: pod %d is listed unschedulable but placed", what, pod).isEqualTo(-1);
            } else {
                assertThat(a[pod]).as("%s: pod %d neither placed nor listed", what, pod).isBetween(0, nodes - 1);
            }
        }
        // no group that fits an empty node is left out wholesale for want of room
        for (PackingProblem.Unschedulable u : r.unschedulable()) {
            assertThat(u.reason()).as(what).isNotBlank();
        }

        // 1. loads within allocatable, from the table's demands
        long[] cap = p.podCapacity();
        long[][] load = new long[nodes][DemandTable.D];
        int[][] perNode = new int[t.groupCount()][nodes];
        int[] podsOn = new int[nodes];
        for (int g = 0; g < t.groupCount(); g++) {
            for (int i = 0; i < t.replicas(g); i++) {
                int node = a[t.firstPod(g) + i];
                if (node < 0) {
                    continue;
                }
                perNode[g][node]++;
                podsOn[node]++;
                for (int res = 0; res < DemandTable.D; res++) {
                    load[node][res] += t.demand(g, res);
                }
            }
        }
        for (int node = 0; node < nodes; node++) {
            assertThat(podsOn[node]).as("%s: node %d of %d holds no pod", what, node, nodes).isPositive();
            for (int res = 0; res < DemandTable.D; res++) {
                assertThat(load[node][res]).as("%s: node %d resource %d", what, node, res).isLessThanOrEqualTo(cap[res]);
            }
        }
        // the table keeps the groups in input order (the test's indexes are the table's)
        for (int g = 0; g < specs.size(); g++) {
            assertThat(t.group(g).name()).isEqualTo(specs.get(g).name());
            assertThat(t.replicas(g)).isEqualTo(specs.get(g).replicas());
        }

        for (int g = 0; g < specs.size(); g++) {
            Spec s = specs.get(g);
            int[] c = perNode[g];
            int most = Arrays.stream(c).max().orElse(0);
            int fewest = Arrays.stream(c).min().orElse(0);
            // 2. the hostname spread, over every node of the packing
            if (s.hostSkew() > 0) {
                if (nodes >= s.hostMinDomains()) {
                    assertThat(most - fewest).as("%s: %s per node %s, maxSkew %d", what, s.name(), Arrays.toString(c), s.hostSkew())
                            .isLessThanOrEqualTo(s.hostSkew());
                } else {
                    assertThat(most).as("%s: %s per node %s on %d nodes < minDomains %d, maxSkew %d", what, s.name(),
                            Arrays.toString(c), nodes, s.hostMinDomains(), s.hostSkew()).isLessThanOrEqualTo(s.hostSkew());
                }
            }
            // 2. required anti-affinity on the hostname
            for (String app : s.repels()) {
                int h = Integer.parseInt(app.substring(1));
                for (int node = 0; node < nodes; node++) {
                    if (h == g) {
                        assertThat(c[node]).as("%s: %s repels itself, node %d", what, s.name(), node).isLessThanOrEqualTo(1);
                    } else {
                        assertThat(c[node] > 0 && perNode[h][node] > 0)
                                .as("%s: %s repels %s, both on node %d", what, s.name(), specs.get(h).name(), node).isFalse();
                    }
                }
            }
            // zone spreads over the table's zones
            if (s.zoneSkew() > 0 && t.zones() > 1) {
                int[] z = new int[t.zones()];
                for (int node = 0; node < nodes; node++) {
                    z[r.zoneOf(node, t.zones())] += c[node];
                }
                int zm = Arrays.stream(z).max().orElse(0);
                int zf = Arrays.stream(z).min().orElse(0);
                assertThat(zm - zf).as("%s: %s per zone %s, maxSkew %d", what, s.name(), Arrays.toString(z), s.zoneSkew())
                        .isLessThanOrEqualTo(s.zoneSkew());
            }
        }
    }

    /**
     * A product bug the fuzz found (seed 1, 1500 rounds: round 1272 and others): the bound is 33
     * (g2 repels itself); placing g0 (20, maxSkew 3) and g1 (14, maxSkew 1, repelled by g0) evenly
     * over 33 nodes fails (g1 finds 13 nodes without g0), so the even try grows N by N/16 = 2 to 35;
     * g1 then takes nodes 20..33, the rest never needs node 34, and the 35-node packing, better
     * than the capped 36, is kept with node 34 empty: the verifier throws "node 34 holds no
     * workload pod" out of {@link PackingEngine#pack} (ffd, bfd, dot-product). Enable once fixed.
     */
    @Test
    void anEvenTryThatOvershootsLeavesNoEmptyNode() {
        List<Spec> specs = List.of(
                new Spec("g0", "a0", 1500, 512 * MIB, 20, 3, 1, List.of("a1"), 0),
                new Spec("g1", "a1", 1500, 512 * MIB, 14, 1, 1, List.of(), 0),
                new Spec("g2", "a2", 1000, 512 * MIB, 33, 0, 1, List.of("a2"), 0),
                new Spec("g3", "a3", 3000, 512 * MIB, 3, 0, 1, List.of("a3"), 0));
        PackingProblem p = problem(specs, 1);
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = packed(s.strategyName(), () -> PackingEngine.pack(p, s.create(), 1));
            check(r, specs, s.strategyName());
            PackingResult capped = PackingEngine.pack(p, s.create(), 1, LowerBounds.compute(p), true, false);
            assertThat(r.nodeCount()).as(s.strategyName()).isLessThanOrEqualTo(capped.nodeCount());
        }
    }

    private static int[] counts(PackingResult r, int g) {
        DemandTable t = r.problem().table();
        int[] c = new int[r.nodeCount()];
        for (int i = 0; i < t.replicas(g); i++) {
            int node = r.assignment()[t.firstPod(g) + i];
            assertThat(node).isNotNegative();
            c[node]++;
        }
        return c;
    }

    /** 40 pods of 500m at maxSkew 1 on 8-CPU nodes: 14/13/13 on three nodes, as the scheduler would leave them. */
    @Test
    void fortyReplicasAtMaxSkewOneTakeThreeNodes() {
        Spec web = new Spec("web", "web", 500, 512 * MIB, 40, 1, 1, List.of(), 0);
        PackingProblem p = problem(List.of(web), 1);
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            check(r, List.of(web), s.strategyName());
            assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(3);
            int[] c = counts(r, 0);
            Arrays.sort(c);
            assertThat(c).as(s.strategyName()).containsExactly(13, 13, 14);
        }
    }

    /** 41 pods: the two extras go to two nodes (14/14/13), not both to one (15/13/13 breaks maxSkew 1). */
    @Test
    void fortyOneReplicasPutTheirExtrasOnTwoNodes() {
        Spec web = new Spec("web", "web", 500, 512 * MIB, 41, 1, 1, List.of(), 0);
        PackingProblem p = problem(List.of(web), 1);
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            check(r, List.of(web), s.strategyName());
            int[] c = counts(r, 0);
            Arrays.sort(c);
            assertThat(c).as(s.strategyName()).containsExactly(13, 14, 14);
        }
    }

    /**
     * The same with minDomains 5: below five nodes the fewest counts as 0, so at most one per node;
     * on five nodes or more the spread is even again. Five nodes of 8 each is the least the rule admits.
     */
    @Test
    void minDomainsFiveNeedsFiveNodesOrOnePerNode() {
        Spec web = new Spec("web", "web", 500, 512 * MIB, 40, 1, 5, List.of(), 0);
        PackingProblem p = problem(List.of(web), 1);
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            check(r, List.of(web), s.strategyName());
            int[] c = counts(r, 0);
            int most = Arrays.stream(c).max().orElse(0);
            int fewest = Arrays.stream(c).min().orElse(0);
            if (r.nodeCount() >= 5) {
                assertThat(most - fewest).as(s.strategyName()).isLessThanOrEqualTo(1);
            } else {
                assertThat(most).as(s.strategyName()).isLessThanOrEqualTo(1);
            }
            assertThat(r.nodeCount()).as("%s: the fewest nodes the rule admits", s.strategyName()).isEqualTo(5);
            assertThat(c).as(s.strategyName()).containsOnly(8);
        }
    }
}
