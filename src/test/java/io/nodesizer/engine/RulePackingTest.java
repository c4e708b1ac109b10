package io.nodesizer.engine;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Required pod affinity on the hostname in the packing: every strategy puts a constrained pod only
 * beside a pod its terms select, places the targets where the pods waiting for them have room,
 * reports the pods that find no such room as unschedulable by the rule, and the verifier checks it.
 * Required pod affinity and anti-affinity on the zone likewise, by zone.
 */
final class RulePackingTest {
    /** 4 CPU, 16 GiB, 110 pods. */
    private static final NodeShape SHAPE = Fixtures.shape("four", new Resources(4000, 16 * GIB, 110, 0, 0));

    private static Placement.PodAffinityTerm selects(String app) {
        return Fixtures.selectsApp(app);
    }

    private static PodGroup group(String app, long cpu, int replicas, List<Placement.PodAffinityTerm> anti,
                                  List<Placement.PodAffinityTerm> affinity) {
        return Fixtures.app(app, cpu, replicas, anti, affinity);
    }

    private static PackingProblem problem(PodGroup... groups) {
        return new PackingProblem(DemandTable.of(Workload.of(List.of(groups))), SHAPE, Resources.ZERO);
    }

    /** The nodes that hold pods of group g. */
    private static List<Integer> nodesOf(PackingResult r, int g) {
        DemandTable t = r.problem().table();
        return Arrays.stream(r.assignment(), t.firstPod(g), t.firstPod(g) + t.replicas(g)).filter(n -> n >= 0).distinct().sorted()
                .boxed().toList();
    }

