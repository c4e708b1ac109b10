package io.nodesizer.replay;

import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.autoscale.Schedule;
import io.nodesizer.replay.autoscale.Scheduled;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.input.SourceLocation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of every autoscaler on random pod streams: the run verifies itself (no node over
 * allocatable, pods conserved), is deterministic, and skipping idle autoscaler loops gives exactly
 * what running every period gives.
 */
class ReplayPropertyTest {
    private static final List<Pool> POOLS = List.of(
            ReplayFixtures.pool(0, "small", 2000, 8 * GIB, 0.10),
            ReplayFixtures.pool(1, "medium", 4000, 16 * GIB, 0.19),
            ReplayFixtures.pool(2, "large", 16000, 64 * GIB, 0.80));

    static PodStream random(long seed, int pods, long horizon) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ReplayFixtures.P> list = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            long a = r.nextLong(horizon);
            long d = r.nextInt(5) == 0 ? PodStream.STAYS : a + r.nextLong(1, 4 * 3600);
            list.add(new ReplayFixtures.P(r.nextLong(1, 3000), r.nextLong(1, 12) * GIB / 2, a, d));
        }
        return ReplayFixtures.stream(horizon, list);
    }

    private static List<Supplier<Autoscaler>> models(long seed) {
        Schedule schedule = new Schedule(List.of(Schedule.parseInline("Mon 02:00-05:00 min=3", SourceLocation.ofFile("x"))));
        return List.of(
                () -> new FixedCount(4),
                () -> new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 1000), seed),
                () -> new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(1, 6), seed),
                // One deletion at a time: the unneeded pass stops at 2 more nodes than the last one found;
                // pods under 25 s old are left out of scale-up, and 45 s pass between loops that delete.
                () -> new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 120, 0.5, 0, Expander.RANDOM, 0, 1000, 1, 1, 300, 25, 45), seed),
                () -> new Karpenter(Karpenter.Settings.defaults(Integer.MAX_VALUE)),
                // consolidateAfter 60 s: a node's deadline falls off the poll grid, and a pass must still come after it.
                () -> new Karpenter(new Karpenter.Settings(1, 10, Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 60, 10,
                        Integer.MAX_VALUE, Karpenter.Budget.DEFAULT, Karpenter.Settings.NEVER)),
                () -> new Scheduled(new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 1000), seed), schedule,
                        TimePoints.DEFAULT_ORIGIN, io.nodesizer.replay.autoscale.WeekClock.UTC, seed));
    }

    /**
     * The same properties when pods differ in priority: the queue in PrioritySort order, preemption
     * at arrival, and CA's expendable pods (priority -20, below its default cutoff) all take part.
     */
    @Test
    void withPrioritiesTheRunsStillVerifyThemselvesAndSkippingIdleLoopsStillEqualsEveryPeriod() {
        assertThat(prioritizedRuns(false)).isPositive();
    }

    /**
     * As above with pod rules on the hostname: required anti-affinity and affinity between three
     * labels, and hard hostname spreads, so that preemption checks them with its victims off
     * (every placement, a preemptor's too, is asserted in {@link Pods#place}, and each run verifies
     * its counts).
     */
    @Test
    void withPrioritiesAndHostnameRulesTheRunsStillVerifyThemselves() {
        assertThat(prioritizedRuns(true)).isPositive();
    }

    /**
     * As above with PodDisruptionBudgets over the three labels (l0 {@code maxUnavailable: 1}, l1 {@code minAvailable: 50%},
     * l2 two budgets, which the eviction API never lets go): drains hold pods on their cordoned nodes and retry, CA gives
     * drains up, Karpenter waits; the runs still verify (pods on draining nodes, budgets' counts) and agree sparse and dense.
     */
    @Test
    void withBudgetsAndHostnameRulesTheRunsStillVerifyThemselves() {
        assertThat(prioritizedRuns(true, true)).isPositive();
    }

    private static long prioritizedRuns(boolean rules) {
        return prioritizedRuns(rules, false);
    }

    /** {@code g} (labelled app=l0, l1 or l2) with a pod spec whose pods the budgets of its label cover. */
    private static io.nodesizer.model.PodGroup budgeted(io.nodesizer.model.PodGroup g) {
        String app = g.placement().podLabels().get("app");
        java.util.Map<String, String> selector = java.util.Map.of("app", app);
        return io.nodesizer.testkit.Fixtures.budgeted(g, switch (app) {
            case "l0" -> List.of(io.nodesizer.testkit.Fixtures.budget("l0", selector, null, "1"));
            case "l1" -> List.of(io.nodesizer.testkit.Fixtures.budget("l1", selector, "50%", null));
            default -> List.of(io.nodesizer.testkit.Fixtures.budget("l2", selector, null, "1"),
                    io.nodesizer.testkit.Fixtures.budget("l2-too", selector, "1", null));
        });
    }

    /** Twenty seeds of 150 pods of random priorities under every model ({@link #checked}); returns the fixed cluster's evictions (its preemptions), or with budgets the drains they held. */
    private static long prioritizedRuns(boolean rules, boolean budgets) {
        int[] priorities = {-20, 0, 0, 1000};
        long preempted = 0; // a fixed cluster drains nothing: its evictions are preemptions
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed * 31);
            long horizon = 8 * 3600;
            List<io.nodesizer.model.PodGroup> groups = new ArrayList<>();
            long[][] times = new long[150][2];
            for (int i = 0; i < 150; i++) {
                long a = r.nextLong(horizon);
                times[i][0] = a;
                times[i][1] = r.nextInt(5) == 0 ? PodStream.STAYS : a + r.nextLong(1, 4 * 3600);
                io.nodesizer.model.PodGroup g = io.nodesizer.testkit.Fixtures.group("p" + i, r.nextLong(1, 3000), r.nextLong(1, 12) * GIB / 2, 1)
                        .withPriority(priorities[r.nextInt(priorities.length)]);
                io.nodesizer.model.PodGroup ruled = rules ? withHostnameRules(g, r) : g;
                groups.add(budgets ? budgeted(ruled) : ruled);
            }
            PodStream.Builder b = new PodStream.Builder(io.nodesizer.engine.DemandTable.of(io.nodesizer.model.Workload.of(groups)), TimePoints.DEFAULT_ORIGIN,
                    horizon);
            for (int i = 0; i < 150; i++) {
                b.add(i, 0, times[i][0], times[i][1]);
            }
            PodStream s = b.build();
            for (Supplier<Autoscaler> model : models(seed)) {
                ReplayResult sparse = checked(s, model, seed);
                preempted += budgets ? sparse.budgetedDrains().held() : model.get() instanceof FixedCount ? sparse.evictions() : 0;
            }
        }
        return preempted;
    }

    /** {@code g} labelled app=l0, l1 or l2, with one in four required anti-affinity to a label, one in eight affinity, one in six a hard hostname spread. */
    private static io.nodesizer.model.PodGroup withHostnameRules(io.nodesizer.model.PodGroup g, SplittableRandom r) {
        List<io.nodesizer.model.Placement.PodAffinityTerm> anti = r.nextInt(4) == 0
                ? List.of(io.nodesizer.testkit.Fixtures.selectsApp("l" + r.nextInt(3))) : List.of();
        List<io.nodesizer.model.Placement.PodAffinityTerm> affinity = r.nextInt(8) == 0
                ? List.of(io.nodesizer.testkit.Fixtures.selectsApp("l" + r.nextInt(3))) : List.of();
        List<io.nodesizer.model.Placement.Spread> spread = r.nextInt(6) == 0
                ? List.of(new io.nodesizer.model.Placement.Spread(1 + r.nextInt(2), true, io.nodesizer.testkit.Fixtures.selectsApp("l" + r.nextInt(3)), 1))
                : List.of();
        io.nodesizer.model.Placement p = new io.nodesizer.model.Placement(java.util.Map.of(), null, List.of(), "shop",
                java.util.Map.of("app", "l" + r.nextInt(3)), anti, affinity, spread);
        return new io.nodesizer.model.PodGroup(g.name(), g.kind(), g.request(), 1, false, null, g.origin(), List.of(), null, p)
                .withPriority(g.priority());
    }

    /**
     * Runs {@code s} (150 pods) under {@code model} three times — sparse, dense (every loop), sparse
     * again — on one medium or large pool (Karpenter: all three), and checks they agree; returns the first.
     */
    private static ReplayResult checked(PodStream s, Supplier<Autoscaler> model, long seed) {
        List<Pool> pools = model.get() instanceof Karpenter ? POOLS
                : List.of(Pool.of(0, POOLS.get(1 + (int) (seed % 2)).shape(), io.nodesizer.model.Resources.ZERO));
        Replay.Settings settings = new Replay.Settings(new ProvisionDelay(30, 200), 30, seed,
                io.nodesizer.engine.strategy.KubeScheduler.Scoring.MOST_ALLOCATED, 600, false, seed % 2 == 0, -1, 1);
        ReplayResult sparse = Replay.run(s, pools, model.get(), settings);
        ReplayResult dense = Replay.run(s, pools, model.get(), settings.dense());
        ReplayResult again = Replay.run(s, pools, model.get(), settings);
        String what = model.get().name() + " seed " + seed;
        assertThat(strip(sparse)).as(what).isEqualTo(strip(dense));
        assertThat(strip(sparse)).as(what).isEqualTo(strip(again));
        assertThat(sparse.podsArrived()).as(what).isEqualTo(150);
        return sparse;
    }

    private static final List<String> ZONES = List.of("zone-a", "zone-b", "zone-c");

    /**
     * The same three runs with zones and GPUs: hostname and zone rules (anti-affinity, affinity,
     * hard spreads, zone selectors), GPU shares on a GPU pool beside a CPU pool (Karpenter picks
     * between them; the others run the GPU pool), random priorities. Pods that no new node can help
     * (a zone no pool may open, an affinity target running nowhere) wait beside the others, so a
     * model's fruitless loops meet the changes after them at different times in the sparse and the
     * dense runs: a Karpenter batch opened by such a loop made the next launch a second earlier
     * every period than with idle loops skipped.
     */
    @Test
    void withZonesGpusAndEveryRuleSkippingIdleLoopsStillEqualsEveryPeriod() {
        long evictions = 0;
        for (long seed = 1; seed <= 25; seed++) {
            for (int variant = 0; variant < 4; variant++) {
                boolean zones = (variant & 1) != 0;
                boolean gpus = (variant & 2) != 0;
                PodStream s = ruled(seed * 7 + variant, zones, gpus);
                List<Pool> pools = gpus
                        ? List.of(Pool.of(0, io.nodesizer.testkit.Fixtures.priced("gpu", 8000, 32 * GIB, 2000 + 2000 * (seed % 2), 2.0),
                                        io.nodesizer.model.Resources.ZERO),
                                Pool.of(1, io.nodesizer.testkit.Fixtures.priced("cpu", 4000, 16 * GIB, 0, 0.19), io.nodesizer.model.Resources.ZERO))
                        : List.of(ReplayFixtures.pool(0, "medium", 4000, 16 * GIB, 0.19));
                Replay.Settings settings = new Replay.Settings(new ProvisionDelay(30, 200), 30, seed,
                        io.nodesizer.engine.strategy.KubeScheduler.Scoring.MOST_ALLOCATED, 600, false, seed % 2 == 0, -1, 1);
                settings = zones ? settings.withZones(ZONES) : settings;
                for (Supplier<Autoscaler> model : List.<Supplier<Autoscaler>>of(() -> new FixedCount(4),
                        () -> new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 1000), 1),
                        () -> new Karpenter(Karpenter.Settings.defaults(Integer.MAX_VALUE)))) {
                    List<Pool> ps = model.get() instanceof Karpenter ? pools : pools.subList(0, 1);
                    String what = model.get().name() + " seed " + seed + " variant " + variant;
                    ReplayResult sparse = Replay.run(s, ps, model.get(), settings);
                    assertThat(strip(Replay.run(s, ps, model.get(), settings.dense()))).as(what).isEqualTo(strip(sparse));
                    assertThat(strip(Replay.run(s, ps, model.get(), settings))).as(what).isEqualTo(strip(sparse));
                    evictions += sparse.evictions();
                }
            }
        }
        assertThat(evictions).as("preemptions and drains took part").isPositive();
    }

    /**
     * Karpenter's preferences and PreferNoSchedule taints (review 72 #3): a cheap small and a large pool carry a
     * PreferNoSchedule taint that one group in three tolerates, the medium between none; one group in four prefers to keep off
     * a label's pods on the hostname, one in five prefers a tier. Under Respect and Ignore, with and without a NodePool limit of
     * 4 (where pods are relaxed, to the toleration last), skipping idle loops still equals running every period, and runs
     * repeat; launches go to tainted and untainted pools alike.
     */
    @Test
    void withPreferencesAndPreferNoScheduleTaintsKarpenterSkippingIdleLoopsStillEqualsEveryPeriod() {
        List<io.nodesizer.model.Placement.Taint> taint = List.of(new io.nodesizer.model.Placement.Taint("spot", "yes", "PreferNoSchedule"));
        List<Pool> pools = List.of(
                Pool.of(0, io.nodesizer.testkit.Fixtures.shape("small", 2000, 8 * GIB, 110, 0.09).withLabelsAndTaints(java.util.Map.of("tier", "a"), taint),
                        io.nodesizer.model.Resources.ZERO),
                Pool.of(1, io.nodesizer.testkit.Fixtures.shape("medium", 4000, 16 * GIB, 110, 0.19).withLabelsAndTaints(java.util.Map.of("tier", "b"), List.of()),
                        io.nodesizer.model.Resources.ZERO),
                Pool.of(2, io.nodesizer.testkit.Fixtures.shape("large", 16000, 64 * GIB, 110, 0.80).withLabelsAndTaints(java.util.Map.of("tier", "a"), taint),
                        io.nodesizer.model.Resources.ZERO));
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (long seed = 1; seed <= 12; seed++) {
            PodStream s = preferring(seed);
            for (Karpenter.PreferencePolicy policy : Karpenter.PreferencePolicy.values()) {
                for (int max : new int[]{Integer.MAX_VALUE, 4}) {
                    Supplier<Autoscaler> model = () -> new Karpenter(new Karpenter.Settings(1, 10, Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED,
                            0, 10, max, Karpenter.Budget.DEFAULT, Karpenter.Settings.EXPIRE_AFTER, Karpenter.Settings.NEVER, policy));
                    Replay.Settings settings = new Replay.Settings(new ProvisionDelay(30, 200), 30, seed,
                            io.nodesizer.engine.strategy.KubeScheduler.Scoring.MOST_ALLOCATED, 600, false, seed % 2 == 0, -1, 1);
                    String what = policy + " max " + max + " seed " + seed;
                    ReplayResult sparse = Replay.run(s, pools, model.get(), settings);
                    assertThat(strip(Replay.run(s, pools, model.get(), settings.dense()))).as(what).isEqualTo(strip(sparse));
                    assertThat(strip(Replay.run(s, pools, model.get(), settings))).as(what).isEqualTo(strip(sparse));
                    assertThat(sparse.podsArrived()).as(what).isEqualTo(150);
                    sparse.nodeHoursByShape().forEach((shape, hours) -> {
                        if (hours > 0) {
                            used.add(shape);
                        }
                    });
                }
            }
        }
        assertThat(used).containsExactly("large", "medium", "small");
    }

    /** 150 pods of 20 groups labelled l0-l3: tolerations of the spot taint, preferred hostname anti-affinity and preferred tiers at random. */
    private static PodStream preferring(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 13);
        long horizon = 6 * 3600;
        List<io.nodesizer.model.PodGroup> groups = new ArrayList<>();
        for (int g = 0; g < 20; g++) {
            List<io.nodesizer.model.Placement.Toleration> tolerations = r.nextInt(3) == 0
                    ? List.of(new io.nodesizer.model.Placement.Toleration("spot", "Exists", null, "PreferNoSchedule", null)) : List.of();
            List<io.nodesizer.model.Placement.WeightedPodTerm> anti = r.nextInt(4) == 0
                    ? List.of(new io.nodesizer.model.Placement.WeightedPodTerm(50, io.nodesizer.testkit.Fixtures.selectsApp("l" + r.nextInt(4)))) : List.of();
            List<io.nodesizer.model.Placement.WeightedTerm> tier = r.nextInt(5) == 0
                    ? List.of(new io.nodesizer.model.Placement.WeightedTerm(10, new io.nodesizer.model.Placement.Term(List.of(
                            new io.nodesizer.model.Placement.Requirement("tier", io.nodesizer.model.Placement.Operator.IN, List.of(List.of("a", "b", "c").get(r.nextInt(3))))),
                            List.of()))) : List.of();
            io.nodesizer.model.Placement p = new io.nodesizer.model.Placement(java.util.Map.of(), null, tolerations, "shop",
                    java.util.Map.of("app", "l" + r.nextInt(4)), List.of(), List.of(), List.of())
                    .withPreferences(new io.nodesizer.model.Placement.Preferences(tier, List.of(), anti, false));
            io.nodesizer.model.Resources request = new io.nodesizer.model.Resources(r.nextLong(100, 3000), r.nextLong(1, 8) * GIB / 2, 1, 0, 0);
            groups.add(new io.nodesizer.model.PodGroup("g" + g, "test", request, 1, false, null, new io.nodesizer.model.SourceRef("t", 1), List.of(),
                    null, p));
        }
        PodStream.Builder b = new PodStream.Builder(io.nodesizer.engine.DemandTable.of(io.nodesizer.model.Workload.of(groups)),
                TimePoints.DEFAULT_ORIGIN, horizon);
        for (int i = 0; i < 150; i++) {
            long a = r.nextLong(horizon);
            b.add(r.nextInt(20), i, a, r.nextInt(5) == 0 ? PodStream.STAYS : a + r.nextLong(1, 3 * 3600));
        }
        return b.build();
    }

    /** 150 pods of 12-31 groups: labels l0-l3, random rules on them (zone keys only with zones), GPU shares in one of three groups with GPUs. */
    private static PodStream ruled(long seed, boolean zones, boolean gpus) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] priorities = {-20, 0, 0, 500, 1000, 2000};
        long horizon = 6 * 3600;
        List<io.nodesizer.model.PodGroup> groups = new ArrayList<>();
        int count = 12 + r.nextInt(20);
        for (int g = 0; g < count; g++) {
            List<io.nodesizer.model.Placement.PodAffinityTerm> anti = new ArrayList<>();
            List<io.nodesizer.model.Placement.PodAffinityTerm> affinity = new ArrayList<>();
            List<io.nodesizer.model.Placement.Spread> spread = new ArrayList<>();
            if (r.nextInt(4) == 0) {
                anti.add(term(r, zones));
            }
            if (r.nextInt(7) == 0) {
                affinity.add(term(r, zones));
            }
            if (r.nextInt(4) == 0) {
                spread.add(new io.nodesizer.model.Placement.Spread(1 + r.nextInt(2), true, term(r, false), 1));
            }
            if (zones && r.nextInt(4) == 0) {
                spread.add(new io.nodesizer.model.Placement.Spread(1 + r.nextInt(2), true,
                        new io.nodesizer.model.Placement.PodAffinityTerm(java.util.Map.of("app", "l" + r.nextInt(4)), List.of(), List.of(), false, false,
                                io.nodesizer.kube.PodConflicts.ZONE), 1 + r.nextInt(3)));
            }
            java.util.Map<String, String> selector = zones && r.nextInt(8) == 0
                    ? java.util.Map.of(io.nodesizer.kube.PodConflicts.ZONE, ZONES.get(r.nextInt(3))) : java.util.Map.of();
            io.nodesizer.model.Placement p = new io.nodesizer.model.Placement(selector, null, List.of(), "shop",
                    java.util.Map.of("app", "l" + r.nextInt(4)), anti, affinity, spread);
            long[] shares = {300, 600, 1000, 2000};
            long gpu = gpus && r.nextInt(3) == 0 ? shares[r.nextInt(4)] : 0;
            io.nodesizer.model.Resources request = new io.nodesizer.model.Resources(r.nextLong(100, 3000), r.nextLong(1, 8) * GIB / 2, 1, gpu, 0);
            groups.add(new io.nodesizer.model.PodGroup("g" + g, "test", request, 1, false, null, new io.nodesizer.model.SourceRef("t", 1), List.of(),
                    null, p).withPriority(priorities[r.nextInt(priorities.length)]));
        }
        PodStream.Builder b = new PodStream.Builder(io.nodesizer.engine.DemandTable.of(io.nodesizer.model.Workload.of(groups)),
                TimePoints.DEFAULT_ORIGIN, horizon);
        for (int i = 0; i < 150; i++) {
            long a = r.nextLong(horizon);
            b.add(r.nextInt(count), i, a, r.nextInt(5) == 0 ? PodStream.STAYS : a + r.nextLong(1, 3 * 3600));
        }
        return b.build();
    }

    /** A term selecting one of the labels l0-l3 on the hostname, or with zones on the zone one time in three. */
    private static io.nodesizer.model.Placement.PodAffinityTerm term(SplittableRandom r, boolean zones) {
        String key = zones && r.nextInt(3) == 0 ? io.nodesizer.kube.PodConflicts.ZONE : io.nodesizer.kube.PodConflicts.HOSTNAME;
        return new io.nodesizer.model.Placement.PodAffinityTerm(java.util.Map.of("app", "l" + r.nextInt(4)), List.of(), List.of(), false, false, key);
    }

    @Test
    void skippingIdleLoopsEqualsRunningEveryPeriodAndRunsAreDeterministic() {
        for (long seed = 1; seed <= 60; seed++) {
            PodStream s = random(seed, 150, 8 * 3600);
            for (Supplier<Autoscaler> model : models(seed)) {
                ReplayResult sparse = checked(s, model, seed);
                assertThat(sparse.timeline()).as(model.get().name() + " seed " + seed).allSatisfy(p -> {
                    assertThat(p.cpuRequestedMillis()).isLessThanOrEqualTo(p.cpuAllocatableMillis());
                    assertThat(p.memoryRequestedBytes()).isLessThanOrEqualTo(p.memoryAllocatableBytes());
                });
            }
        }
    }

    /**
     * Each sample's peaks are the highest counts until the next sample: a run sampled every 10 minutes has, at each sample,
     * the state and peaks that the same run sampled every second shows over those 10 minutes, and its highest peak is the
     * run's {@code peakNodes} (a node living less than a step between two samples counts).
     */
    @Test
    void aSamplesPeaksAreTheHighestCountsUntilTheNext() {
        int peaksBetweenSamples = 0;
        for (long seed = 1; seed <= 12; seed++) {
            PodStream s = random(seed, 150, 8 * 3600);
            for (Supplier<Autoscaler> model : models(seed)) {
                List<Pool> pools = model.get() instanceof Karpenter ? POOLS
                        : List.of(Pool.of(0, POOLS.get(1 + (int) (seed % 2)).shape(), io.nodesizer.model.Resources.ZERO));
                var scoring = io.nodesizer.engine.strategy.KubeScheduler.Scoring.MOST_ALLOCATED;
                ReplayResult coarse = Replay.run(s, pools, model.get(),
                        new Replay.Settings(new ProvisionDelay(30, 200), 30, seed, scoring, 600, false, seed % 2 == 0, -1, 1));
                ReplayResult fine = Replay.run(s, pools, model.get(),
                        new Replay.Settings(new ProvisionDelay(30, 200), 30, seed, scoring, 1, false, seed % 2 == 0, -1, 1));
                String what = model.get().name() + " seed " + seed;
                int k = 0;
                List<TimelinePoint> f = fine.timeline();
                boolean between = false;
                for (TimelinePoint c : coarse.timeline()) {
                    while (f.get(k).t() < c.t()) {
                        k++;
                    }
                    assertThat(f.get(k)).as(what).isEqualTo(new TimelinePoint(c.t(), c.nodes(), c.readyNodes(), c.pendingPods(),
                            c.cpuRequestedMillis(), c.cpuAllocatableMillis(), c.memoryRequestedBytes(), c.memoryAllocatableBytes(),
                            f.get(k).peakNodes(), f.get(k).peakPendingPods(), c.gpuRequestedMillis(), c.gpuAllocatableMillis()));
                    int nodes = 0;
                    int pending = 0;
                    for (int j = k; j < f.size() && f.get(j).t() < c.t() + 600; j++) {
                        nodes = Math.max(nodes, f.get(j).peakNodes());
                        pending = Math.max(pending, f.get(j).peakPendingPods());
                    }
                    assertThat(c.peakNodes()).as(what + " at " + c.t()).isEqualTo(nodes);
                    assertThat(c.peakPendingPods()).as(what + " at " + c.t()).isEqualTo(pending);
                    between |= c.peakNodes() > c.nodes();
                }
                assertThat(coarse.timeline().stream().mapToInt(TimelinePoint::peakNodes).max().orElseThrow()).as(what)
                        .isEqualTo(coarse.peakNodes());
                assertThat(f).as(what).allSatisfy(p -> assertThat(p.peakNodes()).isEqualTo(p.nodes()));
                peaksBetweenSamples += between ? 1 : 0;
            }
        }
        assertThat(peaksBetweenSamples).as("runs whose node count rose above a sample between two").isPositive();
    }

    /** The result without wall-clock time and event count (dense runs process more ticks). */
    private static String strip(ReplayResult r) {
        return new ReplayResult(r.pools(), r.autoscaler(), r.origin(), r.horizonSeconds(), r.overtimeSeconds(), r.nodeHours(), r.costTotal(),
                r.peakNodes(), r.meanNodes(), r.pendingPodSeconds(), r.pendingProvisioningSeconds(), r.pendingNoCapacitySeconds(),
                r.pendingP50Seconds(), r.pendingP95Seconds(), r.pendingMaxSeconds(), r.podsDelayed(), r.pendingAtEnd(), r.pendingAtEndRecent(), r.unrunPodSeconds(), r.deletedWhilePending(), r.deletedWhilePendingByWorkload(),
                r.initialNodes(), r.scaleUps(), r.scaleDowns(), r.evictions(), r.mostEvicted(), r.unschedulable(), r.unschedulableReasons(), r.pendingAtEndReasons(), r.budgetHolds(), r.budgetedDrains(), r.podsArrived(),
                r.cpuUtilisation(), r.memoryUtilisation(), r.gpuUtilisation(), r.nodeHoursByShape(), r.timeline(), null, null, 0, 0, r.sloExcluded()).toString();
    }

    @Test
    void gpuSharesThatCannotShareADeviceTakeTheirOwnDevices() {
        // Three 0.6-GPU shares on 2-GPU nodes: 1.8 GPUs fit one node pooled, but no device holds
        // two of them, so the replay needs a second node (its verify() also checks every device).
        List<io.nodesizer.model.PodGroup> groups = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            groups.add(io.nodesizer.testkit.Fixtures.group("s" + i, new io.nodesizer.model.Resources(1000, GIB, 1, 600, 0), 1));
        }
        io.nodesizer.engine.DemandTable table = io.nodesizer.engine.DemandTable.of(io.nodesizer.model.Workload.of(groups));
        PodStream.Builder b = new PodStream.Builder(table, io.nodesizer.replay.demand.TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < 3; i++) {
            b.add(i, 0, 10L * i, PodStream.STAYS);
        }
        Pool gpus = Pool.of(0, io.nodesizer.testkit.Fixtures.shape("g2", new io.nodesizer.model.Resources(16_000, 64 * GIB, 110, 2000, 0)),
                io.nodesizer.model.Resources.ZERO);
        PodStream stream = b.build();
        for (Autoscaler a : List.<Autoscaler>of(new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 10), 1),
                new io.nodesizer.replay.autoscale.Karpenter(io.nodesizer.replay.autoscale.Karpenter.Settings.defaults(10)))) {
            ReplayResult r = ReplayFixtures.run(stream, List.of(gpus), a, 60);
            assertThat(r.peakNodes()).as(a.name()).isEqualTo(2);
            assertThat(r.pendingAtEnd()).as(a.name()).isZero();
        }
    }

    @Test
    void podsThatFitNoShapeAreUnschedulableWithTheReason() {
        PodStream s = ReplayFixtures.stream(3600, List.of(new ReplayFixtures.P(64000, GIB, 0, PodStream.STAYS),
                new ReplayFixtures.P(1000, GIB, 0, PodStream.STAYS)));
        ReplayResult r = ReplayFixtures.run(s, List.of(POOLS.get(0)), new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 10), 1), 60);
        assertThat(r.unschedulable()).isEqualTo(1);
        assertThat(r.unschedulableReasons()).hasSize(1);
        assertThat(r.unschedulableReasons().keySet().iterator().next()).contains("needs 64 CPU").contains("small");
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.scaleUps()).isEqualTo(1);
    }

    @Test
    void unschedulablePodsThatLeaveAreStillCounted() {
        PodStream s = ReplayFixtures.stream(3600, List.of(new ReplayFixtures.P(64000, GIB, 0, 100),
                new ReplayFixtures.P(64000, GIB, 10, PodStream.STAYS)));
        ReplayResult r = ReplayFixtures.run(s, List.of(POOLS.get(0)), new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 10), 1), 60);
        assertThat(r.unschedulable()).isEqualTo(2);
        assertThat(r.unschedulableReasons().values()).containsExactly(2L);
        assertThat(r.podsArrived()).isEqualTo(2);
    }

    @Test
    void podArrivingAndLeavingAtOneInstantIsCountedOnce() {
        PodStream s = ReplayFixtures.stream(100, List.of(new ReplayFixtures.P(1000, GIB, 10, 10)));
        ReplayResult r = ReplayFixtures.run(s, List.of(POOLS.get(0)), new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 10), 1), 60);
        assertThat(r.podsArrived()).isEqualTo(1);
        assertThat(r.scaleUps()).isZero();
        assertThat(r.pendingPodSeconds()).isZero();
    }
}
