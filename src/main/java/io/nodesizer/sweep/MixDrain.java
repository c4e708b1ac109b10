package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.kube.NodeLabels;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Empties nodes of a combined mix into the room of its other nodes. A mix with zone rules or
 * co-location is two parts — the other workloads' mix, and the ruled workloads on nodes of their
 * own — and the ruled part's nodes often have room the other workloads' pods could use. The least
 * loaded node first (a pool at its minimum only as a whole), each of its pods goes to the first
 * other node with room (every resource, pod slots included, next to that pool's DaemonSets) whose
 * shape admits it (selectors, node affinity, taints) and whose pods its hostname rules allow
 * (anti-affinity both ways, each workload's cap per node); a node whose pods do not all move keeps
 * them. Pods of the {@code fixed} workloads (zone-ruled, co-located or their targets, GPU pods)
 * never move, so their rules hold as placed. The emptied nodes are left for the caller to drop.
 */
final class MixDrain {
    private final DemandTable table;
    private final int[] nodeShape;
    private final int[] assignment;
    private final List<PackingProblem> problems;
    private final BitSet fixed;
    private final io.nodesizer.engine.NodePods pods;
    /** Per group × pool: 1 admitted, -1 not, 0 not yet asked. */
    private final byte[] admitted;
    private final List<Map<String, String>> labels = new ArrayList<>();

    private MixDrain(DemandTable table, int[] nodeShape, int[] assignment, List<PackingProblem> problems, BitSet fixed) {
        this.table = table;
        this.nodeShape = nodeShape;
        this.assignment = assignment;
        this.problems = problems;
        this.fixed = fixed;
        // A node's pods may take its pool's allocatable less the pool's DaemonSets.
        this.pods = new io.nodesizer.engine.NodePods(table, nodeShape.length, assignment, n -> problems.get(nodeShape[n]).podCapacity());
        admitted = new byte[table.groupCount() * problems.size()];
        for (PackingProblem p : problems) {
            labels.add(NodeLabels.of(p.shape()));
        }
    }

    /**
     * The assignment with as many nodes emptied as moves allow ({@code assignment} itself when none).
     *
     * @param fixed groups whose pods stay where they are
     */
    static int[] drain(DemandTable table, int[] nodeShape, int[] assignment, List<PackingProblem> problems, int minNodes, BitSet fixed) {
        MixDrain drain = new MixDrain(table, nodeShape, assignment.clone(), problems, fixed);
        return drain.run(minNodes) ? drain.assignment() : assignment;
    }

    /**
     * The groups whose pods a drain must not move: co-located ones and their targets, GPU pods, the
     * groups a shared spread counts (a move would change its counts), plus {@code also}.
     */
    static BitSet fixedGroups(DemandTable table, BitSet also) {
        BitSet fixed = (BitSet) also.clone();
        if (table.sharedSpreads() != null) {
            fixed.or(table.sharedSpreads().involved());
        }
        int gpu = Resource.GPU.ordinal();
        for (int g = 0; g < table.groupCount(); g++) {
            if (table.demand(g, gpu) > 0 || table.coLocation().constrains(g)) {
                fixed.set(g);
                for (int h : table.coLocation().targets(g) == null ? new int[0] : table.coLocation().targets(g)) {
                    if (h >= 0 && h < table.groupCount()) {
                        fixed.set(h);
                    }
                }
            }
        }
        return fixed;
    }

    private boolean run(int minNodes) {
        int nodes = nodeShape.length;
        boolean any = false;
        boolean[] gone = new boolean[nodes];
        boolean changed = true;
        while (changed) {
            changed = false;
            int[] poolNodes = new int[problems.size()];
            for (int n = 0; n < nodes; n++) {
                poolNodes[nodeShape[n]] += gone[n] ? 0 : 1;
            }
            double[] fill = new double[nodes];
            for (int n = 0; n < nodes; n++) {
                long[] alloc = problems.get(nodeShape[n]).shape().allocatable().toArray();
                long[] ds = problems.get(nodeShape[n]).daemonSetLoad().toArray();
                for (int r = 0; r < DemandTable.D; r++) {
                    fill[n] = alloc[r] == 0 ? fill[n] : Math.max(fill[n], (double) (pods.load(n, r) + ds[r]) / alloc[r]);
                }
            }
            Integer[] order = java.util.stream.IntStream.range(0, nodes).boxed()
                    .sorted(java.util.Comparator.comparingDouble((Integer n) -> fill[n]).thenComparingInt(n -> n)).toArray(Integer[]::new);
            List<int[]> sources = new ArrayList<>();
            for (int n : order) {
                if (!gone[n] && !pods.on(n).isEmpty() && poolNodes[nodeShape[n]] > minNodes && movable(n)) {
                    sources.add(new int[]{n});
                }
            }
            for (int p = 0; p < problems.size(); p++) {
                final int pool = p;
                int[] all = java.util.stream.IntStream.range(0, nodes).filter(n -> !gone[n] && nodeShape[n] == pool).toArray();
                if (all.length > 0 && all.length <= minNodes && java.util.Arrays.stream(all).allMatch(this::movable)) {
                    sources.add(all);
                }
            }
            for (int[] src : sources) {
                if (empty(src, gone)) {
                    for (int n : src) {
                        gone[n] = true;
                    }
                    changed = true;
                    any = true;
                    break;
                }
            }
        }
        return any;
    }

    private boolean movable(int n) {
        for (int g : pods.on(n).keySet()) {
            if (fixed.get(g)) {
                return false;
            }
        }
        return true;
    }

    /** Moves every pod of the nodes {@code src} to the first other live node that takes it; true when all moved, else undone. */
    private boolean empty(int[] src, boolean[] gone) {
        boolean[] source = new boolean[nodeShape.length];
        for (int n : src) {
            source[n] = true;
        }
        List<int[]> moves = new ArrayList<>(); // {group, from, to}
        for (int from : src) {
            for (var e : new java.util.TreeMap<>(pods.on(from)).entrySet()) {
                for (int i = 0; i < e.getValue(); i++) {
                    int to = -1;
                    for (int n = 0; n < nodeShape.length && to < 0; n++) {
                        if (!source[n] && !gone[n] && takes(n, e.getKey())) {
                            to = n;
                        }
                    }
                    if (to < 0) {
                        for (int k = moves.size() - 1; k >= 0; k--) {
                            pods.move(moves.get(k)[0], moves.get(k)[2], moves.get(k)[1]);
                        }
                        return false;
                    }
                    pods.move(e.getKey(), from, to);
                    moves.add(new int[]{e.getKey(), from, to});
                }
            }
        }
        return true;
    }

    /** Whether node n takes one more pod of g: room, its pool's shape admits g, and the hostname rules. */
    private boolean takes(int n, int g) {
        if (!pods.fits(n, g, -1)) {
            return false;
        }
        int pool = nodeShape[n];
        int key = g * problems.size() + pool;
        if (admitted[key] == 0) {
            admitted[key] = (byte) (NodeMatching.onShape(table.group(g).placement(), problems.get(pool).shape(), labels.get(pool)) == null
                    ? 1 : -1);
        }
        if (admitted[key] < 0) {
            return false;
        }
        return pods.admits(n, g, -1);
    }

    /**
     * The moved groups' pods on the nodes their counts say, in node order (a group's replicas are
     * alike); the fixed groups' pods where they were.
     */
    private int[] assignment() {
        int[] out = assignment.clone();
        int[] next = new int[table.groupCount()];
        for (int n = 0; n < pods.nodes(); n++) {
            for (var e : new java.util.TreeMap<>(pods.on(n)).entrySet()) {
                for (int i = 0; !fixed.get(e.getKey()) && i < e.getValue(); i++) {
                    out[table.firstPod(e.getKey()) + next[e.getKey()]++] = n;
                }
            }
        }
        return out;
    }
}
