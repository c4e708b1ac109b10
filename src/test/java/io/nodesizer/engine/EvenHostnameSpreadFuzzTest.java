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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Random workloads with a hostname spread on their own pods (kube-scheduler's rule over all the
 * packing's nodes: most − fewest ≤ maxSkew, the fewest 0 below minDomains), mixed with pod
 * anti-affinity on the hostname and zone spreads, packed by every strategy. Every result is checked
 * by counts written here from the assignment alone, not by the product's verifier: every pod placed
 * or listed, loads within allocatable, the spread rule, anti-affinity, zone spreads, no more nodes
 * than the packing that caps each spread at maxSkew per node, and the same assignment twice.
 */
final class EvenHostnameSpreadFuzzTest {
    /** {@code -Dfz.gpu=true} (by hand): nodes with 4 GPUs, and the groups with an even memory request in MiB want GPU shares or whole GPUs. */
    private static final boolean GPU = Boolean.getBoolean("fz.gpu");
    private static final NodeShape SHAPE = Fixtures.shape("mid", new Resources(8000, 32 * GIB, 110, GPU ? 4000 : 0, 0));

    private static long gpu(long cpu, long memory) {
        return !GPU || (memory / MIB) % 2 != 0 ? 0 : new long[] {250, 500, 1000, 2000}[(int) ((cpu / 50) % 4)];
    }

    /** What the test knows about a group, independently of the table's reading of its placement. */
    private record Spec(String name, String app, long cpu, long memory, int replicas, int hostSkew, int hostMinDomains,
                        List<String> repels, int zoneSkew, String affineTo, String affinityKey, String pin) {
        Spec(String name, String app, long cpu, long memory, int replicas, int hostSkew, int hostMinDomains, List<String> repels, int zoneSkew) {
            this(name, app, cpu, memory, replicas, hostSkew, hostMinDomains, repels, zoneSkew, null, null);
        }

        Spec(String name, String app, long cpu, long memory, int replicas, int hostSkew, int hostMinDomains, List<String> repels, int zoneSkew,
             String affineTo, String affinityKey) {
            this(name, app, cpu, memory, replicas, hostSkew, hostMinDomains, repels, zoneSkew, affineTo, affinityKey, null);
        }
    }

    /** Zone names for workloads pinned to a zone by their node selector ({@link Spec#pin}). */
    private static final List<String> ZONE_NAMES = List.of("za", "zb", "zc");

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
        List<Placement.PodAffinityTerm> affinity = s.affineTo() == null ? List.of() : List.of(term(s.affineTo(), s.affinityKey()));
        Map<String, String> selector = s.pin() == null ? Map.of() : Map.of("topology.kubernetes.io/zone", s.pin());
        Placement p = new Placement(selector, null, List.of(), "shop", Map.of("app", s.app()), anti, affinity, spreads);
        return new PodGroup(s.name(), "test", new Resources(s.cpu(), s.memory(), 1, gpu(s.cpu(), s.memory()), 0), s.replicas(), false, null,
                new SourceRef("t", 1), List.of(), null, p);
    }

    private static Placement.PodAffinityTerm term(String app, String key) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, key);
    }

    private static PackingProblem problem(List<Spec> specs, int zones) {
        Workload w = Workload.of(specs.stream().map(EvenHostnameSpreadFuzzTest::group).toList());
        boolean pinned = specs.stream().anyMatch(sp -> sp.pin() != null);
        return new PackingProblem(pinned ? DemandTable.of(w, ZONE_NAMES.subList(0, zones)) : DemandTable.of(w, zones), SHAPE, Resources.ZERO);
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
        int evenWins = fuzz(20240611L, 150, 1000L, (r, zones) -> randomSpecs(r), false);
        // The fuzz must exercise the even placement, not only the capped fallback: 424 of the 1050
        // packings beat the capped one at the time of writing (267 with placeEvenly's extras all
        // put on one node, which the engine's own check then turns down).
        if (System.getProperty("fz.seed") == null && System.getProperty("fz.rounds") == null) {
            assertThat(evenWins).as("packings where the even spread saved nodes").isGreaterThanOrEqualTo(380);
        }
    }

    /**
     * {@code rounds} random workloads ({@code -Dfz.seed=…}, {@code -Dfz.rounds=…} override the
     * defaults) packed by every strategy: each packing checked ({@link #check}, and the pod affinity
     * when {@code affinity}), packed again to the same assignment, and no worse than the capped
     * packing; returns how many used fewer nodes than it.
     */
    private static int fuzz(long defaultSeed, int defaultRounds, long packSeeds,
                            java.util.function.BiFunction<SplittableRandom, Integer, List<Spec>> workloads, boolean affinity) {
        SplittableRandom random = new SplittableRandom(Long.getLong("fz.seed", defaultSeed));
        int rounds = Integer.getInteger("fz.rounds", defaultRounds);
        int evenWins = 0;
        for (int round = 0; round < rounds; round++) {
            int zones = 1 + random.nextInt(3);
            List<Spec> specs = workloads.apply(random, zones);
            PackingProblem p = problem(specs, zones);
            long seed = packSeeds + round;
            for (PackingStrategies s : PackingStrategies.values()) {
                String what = "round " + round + " " + s.strategyName() + " zones " + zones + " " + specs;
                PackingResult r = packed(what, () -> PackingEngine.pack(p, s.create(), seed));
                check(r, specs, what);
                if (affinity) {
                    checkAffinity(r, specs, what);
                }
                assertThat(reachable(r, specs)).as("%s: not reachable pod by pod", what).isNull();
                // 4. determinism
                PackingResult again = packed(what, () -> PackingEngine.pack(p, s.create(), seed));
                assertThat(again.nodeCount()).as(what).isEqualTo(r.nodeCount());
                assertThat(again.assignment()).as(what).isEqualTo(r.assignment());
                // 3. never worse than the packing that caps every hostname spread at maxSkew per node
                if (noWorseThanCapped(r, s, seed, specs, what)) {
                    evenWins++;
                }
            }
        }
        return evenWins;
    }

    /**
     * Packs {@code r}'s problem again with every hostname spread capped at maxSkew per node, checks
     * that packing too, and that {@code r} leaves out no more pods and, leaving as many, uses no more
     * nodes; whether {@code r} used fewer.
     */
    private static boolean noWorseThanCapped(PackingResult r, PackingStrategies s, long seed, List<Spec> specs, String what) {
        PackingProblem p = r.problem();
        PackingResult capped = packed(what + " (capped)", () -> PackingEngine.pack(p, s.create(), seed, LowerBounds.compute(p), true, false));
        check(capped, specs, what + " (capped)");
        int left = r.unschedulablePodCount();
        int leftCapped = capped.unschedulablePodCount();
        assertThat(left).as("%s: pods left out, even vs capped", what).isLessThanOrEqualTo(leftCapped);
        if (left == leftCapped) {
            assertThat(r.nodeCount()).as("%s: nodes, even vs capped %d", what, capped.nodeCount()).isLessThanOrEqualTo(capped.nodeCount());
        }
        return r.nodeCount() < capped.nodeCount();
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
        // 1. every pod placed or listed, not both
        placedOrListed(r, what);

        // 1. loads within allocatable, from the table's demands
        int[][] perNode = loadsWithinAllocatable(p, t, a, nodes, what);
        // the table keeps the groups in input order (the test's indexes are the table's)
        for (int g = 0; g < specs.size(); g++) {
            assertThat(t.group(g).name()).isEqualTo(specs.get(g).name());
            assertThat(t.replicas(g)).isEqualTo(specs.get(g).replicas());
        }

        for (int g = 0; g < specs.size(); g++) {
            Spec s = specs.get(g);
            int[] c = perNode[g];
            // 2. the hostname spread, over every node of the packing (of its zone, pinned to one)
            int[] domain = java.util.stream.IntStream.range(0, nodes)
                    .filter(n -> s.pin() == null || ZONE_NAMES.get(r.zoneOf(n, t.zones())).equals(s.pin())).map(n -> c[n]).toArray();
            int most = Arrays.stream(domain).max().orElse(0);
            int fewest = Arrays.stream(domain).min().orElse(0);
            if (s.pin() != null) {
                assertThat(Arrays.stream(c).sum()).as("%s: %s pinned to %s runs outside it", what, s.name(), s.pin())
                        .isEqualTo(Arrays.stream(domain).sum());
            }
            if (s.hostSkew() > 0) {
                if (domain.length >= s.hostMinDomains()) {
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
            // zone spreads over the table's zones (one pinned to a zone counts that zone alone: nodeAffinityPolicy Honor)
            if (s.zoneSkew() > 0 && t.zones() > 1 && s.pin() == null) {
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
     * Spread workloads the pod rules place after (or, as a zone closure or co-location, before) the
     * rest: a workload with required pod affinity to another one, on the hostname or the zone, makes
     * both ruled. 100 random workloads × every strategy: the independent checks above plus the
     * affinity itself (each pod beside, or in the zone of, a pod of its target), determinism, never
     * worse than the capped packing, and a floor on how often the scheduler's rule over the nodes
     * ({@code NodeLedger#floorHostnameSpreads}) saved nodes.
     */
    @Test
    void ruledSpreadsKeepTheSchedulersRuleUnderEveryStrategy() {
        int evenWins = fuzz(20261130L, 100, 2000L, (r, zones) -> randomRuledSpecs(r), true);
        // 700 packings: 119 beat the capped one at the time of writing, 66 with the ruled spreads
        // capped at maxSkew per node (the wins then are the workloads' spreads no rule holds); 108
        // once ruled spreads over the zones too were left capped (their floors were unsound), 104
        // once the even tries stopped where no floor can rise (a try then only opened nodes up front).
        if (System.getProperty("fz.seed") == null && System.getProperty("fz.rounds") == null) {
            assertThat(evenWins).as("packings where the ruled spreads spread evenly and saved nodes").isGreaterThanOrEqualTo(RULED_WINS_FLOOR);
        }
    }

    private static final int RULED_WINS_FLOOR = 100;

    /**
     * Found by the ruled fuzz (seed 11, round 5): g0 spreads over the zones and the hostname, so it
     * is both spread evenly up front and a member of the zone-rule closure that goes first; the
     * closure's rules placed it again over the start's pods, the ledger counting both (verification:
     * "node 0 reports cpuMillis load 7750 but its pods sum to 6100"). The closure now leaves out
     * what the start placed.
     */
    @Test
    void aRuledSpreadTryKeepsLoadsAndAssignmentTogether() {
        List<Spec> specs = List.of(
                new Spec("g0", "a0", 1650, 3047161856L, 20, 3, 6, List.of(), 1, null, null),
                new Spec("g1", "a1", 2250, 382730240L, 11, 0, 1, List.of("a0"), 1, null, null),
                new Spec("g2", "a2", 1150, 3150970880L, 30, 1, 1, List.of(), 0, "a1", PodConflicts.ZONE),
                new Spec("g3", "a3", 600, 2767192064L, 36, 0, 1, List.of(), 0, "a1", PodConflicts.ZONE),
                new Spec("g4", "a4", 2000, 728760320L, 26, 0, 1, List.of(), 0, null, null),
                new Spec("g5", "a5", 2400, 3573547008L, 2, 2, 1, List.of(), 2, "a3", PodConflicts.ZONE));
        packedByEveryStrategy(specs, 2, 2005L);
    }

    /**
     * Workloads pinned to one of two or three named zones by their node selector (their hostname
     * spread's domains are that zone's nodes: {@code HostnameSpreads.of(PackingProblem)}), among
     * ruled and plain ones: 100 random workloads × every strategy, checked as above with each pinned
     * spread over its zone's nodes and every pinned pod in its zone.
     */
    @Test
    void pinnedSpreadsKeepTheSchedulersRuleOverTheirZonesNodes() {
        int evenWins = fuzz(20261201L, 100, 3000L, EvenHostnameSpreadFuzzTest::randomPinnedSpecs, true);
        // 700 packings: 128 beat the capped one at the time of writing, 100 with every node taken as
        // a pinned spread's domain (its other zones' nodes holding none keep it at maxSkew per node).
        if (System.getProperty("fz.seed") == null && System.getProperty("fz.rounds") == null) {
            assertThat(evenWins).as("packings where the pinned spreads spread over their zones and saved nodes").isGreaterThanOrEqualTo(PINNED_WINS_FLOOR);
        }
    }

    private static final int PINNED_WINS_FLOOR = 115;

    /**
     * As above, the pinned workloads with a spread over the zones too (kept, or given one): its one zone is its one domain
     * (nodeAffinityPolicy Honor), so it binds nothing and the rules place them by the hostname rule over their zone's
     * nodes, where they kept maxSkew per node (review 78). Checked as above, reachable pod by pod.
     */
    @Test
    void pinnedSpreadsOverTheZonesTooKeepTheSchedulersRule() {
        int evenWins = fuzz(20261208L, 60, 5000L, EvenHostnameSpreadFuzzTest::randomPinnedZoneSpreadSpecs, true);
        System.out.printf("pinned zone-spread fuzz: even beat capped %d times%n", evenWins);
    }

    private static List<Spec> randomPinnedZoneSpreadSpecs(SplittableRandom random, int zones) {
        List<Spec> out = new ArrayList<>();
        for (Spec s : randomRuledSpecs(random)) {
            if (zones > 1 && random.nextInt(3) == 0) {
                int zoneSkew = s.zoneSkew() > 0 || random.nextBoolean() ? Math.max(1, s.zoneSkew()) : 0;
                s = new Spec(s.name(), s.app(), s.cpu(), s.memory(), s.replicas(), s.hostSkew(), s.hostMinDomains(), s.repels(), zoneSkew,
                        s.affineTo(), s.affinityKey(), ZONE_NAMES.get(random.nextInt(zones)));
            }
            out.add(s);
        }
        return out;
    }

    /**
     * What the even tries' zone plans ({@code TryZones}) and the co-location shares
     * ({@code RulePacking#fillBeside}) act on, which the generators above reach rarely: heavy
     * workloads pinned to one zone with a hostname spread beside unpinned spread ones, and
     * co-location targets of several pods without rules of their own, each with dependents (some
     * spread, some pinned). 80 random workloads × every strategy over one to three named zones (with
     * one, a workload pinned to zb admits none and stays unplaced), checked as above. {@code -Dfz.seed=…}, {@code -Dfz.rounds=…} for more by hand.
     */
    @Test
    void heavyPinnedSpreadsAndSharedTargetsKeepTheSchedulersRule() {
        fuzz(20261130L, 80, 4000L, (r, zones) -> randomPinnedHeavySpecs(r, zones < 2 ? 2 : zones), true);
    }

    private static List<Spec> randomPinnedHeavySpecs(SplittableRandom random, int zones) {
        int n = 3 + random.nextInt(4);
        List<Spec> out = new ArrayList<>();
        int target = -1; // a target of several pods with no rule of its own
        for (int g = 0; g < n; g++) {
            long cpu = 100 + 50L * random.nextInt(40);
            long memory = 64 * MIB + MIB * random.nextInt(3072);
            int replicas = 1 + random.nextInt(40);
            int kind = random.nextInt(4);
            if (kind == 0 || g == 0) { // heavy, pinned, spread over its zone's nodes
                out.add(new Spec("g" + g, "a" + g, 500 + 250L * random.nextInt(7), memory, 8 + random.nextInt(30), 1 + random.nextInt(2),
                        random.nextInt(4) == 0 ? 2 + random.nextInt(4) : 1, List.of(), 0, null, null, ZONE_NAMES.get(random.nextInt(zones))));
            } else if (kind == 1) { // unpinned spread, possibly over the zones too
                out.add(new Spec("g" + g, "a" + g, cpu, memory, replicas, 1 + random.nextInt(3), 1, List.of(), random.nextInt(4) == 0 ? 1 : 0));
            } else if (kind == 2 || target < 0) { // a bare target
                target = g;
                out.add(new Spec("g" + g, "a" + g, 250 + 250L * random.nextInt(8), memory, 2 + random.nextInt(6), 0, 1, List.of(), 0));
            } else { // a dependent beside the last target, spread or pinned or neither
                int hostSkew = random.nextBoolean() ? 1 + random.nextInt(3) : 0;
                String pin = random.nextInt(4) == 0 ? ZONE_NAMES.get(random.nextInt(zones)) : null;
                out.add(new Spec("g" + g, "a" + g, cpu, memory, replicas, hostSkew, 1, List.of(), 0, "a" + target, PodConflicts.HOSTNAME, pin));
            }
        }
        return out;
    }

    /** As {@link #randomRuledSpecs}, a third of the workloads pinned to a zone (no zone spread of their own then) when there are several. */
    private static List<Spec> randomPinnedSpecs(SplittableRandom random, int zones) {
        List<Spec> out = new ArrayList<>();
        for (Spec s : randomRuledSpecs(random)) {
            if (zones > 1 && random.nextInt(3) == 0) {
                s = new Spec(s.name(), s.app(), s.cpu(), s.memory(), s.replicas(), s.hostSkew(), s.hostMinDomains(), s.repels(), 0,
                        s.affineTo(), s.affinityKey(), ZONE_NAMES.get(random.nextInt(zones)));
            }
            out.add(s);
        }
        return out;
    }

    /** Packs {@code specs} over {@code zones} zones by every strategy with {@code seed}: each packing checked, its affinity, and reachable pod by pod. */
    private static void packedByEveryStrategy(List<Spec> specs, int zones, long seed) {
        PackingProblem p = problem(specs, zones);
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = packed(s.strategyName(), () -> PackingEngine.pack(p, s.create(), seed));
            check(r, specs, s.strategyName());
            checkAffinity(r, specs, s.strategyName());
            assertThat(reachable(r, specs)).as(s.strategyName()).isNull();
        }
    }

    /** Random workloads whose spread groups are mostly held by the pod rules: affinity to another workload on the hostname or the zone. */
    private static List<Spec> randomRuledSpecs(SplittableRandom random) {
        List<Spec> plain = randomSpecs(random);
        List<Spec> out = new ArrayList<>();
        for (int g = 0; g < plain.size(); g++) {
            Spec s = plain.get(g);
            if (g > 0 && random.nextInt(3) > 0) {
                int target = random.nextInt(g); // an earlier workload: no cycle of affinities
                String key = random.nextBoolean() ? PodConflicts.HOSTNAME : PodConflicts.ZONE;
                s = new Spec(s.name(), s.app(), s.cpu(), s.memory(), s.replicas(), s.hostSkew(), s.hostMinDomains(),
                        s.repels().stream().filter(a -> !a.equals("a" + target)).toList(), s.zoneSkew(), "a" + target, key);
            }
            out.add(s);
        }
        return out;
    }

    /**
     * The ruled spreads with more rules between them: self-matching co-location (a series, on the
     * hostname or the zone), anti-affinity between ruled groups, zone spreads and minDomains on the
     * ruled ones. Besides the final-state checks, every group's pods are replayed one at a time on
     * the packing's fixed nodes ({@link #reachable}): some order kube-scheduler admits must reach
     * the per-node counts. {@code -Dfz.seed=…}, {@code -Dfz.rounds=…} for more by hand.
     */
    @Test
    void ruledSpreadsWithMoreRulesAreReachablePodByPod() {
        SplittableRandom random = new SplittableRandom(Long.getLong("fz.seed", 20261201L));
        int rounds = Integer.getInteger("fz.rounds", 150);
        int wins = 0;
        int floored = 0;
        for (int round = 0; round < rounds; round++) {
            int zones = 1 + random.nextInt(3);
            List<Spec> specs = randomRicherRuledSpecs(random);
            PackingProblem p = problem(specs, zones);
            long seed = 3000L + round;
            for (PackingStrategies s : PackingStrategies.values()) {
                String what = "round " + round + " " + s.strategyName() + " zones " + zones + " " + specs;
                PackingResult r = packed(what, () -> PackingEngine.pack(p, s.create(), seed));
                check(r, specs, what);
                checkAffinity(r, specs, what);
                String stuck = reachable(r, specs);
                assertThat(stuck).as("%s: not reachable pod by pod", what).isNull();
                PackingResult again = packed(what, () -> PackingEngine.pack(p, s.create(), seed));
                assertThat(again.assignment()).as(what).isEqualTo(r.assignment());
                wins += noWorseThanCapped(r, s, seed, specs, what) ? 1 : 0;
                floored += HostnameSpreads.floored(p, RulePacking.withheld(p), HostnameSpreads.of(p)) != null ? 1 : 0;
            }
        }
        System.out.printf("richer ruled fuzz: %d rounds, even beat capped %d times, %d packings with floored groups%n", rounds, wins, floored);
    }

    /**
     * A product bug the richer fuzz found (seed 7, 1000 rounds: round 459, ffd): g0 (2 replicas,
     * maxSkew 1, a zone spread) is spread evenly up front in the even try, and is also in the zone
     * closure (g1, g2 have zone affinity to it) that the rules place first: placed twice, the ledger
     * took its pods twice while the assignment kept the second nodes, and the verifier threw "node
     * 0 reports cpuMillis load 8000 but its pods sum to 5250". The floors (f1bc816) made that try
     * the kept one. Fixed in PackingEngine.packFrom: the closure leaves out the pre-placed groups.
     */
    @Test
    void anEvenTryDoesNotPlaceAPreplacedGroupAgainInTheZoneClosure() {
        List<Spec> specs = List.of(
                new Spec("g0", "a0", 2750, 1853882368L, 2, 1, 1, List.of(), 2, null, null),
                new Spec("g1", "a1", 550, 415236096L, 39, 3, 6, List.of(), 1, "a0", PodConflicts.ZONE),
                new Spec("g2", "a2", 1500, 3088056320L, 30, 1, 1, List.of(), 0, "a0", PodConflicts.ZONE),
                new Spec("g3", "a3", 200, 4298113024L, 8, 0, 1, List.of("a1"), 0, "a2", PodConflicts.ZONE));
        packedByEveryStrategy(specs, 2, 3459L);
    }

    /**
     * A soundness hole the reachability replay found in the ruled-spread fuzz (seed 11, 1500
     * rounds: round 1007, ffd, 2 zones): g1 (29 replicas, hostname maxSkew 1, zone maxSkew 1, zone
     * affinity to g0) ended 2,2,2,2,2,2,2,2,2,3,3,3,2 over 13 nodes (7 in zone a, 6 in b): most −
     * fewest is 1 on the nodes and 15 − 14 over the zones, yet kube-scheduler cannot get there pod
     * by pod on those 13 nodes: no node takes a third pod before every node has two, and the 13th
     * node of zone a to reach two makes zone a 14 against at most 12. The floors let nodes 9..11
     * take their third pod while node 12 was not yet open. A group whose zone spread counts its
     * pods is now left at maxSkew per node (HostnameSpreads.floored).
     */
    @Test
    void aRuledSpreadWithAZoneSpreadIsNotFlooredPastWhatTheZonesAdmit() {
        List<Spec> specs = List.of(
                new Spec("g0", "a0", 1300, 3682598912L, 20, 3, 2, List.of(), 0, null, null),
                new Spec("g1", "a1", 1900, 1889533952L, 29, 1, 1, List.of(), 1, "a0", PodConflicts.ZONE));
        packedByEveryStrategy(specs, 2, 3007L);
    }

    /** As {@link #randomRuledSpecs}, with self-matching co-location, anti-affinity between ruled groups and more zone spreads and minDomains. */
    private static List<Spec> randomRicherRuledSpecs(SplittableRandom random) {
        int n = 2 + random.nextInt(5);
        List<Spec> out = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            int hostSkew = random.nextInt(10) < 7 ? 1 + random.nextInt(3) : 0;
            int minDomains = random.nextInt(3) == 0 ? 2 + random.nextInt(5) : 1;
            String affineTo = null;
            String key = null;
            int kind = random.nextInt(8);
            String[] keys = {PodConflicts.HOSTNAME, PodConflicts.ZONE, INSTANCE_TYPE};
            if (kind == 0) {
                affineTo = "a" + g; // a series: the first anywhere, the rest beside (or in its zone, or anywhere)
                key = keys[random.nextInt(3)];
            } else if (g > 0 && kind < 6) {
                affineTo = "a" + random.nextInt(g);
                key = keys[random.nextInt(3)];
            }
            List<String> repels = new ArrayList<>();
            if (random.nextInt(6) == 0 && affineTo == null) {
                repels.add("a" + g);
            }
            if (random.nextInt(3) == 0) {
                String other = "a" + random.nextInt(n);
                if (!other.equals("a" + g) && !other.equals(affineTo)) {
                    repels.add(other);
                }
            }
            int zoneSkew = random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0;
            long cpu = 100 + 50L * random.nextInt(60);
            long memory = 64 * MIB + MIB * random.nextInt(4096);
            int replicas = 1 + random.nextInt(40);
            out.add(new Spec("g" + g, "a" + g, cpu, memory, replicas, hostSkew, minDomains, repels, zoneSkew, affineTo, key));
        }
        return out;
    }

    /**
     * Whether kube-scheduler can reach the packing's per-node counts pod by pod on its fixed nodes:
     * groups in an order that puts every affinity target before its dependents (the generators make
     * no cycle), each group's pods by a search over the orders its own rules admit: its hostname
     * spread (matchNum + 1 − fewest over its domain nodes — all, or those of the zone it is pinned to —
     * ≤ maxSkew, fewest 0 below minDomains nodes), its
     * zone spread (over the zones that have nodes), its affinity (a target pod on the node or in the
     * zone; for a series, the first anywhere and the rest beside one of its own). Anti-affinity is a
     * final-state rule ({@link #check}). Null when reachable, else the stuck state; a search past its
     * budget counts as reachable (rare: printed).
     */
    private static String reachable(PackingResult r, List<Spec> specs) {
        DemandTable t = r.problem().table();
        int nodes = r.nodeCount();
        int zones = Math.max(1, t.zones());
        int[] zoneOf = new int[nodes];
        boolean[] zoneHasNode = new boolean[zones];
        for (int node = 0; node < nodes; node++) {
            zoneOf[node] = r.zoneOf(node, t.zones());
            zoneHasNode[zoneOf[node]] = true;
        }
        int[][] perNode = new int[specs.size()][nodes];
        for (int g = 0; g < specs.size(); g++) {
            for (int i = 0; i < t.replicas(g); i++) {
                int node = r.assignment()[t.firstPod(g) + i];
                if (node >= 0) {
                    perNode[g][node]++;
                }
            }
        }
        for (int g = 0; g < specs.size(); g++) {
            Spec s = specs.get(g);
            int target = s.affineTo() == null ? -1 : Integer.parseInt(s.affineTo().substring(1));
            boolean zoneKey = s.affineTo() != null && s.affinityKey().equals(PodConflicts.ZONE);
            boolean clusterKey = s.affineTo() != null && s.affinityKey().equals(INSTANCE_TYPE);
            boolean[] targetOn = null;
            if (target >= 0 && target != g) {
                targetOn = new boolean[Math.max(zones, nodes)];
                for (int node = 0; node < nodes; node++) {
                    targetOn[clusterKey ? 0 : zoneKey ? zoneOf[node] : node] |= perNode[target][node] > 0;
                }
            }
            Replay replay = new Replay(s, perNode[g], nodes, zones, zoneOf, zoneHasNode, target == g, zoneKey, clusterKey, targetOn);
            if (!replay.search()) {
                if (replay.budget <= 0) {
                    System.out.printf("reachable: search budget spent for %s per node %s%n", s.name(), Arrays.toString(perNode[g]));
                    continue;
                }
                return String.format("%s: per node %s (zones %s): no order admits it", s.name(), Arrays.toString(perNode[g]),
                        Arrays.toString(zoneOf));
            }
        }
        return null;
    }

    /** A depth-first search over the orders one group's own rules admit, with a memo of the dead states. */
    private static final class Replay {
        final Spec s;
        final int[] want;
        final int nodes;
        final int zones;
        final int[] zoneOf;
        final boolean[] zoneHasNode;
        final boolean series;
        final boolean zoneKey;
        final boolean[] targetOn;
        final int[] cur;
        final int[] inZone;
        final java.util.Set<String> dead = new java.util.HashSet<>();
        int budget = 200_000;
        int left;

        final boolean clusterKey;

        Replay(Spec s, int[] want, int nodes, int zones, int[] zoneOf, boolean[] zoneHasNode, boolean series, boolean zoneKey,
               boolean clusterKey, boolean[] targetOn) {
            this.clusterKey = clusterKey;
            this.s = s;
            this.want = want;
            this.nodes = nodes;
            this.zones = zones;
            this.zoneOf = zoneOf;
            this.zoneHasNode = zoneHasNode;
            this.series = series;
            this.zoneKey = zoneKey;
            this.targetOn = targetOn;
            this.cur = new int[nodes];
            this.inZone = new int[zones];
            this.left = Arrays.stream(want).sum();
            // The hostname spread's domains: every node, or the nodes of the zone it is pinned to.
            this.domain = java.util.stream.IntStream.range(0, nodes)
                    .filter(n -> s.pin() == null || ZONE_NAMES.get(zoneOf[n]).equals(s.pin())).toArray();
        }

        final int[] domain;

        boolean admits(int node) {
            if (cur[node] >= want[node]) {
                return false;
            }
            if (s.hostSkew() > 0) {
                int min = domain.length >= s.hostMinDomains() ? Arrays.stream(domain).map(n -> cur[n]).min().orElse(0) : 0;
                if (cur[node] + 1 - min > s.hostSkew()) {
                    return false;
                }
            }
            if (s.zoneSkew() > 0 && zones > 1 && s.pin() == null) { // pinned: its one zone is its one domain
                int min = Integer.MAX_VALUE;
                for (int z = 0; z < zones; z++) {
                    if (zoneHasNode[z]) {
                        min = Math.min(min, inZone[z]);
                    }
                }
                if (inZone[zoneOf[node]] + 1 - min > s.zoneSkew()) {
                    return false;
                }
            }
            if (targetOn != null && !targetOn[clusterKey ? 0 : zoneKey ? zoneOf[node] : node]) {
                return false;
            }
            if (series && !clusterKey && Arrays.stream(cur).sum() > 0 && (zoneKey ? inZone[zoneOf[node]] == 0 : cur[node] == 0)) {
                return false;
            }
            return true;
        }

        boolean search() {
            if (left == 0) {
                return true;
            }
            if (--budget <= 0) {
                return false;
            }
            String key = Arrays.toString(cur);
            if (dead.contains(key)) {
                return false;
            }
            Integer[] order = new Integer[nodes];
            for (int i = 0; i < nodes; i++) {
                order[i] = i;
            }
            Arrays.sort(order, java.util.Comparator.comparingInt((Integer n) -> cur[n]).thenComparingInt(n -> inZone[zoneOf[n]])
                    .thenComparingInt(n -> cur[n] - want[n]));
            for (int node : order) {
                if (admits(node)) {
                    cur[node]++;
                    inZone[zoneOf[node]]++;
                    left--;
                    boolean ok = search();
                    cur[node]--;
                    inZone[zoneOf[node]]--;
                    left++;
                    if (ok) {
                        return true;
                    }
                    if (budget <= 0) {
                        return false;
                    }
                }
            }
            dead.add(key);
            return false;
        }
    }

    /** A key every node of one shape carries alike: the whole cluster is one domain of it. */
    private static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";

    /** The domain of {@code node} under an affinity key: the node, its zone, or 0 (the cluster). */
    private static int domainOf(String key, PackingResult r, int node) {
        return key.equals(PodConflicts.ZONE) ? r.zoneOf(node, r.problem().table().zones()) : key.equals(INSTANCE_TYPE) ? 0 : node;
    }

    /** Every placed pod with required pod affinity runs beside (hostname) or in the zone of (zone) a pod of its target (anywhere, on a key the cluster shares). */
    private static void checkAffinity(PackingResult r, List<Spec> specs, String what) {
        DemandTable t = r.problem().table();
        int nodes = r.nodeCount();
        int[] a = r.assignment();
        for (int g = 0; g < specs.size(); g++) {
            Spec s = specs.get(g);
            if (s.affineTo() == null) {
                continue;
            }
            int h = Integer.parseInt(s.affineTo().substring(1));
            boolean zone = s.affinityKey().equals(PodConflicts.ZONE);
            boolean[] with = new boolean[Math.max(Math.max(1, t.zones()), Math.max(1, nodes))];
            for (int i = 0; i < t.replicas(h); i++) {
                int node = a[t.firstPod(h) + i];
                if (node >= 0) {
                    with[domainOf(s.affinityKey(), r, node)] = true;
                }
            }
            for (int i = 0; i < t.replicas(g); i++) {
                int node = a[t.firstPod(g) + i];
                if (node >= 0) {
                    assertThat(with[domainOf(s.affinityKey(), r, node)]).as("%s: %s pod %d on node %d has no %s pod in its %s", what,
                            s.name(), i, node, specs.get(h).name(), zone ? "zone" : s.affinityKey()).isTrue();
                }
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

    /**
     * 40 (41) replicas of 500m at maxSkew 1 on 8-CPU nodes: three nodes, 14/13/13 (14/14/13: the two
     * extras on two nodes, not both on one, which would break maxSkew 1), under every strategy.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"40, 13 13 14", "41, 13 14 14"})
    void replicasAtMaxSkewOneSpreadEvenlyOverThreeNodes(int replicas, String sorted) {
        Spec web = new Spec("web", "web", 500, 512 * MIB, replicas, 1, 1, List.of(), 0);
        PackingProblem p = problem(List.of(web), 1);
        int[] expected = Arrays.stream(sorted.split(" ")).mapToInt(Integer::parseInt).toArray();
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            check(r, List.of(web), s.strategyName());
            assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(3);
            int[] c = counts(r, 0);
            Arrays.sort(c);
            assertThat(c).as(s.strategyName()).containsExactly(expected);
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

    // ---------------------------------------------------------------------------------------------
    // Spreads shared by several workloads: a selector app=X counts every workload labelled app=X.
    // ---------------------------------------------------------------------------------------------

    /**
     * A group for the shared fuzz: pods labelled app={@code app}; a hard hostname spread selecting
     * app={@code hostApp} when {@code hostSkew} > 0 (its own label or another's: a watcher), a second
     * one (minDomains 1) selecting app={@code host2App} when {@code host2Skew} > 0, a hard zone spread
     * selecting app={@code zoneApp} when {@code zoneSkew} > 0.
     */
    private record SharedSpec(String name, String app, long cpu, long memory, int replicas, int hostSkew, String hostApp,
                              int hostMinDomains, int host2Skew, String host2App, int zoneSkew, String zoneApp) {
        SharedSpec(String name, String app, long cpu, long memory, int replicas, int hostSkew, String hostApp, int hostMinDomains) {
            this(name, app, cpu, memory, replicas, hostSkew, hostApp, hostMinDomains, 0, app, 0, app);
        }

        boolean spreadsOnHostname() {
            return hostSkew > 0 || host2Skew > 0;
        }
    }

    private static PodGroup sharedGroup(SharedSpec s) {
        List<Placement.Spread> spreads = new ArrayList<>();
        if (s.hostSkew() > 0) {
            spreads.add(new Placement.Spread(s.hostSkew(), true, term(s.hostApp(), PodConflicts.HOSTNAME), s.hostMinDomains()));
        }
        if (s.host2Skew() > 0) {
            spreads.add(new Placement.Spread(s.host2Skew(), true, term(s.host2App(), PodConflicts.HOSTNAME)));
        }
        if (s.zoneSkew() > 0) {
            spreads.add(new Placement.Spread(s.zoneSkew(), true, term(s.zoneApp(), PodConflicts.ZONE)));
        }
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", s.app(), "track", s.name()), List.of(), List.of(),
                spreads);
        return new PodGroup(s.name(), "test", new Resources(s.cpu(), s.memory(), 1, 0, 0), s.replicas(), false, null,
                new SourceRef("t", 1), List.of(), null, p);
    }

    private static PackingProblem sharedProblem(List<SharedSpec> specs, int zones, NodeShape shape) {
        return new PackingProblem(DemandTable.of(Workload.of(specs.stream().map(EvenHostnameSpreadFuzzTest::sharedGroup).toList()), zones),
                shape, Resources.ZERO);
    }

    /**
     * 2–6 groups over 1–3 app labels (so one selector counts several workloads); most spread on the
     * hostname by their own label (shared when another group carries it) or by another's (a
     * watcher), maxSkew 1–3, a third with minDomains 2–5, a sixth with a second hostname spread (any
     * label); with zones, a quarter spread over the zones too (by their own label or another's); the
     * rest plain.
     */
    private static List<SharedSpec> randomSharedSpecs(SplittableRandom random, int zones) {
        int n = 2 + random.nextInt(5);
        int apps = 1 + random.nextInt(Math.min(3, n));
        List<SharedSpec> specs = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            String app = "x" + (g < apps ? g : random.nextInt(apps)); // every label carried at least once
            int kind = random.nextInt(10);
            int hostSkew = 0;
            String hostApp = app;
            int minDomains = 1;
            if (kind < 7) {
                hostSkew = 1 + random.nextInt(3);
                if (random.nextInt(3) == 0) {
                    hostApp = "x" + random.nextInt(apps); // a watcher unless it draws its own label
                }
                if (random.nextInt(3) == 0) {
                    minDomains = 2 + random.nextInt(4);
                }
            }
            int host2Skew = 0;
            String host2App = app;
            if (kind < 7 && random.nextInt(6) == 0) {
                host2Skew = 1 + random.nextInt(3);
                host2App = "x" + random.nextInt(apps);
            }
            int zoneSkew = 0;
            String zoneApp = app;
            if (zones > 1 && random.nextInt(4) == 0) {
                zoneSkew = 1 + random.nextInt(2);
                if (random.nextInt(4) == 0) {
                    zoneApp = "x" + random.nextInt(apps);
                }
            }
            long cpu = 100 + 50L * random.nextInt(59);            // 0.1 .. 3.0 CPU
            long memory = 64 * MIB + MIB * random.nextInt(4096);  // 64 MiB .. ~4 GiB
            int replicas = 1 + random.nextInt(30);
            specs.add(new SharedSpec("g" + g, app, cpu, memory, replicas, hostSkew, hostApp, minDomains, host2Skew, host2App, zoneSkew,
                    zoneApp));
        }
        return specs;
    }

    /** A packing within 10 s (a hang fails the test); the product's own verifier failing it fails the test with the case named. */
    private static PackingResult timedPack(String what, java.util.function.Supplier<PackingResult> pack) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> packed(what, pack), what + ": pack() took over 10 s");
    }

    /**
     * 150 random mixes of workloads that share their spreads' selectors, by every strategy, checked
     * from the assignment alone ({@link #checkShared}): every pod placed or listed, loads within
     * allocatable, a pod-by-pod order in which kube-scheduler admits every placed pod, the zone
     * spreads, no more nodes than the capped packing, the same assignment twice.
     * {@code -Dfz.shared.seed=…} and {@code -Dfz.shared.rounds=…} run other or more rounds by hand.
     */
    @Test
    void sharedSpreadsKeepTheSchedulersRuleUnderEveryStrategy() {
        SplittableRandom random = new SplittableRandom(Long.getLong("fz.shared.seed", 20240612L));
        int rounds = Integer.getInteger("fz.shared.rounds", 150);
        int evenWins = 0;
        int sharedWins = 0;
        int packings = 0;
        int[] orders = new int[2];
        int[] shape = new int[5]; // rounds with a shared hostname spread, a watcher, a minDomains, a zone spread, two hostname spreads
        for (int round = 0; round < rounds; round++) {
            int zones = 1 + random.nextInt(3);
            List<SharedSpec> specs = randomSharedSpecs(random, zones);
            PackingProblem p = sharedProblem(specs, zones, SHAPE);
            long seed = 2000L + round;
            boolean sharedUnit = HostnameSpreads.units(p, RulePacking.withheld(p)).stream().anyMatch(HostnameSpreads.Unit::shared);
            tally(specs, shape);
            for (PackingStrategies s : PackingStrategies.values()) {
                String what = "shared round " + round + " " + s.strategyName() + " zones " + zones + " " + specs;
                PackingResult r = timedPack(what, () -> PackingEngine.pack(p, s.create(), seed));
                orders[checkShared(r, specs, what)]++;

                // 4. determinism
                PackingResult again = timedPack(what, () -> PackingEngine.pack(p, s.create(), seed));
                assertThat(again.nodeCount()).as(what).isEqualTo(r.nodeCount());
                assertThat(again.assignment()).as(what).isEqualTo(r.assignment());

                // 3. never worse than the packing that keeps at most maxSkew per node
                PackingResult capped = timedPack(what + " (capped)",
                        () -> PackingEngine.pack(p, s.create(), seed, LowerBounds.compute(p), true, false));
                orders[checkShared(capped, specs, what + " (capped)")]++;
                int left = r.unschedulablePodCount();
                int leftCapped = capped.unschedulablePodCount();
                assertThat(left).as("%s: pods left out, even vs capped", what).isLessThanOrEqualTo(leftCapped);
                if (left == leftCapped) {
                    assertThat(r.nodeCount()).as("%s: nodes, even vs capped %d", what, capped.nodeCount())
                            .isLessThanOrEqualTo(capped.nodeCount());
                }
                if (r.nodeCount() < capped.nodeCount()) {
                    evenWins++;
                    sharedWins += sharedUnit ? 1 : 0;
                }
                packings++;
            }
        }
        System.out.printf("shared fuzz: %d rounds (%d with a shared hostname spread, %d a watcher, %d a minDomains, %d a zone spread,"
                        + " %d two hostname spreads),"
                        + " %d packings, even saved nodes in %d (%d with a shared unit); scheduler order found %d times with the plain"
                        + " pods first, %d only interleaved%n", rounds, shape[0], shape[1], shape[2], shape[3], shape[4], packings, evenWins, sharedWins,
                orders[0], orders[1]);
        // The fuzz must exercise the even placement of shared spreads, not only the capped one: 557
        // of the 1050 packings beat the capped one at the time of writing (476 of them with a shared unit).
        if (System.getProperty("fz.shared.seed") == null && System.getProperty("fz.shared.rounds") == null) {
            assertThat(evenWins).as("packings where the even spread saved nodes").isGreaterThanOrEqualTo(EVEN_WINS_FLOOR);
            assertThat(sharedWins).as("packings with a shared even unit where the even spread saved nodes")
                    .isGreaterThanOrEqualTo(SHARED_WINS_FLOOR);
        }
    }

    private static final int EVEN_WINS_FLOOR = 390;
    private static final int SHARED_WINS_FLOOR = 330;

    /** Counts what a round's groups exercise: a hostname spread counting several workloads, a watcher, a minDomains, a zone spread, two hostname spreads. */
    private static void tally(List<SharedSpec> specs, int[] shape) {
        boolean shared = false;
        boolean watcher = false;
        boolean minDomains = false;
        boolean zone = false;
        boolean two = false;
        for (SharedSpec s : specs) {
            if (s.hostSkew() > 0) {
                shared |= specs.stream().filter(o -> o.app().equals(s.hostApp())).count() > 1;
                watcher |= !s.app().equals(s.hostApp());
                minDomains |= s.hostMinDomains() > 1;
            }
            if (s.host2Skew() > 0) {
                shared |= specs.stream().filter(o -> o.app().equals(s.host2App())).count() > 1;
                watcher |= !s.app().equals(s.host2App());
                two = true;
            }
            zone |= s.zoneSkew() > 0;
        }
        shape[0] += shared ? 1 : 0;
        shape[1] += watcher ? 1 : 0;
        shape[2] += minDomains ? 1 : 0;
        shape[3] += zone ? 1 : 0;
        shape[4] += two ? 1 : 0;
    }

    /**
     * Every pod of {@code r} placed on one of its nodes or listed unschedulable with a reason, not
     * both, and none listed twice.
     */
    private static void placedOrListed(PackingResult r, String what) {
        DemandTable t = r.problem().table();
        int[] a = r.assignment();
        assertThat(a).as(what).hasSize(t.podCount());
        boolean[] listed = new boolean[t.podCount()];
        for (PackingProblem.Unschedulable u : r.unschedulable()) {
            assertThat(u.reason()).as(what).isNotBlank();
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
                assertThat(a[pod]).as("%s: pod %d neither placed nor listed", what, pod).isBetween(0, r.nodeCount() - 1);
            }
        }
    }

    /**
     * The test's own checks of one packing of {@link SharedSpec}s: every pod placed or listed (not
     * both), every node used, loads within allocatable, the hostname spreads reachable pod by pod
     * under kube-scheduler's rule ({@link #schedulerOrder}), the zone spreads in the final state.
     * Returns 0 when the scheduler's order was found with the plain pods first, 1 when only an
     * interleaved order was.
     */
    private static int checkShared(PackingResult r, List<SharedSpec> specs, String what) {
        PackingProblem p = r.problem();
        DemandTable t = p.table();
        int nodes = r.nodeCount();
        int[] a = r.assignment();
        for (int g = 0; g < specs.size(); g++) {
            assertThat(t.group(g).name()).isEqualTo(specs.get(g).name());
            assertThat(t.replicas(g)).isEqualTo(specs.get(g).replicas());
        }

        // 1. every pod placed or listed, not both
        placedOrListed(r, what);

        // 1. loads within allocatable, from the table's demands
        int[][] perNode = loadsWithinAllocatable(p, t, a, nodes, what);

        // 2. zone spreads, final state: a zone that runs a pod of the spreading group holds at most
        // maxSkew more pods the selector matches than the zone with the fewest
        int zones = Math.max(1, t.zones());
        for (int g = 0; g < specs.size(); g++) {
            SharedSpec s = specs.get(g);
            if (s.zoneSkew() == 0 || zones < 2) {
                continue;
            }
            int[] z = new int[zones];
            boolean[] runs = new boolean[zones];
            for (int node = 0; node < nodes; node++) {
                int zone = r.zoneOf(node, zones);
                runs[zone] |= perNode[g][node] > 0;
                for (int h = 0; h < specs.size(); h++) {
                    if (specs.get(h).app().equals(s.zoneApp())) {
                        z[zone] += perNode[h][node];
                    }
                }
            }
            int fewest = Arrays.stream(z).min().orElse(0);
            for (int zone = 0; zone < zones; zone++) {
                if (runs[zone]) {
                    assertThat(z[zone] - fewest).as("%s: %s runs in zone %d, app=%s per zone %s, maxSkew %d", what, s.name(), zone,
                            s.zoneApp(), Arrays.toString(z), s.zoneSkew()).isLessThanOrEqualTo(s.zoneSkew());
                }
            }
        }

        // 2. the hostname spreads: some pod-by-pod order kube-scheduler admits
        String first = schedulerOrder(specs, perNode, nodes, true);
        if (first == null) {
            return 0;
        }
        String second = schedulerOrder(specs, perNode, nodes, false);
        assertThat(second).as("%s: no order kube-scheduler admits; with the plain pods first: %s; interleaved: %s", what, first, second)
                .isNull();
        return 1;
    }

    /**
     * Replays the placed pods one at a time, as kube-scheduler would admit them on a cluster whose
     * {@code nodes} nodes are all there: a pod of a group with a hard hostname spread goes on its
     * node only while matchNum + selfMatch − minMatchNum ≤ maxSkew there (matchNum: pods placed so
     * far whose app the selector names; minMatchNum: the fewest over all the nodes, 0 below
     * minDomains nodes). With {@code plainFirst} the pods of groups without a hostname spread go
     * first, then among the spreading pods left, repeatedly, an admissible one whose node has the
     * fewest of its own app so far; otherwise every pod in that one greedy order (plain ones are
     * always admissible; on a tie, spreading ones first). Null when every pod is placed, else the
     * stuck state as a sentence.
     */
    private static String schedulerOrder(List<SharedSpec> specs, int[][] perNode, int nodes, boolean plainFirst) {
        int groups = specs.size();
        List<String> apps = specs.stream().map(SharedSpec::app).distinct().sorted().toList();
        int[] appOf = new int[groups];
        int[] hostSel = new int[groups];
        int[] host2Sel = new int[groups];
        for (int g = 0; g < groups; g++) {
            appOf[g] = apps.indexOf(specs.get(g).app());
            hostSel[g] = apps.indexOf(specs.get(g).hostApp()); // -1: selects nothing the packing holds
            host2Sel[g] = apps.indexOf(specs.get(g).host2App());
        }
        int[][] count = new int[apps.size()][nodes];
        int[][] left = new int[groups][];
        int remaining = 0;
        for (int g = 0; g < groups; g++) {
            left[g] = perNode[g].clone();
            if (plainFirst && !specs.get(g).spreadsOnHostname()) {
                for (int node = 0; node < nodes; node++) {
                    count[appOf[g]][node] += left[g][node];
                    left[g][node] = 0;
                }
            }
            remaining += Arrays.stream(left[g]).sum();
        }
        while (remaining > 0) {
            int[] fewest = new int[apps.size()];
            for (int x = 0; x < apps.size(); x++) {
                fewest[x] = Arrays.stream(count[x]).min().orElse(0);
            }
            int bestG = -1;
            int bestNode = -1;
            int bestKey = Integer.MAX_VALUE;
            for (int g = 0; g < groups; g++) {
                SharedSpec s = specs.get(g);
                for (int node = 0; node < nodes; node++) {
                    if (left[g][node] == 0 || !admits(s.hostSkew(), s.hostMinDomains(), hostSel[g], appOf[g], count, fewest, nodes, node)
                            || !admits(s.host2Skew(), 1, host2Sel[g], appOf[g], count, fewest, nodes, node)) {
                        continue;
                    }
                    int key = count[appOf[g]][node] * 2 + (s.spreadsOnHostname() ? 0 : 1);
                    if (key < bestKey) {
                        bestKey = key;
                        bestG = g;
                        bestNode = node;
                    }
                }
            }
            if (bestG < 0) {
                StringBuilder stuck = new StringBuilder("stuck with " + remaining + " pods left:");
                for (int g = 0; g < groups; g++) {
                    for (int node = 0; node < nodes; node++) {
                        if (left[g][node] > 0) {
                            SharedSpec s = specs.get(g);
                            stuck.append(String.format(" %s (app=%s) %d left on node %d of %d;", s.name(), s.app(), left[g][node], node, nodes));
                            for (int k = 0; k < 2; k++) {
                                int skew = k == 0 ? s.hostSkew() : s.host2Skew();
                                String selects = k == 0 ? s.hostApp() : s.host2App();
                                int sel = k == 0 ? hostSel[g] : host2Sel[g];
                                if (skew > 0) {
                                    stuck.append(String.format(" spread by app=%s maxSkew %d minDomains %d: there %d (selfMatch %d), per node %s;",
                                            selects, skew, k == 0 ? s.hostMinDomains() : 1, sel < 0 ? 0 : count[sel][node],
                                            s.app().equals(selects) ? 1 : 0, sel < 0 ? "[]" : Arrays.toString(count[sel])));
                                }
                            }
                        }
                    }
                }
                return stuck.toString();
            }
            left[bestG][bestNode]--;
            count[appOf[bestG]][bestNode]++;
            remaining--;
        }
        return null;
    }

    /** Whether one hard hostname spread (none when {@code maxSkew} is 0) admits a pod of app index {@code app} on {@code node} now. */
    private static boolean admits(int maxSkew, int minDomains, int sel, int app, int[][] count, int[] fewest, int nodes, int node) {
        if (maxSkew == 0 || sel < 0) {
            return true;
        }
        int min = nodes >= minDomains ? fewest[sel] : 0;
        int self = sel == app ? 1 : 0;
        return count[sel][node] + self - min <= maxSkew;
    }

    /**
     * web-stable (4) and web-canary (1), both app=web and spread by app=web at maxSkew 1, with six
     * 1-CPU workers on 4-CPU nodes: kube-scheduler admits web 2/2/1 over three nodes (the fewest
     * is 1), which the 8.5 CPU need anyway; at most one web pod per node would take five.
     */
    @Test
    void stableAndCanaryShareOneSpreadOverThreeNodes() {
        NodeShape small = Fixtures.shape("small", new Resources(4000, 16 * GIB, 110, 0, 0));
        List<SharedSpec> specs = List.of(
                new SharedSpec("web-stable", "web", 500, 512 * MIB, 4, 1, "web", 1),
                new SharedSpec("web-canary", "web", 500, 512 * MIB, 1, 1, "web", 1),
                new SharedSpec("worker", "worker", 1000, GIB, 6, 0, "worker", 1));
        PackingProblem p = sharedProblem(specs, 1, small);
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = timedPack(s.strategyName(), () -> PackingEngine.pack(p, s.create(), 1));
            checkShared(r, specs, s.strategyName());
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
            assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(3);
            int[] web = new int[r.nodeCount()];
            for (int g = 0; g < 2; g++) {
                int[] c = counts(r, g);
                for (int node = 0; node < c.length; node++) {
                    web[node] += c[node];
                }
            }
            Arrays.sort(web);
            assertThat(web).as(s.strategyName()).containsExactly(1, 2, 2);
        }
    }

    /** Every node holds a pod and its loads, summed from the table's demands, stay within the pod capacity; the pods per (group, node). */
    private static int[][] loadsWithinAllocatable(PackingProblem p, DemandTable t, int[] a, int nodes, String what) {
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
        return perNode;
    }
}