    @Test
    void dependentsOutgrowingTheirTargetsNodesStayUnplacedWithTheReason() {
        PackingProblem p = problem(
                group("api", 1000, 1, List.of(), List.of()),
                group("cache", 1000, 10, List.of(), List.of(selects("api"))),
                group("batch", 500, 12, List.of(), List.of()));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1); // verified, the rule included
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isEqualTo(7);
            PackingProblem.Unschedulable u = r.unschedulable().get(0);
            assertThat(u.byRule()).isTrue();
            assertThat(u.group()).isEqualTo(1);
            assertThat(u.firstReplica()).isEqualTo(3);
            assertThat(u.reason()).contains("required pod affinity", "(api)", "is full for it", "adds no node");
            assertThat(nodesOf(r, 1)).isEqualTo(nodesOf(r, 0));
            // The bound counts the pods placed, not those left out: api, batch and three caches need 10 CPU, so 3 nodes.
            assertThat(r.lowerBound().value()).isEqualTo(3);
            assertThat(r.nodeCount()).isGreaterThanOrEqualTo(r.lowerBound().value());
        }
    }

    @Test
    void targetPodsGoWhereTheirDependentsHaveRoomSoEveryPodIsPlaced() {
        // Three api pods and nine caches: one api per node with three caches beside it places all of them.
        PackingProblem p = problem(
                group("api", 1000, 3, List.of(), List.of()),
                group("cache", 1000, 9, List.of(), List.of(selects("api"))));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
            assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(3);
        }
    }

    @Test
    void targetsFillGapsTheRestLeftWhenTheirDependentsFitThere() {
        // batch leaves 1.5 CPU on each of two nodes; api (0.5) with its one cache (1) fits such a gap.
        PackingProblem p = problem(
                group("batch", 2500, 2, List.of(), List.of()),
                group("api", 500, 2, List.of(), List.of()),
                group("cache", 1000, 2, List.of(), List.of(selects("api"))));
        PackingResult r = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
        assertThat(r.unschedulablePodCount()).isZero();
        assertThat(r.nodeCount()).isEqualTo(2);
    }

    @Test
    void aWorkloadThatSelectsItselfStartsASeriesAndTheRestFollowsIt() {
        PackingProblem p = problem(group("solo", 1000, 6, List.of(), List.of(selects("solo"))));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(1);
            assertThat(r.unschedulablePodCount()).isEqualTo(2);
            assertThat(r.unschedulable().get(0).reason()).contains("is full for it");
        }
    }

    @Test
    void aPodWhoseTermsSelectNothingIsNeverPlaced() {
        PackingProblem p = problem(
                group("web", 500, 3, List.of(), List.of(selects("nobody"))),
                group("batch", 500, 2, List.of(), List.of()));
        PackingResult r = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
        assertThat(r.unschedulablePodCount()).isEqualTo(3);
        assertThat(r.unschedulable().get(0).firstReplica()).isZero();
        assertThat(r.unschedulable().get(0).reason()).contains("no pod of the workload matches its terms",
                "does not match them itself");
        assertThat(r.nodeCount()).isEqualTo(1);
    }

    @Test
    void chainsAndAntiAffinityHoldTogether() {
        // cache needs api beside it, sidecar needs cache; api pods repel each other.
        PackingProblem p = problem(
                group("api", 1000, 3, List.of(selects("api")), List.of()),
                group("cache", 500, 4, List.of(), List.of(selects("api"))),
                group("sidecar", 250, 4, List.of(), List.of(selects("cache"))));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
            assertThat(nodesOf(r, 0)).hasSize(3);
            assertThat(nodesOf(r, 0)).containsAll(nodesOf(r, 1));
            assertThat(nodesOf(r, 1)).containsAll(nodesOf(r, 2));
        }
    }

    @Test
    void theVerifierCatchesAPodAwayFromItsTargets() {
        PackingProblem p = problem(
                group("api", 1000, 1, List.of(), List.of()),
                group("cache", 1000, 2, List.of(), List.of(selects("api"))));
        LowerBoundsHolder b = new LowerBoundsHolder(p);
        int[] good = {0, 0, 0};
        assertThat(PackingEngine.fromAssignment(p, "hand", 1, good, b.bound, 0).nodeCount()).isEqualTo(1);
        int[] bad = {0, 0, 1};
        assertThatThrownBy(() -> PackingEngine.fromAssignment(p, "hand", 2, bad, b.bound, 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("without a pod its required pod affinity selects");
        PackingProblem self = problem(group("solo", 1000, 2, List.of(), List.of(selects("solo"))));
        int[] twoSeries = {0, 1};
        assertThatThrownBy(() -> PackingEngine.fromAssignment(self, "hand", 2, twoSeries, new LowerBoundsHolder(self).bound, 0))
                .isInstanceOf(VerificationException.class);
    }

    private record LowerBoundsHolder(io.nodesizer.bound.LowerBound bound) {
        LowerBoundsHolder(PackingProblem p) {
            this(io.nodesizer.bound.LowerBounds.compute(p));
        }
    }

    @Test
    void randomWorkloadsVerifyUnderEveryStrategyAndRepeatExactly() {
        for (long seed = 1; seed <= 80; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<PodGroup> groups = new ArrayList<>();
            int n = 2 + random.nextInt(8);
            for (int g = 0; g < n; g++) {
                List<Placement.PodAffinityTerm> anti = random.nextInt(5) == 0 ? List.of(selects("g" + g)) : List.of();
                List<Placement.PodAffinityTerm> aff = random.nextInt(3) == 0 ? List.of(selects("g" + random.nextInt(n))) : List.of();
                groups.add(group("g" + g, 100 + random.nextInt(3000), 1 + random.nextInt(12), anti, aff));
            }
            PackingProblem p = problem(groups.toArray(PodGroup[]::new));
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(p, s.create(), seed); // the verifier checks capacity, conflicts and the rule
                PackingResult again = PackingEngine.pack(p, s.create(), seed);
                assertThat(again.assignment()).as("seed %d %s", seed, s.strategyName()).isEqualTo(r.assignment());
                int unplaced = (int) Arrays.stream(r.assignment()).filter(a -> a < 0).count();
                assertThat(r.unschedulablePodCount()).isEqualTo(unplaced);
            }
        }
    }

    private static Placement.PodAffinityTerm inZoneOf(String app) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, io.nodesizer.kube.PodConflicts.ZONE);
    }

    private static PackingProblem zoned(int zones, PodGroup... groups) {
        return new PackingProblem(DemandTable.of(Workload.of(List.of(groups)), zones), SHAPE, Resources.ZERO);
    }

    /** The zones that hold pods of group g. */
    private static List<Integer> zonesOf(PackingResult r, int g) {
        DemandTable t = r.problem().table();
        int zones = Math.max(1, t.zones());
        return Arrays.stream(r.assignment(), t.firstPod(g), t.firstPod(g) + t.replicas(g)).filter(n -> n >= 0)
                .map(n -> r.zoneOf(n, zones)).distinct().sorted().boxed().toList();
    }

    @Test
    void oneReplicaPerZoneUnderZoneAntiAffinityAndTheRestUnplaced() {
        for (int zones : new int[] {1, 3}) {
            PackingProblem p = zoned(zones,
                    group("batch", 1000, 6, List.of(), List.of()),
                    group("etcd", 1000, 5, List.of(inZoneOf("etcd")), List.of()));
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(p, s.create(), 1);
                assertThat(r.unschedulablePodCount()).as("%s, %d zones", s.strategyName(), zones).isEqualTo(5 - zones);
                assertThat(zonesOf(r, 1)).hasSize(zones);
                String reason = r.unschedulable().get(0).reason();
                assertThat(reason).contains("required pod anti-affinity on the zone", "(etcd)");
                assertThat(reason.contains("--zones N")).isEqualTo(zones == 1);
            }
        }
    }

    @Test
    void zoneAntiAffinityAgainstAnotherWorkloadKeepsToTheOtherZones() {
        PackingProblem p = zoned(3,
                group("primary", 3000, 1, List.of(), List.of()),
                group("replica", 3000, 2, List.of(inZoneOf("primary"), inZoneOf("replica")), List.of()));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
            assertThat(zonesOf(r, 1)).hasSize(2).doesNotContainAnyElementsOf(zonesOf(r, 0));
        }
    }

    /**
     * QA 68b F8: b (6 × 2 CPU, no rules) and a (1 CPU) whose zone anti-affinity repels b. b first, as the strategy packs
     * it, fills one node per zone and leaves a no zone; with the zone-ruled workloads first a takes a zone and b keeps
     * out of it (the symmetric check), opening its three nodes in the other two: every pod runs on 4 nodes, under every
     * strategy and in either input order. Before, the closure also placed b before a and a stayed Pending.
     */
    @Test
    void aWorkloadRepelledOnTheZoneGoesAfterThePodsThatRepelIt() {
        PodGroup b = group("b", 2000, 6, List.of(), List.of());
        PodGroup a = group("a", 1000, 1, List.of(inZoneOf("b")), List.of());
        for (PackingProblem p : List.of(zoned(3, b, a), zoned(3, a, b))) {
            int ai = p.table().group(0).name().equals("a") ? 0 : 1;
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(p, s.create(), 1);
                assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
                assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(4);
                assertThat(zonesOf(r, 1 - ai)).hasSize(2).doesNotContainAnyElementsOf(zonesOf(r, ai));
            }
        }
    }

    @Test
    void zoneAffinityOpensNodesInTheTargetsZone() {
        PackingProblem p = zoned(3,
                group("cache", 1000, 1, List.of(), List.of()),
                group("web", 1000, 10, List.of(), List.of(inZoneOf("cache"))));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
            assertThat(zonesOf(r, 1)).isEqualTo(zonesOf(r, 0));
            assertThat(r.nodeCount()).isEqualTo(3);
        }
        PackingResult none = PackingEngine.pack(zoned(3, group("web", 1000, 2, List.of(), List.of(inZoneOf("nobody")))),
                PackingStrategies.FFD.create(), 1);
        assertThat(none.unschedulablePodCount()).isEqualTo(2);
        assertThat(none.unschedulable().get(0).reason()).contains("required pod affinity on the zone", "no pod of the workload matches");
        assertThat(none.nodeCount()).isZero();
    }

    @Test
    void theVerifierCatchesPodsThatShareAZoneTheyMayNot() {
        PackingProblem p = zoned(3, group("etcd", 1000, 2, List.of(inZoneOf("etcd")), List.of()));
        io.nodesizer.bound.LowerBound bound = io.nodesizer.bound.LowerBounds.compute(p);
        // Without zones of its own a result puts node n in zone n % 3: nodes 0 and 3 share zone 0.
        assertThat(PackingEngine.fromAssignment(p, "hand", 2, new int[] {0, 1}, bound, 0).nodeCount()).isEqualTo(2);
        assertThatThrownBy(() -> PackingEngine.fromAssignment(p, "hand", 4, new int[] {0, 3}, bound, 0))
                .isInstanceOf(VerificationException.class);
        PackingProblem web = zoned(3, group("cache", 1000, 1, List.of(), List.of()),
                group("web", 1000, 1, List.of(), List.of(inZoneOf("cache"))));
        assertThatThrownBy(() -> PackingEngine.fromAssignment(web, "hand", 2, new int[] {0, 1}, io.nodesizer.bound.LowerBounds.compute(web), 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("zone 1 runs pods of web");
    }

    @Test
    void randomWorkloadsWithZoneRulesVerifyUnderEveryStrategy() {
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<PodGroup> groups = new ArrayList<>();
            int n = 2 + random.nextInt(7);
            for (int g = 0; g < n; g++) {
                List<Placement.PodAffinityTerm> anti = new ArrayList<>();
                List<Placement.PodAffinityTerm> aff = new ArrayList<>();
                switch (random.nextInt(8)) {
                    case 0 -> anti.add(inZoneOf("g" + random.nextInt(n)));
                    case 1 -> aff.add(inZoneOf("g" + random.nextInt(n)));
                    case 2 -> aff.add(selects("g" + random.nextInt(n)));
                    case 3 -> anti.add(selects("g" + g));
                    case 4 -> anti.add(onKey("g" + random.nextInt(n), random.nextBoolean() ? ARCH : RACK));
                    case 5 -> aff.add(onKey("g" + random.nextInt(n), random.nextInt(4) == 0 ? RACK : ARCH));
                    case 6 -> { // terms that mix keys: host + zone (the same or another target), zone + another key, host + another key
                        String t = "g" + random.nextInt(n);
                        switch (random.nextInt(3)) {
                            case 0 -> aff.addAll(List.of(selects(t), inZoneOf(random.nextBoolean() ? t : "g" + random.nextInt(n))));
                            case 1 -> aff.addAll(List.of(inZoneOf(t), onKey(t, random.nextInt(4) == 0 ? RACK : TYPE)));
                            default -> aff.addAll(List.of(selects(t), onKey(t, random.nextInt(4) == 0 ? RACK : ARCH)));
                        }
                    }
                    default -> { }
                }
                groups.add(group("g" + g, 100 + random.nextInt(3000), 1 + random.nextInt(10), anti, aff));
            }
            PackingProblem p = zoned(1 + random.nextInt(3), groups.toArray(PodGroup[]::new));
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r;
                try {
                    r = PackingEngine.pack(p, s.create(), seed); // verified: capacity, conflicts, every rule
                } catch (VerificationException e) {
                    throw new AssertionError("seed " + seed + " zones " + p.table().zones() + " " + groups.stream()
                            .map(x -> x.name() + "x" + x.replicas() + " cpu " + x.request().cpuMillis() + " anti " + x.placement().antiAffinity()
                                    .stream().map(t -> t.matchLabels() + "@" + t.topologyKey()).toList() + " aff " + x.placement().affinity()
                                    .stream().map(t -> t.matchLabels() + "@" + t.topologyKey()).toList()).toList(), e);
                }
                assertThat(PackingEngine.pack(p, s.create(), seed).assignment()).as("seed %d %s", seed, s.strategyName())
                        .isEqualTo(r.assignment());
            }
        }
    }

    @Test
    void aZoneSpreadAskingForMoreDomainsThanZonesHoldsMaxSkewPerZone() {
        for (int maxSkew : new int[] {1, 2}) {
            Placement.PodAffinityTerm self = inZoneOf("kafka");
            Placement placement = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "kafka"), List.of(), List.of(),
                    List.of(new Placement.Spread(maxSkew, true, self, 5, true, false)));
            PodGroup kafka = new PodGroup("kafka", "test", new Resources(1000, GIB, 1, 0, 0), 7, false, null,
                    new io.nodesizer.model.SourceRef("t", 1), List.of(), null, placement);
            PackingProblem p = zoned(3, group("web", 500, 4, List.of(), List.of()), kafka);
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(p, s.create(), 1); // the verifier counts the fewest as 0
                assertThat(r.unschedulablePodCount()).as("%s maxSkew %d", s.strategyName(), maxSkew).isEqualTo(7 - 3 * maxSkew);
                assertThat(r.unschedulable().get(0).reason()).contains("minDomains 5 above the 3 zones", "at most maxSkew (" + maxSkew + ")");
            }
        }
    }

    @Test
    void coLocationMayGoFirstWhenTheRestFillsTheRoomBesideIt() {
        // 8-CPU nodes. The rest first: workers two per node (3 nodes), then api (one per node) finds no
        // 2 CPU beside them and takes 4 nodes of its own: 7. Co-location first: api-0 with the caches,
        // api-1..3 alone, and the workers two beside each of those: 4, the anti-affinity bound.
        PackingProblem p = apiCachesWorkers(Fixtures.shape("eight", new Resources(8000, 64 * GIB, 110, 0, 0)));
        PackingResult r = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
        assertThat(r.unschedulablePodCount()).isZero();
        assertThat(r.nodeCount()).isEqualTo(4);
        for (PackingStrategies s : PackingStrategies.values()) {
            assertThat(PackingEngine.pack(p, s.create(), 1).nodeCount()).as(s.strategyName()).isLessThanOrEqualTo(5);
        }
    }

    /** api (2 CPU, one per node) × 4, caches (500m) beside api × 8, workers (3 CPU) × 6 on {@code shape}. */
    private static PackingProblem apiCachesWorkers(NodeShape shape) {
        return new PackingProblem(DemandTable.of(Workload.of(List.of(
                group("api", 2000, 4, List.of(selects("api")), List.of()),
                group("cache", 500, 8, List.of(), List.of(selects("api"))),
                group("worker", 3000, 6, List.of(), List.of())))), shape, Resources.ZERO);
    }

    @Test
    void dependentsTakeTheirShareBesideEachTargetPodLeavingRoomForTheRest() {
        // 7.91-CPU nodes (m5.2xlarge's allocatable): a worker fits beside api and 2 caches (6 CPU)
        // but two do not. The caches all beside the first api pod (6 CPU there) left no room for a
        // worker on it: 6 nodes. Their share, 2 per api pod: four nodes of api, 2 caches and a
        // worker, one of 2 workers: 5 (4 is below what any packing can do: 4 api nodes hold one worker each).
        PackingProblem p = apiCachesWorkers(Fixtures.shape("m5", new Resources(7910, 31 * GIB, 110, 0, 0)));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
            assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(5);
        }
        PackingResult r = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
        int[] cachesOn = new int[r.nodeCount()];
        DemandTable t = p.table();
        for (int i = t.firstPod(1); i < t.firstPod(1) + t.replicas(1); i++) {
            cachesOn[r.assignment()[i]]++;
        }
        assertThat(java.util.Arrays.stream(cachesOn).filter(c -> c > 0).toArray()).containsOnly(2);
    }

    @Test
    void podsPinnedToANamedZoneGoThereAndNowhereElse() {
        List<String> names = List.of("us-east-1a", "us-east-1b", "us-east-1c");
        Placement pinned = new Placement(Map.of("topology.kubernetes.io/zone", "us-east-1b"), null, List.of(), "shop", Map.of("app", "db"),
                List.of(), List.of());
        Placement elsewhere = new Placement(Map.of(), List.of(new Placement.Term(List.of(new Placement.Requirement(
                "topology.kubernetes.io/zone", Placement.Operator.IN, List.of("eu-west-1a"))), List.of())), List.of(), "shop",
                Map.of("app", "eu"), List.of(), List.of());
        List<PodGroup> groups = List.of(
                group("web", 1000, 9, List.of(), List.of()),
                new PodGroup("db", "test", new Resources(1500, GIB, 1, 0, 0), 5, false, null, new io.nodesizer.model.SourceRef("t", 1),
                        List.of(), null, pinned),
                new PodGroup("eu", "test", new Resources(500, GIB, 1, 0, 0), 2, false, null, new io.nodesizer.model.SourceRef("t", 1),
                        List.of(), null, elsewhere));
        PackingProblem p = new PackingProblem(DemandTable.of(Workload.of(groups), names), SHAPE, Resources.ZERO);
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1); // the verifier checks each pinned pod's zone
            assertThat(zonesOf(r, 1)).as(s.strategyName()).containsExactly(1);
            assertThat(r.unschedulablePodCount()).isEqualTo(2);
            assertThat(r.unschedulable().get(0).reason()).contains("admits none of the zones (us-east-1a, us-east-1b, us-east-1c)",
                    "eu-west-1a");
        }
        // Zones counted, not named: a zone requirement is taken as met, as before.
        PackingResult counted = PackingEngine.pack(zoned(3, groups.toArray(PodGroup[]::new)), PackingStrategies.FFD.create(), 1);
        assertThat(counted.unschedulablePodCount()).isZero();
    }

    @Test
    void aTargetThatADependentShutsOutOfEveryZoneIsLeftOutNotLoopedOn() {
        // a goes beside x and repels t on the zone; with one zone t (and b beside it) can go nowhere.
        // This looped forever once (a review found it); the bound must then not count t either.
        NodeShape eight = Fixtures.shape("eight", new Resources(8000, 32 * GIB, 110, 0, 0));
        for (int zones : new int[] {1, 3}) {
            PackingProblem p = new PackingProblem(DemandTable.of(Workload.of(List.of(
                    group("x", 1000, 4, List.of(), List.of()),
                    group("a", 1000, 2, List.of(inZoneOf("t")), List.of(selects("x"))),
                    group("t", 500, 2, List.of(), List.of()),
                    group("b", 500, 2, List.of(), List.of(selects("t")))
            )), zones), eight, Resources.ZERO);
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(p, s.create(), 1); // verified, nodes >= bound
                if (zones == 1) {
                    assertThat(r.unschedulablePodCount()).as(s.strategyName()).isEqualTo(4);
                    assertThat(r.unschedulable()).anyMatch(u -> u.group() == 2 && u.reason().contains("anti-affinity on the zone"));
                } else {
                    assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
                }
            }
        }
    }

    @Test
    void aDaemonSetsPodsAreOnEveryNodeForAffinityAndAntiAffinity() {
        Placement agent = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "agent"), List.of(), List.of());
        io.nodesizer.model.DaemonSetSpec ds = new io.nodesizer.model.DaemonSetSpec("agent", new Resources(100, GIB / 4, 1, 0, 0), Map.of(),
                new io.nodesizer.model.SourceRef("t", 1), null, agent);
        Workload w = new Workload(List.of(
                group("beside", 1000, 4, List.of(), List.of(selects("agent"))),
                group("away", 1000, 3, List.of(inZoneOf("agent")), List.of())), List.of(ds), List.of(), List.of("t"));
        for (int zones : new int[] {1, 3}) {
            PackingProblem p = new PackingProblem(DemandTable.of(w, zones), SHAPE, ds.request());
            PackingResult r = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
            assertThat(r.unschedulablePodCount()).isEqualTo(3); // beside: all placed (the agent runs on every node); away: none
            assertThat(r.unschedulable().get(0).group()).isEqualTo(1);
            assertThat(r.unschedulable().get(0).reason()).contains("a DaemonSet's, which runs on every node").doesNotContain("--zones N");
        }
        Workload hostname = new Workload(List.of(group("apart", 1000, 2, List.of(selects("agent")), List.of()),
                group("free", 1000, 2, List.of(), List.of())), List.of(ds), List.of(), List.of("t"));
        PackingResult r = PackingEngine.pack(new PackingProblem(DemandTable.of(hostname), SHAPE, ds.request()),
                PackingStrategies.FFD.create(), 1);
        assertThat(r.unschedulablePodCount()).isEqualTo(2);
        assertThat(r.unschedulable().get(0).reason()).contains("anti-affinity on the hostname: every node runs a pod it repels");
    }

    private static final String ARCH = "kubernetes.io/arch";
    /** A label the test shape does not carry. */
    private static final String RACK = "example.com/rack";

    private static Placement.PodAffinityTerm onKey(String app, String key) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, key);
    }

    @Test
    void antiAffinityOnAKeyEveryNodeCarriesRunsOnePodInTheWholeCluster() {
        // Every node of one shape has the same kubernetes.io/arch: one domain. Five replicas that
        // repel each other on it: one runs, four are unschedulable, whatever the strategy; on a
        // label the shape does not carry the term binds nothing and all five run.
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(problem(group("leader", 1000, 5, List.of(onKey("leader", ARCH)), List.of())), s.create(), 1);
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isEqualTo(4);
            assertThat(r.unschedulable().get(0).reason()).contains("topology key kubernetes.io/arch", "the whole cluster is one domain",
                    "(leader)");
            PackingResult free = PackingEngine.pack(problem(group("leader", 1000, 5, List.of(onKey("leader", RACK)), List.of())), s.create(), 1);
            assertThat(free.unschedulablePodCount()).isZero();
            assertThat(free.nodeCount()).isEqualTo(2);
        }
        // Across workloads: batch (placed by the strategy) runs, so the whole of solo is left out.
        PackingResult r = PackingEngine.pack(problem(group("batch", 1000, 3, List.of(), List.of()),
                group("solo", 1000, 2, List.of(onKey("batch", "node.kubernetes.io/instance-type")), List.of())), PackingStrategies.FFD.create(), 1);
        assertThat(r.unschedulablePodCount()).isEqualTo(2);
        assertThat(r.unschedulable().get(0).group()).isEqualTo(1);
    }

    @Test
    void affinityOnAKeyEveryNodeCarriesNeedsATargetAnywhereAndAKeyNoNodeCarriesAdmitsNone() {
        for (PackingStrategies s : PackingStrategies.values()) {
            // A db runs somewhere: every app pod may go anywhere (the cluster is one domain).
            PackingResult r = PackingEngine.pack(problem(group("db", 3000, 1, List.of(), List.of()),
                    group("app", 1000, 6, List.of(), List.of(onKey("db", ARCH)))), s.create(), 1);
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
            assertThat(r.nodeCount()).isEqualTo(3); // 9 CPU on 4-CPU nodes, not one node beside the db
            // No db: nothing matches the terms and app does not match them itself.
            PackingResult none = PackingEngine.pack(problem(group("app", 1000, 2, List.of(), List.of(onKey("db", ARCH)))), s.create(), 1);
            assertThat(none.unschedulablePodCount()).isEqualTo(2);
            assertThat(none.unschedulable().get(0).reason()).contains("no pod of the workload matches its terms");
            // A key no node carries: kube-scheduler admits no node, the db notwithstanding.
            PackingResult rack = PackingEngine.pack(problem(group("db", 3000, 1, List.of(), List.of()),
                    group("app", 1000, 2, List.of(), List.of(onKey("db", RACK)))), s.create(), 1);
            assertThat(rack.unschedulablePodCount()).isEqualTo(2);
            assertThat(rack.unschedulable().get(0).reason()).contains("no node of four carries that label", RACK);
        }
    }

    @Test
    void theVerifierCatchesAClusterKeyRuleBroken() {
        PackingProblem p = problem(group("leader", 1000, 2, List.of(onKey("leader", ARCH)), List.of()));
        assertThatThrownBy(() -> PackingEngine.fromAssignment(p, "hand", 1, new int[] {0, 0}, io.nodesizer.bound.LowerBounds.compute(p), 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("runs pods of leader and leader");
        PackingProblem rack = problem(group("db", 1000, 1, List.of(), List.of()), group("app", 1000, 1, List.of(), List.of(onKey("db", RACK))));
        assertThatThrownBy(() -> PackingEngine.fromAssignment(rack, "hand", 1, new int[] {0, 0}, io.nodesizer.bound.LowerBounds.compute(rack), 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("admits no node");
    }

    @Test
    void aHardSpreadOnAKeyNoNodeCarriesAdmitsNoNodeAndOnACarriedKeyBindsNothing() {
        for (String key : new String[] {RACK, ARCH}) {
            Placement placement = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"), List.of(), List.of(),
                    List.of(new Placement.Spread(1, true, onKey("web", key))));
            PodGroup web = new PodGroup("web", "test", new Resources(1000, GIB, 1, 0, 0), 6, false, null, new io.nodesizer.model.SourceRef("t", 1),
                    List.of(), null, placement);
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(problem(web), s.create(), 1);
                if (key.equals(RACK)) {
                    assertThat(r.unschedulablePodCount()).as(s.strategyName()).isEqualTo(6);
                    assertThat(r.unschedulable().get(0).reason()).contains("PodTopologySpread filter rejects a node without it", RACK);
                } else {
                    assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero(); // one domain: no skew
                    assertThat(r.nodeCount()).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void aDaemonSetsOwnAntiAffinityKeepsTheWorkloadsItSelectsOffEveryNode() {
        // The agent's pods repel web on the hostname, on the zone, or on the architecture: every
        // node runs an agent, so web runs nowhere; free is untouched.
        for (String key : new String[] {io.nodesizer.kube.PodConflicts.HOSTNAME, io.nodesizer.kube.PodConflicts.ZONE, ARCH}) {
            Placement agent = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "agent"), List.of(onKey("web", key)), List.of());
            io.nodesizer.model.DaemonSetSpec ds = new io.nodesizer.model.DaemonSetSpec("agent", new Resources(100, GIB / 4, 1, 0, 0), Map.of(),
                    new io.nodesizer.model.SourceRef("t", 1), null, agent);
            Workload w = new Workload(List.of(group("web", 1000, 3, List.of(), List.of()), group("free", 1000, 2, List.of(), List.of())),
                    List.of(ds), List.of(), List.of("t"));
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(new PackingProblem(DemandTable.of(w, 3), SHAPE, ds.request()), s.create(), 1);
                assertThat(r.unschedulablePodCount()).as(key + " " + s.strategyName()).isEqualTo(3);
                assertThat(r.unschedulable().get(0).group()).isZero();
                assertThat(r.unschedulable().get(0).reason()).as(key).contains("DaemonSet's");
            }
        }
    }

    @Test
    void antiAffinityOnAKeyTheShapeDoesNotCarryLeavesThePackingAsWithoutIt() {
        // The term binds nothing, so the group is not held back for the rules: 3 nodes, as without it.
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult with = PackingEngine.pack(problem(group("big", 3000, 3, List.of(onKey("big", RACK)), List.of()),
                    group("small", 1000, 3, List.of(), List.of())), s.create(), 1);
            PackingResult without = PackingEngine.pack(problem(group("big", 3000, 3, List.of(), List.of()),
                    group("small", 1000, 3, List.of(), List.of())), s.create(), 1);
            assertThat(with.assignment()).as(s.strategyName()).isEqualTo(without.assignment());
        }
    }

    // Required pod affinity whose terms mix topology keys. kube-scheduler counts only pods that
    // match ALL of the terms, toward each term's domain of their node (filtering.go,
    // updateWithAffinityTerms); in one packing that is affinity on the finest key.

    private static final String TYPE = "node.kubernetes.io/instance-type";

    /** The nodes that run pods of group g but none of group h. */
    private static List<Integer> nodesWithout(PackingResult r, int g, int h) {
        List<Integer> with = nodesOf(r, h);
        return nodesOf(r, g).stream().filter(n -> !with.contains(n)).toList();
    }

    @Test
    void mixedKeyAffinityThatNoPodMatchesWhollyKeepsThePodsPending() {
        // The issue's repro: cache needs a pod matching app=etcd (zone term) AND app=web (hostname
        // term). No pod carries both labels, and cache is not one, so kube-scheduler keeps every
        // cache pod Pending; packing it as if the rule were absent put it on a node without web.
        PackingProblem p = zoned(3,
                group("etcd", 500, 4, List.of(selects("etcd"), inZoneOf("etcd")), List.of()),
                group("web", 1000, 6, List.of(), List.of()),
                group("cache", 500, 6, List.of(), List.of(inZoneOf("etcd"), selects("web"))));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            PackingProblem.Unschedulable u = r.unschedulable().stream().filter(x -> x.group() == 2).findFirst().orElseThrow();
            assertThat(u.byRule()).as(s.strategyName()).isTrue();
            assertThat(u.firstReplica()).isZero(); // all six
            assertThat(u.reason()).contains("required pod affinity (co-location) with terms on " + io.nodesizer.kube.PodConflicts.ZONE
                    + ", " + io.nodesizer.kube.PodConflicts.HOSTNAME, "no pod of the workload matches all of its terms",
                    "does not match them itself", "Pending");
            assertThat(nodesOf(r, 2)).isEmpty();
        }
    }

    @Test
    void mixedKeyAffinityOnTheHostnameAndTheZonePutsEveryPodBesideATarget() {
        // cache: {app=web on the hostname, app=web on the zone}. The hostname term decides (a web pod
        // beside it is in its zone too). batch leaves 1 CPU on each of its nodes, where cache would
        // go without the rule; with it, web goes where its three caches have room, so all are placed.
        PackingProblem p = zoned(3,
                group("batch", 3000, 2, List.of(), List.of()),
                group("web", 1000, 1, List.of(), List.of()),
                group("cache", 1000, 3, List.of(), List.of(selects("web"), inZoneOf("web"))));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1); // verified: the verifier checks the hostname rule
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
            assertThat(nodesWithout(r, 2, 1)).as(s.strategyName()).isEmpty();
        }
    }

    @Test
    void mixedKeyAffinityThatSelectsItselfStartsASeriesAndTheRestJoinsIt() {
        // solo's terms {app=solo on the hostname, app=solo on the zone} select its own pods: the first
        // may go anywhere, the others only beside it. Four 1-CPU pods fill the 4-CPU node; two are left.
        PackingProblem p = zoned(3, group("solo", 1000, 6, List.of(), List.of(selects("solo"), inZoneOf("solo"))));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(1);
            assertThat(r.unschedulablePodCount()).isEqualTo(2);
            assertThat(r.unschedulable().get(0).reason()).contains("with terms on", "is full for it");
        }
    }

    @Test
    void mixedKeyAffinityOnTheZoneAndTheInstanceTypeKeepsThePodsInTheTargetsZone() {
        // app: {app=db on the zone, app=db on the instance type}. Every node of the shape has the same
        // instance type (one domain), so the zone term decides: all ten app pods in db's zone,
        // where new nodes open for them (without the rule they spread over the three zones).
        PackingProblem p = zoned(3,
                group("db", 1000, 1, List.of(), List.of()),
                group("app", 1000, 10, List.of(), List.of(inZoneOf("db"), onKey("db", TYPE))));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 1);
            assertThat(r.unschedulablePodCount()).as(s.strategyName()).isZero();
            assertThat(zonesOf(r, 1)).as(s.strategyName()).isEqualTo(zonesOf(r, 0));
        }
        // No db: no pod matches both terms and app does not match them itself.
        PackingResult none = PackingEngine.pack(zoned(3, group("app", 1000, 2, List.of(), List.of(inZoneOf("db"), onKey("db", TYPE)))),
                PackingStrategies.FFD.create(), 1);
        assertThat(none.unschedulablePodCount()).isEqualTo(2);
        assertThat(none.unschedulable().get(0).reason()).contains("required pod affinity on the zone with terms on",
                "no pod of the workload matches all of its terms");
    }

    @Test
    void mixedKeyAffinityWithAKeyTheShapeDoesNotCarryAdmitsNoNode() {
        // kube-scheduler refuses a node without one of the terms' keys, a web pod beside it or not.
        for (List<Placement.PodAffinityTerm> terms : List.of(List.of(selects("web"), onKey("web", RACK)),
                List.of(inZoneOf("web"), onKey("web", RACK)))) {
            PackingProblem p = zoned(3, group("web", 1000, 2, List.of(), List.of()), group("cache", 500, 3, List.of(), terms));
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(p, s.create(), 1);
                assertThat(r.unschedulablePodCount()).as(s.strategyName()).isEqualTo(3);
                assertThat(r.unschedulable().get(0).group()).isEqualTo(1);
                assertThat(r.unschedulable().get(0).reason()).contains("no node of four carries that label", RACK);
                assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(1); // web alone: no room kept for cache
            }
        }
    }

    @Test
    void theVerifierCatchesAMixedKeyAffinityBroken() {
        // cache on node 1, its only web pod on node 0: the zone term alone might pass, the hostname term does not.
        PackingProblem p = problem(group("web", 1000, 1, List.of(), List.of()),
                group("cache", 1000, 1, List.of(), List.of(inZoneOf("web"), selects("web"))));
        assertThatThrownBy(() -> PackingEngine.fromAssignment(p, "hand", 2, new int[] {0, 1}, io.nodesizer.bound.LowerBounds.compute(p), 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("runs pods of cache without a pod its required pod affinity selects");
        PackingProblem rack = problem(group("web", 1000, 1, List.of(), List.of()),
                group("cache", 1000, 1, List.of(), List.of(selects("web"), onKey("web", RACK))));
        assertThatThrownBy(() -> PackingEngine.fromAssignment(rack, "hand", 1, new int[] {0, 0}, io.nodesizer.bound.LowerBounds.compute(rack), 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("admits no node");
    }

    @Test
    void aLabelledNamespaceSelectorOfPodAffinityIsNoted() {
        // A term not resolved against Namespace objects is taken as every namespace: the notes say so
        // for affinity as they do for anti-affinity (README: "reported in the notes").
        Placement.PodAffinityTerm labelled = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, true,
                io.nodesizer.kube.PodConflicts.HOSTNAME);
        Placement.PodAffinityTerm zone = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, true,
                io.nodesizer.kube.PodConflicts.ZONE);
        List<PodGroup> gs = List.of(group("web", 1000, 1, List.of(), List.of()), group("x", 250, 2, List.of(), List.of(labelled, zone)));
        assertThat(io.nodesizer.kube.PodConflicts.notes(gs, 3)).anySatisfy(n -> assertThat(n)
                .contains("pod affinity namespaceSelector with labels").contains("taken as every namespace"));
    }

    @Test
    void theVerifierCatchesTwoSeriesOfGroupsThatSelectEachOther() {
        // a and b both want a pod of a or b on their node and in their zone. The first of them all
        // may go anywhere; every later one needs such a pod beside it, so a on node 0 and b on
        // node 1 is no order kube-scheduler could have placed them in.
        Placement.PodAffinityTerm host = new Placement.PodAffinityTerm(Map.of(), List.of(new Placement.Requirement("app",
                Placement.Operator.IN, List.of("a", "b"))), List.of(), false, false, io.nodesizer.kube.PodConflicts.HOSTNAME);
        Placement.PodAffinityTerm zone = new Placement.PodAffinityTerm(Map.of(), List.of(new Placement.Requirement("app",
                Placement.Operator.IN, List.of("a", "b"))), List.of(), false, false, io.nodesizer.kube.PodConflicts.ZONE);
        PackingProblem p = problem(group("a", 1000, 2, List.of(), List.of(host, zone)), group("b", 1000, 2, List.of(), List.of(host, zone)));
        io.nodesizer.bound.LowerBound bound = io.nodesizer.bound.LowerBounds.compute(p);
        assertThat(PackingEngine.fromAssignment(p, "hand", 1, new int[] {0, 0, 0, 0}, bound, 0).nodeCount()).isEqualTo(1);
        assertThatThrownBy(() -> PackingEngine.fromAssignment(p, "hand", 2, new int[] {0, 0, 1, 1}, bound, 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("each start a series");
        // One way round (b selects a and b, a only itself): b starts first, then a starts its own
        // series (no a pod runs yet), so a on node 0 and b on node 1 is a valid order.
        Placement.PodAffinityTerm onlyA = new Placement.PodAffinityTerm(Map.of("app", "a"), List.of(), List.of(), false, false,
                io.nodesizer.kube.PodConflicts.HOSTNAME);
        PackingProblem oneWay = problem(group("a", 1000, 2, List.of(), List.of(onlyA)), group("b", 1000, 2, List.of(), List.of(host)));
        assertThat(PackingEngine.fromAssignment(oneWay, "hand", 2, new int[] {0, 0, 1, 1}, io.nodesizer.bound.LowerBounds.compute(oneWay), 0)
                .nodeCount()).isEqualTo(2);
    }
}
