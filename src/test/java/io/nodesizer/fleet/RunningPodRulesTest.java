package io.nodesizer.fleet;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pack --fleet} onto snapshots whose nodes keep their running pods, with random pod rules
 * on the hostname, the zone and a rack label some nodes lack, held by running and new pods alike.
 * The final assignment is checked here without the packer's code, against every pod that runs:
 * no two pods that a required anti-affinity term (of either) keeps apart share its domain; every
 * pod with required affinity has a pod matching its terms in each term's domain (one pod per
 * workload may have started its series); a spread that selects only its own workload's pods ends
 * within its maxSkew wherever the running pods were.
 */
final class RunningPodRulesTest {
    private static final String RACK = "example.com/rack";
    private static final String[] KEYS = {PodConflicts.HOSTNAME, PodConflicts.ZONE, RACK};

    private static Placement.PodAffinityTerm term(String app, String key) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, key);
    }

    private static Placement placement(String app, List<Placement.PodAffinityTerm> anti, List<Placement.PodAffinityTerm> aff,
                                       List<Placement.Spread> spread) {
        return placement(Map.of(), app, anti, aff, spread);
    }

    private static Placement placement(Map<String, String> nodeSelector, String app, List<Placement.PodAffinityTerm> anti,
                                       List<Placement.PodAffinityTerm> aff, List<Placement.Spread> spread) {
        return new Placement(nodeSelector, null, List.of(), "shop", Map.of("app", app), anti, aff, spread);
    }

    private record Case(List<ClusterSnapshot.Node> nodes, List<ClusterSnapshot.Pod> running, Workload workload) {
    }

    private static Case generate(Random rnd) {
        int n = 4 + rnd.nextInt(8);
        List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Map<String, String> labels = new HashMap<>(Map.of(PodConflicts.HOSTNAME, "n" + k, PodConflicts.ZONE, "z" + rnd.nextInt(3)));
            if (rnd.nextInt(8) > 0) {
                labels.put(RACK, "r" + rnd.nextInt(4));
            }
            nodes.add(new ClusterSnapshot.Node("n" + k, labels, new Resources(8000, 32 * GIB, 110, 0, 0),
                    new Resources(8000, 32 * GIB, 110, 0, 0), false, new SourceRef("t", 1)));
        }
        String[] apps = {"a", "b", "c", "d", "e", "f"};
        List<ClusterSnapshot.Pod> running = new ArrayList<>();
        int r = rnd.nextInt(2 * n);
        for (int i = 0; i < r; i++) {
            String app = apps[rnd.nextInt(apps.length)];
            List<Placement.PodAffinityTerm> anti = rnd.nextInt(5) == 0 ? List.of(term(apps[rnd.nextInt(apps.length)], KEYS[rnd.nextInt(3)]))
                    : List.of();
            running.add(new ClusterSnapshot.Pod("shop", "run-" + i, new Resources(250 + 250L * rnd.nextInt(4), GIB, 1, 0, 0),
                    "n" + rnd.nextInt(n), "Running", "StatefulSet", app, new SourceRef("t", 1), null, null, placement(app, anti, List.of(), List.of())));
        }
        List<PodGroup> groups = new ArrayList<>();
        int g = 2 + rnd.nextInt(4);
        for (int i = 0; i < g; i++) {
            String app = apps[i];
            List<Placement.PodAffinityTerm> anti = new ArrayList<>();
            List<Placement.PodAffinityTerm> aff = new ArrayList<>();
            List<Placement.Spread> spread = new ArrayList<>();
            switch (rnd.nextInt(4)) {
                case 0 -> anti.add(term(apps[rnd.nextInt(apps.length)], KEYS[rnd.nextInt(3)]));
                case 1 -> aff.add(term(apps[rnd.nextInt(apps.length)], KEYS[rnd.nextInt(3)]));
                case 2 -> spread.add(new Placement.Spread(1 + rnd.nextInt(2), true, term(app, KEYS[rnd.nextInt(3)]), 1, true, false));
                default -> {
                }
            }
            // Some pinned to a zone (then the fleet packer also tries them first); not with a spread, whose domains
            // check() counts over every node rather than the ones the selector admits.
            Map<String, String> pin = spread.isEmpty() && rnd.nextInt(4) == 0 ? Map.of(PodConflicts.ZONE, "z" + rnd.nextInt(3)) : Map.of();
            groups.add(new PodGroup(app, "test", new Resources(500 + 500L * rnd.nextInt(4), GIB, 1, 0, 0), 1 + rnd.nextInt(8), false, null,
                    new SourceRef("t", 1), List.of(), null, placement(pin, app, anti, aff, spread)));
        }
        return new Case(nodes, running, Workload.of(groups));
    }

    private static String domain(ClusterSnapshot.Node n, String key) {
        return n.labels().get(key);
    }

    /** A pod that runs (running, or new and placed) with its node. */
    private record Bound(String name, Placement placement, int node, int group) {
    }

    private static String check(Case c, DemandTable table, FleetPacking.Result result) {
        Map<String, Integer> nodeIndex = new HashMap<>();
        for (int k = 0; k < c.nodes().size(); k++) {
            nodeIndex.put(c.nodes().get(k).name(), k);
        }
        List<Bound> bound = new ArrayList<>();
        for (ClusterSnapshot.Pod p : c.running()) {
            bound.add(new Bound(p.name(), p.placement(), nodeIndex.get(p.nodeName()), -1));
        }
        int firstNew = bound.size();
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int k = result.assignment()[table.firstPod(g) + i];
                if (k >= 0) {
                    bound.add(new Bound(table.group(g).podName(i), table.group(g).placement(), k, g));
                }
            }
        }
        for (int x = firstNew; x < bound.size(); x++) {
            Bound p = bound.get(x);
            for (Map.Entry<String, String> e : p.placement().nodeSelector().entrySet()) {
                if (!e.getValue().equals(domain(c.nodes().get(p.node()), e.getKey()))) {
                    return p.name() + " runs on a node without its node selector's " + e.getKey() + "=" + e.getValue();
                }
            }
            for (int y = 0; y < bound.size(); y++) {
                Bound q = bound.get(y);
                if (x == y) {
                    continue;
                }
                for (Bound[] pair : new Bound[][]{{p, q}, {q, p}}) {
                    for (Placement.PodAffinityTerm t : pair[0].placement().antiAffinity()) {
                        String d = domain(c.nodes().get(pair[0].node()), t.topologyKey());
                        if (d != null && d.equals(domain(c.nodes().get(pair[1].node()), t.topologyKey()))
                                && PodConflicts.matches(t, "shop", pair[1].placement())) {
                            return pair[0].name() + " and " + pair[1].name() + " share " + t.topologyKey() + " " + d;
                        }
                    }
                }
            }
        }
        Map<Integer, Integer> alone = new HashMap<>();
        for (int x = firstNew; x < bound.size(); x++) {
            Bound p = bound.get(x);
            for (Placement.PodAffinityTerm t : p.placement().affinity()) {
                String d = domain(c.nodes().get(p.node()), t.topologyKey());
                if (d == null) {
                    return p.name() + " has affinity on " + t.topologyKey() + " but its node lacks the key";
                }
                boolean found = false;
                for (int y = 0; y < bound.size() && !found; y++) {
                    Bound q = bound.get(y);
                    found = y != x && d.equals(domain(c.nodes().get(q.node()), t.topologyKey())) && PodConflicts.matches(t, "shop", q.placement());
                }
                if (!found && (alone.merge(p.group(), 1, Integer::sum) > 1 || !PodConflicts.matches(t, "shop", p.placement()))) {
                    return p.name() + " runs where no pod its affinity selects runs";
                }
            }
        }
        for (int g = 0; g < table.groupCount(); g++) {
            for (Placement.Spread s : table.group(g).placement().spread()) {
                int[] before = spreadSkew(c, bound, firstNew, s);
                int[] after = spreadSkew(c, bound, bound.size(), s);
                if (before[0] - before[1] <= s.maxSkew() && after[0] - after[1] > s.maxSkew()) {
                    return table.group(g).name() + " ends with skew " + (after[0] - after[1]) + " on " + s.term().topologyKey();
                }
            }
        }
        return null;
    }

    /** The most and the fewest selected pods among the first {@code upTo} bound pods, over the domains of nodes carrying the key. */
    private static int[] spreadSkew(Case c, List<Bound> bound, int upTo, Placement.Spread s) {
        Map<String, Integer> per = new HashMap<>();
        for (ClusterSnapshot.Node n : c.nodes()) {
            String d = domain(n, s.term().topologyKey());
            if (d != null) {
                per.putIfAbsent(d, 0);
            }
        }
        for (int y = 0; y < upTo; y++) {
            String d = domain(c.nodes().get(bound.get(y).node()), s.term().topologyKey());
            if (d != null && PodConflicts.matches(s.term(), "shop", bound.get(y).placement())) {
                per.merge(d, 1, Integer::sum);
            }
        }
        return new int[]{per.values().stream().mapToInt(i -> i).max().orElse(0), per.values().stream().mapToInt(i -> i).min().orElse(0)};
    }

    @Test
    void randomRulesHeldByRunningAndNewPodsHoldOnTheFinalAssignment() {
        Random rnd = new Random(20261130);
        int placedBesideRunning = 0;
        for (int run = 0; run < 300; run++) {
            Case c = generate(rnd);
            ClusterSnapshot snapshot = new ClusterSnapshot(c.nodes(), c.running(), List.of("t"));
            List<FleetPacking.FleetNode> fleet = new ArrayList<>();
            for (ClusterSnapshot.Node n : c.nodes()) {
                long used = c.running().stream().filter(p -> p.nodeName().equals(n.name())).mapToLong(p -> p.request().cpuMillis()).sum();
                long pods = c.running().stream().filter(p -> p.nodeName().equals(n.name())).count();
                fleet.add(new FleetPacking.FleetNode(n.name(), "m", n.allocatable(), "", new Resources(used, pods * GIB, pods, 0, 0),
                        n.labels(), List.of()));
            }
            RunningPods running = RunningPods.of(snapshot, fleet);
            DemandTable table = FleetPacking.table(c.workload(), fleet, running);
            FleetPacking.Result r = FleetPacking.pack(table, fleet, running); // verifies by replaying the placements
            assertThat(check(c, table, r)).as("run " + run).isNull();
            placedBesideRunning += r.placedPods() > 0 && !c.running().isEmpty() ? 1 : 0;
        }
        assertThat(placedBesideRunning).isGreaterThan(200);
    }
}
