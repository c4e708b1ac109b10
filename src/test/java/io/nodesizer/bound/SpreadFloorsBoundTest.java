package io.nodesizer.bound;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "spread floors" lower bound: workloads with a hostname topology spread on their own pods
 * leave at least ⌈(n − maxSkew·(N − 1)) ÷ N⌉ of them on every one of N nodes, and the rest must
 * fit beside those floors. Checked against the fewest nodes found by exhaustive search, written
 * here from the scheduler's rule alone (most − fewest ≤ maxSkew over all nodes, the fewest 0 below
 * minDomains nodes): the bound is never above that, and reaches it on the case it was made for.
 */
final class SpreadFloorsBoundTest {
    /** A 4-vCPU node as EKS leaves it: 3,920m CPU, 15 GiB, 58 pods. */
    private static final NodeShape NODE = Fixtures.shape("m5.xlarge-like", new Resources(3920, 15 * GIB, 58, 0, 0));

    /** {@code repels}: the apps (comma-separated) whose pods these may not share a node with (required anti-affinity on the hostname), or null. */
    private record Spec(String app, long cpu, long memory, int replicas, int maxSkew, int minDomains, String repels) {
        Spec(String app, long cpu, long memory, int replicas, int maxSkew, int minDomains) {
            this(app, cpu, memory, replicas, maxSkew, minDomains, null);
        }
    }

    private static PackingProblem problem(List<Spec> specs, NodeShape shape) {
        List<PodGroup> groups = new ArrayList<>();
        for (Spec s : specs) {
            Placement.PodAffinityTerm self = new Placement.PodAffinityTerm(Map.of("app", s.app()), List.of(), List.of(), false, false,
                    PodConflicts.HOSTNAME);
            List<Placement.Spread> spreads = s.maxSkew() == 0 ? List.of() : List.of(new Placement.Spread(s.maxSkew(), true, self, Math.max(1, s.minDomains())));
            List<Placement.PodAffinityTerm> repels = s.repels() == null ? List.of()
                    : List.of(new Placement.PodAffinityTerm(Map.of(), List.of(new Placement.Requirement("app", Placement.Operator.IN,
                    List.of(s.repels().split(",")))), List.of(), false, false, PodConflicts.HOSTNAME));
            Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", s.app()), repels, List.of(), spreads);
            groups.add(new PodGroup(s.app(), "test", new Resources(s.cpu(), s.memory(), 1, 0, 0), s.replicas(), false, null,
                    new SourceRef("t", 1), List.of(), null, p));
        }
        return new PackingProblem(DemandTable.of(Workload.of(groups), 1), shape, Resources.ZERO);
    }

    @Test
    void manySmallPodsSpreadEvenlyLeaveTooLittleBesideThemForLargeOnes() {
        // 40 web (500m) spread with maxSkew 1 hold 4 per node on 9 or 10 nodes (2 CPU): the 1.92 CPU
        // left takes one db (1 CPU, also spread) per node, and 12 db need more. Volume alone says 9.
        PackingProblem p = problem(List.of(new Spec("web", 500, GIB, 40, 1, 0), new Spec("db", 1000, 4 * GIB, 12, 1, 0)), NODE);
        LowerBound bound = LowerBounds.compute(p);
        assertThat(bound.value()).isEqualTo(11);
        assertThat(bound.method()).isEqualTo("spread floors");
        assertThat(bound.parts()).anySatisfy(part -> {
            assertThat(part.method()).isEqualTo("L1(cpu)");
            assertThat(part.value()).isEqualTo(9);
        });
        assertThat(PackingEngine.pack(p, PackingStrategies.FFD.create(), 1).nodeCount()).isEqualTo(11);
        assertThat(exactNodes(List.of(new Spec("web", 500, GIB, 40, 1, 0), new Spec("db", 1000, 4 * GIB, 12, 1, 0)), NODE, 16)).isEqualTo(11);
    }

