package io.nodesizer.engine;

import java.util.Arrays;

/**
 * Free capacity of every open node, one node after another in a flat {@code long[]} with stride
 * {@link DemandTable#D} (struct-of-arrays would spread one fit check over five cache lines; this
 * layout keeps a node's five amounts together). All nodes share one shape, whose pod-allocatable
 * (allocatable minus DaemonSet pods) is {@code capacity}. Mutable by design: it is the engine's
 * hot-path state and never leaves the engine.
 *
 * <p>When the shape has GPUs and some pod requests them, the ledger also keeps every node's GPU
 * devices ({@link GpuDevices}): a fit needs room on the devices, not only in the pooled GPU
 * total, and every GPU pod placed is logged with its devices, in placement order.
 */
public final class NodeLedger {
    private static final int D = DemandTable.D;

    private static final int GPU = io.nodesizer.model.Resource.GPU.ordinal();

    private final long[] capacity;
    private long[] free;
    private int nodeCount;
    private final int devices;
    private int[] deviceLoad;
    private int logged;
    private int[] logNode = new int[0];
    private int[] logGroup = new int[0];
    private long[] logMask = new long[0];

    public NodeLedger(long[] capacity, int expectedNodes) {
        this(capacity, expectedNodes, 0);
    }

    /** @param devices GPU devices per node to track (0: GPUs pooled only, for shapes or workloads without GPUs) */
    public NodeLedger(long[] capacity, int expectedNodes, int devices) {
        this.capacity = capacity.clone();
        this.free = new long[Math.max(16, expectedNodes) * D];
        this.devices = devices;
        this.deviceLoad = new int[devices == 0 ? 0 : Math.max(16, expectedNodes) * devices];
    }

    /** The devices to track for a problem: its shape's whole GPUs left for pods, when some schedulable pod wants GPUs. */
    public static int devicesFor(PackingProblem problem) {
        boolean wanted = false;
        for (int g : problem.schedulableGroups()) {
            wanted |= problem.table().demand(g, GPU) > 0;
        }
        return wanted ? GpuDevices.count(problem.podCapacity()[GPU]) : 0;
    }

    public int devices() {
        return devices;
    }

    /** GPU pods placed so far (entries of the device log). */
    public int logged() {
        return logged;
    }

    public int loggedNode(int i) {
        return logNode[i];
    }

    public int loggedGroup(int i) {
        return logGroup[i];
    }

    public long loggedMask(int i) {
        return logMask[i];
    }

    public int nodeCount() {
        return nodeCount;
    }

    public long capacity(int r) {
        return capacity[r];
    }

    public long free(int node, int r) {
        return free[node * D + r];
    }

    /** Opens an empty node and returns its index. */
    public int open() {
        if ((nodeCount + 1) * D > free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        System.arraycopy(capacity, 0, free, nodeCount * D, D);
        if (devices > 0 && (nodeCount + 1) * devices > deviceLoad.length) {
            deviceLoad = Arrays.copyOf(deviceLoad, deviceLoad.length * 2);
        }
        return nodeCount++;
    }

    /** True when one replica of {@code demand} (stride-D row at {@code offset}) fits {@code node}. */
    public boolean fits(int node, long[] demand, int offset, int[] dims) {
        int base = node * D;
        for (int dim : dims) {
            if (demand[offset + dim] > free[base + dim]) {
                return false;
            }
        }
        return devices == 0 || GpuDevices.fits(deviceLoad, node * devices, devices, demand[offset + GPU]);
    }

    /** How many replicas of {@code demand} fit {@code node}, at most {@code limit}. */
    public int fitCount(int node, long[] demand, int offset, int[] dims, int limit) {
        int base = node * D;
        long k = limit;
        for (int dim : dims) {
            long d = demand[offset + dim];
            if (d > 0) {
                long fit = free[base + dim] / d;
                if (fit < k) {
                    k = fit;
                }
            }
        }
        if (devices > 0 && k > 0 && demand[offset + GPU] > 0) {
            k = GpuDevices.fitCount(deviceLoad, node * devices, devices, demand[offset + GPU], (int) k);
        }
        return (int) k;
    }

    /** Takes {@code count} replicas of {@code demand} from {@code node}; the caller has checked the fit. */
    public void take(int node, long[] demand, int offset, int[] dims, int count) {
        int base = node * D;
        for (int dim : dims) {
            free[base + dim] -= demand[offset + dim] * count;
        }
        long g = devices == 0 ? 0 : demand[offset + GPU];
        if (g > 0) {
            for (int i = 0; i < count; i++) {
                log(node, offset / D, GpuDevices.take(deviceLoad, node * devices, devices, g));
            }
        }
    }

    private void log(int node, int group, long mask) {
        if (logged == logNode.length) {
            int n = Math.max(64, logged * 2);
            logNode = Arrays.copyOf(logNode, n);
            logGroup = Arrays.copyOf(logGroup, n);
            logMask = Arrays.copyOf(logMask, n);
        }
        logNode[logged] = node;
        logGroup[logged] = group;
        logMask[logged++] = mask;
    }
}
