package io.nodesizer.engine.strategy;

import io.nodesizer.engine.NodeLedger;

import java.util.Arrays;

/**
 * A segment tree over node indices holding, per active resource, the largest free amount in each
 * subtree. {@link #findFirst} descends only into subtrees whose maxima cover the demand, so the
 * search skips full regions of the fleet. With several resources the maxima may come from
 * different nodes, so a subtree can pass the check and still hold no fitting node; the descent
 * then backtracks. To cut that, each subtree also keeps, for a few memory-to-CPU ratios θ, the
 * largest min(free CPU, free memory / θ) of its nodes: a node that fits a pod with CPU c and
 * memory m has min(free CPU, free memory / θ) ≥ min(c, m / θ), so a subtree below that value holds
 * no fitting node. With θ near the pod's own ratio the test is tight, and it prunes the subtrees
 * whose CPU-rich and memory-rich nodes only jointly "cover" the pod. Both tests are necessary
 * conditions, so the leftmost fitting node is always found.
 *
 * <p>When the ledger tracks GPU devices, each subtree also keeps the largest free amount on one
 * device and the most empty devices of its nodes. A share fits a node exactly when one device has
 * room for it, and n whole GPUs exactly when n devices are empty, so these two maxima prune the
 * nodes whose pooled free GPU is fragmented across devices. Without them a trace of GPU shares
 * (openb: 150,000 pods, 86 % with GPUs) spent 4 s descending into such nodes and failing at the leaf.
 */
final class FitTree {
    /** Memory-to-CPU ratios θ in bytes per millicore: 1/8 GiB to 16 GiB per core, doubling. */
    private static final double[] RATIOS = new double[8];

    static {
        for (int k = 0; k < RATIOS.length; k++) {
            RATIOS[k] = Math.scalb(1.0, k - 3) * (1L << 30) / 1000.0;
        }
    }

    private final int[] dims;
    private final int a;
    private final int cpuIndex;
    private final int memIndex;
    private int leaves;
    private long[] max;
    private double[] projection;
    /** Per tree node, with devices: the largest free on one device, and the most empty devices (null without devices). */
    private int[] shareMax;
    private int[] emptyMax;

    /**
     * @param projections keep the ratio projections; worth it when pods are mostly distinct (each
     *                    pod its own query). With replicated workloads bulk placement makes queries
     *                    few and the extra upkeep costs more than it saves (measured: a 300-shape
     *                    sweep of 150k replicated pods went from 4.3 s to 6.2 s with them on).
     */
    FitTree(int[] dims, int initialLeaves, boolean projections) {
        this.dims = dims;
        this.a = dims.length;
        int cpu = -1;
        int mem = -1;
        for (int k = 0; k < a; k++) {
            if (dims[k] == io.nodesizer.model.Resource.CPU.ordinal()) {
                cpu = k;
            } else if (dims[k] == io.nodesizer.model.Resource.MEMORY.ordinal()) {
                mem = k;
            }
        }
        this.cpuIndex = projections && mem >= 0 ? cpu : -1;
        this.memIndex = cpu >= 0 ? mem : -1;
        this.leaves = Integer.highestOneBit(Math.max(2, initialLeaves) - 1) << 1;
        this.max = new long[2 * leaves * a];
        this.projection = new double[cpuIndex >= 0 ? 2 * leaves * RATIOS.length : 0];
    }

    private boolean projected() {
        return cpuIndex >= 0;
    }

    /** Recomputes a leaf's projections from its maxima (a leaf's maxima are the node's free amounts). */
    private void projectLeaf(int v) {
        if (!projected()) {
            return;
        }
        double cpu = max[v * a + cpuIndex];
        double mem = max[v * a + memIndex];
        for (int k = 0; k < RATIOS.length; k++) {
            projection[v * RATIOS.length + k] = Math.min(cpu, mem / RATIOS[k]);
        }
    }

    /** The ratio bucket closest (in log scale) to the pod's memory per millicore, or -1 without both. */
    int bucket(long[] demand, int offset) {
        if (!projected()) {
            return -1;
        }
        long c = demand[offset + dims[cpuIndex]];
        long m = demand[offset + dims[memIndex]];
        if (c == 0 || m == 0) {
            return -1;
        }
        double r = Math.log((double) m / c / RATIOS[0]) / Math.log(2);
        return (int) Math.max(0, Math.min(RATIOS.length - 1, Math.round(r)));
    }

    /** Refreshes node {@code node}'s leaf from the ledger and its ancestors' maxima. */
    void update(int node, NodeLedger ledger) {
        if (node >= leaves) {
            grow(node + 1, ledger);
            return;
        }
        int v = leaves + node;
        for (int k = 0; k < a; k++) {
            max[v * a + k] = ledger.free(node, dims[k]);
        }
        projectLeaf(v);
        devicesLeaf(v, node, ledger);
        refreshAncestors(v);
    }

