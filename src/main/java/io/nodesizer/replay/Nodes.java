package io.nodesizer.replay;

import io.nodesizer.engine.HostnameFloors;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.model.Resource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The nodes of a replayed cluster and their lifecycle: requested (provisioning), ready after the
 * provisioning delay, draining, removed after the drain delay ({@link Cluster#PROVISIONING} to
 * {@link Cluster#REMOVED}); the lifecycle's events go into the {@link EventQueue}. One index per
 * node ever requested, in primitive arrays grown by doubling: per node its pool, state, free pod
 * capacity, the loads the scheduler scores and its GPU device loads. The ready nodes are kept in a
 * list with a {@link ReadyIndex} over it, the nodes not yet removed in node order, and the requests
 * and allocatable of the ready nodes as totals for the metrics. Over zones, every node gets one
 * when it is requested: within its pool the zone with the fewest live nodes of that pool, ties to
 * the first, as a managed node group balances its instances across zones.
 *
 * <p>The arrays and counters are package-private so that the scheduler's inner loop and the
 * {@link Cluster}'s readers use them directly; only this class writes them.
 */
final class Nodes {
    private static final int D = DemandTable.D;
    private static final int CPU = Resource.CPU.ordinal();
    private static final int MEM = Resource.MEMORY.ordinal();
    private static final int GPU = Resource.GPU.ordinal();

    private final List<Pool> pools;
    /** Per pool, whether its nodes have GPUs (CA judges those by their GPUs): read at every node change. */
    private final boolean[] gpuPool;
    /** The hard hostname spreads' fewest pods per domain node, kept as nodes become ready and leave; null when none. */
    HostnameFloors floors;
    private final EventQueue queue;
    private final ProvisionDelay delay;
    private final long drainDelay;
    private final SplittableRandom random;
    /** Nodes requested up to this time are ready at once: the cluster the run starts with (-1 for a cold start). */
    private final long warmUntil;
    /** GPU device slots per node in {@link #deviceLoad} (0 when no pod requests GPUs: devices are not tracked). */
    final int devicesStride;
    /** Zones the pools are spread over; 1 when zones are not modelled (no zone arrays then). */
    final int zones;
    /** The zone rules, told when nodes become ready or stop being ready; null when none. */
    private final TopologyRules spread;
    /** Per node its zone index (null when zones are not modelled; at most 64 zones). */
    byte[] zone;
    /** Per (pool, zone), at {@code pool * zones + zone}, the pool's live nodes there (null when zones are not modelled). */
    private final int[] liveInZone;

    int count;
    int[] pool = new int[16];
    byte[] state = new byte[16];
    long[] free = new long[16 * D];
    long[] requestedAt = new long[16];
    long[] removedAt = new long[16];
    int[] podsOn = new int[16];
    long[] allocCpuOf = new long[16];
    long[] allocMemOf = new long[16];
    long[] nonZeroCpu = new long[16];
    long[] nonZeroMem = new long[16];
    /** Per group, at its demand's offsets, the cpu and memory scoring counts of one replica (see the constructor). */
    private final long[] scored;
    long[] lastPodChange = new long[16];
    /** Per node its GPU devices' loads in thousandths, stride {@link #devicesStride}. */
    int[] deviceLoad;
    int[] readyList = new int[16];
    /**
     * Per ready position a stamp that changes whenever what the scheduler scores there changes (the
     * node at the position, its loads): a score computed at the same stamp still holds.
     */
    long[] readyStamp = new long[16];
    private long stamps;
    int[] readyPos = new int[16];
    int readyCount;
    final ReadyIndex readyIndex = new ReadyIndex();
    /** Upper bounds on the scheduler's scores per request and word of ready positions, told of every restamp. */
    final ScoreBounds scoreBounds = new ScoreBounds();
    /** The scheduler's count levels, told of every change of the ready list (set once by the cluster; null when none). */
    CountLevels countLevels;
    /** The ready nodes' free capacity in node order for the autoscalers' what-if placements; made on first use. */
    private WhatIfCapacity whatIf;
    /** The ready nodes whose {@link #utilisation} is below {@link #underThreshold} (NaN while none is asked for). */
    private final java.util.BitSet under = new java.util.BitSet();
    private double underThreshold = Double.NaN;
    /** The threshold for nodes with GPUs, which CA judges by their GPUs alone. */
    private double underGpuThreshold = Double.NaN;
    /**
     * The nodes Cluster Autoscaler has soft-tainted as deletion candidates
     * ({@code DeletionCandidateOfClusterAutoscaler=<time>:PreferNoSchedule}), by node; and the same by ready position, a bit
     * each, for the scheduler's scans ({@link #softReady} of them ready).
     */
    private final java.util.BitSet softTainted = new java.util.BitSet();
    long[] softBits = new long[1];
    int softReady;

    /** Nodes not yet removed, in node order (autoscalers iterate these, not every node ever made). */
    int[] live = new int[16];
    int liveCount;
    /**
     * Per pool its provisioning and ready nodes (a node group's size to the autoscalers), kept as
     * nodes are added and drained: CA asked at every scale-up and deletion, and counting the ~1,000
     * live nodes each time was ~1.4 % of a `ca` replay's samples.
     */
    final int[] groupSize;
    /** Nodes that are billed: provisioning, ready or draining. */
    int billed;
    int provisioning;
    /** Node state changes so far (requested, ready, draining, removed): what reads states may cache on it. */
    long stateChanges;
    /** The provisioning nodes by number: a what-if with upcoming nodes visits these, not every live node. */
    final java.util.BitSet provisioningNodes = new java.util.BitSet();

    // Totals over the ready nodes: what their DaemonSets and pods request, and their allocatable.
    long requestedCpu;
    long requestedMem;
    long allocCpu;
    long allocMem;
    /** GPUs (thousandths) requested on ready nodes and their allocatable: GPU utilisation, the scarce resource of a GPU fleet. */
    long requestedGpu;
    long allocGpu;

    /**
     * @param demand     the demand rows of the pod groups, stride {@link DemandTable#D}
     * @param drainDelay seconds from the start of a drain to the node's removal
     * @param warmStart  nodes requested at time 0 are ready at once
     * @param zones      zones the pools are spread over (1: not modelled)
     * @param spread     the zone rules to tell about ready nodes, or null
     */
    /**
     * @param scored what NodeResourcesFit counts of each group's request, at the offsets of {@code demand}
     *               ({@link io.nodesizer.engine.DemandTable#flatScoring()}): {@link #nonZeroCpu} and {@link #nonZeroMem} sum it
     */
    Nodes(List<Pool> pools, long[] demand, long[] scored, EventQueue queue, ProvisionDelay delay, long drainDelay, SplittableRandom random,
          boolean warmStart, int zones, TopologyRules spread) {
        this.pools = pools;
        this.scored = scored;
        this.gpuPool = new boolean[pools.size()];
        for (int i = 0; i < pools.size(); i++) {
            gpuPool[i] = pools.get(i).allocatable(Resource.GPU) > 0;
        }
        this.groupSize = new int[pools.size()];
        this.zones = zones;
        this.spread = spread;
        this.zone = zones > 1 ? new byte[16] : null;
        this.liveInZone = zones > 1 ? new int[pools.size() * zones] : null;
        this.queue = queue;
        this.delay = delay;
        this.drainDelay = drainDelay;
        this.random = random;
        this.warmUntil = warmStart ? 0 : -1;
        boolean gpuPods = false;
        for (int o = 0; o < demand.length; o += D) {
            gpuPods |= demand[o + GPU] > 0;
        }
        int stride = 0;
        for (Pool p : pools) {
            stride = Math.max(stride, gpuPods ? p.gpuDevices() : 0);
        }
        this.devicesStride = stride;
        this.deviceLoad = new int[16 * stride];
    }

    // ---------------------------------------------------------------- lifecycle

    /** Whether nodes requested at {@code now} are part of the cluster the run starts with (ready at once). */
    boolean warm(long now) {
        return now <= warmUntil;
    }

    /**
     * A new node of {@code pool} in {@code zone} (-1: the zone of the pool with the fewest of its
     * live nodes, as a managed node group balances them), billed from {@code now}, ready after the
     * provisioning delay.
     */
    int request(int pool, int zone, long now) {
        int node = add(pool, zone, now);
        queue.add(new Event.NodeRequested(now, node));
        return node;
    }

    /** A new node of {@code pool} that is ready at once. */
    int addReady(int pool, long now) {
        int node = add(pool, -1, now);
        ready(node, now);
        return node;
    }

    /** The request for {@code node} reached the provider: it is ready after the provisioning delay. */
    void onRequested(int node, long now) {
        long d = delay.draw(random);
        queue.add(new Event.NodeReady(now + (warm(now) ? 0 : d), node));
    }

    private int add(int poolIndex, int inZone, long now) {
        int node = count++;
        if (node == pool.length) {
            int c = node * 2;
            pool = Arrays.copyOf(pool, c);
            state = Arrays.copyOf(state, c);
            free = Arrays.copyOf(free, c * D);
            requestedAt = Arrays.copyOf(requestedAt, c);
            removedAt = Arrays.copyOf(removedAt, c);
            podsOn = Arrays.copyOf(podsOn, c);
            allocCpuOf = Arrays.copyOf(allocCpuOf, c);
            allocMemOf = Arrays.copyOf(allocMemOf, c);
            nonZeroCpu = Arrays.copyOf(nonZeroCpu, c);
            nonZeroMem = Arrays.copyOf(nonZeroMem, c);
            lastPodChange = Arrays.copyOf(lastPodChange, c);
            readyPos = Arrays.copyOf(readyPos, c);
            deviceLoad = Arrays.copyOf(deviceLoad, c * devicesStride);
            if (zone != null) {
                zone = Arrays.copyOf(zone, c);
            }
        }
        if (zone != null) {
            zone[node] = (byte) (inZone >= 0 ? inZone : balancedZone(poolIndex));
            liveInZone[poolIndex * zones + zone[node]]++;
        }
        Pool p = pools.get(poolIndex);
        pool[node] = poolIndex;
        state[node] = Cluster.PROVISIONING;
        groupSize[poolIndex]++;
        stateChanges++;
        System.arraycopy(p.podCapacity(), 0, free, node * D, D);
        Arrays.fill(deviceLoad, node * devicesStride, (node + 1) * devicesStride, 0);
        requestedAt[node] = now;
        removedAt[node] = -1;
        podsOn[node] = 0;
        allocCpuOf[node] = p.allocatable(Resource.CPU);
        allocMemOf[node] = p.allocatable(Resource.MEMORY);
        nonZeroCpu[node] = p.daemonSetScoring().cpuMillis(); // a node's NonZeroRequested counts its DaemonSet pods' too
        nonZeroMem[node] = p.daemonSetScoring().memoryBytes();
        lastPodChange[node] = now;
        readyPos[node] = -1;
        if (liveCount == live.length) {
            live = Arrays.copyOf(live, liveCount * 2);
        }
        live[liveCount++] = node;
        billed++;
        provisioning++;
        provisioningNodes.set(node);
        return node;
    }

    /** The zone of {@code pool} with the fewest live nodes of it, the first of those on a tie. */
    private int balancedZone(int pool) {
        return Cluster.fewestIn(liveInZone, pool * zones, zones, -1L);
    }


    /** The pools the nodes are of, by index. */
    List<Pool> pools() {
        return pools;
    }

    /** Where {@code node} is for the hostname floors: its pool's nodes in its zone ({@code pool * zones + zone}). */
    int place(int node) {
        return pool[node] * zones + zoneOf(node);
    }

    /** The zone index of {@code node}: 0 when zones are not modelled (the whole cluster is one zone). */
    int zoneOf(int node) {
        return zone == null ? 0 : zone[node];
    }

    /** The live nodes of {@code pool} in {@code zone}; 0 when zones are not modelled. */
    int liveIn(int pool, int zone) {
        return liveInZone == null ? 0 : liveInZone[pool * zones + zone];
    }

    /** The provisioning {@code node} is ready: it joins the ready list and the totals. */
    void ready(int node, long now) {
        provisioning--;
        provisioningNodes.clear(node);
        join(node, now);
    }

    /** {@code node} becomes ready: it joins the ready list and the totals. */
    private void join(int node, long now) {
        state[node] = Cluster.READY;
        stateChanges++;
        lastPodChange[node] = now;
        if (readyCount == readyList.length) {
            readyList = Arrays.copyOf(readyList, readyCount * 2);
        }
        readyPos[node] = readyCount;
        readyIndex.set(readyCount, free, node * D);
        restamp(readyCount);
        if (softTainted.get(node)) {
            setSoftBit(readyCount, true);
        }
        if (countLevels != null) {
            countLevels.readied(readyCount, node);
        }
        readyList[readyCount++] = node;
        Pool p = pools.get(pool[node]);
        allocCpu += allocCpuOf[node];
        allocMem += allocMemOf[node];
        allocGpu += p.allocatable(Resource.GPU);
        requestedCpu += p.daemonSetLoad().cpuMillis() + podsRequested(node, CPU);
        requestedMem += p.daemonSetLoad().memoryBytes() + podsRequested(node, MEM);
        requestedGpu += p.daemonSetLoad().gpuMillis() + podsRequested(node, GPU);
        if (spread != null) {
            spread.nodeReady(pool[node], zoneOf(node), 1);
        }
        if (floors != null) {
            floors.nodeReady(node, place(node), 1);
        }
        changed(node);
    }

    /**
     * {@code node} (provisioning or ready) starts draining: a provisioning node is cancelled and
     * removed at once, a ready one leaves the ready list and the totals; its pods are still on it,
     * and its removal waits for them ({@link #removeAfterDrain}).
     */
    void drain(int node, long now) {
        groupSize[pool[node]]--;
        if (state[node] == Cluster.PROVISIONING) {
            provisioning--;
            provisioningNodes.clear(node);
            state[node] = Cluster.DRAINING;
            stateChanges++;
            queue.add(new Event.NodeRemoved(now, node));
            return;
        }
        unready(node);
        state[node] = Cluster.DRAINING;
        stateChanges++;
        changed(node);
    }

    /** What the pods on {@code node} request of resource {@code r}: its capacity for pods less what is free. */
    private long podsRequested(int node, int r) {
        return pools.get(pool[node]).podCapacity()[r] - free[node * D + r];
    }

    /** The draining {@code node}'s last pod is gone: it is removed after the drain delay. */
    void removeAfterDrain(int node, long now) {
        removeAfterDrain(node, now, Long.MAX_VALUE);
    }

    /** As {@link #removeAfterDrain(int, long)}, but at {@code latest} if that comes first (a drain's hard deadline). */
    void removeAfterDrain(int node, long now, long latest) {
        queue.add(new Event.NodeRemoved(Math.min(now + drainDelay, latest), node));
    }

    /** Seconds from a drain's last pod gone to the node's removal (the pods' terminationGracePeriodSeconds). */
    long drainDelay() {
        return drainDelay;
    }

    /**
     * The draining {@code node}'s drain was given up (Cluster Autoscaler: a pod's eviction refused until
     * {@code --max-pod-eviction-time}): it is uncordoned, rejoining its group, the ready list and the totals with the
     * pods it kept.
     */
    void undrain(int node, long now) {
        groupSize[pool[node]]++;
        join(node, now);
    }

    private void unready(int node) {
        int pos = readyPos[node];
        if (softTainted.get(node)) {
            setSoftBit(pos, false);
        }
        int last = readyList[--readyCount];
        if (softBit(readyCount)) { // the last node takes the position: its bit moves with it
            setSoftBit(readyCount, false);
            setSoftBit(pos, true);
        }
        readyList[pos] = last;
        readyPos[last] = pos;
        readyPos[node] = -1;
        readyIndex.set(pos, free, last * D);
        readyIndex.clear(readyCount);
        restamp(pos);
        if (countLevels != null) {
            countLevels.vacated(pos, readyCount);
        }
        Pool p = pools.get(pool[node]);
        allocCpu -= allocCpuOf[node];
        allocMem -= allocMemOf[node];
        allocGpu -= p.allocatable(Resource.GPU);
        // The totals are of ready nodes: the pods a drain has not evicted yet leave them with the node
        requestedCpu -= p.daemonSetLoad().cpuMillis() + podsRequested(node, CPU);
        requestedMem -= p.daemonSetLoad().memoryBytes() + podsRequested(node, MEM);
        requestedGpu -= p.daemonSetLoad().gpuMillis() + podsRequested(node, GPU);
        if (spread != null) {
            spread.nodeReady(pool[node], zoneOf(node), -1);
        }
        if (floors != null) {
            floors.nodeReady(node, place(node), -1);
        }
    }

    /** The draining {@code node} is gone: no longer billed, no longer live. */
    void remove(int node, long now) {
        state[node] = Cluster.REMOVED;
        stateChanges++;
        if (zone != null) {
            liveInZone[pool[node] * zones + zone[node]]--;
        }
        removedAt[node] = now;
        int i = Arrays.binarySearch(live, 0, liveCount, node);
        System.arraycopy(live, i + 1, live, i, liveCount - i - 1);
        liveCount--;
        billed--;
    }

    // ---------------------------------------------------------------- pods' loads

    /** A pod with the demand row at {@code offset} starts running on {@code node}. */
    void take(int node, long[] demand, int offset, long now) {
        int b = node * D;
        for (int r = 0; r < D; r++) {
            free[b + r] -= demand[offset + r];
        }
        nonZeroCpu[node] += scored[offset + CPU];
        nonZeroMem[node] += scored[offset + MEM];
        requestedCpu += demand[offset + CPU];
        requestedMem += demand[offset + MEM];
        requestedGpu += demand[offset + GPU];
        podsOn[node]++;
        lastPodChange[node] = now;
        if (readyPos[node] >= 0) {
            readyIndex.set(readyPos[node], free, b);
            restamp(readyPos[node]);
        }
        changed(node);
    }

    /** A pod with the demand row at {@code offset} no longer runs on {@code node}. */
    void release(int node, long[] demand, int offset, long now) {
        int b = node * D;
        for (int r = 0; r < D; r++) {
            free[b + r] += demand[offset + r];
        }
        nonZeroCpu[node] -= scored[offset + CPU];
        nonZeroMem[node] -= scored[offset + MEM];
        if (state[node] == Cluster.READY) { // a cordoned node's pods left the totals with it
            requestedCpu -= demand[offset + CPU];
            requestedMem -= demand[offset + MEM];
            requestedGpu -= demand[offset + GPU];
        }
        podsOn[node]--;
        lastPodChange[node] = now;
        if (state[node] == Cluster.READY) {
            readyIndex.set(readyPos[node], free, b);
            restamp(readyPos[node]);
        }
        changed(node);
    }

    /**
     * Puts Cluster Autoscaler's soft taint on {@code node} or takes it off ({@code on}): kube-scheduler's TaintToleration
     * scores it below every node without it for the pods that do not tolerate it ({@link Scheduler}).
     */
    void softTaint(int node, boolean on) {
        if (softTainted.get(node) == on) {
            return;
        }
        softTainted.set(node, on);
        if (readyPos[node] >= 0) {
            setSoftBit(readyPos[node], on);
        }
    }

    int nextSoftTainted(int from) {
        return softTainted.nextSetBit(from);
    }

    /** Whether {@code node} has Cluster Autoscaler's soft taint. */
    boolean softTainted(int node) {
        return softTainted.get(node);
    }

    private boolean softBit(int pos) {
        return (pos >> 6) < softBits.length && (softBits[pos >> 6] & 1L << pos) != 0;
    }

    private void setSoftBit(int pos, boolean on) {
        int w = pos >> 6;
        if (w >= softBits.length) {
            softBits = Arrays.copyOf(softBits, Math.max(w + 1, softBits.length * 2));
        }
        if (on) {
            softBits[w] |= 1L << pos;
            softReady++;
        } else {
            softBits[w] &= ~(1L << pos);
            softReady--;
        }
    }

    private void restamp(int pos) {
        if (pos == readyStamp.length) {
            readyStamp = Arrays.copyOf(readyStamp, pos * 2);
        }
        readyStamp[pos] = ++stamps;
        scoreBounds.changed(pos);
    }

    /** The capacity for what-if placements, kept up to date from its first use on. */
    WhatIfCapacity whatIf() {
        if (whatIf == null) {
            whatIf = new WhatIfCapacity(this);
        }
        return whatIf;
    }

    /** {@code node}'s free capacity or state changed. */
    private void changed(int node) {
        if (whatIf != null) {
            whatIf.sync(node);
        }
        if (!Double.isNaN(underThreshold)) {
            updateUnder(node);
        }
    }

    private void updateUnder(int node) {
        boolean is = state[node] == Cluster.READY && utilisation(node) < (hasGpus(node) ? underGpuThreshold : underThreshold);
        // Written only when it changes: BitSet.clear scans for the highest word in use at every call, set or not
        // (~1 % of a replay's samples, at every pod start and stop on a node above the threshold).
        if (under.get(node) != is) {
            under.set(node, is);
        }
    }

    /**
     * The first ready node numbered {@code from} or more whose utilisation is below
     * {@code threshold}, or -1. Kept as the nodes change from the first call for a threshold on
     * (another threshold starts over): CA asks every scan interval, and most nodes are above it.
     */
    int nextUnderUtilised(int from, double threshold, double gpuThreshold) {
        if (Double.compare(threshold, underThreshold) != 0 || Double.compare(gpuThreshold, underGpuThreshold) != 0) {
            underThreshold = threshold;
            underGpuThreshold = gpuThreshold;
            under.clear();
            for (int li = 0; li < liveCount; li++) {
                updateUnder(live[li]);
            }
        }
        return under.nextSetBit(from);
    }

    /** GPU devices of {@code node} for pods (0 when devices are not tracked). */
    int gpuDevices(int node) {
        return devicesStride == 0 ? 0 : pools.get(pool[node]).gpuDevices();
    }

    /** Whether {@code node}'s GPU devices hold a request of {@code g} thousandths (always when none or untracked). */
    boolean devicesFit(int node, long g) {
        return g == 0 || devicesStride == 0 || GpuDevices.fits(deviceLoad, node * devicesStride, pools.get(pool[node]).gpuDevices(), g);
    }

    /** Takes devices of {@code node} for a request of {@code g} thousandths; returns their mask. */
    long takeDevices(int node, long g) {
        return GpuDevices.take(deviceLoad, node * devicesStride, pools.get(pool[node]).gpuDevices(), g);
    }

    void releaseDevices(int node, long mask, long g) {
        GpuDevices.release(deviceLoad, node * devicesStride, mask, g);
    }

    /**
     * Fraction of the node's allocatable its pods and DaemonSets request: the larger of CPU and memory; on a node with
     * GPUs, its GPUs' alone, as CA computes it (simulator/utilization {@code Calculate}: "Skips cpu and memory utilization
     * calculation for node with GPU"), against {@code --scale-down-gpu-utilization-threshold}.
     */
    double utilisation(int node) {
        return utilisation(node, 0, 0, 0);
    }

    /** {@link #utilisation} without {@code lessCpu}, {@code lessMem} and {@code lessGpu} of its requests (pods the autoscaler does not count). */
    double utilisation(int node, long lessCpu, long lessMem, long lessGpu) {
        // allocatable - free = DaemonSet pods + pods: CA counts DaemonSets unless --ignore-daemonsets-utilization.
        long gpu = hasGpus(node) ? pools.get(pool[node]).allocatable(Resource.GPU) : 0;
        long cpu = allocCpuOf[node];
        long mem = allocMemOf[node];
        return io.nodesizer.replay.autoscale.ClusterAutoscaler.utilisation(cpu - free[node * D + CPU] - lessCpu, cpu,
                mem - free[node * D + MEM] - lessMem, mem, gpu - free[node * D + GPU] - lessGpu, gpu);
    }

    /** Whether the node's pool has GPUs (CA: a node whose allocatable lists its GPU resource). */
    boolean hasGpus(int node) {
        return gpuPool[pool[node]];
    }

    // ---------------------------------------------------------------- verification

    /**
     * Checks every node's free capacity and device loads against what its pods use, as re-derived
     * from the pods ({@code used}, stride D; {@code devices}, stride {@link #devicesStride}), and
     * the ready index against the free capacity of the ready nodes.
     */
    void verify(long[] used, int[] devices) {
        int[] size = new int[groupSize.length];
        for (int node = 0; node < count; node++) {
            if (state[node] == Cluster.PROVISIONING || state[node] == Cluster.READY) {
                size[pool[node]]++;
            }
        }
        if (!Arrays.equals(size, groupSize)) {
            throw new IllegalStateException("provisioning and ready nodes per pool " + Arrays.toString(size) + ", counted as they changed "
                    + Arrays.toString(groupSize));
        }
        for (int i = 0; i < devices.length; i++) {
            if (devices[i] > GpuDevices.UNIT || devices[i] != deviceLoad[i]) {
                throw new IllegalStateException("GPU device " + (i % devicesStride) + " of node " + (i / devicesStride) + " holds "
                        + devices[i] + " thousandths (ledger says " + deviceLoad[i] + ")");
            }
        }
        for (int node = 0; node < count; node++) {
            long[] cap = pools.get(pool[node]).podCapacity();
            if (provisioningNodes.get(node) != (state[node] == Cluster.PROVISIONING)) {
                throw new IllegalStateException("node " + node + " is " + (provisioningNodes.get(node) ? "" : "not ") + "in the provisioning set");
            }
            for (int r = 0; r < D; r++) {
                long u = used[node * D + r];
                if (u > cap[r] || free[node * D + r] != cap[r] - u) {
                    throw new IllegalStateException("node " + node + " holds " + u + " of " + Resource.at(r) + " against "
                            + cap[r] + " allocatable for pods (ledger says " + free[node * D + r] + " free)");
                }
            }
        }
        long cpu = 0;
        long mem = 0;
        long gpu = 0;
        long gpuAlloc = 0;
        for (int pos = 0; pos < readyCount; pos++) {
            int node = readyList[pos];
            cpu += pools.get(pool[node]).daemonSetLoad().cpuMillis() + podsRequested(node, CPU);
            mem += pools.get(pool[node]).daemonSetLoad().memoryBytes() + podsRequested(node, MEM);
            gpu += pools.get(pool[node]).daemonSetLoad().gpuMillis() + podsRequested(node, GPU);
            gpuAlloc += pools.get(pool[node]).allocatable(Resource.GPU);
        }
        if (cpu != requestedCpu || mem != requestedMem || gpu != requestedGpu || gpuAlloc != allocGpu) {
            throw new IllegalStateException("requested totals " + requestedCpu + " m, " + requestedMem + " B, " + requestedGpu + " GPU m of "
                    + allocGpu + " but the ready nodes hold " + cpu + " m, " + mem + " B, " + gpu + " GPU m of " + gpuAlloc);
        }
        for (int pos = 0; pos < readyCount; pos++) {
            for (int r = 0; r < D; r++) {
                if (readyIndex.leaf(pos, r) != free[readyList[pos] * D + r]) {
                    throw new IllegalStateException("ready index out of date at position " + pos);
                }
            }
        }
    }
}
