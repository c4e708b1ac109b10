package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.pattern.MixedPools;
import io.nodesizer.pattern.PatternPacking;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * Mixed pools sized for {@code --survive} and a control plane ({@link MixSizing}): every check here
 * loses each node (or zone) of the sized mix and looks for where its pods go, on the mix's own
 * nodes, apart from how the spares were chosen.
 */
class MixSizingTest {
    private static final List<PackingStrategies> STRATEGIES = List.of(PackingStrategies.FFD, PackingStrategies.BFD);

    /** The bare mix planned, the single shapes sized by the rules, the mix sized and compared with them. */
    private record Run(MixPlanner.Mix mix, List<ShapeEvaluation> ranked, DemandTable zoned, Function<ShapeEvaluation, PackingResult> packingOf) {
    }

    private static Run run(Workload w, List<NodeShape> shapes, HaSizing.Rules rules, int maxPools) {
        DemandTable zoned = DemandTable.of(w, rules.zones());
        HaSizing.Rules tied = rules.withZoneTied(zoned.tiesPodsToZones());
        ShapeEvaluator evaluator = new ShapeEvaluator(zoned, List.of(), STRATEGIES, 1);
        List<ShapeEvaluation> bare = shapes.stream().map(sh -> evaluator.evaluate(sh).evaluation()).sorted(ShapeSweep.RANKING).toList();
        Function<ShapeEvaluation, PackingResult> packingOf = e -> evaluator.evaluate(e.shape()).best();
        MixPlanner.Mix planned = MixPlanner.plan(w, bare, new MixedPools.Settings(maxPools, rules.minNodes(), 8,
                PatternPacking.Limits.defaults()), packingOf, zoned, STRATEGIES, 1);
        Function<ShapeEvaluation, ZoneSurvival.Need> needs = null;
        if (tied.zoneTied() && tied.survive() != HaSizing.Survive.NONE) {
            ZoneSurvival survival = tied.survive() == HaSizing.Survive.NODE ? ZoneSurvival.ofNode(zoned)
                    : new ZoneSurvival(w, zoned, STRATEGIES, 1, ShapeEvaluator.OptimizeMode.OFF, ShapeOptimizer.Settings.defaults());
            var byName = survival.needs(bare, NodeShape::name, packingOf, 1, ProgressListener.NONE);
            needs = e -> byName.get(e.shape().name());
        }
        List<ShapeEvaluation> ranked = HaSizing.apply(bare, tied, needs);
        return new Run(MixSizing.size(planned, tied, ranked, packingOf, zoned, STRATEGIES, 1), ranked, zoned, packingOf);
    }

    private static ShapeEvaluation bestSingle(List<ShapeEvaluation> ranked) {
        return ranked.stream().filter(ShapeEvaluation::complete).findFirst().orElse(null);
    }

    /**
     * A 12-CPU workload on big nodes with two 1.5-CPU pods beside each, the other two on small nodes:
     * the mix (big × 2 + small × 2) beats big alone (3 nodes); to survive a node, one spare big node
     * takes the pods of any node of either pool, so the mix adds one big node, not one per pool.
     */
    @Test
    void oneSpareOfTheLargerPoolCoversTheOtherPoolsNodes() {
        NodeShape big = Fixtures.priced("big", 16000, 64 * GIB, 0, 1.0);
        NodeShape small = Fixtures.priced("small", 2000, 4 * GIB, 0, 0.09);
        Workload w = Workload.of(List.of(Fixtures.group("a", 12000, GIB, 2), Fixtures.group("b", 1500, GIB, 6)));
        Run r = run(w, List.of(big, small), new HaSizing.Rules(1, HaSizing.Survive.NODE, 1, null), 2);
        assertThat(r.mix().pools()).extracting(p -> p.shape().name() + " " + p.nodes() + "/" + p.headroomNodes())
                .containsExactlyInAnyOrder("big 3/1", "small 2/0");
        assertThat(r.mix().costPerHour()).isCloseTo(3 * 1.0 + 2 * 0.09, offset(1e-9));
        assertThat(r.mix().bestSingle().nodes()).isEqualTo(4); // big: 3 packed + 1
        assertThat(r.mix().savingPercent()).isCloseTo(100 * (4.0 - 3.18) / 4.0, offset(1e-9));
        assertThat(r.mix().sizing().headroomCostPerHour()).isCloseTo(1.0, offset(1e-9));
        assertThat(r.mix().gapPercent()).as("the packing's gap, without the spare").isCloseTo(
                100 * (r.mix().packedCostPerHour() - r.mix().lowerBoundCostPerHour()) / r.mix().lowerBoundCostPerHour(), offset(1e-9));
        assertSurvives(r);
    }