    @Test
    void withoutASpreadTheBoundIsTheCapacitys() {
        // Every request a multiple of 500m: a 3,920m node holds 3.5 CPU of them, so 32 CPU need 10 (DFF; the volume says 9).
        PackingProblem p = problem(List.of(new Spec("web", 500, GIB, 40, 0, 0), new Spec("db", 1000, 4 * GIB, 12, 0, 0)), NODE);
        assertThat(LowerBounds.compute(p).value()).isEqualTo(10);
        assertThat(LowerBounds.compute(p).method()).isEqualTo("DFF(cpu)");
        assertThat(exactNodes(List.of(new Spec("web", 500, GIB, 40, 0, 0), new Spec("db", 1000, 4 * GIB, 12, 0, 0)), NODE, 16)).isEqualTo(10);
        assertThat(LowerBounds.compute(p).parts()).noneSatisfy(part -> assertThat(part.method()).isEqualTo("spread floors"));
    }

    @Test
    void belowMinDomainsNodesTheFloorIsZero() {
        // minDomains 20: on fewer nodes the fewest counts as 0, so the rule caps each node at maxSkew
        // and gives no floor; the bound may not claim one there.
        PackingProblem p = problem(List.of(new Spec("web", 500, GIB, 40, 3, 20), new Spec("db", 1000, 4 * GIB, 12, 0, 0)), NODE);
        assertThat(LowerBounds.compute(p).value()).isLessThanOrEqualTo(exactNodes(
                List.of(new Spec("web", 500, GIB, 40, 3, 20), new Spec("db", 1000, 4 * GIB, 12, 0, 0)), NODE, 30));
    }

    /** Random small workloads: the bound never above the exhaustive optimum, and the engine's packings never below it. */
    @Test
    void neverAboveTheFewestNodesTheRuleAllows() {
        assertThat(trialsRaisedBy("spread floors", 18, 400, 6, 9, 0, true)).as("trials where the floors raised the bound").isGreaterThan(10);
    }

