package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One upstream filter row as a replay: every upstream node is a node of a pool of its own (the
 * node's labels and taints, in the zone its zone label names when the row has zones), requested at
 * time 0 of a warm start so that it is ready at once. The existing pods arrive at 1 s and go
 * through the replay's scheduler and binding ({@code Scheduler.chooseNode}, {@code Pods.place}),
 * kept to their node by a node selector on {@link #PIN} (a label only that node's pool carries)
 * and a toleration of every taint; a pod being deleted upstream leaves at 2 s (the replay has no
 * terminating pods: a pod that leaves is gone at once). At 50 s the probe checks that every
 * existing pod runs where upstream has it, then asks the scheduler's filter about the incoming pod,
 * which arrives only at 100 s, on every node: the whole filter ({@link Cluster#fits}), the pod
 * rules alone ({@link Cluster#podRulesAdmit}) and its pool ({@link Cluster#allowedOn}: node
 * selector, affinity, tolerations). Then the incoming pod arrives and the scheduler binds it, or
 * leaves it pending: where it went is returned too. Requests are 100m and 64 MiB on 64-CPU nodes:
 * the amounts never decide.
 *
 * <p>Existing pods of one node with the same placement are one workload (pod group) with that many
 * replicas; pods on different nodes are different workloads (their pins differ), and the incoming
 * pod is a workload of its own. So a selector of the incoming pod that matches existing pods counts
 * other workloads' pods, as a canary's counts its stable pods.
 */
final class ReplayFilterHarness {
    /** The label that keeps an existing pod to its node: only that node's pool carries it. */
    static final String PIN = "conformance.nodesizer.io/node";
    private static final long PROBE_AT = 50;
    private static final Resources REQUEST = new Resources(100, 64L << 20, 1, 0, 0);
    private static final Placement.Toleration EVERY_TAINT = new Placement.Toleration("", "Exists", "", "");

    private ReplayFilterHarness() {
    }

    /** An upstream node: name, labels (without the zone label when the row has zones), taints, zone (null: zones not modelled). */
    record Node(String name, Map<String, String> labels, List<Placement.Taint> taints, String zone) {
    }

    /** An existing pod on node {@code node} (index); {@code gone}: upstream has it being deleted. */
    record Pod(int node, Placement placement, boolean gone) {
    }

    /**
     * What the replay's filter says of the incoming pod, per node: the whole filter, the pod rules alone, its pool; and
     * the node (index) the replay's scheduler bound it to when it arrived, -1 when it stayed pending.
     */
    record Verdict(boolean[] fits, boolean[] podRules, boolean[] pool, int placedOn) {
    }

    /** Runs the replay of the row and returns the probe's verdict. */
    static Verdict run(List<Node> nodes, List<Pod> pods, Placement incoming) {
        List<String> zoneNames = zones(nodes);
        List<Pool> pools = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            Map<String, String> labels = new HashMap<>(n.labels());
            labels.put(PIN, n.name());
            pools.add(Pool.of(i, Fixtures.shape(n.name(), 64_000, 256 * ReplayFixtures.GIB, 110, 0.1)
                    .withLabelsAndTaints(labels, n.taints()), Resources.ZERO));
        }
        // One workload per (node, placement) of the existing pods, then the incoming pod's.
        Map<List<Object>, Integer> groupOf = new LinkedHashMap<>();
        List<PodGroup> groups = new ArrayList<>();
        List<Integer> podGroup = new ArrayList<>();
        for (Pod p : pods) {
            List<Object> key = List.of(p.node(), p.placement());
            Integer g = groupOf.get(key);
            if (g == null) {
                g = groups.size();
                groupOf.put(key, g);
                String name = nodes.get(p.node()).name() + "-w" + g;
                groups.add(group(name, 0, pinned(p.placement(), nodes.get(p.node()).name())));
            }
            podGroup.add(g);
        }
        int[] replicas = new int[groups.size()];
        podGroup.forEach(g -> replicas[g]++);
        for (int g = 0; g < groups.size(); g++) {
            groups.set(g, group(groups.get(g).name(), replicas[g], groups.get(g).placement()));
        }
        int incomingGroup = groups.size();
        groups.add(group("incoming", 1, incoming));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 200);
        int[] serial = new int[groups.size()];
        for (int i = 0; i < pods.size(); i++) {
            int g = podGroup.get(i);
            b.add(g, serial[g]++, 1, pods.get(i).gone() ? 2 : PodStream.STAYS);
        }
        int incomingPod = b.add(incomingGroup, 0, 100, PodStream.STAYS);
        PodStream stream = b.build();
        if (stream.group(incomingPod) != incomingGroup) {
            throw new IllegalStateException("the stream reordered the pods");
        }
        // Per node, the pods of each workload upstream runs there at the probe.
        int[][] expected = new int[nodes.size()][groups.size()];
        for (int i = 0; i < pods.size(); i++) {
            if (!pods.get(i).gone()) {
                expected[pods.get(i).node()][podGroup.get(i)]++;
            }
        }
        Probe probe = new Probe(nodes, zoneNames, incomingPod, expected);
        Replay.Settings settings = Replay.Settings.defaults(ProvisionDelay.fixed(60), 1);
        Replay.run(stream, pools, probe, zoneNames == null ? settings : settings.withZones(zoneNames));
        if (probe.verdict == null) {
            throw new IllegalStateException("the probe did not run");
        }
        int placedOn = -1;
        int[][] scratch = {new int[8]};
        for (int i = 0; i < nodes.size(); i++) {
            int k = probe.cluster.podsOnNode(probe.nodeIndex[i], scratch);
            for (int j = 0; j < k; j++) {
                placedOn = scratch[0][j] == incomingPod ? i : placedOn;
            }
        }
        Verdict v = probe.verdict;
        return new Verdict(v.fits(), v.podRules(), v.pool(), placedOn);
    }

    /** The zones of the nodes in order of first appearance when every node has one and there are two or more; else null. */
    private static List<String> zones(List<Node> nodes) {
        List<String> names = new ArrayList<>();
        for (Node n : nodes) {
            if (n.zone() == null) {
                return null;
            }
            if (!names.contains(n.zone())) {
                names.add(n.zone());
            }
        }
        return names.size() < 2 ? null : names;
    }

    private static PodGroup group(String name, int replicas, Placement placement) {
        return new PodGroup(name, "test", REQUEST, Math.max(1, replicas), false, null, new SourceRef("t", 1), List.of(), null, placement);
    }

    /** The existing pod's placement kept to node {@code node}: a node selector on {@link #PIN}, and every taint tolerated. */
    private static Placement pinned(Placement p, String node) {
        Map<String, String> selector = new HashMap<>(p.nodeSelector());
        selector.put(PIN, node);
        List<Placement.Toleration> tolerations = new ArrayList<>(p.tolerations());
        tolerations.add(EVERY_TAINT);
        return p.withNodeSelectorAndTolerations(selector, tolerations);
    }

    /** Requests the nodes at time 0 and asks the filter at {@link #PROBE_AT}. */
    private static final class Probe implements Autoscaler {
        private final List<Node> nodes;
        private final List<String> zoneNames;
        private final int incomingPod;
        private final int[][] expected;
        final int[] nodeIndex;
        Cluster cluster;
        Verdict verdict;

        Probe(List<Node> nodes, List<String> zoneNames, int incomingPod, int[][] expected) {
            this.nodes = nodes;
            this.zoneNames = zoneNames;
            this.incomingPod = incomingPod;
            this.expected = expected;
            this.nodeIndex = new int[nodes.size()];
        }

        @Override
        public String name() {
            return "conformance-probe";
        }

        @Override
        public void start(Cluster cluster) {
            this.cluster = cluster;
            for (int i = 0; i < nodes.size(); i++) {
                nodeIndex[i] = cluster.requestNode(i, zoneNames == null ? -1 : zoneNames.indexOf(nodes.get(i).zone()));
            }
        }

        @Override
        public void tick(Cluster cluster) {
            if (cluster.now() != PROBE_AT || verdict != null) {
                return;
            }
            int[][] scratch = {new int[8]};
            for (int i = 0; i < nodes.size(); i++) {
                int node = nodeIndex[i];
                if (cluster.state(node) != Cluster.READY) {
                    throw new IllegalStateException("node " + nodes.get(i).name() + " is not ready at " + PROBE_AT + " s");
                }
                if (zoneNames != null && !Objects.equals(zoneNames.get(cluster.zone(node)), nodes.get(i).zone())) {
                    throw new IllegalStateException("node " + nodes.get(i).name() + " is in zone " + zoneNames.get(cluster.zone(node)));
                }
                int[] running = new int[expected[i].length];
                int k = cluster.podsOnNode(node, scratch);
                for (int j = 0; j < k; j++) {
                    running[cluster.stream().group(scratch[0][j])]++;
                }
                if (!java.util.Arrays.equals(running, expected[i])) {
                    throw new IllegalStateException("the existing pods on node " + nodes.get(i).name() + " per workload are "
                            + java.util.Arrays.toString(running) + ", upstream has " + java.util.Arrays.toString(expected[i])
                            + ": the replay's scheduler did not place them all where upstream has them");
                }
            }
            boolean[] fits = new boolean[nodes.size()];
            boolean[] rules = new boolean[nodes.size()];
            boolean[] pool = new boolean[nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                fits[i] = cluster.fits(nodeIndex[i], incomingPod);
                rules[i] = cluster.podRulesAdmit(nodeIndex[i], incomingPod);
                pool[i] = cluster.allowedOn(incomingPod, cluster.pool(nodeIndex[i]));
            }
            verdict = new Verdict(fits, rules, pool, -1);
        }

        @Override
        public long nextTick(Cluster cluster, long lastTick, boolean changed) {
            return lastTick < PROBE_AT ? PROBE_AT : Long.MAX_VALUE;
        }

        @Override
        public long period() {
            return 0;
        }
    }
}
