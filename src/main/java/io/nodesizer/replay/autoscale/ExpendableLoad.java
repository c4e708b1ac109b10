package io.nodesizer.replay.autoscale;

import io.nodesizer.kube.ExpendablePods;
import io.nodesizer.model.Resource;
import io.nodesizer.replay.Cluster;

/**
 * What Cluster Autoscaler's scale-down sees of a node when some pods are expendable
 * ({@link ExpendablePods}): CA builds its cluster snapshot from the non-expendable pods alone
 * ({@code core/static_autoscaler.go}), so their requests count nothing in the node's utilisation, a
 * node running only them is empty, and its removal simulation places the others alone. Used only
 * when some pod of the replay is below the cutoff (checked once per cluster): the rest of the time
 * the scale-down's incremental paths run untouched.
 */
final class ExpendableLoad {
    private static final int CPU = Resource.CPU.ordinal();
    private static final int MEM = Resource.MEMORY.ordinal();
    private static final int GPU = Resource.GPU.ordinal();

    private ExpendableLoad() {
    }

    /** Keeps of the first {@code n} of {@code pods} those of priority {@code cutoff} or more, in order; returns how many. */
    static int withoutExpendable(Cluster cluster, int[] pods, int n, int cutoff) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (!ExpendablePods.expendable(cluster.priority(pods[i]), cutoff)) {
                pods[kept++] = pods[i];
            }
        }
        return kept;
    }

    /** How many of {@code node}'s pods are not expendable. */
    static int podsToMove(Cluster cluster, int node, int cutoff, int[][] scratch) {
        int n = cluster.podsOnNode(node, scratch);
        return withoutExpendable(cluster, scratch[0], n, cutoff);
    }

    /**
     * {@code node}'s utilisation as CA's scale-down computes it: its expendable pods' requests left out, and the pods
     * {@code snapshot} holds there counted in (never expendable: CA filters those out before it places any).
     */
    static double utilisation(Cluster cluster, int node, int cutoff, int[][] scratch, SnapshotPods snapshot) {
        int n = cluster.podsOnNode(node, scratch);
        long[] demand = cluster.demand();
        long cpu = 0;
        long mem = 0;
        long gpu = 0;
        for (int i = 0; i < n; i++) {
            int pod = scratch[0][i];
            if (ExpendablePods.expendable(cluster.priority(pod), cutoff)) {
                cpu += demand[cluster.offset(pod) + CPU];
                mem += demand[cluster.offset(pod) + MEM];
                gpu += demand[cluster.offset(pod) + GPU];
            }
        }
        return snapshot.utilisation(cluster, node, cpu, mem, gpu);
    }

    /**
     * The ready nodes under {@code threshold} by {@link #utilisation} ({@code gpuThreshold} on a node with GPUs), in node order, into {@code out}
     * (grown as needed, in [0]); returns how many. The snapshot's pods count as in the pass without expendable pods.
     */
    static int underUtilised(Cluster cluster, double threshold, double gpuThreshold, int cutoff, int[][] out, int[][] scratch,
                             SnapshotPods snapshot) {
        int k = 0;
        for (int i = 0; i < cluster.liveCount(); i++) {
            int node = cluster.liveNode(i);
            if (cluster.state(node) == Cluster.READY
                    && utilisation(cluster, node, cutoff, scratch, snapshot) < (cluster.hasGpus(node) ? gpuThreshold : threshold)) {
                if (k == out[0].length) {
                    out[0] = java.util.Arrays.copyOf(out[0], Math.max(16, k * 2));
                }
                out[0][k++] = node;
            }
        }
        return k;
    }
}
