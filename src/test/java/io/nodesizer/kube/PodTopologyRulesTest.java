package io.nodesizer.kube;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The inter-pod rules against running nodes: minDomains, symmetry, pods being deleted, zones, and required affinity. */
final class PodTopologyRulesTest {
    private static final String ZONE = PodConflicts.ZONE;

    private static ClusterSnapshot.Node node(String name, String zone) {
        Map<String, String> labels = zone == null ? Map.of() : Map.of(ZONE, zone);
        return new ClusterSnapshot.Node(name, labels, Resources.ZERO, Resources.ZERO, false, new SourceRef("t", 1), List.of());
    }

    private static ClusterSnapshot.Pod pod(String name, String node, Placement p) {
        return new ClusterSnapshot.Pod("shop", name, Resources.ZERO, node, "Running", "ReplicaSet", "rs", new SourceRef("t", 1), null, null, p);
    }

    private static Placement labelled(String app) {
        return new Placement(Map.of(), null, List.of(), "shop", Map.of("app", app), List.of(), List.of(), List.of());
    }

    private static Placement web(List<Placement.Spread> spread, List<Placement.PodAffinityTerm> anti) {
        return new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"), anti, List.of(), spread);
    }

    private static Placement.PodAffinityTerm selects(String app, String key) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, key);
    }

    private static List<List<ClusterSnapshot.Pod>> lists(List<?>... perNode) {
        List<List<ClusterSnapshot.Pod>> out = new ArrayList<>();
        for (List<?> l : perNode) {
            List<ClusterSnapshot.Pod> pods = new ArrayList<>();
            for (Object o : l) {
                pods.add((ClusterSnapshot.Pod) o);
            }
            out.add(pods);
        }
        return out;
    }

    /**
     * Two eligible nodes with one web pod each; the incoming web pod with maxSkew 1 may join either
     * (2 − 1 = 1). With minDomains 3, fewer domains than that are eligible, so the scheduler takes
     * the fewest as 0 and 2 − 0 = 2 is above maxSkew: it may join neither.
     */
    @Test
    void minDomainsAboveTheEligibleNodesTakesTheFewestAsZero() {
        List<ClusterSnapshot.Node> nodes = List.of(node("a", null), node("b", null));
        List<List<ClusterSnapshot.Pod>> onNode = lists(List.of(pod("w1", "a", labelled("web"))), List.of(pod("w2", "b", labelled("web"))));
        boolean[] eligible = {true, true};
        for (int minDomains : new int[] {1, 2, 3}) {
            ClusterSnapshot.Pod incoming = pod("w3", null,
                    web(List.of(new Placement.Spread(1, true, selects("web", PodConflicts.HOSTNAME), minDomains)), List.of()));
            PodTopologyRules rules = new PodTopologyRules(List.of(incoming), nodes);
            assertThat(rules.admits(incoming, 0, onNode, eligible)).as("minDomains %d", minDomains).isEqualTo(minDomains <= 2);
            assertThat(rules.admits(incoming, 1, onNode, eligible)).as("minDomains %d", minDomains).isEqualTo(minDomains <= 2);
        }
    }

    /** An incoming pod without terms may not join a node whose pod's anti-affinity selects it (the filter is symmetric). */
    @Test
    void existingPodsAntiAffinityKeepsOthersAway() {
        ClusterSnapshot.Pod guard = pod("guard", "a", new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "db"),
                List.of(selects("web", PodConflicts.HOSTNAME)), List.of(), List.of()));
        ClusterSnapshot.Pod incoming = pod("w", null, labelled("web"));
        List<ClusterSnapshot.Node> nodes = List.of(node("a", null), node("b", null));
        PodTopologyRules rules = new PodTopologyRules(List.of(guard, incoming), nodes);
        List<List<ClusterSnapshot.Pod>> onNode = lists(List.of(guard), List.of());
        boolean[] eligible = {true, true};
        assertThat(rules.admits(incoming, 0, onNode, eligible)).isFalse();
        assertThat(rules.admits(incoming, 1, onNode, eligible)).isTrue();
        assertThat(PodTopologyRules.repelOnHostname(guard, incoming)).isTrue();
        assertThat(new PodTopologyRules(List.of(incoming), nodes).active()).isFalse();
    }

    /**
     * Pods being deleted do not count for the spread (upstream filtering_test.go "terminating Pods
     * should be excluded"): node-a's only web pod is terminating, node-b runs one; with maxSkew 1
     * the fewest is 0, so node-a admits the pod (0 + 1 − 0) and node-b does not (1 + 1 − 0).
     */
    @Test
    void podsBeingDeletedDoNotCountForTheSpread() {
        ClusterSnapshot.Pod leaving = new ClusterSnapshot.Pod("shop", "p-a", Resources.ZERO, "a", "Running", "ReplicaSet", "rs",
                new SourceRef("t", 1), null, null, labelled("web"), true, true);
        List<List<ClusterSnapshot.Pod>> onNode = lists(List.of(leaving), List.of(pod("p-b", "b", labelled("web"))));
        ClusterSnapshot.Pod incoming = pod("p", null, web(List.of(new Placement.Spread(1, true, selects("web", PodConflicts.HOSTNAME))), List.of()));
        PodTopologyRules rules = new PodTopologyRules(List.of(incoming), List.of(node("a", null), node("b", null)));
        boolean[] eligible = {true, true};
        assertThat(rules.admits(incoming, 0, onNode, eligible)).isTrue();
        assertThat(rules.admits(incoming, 1, onNode, eligible)).isFalse();
    }

    /**
     * Zones as domains: nodes a, b in zone-1 and c in zone-2. Anti-affinity on the zone against
     * web keeps the pod out of every node of a zone with a web pod (a's web pod bars b too); a
     * zone spread of maxSkew 1 counts per zone (zone-1 has 2, zone-2 has 1: only c takes one
     * more); a node without the zone label is refused by the spread.
     */
    @Test
    void zonesAreDomainsThatSpanNodes() {
        List<ClusterSnapshot.Node> nodes = List.of(node("a", "zone-1"), node("b", "zone-1"), node("c", "zone-2"), node("d", null));
        boolean[] eligible = {true, true, true, true};
        ClusterSnapshot.Pod apart = pod("x", null, new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "x"),
                List.of(selects("web", ZONE)), List.of(), List.of()));
        List<List<ClusterSnapshot.Pod>> oneWeb = lists(List.of(pod("w1", "a", labelled("web"))), List.of(), List.of(), List.of());
        PodTopologyRules anti = new PodTopologyRules(List.of(apart), nodes);
        assertThat(new boolean[] {anti.admits(apart, 0, oneWeb, eligible), anti.admits(apart, 1, oneWeb, eligible),
                anti.admits(apart, 2, oneWeb, eligible), anti.admits(apart, 3, oneWeb, eligible)}).containsExactly(false, false, true, true);

        ClusterSnapshot.Pod spread = pod("w4", null, web(List.of(new Placement.Spread(1, true, selects("web", ZONE))), List.of()));
        List<List<ClusterSnapshot.Pod>> webs = lists(List.of(pod("w1", "a", labelled("web"))), List.of(pod("w2", "b", labelled("web"))),
                List.of(pod("w3", "c", labelled("web"))), List.of());
        PodTopologyRules rules = new PodTopologyRules(List.of(spread), nodes);
        assertThat(new boolean[] {rules.admits(spread, 0, webs, eligible), rules.admits(spread, 1, webs, eligible),
                rules.admits(spread, 2, webs, eligible), rules.admits(spread, 3, webs, eligible)}).containsExactly(false, false, true, false);
    }

    /**
     * Required pod affinity on the zone: a pod that wants to be with a cache goes only to a node
     * whose zone runs one; the first pod of a series that selects itself may go anywhere while no
     * pod matches; a node without the key cannot satisfy the term.
     */
    @Test
    void requiredAffinityNeedsAMatchInTheDomainExceptForTheFirstOfASeries() {
        List<ClusterSnapshot.Node> nodes = List.of(node("a", "zone-1"), node("b", "zone-1"), node("c", "zone-2"), node("d", null));
        boolean[] eligible = {true, true, true, true};
        ClusterSnapshot.Pod near = pod("api", null, new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "api"), List.of(),
                List.of(selects("cache", ZONE)), List.of()));
        List<List<ClusterSnapshot.Pod>> withCache = lists(List.of(pod("cache-0", "a", labelled("cache"))), List.of(), List.of(), List.of());
        PodTopologyRules rules = new PodTopologyRules(List.of(near), nodes);
        assertThat(new boolean[] {rules.admits(near, 0, withCache, eligible), rules.admits(near, 1, withCache, eligible),
                rules.admits(near, 2, withCache, eligible), rules.admits(near, 3, withCache, eligible)})
                .containsExactly(true, true, false, false);
        ClusterSnapshot.Pod first = pod("cache-1", null, new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "cache"),
                List.of(), List.of(selects("cache", ZONE)), List.of()));
        List<List<ClusterSnapshot.Pod>> empty = lists(List.of(), List.of(), List.of(), List.of());
        assertThat(new PodTopologyRules(List.of(first), nodes).admits(first, 2, empty, eligible)).isTrue();
        assertThat(new PodTopologyRules(List.of(near), nodes).admits(near, 2, empty, eligible)).as("api does not select itself").isFalse();
    }

    /**
     * Node inclusion policies: the web pods are pinned to pool=web by their node selector. Nodes a
     * and b are web nodes holding one web pod each; c is a batch node without any; d is a web node
     * with a NoSchedule taint web does not tolerate and no web pod. With the defaults (affinity
     * honoured, taints ignored) c does not count but d does: the fewest is 0 (d), so a third web pod
     * may not join a (1 + 1 − 0 = 2 > 1). nodeAffinityPolicy Ignore counts c as well: still no.
     * nodeTaintsPolicy Honor leaves d out: a and b hold 1 each, and a may take it (2 − 1 = 1).
     */
    @Test
    void nodeInclusionPoliciesChooseTheNodesThatCount() {
        Placement.Taint dedicated = new Placement.Taint("dedicated", "gpu", "NoSchedule");
        List<ClusterSnapshot.Node> nodes = List.of(
                new ClusterSnapshot.Node("a", Map.of("pool", "web"), Resources.ZERO, Resources.ZERO, false, new SourceRef("t", 1), List.of()),
                new ClusterSnapshot.Node("b", Map.of("pool", "web"), Resources.ZERO, Resources.ZERO, false, new SourceRef("t", 1), List.of()),
                new ClusterSnapshot.Node("c", Map.of("pool", "batch"), Resources.ZERO, Resources.ZERO, false, new SourceRef("t", 1), List.of()),
                new ClusterSnapshot.Node("d", Map.of("pool", "web"), Resources.ZERO, Resources.ZERO, false, new SourceRef("t", 1),
                        List.of(dedicated)));
        List<List<ClusterSnapshot.Pod>> onNode = lists(List.of(pod("w1", "a", labelled("web"))), List.of(pod("w2", "b", labelled("web"))),
                List.of(), List.of());
        boolean[] open = {true, true, true, true};
        for (boolean[] policy : new boolean[][] {{true, false}, {false, false}, {true, true}}) {
            Placement.Spread spread = new Placement.Spread(1, true, selects("web", PodConflicts.HOSTNAME), 1, policy[0], policy[1]);
            Placement pinned = new Placement(Map.of("pool", "web"), null, List.of(), "shop", Map.of("app", "web"), List.of(), List.of(),
                    List.of(spread));
            ClusterSnapshot.Pod incoming = pod("w3", null, pinned);
            PodTopologyRules rules = new PodTopologyRules(List.of(incoming), nodes);
            assertThat(rules.admits(incoming, 0, onNode, open)).as("affinity %s, taints %s", policy[0] ? "Honor" : "Ignore",
                    policy[1] ? "Honor" : "Ignore").isEqualTo(policy[1]);
        }
    }

    /**
     * A DaemonSet's pod is pinned to its node by name (the controller's required node affinity on metadata.name): with
     * nodeAffinityPolicy Honor that node is the only eligible one, so a zone spread that the same pod unpinned breaks
     * (zone z1 runs 3 selected pods, z2 and z3 none) does not hold it back; with Ignore every node counts again, and with
     * minDomains 2 the one eligible domain makes the fewest 0. The single-node check agrees with the whole-cluster one.
     */
    @Test
    void aPodPinnedToItsNodeCountsThatNodeAloneWhenTheSpreadHonoursNodeAffinity() {
        List<ClusterSnapshot.Node> nodes = List.of(node("a", "z1"), node("b", "z1"), node("c", "z2"), node("d", "z3"));
        List<List<ClusterSnapshot.Pod>> onNode = lists(List.of(pod("g1", "a", labelled("agent")), pod("g2", "a", labelled("agent"))),
                List.of(pod("g3", "b", labelled("agent"))), List.of(), List.of());
        boolean[] open = {true, true, true, true};
        record Case(boolean pinned, boolean honor, int minDomains, int node, String refused) {
        }
        for (Case c : List.of(new Case(false, true, 1, 0, "topology spread"), new Case(true, true, 1, 0, null),
                new Case(true, false, 1, 0, "topology spread"), new Case(true, true, 2, 0, "topology spread"),
                new Case(true, true, 2, 1, "topology spread"), new Case(true, true, 2, 2, null), new Case(true, true, 1, 2, null), new Case(false, true, 1, 2, null))) {
            Placement.Spread spread = new Placement.Spread(1, true, selects("agent", ZONE), c.minDomains(), c.honor(), false);
            Placement template = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "agent"), List.of(), List.of(), List.of(spread));
            ClusterSnapshot.Pod incoming = pod("agent-new", null, c.pinned() ? template.pinnedTo(nodes.get(c.node()).name()) : template);
            PodTopologyRules rules = new PodTopologyRules(List.of(incoming), nodes);
            assertThat(rules.refusedAt(incoming, c.node(), onNode, open)).as("%s", c).isEqualTo(c.refused());
            assertThat(new PodTopologyRules(List.of(incoming), nodes).refusedBy(incoming, c.node(), onNode, open)).as("%s", c)
                    .isEqualTo(c.refused());
        }
    }

    /**
     * The anti-affinity filter, both ways, against a brute-force check of every pod pair, while
     * the per-node lists change as consolidation changes them: pods appended in place, lists
     * replaced by copies with a pod more, and lists replaced by shorter ones (a pod moved away).
     * The rules keep per-term node counts of the repelling pods up to date through all of these.
     */
    @Test
    void antiAffinityBothWaysMatchesAPairwiseCheckWhileTheListsChange() {
        java.util.Random rnd = new java.util.Random(11);
        String[] apps = {"a", "b", "c", "d"};
        String[] keys = {PodConflicts.HOSTNAME, ZONE};
        for (int run = 0; run < 40; run++) {
            int n = 3 + rnd.nextInt(6);
            List<ClusterSnapshot.Node> nodes = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                nodes.add(new ClusterSnapshot.Node("n" + k, Map.of(PodConflicts.HOSTNAME, "n" + k, ZONE, "z" + rnd.nextInt(3)), Resources.ZERO,
                        Resources.ZERO, false, new SourceRef("t", 1), List.of()));
            }
            List<ClusterSnapshot.Pod> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                List<Placement.PodAffinityTerm> anti = rnd.nextInt(3) == 0 ? List.of(selects(apps[rnd.nextInt(4)], keys[rnd.nextInt(2)])) : List.of();
                all.add(pod("p" + i, null, new Placement(Map.of(), null, List.of(), "shop", Map.of("app", apps[rnd.nextInt(4)]), anti, List.of(),
                        List.of())));
            }
            PodTopologyRules rules = new PodTopologyRules(all, nodes);
            List<List<ClusterSnapshot.Pod>> onNode = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                onNode.add(new ArrayList<>());
            }
            for (int step = 0; step < 120; step++) {
                // A pod not on any list yet (callers take a moving pod off its node first), like one of the 40.
                ClusterSnapshot.Pod incoming = pod("q" + step, null, all.get(rnd.nextInt(all.size())).placement());
                for (int j = 0; j < n; j++) {
                    boolean expected = true;
                    for (int k = 0; k < n; k++) {
                        for (ClusterSnapshot.Pod q : onNode.get(k)) {
                            expected &= !(repels(incoming, j, q, k, nodes) || repels(q, k, incoming, j, nodes));
                        }
                    }
                    assertThat(rules.admits(incoming, j, onNode, null)).as("run %d step %d node %d", run, step, j).isEqualTo(expected);
                }
                int k = rnd.nextInt(n);
                List<ClusterSnapshot.Pod> l = onNode.get(k);
                switch (rnd.nextInt(3)) {
                    case 0 -> l.add(incoming);
                    case 1 -> {
                        List<ClusterSnapshot.Pod> copy = new ArrayList<>(l);
                        copy.add(incoming);
                        onNode.set(k, copy);
                    }
                    default -> {
                        if (!l.isEmpty()) {
                            List<ClusterSnapshot.Pod> shorter = new ArrayList<>(l);
                            shorter.remove(rnd.nextInt(shorter.size()));
                            onNode.set(k, shorter);
                        }
                    }
                }
            }
        }
    }

    /**
     * The single-node check ({@link PodTopologyRules#refusedAt}, the DaemonSet roll-out's: counts per domain kept up to date
     * as the lists change) gives the answer of {@link PodTopologyRules#refusedBy} computed afresh (a new rules object each
     * step, gathering over every node), on random clusters: nodes with and without the hostname, zone and rack labels (two
     * sharing a hostname), some tainted or in another pool; pods of two namespaces, some being deleted, with anti-affinity
     * and affinity terms on those keys, host ports, hard and soft spreads with minDomains and node inclusion policies;
     * while the lists grow in place, are replaced by longer or shorter copies, or lose a pod in place; in half the runs the
     * caller names the nodes it changes ({@link PodTopologyRules#trackChanges}, as the roll-out does). Fails when a change
     * of a list is not counted (the change log skipped), or when a domain's count, the fewest or the order of the refusals
     * differ.
     */
    @Test
    void singleNodeChecksAgreeWithTheWholeClusterGatheringWhileTheListsChange() {
        java.util.Random rnd = new java.util.Random(15);
        String[] apps = {"a", "b", "c", "d"};
        String[] keys = {PodConflicts.HOSTNAME, ZONE, "rack"};
        Placement.Taint tainted = new Placement.Taint("dedicated", "x", "NoSchedule");
        int refusals = 0;
        int checks = 0;
        for (int run = 0; run < 60; run++) {
            int n = 3 + rnd.nextInt(10);
            List<ClusterSnapshot.Node> nodes = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                Map<String, String> labels = new java.util.HashMap<>();
                if (rnd.nextInt(8) != 0) {
                    labels.put(PodConflicts.HOSTNAME, k > 0 && rnd.nextInt(10) == 0 ? "n0" : "n" + k);
                }
                if (rnd.nextInt(6) != 0) {
                    labels.put(ZONE, "z" + rnd.nextInt(3));
                }
                if (rnd.nextInt(3) != 0) {
                    labels.put("rack", "r" + rnd.nextInt(2));
                }
                labels.put("pool", rnd.nextInt(4) == 0 ? "batch" : "web");
                nodes.add(new ClusterSnapshot.Node("n" + k, labels, Resources.ZERO, Resources.ZERO, false, new SourceRef("t", 1),
                        rnd.nextInt(5) == 0 ? List.of(tainted) : List.of()));
            }
            List<ClusterSnapshot.Pod> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                all.add(randomPod(rnd, "p" + i, apps, keys));
            }
            List<List<ClusterSnapshot.Pod>> onNode = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                onNode.add(new ArrayList<>());
            }
            boolean[] open = new boolean[n];
            for (int k = 0; k < n; k++) {
                open[k] = rnd.nextInt(6) != 0;
            }
            PodTopologyRules kept = new PodTopologyRules(all, nodes);
            if (run % 2 == 1) {
                kept.trackChanges();
            }
            for (int step = 0; step < 150; step++) {
                // The pods asked about: one of the 30 (the rules' own) or a new one of the same placement, as the roll-out's stand-ins.
                ClusterSnapshot.Pod incoming = rnd.nextBoolean() ? all.get(rnd.nextInt(all.size()))
                        : pod("q" + step, null, all.get(rnd.nextInt(all.size())).placement());
                if (onNode.stream().anyMatch(l -> l.contains(incoming))) {
                    continue; // callers ask about pods off the lists
                }
                int j = rnd.nextInt(n);
                PodTopologyRules fresh = new PodTopologyRules(all, nodes);
                String expected = fresh.refusedBy(incoming, j, onNode, open);
                assertThat(kept.refusedAt(incoming, j, onNode, open)).as("run %d step %d node %d", run, step, j).isEqualTo(expected);
                checks++;
                refusals += expected == null ? 0 : 1;
                int k = rnd.nextInt(n);
                List<ClusterSnapshot.Pod> l = onNode.get(k);
                switch (rnd.nextInt(4)) {
                    case 0 -> l.add(incoming);
                    case 1 -> {
                        List<ClusterSnapshot.Pod> copy = new ArrayList<>(l);
                        copy.add(incoming);
                        onNode.set(k, copy);
                    }
                    case 2 -> {
                        if (!l.isEmpty()) {
                            List<ClusterSnapshot.Pod> shorter = new ArrayList<>(l);
                            shorter.remove(rnd.nextInt(shorter.size()));
                            onNode.set(k, shorter);
                        }
                    }
                    default -> {
                        if (!l.isEmpty()) {
                            l.remove(rnd.nextInt(l.size())); // in place, as the roll-out takes an old pod off
                        }
                    }
                }
                kept.changed(k);
            }
        }
        // Not a vacuous agreement: both answers occur often.
        assertThat(refusals).isBetween(checks / 5, checks * 4 / 5);
    }

    /** A pod of namespace shop or web with random labels, terms, host port and spreads over {@code keys}. */
    private static ClusterSnapshot.Pod randomPod(java.util.Random rnd, String name, String[] apps, String[] keys) {
        String ns = rnd.nextInt(3) == 0 ? "web" : "shop";
        Map<String, String> labels = new java.util.HashMap<>(Map.of("app", apps[rnd.nextInt(apps.length)]));
        List<Placement.PodAffinityTerm> anti = new ArrayList<>();
        if (rnd.nextInt(3) == 0) {
            anti.add(new Placement.PodAffinityTerm(Map.of("app", apps[rnd.nextInt(apps.length)]), List.of(), rnd.nextBoolean() ? List.of()
                    : List.of("shop", "web"), false, false, keys[rnd.nextInt(keys.length)]));
        }
        if (rnd.nextInt(5) == 0) {
            String port = PodConflicts.HOST_PORT_LABEL + "tcp-" + (9100 + rnd.nextInt(2));
            labels.put(port, "");
            anti.add(new Placement.PodAffinityTerm(Map.of(), List.of(new Placement.Requirement(port, Placement.Operator.EXISTS, List.of())),
                    List.of(), true, false, PodConflicts.HOSTNAME));
        }
        List<Placement.PodAffinityTerm> affinity = new ArrayList<>();
        for (int t = rnd.nextInt(6) == 0 ? 1 + rnd.nextInt(2) : 0; t > 0; t--) {
            affinity.add(selects(apps[rnd.nextInt(apps.length)], keys[rnd.nextInt(keys.length)]));
        }
        List<Placement.Spread> spread = new ArrayList<>();
        for (int t = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0; t > 0; t--) {
            spread.add(new Placement.Spread(1 + rnd.nextInt(2), rnd.nextInt(4) != 0, selects(apps[rnd.nextInt(apps.length)], keys[rnd.nextInt(keys.length)]),
                    1 + rnd.nextInt(4), rnd.nextBoolean(), rnd.nextBoolean()));
        }
        Placement p = new Placement(rnd.nextInt(4) == 0 ? Map.of("pool", "web") : Map.of(), null, List.of(), ns, labels, anti, affinity, spread);
        return new ClusterSnapshot.Pod(ns, name, Resources.ZERO, null, "Running", "ReplicaSet", "rs", new SourceRef("t", 1), null, null, p,
                null, rnd.nextInt(8) == 0, null, null, 0, null, Map.of());
    }

    /** Whether a term of pod p on node i keeps pod q on node k out: same domain of the term's key, and the term selects q. */
    private static boolean repels(ClusterSnapshot.Pod p, int i, ClusterSnapshot.Pod q, int k, List<ClusterSnapshot.Node> nodes) {
        for (Placement.PodAffinityTerm t : p.placement().antiAffinity()) {
            if (nodes.get(i).labels().get(t.topologyKey()).equals(nodes.get(k).labels().get(t.topologyKey()))
                    && PodConflicts.matches(t, "shop", q.placement())) {
                return true;
            }
        }
        return false;
    }
}