    /** Sets a leaf's device maxima from the ledger (allocating them on the first node with devices). */
    private void devicesLeaf(int v, int node, NodeLedger ledger) {
        if (ledger.devices() == 0) {
            return;
        }
        if (shareMax == null) {
            shareMax = new int[2 * leaves];
            emptyMax = new int[2 * leaves];
        }
        shareMax[v] = ledger.largestDeviceFree(node);
        emptyMax[v] = ledger.emptyDevices(node);
    }

    private void refreshAncestors(int leaf) {
        for (int v = leaf >>> 1; v >= 1; v >>>= 1) {
            combine(v);
        }
    }

    private void combine(int v) {
        int l = 2 * v;
        int r = l + 1;
        for (int k = 0; k < a; k++) {
            max[v * a + k] = Math.max(max[l * a + k], max[r * a + k]);
        }
        if (projected()) {
            int p = RATIOS.length;
            for (int k = 0; k < p; k++) {
                projection[v * p + k] = Math.max(projection[l * p + k], projection[r * p + k]);
            }
        }
        if (shareMax != null) {
            shareMax[v] = Math.max(shareMax[l], shareMax[r]);
            emptyMax[v] = Math.max(emptyMax[l], emptyMax[r]);
        }
    }

    private void grow(int needed, NodeLedger ledger) {
        while (leaves < needed) {
            leaves <<= 1;
        }
        long[] oldMax = max;
        int oldLeaves = oldMax.length / (2 * a);
        max = new long[2 * leaves * a];
        projection = new double[projected() ? 2 * leaves * RATIOS.length : 0];
        int[] oldShare = shareMax;
        int[] oldEmpty = emptyMax;
        shareMax = oldShare == null ? null : new int[2 * leaves];
        emptyMax = oldEmpty == null ? null : new int[2 * leaves];
        // Copy the old leaves (killed nodes stay zero) and take the node being grown for from the ledger.
        for (int node = 0; node < ledger.nodeCount(); node++) {
            int v = leaves + node;
            for (int k = 0; k < a; k++) {
                max[v * a + k] = node < oldLeaves ? oldMax[(oldLeaves + node) * a + k] : ledger.free(node, dims[k]);
            }
            projectLeaf(v);
            if (node < oldLeaves && oldShare != null) {
                shareMax[v] = oldShare[oldLeaves + node];
                emptyMax[v] = oldEmpty[oldLeaves + node];
            } else {
                devicesLeaf(v, node, ledger); // a new leaf, or devices not summarised yet
            }
        }
        for (int v = leaves - 1; v >= 1; v--) {
            combine(v);
        }
    }

    /**
     * Lowest node index in [from, nodeCount) that fits the demand row, or -1. The maxima cover the
     * pooled amounts; a leaf is then confirmed with the ledger, which also checks GPU devices when
     * it tracks them (a node can have 3,000 thousandths free as three half-used devices and still
     * not take a whole GPU).
     */
    int findFirst(long[] demand, int offset, int from, int nodeCount, NodeLedger ledger) {
        if (from >= nodeCount) {
            return -1;
        }
        int k = bucket(demand, offset);
        double need = k < 0 ? 0 : Math.min((double) demand[offset + dims[cpuIndex]], demand[offset + dims[memIndex]] / RATIOS[k]);
        return descend(1, 0, leaves - 1, demand, offset, from, nodeCount, k, need, ledger.checksLeaves() ? ledger : null);
    }

    /**
     * Removes a node from all future searches (its leaf becomes zero, which no pod covers since
     * every pod takes a pod slot). For nodes that can never take another pod.
     */
    void kill(int node) {
        if (node >= leaves) {
            return;
        }
        int v = leaves + node;
        for (int k = 0; k < a; k++) {
            max[v * a + k] = 0;
        }
        projectLeaf(v);
        if (shareMax != null) {
            shareMax[v] = 0;
            emptyMax[v] = 0;
        }
        refreshAncestors(v);
    }

    private int descend(int v, int lo, int hi, long[] demand, int offset, int from, int nodeCount, int k, double need,
                        NodeLedger devices) {
        if (hi < from || lo >= nodeCount || !covers(v, demand, offset)
                || (k >= 0 && projection[v * RATIOS.length + k] < need)) {
            return -1;
        }
        if (lo == hi) {
            return devices == null || devices.fits(lo, demand, offset, dims) ? lo : -1;
        }
        int mid = (lo + hi) >>> 1;
        int left = descend(2 * v, lo, mid, demand, offset, from, nodeCount, k, need, devices);
        if (left >= 0) {
            return left;
        }
        return descend(2 * v + 1, mid + 1, hi, demand, offset, from, nodeCount, k, need, devices);
    }

    private boolean covers(int v, long[] demand, int offset) {
        if (shareMax != null) {
            long g = demand[offset + io.nodesizer.model.Resource.GPU.ordinal()];
            if (g > 0 && (g < io.nodesizer.engine.GpuDevices.UNIT ? shareMax[v] < g : emptyMax[v] < io.nodesizer.engine.GpuDevices.whole(g))) {
                return false;
            }
        }
        int base = v * a;
        for (int k = 0; k < a; k++) {
            if (max[base + k] < demand[offset + dims[k]]) {
                return false;
            }
        }
        return true;
    }
}