    /**
     * CPU pods that fit only c, memory pods that fit only r: no pool's spare takes the other's pods,
     * so each pool gets one; a mix of two pools then costs more than one l shape sized the same way,
     * and the answer is that shape.
     */
    @Test
    void aMixWhosePoolsEachNeedASpareLosesToTheSizedSingleShape() {
        NodeShape c = Fixtures.priced("c", 8000, 16 * GIB, 0, 0.40);
        NodeShape r = Fixtures.priced("r", 4000, 32 * GIB, 0, 0.40);
        NodeShape l = Fixtures.priced("l", 8000, 32 * GIB, 0, 0.50);
        Workload w = Workload.of(List.of(Fixtures.group("cpu", 6000, GIB, 1), Fixtures.group("mem", 3000, 28 * GIB, 1)));
        Run bare = run(w, List.of(c, r, l), new HaSizing.Rules(1, HaSizing.Survive.NONE, 1, new HaSizing.ControlPlane(null, 0, 0.1)), 2);
        assertThat(bare.mix().pools()).hasSize(2); // c + r at 0.80 beat l × 2 at 1.00
        assertThat(bare.mix().costPerHour()).isCloseTo(0.90, offset(1e-9)); // the control plane fee included
        Run sized = run(w, List.of(c, r, l), new HaSizing.Rules(1, HaSizing.Survive.NODE, 1, null), 2);
        assertThat(sized.mix().pools()).extracting(p -> p.shape().name() + " " + p.nodes() + "/" + p.headroomNodes())
                .containsExactly("l 3/1"); // c + r + a spare of each: 1.60; l × 3: 1.50
        assertThat(sized.mix().bestSingle().shape().name()).isEqualTo("l");
        assertThat(sized.mix().savingPercent()).isZero();
        assertThat(Verdicts.mixedPools(sized.mix()).winner()).isEqualTo("one shape");
        assertSurvives(sized);
    }

    /**
     * A lost node's GPU pods need a spare whose GPUs their device plugin serves: NVIDIA pods on
     * 4-CPU nvidia nodes, an AMD pod on an 8-CPU amd node. The amd shape is at least as large on
     * every resource, so by room alone one amd spare covered every node (0.60/h of headroom), and a
     * lost nvidia node's pod would have stayed Pending on it; each pool needs its own spare (1.10/h).
     */
    @Test
    void aGpuPodsSpareIsOfItsVendor() {
        NodeShape nv = gpuShape("nv", 4000, 16 * GIB, "nvidia", 0.50);
        NodeShape amd = gpuShape("amd", 8000, 32 * GIB, "amd", 0.60);
        Workload w = Workload.of(List.of(Fixtures.gpuGroup("train", 1, "nvidia", 2), Fixtures.gpuGroup("render", 1, "amd", 1)));
        Run r = run(w, List.of(nv, amd), new HaSizing.Rules(1, HaSizing.Survive.NODE, 1, null), 2);
        assertThat(r.mix().pools()).extracting(p -> p.shape().name() + " " + p.nodes() + "/" + p.headroomNodes())
                .containsExactlyInAnyOrder("nv 3/1", "amd 2/1");
        assertThat(r.mix().sizing().headroomCostPerHour()).isCloseTo(1.10, offset(1e-9));
        assertSurvives(r);
    }

