package io.nodesizer.replay.autoscale;

import io.nodesizer.model.Resource;
import io.nodesizer.replay.Cluster;

import java.util.Arrays;

/**
 * Pods that Cluster Autoscaler's snapshot holds on a ready node where the cluster runs none: the
 * unschedulable pods its "filter out schedulable" placed there (core/podlistprocessor
 * filter_out_schedulable.go schedules them into the snapshot, and nothing reverts it before the
 * scale-down planner reads the snapshot), and the copies its planner injects of the pods still
 * on the nodes it is draining (core/scaledown/planner/planner.go {@code injectOngoingActuation}).
 * In the unneeded pass they take room like any pod, a node holding them counts them in its
 * utilisation, and removing that node means finding them a place too.
 */
final class SnapshotPods {
    private static final int CPU = Resource.CPU.ordinal();
    private static final int MEM = Resource.MEMORY.ordinal();
    private static final int GPU = Resource.GPU.ordinal();

    private int[] pods = new int[8];
    private int[] nodes = new int[8];
    /** Entry after each entry on its node, -1 for the last: each node's pods as a list in the order they were added. */
    private int[] next = new int[8];
    /** Per node, its first and last entry, -1 when none: asked per node and per candidate, a scan of every entry was O(pods x nodes). */
    private int[] first = new int[0];
    private int[] last = new int[0];
    private int count;

    void clear() {
        for (int i = 0; i < count; i++) {
            first[nodes[i]] = -1;
        }
        count = 0;
        failed = false;
    }

    /** Whether a copy of a drained node's pod found no node: CA's planner then fails its update ("can reschedule only"). */
    private boolean failed;

    boolean failed() {
        return failed;
    }

    void fail() {
        failed = true;
    }

    int count() {
        return count;
    }

    int pod(int i) {
        return pods[i];
    }

    int node(int i) {
        return nodes[i];
    }

    /** {@code pod} (a copy of it) sits on the ready {@code node} in the snapshot. */
    void add(int pod, int node) {
        if (count == pods.length) {
            pods = Arrays.copyOf(pods, count * 2);
            nodes = Arrays.copyOf(nodes, count * 2);
            next = Arrays.copyOf(next, count * 2);
        }
        if (node >= first.length) {
            int old = first.length;
            first = Arrays.copyOf(first, Math.max(node + 1, old * 2));
            last = Arrays.copyOf(last, first.length);
            Arrays.fill(first, old, first.length, -1);
        }
        pods[count] = pod;
        nodes[count] = node;
        next[count] = -1;
        if (first[node] < 0) {
            first[node] = count;
        } else {
            next[last[node]] = count;
        }
        last[node] = count++;
    }

    /** Whether some of these pods sit on {@code node}. */
    boolean on(int node) {
        return node < first.length && first[node] >= 0;
    }

    /** The pods on {@code node}, in the order they were placed, into {@code out} (grown as needed); returns how many. */
    int podsOn(int node, int[][] out) {
        int k = 0;
        for (int i = on(node) ? first[node] : -1; i >= 0; i = next[i]) {
            if (k == out[0].length) {
                out[0] = Arrays.copyOf(out[0], k * 2 + 1);
            }
            out[0][k++] = pods[i];
        }
        return k;
    }

    /**
     * Whether {@code node}, with these pods counted in its requests, is under the threshold that
     * applies to it: CA reads its utilisation off the snapshot ({@code FilterOutUnremovable} runs
     * after the injection).
     */
    boolean underThreshold(Cluster cluster, int node, double threshold, double gpuThreshold) {
        return utilisation(cluster, node, 0, 0, 0) < (cluster.hasGpus(node) ? gpuThreshold : threshold);
    }

    /**
     * {@code node}'s utilisation as CA's snapshot has it: these pods there counted in, and {@code lessCpu}, {@code lessMem}
     * and {@code lessGpu} left out (its expendable pods', which the snapshot does not hold).
     */
    double utilisation(Cluster cluster, int node, long lessCpu, long lessMem, long lessGpu) {
        long[] demand = cluster.demand();
        long cpu = lessCpu;
        long mem = lessMem;
        long gpu = lessGpu;
        for (int i = on(node) ? first[node] : -1; i >= 0; i = next[i]) {
            int o = cluster.offset(pods[i]);
            cpu -= demand[o + CPU];
            mem -= demand[o + MEM];
            gpu -= demand[o + GPU];
        }
        return cluster.utilisation(node, cpu, mem, gpu);
    }
}