    /**
     * Two or three workloads a0, a1, … of random requests and up to {@code replicas} pods: spread (maxSkew 1 or 2, now and
     * then minDomains) {@code spreadTenths} times in ten, each repelling one of them (itself too) {@code repelTenths} in ten.
     */
    private static List<Spec> randomSpecs(SplittableRandom random, int spreadTenths, int replicas, int repelTenths) {
        List<Spec> specs = new ArrayList<>();
        int n = 2 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            boolean spread = random.nextInt(10) < spreadTenths;
            String repels = repelTenths > 0 && random.nextInt(10) < repelTenths ? "a" + random.nextInt(n) : null;
            specs.add(new Spec("a" + i, 100 * (1 + random.nextInt(30)), MIB * 256 * (1 + random.nextInt(16)), 1 + random.nextInt(replicas),
                    spread ? 1 + random.nextInt(2) : 0, spread && random.nextInt(4) == 0 ? 2 + random.nextInt(4) : 0, repels));
        }
        return specs;
    }

    @Test
    void aLargePodsNodeHoldsNoMoreThanTheFewestSoTheRestTakeTheSpreadAboveIt() {
        // QA 52b F1: 40 web (500m, maxSkew 2) beside 12 db (1 CPU) and 3 big (3 CPU): a big pod's node holds one web
        // at most, so the fewest is at most 1 and 16 nodes are needed (3 + ⌈37 ÷ 3⌉); the floors alone said 14.
        List<Spec> specs = List.of(new Spec("web", 500, GIB, 40, 2, 0), new Spec("db", 1000, GIB, 12, 0, 0),
                new Spec("big", 3000, GIB, 3, 0, 0));
        LowerBound bound = LowerBounds.compute(problem(specs, NODE));
        assertThat(bound.value()).isEqualTo(16);
        assertThat(bound.method()).isEqualTo("spread floors");
        assertThat(exactNodes(specs, NODE, 20)).isEqualTo(16);
    }

    /** Spreads of many replicas beside pods too large to sit beside many of them: where the fewest per node matters. */
    @Test
    void neverAboveTheFewestNodesBesideLargePods() {
        SplittableRandom random = new SplittableRandom(53);
        int raised = 0;
        for (int trial = 0; trial < 150; trial++) {
            List<Spec> specs = new ArrayList<>();
            specs.add(new Spec("web", 250 * (1 + random.nextInt(4)), GIB, 8 + random.nextInt(16), 1 + random.nextInt(3), 0));
            int large = 1 + random.nextInt(2);
            for (int i = 0; i < large; i++) {
                specs.add(new Spec("big" + i, 2000 + 100L * random.nextInt(19), GIB, 1 + random.nextInt(4), 0, 0));
            }
            PackingProblem p = problem(specs, NODE);
            LowerBound bound = LowerBounds.compute(p);
            int exact = exactNodes(specs, NODE, 40);
            assertThat(bound.value()).as("trial %d %s: %s", trial, specs, bound.parts()).isLessThanOrEqualTo(exact);
            raised += bound.method().equals("spread floors") ? 1 : 0;
        }
        assertThat(raised).as("trials where the floors raised the bound").isGreaterThan(10);
    }

    /**
     * QA 65a F3: a (10 replicas, maxSkew 1) repels b (10, maxSkew 1). b's nodes run no a, so a's fewest is 0 and a
     * node holds one a at most: 10 nodes, and b's 10 more apart from them: 20, the optimum, where the bound said 11
     * ({@code spread beside a repelled pod}: a's 10 and b's node). The same with maxSkew 2 on b: 10 + 5.
     */
    @Test
    void twoSpreadsThatRepelEachOtherTakeTheirOwnNodesEach() {
        List<Spec> specs = List.of(new Spec("a", 100, 100 * MIB, 10, 1, 0, "b"), new Spec("b", 100, 100 * MIB, 10, 1, 0));
        LowerBound bound = LowerBounds.compute(problem(specs, NODE));
        assertThat(bound.value()).isEqualTo(20);
        assertThat(bound.method()).isEqualTo("workloads that repel each other");
        assertThat(exactNodes(specs, NODE, 24)).isEqualTo(20);
        List<Spec> skew2 = List.of(new Spec("a", 100, 100 * MIB, 10, 1, 0, "b"), new Spec("b", 100, 100 * MIB, 10, 2, 0));
        assertThat(LowerBounds.compute(problem(skew2, NODE)).value()).isEqualTo(15);
        assertThat(exactNodes(skew2, NODE, 24)).isEqualTo(15);
        // QA 65a's w4: g7 (15, maxSkew 1, repelling g2) and g2 (17 of 3,279m, maxSkew 2) on 16-CPU nodes: 15 + 9
        NodeShape big = Fixtures.shape("16c", new Resources(16000, 128 * GIB, 110, 0, 0));
        List<Spec> w4 = List.of(new Spec("g7", 0, 0, 15, 1, 0, "g2"), new Spec("g2", 3279, 10 * GIB, 17, 2, 0));
        assertThat(LowerBounds.compute(problem(w4, big)).value()).isEqualTo(24);
        assertThat(exactNodes(w4, big, 30)).isEqualTo(24);
        for (PackingStrategies s : PackingStrategies.values()) {
            assertThat(PackingEngine.pack(problem(specs, NODE), s.create(), 1).nodeCount()).as(s.name()).isEqualTo(20);
            assertThat(PackingEngine.pack(problem(w4, big), s.create(), 1).nodeCount()).as(s.name()).isEqualTo(24);
        }
    }

    /**
     * Three workloads that all repel each other add up too (a's replicas repel each other: one per node); beside a
     * workload that repels only one of them the sum takes that pair, not all three.
     */
    @Test
    void everyWorkloadOfASetThatRepelsPairwiseAddsItsOwnNodes() {
        PackingProblem p = problem(List.of(new Spec("a", 100, 100 * MIB, 4, 0, 0, "a"), new Spec("b", 100, 100 * MIB, 6, 2, 0, "a"),
                new Spec("c", 100, 100 * MIB, 5, 1, 0, "a"), new Spec("d", 100, 100 * MIB, 3, 1, 0, "c")), NODE);
        // b and c do not repel each other, so the largest set is a with c (4 + 5), not with b (4 + 3), or c with d (5 + 3)
        assertThat(LowerBounds.compute(p).value()).isEqualTo(9);
        assertThat(exactNodes(List.of(new Spec("a", 100, 100 * MIB, 4, 0, 0, "a"), new Spec("b", 100, 100 * MIB, 6, 2, 0, "a"),
                new Spec("c", 100, 100 * MIB, 5, 1, 0, "a"), new Spec("d", 100, 100 * MIB, 3, 1, 0, "c")), NODE, 16)).isEqualTo(9);
        List<Spec> all = List.of(new Spec("a", 100, 100 * MIB, 4, 0, 0, "a"), new Spec("b", 100, 100 * MIB, 6, 2, 0, "a"),
                new Spec("c", 100, 100 * MIB, 5, 1, 0, "a,b"));
        // a–b, a–c and b–c: 4 + 3 + 5
        assertThat(LowerBounds.compute(problem(all, NODE)).value()).isEqualTo(12);
        assertThat(exactNodes(all, NODE, 16)).isEqualTo(12);
    }

    /** Random small workloads that repel each other, some spread: the bound never above the exhaustive optimum. */
    @Test
    void repellingWorkloadsNeverAboveTheFewestNodesTheRulesAllow() {
        assertThat(trialsRaisedBy("workloads that repel each other", 65, 300, 7, 7, 5, false))
                .as("trials where the repelling sets raised the bound").isGreaterThan(10);
    }

    /**
     * QA 71b F4: web (6 × 1.4 CPU, maxSkew 2) beside cache (2 × 1.1 CPU, required anti-affinity against web) and batch
     * (2.8 CPU) on 4-CPU nodes. cache's node runs no web, so web's fewest is 0 and a node holds 2 of it at most (and 2 by
     * CPU): 3 nodes. cache and batch share no node with web (anti-affinity; 2.8 + 1.4 CPU > 4), and need 2 of their
     * own (5 CPU): 5, the optimum ({batch, cache}, {cache}, 3 × {web, web}), where the bound said 4 (the volume, 13.4 CPU),
     * a gap of 25 % on an optimal packing.
     */
    @Test
    void aSpreadBesidePodsThatRepelItHoldsMaxSkewPerNodeApartFromTheirNodes() {
        List<Spec> specs = List.of(new Spec("web", 1400, GIB, 6, 2, 0), new Spec("cache", 1100, GIB, 2, 0, 0, "web"),
                new Spec("batch", 2800, GIB, 1, 0, 0));
        NodeShape node = Fixtures.shape("4c", new Resources(4000, 16 * GIB, 110, 0, 0));
        LowerBound bound = LowerBounds.compute(problem(specs, node));
        assertThat(bound.value()).isEqualTo(5);
        assertThat(bound.method()).isEqualTo("spread floors");
        assertThat(bound.parts()).anySatisfy(part -> {
            assertThat(part.method()).isEqualTo("L1(cpu)");
            assertThat(part.value()).isEqualTo(4);
        });
        assertThat(exactNodes(specs, node, 12)).isEqualTo(5);
        // Below minDomains nodes kube-scheduler takes the fewest as 0 with or without the pods that repel web: minDomains
        // 4 and no cache, web (maxSkew 2) and batch: 3 nodes of web and batch's own, 4 (the volume says 3).
        List<Spec> minDomains = List.of(new Spec("web", 1400, GIB, 6, 2, 4), new Spec("batch", 2800, GIB, 1, 0, 0));
        assertThat(LowerBounds.compute(problem(minDomains, node)).value()).isEqualTo(4);
        assertThat(exactNodes(minDomains, node, 12)).isEqualTo(4);
    }

    /** Random small workloads, more of them repelling spread ones: the bound never above the exhaustive optimum, FFD never below. */
    @Test
    void spreadsBesideRepellingPodsNeverAboveTheFewestNodesTheRulesAllow() {
        assertThat(trialsRaisedBy("spread floors", 72, 400, 7, 7, 6, true))
                .as("trials where the floors raised the bound").isGreaterThan(10);
    }

    /**
     * Over {@code trials} random workloads ({@link #randomSpecs}) on a small node: the bound is never above the exhaustive
     * optimum (and, with {@code packs}, FFD's packing never below it). How many times {@code method} gave the bound.
     */
    private static int trialsRaisedBy(String method, long seed, int trials, int spreadTenths, int replicas, int repelTenths, boolean packs) {
        SplittableRandom random = new SplittableRandom(seed);
        NodeShape node = Fixtures.shape("small", new Resources(4000, 8 * GIB, 12, 0, 0));
        int raised = 0;
        for (int trial = 0; trial < trials; trial++) {
            List<Spec> specs = randomSpecs(random, spreadTenths, replicas, repelTenths);
            PackingProblem p = problem(specs, node);
            LowerBound bound = LowerBounds.compute(p);
            int exact = exactNodes(specs, node, 28);
            assertThat(bound.value()).as("trial %d %s: %s", trial, specs, bound.parts()).isLessThanOrEqualTo(exact);
            if (packs) {
                PackingResult packed = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
                assertThat(packed.nodeCount()).as("trial %d %s", trial, specs).isGreaterThanOrEqualTo(exact);
            }
            raised += bound.method().equals(method) ? 1 : 0;
        }
        return raised;
    }

    /**
     * The fewest nodes of {@code node} that hold every pod with each spread workload's counts per node
     * within [f, f + maxSkew] for some f (f = 0 below minDomains nodes), by search over each node's
     * counts: for each choice of the f's, the count vectors reachable after k nodes (from the volume
     * up: fewer nodes cannot hold the requests at all).
     */
    private static int exactNodes(List<Spec> specs, NodeShape node, int most) {
        Resources a = node.allocatable();
        long cpu = 0;
        long memory = 0;
        long pods = 0;
        for (Spec s : specs) {
            cpu += s.cpu() * s.replicas();
            memory += s.memory() * s.replicas();
            pods += s.replicas();
        }
        long volume = Math.max(Math.max((cpu + a.cpuMillis() - 1) / a.cpuMillis(), (memory + a.memoryBytes() - 1) / a.memoryBytes()),
                (pods + a.pods() - 1) / a.pods());
        for (int nodes = (int) Math.max(1, volume); nodes <= most; nodes++) {
            if (feasible(specs, a, nodes, new int[specs.size()], 0)) {
                return nodes;
            }
        }
        throw new AssertionError("no packing within " + most + " nodes: " + specs);
    }

    private static boolean feasible(List<Spec> specs, Resources a, int nodes, int[] floor, int at) {
        if (at < specs.size()) {
            Spec s = specs.get(at);
            int highest = s.maxSkew() == 0 || nodes < s.minDomains() ? 0 : s.replicas() / nodes;
            for (int f = 0; f <= highest; f++) {
                floor[at] = f;
                if (feasible(specs, a, nodes, floor, at + 1)) {
                    return true;
                }
            }
            return false;
        }
        // A count vector is one number in mixed radix (replicas + 1 per workload).
        int w = specs.size();
        int[] radix = new int[w];
        int states = 1;
        for (int i = 0; i < w; i++) {
            radix[i] = states;
            states *= specs.get(i).replicas() + 1;
        }
        List<int[]> configs = new ArrayList<>();
        configs(specs, a, floor, new int[w], 0, configs);
        boolean[] reach = new boolean[states];
        reach[0] = true;
        for (int k = 0; k < nodes; k++) {
            boolean[] next = new boolean[states];
            for (int state = 0; state < states; state++) {
                if (!reach[state]) {
                    continue;
                }
                for (int[] c : configs) {
                    int to = state;
                    boolean ok = true;
                    for (int i = 0; i < w && ok; i++) {
                        int v = state / radix[i] % (specs.get(i).replicas() + 1) + c[i];
                        ok = v <= specs.get(i).replicas();
                        to += c[i] * radix[i];
                    }
                    if (ok) {
                        next[to] = true;
                    }
                }
            }
            reach = next;
        }
        return reach[states - 1];
    }

    /** Every per-node count vector within the floors' windows (or any count without a spread) that fits the node. */
    private static void configs(List<Spec> specs, Resources a, int[] floor, int[] x, int at, List<int[]> out) {
        if (at == specs.size()) {
            long cpu = 0;
            long memory = 0;
            long pods = 0;
            for (int i = 0; i < x.length; i++) {
                cpu += x[i] * specs.get(i).cpu();
                memory += x[i] * specs.get(i).memory();
                pods += x[i];
            }
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    String repels = specs.get(i).repels();
                    if (x[i] > 0 && x[j] > (i == j ? 1 : 0) && repels != null && List.of(repels.split(",")).contains(specs.get(j).app())) {
                        return; // anti-affinity keeps them off one node (either way: the pair is checked both ways round)
                    }
                }
            }
            if (cpu <= a.cpuMillis() && memory <= a.memoryBytes() && pods <= a.pods()) {
                out.add(x.clone());
            }
            return;
        }
        Spec s = specs.get(at);
        int low = s.maxSkew() == 0 ? 0 : floor[at];
        int high = s.maxSkew() == 0 ? s.replicas() : Math.min(s.replicas(), floor[at] + s.maxSkew());
        for (int v = low; v <= high; v++) {
            x[at] = v;
            configs(specs, a, floor, x, at + 1, out);
        }
    }
}
