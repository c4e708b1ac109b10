package io.nodesizer.engine;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hard topology spreads whose selector also selects other workloads' pods (or only theirs): the
 * packing counts every pod the selector matches, as kube-scheduler's PodTopologySpread filter does
 * ({@code matchNum + selfMatchNum − minMatchNum ≤ maxSkew}, podtopologyspread/filtering.go), and
 * the verifier fails a packing that breaks the shared count. Every packing here is also checked by
 * {@link #check}, a count written for this test from the groups' labels alone.
 */
final class SharedSpreadTest {
    private static final NodeShape SHAPE = Fixtures.shape("mid", new Resources(8000, 32 * GIB, 110, 0, 0));

    private record Rule(String selects, int maxSkew, String key, int minDomains) {
        Rule(String selects, int maxSkew, String key) {
            this(selects, maxSkew, key, 1);
        }
    }

    /** Pods labelled app={@code app} (and track={@code track}) with hard spreads selecting app=rule.selects. */
    private static PodGroup group(String name, String app, long cpu, int replicas, Rule... rules) {
        List<Placement.Spread> spreads = new ArrayList<>();
        for (Rule r : rules) {
            spreads.add(new Placement.Spread(r.maxSkew(), true, new Placement.PodAffinityTerm(Map.of("app", r.selects()), List.of(),
                    List.of(), false, false, r.key()), r.minDomains()));
        }
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", app, "track", name), List.of(), List.of(), spreads);
        return new PodGroup(name, "test", new Resources(cpu, GIB, 1, 0, 0), replicas, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    private static PackingProblem problem(List<PodGroup> groups, int zones) {
        return new PackingProblem(DemandTable.of(Workload.of(groups), zones), SHAPE, Resources.ZERO);
    }

    /**
     * The test's own count: for every hard spread of every group (hostname; zone with zones), the
     * pods whose app label equals the selector's, per node or zone; every node (zone) that runs a
     * pod of the spreading group holds at most maxSkew more than the fewest (0 on the hostname).
     * Also replays the hostname placements pod by pod as the scheduler would, the pods without
     * spreads first: each spreading pod must pass matchNum + selfMatch − 0 ≤ maxSkew.
     */
    private static void check(PackingResult r) {
        DemandTable t = r.problem().table();
        int zones = Math.max(1, t.zones());
        for (int g = 0; g < t.groupCount(); g++) {
            for (Placement.Spread sp : t.group(g).placement().spread()) {
                boolean onZone = PodConflicts.isZone(sp.term().topologyKey());
                if (onZone && zones < 2) {
                    continue;
                }
                String selects = sp.term().matchLabels().get("app");
                int domains = onZone ? zones : r.nodeCount();
                int[] count = new int[domains];
                for (int h = 0; h < t.groupCount(); h++) {
                    if (selects.equals(t.group(h).placement().podLabels().get("app"))) {
                        for (int i = 0; i < t.replicas(h); i++) {
                            int node = r.assignment()[t.firstPod(h) + i];
                            if (node >= 0) {
                                count[onZone ? r.nodeZones()[node] : node]++;
                            }
                        }
                    }
                }
                // The scheduler's fewest: over the zones, or over every node of the packing (a workload whose
                // spread counts only its own pods is spread evenly over them: HostnameSpreads).
                int fewest = sp.minDomains() <= domains ? java.util.Arrays.stream(count).min().orElse(0) : 0;
                for (int i = 0; i < t.replicas(g); i++) {
                    int node = r.assignment()[t.firstPod(g) + i];
                    if (node < 0) {
                        continue; // left out by a rule (the random case's floors)
                    }
                    int d = onZone ? r.nodeZones()[node] : node;
                    assertThat(count[d] - fewest).as("%s: %s %d holds %s pods of app=%s, fewest %d (%s)", r.strategy(), onZone ? "zone" : "node",
                            d, count[d], selects, fewest, t.group(g).name()).isLessThanOrEqualTo(sp.maxSkew());
                }
            }
        }
        replayHostname(r);
    }

    /** The hostname spreads replayed pod by pod, the groups without spreads first: the scheduler's filter passes for each pod. */
    private static void replayHostname(PackingResult r) {
        DemandTable t = r.problem().table();
        Map<String, int[]> perNode = new HashMap<>(); // app -> pods per node so far
        List<int[]> pending = new ArrayList<>(); // {group, replica} of the spreading groups' placed pods
        for (int g = 0; g < t.groupCount(); g++) {
            for (int i = 0; i < t.replicas(g); i++) {
                int node = r.assignment()[t.firstPod(g) + i];
                if (node < 0) {
                    continue;
                }
                if (t.group(g).placement().spread().isEmpty()) {
                    perNode.computeIfAbsent(t.group(g).placement().podLabels().get("app"), a -> new int[r.nodeCount()])[node]++;
                } else {
                    pending.add(new int[] {g, i});
                }
            }
        }
        // The spreading pods one at a time, each time one the filter admits where it runs, on the
        // node with the fewest pods of its own app so far (the order in which the scheduler, which
        // admits a pod only near the fewest, reaches an even spread); none admitted: the packing is
        // one the scheduler does not reach.
        while (!pending.isEmpty()) {
            int[] next = null;
            int least = Integer.MAX_VALUE;
            for (int[] pod : pending) {
                int g = pod[0];
                int node = r.assignment()[t.firstPod(g) + pod[1]];
                int here = perNode.computeIfAbsent(t.group(g).placement().podLabels().get("app"), a -> new int[r.nodeCount()])[node];
                if (here < least && admits(r, perNode, g, node)) {
                    least = here;
                    next = pod;
                }
            }
            int[] stuck = pending.get(0);
            assertThat(next).as("%s: no pod of %s admitted where it runs (node %d)", r.strategy(), t.group(stuck[0]).name(),
                    r.assignment()[t.firstPod(stuck[0]) + stuck[1]]).isNotNull();
            pending.remove(next);
            int node = r.assignment()[t.firstPod(next[0]) + next[1]];
            perNode.get(t.group(next[0]).placement().podLabels().get("app"))[node]++;
        }
    }

    /** The hostname filter for a pod of group g on {@code node}: matchNum + selfMatch − fewest ≤ maxSkew for each of its spreads. */
    private static boolean admits(PackingResult r, Map<String, int[]> perNode, int g, int node) {
        DemandTable t = r.problem().table();
        String app = t.group(g).placement().podLabels().get("app");
        for (Placement.Spread sp : t.group(g).placement().spread()) {
            if (!PodConflicts.HOSTNAME.equals(sp.term().topologyKey())) {
                continue;
            }
            String selects = sp.term().matchLabels().get("app");
            int[] counts = perNode.computeIfAbsent(selects, a -> new int[r.nodeCount()]);
            int fewest = sp.minDomains() <= r.nodeCount() ? java.util.Arrays.stream(counts).min().orElse(0) : 0;
            if (counts[node] + (selects.equals(app) ? 1 : 0) - fewest > sp.maxSkew()) {
                return false;
            }
        }
        return true;
    }

    private static List<PackingResult> everyStrategy(PackingProblem p) {
        List<PackingResult> out = new ArrayList<>();
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, s.create(), 7);
            assertThat(r.unschedulablePodCount()).as(s.name()).isZero();
            check(r);
            out.add(r);
        }
        return out;
    }

    /**
     * A stable Deployment and its canary, both labelled app=web and spread over the nodes by that
     * selector: no node holds more than maxSkew web pods of the two together (counted per workload,
     * four stable and one canary pod fitted on four nodes at maxSkew 1; the scheduler needs five).
     */
    @Test
    void aHostnameSpreadCountsTheCanaryToo() {
        for (int maxSkew : new int[]{1, 2}) {
            Rule web = new Rule("web", maxSkew, PodConflicts.HOSTNAME);
            PackingProblem p = problem(List.of(group("web-stable", "web", 500, 4, web), group("web-canary", "web", 500, 1, web)), 1);
            assertThat(p.table().sharedSpreads()).isNotNull();
            for (PackingResult r : everyStrategy(p)) {
                // one node holds all five: kube-scheduler's fewest is then their own count
                assertThat(r.nodeCount()).as(r.strategy()).isEqualTo(1);
                // at most maxSkew per node (the fewest taken as 0), both workloads counted
                PackingResult capped = PackingEngine.pack(p, PackingStrategies.byName(r.strategy()).create(), 7,
                        io.nodesizer.bound.LowerBounds.compute(p), true, false);
                assertThat(capped.nodeCount()).as(r.strategy()).isEqualTo((5 + maxSkew - 1) / maxSkew);
                check(capped);
            }
            // The scheduler would run them 2/2/1 on three nodes that all exist: the spread bounds no count (capacity: one node).
            assertThat(PackingEngine.pack(p, PackingStrategies.FFD.create(), 1).lowerBound().value()).isEqualTo(1);
        }
    }

    /**
     * A watcher whose spread selects the web pods, not its own: its pods go only to nodes with at
     * most maxSkew web pods, and they raise no count, so they may share a node; the web pods,
     * without a spread of their own, are placed freely.
     */
    @Test
    void aSpreadThatSelectsOnlyAnotherWorkload() {
        for (int maxSkew : new int[]{1, 2}) {
            PackingProblem p = problem(List.of(group("web", "web", 1000, 6),
                    group("watcher", "watcher", 500, 4, new Rule("web", maxSkew, PodConflicts.HOSTNAME))), 1);
            for (PackingResult r : everyStrategy(p)) {
                DemandTable t = r.problem().table();
                java.util.Set<Integer> watcherNodes = new java.util.HashSet<>();
                for (int i = 0; i < 4; i++) {
                    watcherNodes.add(r.assignment()[t.firstPod(1) + i]);
                }
                assertThat(watcherNodes).as("%s: watchers raise no count", r.strategy()).hasSizeLessThan(4);
            }
        }
        // web pods fill the first node (8 of 8 CPU): the watchers, which fit nowhere else, open a node where no web pod runs
        PackingProblem p = problem(List.of(group("web", "web", 1000, 8), group("watcher", "watcher", 500, 2,
                new Rule("web", 1, PodConflicts.HOSTNAME))), 1);
        everyStrategy(p);
    }

    /** Zone spreads over three zones counted over both workloads: the web pods of the two together stay within maxSkew. */
    @Test
    void aZoneSpreadCountsTheCanaryToo() {
        for (int maxSkew : new int[]{1, 2}) {
            Rule web = new Rule("web", maxSkew, PodConflicts.ZONE);
            PackingProblem p = problem(List.of(group("web-stable", "web", 2000, 7, web), group("web-canary", "web", 2000, 2, web),
                    group("worker", "worker", 3000, 5)), 3);
            assertThat(p.table().zoneSkew()).as("the shared spread is not counted per workload").isNull();
            everyStrategy(p);
            // the canary without a spread of its own: the stable's spread counts it still
            p = problem(List.of(group("web-stable", "web", 2000, 7, web), group("web-canary", "web", 2000, 3)), 3);
            everyStrategy(p);
            p = problem(List.of(group("web", "web", 2000, 7), group("watcher", "watcher", 500, 4, web)), 3);
            everyStrategy(p);
        }
    }

    /**
     * minDomains above the two zones: the fewest counts as 0, so a zone takes a stable pod only
     * while it holds no web pod. The canary (no spread of its own) goes first and takes one zone
     * (both its pods fit a node); one stable pod goes to the other zone and the second stays
     * Pending, with the reason. Going first would have left the canary nowhere to go: the packing
     * does not try that order here.
     */
    @Test
    void minDomainsAboveTheZonesCountsTheFewestAsZero() {
        Placement.PodAffinityTerm web = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.ZONE);
        Placement stable = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web", "track", "stable"), List.of(), List.of(),
                List.of(new Placement.Spread(1, true, web, 3)));
        PodGroup s = new PodGroup("web-stable", "test", new Resources(1000, GIB, 1, 0, 0), 2, false, null, new SourceRef("t", 1), List.of(),
                null, stable);
        PackingProblem p = problem(List.of(s, group("web-canary", "web", 1000, 2)), 2);
        assertThat(p.table().sharedSpreads().freshNodeAlwaysFits()).isFalse();
        for (PackingStrategies strategy : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(p, strategy.create(), 1);
            assertThat(r.unschedulablePodCount()).as(strategy.name()).isEqualTo(1);
            assertThat(r.unschedulable().get(0).reason()).contains("the fewest 0 with minDomains above the zones");
        }
    }

    /**
     * The stable pods fill both zones up to their spread's floor (minDomains above the zones); the
     * canary, spread only on the hostname but selected by the stable spread, then finds no zone
     * that would keep the stable count within maxSkew: it stays Pending with that reason (the
     * conservative case), rather than a node opening for it that it may not use.
     */
    @Test
    void aSpreadingGroupThatAnotherZoneSpreadSelectsCanBeLeftOutWithAReason() {
        Placement.PodAffinityTerm webZone = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.ZONE);
        Placement stable = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web", "track", "stable"), List.of(), List.of(),
                List.of(new Placement.Spread(1, true, webZone, 3)));
        PodGroup s = new PodGroup("web-stable", "test", new Resources(3000, GIB, 1, 0, 0), 2, false, null, new SourceRef("t", 1),
                List.of(), null, stable);
        PackingProblem p = problem(List.of(s, group("web-canary", "web", 1000, 2, new Rule("web", 1, PodConflicts.HOSTNAME))), 2);
        for (PackingStrategies strategy : PackingStrategies.values()) {
            PackingResult r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> PackingEngine.pack(p, strategy.create(), 1));
            assertThat(r.unschedulablePodCount()).as(strategy.name()).isPositive();
            assertThat(r.unschedulable()).allMatch(u -> u.reason().contains("conservative") || u.reason().contains("minDomains"));
        }
    }

    /** Random workloads: two or three groups sharing app labels, spreads on the hostname and the zone; every strategy passes the test's count. */
    @Test
    void randomSharedSpreadsPassTheIndependentCount() {
        SplittableRandom random = new SplittableRandom(42);
        String[] apps = {"web", "api"};
        for (int round = 0; round < 150; round++) {
            int zones = 1 + random.nextInt(3);
            List<PodGroup> groups = new ArrayList<>();
            int n = 2 + random.nextInt(3);
            for (int g = 0; g < n; g++) {
                List<Rule> rules = new ArrayList<>();
                if (random.nextInt(3) > 0) {
                    rules.add(new Rule(apps[random.nextInt(2)], 1 + random.nextInt(2), PodConflicts.HOSTNAME));
                }
                if (random.nextInt(3) == 0) {
                    rules.add(new Rule(apps[random.nextInt(2)], 1 + random.nextInt(2), PodConflicts.ZONE, random.nextInt(4) == 0 ? 4 : 1));
                }
                groups.add(group("g" + g, apps[random.nextInt(2)], 250L * (1 + random.nextInt(12)), 1 + random.nextInt(7),
                        rules.toArray(Rule[]::new)));
            }
            PackingProblem p = problem(groups, zones);
            for (PackingStrategies s : PackingStrategies.values()) {
                final int seed = round;
                PackingResult r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                        () -> PackingEngine.pack(p, s.create(), seed));
                check(r);
                // only the floors (minDomains above the zones) and the conservative cross case leave pods out
                assertThat(r.unschedulable()).allMatch(u -> u.reason().contains("conservative") || u.reason().contains("minDomains"));
            }
        }
    }

    /**
     * Planted wrong placements: the canary moved beside a stable pod (two web pods on a node at
     * maxSkew 1), and the web pods of both put in one zone; the verifier refuses both, though each
     * workload alone stays within its maxSkew.
     */
    @Test
    void theVerifierFailsAPackingThatBreaksTheSharedCount() {
        Rule host = new Rule("web", 1, PodConflicts.HOSTNAME);
        PackingProblem p = problem(List.of(group("web-stable", "web", 500, 4, host), group("web-canary", "web", 500, 1, host)), 1);
        // stable 2/1/1 on three nodes and the canary beside the two: each workload alone within
        // maxSkew 1 of its fewest, the web pods together 3/1/1
        int[] planted = {0, 0, 1, 2, 0};
        assertThatThrownBy(() -> PackingEngine.fromAssignment(p, "planted", 3, planted, io.nodesizer.bound.LowerBounds.compute(p), 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("counted over every workload the selector matches");
        // the canary on the node with one: 2/2/1, as the scheduler places them
        PackingEngine.fromAssignment(p, "planted", 3, new int[] {0, 0, 1, 2, 1}, io.nodesizer.bound.LowerBounds.compute(p), 0);

        Rule zone = new Rule("web", 1, PodConflicts.ZONE);
        PackingProblem z = problem(List.of(group("web-stable", "web", 2000, 3, zone), group("web-canary", "web", 2000, 3, zone)), 3);
        PackingResult zoned = PackingEngine.pack(z, PackingStrategies.FFD.create(), 1);
        check(zoned);
        // stable pods in zone 0, canary pods in zone 1: each workload alone is skewed by 3 then; here
        // forge one zone for every node: the web pods of both count 6 there, 0 elsewhere
        PackingResult oneZone = new PackingResult(z, "planted", zoned.nodeCount(), zoned.assignment(), zoned.nodeLoad(), List.of(),
                zoned.lowerBound(), 0, null, new int[zoned.nodeCount()]);
        assertThatThrownBy(() -> PackingVerifier.verify(oneZone)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("counted over every workload the selector matches");
    }

    /**
     * 40,000 groups, each spread over the zones and the hostname by its own label: no spread is
     * shared, and finding that out looks at the groups carrying each selector's labels, not at every
     * pair (1.6 billion of them).
     */
    @Test
    void manyOwnSelectorsAreNotAPairwiseCheck() {
        List<PodGroup> groups = new ArrayList<>();
        for (int g = 0; g < 40_000; g++) {
            groups.add(group("g" + g, "g" + g, 100, 2, new Rule("g" + g, 1, PodConflicts.ZONE), new Rule("g" + g, 1, PodConflicts.HOSTNAME)));
        }
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            DemandTable t = DemandTable.of(Workload.of(groups), 3);
            assertThat(t.sharedSpreads()).isNull();
            assertThat(t.zoneSkew()).hasSize(40_000);
            // and with a stable and canary sharing one: the others keep their own zone skew, found without a pairwise check
            List<PodGroup> more = new ArrayList<>(groups);
            Rule web = new Rule("web", 1, PodConflicts.ZONE);
            more.add(group("web-stable", "web", 100, 3, web));
            more.add(group("web-canary", "web", 100, 1, web));
            DemandTable u = DemandTable.of(Workload.of(more), 3);
            assertThat(u.sharedSpreads().zoneCounters()).isEqualTo(1);
            assertThat(u.zoneSkew()[0]).isEqualTo(1);
            assertThat(u.zoneSkew()[40_000]).as("the shared spread is counted over both, not per workload").isZero();
        });
    }

    /** The shared spreads' tables: counters by member set, entries for the spreading groups and for the groups they select. */
    @Test
    void countersAndEntries() {
        Rule web = new Rule("web", 2, PodConflicts.HOSTNAME);
        List<PodGroup> groups = List.of(group("web-stable", "web", 500, 4, web), group("web-canary", "web", 500, 1),
                group("solo", "solo", 500, 2, new Rule("solo", 1, PodConflicts.HOSTNAME)));
        SharedSpreads s = SharedSpreads.of(groups, 1);
        assertThat(s.hostCounters()).isEqualTo(1);
        assertThat(s.host(0)).containsExactly(0, 2, 1);
        assertThat(s.host(1)).as("selected, no spread of its own").containsExactly(0, 0, 1);
        assertThat(s.host(2)).as("its own pods only: counted per workload").isNull();
        assertThat(s.constrained(0)).isTrue();
        assertThat(s.constrained(1)).isFalse();
        assertThat(s.described()).containsExactly("web-stable (hostname, maxSkew 2) also counts web-canary");
        assertThat(SharedSpreads.of(List.of(groups.get(2)), 1)).isNull();
    }
}
