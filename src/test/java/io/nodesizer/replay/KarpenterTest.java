package io.nodesizer.replay;

import io.nodesizer.replay.autoscale.Karpenter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static io.nodesizer.replay.ReplayFixtures.P;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Karpenter's batching, launch choice and consolidation on hand-computed scenarios. */
class KarpenterTest {
    private static final List<Pool> POOLS = List.of(
            ReplayFixtures.pool(0, "small", 2000, 8 * GIB, 0.10),
            ReplayFixtures.pool(1, "large", 8000, 32 * GIB, 0.25));

    private static Karpenter karpenter() {
        return new Karpenter(Karpenter.Settings.defaults(Integer.MAX_VALUE));
    }

    @Test
    void aPodPendingAtTheNodePoolsLimitTurnsADeletionIntoAReplacement() {
        // Limit 2 nodes of 4 CPU. At 0: p (2 CPU, leaves at 600), q (2) and r (1): one claim for p and q, one for r. At 100 w
        // (4 CPU) needs a node of its own: the limit launches none, and it waits. From 600 q and r fit on one node, but
        // upstream's simulation takes w in too: removing either node frees the limit's room for a claim for w, so the
        // deletion is a replacement by the same type, not cheaper, and nothing is consolidated (review 60). Before the
        // pending pod was in the simulation, one node was deleted and w got the room (QA 60a F3's first fix); before that,
        // consolidation never ran while w was pending. Either way here: two nodes to the end and w never runs.
        List<Pool> four = List.of(ReplayFixtures.pool(0, "four", 4000, 16 * GIB, 0.2));
        PodStream s = ReplayFixtures.stream(3600, List.of(new P(2000, GIB, 0, 600), new P(2000, GIB, 0, PodStream.STAYS),
                new P(1000, GIB, 0, PodStream.STAYS), new P(4000, GIB, 100, PodStream.STAYS)));
        ReplayResult r = ReplayFixtures.run(s, four, new Karpenter(Karpenter.Settings.defaults(2)), 60);
        assertThat(r.scaleDowns()).isZero();
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.pendingAtEnd()).isEqualTo(1);
        assertThat(r.nodeHours() * 3600).isCloseTo(2 * (3600 - 1), within(1e-6));
        // A pod no type holds is not pending but unschedulable, and holds nothing back: beside an 8-CPU pod r's node goes.
        PodStream big = ReplayFixtures.stream(3600, List.of(new P(2000, GIB, 0, 600), new P(2000, GIB, 0, PodStream.STAYS),
                new P(1000, GIB, 0, PodStream.STAYS), new P(8000, GIB, 100, PodStream.STAYS)));
        ReplayResult b = ReplayFixtures.run(big, four, new Karpenter(Karpenter.Settings.defaults(2)), 60);
        assertThat(b.scaleDowns()).isEqualTo(1);
        assertThat(b.unschedulable()).isEqualTo(1);
    }

    @Test
    void batchLaunchesTheCheapestTypeThatHoldsTheWholeClaim() {
        // Six 1-CPU pods at 0: one claim (the large type holds all six); the cheapest type holding
        // 6 CPU is large ($0.25, vs three small for $0.30). The batch closes 1 s after the last pod.
        PodStream s = ReplayFixtures.stream(600, ReplayFixtures.same(6, 1000, GIB, 0, PodStream.STAYS));
        ReplayResult r = ReplayFixtures.run(s, POOLS, karpenter(), 30);
        assertThat(r.scaleUps()).isEqualTo(1);
        assertThat(r.nodeHoursByShape()).containsOnlyKeys("large");
        assertThat(r.pendingMaxSeconds()).isEqualTo(31);
    }

    @Test
    void aPodTriesTheClaimsWithFewestPodsFirst() {
        // Pods of 5, 4, 2 and 1 CPU at 0 on medium (4 CPU, $0.19) and large (8 CPU, $0.40) types. Upstream's scheduler sorts
        // its new claims by pod count before each pod: 5 opens C1, 4 opens C2 (9 > 8), 2 joins C1 (a tie, C1 first), 1 joins
        // C2 (1 pod against C1's 2): C1 = 7 and C2 = 5 CPU, two larges. First fit put 2 and 1 on C1 (8) and left C2 a medium.
        List<Pool> pools = List.of(ReplayFixtures.pool(0, "medium", 4000, 16 * GIB, 0.19), ReplayFixtures.pool(1, "large", 8000, 32 * GIB, 0.40));
        PodStream s = ReplayFixtures.stream(600, List.of(new P(5000, GIB, 0, PodStream.STAYS), new P(4000, GIB, 0, PodStream.STAYS),
                new P(2000, GIB, 0, PodStream.STAYS), new P(1000, GIB, 0, PodStream.STAYS)));
        Karpenter whenEmpty = new Karpenter(new Karpenter.Settings(1, 10, Karpenter.Consolidation.WHEN_EMPTY, 0, 10, Integer.MAX_VALUE));
        ReplayResult r = ReplayFixtures.run(s, pools, whenEmpty, 30);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.nodeHoursByShape()).containsOnlyKeys("large");
    }

    @Test
    void batchWindowExtendsWhilePodsKeepArrivingUpToTheMaximum() {
        // A pod every 0.5 s cannot be expressed in whole seconds; one per second for 20 s keeps the
        // idle window open, so the batch closes at the 10 s maximum.
        List<P> pods = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            pods.add(new P(100, GIB / 8, t, PodStream.STAYS));
        }
        PodStream s = ReplayFixtures.stream(600, pods);
        ReplayResult r = ReplayFixtures.run(s, POOLS, karpenter(), 30);
        // The first pod waits for the batch (10 s) and the launch (30 s).
        assertThat(r.pendingMaxSeconds()).isEqualTo(40);
    }

    @Test
    void consolidationTriesTheNodesWithFewestPodsFirstAsASortOfThemAllWould() {
        // Hundreds of nodes with few pods each (many with equal counts), pods leaving over the day:
        // every poll ranks the candidates by a tally of their pod counts, which with
        // -Dnodesizer.checkScores=true is checked against a sort of all of them (a difference throws).
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        List<P> pods = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            long start = r.nextLong(0, 3600);
            pods.add(new P(r.nextLong(200, 1500), GIB / 2, start, r.nextInt(4) == 0 ? PodStream.STAYS : start + r.nextLong(600, 20_000)));
        }
        PodStream s = ReplayFixtures.stream(6 * 3600, pods);
        String key = "nodesizer.checkScores";
        ReplayResult plain = ReplayFixtures.run(s, POOLS, karpenter(), 30);
        System.setProperty(key, "true");
        try {
            ReplayResult checked = ReplayFixtures.run(s, POOLS, karpenter(), 30);
            assertThat(checked.scaleDowns()).isEqualTo(plain.scaleDowns()).isGreaterThan(50);
            assertThat(checked.nodeHours()).isEqualTo(plain.nodeHours());
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void emptyNodeIsDeletedAndUnderusedNodeIsReplacedByACheaperOne() {
        // Six pods on one large node; five leave at 1000. The remaining 1-CPU pod fits a small node:
        // the poll at 1000 decides to replace the large node, the 15 s validation wait passes, a
        // small one launches at 1015, and the large one is drained when the small one is ready
        // (1045), removed 30 s later.
        PodStream s = sixPodsFiveLeave();
        ReplayResult r = ReplayFixtures.run(s, POOLS, karpenter(), 30);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.nodeHoursByShape().get("large") * 3600).isCloseTo(1075 - 1, within(1e-6));
        assertThat(r.nodeHoursByShape().get("small") * 3600).isCloseTo(3600 - 1015, within(1e-6));
        assertThat(r.evictions()).isEqualTo(1);
    }

    @Test
    void whenEmptyPolicyKeepsUnderusedNodes() {
        PodStream s = sixPodsFiveLeave();
        Karpenter whenEmpty = new Karpenter(new Karpenter.Settings(1, 10, Karpenter.Consolidation.WHEN_EMPTY, 0, 10, Integer.MAX_VALUE));
        ReplayResult r = ReplayFixtures.run(s, POOLS, whenEmpty, 30);
        assertThat(r.scaleDowns()).isZero();
        assertThat(r.nodeHoursByShape()).containsOnlyKeys("large");
    }

    @Test
    void consolidateAfterDelaysDeletingAnEmptyNode() {
        PodStream s = ReplayFixtures.stream(3600, ReplayFixtures.same(1, 1000, GIB, 0, 1000));
        Karpenter patient = new Karpenter(new Karpenter.Settings(1, 10, Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 300, 10, Integer.MAX_VALUE));
        ReplayResult r = ReplayFixtures.run(s, POOLS, patient, 30);
        // Empty from 1000, deletable from 1300: drained after the 15 s validation wait, gone 30 s
        // later; launched at 1.
        assertThat(r.nodeHours() * 3600).isCloseTo(1345 - 1, within(1e-6));
        ReplayResult eager = ReplayFixtures.run(s, POOLS, karpenter(), 30);
        assertThat(eager.nodeHours() * 3600).isCloseTo(1045 - 1, within(1e-6));
    }

    @Test
    void theDisruptionBudgetPacesEmptyNodeDeletions() {
        // Twenty 2-CPU pods at 0: five large nodes (4 pods each), launched at 1; all pods leave at
        // 1000. Karpenter's default budget, 10 % of the NodePool's nodes rounded up, lets one node be
        // disrupted at a time while there are 10 or fewer; a drain takes 30 s and counts against the
        // budget until the node is gone. The pass at 1000 picks one node, drained after the 15 s
        // validation wait (1015); the controller's next pass comes at once (1015: no budget left), then
        // every 10 s from there, and the one at 1045, when the node is gone, picks the next: gone at
        // 1045, 1090, 1135, 1180, 1225.
        PodStream s = ReplayFixtures.stream(3600, ReplayFixtures.same(20, 2000, GIB, 0, 1000));
        ReplayResult byDefault = ReplayFixtures.run(s, POOLS, karpenter(), 30);
        assertThat(byDefault.scaleDowns()).isEqualTo(5);
        assertThat(byDefault.nodeHours() * 3600).isCloseTo(1045 + 1090 + 1135 + 1180 + 1225 - 5, within(1e-6));
        // Two at a time: gone at 1045, 1045, 1090, 1090, 1135.
        ReplayResult two = ReplayFixtures.run(s, POOLS, budgeted(new Karpenter.Budget(2, false)), 30);
        assertThat(two.nodeHours() * 3600).isCloseTo(2 * 1045 + 2 * 1090 + 1135 - 5, within(1e-6));
        // All at once.
        ReplayResult all = ReplayFixtures.run(s, POOLS, budgeted(new Karpenter.Budget(100, true)), 30);
        assertThat(all.nodeHours() * 3600).isCloseTo(5 * (1045 - 1), within(1e-6));
        // None: the nodes stay.
        ReplayResult none = ReplayFixtures.run(s, POOLS, budgeted(new Karpenter.Budget(0, false)), 30);
        assertThat(none.scaleDowns()).isZero();
    }

    @Test
    void aCommandIsDroppedWhenItsValidationFindsTheClusterChanged() {
        // One large node whose only pod leaves at 1000: the poll at 1000 decides to delete it, and
        // waits 15 s to validate. A pod arriving at 1005 lands on it (the only node), so at 1015 the
        // node is no longer empty: the command is dropped and the node stays. Were it carried out
        // at once, the node would go and the new pod would wait for a new one.
        PodStream s = ReplayFixtures.stream(3600, List.of(new P(1000, GIB, 0, 1000), new P(1000, GIB, 1005, PodStream.STAYS)));
        ReplayResult r = ReplayFixtures.run(s, POOLS, karpenter(), 30);
        assertThat(r.scaleUps()).isEqualTo(1);
        assertThat(r.scaleDowns()).isZero();
        assertThat(r.pendingMaxSeconds()).isEqualTo(31);
    }

    @Test
    void afterADroppedCommandTheNextPollStartsFromEmptinessAgain() {
        // small 2 CPU $0.10, medium 2.5 CPU $0.19, large 3 CPU $0.195. a (1.2 CPU) at 0 and b (1.2 CPU)
        // at 120 get a small node each. When b's is ready, multi-node consolidation plans both onto a
        // medium ($0.19 < $0.20); c (0.5 CPU) arrives inside the 15 s validation wait and lands on a
        // small node, so validation drops the command (a + b + c no longer fit a medium) and the
        // single-node methods that follow find nothing. That pass began after multi-node: it says
        // nothing of this state, and the poll 10 s later starts from emptiness again, where multi-node
        // replaces the two small nodes by a large one ($0.195). Before, the pass counted as a whole one
        // and the two small nodes stayed for the hour (with idle loops run, the dense run replaced them).
        List<Pool> pools = List.of(ReplayFixtures.pool(0, "small", 2000, 8 * GIB, 0.10),
                ReplayFixtures.pool(1, "medium", 2500, 8 * GIB, 0.19), ReplayFixtures.pool(2, "large", 3000, 8 * GIB, 0.195));
        PodStream s = ReplayFixtures.stream(3600, List.of(new P(1200, GIB / 2, 0, PodStream.STAYS), new P(1200, GIB / 2, 120, PodStream.STAYS),
                new P(500, GIB / 4, 195, PodStream.STAYS)));
        Karpenter.Settings all = new Karpenter.Settings(Karpenter.Settings.BATCH_IDLE, Karpenter.Settings.BATCH_MAX,
                Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 0, Karpenter.Settings.POLL_PERIOD, Integer.MAX_VALUE,
                new Karpenter.Budget(100, true));
        Replay.Settings settings = Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold();
        ReplayResult r = Replay.run(s, pools, new Karpenter(all), settings);
        assertThat(r.scaleDowns()).isEqualTo(2);
        assertThat(r.nodeHoursByShape()).containsOnlyKeys("small", "large");
        assertThat(r.nodeHoursByShape().get("large")).isGreaterThan(0.9);
        ReplayResult dense = Replay.run(s, pools, new Karpenter(all), settings.dense());
        assertThat(dense.nodeHours()).isEqualTo(r.nodeHours());
        assertThat(dense.scaleDowns()).isEqualTo(r.scaleDowns());
    }

    /**
     * A pod's eviction cost weighs its priority (Karpenter's EvictionCost: 1 + priority / 2^25 within
     * [-10, 10]), so a node of one system-critical pod is harder to disrupt than one of two ordinary
     * pods. Small nodes (2 CPU): a1, a2 (0.5 CPU) and x (1 CPU, leaves at 500) on one, c (1 CPU) on a
     * second from 100 (preemptionPolicy Never: it waits for its node). From 500 either node's pods fit on the other. With c at priority 0 the node
     * of one pod goes first (c evicted); with c at 1e9 (cost 10) the other does (a1, a2 evicted).
     */
    @Test
    void aPodsPriorityWeighsInItsNodesDisruptionCost() {
        for (int priority : new int[]{0, 1_000_000_000}) {
            io.nodesizer.model.PodGroup c = io.nodesizer.testkit.Fixtures.group("c", 1000, GIB / 2, 1).withPriority(priority);
            c = c.withTemplate(new io.nodesizer.model.PodTemplate(List.of(new io.nodesizer.model.PodTemplate.Container("c",
                    io.nodesizer.model.PodTemplate.Role.APP, c.request(), io.nodesizer.model.Resources.ZERO, true, true)),
                    io.nodesizer.model.Resources.ZERO, null, "", null, null, io.nodesizer.model.PodTemplate.NEVER));
            List<io.nodesizer.model.PodGroup> groups = List.of(io.nodesizer.testkit.Fixtures.group("a", 500, GIB / 2, 2),
                    io.nodesizer.testkit.Fixtures.group("x", 1000, GIB / 2, 1), c,
                    io.nodesizer.testkit.Fixtures.group("low", 10, GIB / 64, 1).withPriority(-1));
            PodStream.Builder b = new PodStream.Builder(io.nodesizer.engine.DemandTable.of(io.nodesizer.model.Workload.of(groups)),
                    io.nodesizer.replay.demand.TimePoints.DEFAULT_ORIGIN, 3600);
            b.add(0, 0, 0, PodStream.STAYS);
            b.add(0, 1, 0, PodStream.STAYS);
            b.add(1, 0, 0, 500);
            b.add(2, 0, 100, PodStream.STAYS);
            b.add(3, 0, 3000, 3001); // a pod of another priority, so that pods differ in priority in both runs
            ReplayResult r = ReplayFixtures.run(b.build(), List.of(POOLS.get(0)), karpenter(), 60);
            assertThat(r.scaleDowns()).as("priority " + priority).isEqualTo(1);
            assertThat(r.evictions()).as("priority " + priority).isEqualTo(priority == 0 ? 1 : 2);
        }
        assertThat(Karpenter.evictionCost(0)).isEqualTo(1.0);
        assertThat(Karpenter.evictionCost(2_000_001_000)).isEqualTo(10.0);
        assertThat(Karpenter.evictionCost(-1_000_000_000)).isEqualTo(-10.0);
        assertThat(Karpenter.evictionCost(1 << 25)).isEqualTo(2.0);
    }

    @Test
    void aBudgetIsACountOrAPercentageRoundedUp() {
        assertThat(Karpenter.Budget.DEFAULT.allowed(5)).isEqualTo(1);
        assertThat(Karpenter.Budget.DEFAULT.allowed(10)).isEqualTo(1);
        assertThat(Karpenter.Budget.DEFAULT.allowed(11)).isEqualTo(2);
        assertThat(Karpenter.Budget.DEFAULT.allowed(0)).isZero();
        assertThat(Karpenter.Budget.parse("25%").allowed(7)).isEqualTo(2);
        assertThat(Karpenter.Budget.parse("3").allowed(100)).isEqualTo(3);
        assertThat(Karpenter.Budget.parse(" 10% ")).isEqualTo(Karpenter.Budget.DEFAULT);
        assertThat(Karpenter.Budget.parse("101%")).isNull();
        assertThat(Karpenter.Budget.parse("-1")).isNull();
        assertThat(Karpenter.Budget.parse("10 %x")).isNull();
        assertThat(Karpenter.Budget.parse("%")).isNull();
    }

    @Test
    void multiNodeConsolidationDeletesSeveralNodesInOneCommand() {
        // Sixteen 2-CPU pods at 0: four large nodes of four pods each (most-allocated fills one node
        // after another); at 1000 three of each node's pods leave. The poll at 1000 finds no empty
        // node; multi-node consolidation's binary search over the candidates (one pod each, node
        // order) finds that the first three's pods fit on the fourth, and all four's pods on no
        // fewer than one new large node, which is a type of theirs and no cheaper: the three are
        // deleted in one command, drained at 1015 and gone at 1045.
        List<P> pods = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            pods.add(new P(2000, GIB, 0, i % 4 == 0 ? PodStream.STAYS : 1000));
        }
        PodStream s = ReplayFixtures.stream(3600, pods);
        ReplayResult r = ReplayFixtures.run(s, POOLS, budgeted(new Karpenter.Budget(100, true)), 30);
        assertThat(r.scaleUps()).isEqualTo(4);
        assertThat(r.scaleDowns()).isEqualTo(3);
        assertThat(r.nodeHours() * 3600).isCloseTo(3 * (1045 - 1) + (3600 - 1), within(1e-6));
        assertThat(r.evictions()).isEqualTo(3);
        // The default budget (10 % of four nodes, rounded up: one) leaves a single candidate, and
        // multi-node consolidation needs two: single-node consolidation takes them one per poll.
        ReplayResult paced = ReplayFixtures.run(s, POOLS, karpenter(), 30);
        assertThat(paced.scaleDowns()).isEqualTo(3);
        assertThat(paced.nodeHours()).isGreaterThan(r.nodeHours());
    }

    @Test
    void multiNodeConsolidationReplacesSeveralNodesByOneCheaperNode() {
        // Two large nodes, each with a 7-CPU pod that leaves at 1000 and a 1-CPU pod that stays.
        // Single-node consolidation alone would delete the first (its pod fits on the second) and keep
        // a large node; multi-node consolidation finds that both 1-CPU pods fit on one small node,
        // cheaper than the two together and than a large one: launched after the 15 s wait (1015),
        // ready at 1045, when both large nodes are drained (gone at 1075).
        List<P> pods = new ArrayList<>(List.of(
                new P(7000, GIB, 0, 1000), new P(7000, GIB, 0, 1000),
                new P(1000, GIB, 0, PodStream.STAYS), new P(1000, GIB, 0, PodStream.STAYS)));
        PodStream s = ReplayFixtures.stream(3600, pods);
        ReplayResult r = ReplayFixtures.run(s, POOLS, budgeted(new Karpenter.Budget(100, true)), 30);
        assertThat(r.scaleUps()).isEqualTo(3);
        assertThat(r.scaleDowns()).isEqualTo(2);
        assertThat(r.nodeHoursByShape().get("large") * 3600).isCloseTo(2 * (1075 - 1), within(1e-6));
        assertThat(r.nodeHoursByShape().get("small") * 3600).isCloseTo(3600 - 1015, within(1e-6));
    }

    @Test
    void multiNodeConsolidationDoesNotReplaceNodesByATypeOfTheirsThatCostsAsMuch() {
        // A large node (a 7-CPU pod leaving at 1000, a 1-CPU pod staying) and a small one launched
        // at 101 for a 1.5-CPU pod (billed from its launch). At 1000 both pods together (2.5 CPU) need a large node, cheaper
        // than the two ($0.25 < $0.35) but a type of theirs: filterOutSameInstanceType keeps only
        // types below the large node's own price, and none holds them, so no multi-node command.
        // Single-node consolidation then replaces the large node by a small one (its 1-CPU pod does
        // not fit beside the 1.5-CPU one): two small nodes, not one large.
        List<P> pods = new ArrayList<>(List.of(new P(7000, GIB, 0, 1000), new P(1000, GIB, 0, PodStream.STAYS),
                new P(1500, GIB, 100, PodStream.STAYS)));
        PodStream s = ReplayFixtures.stream(3600, pods);
        ReplayResult r = ReplayFixtures.run(s, POOLS, budgeted(new Karpenter.Budget(100, true)), 30);
        assertThat(r.scaleUps()).isEqualTo(3);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.nodeHoursByShape().get("large") * 3600).isCloseTo(1075 - 1, within(1e-6));
        assertThat(r.nodeHoursByShape().get("small") * 3600).isCloseTo((3600 - 101) + (3600 - 1015), within(1e-6));
    }

    @Test
    void multiNodeConsolidationDoesNotPutPodsThatRepelEachOtherOnOneReplacement() {
        // Two web replicas that repel each other (required anti-affinity on the hostname), each on
        // a large node beside a 7-CPU filler that leaves at 1000. Both webs would fit one small node
        // by their requests, but not together: multi-node consolidation needs two new nodes and
        // gives up. Single-node consolidation replaces one large node at a time by a small one
        // (its web cannot join the other): the first decided at 1000, launched at 1015, ready and
        // the large node drained at 1045, gone at 1075 (the passes fall on 1015 + 10 s steps from
        // the command on; the one at 1045 sees the evicted web still pending and skips); the second
        // at the pass of 1055, launched at 1070, gone at 1130.
        io.nodesizer.model.Placement repel = new io.nodesizer.model.Placement(java.util.Map.of(), null, List.of(), "shop",
                java.util.Map.of("app", "web"), List.of(new io.nodesizer.model.Placement.PodAffinityTerm(java.util.Map.of("app", "web"),
                List.of(), List.of(), false, false, io.nodesizer.kube.PodConflicts.HOSTNAME)), List.of());
        io.nodesizer.model.PodGroup web = new io.nodesizer.model.PodGroup("web", "test", new io.nodesizer.model.Resources(500, GIB, 1, 0, 0), 2,
                false, null, new io.nodesizer.model.SourceRef("t", 1), List.of(), null, repel);
        io.nodesizer.model.PodGroup filler = new io.nodesizer.model.PodGroup("filler", "test", new io.nodesizer.model.Resources(7000, GIB, 1, 0, 0), 2,
                false, null, new io.nodesizer.model.SourceRef("t", 2), List.of(), null, io.nodesizer.model.Placement.ANY);
        io.nodesizer.engine.DemandTable table = io.nodesizer.engine.DemandTable.of(io.nodesizer.model.Workload.of(List.of(web, filler)));
        PodStream.Builder b = new PodStream.Builder(table, io.nodesizer.replay.demand.TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < 2; i++) {
            b.add(0, i, 0, PodStream.STAYS);
            b.add(1, i, 0, 1000);
        }
        ReplayResult r = ReplayFixtures.run(b.build(), POOLS, budgeted(new Karpenter.Budget(100, true)), 30);
        assertThat(r.scaleUps()).isEqualTo(4);
        assertThat(r.scaleDowns()).isEqualTo(2);
        assertThat(r.nodeHoursByShape().get("large") * 3600).isCloseTo((1075 - 1) + (1130 - 1), within(1e-6));
        assertThat(r.nodeHoursByShape().get("small") * 3600).isCloseTo((3600 - 1015) + (3600 - 1070), within(1e-6));
        assertThat(r.pendingAtEnd()).isZero();
    }

    @Test
    void consolidationTriesTheNodeThatSavesMostPerPodFirst() {
        // A large node ($0.25) full with a 7-CPU filler and two 0.5-CPU pods, and a small one ($0.10)
        // launched at 101 for a third 0.5-CPU pod. At 1000 the filler leaves; either node's pods fit
        // on the other. Karpenter ranks candidates by SavingsRatio, price over rescheduling cost (1 +
        // its pods): the large node's 0.25 / 3 before the small one's 0.10 / 2, though it has more
        // pods. It is deleted (gone at 1045) and the small node stays. Fewest pods first would have
        // deleted the small node and later replaced the large one: a third launch.
        List<P> pods = new ArrayList<>(List.of(new P(7000, GIB, 0, 1000), new P(500, GIB, 0, PodStream.STAYS),
                new P(500, GIB, 0, PodStream.STAYS), new P(500, GIB, 100, PodStream.STAYS)));
        PodStream s = ReplayFixtures.stream(3600, pods);
        ReplayResult r = ReplayFixtures.run(s, POOLS, karpenter(), 30);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.nodeHoursByShape().get("large") * 3600).isCloseTo(1045 - 1, within(1e-6));
        assertThat(r.nodeHoursByShape().get("small") * 3600).isCloseTo(3600 - 101, within(1e-6));
    }

    @Test
    void consolidationDoesNotMovePodsOntoANodeUnderConsolidateAfter() {
        // consolidateAfter 5m, one shape. Node X: a 7-CPU pod leaving at 1000 and a 0.5-CPU pod
        // staying; node Y: a 7-CPU pod staying, and a 0.5-CPU pod lands there at 1200. X is a
        // candidate from 1300 and its pod fits on Y, but Y's pods changed at 1200: until 1500 it is
        // no destination for a consolidation simulation (Karpenter 1.14). X is deleted at the poll of
        // 1500 (drained at 1515, gone at 1545), not at 1300.
        List<Pool> one = List.of(ReplayFixtures.pool(0, "large", 8000, 32 * GIB, 0.25));
        List<P> pods = new ArrayList<>(List.of(new P(7000, GIB, 0, 1000), new P(500, GIB, 0, PodStream.STAYS),
                new P(7000, GIB, 0, PodStream.STAYS), new P(500, GIB, 1200, PodStream.STAYS)));
        PodStream s = ReplayFixtures.stream(3600, pods);
        Karpenter patient = new Karpenter(new Karpenter.Settings(1, 10, Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 300, 10, Integer.MAX_VALUE));
        ReplayResult r = ReplayFixtures.run(s, one, patient, 30);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.nodeHours() * 3600).isCloseTo((1545 - 1) + (3600 - 1), within(1e-6));
    }

    @Test
    void aNodeIsDrainedWhenItExpiresAndItsPodsGetANewOne() {
        // expireAfter 1000 s: the node launched at 1 for a pod that stays expires at 1001 and is
        // drained then, whatever the budget, with no node launched first: its pod goes pending, the
        // batch closes at 1002 and launches a node (ready at 1032); the old node is gone at 1031.
        // The new node would expire at 2002, after the run. With expireAfter Never the node stays.
        PodStream s = ReplayFixtures.stream(1500, ReplayFixtures.same(1, 1000, GIB, 0, PodStream.STAYS));
        Karpenter expiring = new Karpenter(new Karpenter.Settings(1, 10, Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 0, 10,
                Integer.MAX_VALUE, new Karpenter.Budget(0, false), 1000));
        ReplayResult r = ReplayFixtures.run(s, POOLS, expiring, 30);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.nodeHours() * 3600).isCloseTo((1031 - 1) + (1500 - 1002), within(1e-6));
        Karpenter never = new Karpenter(new Karpenter.Settings(1, 10, Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 0, 10,
                Integer.MAX_VALUE, new Karpenter.Budget(0, false), Karpenter.Settings.NEVER));
        assertThat(ReplayFixtures.run(s, POOLS, never, 30).scaleDowns()).isZero();
    }

    @Test
    void balancedKeepsACheapNodeWhosePodsAreMostOfTheDisruption() {
        // A large node L ($0.25) full with a 7-CPU pod that stays and a 1-CPU filler leaving at 1000;
        // three 0.3-CPU pods at 100 find no room and get a small node S ($0.10, launched at 101). From
        // 1000 S's pods fit on L, L's 7-CPU pod fits nowhere else. WhenEmptyOrUnderutilized deletes S
        // (decided at 1000, drained at 1015, gone at 1045). Balanced (Karpenter 1.14) first scores
        // deleting S outright against the NodePool: it saves 0.10 of 0.35 $/h (0.286) for 1 + 3 of
        // the pool's (1 + 1) + (1 + 3) = 6 disruption (0.667), a ratio of 0.43 under 1/2: S stays.
        List<P> pods = new ArrayList<>(List.of(new P(7000, GIB, 0, PodStream.STAYS), new P(1000, GIB, 0, 1000)));
        pods.addAll(ReplayFixtures.same(3, 300, GIB, 100, PodStream.STAYS));
        PodStream s = ReplayFixtures.stream(3600, pods);
        ReplayResult underutilized = ReplayFixtures.run(s, POOLS, karpenter(), 30);
        assertThat(underutilized.scaleUps()).isEqualTo(2);
        assertThat(underutilized.scaleDowns()).isEqualTo(1);
        assertThat(underutilized.nodeHoursByShape().get("small") * 3600).isCloseTo(1045 - 101, within(1e-6));
        Karpenter balanced = new Karpenter(new Karpenter.Settings(1, 10, Karpenter.Consolidation.BALANCED, 0, 10, Integer.MAX_VALUE));
        ReplayResult r = ReplayFixtures.run(s, POOLS, balanced, 30);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.scaleDowns()).isZero();
        assertThat(r.nodeHoursByShape().get("small") * 3600).isCloseTo(3600 - 101, within(1e-6));
    }

    @Test
    void balancedReplacesWhenTheSavingOutweighsTheDisruption() {
        // The replacement of emptyNodeIsDeletedAndUnderusedNodeIsReplacedByACheaperOne under
        // Balanced: one large node left with one pod; a small one saves 0.15 of 0.25 $/h (0.6) for
        // the whole pool's disruption (2 of 2): a ratio of 0.6, at least 1/2, so the same replacement.
        PodStream s = sixPodsFiveLeave();
        Karpenter balanced = new Karpenter(new Karpenter.Settings(1, 10, Karpenter.Consolidation.BALANCED, 0, 10, Integer.MAX_VALUE));
        ReplayResult r = ReplayFixtures.run(s, POOLS, balanced, 30);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.nodeHoursByShape().get("small") * 3600).isCloseTo(3600 - 1015, within(1e-6));
    }

    /** Six 1-CPU pods from 0 (one large node), five of them leaving at 1000; over an hour. */
    private static PodStream sixPodsFiveLeave() {
        List<P> pods = new ArrayList<>(ReplayFixtures.same(1, 1000, GIB, 0, PodStream.STAYS));
        pods.addAll(ReplayFixtures.same(5, 1000, GIB, 0, 1000));
        return ReplayFixtures.stream(3600, pods);
    }

    private static Karpenter budgeted(Karpenter.Budget budget) {
        return new Karpenter(new Karpenter.Settings(Karpenter.Settings.BATCH_IDLE, Karpenter.Settings.BATCH_MAX,
                Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 0, Karpenter.Settings.POLL_PERIOD, Integer.MAX_VALUE, budget));
    }
}
