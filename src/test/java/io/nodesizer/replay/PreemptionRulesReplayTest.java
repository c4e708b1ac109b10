package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kube-scheduler's preemption where more than the amounts keep a pod off a node: the node
 * selector (a node it does not select is passed over, whatever its victims), GPU devices (the
 * victims' devices given back), and the zone rules counted without the victims (upstream's
 * {@code RemovePod} extensions). Every placement is asserted in {@link Pods#place} (assertions are
 * on in the tests), and a preemptor that would not fit where its victims left fails the replay.
 */
final class PreemptionRulesReplayTest {
    private static final List<String> ZONES = List.of("zone-a", "zone-b");

    private static PodGroup group(String name, long cpuMillis, long gpuMillis, int priority, Placement p) {
        return new PodGroup(name, "test", new Resources(cpuMillis, GIB, 1, gpuMillis, 0), 1, false, null, new SourceRef("t", 1),
                List.of(), null, p).withPriority(priority);
    }

    private static Placement selecting(Map<String, String> selector, String app, List<Placement.Spread> spread) {
        return new Placement(selector, null, List.of(), "shop", Map.of("app", app), List.of(), List.of(), spread);
    }

    /** Group i's one pod arrives at {@code arrive[i]} and stays. */
    private static PodStream stream(List<PodGroup> groups, long... arrive) {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 300);
        for (int g = 0; g < groups.size(); g++) {
            b.add(g, 0, arrive[g], PodStream.STAYS);
        }
        return b.build();
    }

    private static final Pool MID = Pool.of(0, Fixtures.shape("mid", 4000, 16 * GIB, 110, 0.19), Resources.ZERO);

    /** A cold replay without provisioning delay of {@code groups}, group i's pod arriving at {@code arrive[i]}. */
    private static ReplayResult run(List<Pool> pools, io.nodesizer.replay.autoscale.Autoscaler nodes, List<PodGroup> groups, long... arrive) {
        return Replay.run(stream(groups, arrive), pools, nodes, Replay.Settings.defaults(ProvisionDelay.fixed(0), 1).cold());
    }

    /** One node of the first pool and one of the second, from the start. */
    private static final class OneOfEach extends ForwardingAutoscaler {
        OneOfEach() {
            super(new FixedCount(1));
        }

        @Override
        public void start(Cluster cluster) {
            inner.start(cluster);
            cluster.addInitialNode(1);
        }
    }

    /**
     * Two 4-CPU nodes, one labelled pool=mid, one not. a (3 CPU, priority 100, on pool=mid) and b
     * (3 CPU, priority 0, anywhere: the emptier node) one on each. high (3 CPU, 1000, on pool=mid)
     * fits neither. b's priority is the lower, but high may not use b's node (NodeAffinity says
     * UnschedulableAndUnresolvable there): a is the victim. Before, any selector turned preemption
     * off for the whole replay and high waited.
     */
    @Test
    void aNodeThePodsSelectorExcludesIsPassedOverWhateverItsVictims() {
        Pool mid = Pool.of(0, Fixtures.shape("mid", 4000, 16 * GIB, 110, 0.19).withLabelsAndTaints(Map.of("pool", "mid"), List.of()),
                Resources.ZERO);
        Pool other = Pool.of(1, Fixtures.shape("other", 4000, 16 * GIB, 110, 0.19), Resources.ZERO);
        List<PodGroup> groups = List.of(group("a", 3000, 0, 100, selecting(Map.of("pool", "mid"), "a", List.of())),
                group("b", 3000, 0, 0, selecting(Map.of(), "b", List.of())),
                group("high", 3000, 0, 1000, selecting(Map.of("pool", "mid"), "high", List.of())));
        ReplayResult r = run(List.of(mid, other), new OneOfEach(), groups, 0, 0, 10);
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("a:");
    }

    /** {@code g} with its pods covered by a PodDisruptionBudget of {@code spec} ({@code min}/{@code max}) selecting {@code selector}. */
    private static PodGroup budgeted(PodGroup g, Map<String, String> selector, String min, String max) {
        return Fixtures.budgeted(g, List.of(Fixtures.budget(g.name() + "-pdb", selector, min, max)));
    }

    /**
     * Two 4-CPU nodes: a (3 CPU, priority 0, app=a) on the first, b (3 CPU, 0, app=b) on the second; high (3 CPU, 1000)
     * fits neither. The two nodes tie on every other criterion, so the first node's a is the victim, unless a budget that
     * allows no eviction of a now covers it: then b's node has fewer victims that break a budget
     * ({@code pickOneNodeForPreemption}'s first criterion). A budget that allows one, or one whose selector is empty
     * (which matches nothing in preemption's eyes), leaves a the victim. Budgets steer, never stop: with both covered, a
     * still goes.
     */
    @Test
    void aVictimThatWouldBreakItsBudgetIsSparedWhereTheSchedulerHasTheChoice() {
        PodGroup a = group("a", 3000, 0, 0, selecting(Map.of(), "a", List.of()));
        PodGroup b = group("b", 3000, 0, 0, selecting(Map.of(), "b", List.of()));
        PodGroup high = group("high", 3000, 0, 1000, selecting(Map.of(), "high", List.of()));
        Map<String, String> appA = Map.of("app", "a");
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("no budget", new Object[]{List.of(a, b, high), "a:"});
        cases.put("a allows none", new Object[]{List.of(budgeted(a, appA, null, "0"), b, high), "b:"});
        cases.put("a minAvailable 1 of 1", new Object[]{List.of(budgeted(a, appA, "1", null), b, high), "b:"});
        cases.put("a allows one", new Object[]{List.of(budgeted(a, appA, "0", null), b, high), "a:"});
        cases.put("empty selector", new Object[]{List.of(budgeted(a, Map.of(), null, "0"), b, high), "a:"});
        cases.put("both allow none", new Object[]{List.of(budgeted(a, appA, null, "0"), budgeted(b, Map.of("app", "b"), null, "0"), high), "a:"});
        for (var c : cases.entrySet()) {
            @SuppressWarnings("unchecked")
            List<PodGroup> groups = (List<PodGroup>) c.getValue()[0];
            ReplayResult r = run(List.of(MID), new FixedCount(2), groups, 0, 0, 10);
            assertThat(r.evictions()).as(c.getKey()).isEqualTo(1);
            assertThat(r.pendingAtEndReasons().keySet()).as(c.getKey()).singleElement().asString().startsWith((String) c.getValue()[1]);
        }
    }

    /**
     * One node with two GPUs. filler (a 0.6 GPU share, priority 2000) and low (a 0.6 share, 0)
     * hold one device each. high (a 0.8 share, 1000) fits the node's 0.8 GPU free in all, but no
     * device has 0.8: it fits nowhere. Without low its device is whole again; low is the victim.
     * Among equals (high at 0) it waits.
     */
    @Test
    void gpuDevicesAreFreedByTheVictims() {
        Pool gpu = Pool.of(0, Fixtures.priced("gpu", 8000, 32 * GIB, 2000, 2.0), Resources.ZERO);
        for (int highPriority : new int[]{1000, 0}) {
            List<PodGroup> groups = List.of(group("filler", 1000, 600, 2000, Placement.ANY), group("low", 1000, 600, 0, Placement.ANY),
                    group("high", 1000, 800, highPriority, Placement.ANY));
            ReplayResult r = run(List.of(gpu), new FixedCount(1), groups, 0, 0, 10);
            assertThat(r.evictions()).as("high at %d", highPriority).isEqualTo(highPriority > 0 ? 1 : 0);
            assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith(highPriority > 0 ? "low:" : "high:");
        }
    }

    /**
     * Two 4-CPU nodes in zone-a and zone-b. Two old pods (2 CPU each, priority 0, labelled app=web,
     * pinned to zone-a) fill the zone-a node; filler (3 CPU, 2000) is on the zone-b node. high (2
     * CPU, 1000, app=web) spreads app=web over the zones, maxSkew 1, DoNotSchedule: zone-b has no
     * room, and zone-a is both full and too skewed (2 + 1 - 0 > 1). With both old pods off, zone-a
     * holds high (0 + 1 - 0); putting one back leaves room for it by the amounts, but the spread
     * (1 + 1 - 0 > 1) says no: both are victims (on the amounts alone one would have been, and high
     * would not fit where it left). Then one of them, retried, goes back beside high.
     */
    @Test
    void theZoneSpreadIsCountedWithoutTheVictims() {
        Placement.PodAffinityTerm web = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.ZONE);
        Placement.Spread spread = new Placement.Spread(1, true, web, 1);
        List<PodGroup> groups = List.of(group("old-1", 2000, 0, 0, selecting(Map.of(PodConflicts.ZONE, "zone-a"), "web", List.of())),
                group("old-2", 2000, 0, 0, selecting(Map.of(PodConflicts.ZONE, "zone-a"), "web", List.of())),
                group("filler", 3000, 0, 2000, selecting(Map.of(PodConflicts.ZONE, "zone-b"), "filler", List.of())),
                group("high", 2000, 0, 1000, selecting(Map.of(), "web", List.of(spread))));
        ZoneReplayTest.Watched w = new ZoneReplayTest.Watched(new FixedCount(2));
        ReplayResult r = Replay.run(stream(groups, 0, 0, 0, 10), List.of(MID), w,
                Replay.Settings.defaults(ProvisionDelay.fixed(0), 1).cold().withZones(ZONES));
        assertThat(r.evictions()).isEqualTo(2);
        assertThat(r.pendingAtEnd()).isEqualTo(1); // the first victim retried goes back beside high: it has no spread of its own
        assertThat(ZoneReplayTest.perZone(w.cluster, 3)).containsExactly(1, 0);
    }

    private static Placement.PodAffinityTerm onHost(String app) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, PodConflicts.HOSTNAME);
    }

    private static Placement rules(String app, List<Placement.PodAffinityTerm> anti, List<Placement.PodAffinityTerm> affinity) {
        return new Placement(Map.of(), null, List.of(), "shop", Map.of("app", app), anti, affinity, List.of());
    }

    /**
     * Two 4-CPU nodes: x (4 CPU, priority 100) on one; y (1 CPU, 0) and z (2 CPU, 0) on the other.
     * high (1 CPU, 1000) has required anti-affinity to app=y on the hostname: it fits neither. On
     * y's node, with y and z off, y is put back first (the earlier) and repels high, so y is the
     * victim and z is reprieved; the victims' priority (0) is below x's, so y goes. Checking the
     * rule before the victims leave would have passed over y's node and evicted x.
     */
    @Test
    void antiAffinityIsCheckedWithTheVictimsOff() {
        List<PodGroup> groups = List.of(group("x", 4000, 0, 100, rules("x", List.of(), List.of())),
                group("y", 1000, 0, 0, rules("y", List.of(), List.of())), group("z", 2000, 0, 0, rules("z", List.of(), List.of())),
                group("high", 1000, 0, 1000, rules("high", List.of(onHost("y")), List.of())));
        ReplayResult r = run(List.of(MID), new FixedCount(2), groups, 0, 0, 0, 10);
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("y:");
    }

    /**
     * One 4-CPU node with t (1 CPU, app=t) and w (3 CPU, 0); another full with u (4 CPU, 2000).
     * high (3 CPU, 1000) needs an app=t pod on its node. With t at priority 0, every pod below high
     * comes off first and t with them, so high's affinity fails on that node and kube-scheduler
     * does not try it: nothing is evicted, high waits (on the amounts alone w would have gone).
     * With t at 1000, t stays and w is the victim.
     */
    @Test
    void aRequiredAffinityTargetOfLowerPriorityKeepsTheNodeOutOfPreemption() {
        for (int tPriority : new int[]{0, 1000}) {
            List<PodGroup> groups = List.of(group("u", 4000, 0, 2000, rules("u", List.of(), List.of())),
                    group("t", 1000, 0, tPriority, rules("t", List.of(), List.of())), group("w", 3000, 0, 0, rules("w", List.of(), List.of())),
                    group("high", 3000, 0, 1000, rules("high", List.of(), List.of(onHost("t")))));
            ReplayResult r = run(List.of(MID), new FixedCount(2), groups, 0, 0, 0, 10);
            assertThat(r.evictions()).as("t at %d", tPriority).isEqualTo(tPriority == 0 ? 0 : 1);
            assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith(tPriority == 0 ? "high:" : "w:");
        }
    }

    /**
     * A victim's replacement is a new pod, which preempts in turn. Node b (pool=b) holds low (3 CPU,
     * priority 0) and top (1 CPU, 2000), both only on pool=b; mid (3 CPU, 500, anywhere) then goes to
     * node a (pool=a). high (3 CPU, 1000, only on pool=a) evicts mid; mid's replacement fits nowhere
     * and evicts low on b. low waits at the end. Before, a victim waited for room whatever its
     * priority, and low kept running.
     */
    @Test
    void aVictimsReplacementPreemptsInTurn() {
        Pool a = Pool.of(0, Fixtures.shape("a", 4000, 16 * GIB, 110, 0.19).withLabelsAndTaints(Map.of("pool", "a"), List.of()),
                Resources.ZERO);
        Pool b = Pool.of(1, Fixtures.shape("b", 4000, 16 * GIB, 110, 0.19).withLabelsAndTaints(Map.of("pool", "b"), List.of()),
                Resources.ZERO);
        List<PodGroup> groups = List.of(group("low", 3000, 0, 0, selecting(Map.of("pool", "b"), "low", List.of())),
                group("top", 1000, 0, 2000, selecting(Map.of("pool", "b"), "top", List.of())),
                group("mid", 3000, 0, 500, selecting(Map.of(), "mid", List.of())),
                group("high", 3000, 0, 1000, selecting(Map.of("pool", "a"), "high", List.of())));
        ReplayResult r = run(List.of(a, b), new OneOfEach(), groups, 0, 0, 1, 10);
        assertThat(r.evictions()).isEqualTo(2);
        assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("low:");
    }
}