    private static NodeShape gpuShape(String name, long cpuMillis, long memoryBytes, String vendor, double price) {
        Resources r = new Resources(cpuMillis, memoryBytes, 110, 1000, 0);
        return new NodeShape(name, "test", "test", "amd64", r, r, "none", price, "", Map.of(), List.of(), vendor);
    }

    /** Pods spread over three zones stay in their zone when their node is lost: a spare in each zone that runs them. */
    @Test
    void zoneTiedNodesGetASpareInTheirOwnZone() {
        NodeShape c = Fixtures.priced("c", 8000, 16 * GIB, 0, 0.2);
        NodeShape r = Fixtures.priced("r", 4000, 32 * GIB, 0, 0.25);
        Placement.PodAffinityTerm zoneCache = term("cache", PodConflicts.ZONE);
        Workload w = Workload.of(List.of(Fixtures.group("cpu", 5000, GIB, 3),
                group("cache", 1000, 28 * GIB, 3, new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "cache"), List.of(),
                        List.of(), List.of(new Placement.Spread(1, true, zoneCache))))));
        Run run = run(w, List.of(c, r), new HaSizing.Rules(1, HaSizing.Survive.NODE, 3, null), 2);
        assertThat(run.mix().pools()).extracting(p -> p.shape().name() + " " + p.nodes() + "/" + p.headroomNodes())
                .containsExactlyInAnyOrder("c 4/1", "r 6/3");
        assertSurvives(run);
    }

    /**
     * QA repro ha1.yaml over m5.2xlarge-like (8 CPU) and m5.4xlarge-like (16 CPU) nodes, up to two
     * pools: 6 web (1 CPU, one per node) and 6 api (2 CPU, spread over 3 zones) pack on 6 8-CPU
     * nodes, 2 per zone, each with a web and an api. The single shape needs 7 (a lost node's api
     * fits beside its zone's other node, 3 + 2 ≤ 8; its web goes to the one spare:
     * ZoneSurvival#fewerSpares), and the mix, which is that shape's packing, failed its survival
     * check ("no empty node in its zone") before it asked the same of the zones without a spare.
     */
    @Test
    void theSingleShapesZonesWithoutASpareSurviveEveryLossInTheMix() {
        NodeShape m2x = Fixtures.priced("m2x", 8000, 32 * GIB, 0, 0.384);
        NodeShape m4x = Fixtures.priced("m4x", 16000, 64 * GIB, 0, 0.768);
        Run run = run(ha1(), List.of(m2x, m4x), new HaSizing.Rules(2, HaSizing.Survive.NODE, 3, null), 2);
        assertThat(run.mix().pools()).extracting(p -> p.shape().name() + " " + p.nodes() + "/" + p.headroomNodes())
                .containsExactly("m2x 7/1");
        assertSurvives(run);
    }

    /**
     * ha1.yaml's web and api, api also with zone affinity to web (which ties it to its zone and
     * puts web in the zone-tied part, on nodes of its own), beside two memory pods (0.5 CPU, 31 GiB)
     * that fit only an r node of their own (1 CPU, 32 GiB, $0.20/h): the mix is the part on 8-CPU
     * m2x nodes ($0.384/h) plus r × 2. First fit puts two api and a web on one node per zone, a
     * web alone on the other: a lost node's api fit beside its zone's other web (1 + 4 ≤ 8 CPU),
     * its web goes to the one spare (the zone's count of web then one lower, which no rule of web
     * minds). One spare, not one per zone: m2x 7 + r 2 at $3.088/h. Before, the mix kept a spare
     * per zone (m2x 9 + r 2, $3.856/h) and lost to the single m2x shape × 9 ($3.456/h), whose
     * zones without a spare its own survival check then refused (an internal error).
     */
    @Test
    void aMixsZoneTiedNodesGoWithoutASpareWhereTheirZonesOtherNodesTakeTheLostPods() {
        NodeShape m2x = Fixtures.priced("m2x", 8000, 32 * GIB, 0, 0.384);
        NodeShape r = Fixtures.priced("r", 1000, 32 * GIB, 0, 0.2);
        Placement.PodAffinityTerm toWeb = term("web", PodConflicts.ZONE);
        List<PodGroup> groups = new ArrayList<>();
        for (PodGroup g : ha1().groups()) {
            Placement p = g.placement();
            groups.add(g.name().equals("api") ? group("api", 2000, 4 * GIB, 6, new Placement(Map.of(), null, List.of(), "shop",
                    Map.of("app", "api"), List.of(), List.of(toWeb), p.spread())) : g);
        }
        groups.add(group("mem", 500, 31 * GIB, 2, new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "mem"), List.of(), List.of(),
                List.of())));
        Run run = run(Workload.of(groups), List.of(m2x, r), new HaSizing.Rules(1, HaSizing.Survive.NODE, 3, null), 2);
        assertThat(run.mix().tied()).as("web and api on nodes of their own").isNotEmpty();
        assertThat(run.mix().pools()).extracting(p -> p.shape().name() + " " + p.nodes() + "/" + p.headroomNodes())
                .containsExactlyInAnyOrder("m2x 7/1", "r 2/0");
        assertThat(run.mix().costPerHour()).isCloseTo(7 * 0.384 + 2 * 0.2, offset(1e-9));
        // The spare in zone 0: the api nodes of zones 1 and 2 have none in theirs (the web-only nodes' pods may go anywhere).
        assertThat(lossesWithoutZoneSpare(run)).as("api nodes with no spare in their zone, each loss checked").isEqualTo(2);
        assertSurvives(run);
    }

    /**
     * Two zone-tied parts no rule links (web 7 CPU, db 30 GiB, each spread over three zones), each on
     * its own candidate (c for web, r for db): surviving a node or a zone, each part is sized alone and
     * every loss is survived on the sized mix's own nodes; the sized mix beats c alone (9 nodes before
     * its spares).
     */
    @Test
    void eachZoneTiedPartOnItsOwnCandidateIsSizedAlone() {
        NodeShape c = Fixtures.priced("c", 16000, 32 * GIB, 0, 0.68);
        NodeShape r = Fixtures.priced("r", 6000, 64 * GIB, 0, 0.504);
        Workload w = Workload.of(List.of(zoneSpread("web", 7000, 3 * GIB, 6), zoneSpread("db", 1000, 30 * GIB, 6)));
        for (HaSizing.Survive survive : List.of(HaSizing.Survive.NODE, HaSizing.Survive.ZONE)) {
            Run run = run(w, List.of(c, r), new HaSizing.Rules(1, survive, 3, null), 2);
            // A spare per zone for each part (node); a zone's loss leaves 3 web and 3 db per zone left: 2 c and 2 r each (zone).
            assertThat(run.mix().tied()).as("%s: web and db each on nodes of their own", survive).hasSize(2);
            assertThat(run.mix().pools()).extracting(p -> p.shape().name() + " " + p.nodes() + "/" + p.headroomNodes())
                    .containsExactlyInAnyOrder("c 6/3", "r 6/3");
            assertThat(run.mix().costPerHour()).isCloseTo(6 * 0.68 + 6 * 0.504, offset(1e-9));
            assertThat(run.mix().bestSingle().costPerHour()).as("c alone: a web pair or one db per node, 9 nodes and spares")
                    .isGreaterThan(run.mix().costPerHour());
            assertSurvives(run);
        }
    }

    /** {@code replicas} pods of {@code app} spread over the zones with maxSkew 1. */
    private static PodGroup zoneSpread(String app, long cpu, long mem, int replicas) {
        return group(app, cpu, mem, replicas, new Placement(Map.of(), null, List.of(), "shop", Map.of("app", app), List.of(), List.of(),
                List.of(new Placement.Spread(1, true, term(app, PodConflicts.ZONE)))));
    }

    /** QA repro ha1.yaml: web × 6 (1 CPU, 2 GiB, anti-affinity on the hostname), api × 6 (2 CPU, 4 GiB, a zone spread with maxSkew 1). */
    private static Workload ha1() {
        Placement.PodAffinityTerm host = term("web", PodConflicts.HOSTNAME);
        Placement.PodAffinityTerm zone = term("api", PodConflicts.ZONE);
        return Workload.of(List.of(
                group("web", 1000, 2 * GIB, 6, new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"), List.of(host), List.of(),
                        List.of())),
                group("api", 2000, 4 * GIB, 6, new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "api"), List.of(), List.of(),
                        List.of(new Placement.Spread(1, true, zone))))));
    }

    /**
     * Random zone-tied workloads (ZoneSurvivalTest's generator: zone spreads, zone affinity and
     * anti-affinity, hostname anti-affinity, over 2–4 counted zones) beside a memory-heavy
     * workload, over four priced shapes with up to two pools, surviving a node: every node's loss
     * is survived on the sized mix's own nodes (assertSurvives; a zone-tied node with no empty node
     * in its zone only where some placement of its pods on its zone's other nodes and the empty
     * nodes passes PackingVerifier), and the mix never costs more than the sized single shape.
     * When written: 75 runs, 6 of them two-pool mixes, 14 losses in a zone without an empty node,
     * all on one-pool answers (the random zone-tied parts pack too tightly to leave room in a zone;
     * aMixsZoneTiedNodesGoWithoutASpare... is the two-pool case); each of those made the survival
     * check fail before (no empty node in its zone).
     */
    @Test
    void randomZoneTiedMixesSurviveEveryNodeLoss() {
        List<NodeShape> shapes = List.of(Fixtures.priced("m", 8000, 32 * GIB, 0, 0.38), Fixtures.priced("c", 8000, 16 * GIB, 0, 0.34),
                Fixtures.priced("r", 4000, 32 * GIB, 0, 0.25), Fixtures.priced("l", 16000, 64 * GIB, 0, 0.76),
                Fixtures.priced("x", 1000, 32 * GIB, 0, 0.2));
        int runs = 0;
        int withoutSpare = 0;
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            ZoneSurvivalTest.RandomCase rc = ZoneSurvivalTest.RandomCase.of(random, 2, 4, 500, 2500, 6, true);
            if (rc.named() || !rc.table().tiesPodsToZones()) {
                continue; // run() counts its zones: a selector naming one would match none
            }
            List<PodGroup> groups = new ArrayList<>(rc.workload().groups());
            groups.add(group("mem", 500, (8 + random.nextInt(24)) * GIB, 1 + random.nextInt(6), new Placement(Map.of(), null, List.of(),
                    "shop", Map.of("app", "mem"), List.of(), List.of(), List.of())));
            Run r;
            try {
                r = run(Workload.of(groups), shapes, new HaSizing.Rules(1, HaSizing.Survive.NODE, rc.names().size(), null), 2);
            } catch (MixPlanner.NoMix e) {
                continue;
            }
            runs++;
            ShapeEvaluation single = bestSingle(r.ranked());
            if (single != null) {
                assertThat(r.mix().costPerHour()).as("seed %d", seed).isLessThanOrEqualTo(single.costPerHour() + 1e-9);
            }
            withoutSpare += lossesWithoutZoneSpare(r);
            assertSurvives(r);
        }
        assertThat(runs).isGreaterThanOrEqualTo(50);
        assertThat(withoutSpare).as("losses in a zone without an empty node, each checked").isGreaterThanOrEqualTo(10);
    }

    /** The nodes with zone-tied pods whose zone has no empty node. */
    private static int lossesWithoutZoneSpare(Run r) {
        MixPlanner.Mix mix = r.mix();
        DemandTable table = mix.table();
        boolean[] tied = new boolean[mix.nodes()];
        boolean[] empty = new boolean[mix.nodes()];
        java.util.Arrays.fill(empty, true);
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = mix.assignment()[table.firstPod(g) + i];
                empty[node] = false;
                tied[node] |= ZoneSurvival.staysInZone(r.zoned(), g);
            }
        }
        int out = 0;
        for (int node = 0; node < mix.nodes(); node++) {
            boolean spare = false;
            for (int e = 0; e < mix.nodes(); e++) {
                spare |= empty[e] && mix.nodeZones()[e] == mix.nodeZones()[node];
            }
            out += tied[node] && !spare ? 1 : 0;
        }
        return out;
    }

    /** Losing a zone: every pool keeps as many nodes outside it as it packed, its nodes spread over the zones. */
    @Test
    void eachPoolKeepsItsPackedNodesOutsideAnyZone() {
        NodeShape big = Fixtures.priced("big", 16000, 64 * GIB, 0, 1.0);
        NodeShape small = Fixtures.priced("small", 2000, 4 * GIB, 0, 0.09);
        Workload w = Workload.of(List.of(Fixtures.group("a", 15000, GIB, 4), Fixtures.group("b", 1500, GIB, 7)));
        Run r = run(w, List.of(big, small), new HaSizing.Rules(2, HaSizing.Survive.ZONE, 3, null), 2);
        // big: 4 packed → 6 (losing a zone takes at most 2); small: 7 → 11 (at most 4 in a zone)
        assertThat(r.mix().pools()).extracting(p -> p.shape().name() + " " + p.nodes() + "/" + p.headroomNodes())
                .containsExactlyInAnyOrder("big 6/2", "small 11/4");
        assertSurvives(r);
    }

    /**
     * Random workloads (some spread over the zones) over 1–3 zones, surviving a node or a zone:
     * every sized mix survives each loss on its own nodes, never costs more than the best single
     * shape sized the same way, and reports its headroom as the nodes it added.
     */
    @Test
    void randomMixesSurviveEveryLossAndNeverCostMoreThanTheSizedSingleShape() {
        List<NodeShape> shapes = List.of(Fixtures.priced("s", 4000, 16 * GIB, 0, 0.4), Fixtures.priced("c", 8000, 8 * GIB, 0, 0.3),
                Fixtures.priced("r", 2000, 32 * GIB, 0, 0.35), Fixtures.priced("l", 16000, 64 * GIB, 0, 1.9));
        int mixed = 0;
        int withSpares = 0;
        for (long seed = 1; seed <= 30; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<PodGroup> groups = new ArrayList<>();
            int n = 2 + random.nextInt(6);
            boolean spreads = random.nextBoolean();
            for (int g = 0; g < n; g++) {
                List<Placement.Spread> spread = spreads && random.nextInt(3) == 0 ? List.of(new Placement.Spread(1, true,
                        new Placement.PodAffinityTerm(Map.of("app", "g" + g), List.of(), List.of(), false, false, PodConflicts.ZONE)))
                        : List.of();
                Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "g" + g), List.of(), List.of(), spread);
                groups.add(group("g" + g, 200 + random.nextInt(3500), (1 + random.nextInt(28)) * GIB, 1 + random.nextInt(8), p));
            }
            Workload w = Workload.of(groups);
            HaSizing.Survive survive = random.nextBoolean() ? HaSizing.Survive.NODE : HaSizing.Survive.ZONE;
            int zones = survive == HaSizing.Survive.ZONE ? 2 + random.nextInt(2) : 1 + random.nextInt(3);
            Run r;
            try {
                r = run(w, shapes, new HaSizing.Rules(1 + random.nextInt(2), survive, zones, null), 2 + random.nextInt(2));
            } catch (MixPlanner.NoMix e) {
                continue;
            }
            ShapeEvaluation single = bestSingle(r.ranked());
            if (single != null) {
                assertThat(r.mix().costPerHour()).as("seed %d", seed).isLessThanOrEqualTo(single.costPerHour() + 1e-9);
            }
            int spares = r.mix().pools().stream().mapToInt(MixPlanner.Pool::headroomNodes).sum();
            if (r.mix().pools().size() > 1) {
                mixed++;
                withSpares += spares > 0 ? 1 : 0;
                double spareCost = r.mix().pools().stream().mapToDouble(p -> p.headroomNodes() * p.shape().pricePerHourUsd()).sum();
                assertThat(r.mix().sizing().headroomCostPerHour()).as("seed %d", seed).isCloseTo(spareCost, offset(1e-9));
            }
            assertSurvives(r);
        }
        assertThat(mixed).isGreaterThanOrEqualTo(8);
        assertThat(withSpares).isGreaterThanOrEqualTo(8);
    }

    /**
     * Losing any one node: its pods go together to an empty node with room for them (in its zone
     * when it runs pods tied to their zone). Losing any one zone: the pods of each pool's nodes there
     * go, a node's pods together, to distinct empty nodes of the same pool in the other zones (the
     * zone-tied workloads' own nodes are sized by ZoneSurvival, checked by its own tests).
     */
    private static void assertSurvives(Run r) {
        MixPlanner.Mix mix = r.mix();
        HaSizing.Rules rules = mix.sizing() == null ? null : mix.sizing().rules();
        if (rules == null || rules.survive() == HaSizing.Survive.NONE) {
            return;
        }
        DemandTable table = mix.table();
        int nodes = mix.nodes();
        long[] cpu = new long[nodes];
        long[] mem = new long[nodes];
        int[] pods = new int[nodes];
        boolean[] tied = new boolean[nodes];
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = mix.assignment()[table.firstPod(g) + i];
                cpu[node] += table.group(g).request().cpuMillis();
                mem[node] += table.group(g).request().memoryBytes();
                pods[node]++;
                tied[node] |= rules.zoneTied() && ZoneSurvival.staysInZone(r.zoned(), g);
            }
        }
        java.util.function.IntUnaryOperator zone = node -> mix.nodeZones() == null ? 0 : mix.nodeZones()[node];
        if (rules.survive() == HaSizing.Survive.NODE) {
            for (int lost = 0; lost < nodes; lost++) {
                if (pods[lost] == 0) {
                    continue;
                }
                boolean placed = false;
                for (int e = 0; e < nodes && !placed; e++) {
                    NodeShape shape = mix.pools().get(mix.nodeShape()[e]).shape();
                    placed = pods[e] == 0 && e != lost && (!tied[lost] || zone.applyAsInt(e) == zone.applyAsInt(lost))
                            && shape.allocatable().cpuMillis() >= cpu[lost] && shape.allocatable().memoryBytes() >= mem[lost]
                            && shape.allocatable().pods() >= pods[lost];
                }
                if (!placed && tied[lost] && pods[lost] > 6) {
                    continue; // too many placements to try every one (ZoneSurvival's own check passed it)
                }
                if (!placed && tied[lost]) {
                    placed = survivesWithoutZoneSpare(r, lost, cpu, mem, pods);
                }
                assertThat(placed).as("the pods of %s after losing it", mix.nodeNames().get(lost)).isTrue();
            }
            return;
        }
        List<MixPlanner.TiedPart> own = mix.tied();
        if (mix.pools().size() == 1 && own.isEmpty() && rules.zoneTied()) {
            return; // one shape sized zone by zone by ZoneSurvival
        }
        // The other workloads' pods that a drain put on the tied workloads' own nodes move too when their zone goes.
        java.util.BitSet part = own.isEmpty() ? new java.util.BitSet() : MixPlanner.zoneTied(r.zoned());
        boolean[] othersOnOwn = new boolean[nodes];
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; !part.get(g) && i < table.replicas(g); i++) {
                othersOnOwn[mix.assignment()[table.firstPod(g) + i]] = true;
            }
        }
        for (int lost = 0; lost < rules.zones(); lost++) {
            for (int p = 0; p < mix.pools().size(); p++) {
                int moving = 0;
                int room = 0;
                for (int node = 0; node < nodes; node++) {
                    int at = node;
                    boolean ownNode = own.stream().anyMatch(t -> at >= t.firstNode() && at < t.firstNode() + t.packing().nodeCount());
                    if (mix.nodeShape()[node] != p) {
                        continue;
                    }
                    if (ownNode) {
                        moving += zone.applyAsInt(node) == lost && othersOnOwn[node] ? 1 : 0;
                        continue;
                    }
                    if (zone.applyAsInt(node) == lost) {
                        moving += pods[node] > 0 ? 1 : 0;
                    } else {
                        room += pods[node] == 0 ? 1 : 0;
                    }
                }
                assertThat(room).as("empty %s nodes outside zone %d for the %d nodes lost with it", mix.pools().get(p).shape().name(),
                        lost, moving).isGreaterThanOrEqualTo(moving);
            }
        }
    }

    /**
     * Whether losing {@code lost}, a node with zone-tied pods and no empty node in its zone, is
     * survived on the packing it belongs to (the zone-tied workloads' own nodes, or the single
     * shape's): some placement of its pods on its zone's other nodes of that packing and the mix's
     * empty nodes that hold all its pods passes PackingVerifier ({@link ZoneSurvivalTest#survives},
     * every placement tried).
     */
    private static boolean survivesWithoutZoneSpare(Run r, int lost, long[] cpu, long[] mem, int[] pods) {
        MixPlanner.Mix mix = r.mix();
        PackingResult own;
        int first;
        MixPlanner.TiedPart tied = mix.tied().stream().filter(t -> lost >= t.firstNode() && lost < t.firstNode() + t.packing().nodeCount())
                .findFirst().orElse(null);
        if (tied != null) {
            own = tied.packing();
            first = tied.firstNode();
        } else if (!mix.tied().isEmpty()) {
            return false;
        } else if (mix.pools().size() == 1 && mix.bestSingle() != null
                && mix.bestSingle().shape().name().equals(mix.pools().get(0).shape().name())) {
            own = r.packingOf().apply(mix.bestSingle());
            first = 0;
        } else {
            return false;
        }
        if (mix.nodeZones() == null || lost < first || lost >= first + own.nodeCount()) {
            return false;
        }
        for (int node = first; node < first + own.nodeCount(); node++) {
            if (cpu[node] > 0 && own.zoneOf(node - first, r.zoned().zones()) != mix.nodeZones()[node]) {
                return false;
            }
        }
        int[] spares = new int[r.zoned().zones()];
        for (int e = 0; e < mix.nodes(); e++) {
            NodeShape shape = mix.pools().get(mix.nodeShape()[e]).shape();
            boolean empty = pods[e] == 0;
            spares[mix.nodeZones()[e]] += empty && shape.allocatable().cpuMillis() >= cpu[lost] && shape.allocatable().memoryBytes() >= mem[lost]
                    && shape.allocatable().pods() >= pods[lost] ? 1 : 0;
        }
        // The other workloads' pods a drain put on the part's nodes take room there (they leave with their node).
        long[] beside = new long[own.nodeCount() * DemandTable.D];
        java.util.BitSet part = MixPlanner.zoneTied(r.zoned());
        DemandTable table = mix.table();
        for (int g = 0; tied != null && g < table.groupCount(); g++) {
            for (int i = 0; !part.get(g) && i < table.replicas(g); i++) {
                int node = mix.assignment()[table.firstPod(g) + i] - first;
                for (int d = 0; node >= 0 && node < own.nodeCount() && d < DemandTable.D; d++) {
                    beside[node * DemandTable.D + d] += table.demand(g, d);
                }
            }
        }
        return ZoneSurvivalTest.survives(own, lost - first, spares, beside);
    }

    /** A required pod affinity term selecting {@code app=app} over {@code topologyKey}. */
    private static Placement.PodAffinityTerm term(String app, String topologyKey) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, topologyKey);
    }

    private static PodGroup group(String name, long cpu, long mem, int replicas, Placement p) {
        return new PodGroup(name, "test", new Resources(cpu, mem, 1, 0, 0), replicas, false, null, new SourceRef("t", 1), List.of(), null, p);
    }
}
