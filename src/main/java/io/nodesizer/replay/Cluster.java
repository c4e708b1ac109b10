package io.nodesizer.replay;

import io.nodesizer.engine.ConflictCounts;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.engine.strategy.HighestScore;
import io.nodesizer.engine.strategy.KubeScheduler;
import io.nodesizer.model.Resource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The state of a replayed cluster: nodes (provisioning, ready, draining, removed), where every pod
 * runs, the scheduler's pending queue, and the integrals the metrics need. The scheduler places
 * one pod at a time as kube-scheduler does (NodeResourcesFit filter, most- or least-allocated
 * integer score, seeded tie-breaking, {@code percentageOfNodesToScore} sampling round-robin).
 * Autoscalers read it and act through {@link #requestNode} and {@link #drain}.
 *
 * <p>Primitive arrays throughout: a replay handles millions of pod events.
 */
public final class Cluster {
    public static final byte PROVISIONING = 0;
    public static final byte READY = 1;
    public static final byte DRAINING = 2;
    public static final byte REMOVED = 3;

    static final byte POD_NOT_ARRIVED = 0;
    static final byte POD_RUNNING = 1;
    static final byte POD_PENDING = 2;
    static final byte POD_GONE = 3;
    static final byte POD_UNSCHEDULABLE = 4;

    private static final int D = DemandTable.D;
    private static final int CPU = Resource.CPU.ordinal();
    private static final int MEM = Resource.MEMORY.ordinal();
    private static final int GPU = Resource.GPU.ordinal();

    private final PodStream stream;
    private final List<Pool> pools;
    private final long[] demand;
    private final boolean[] schedulableGroup;
    private final EventQueue queue;
    private final ProvisionDelay delay;
    private final long drainDelay;
    private final SplittableRandom random;
    private final KubeScheduler.Scoring scoring;

    // Nodes.
    private int nodeCount;
    private int[] nodePool = new int[16];
    private byte[] nodeState = new byte[16];
    private long[] free = new long[16 * D];
    private long[] requestedAt = new long[16];
    private long[] removedAt = new long[16];
    private int[] podsOn = new int[16];
    private long[] allocCpuOf = new long[16];
    private long[] allocMemOf = new long[16];
    private long[] nonZeroCpu = new long[16];
    private long[] nonZeroMem = new long[16];
    private long[] lastPodChange = new long[16];
    private int[] firstPod = new int[16];
    private int[] readyList = new int[16];
    private int[] readyPos = new int[16];
    private int readyCount;
    /** Nodes not yet removed, in node order (autoscalers iterate these, not every node ever made). */
    private int[] live = new int[16];
    private int liveCount;
    private final ReadyIndex readyIndex = new ReadyIndex();
    private int billed;
    private int provisioning;
    private int roundRobin;
    private final HighestScore selection = new HighestScore();

    // Pods.
    private final int[] nodeOf;
    // GPU models: whether group g may use pool p's GPUs, at [g * pools + p].
    private final boolean[] allowed;
    // GPU devices: per node its device loads (stride devicesStride), per pod its devices' mask.
    private final int devicesStride;
    private int[] deviceLoad;
    private final long[] podDevices;
    private final byte[] podState;
    private final long[] pendingSince;
    private final long[] pendingTotal;
    private final int[] nextOnNode;
    private final int[] prevOnNode;
    private int[] pendingQueue = new int[64];
    private long[] pendingQueueOrder = new long[64];
    private int pendingQueueSize;
    private int pendingCount;
    private boolean retryWanted;
    private long lastPendingAdded = -1;
    // Pending pods bucketed by group (identical requests), FIFO through nextInGroup, so that a
    // retry touches only the groups that can fit the freed capacity: a pod that fits nowhere
    // means every later pod of its group fits nowhere either.
    private final int[] groupHead;
    private final int[] groupTail;
    private final int[] nextInGroup;
    private final long[] pendingOrder;
    private long pendingCounter;
    private int[] pendingGroups = new int[16];
    private int pendingGroupCount;
    private final boolean[] groupListed;
    /** Groups with pending pods that were never checked against every ready node (evicted pods). */
    private final boolean[] groupUnchecked;
    // Capacity freed since the last retry: the largest free amount per resource on nodes that
    // gained capacity (a pod left, a node became ready).
    private final long[] freed = new long[D];

    // Change tracking and integrals.
    private long version;
    private long now;
    private long requestedCpu;
    private long requestedMem;
    private long allocCpu;
    private long allocMem;
    private double pendingWhileProvisioning;
    private double pendingWithoutProvisioning;
    private double requestedCpuSeconds;
    private double allocCpuSeconds;
    private double requestedMemSeconds;
    private double allocMemSeconds;
    private int peakBilled;
    private int scaleUps;
    private int initialNodes;
    /** Nodes requested up to this time are ready at once: the cluster the run starts with (-1 for a cold start). */
    private final long warmUntil;
    private int scaleDowns;
    private long evictions;
    private long arrived;
    private long left;

    Cluster(PodStream stream, List<Pool> pools, boolean[] schedulableGroup, EventQueue queue, ProvisionDelay delay,
            long drainDelay, SplittableRandom random, KubeScheduler.Scoring scoring, boolean warmStart) {
        this.warmUntil = warmStart ? 0 : -1;
        this.stream = stream;
        this.pools = List.copyOf(pools);
        this.schedulableGroup = schedulableGroup;
        this.queue = queue;
        this.delay = delay;
        this.drainDelay = drainDelay;
        this.random = random;
        this.scoring = scoring;
        DemandTable table = stream.table();
        this.demand = new long[table.groupCount() * D];
        for (int g = 0; g < table.groupCount(); g++) {
            for (int r = 0; r < D; r++) {
                demand[g * D + r] = table.demand(g, r);
            }
        }
        int n = stream.size();
        this.nodeOf = new int[n];
        Arrays.fill(nodeOf, -1);
        int stride = 0;
        boolean gpuPods = false;
        for (int g = 0; g < table.groupCount(); g++) {
            gpuPods |= demand[g * D + GPU] > 0;
        }
        for (Pool p : pools) {
            stride = Math.max(stride, gpuPods ? p.gpuDevices() : 0);
        }
        this.devicesStride = stride;
        this.allowed = new boolean[table.groupCount() * pools.size()];
        for (int g = 0; g < table.groupCount(); g++) {
            for (Pool p : pools) {
                allowed[g * pools.size() + p.index()] = p.allows(table.group(g));
            }
        }
        this.conflicts = table.conflicts();
        this.caps = table.caps();
        this.present = new ConflictCounts(conflicts, caps);
        this.deviceLoad = new int[16 * stride];
        this.podDevices = new long[stride > 0 ? n : 0];
        this.podState = new byte[n];
        this.pendingSince = new long[n];
        this.pendingTotal = new long[n];
        this.nextOnNode = new int[n];
        this.prevOnNode = new int[n];
        int groups = table.groupCount();
        this.groupHead = new int[groups];
        this.groupTail = new int[groups];
        Arrays.fill(groupHead, -1);
        Arrays.fill(groupTail, -1);
        this.groupListed = new boolean[groups];
        this.groupUnchecked = new boolean[groups];
        this.nextInGroup = new int[n];
        this.pendingOrder = new long[n];
    }

    // ---------------------------------------------------------------- reading

    public List<Pool> pools() {
        return pools;
    }

    public PodStream stream() {
        return stream;
    }

    public long now() {
        return now;
    }

    /** Increases on every change the autoscaler could react to. */
    public long version() {
        return version;
    }

    public int nodeCount() {
        return nodeCount;
    }

    /** How many nodes are not removed yet (provisioning, ready or draining). */
    public int liveCount() {
        return liveCount;
    }

    /** The {@code i}-th node not removed yet, in increasing node order. */
    public int liveNode(int i) {
        return live[i];
    }

    public byte state(int node) {
        return nodeState[node];
    }

    public int pool(int node) {
        return nodePool[node];
    }

    public int podsOn(int node) {
        return podsOn[node];
    }

    /** Free pod capacity of {@code node} on resource index {@code r}. */
    public long free(int node, int r) {
        return free[node * D + r];
    }

    public long requestedAt(int node) {
        return requestedAt[node];
    }

    public long lastPodChange(int node) {
        return lastPodChange[node];
    }

    /** Whether nodes requested now are part of the cluster the run starts with (ready at once). */
    public boolean warm() {
        return now <= warmUntil;
    }

    /** Nodes that are billed: provisioning, ready or draining. */
    public int billedNodes() {
        return billed;
    }

    public int provisioningNodes() {
        return provisioning;
    }

    public int readyNodes() {
        return readyCount;
    }

    public int pendingCount() {
        return pendingCount;
    }

    /** When a pod last became pending, or -1. */
    public long lastPendingAdded() {
        return lastPendingAdded;
    }

    /** The pods on {@code node}, into {@code out} (grown as needed); returns the count. */
    public int podsOnNode(int node, int[][] out) {
        int n = 0;
        for (int p = firstPod[node]; p >= 0; p = nextOnNode[p]) {
            if (n == out[0].length) {
                out[0] = Arrays.copyOf(out[0], n * 2 + 8);
            }
            out[0][n++] = p;
        }
        return n;
    }

    /** The pending pods in queue order, into {@code out} (grown as needed); returns the count. */
    public int pendingPods(int[][] out) {
        compactPending();
        if (out[0].length < pendingQueueSize) {
            out[0] = new int[pendingQueueSize];
        }
        System.arraycopy(pendingQueue, 0, out[0], 0, pendingQueueSize);
        return pendingQueueSize;
    }

    /** The demand rows, stride {@link DemandTable#D}; a pod's row starts at {@link #offset(int)}. */
    public long[] demand() {
        return demand;
    }

    public int offset(int pod) {
        return stream.group(pod) * D;
    }

    /** GPU device slots per node in device-load copies (0 when no pod requests GPUs). */
    public int deviceStride() {
        return devicesStride;
    }

    /** GPU devices of {@code node} for pods (0 when devices are not tracked). */
    public int gpuDevices(int node) {
        return devicesStride == 0 ? 0 : pools.get(nodePool[node]).gpuDevices();
    }

    /** Copies {@code node}'s device loads (thousandths, {@link #deviceStride} entries) into {@code into} at {@code at}. */
    public void copyDeviceLoads(int node, int[] into, int at) {
        System.arraycopy(deviceLoad, node * devicesStride, into, at, devicesStride);
    }

    /** Whether {@code node}'s free capacity holds the pod's request, on its GPU devices too. */
    public boolean fits(int node, int pod) {
        int o = offset(pod);
        int b = node * D;
        for (int r = 0; r < D; r++) {
            if (demand[o + r] > free[b + r]) {
                return false;
            }
        }
        return admitsBeyondAmounts(node, o);
    }

    /**
     * What the pooled amounts do not say: the pod's GPU model, node selector, affinity and
     * tolerations against the node's pool, its GPU devices, and the pods on the node that repel it
     * (required pod anti-affinity on the hostname).
     */
    private boolean admitsBeyondAmounts(int node, int offset) {
        int group = offset / D;
        if (!allowed[group * pools.size() + nodePool[node]]) {
            return false;
        }
        if (!present.admits(node, group)) {
            return false;
        }
        long g = demand[offset + GPU];
        return g == 0 || devicesStride == 0 || GpuDevices.fits(deviceLoad, node * devicesStride, pools.get(nodePool[node]).gpuDevices(), g);
    }

    /** Per group, the groups it may not share a node with; null when none ({@link DemandTable#conflicts()}). */
    private final int[][] conflicts;
    /** Per group in its own conflict list, its pods one node may hold ({@link DemandTable#caps()}). */
    private final int[] caps;

    /** Per group, the groups whose pods it may not share a node with (null: none at all). Not to be mutated. */
    public int[][] conflicts() {
        return conflicts;
    }

    /** Per group in its own conflict list, how many of its pods one node may hold (null: no conflicts). Not to be mutated. */
    public int[] caps() {
        return caps;
    }

    /** Running pods of {@code group} on {@code node}, counted only for groups in a conflict. */
    public int presentOn(int node, int group) {
        return present.count(node, group);
    }
    /** Running pods per (node, group) for groups in a conflict. */
    private final ConflictCounts present;

    /** Whether the pod may use the GPUs of pool {@code pool} (its GPU model; always for pods without GPUs). */
    public boolean allowedOn(int pod, int pool) {
        return allowed[stream.group(pod) * pools.size() + pool];
    }

    /** Fraction of the node's allocatable its pods and DaemonSets request: the larger of CPU and memory. */
    public double utilisation(int node) {
        // allocatable - free = DaemonSet pods + pods: CA counts DaemonSets unless --ignore-daemonsets-utilization.
        long cpu = allocCpuOf[node];
        long mem = allocMemOf[node];
        return Math.max(ratio(cpu - free[node * D + CPU], cpu), ratio(mem - free[node * D + MEM], mem));
    }

    private static double ratio(long used, long of) {
        return of <= 0 ? 0 : (double) used / of;
    }

    // ---------------------------------------------------------------- autoscaler actions

    /** Asks for a node of {@code pool}; it is billed from now and ready after the provisioning delay. */
    public int requestNode(int pool) {
        int node = newNode(pool, PROVISIONING);
        provisioning++;
        if (now > warmUntil) {
            scaleUps++;
        } else {
            initialNodes++;
        }
        queue.add(new Event.NodeRequested(now, node));
        return node;
    }

    /** A node that exists and is ready when the run starts (a fixed cluster); not a scale-up. */
    public int addInitialNode(int pool) {
        initialNodes++;
        int node = newNode(pool, PROVISIONING);
        provisioning++;
        ready(node);
        return node;
    }

    /**
     * Cordons and drains {@code node}: its pods are evicted (their controllers recreate them and
     * they go back to the scheduler at once), and the node is removed after the drain delay. A
     * node still provisioning is cancelled at once.
     */
    public void drain(int node) {
        byte s = nodeState[node];
        if (s == DRAINING || s == REMOVED) {
            return;
        }
        scaleDowns++;
        version++;
        if (s == PROVISIONING) {
            provisioning--;
            nodeState[node] = DRAINING;
            queue.add(new Event.NodeRemoved(now, node));
            return;
        }
        unready(node);
        nodeState[node] = DRAINING;
        while (firstPod[node] >= 0) {
            int p = firstPod[node];
            unplace(p);
            evictions++;
            makePending(p);
            groupUnchecked[stream.group(p)] = true;
        }
        retryWanted = true;
        queue.add(new Event.NodeRemoved(now + drainDelay, node));
    }

    // ---------------------------------------------------------------- events

    void advanceTo(long t) {
        if (t <= now) {
            return;
        }
        double dt = t - now;
        if (provisioning > 0) {
            pendingWhileProvisioning += pendingCount * dt;
        } else {
            pendingWithoutProvisioning += pendingCount * dt;
        }
        requestedCpuSeconds += requestedCpu * dt;
        allocCpuSeconds += allocCpu * dt;
        requestedMemSeconds += requestedMem * dt;
        allocMemSeconds += allocMem * dt;
        now = t;
    }

    void onNodeRequested(int node) {
        long d = delay.draw(random);
        queue.add(new Event.NodeReady(now + (now <= warmUntil ? 0 : d), node));
    }

    void onNodeReady(int node) {
        if (nodeState[node] == PROVISIONING) {
            ready(node);
        }
    }

    void onNodeRemoved(int node) {
        if (nodeState[node] == DRAINING) {
            nodeState[node] = REMOVED;
            removedAt[node] = now;
            int i = Arrays.binarySearch(live, 0, liveCount, node);
            System.arraycopy(live, i + 1, live, i, liveCount - i - 1);
            liveCount--;
            billed--;
            version++;
        }
    }

    void onPodArrives(int pod) {
        if (podState[pod] == POD_GONE) {
            return; // left at the instant it arrived
        }
        arrived++;
        if (!schedulableGroup[stream.group(pod)]) {
            podState[pod] = POD_UNSCHEDULABLE;
            return;
        }
        if (retryWanted) {
            retryPending();
        }
        int node = chooseNode(pod);
        if (node >= 0) {
            place(pod, node);
        } else {
            makePending(pod);
        }
    }

    void onPodLeaves(int pod) {
        switch (podState[pod]) {
            case POD_RUNNING -> {
                unplace(pod);
                retryWanted = true;
            }
            case POD_PENDING -> {
                pendingTotal[pod] += now - pendingSince[pod];
                pendingCount--;
                version++;
            }
            case POD_NOT_ARRIVED -> arrived++; // arrives and leaves at one instant: counted, never scheduled
            default -> {
                // unschedulable pods just leave
            }
        }
        left++;
        podState[pod] = POD_GONE;
    }

    /** After all events of an instant: pending pods get another chance if capacity appeared. */
    void endOfInstant() {
        if (retryWanted) {
            retryPending();
        }
        peakBilled = Math.max(peakBilled, billed);
    }

    // ---------------------------------------------------------------- scheduler

    private int chooseNode(int pod) {
        int n = readyCount;
        if (n == 0) {
            return -1;
        }
        int o = offset(pod);
        long podCpu = KubeScheduler.nonZeroMilliCpu(demand[o + CPU]);
        long podMem = KubeScheduler.nonZeroMemory(demand[o + MEM]);
        int toFind = KubeScheduler.feasibleNodesToFind(n);
        int start = roundRobin < n ? roundRobin : 0;
        int found = 0;
        int lastFound = -1;
        selection.reset();
        // Round-robin from start: positions start..n-1, then 0..start-1. The index skips nodes
        // that cannot fit, so the feasible nodes come in the same order a linear scan visits them.
        int pos = start;
        boolean wrapped = false;
        while (found < toFind) {
            int p = readyIndex.first(pos, wrapped ? start : n, demand, o);
            if (p < 0) {
                if (wrapped || start == 0) {
                    break;
                }
                wrapped = true;
                pos = 0;
                continue;
            }
            int node = readyList[p];
            if (!admitsBeyondAmounts(node, o)) {
                pos = p + 1; // its pool, a repelling pod or the GPU devices say no, though the pooled amounts fit
                continue;
            }
            found++;
            lastFound = p;
            pos = p + 1;
            // Really requested with the pod (BalancedAllocation): allocatable less what is free for pods, plus the pod.
            long realCpu = allocCpuOf[node] - free[node * D + CPU] + demand[o + CPU];
            long realMem = allocMemOf[node] - free[node * D + MEM] + demand[o + MEM];
            selection.offer(node, scoring.score(nonZeroCpu[node] + podCpu, realCpu, allocCpuOf[node], nonZeroMem[node] + podMem, realMem,
                    allocMemOf[node]), random);
        }
        // kube-scheduler resumes after the last node it examined: past the last feasible node
        // when it found enough, otherwise it went all the way round.
        roundRobin = found == toFind ? (lastFound + 1 < n ? lastFound + 1 : 0) : start;
        return selection.best();
    }

    private void retryPending() {
        retryWanted = false;
        if (pendingCount == 0 || readyCount == 0) {
            Arrays.fill(freed, 0);
            return;
        }
        // After every retry no pending pod fits any ready node, so only pods that fit into what
        // was freed since can be placed now: groups whose request exceeds the freed maxima on
        // some resource are skipped without looking at their pods.
        int[] candidates = new int[pendingGroupCount];
        int c = 0;
        int kept = 0;
        for (int i = 0; i < pendingGroupCount; i++) {
            int g = pendingGroups[i];
            dropGone(g);
            if (groupHead[g] < 0) {
                groupListed[g] = false;
                continue;
            }
            pendingGroups[kept++] = g;
            boolean possible = true;
            for (int r = 0; r < D && !groupUnchecked[g]; r++) {
                if (demand[g * D + r] > freed[r]) {
                    possible = false;
                    break;
                }
            }
            if (possible) {
                candidates[c++] = g;
            }
        }
        pendingGroupCount = kept;
        Arrays.fill(freed, 0);
        if (c == 0) {
            return;
        }
        // Place in queue order across the candidate groups (a merge by pending order); a group
        // whose head fits nowhere is done.
        java.util.PriorityQueue<long[]> heads = new java.util.PriorityQueue<>(c, (x, y) -> Long.compare(x[0], y[0]));
        for (int i = 0; i < c; i++) {
            heads.add(new long[]{pendingOrder[groupHead[candidates[i]]], candidates[i]});
        }
        while (!heads.isEmpty()) {
            long[] h = heads.poll();
            int g = (int) h[1];
            int pod = groupHead[g];
            int node = chooseNode(pod);
            if (node < 0) {
                groupUnchecked[g] = false;
                continue;
            }
            popHead(g);
            pendingTotal[pod] += now - pendingSince[pod];
            pendingCount--;
            place(pod, node);
            dropGone(g);
            if (groupHead[g] >= 0) {
                heads.add(new long[]{pendingOrder[groupHead[g]], g});
            } else {
                groupUnchecked[g] = false;
            }
        }
    }

    /** Removes pods that are no longer pending (they left) from the head of group {@code g}'s queue. */
    private void dropGone(int g) {
        while (groupHead[g] >= 0 && podState[groupHead[g]] != POD_PENDING) {
            popHead(g);
        }
    }

    private void popHead(int g) {
        int pod = groupHead[g];
        groupHead[g] = nextInGroup[pod];
        if (groupHead[g] < 0) {
            groupTail[g] = -1;
        }
    }

    private void noteFreed(int node) {
        int b = node * D;
        for (int r = 0; r < D; r++) {
            freed[r] = Math.max(freed[r], free[b + r]);
        }
    }

    private void makePending(int pod) {
        podState[pod] = POD_PENDING;
        pendingSince[pod] = now;
        pendingCount++;
        pendingOrder[pod] = pendingCounter++;
        int g = stream.group(pod);
        nextInGroup[pod] = -1;
        if (groupTail[g] >= 0) {
            nextInGroup[groupTail[g]] = pod;
        } else {
            groupHead[g] = pod;
        }
        groupTail[g] = pod;
        if (!groupListed[g]) {
            groupListed[g] = true;
            if (pendingGroupCount == pendingGroups.length) {
                pendingGroups = Arrays.copyOf(pendingGroups, pendingGroupCount * 2);
            }
            pendingGroups[pendingGroupCount++] = g;
        }
        lastPendingAdded = now;
        version++;
        if (pendingQueueSize == pendingQueue.length) {
            compactPending();
            if (pendingQueueSize * 2 > pendingQueue.length) {
                pendingQueue = Arrays.copyOf(pendingQueue, pendingQueue.length * 2);
                pendingQueueOrder = Arrays.copyOf(pendingQueueOrder, pendingQueue.length);
            }
        }
        pendingQueueOrder[pendingQueueSize] = pendingOrder[pod];
        pendingQueue[pendingQueueSize++] = pod;
    }

    private void compactPending() {
        int kept = 0;
        for (int i = 0; i < pendingQueueSize; i++) {
            int pod = pendingQueue[i];
            // Valid while the pod is still in the pending spell this entry was made for.
            if (podState[pod] == POD_PENDING && pendingOrder[pod] == pendingQueueOrder[i]) {
                pendingQueueOrder[kept] = pendingQueueOrder[i];
                pendingQueue[kept++] = pod;
            }
        }
        pendingQueueSize = kept;
    }

    private void place(int pod, int node) {
        int o = offset(pod);
        int b = node * D;
        present.add(node, o / D, 1);
        for (int r = 0; r < D; r++) {
            free[b + r] -= demand[o + r];
        }
        if (devicesStride > 0 && demand[o + GPU] > 0) {
            podDevices[pod] = GpuDevices.take(deviceLoad, node * devicesStride, pools.get(nodePool[node]).gpuDevices(), demand[o + GPU]);
        }
        nonZeroCpu[node] += KubeScheduler.nonZeroMilliCpu(demand[o + CPU]);
        nonZeroMem[node] += KubeScheduler.nonZeroMemory(demand[o + MEM]);
        requestedCpu += demand[o + CPU];
        requestedMem += demand[o + MEM];
        podsOn[node]++;
        lastPodChange[node] = now;
        if (readyPos[node] >= 0) {
            readyIndex.set(readyPos[node], free, b);
        }
        nodeOf[pod] = node;
        podState[pod] = POD_RUNNING;
        prevOnNode[pod] = -1;
        nextOnNode[pod] = firstPod[node];
        if (firstPod[node] >= 0) {
            prevOnNode[firstPod[node]] = pod;
        }
        firstPod[node] = pod;
        version++;
    }

    private void unplace(int pod) {
        int node = nodeOf[pod];
        int o = offset(pod);
        int b = node * D;
        present.add(node, o / D, -1);
        for (int r = 0; r < D; r++) {
            free[b + r] += demand[o + r];
        }
        if (devicesStride > 0 && demand[o + GPU] > 0) {
            GpuDevices.release(deviceLoad, node * devicesStride, podDevices[pod], demand[o + GPU]);
            podDevices[pod] = 0;
        }
        nonZeroCpu[node] -= KubeScheduler.nonZeroMilliCpu(demand[o + CPU]);
        nonZeroMem[node] -= KubeScheduler.nonZeroMemory(demand[o + MEM]);
        requestedCpu -= demand[o + CPU];
        requestedMem -= demand[o + MEM];
        podsOn[node]--;
        lastPodChange[node] = now;
        if (prevOnNode[pod] >= 0) {
            nextOnNode[prevOnNode[pod]] = nextOnNode[pod];
        } else {
            firstPod[node] = nextOnNode[pod];
        }
        if (nextOnNode[pod] >= 0) {
            prevOnNode[nextOnNode[pod]] = prevOnNode[pod];
        }
        nodeOf[pod] = -1;
        if (nodeState[node] == READY) {
            readyIndex.set(readyPos[node], free, b);
            noteFreed(node);
        }
        version++;
    }

    // ---------------------------------------------------------------- nodes

    private int newNode(int pool, byte state) {
        int node = nodeCount++;
        if (node == nodePool.length) {
            int c = node * 2;
            nodePool = Arrays.copyOf(nodePool, c);
            nodeState = Arrays.copyOf(nodeState, c);
            free = Arrays.copyOf(free, c * D);
            requestedAt = Arrays.copyOf(requestedAt, c);
            removedAt = Arrays.copyOf(removedAt, c);
            podsOn = Arrays.copyOf(podsOn, c);
            allocCpuOf = Arrays.copyOf(allocCpuOf, c);
            allocMemOf = Arrays.copyOf(allocMemOf, c);
            nonZeroCpu = Arrays.copyOf(nonZeroCpu, c);
            nonZeroMem = Arrays.copyOf(nonZeroMem, c);
            lastPodChange = Arrays.copyOf(lastPodChange, c);
            firstPod = Arrays.copyOf(firstPod, c);
            readyPos = Arrays.copyOf(readyPos, c);
            deviceLoad = Arrays.copyOf(deviceLoad, c * devicesStride);
        }
        Pool p = pools.get(pool);
        nodePool[node] = pool;
        nodeState[node] = state;
        System.arraycopy(p.podCapacity(), 0, free, node * D, D);
        Arrays.fill(deviceLoad, node * devicesStride, (node + 1) * devicesStride, 0);
        requestedAt[node] = now;
        removedAt[node] = -1;
        podsOn[node] = 0;
        allocCpuOf[node] = p.allocatable(Resource.CPU);
        allocMemOf[node] = p.allocatable(Resource.MEMORY);
        nonZeroCpu[node] = p.daemonSetLoad().cpuMillis();
        nonZeroMem[node] = p.daemonSetLoad().memoryBytes();
        lastPodChange[node] = now;
        firstPod[node] = -1;
        readyPos[node] = -1;
        if (liveCount == live.length) {
            live = Arrays.copyOf(live, liveCount * 2);
        }
        live[liveCount++] = node;
        billed++;
        version++;
        return node;
    }

    private void ready(int node) {
        provisioning--;
        nodeState[node] = READY;
        lastPodChange[node] = now;
        if (readyCount == readyList.length) {
            readyList = Arrays.copyOf(readyList, readyCount * 2);
        }
        readyPos[node] = readyCount;
        readyIndex.set(readyCount, free, node * D);
        readyList[readyCount++] = node;
        Pool p = pools.get(nodePool[node]);
        allocCpu += allocCpuOf[node];
        allocMem += allocMemOf[node];
        requestedCpu += p.daemonSetLoad().cpuMillis();
        requestedMem += p.daemonSetLoad().memoryBytes();
        noteFreed(node);
        retryWanted = true;
        version++;
    }

    private void unready(int node) {
        int pos = readyPos[node];
        int last = readyList[--readyCount];
        readyList[pos] = last;
        readyPos[last] = pos;
        readyPos[node] = -1;
        readyIndex.set(pos, free, last * D);
        readyIndex.clear(readyCount);
        Pool p = pools.get(nodePool[node]);
        allocCpu -= allocCpuOf[node];
        allocMem -= allocMemOf[node];
        requestedCpu -= p.daemonSetLoad().cpuMillis();
        requestedMem -= p.daemonSetLoad().memoryBytes();
    }

    // ---------------------------------------------------------------- results

    /**
     * Re-derives every node's load from the pods on it and checks what must always hold: no node
     * over its allocatable on any resource, pods only on ready nodes, every arrived pod running,
     * pending, gone or unschedulable, and the counters agreeing. A failure is a bug.
     */
    void verify() {
        long[] used = new long[nodeCount * D];
        int[] devices = new int[nodeCount * devicesStride];
        int pending = 0;
        for (int p = 0; p < podState.length; p++) {
            switch (podState[p]) {
                case POD_RUNNING -> {
                    int node = nodeOf[p];
                    if (node < 0 || nodeState[node] != READY) {
                        throw new IllegalStateException("pod " + stream.podName(p) + " runs on node " + node + " in state " + (node < 0 ? -1 : nodeState[node]));
                    }
                    int o = offset(p);
                    for (int r = 0; r < D; r++) {
                        used[node * D + r] += demand[o + r];
                    }
                    long g = demand[o + GPU];
                    if (devicesStride > 0 && g > 0) {
                        if (!GpuDevices.validMask(podDevices[p], g, gpuDevices(node))) {
                            throw new IllegalStateException("pod " + stream.podName(p) + " has GPU devices "
                                    + GpuDevices.describe(podDevices[p]) + ", wants " + GpuDevices.wanted(g));
                        }
                        GpuDevices.occupy(devices, node * devicesStride, podDevices[p], g); // checked against 1000 below
                    }
                }
                case POD_PENDING -> pending++;
                default -> {
                    if (nodeOf[p] >= 0) {
                        throw new IllegalStateException("pod " + stream.podName(p) + " is not running but bound to node " + nodeOf[p]);
                    }
                }
            }
        }
        if (pending != pendingCount) {
            throw new IllegalStateException("pending count " + pendingCount + " but " + pending + " pods pending");
        }
        if (conflicts != null) {
            ConflictCounts count = new ConflictCounts(conflicts, caps);
            for (int p = 0; p < nodeOf.length; p++) {
                if (podState[p] == POD_RUNNING) {
                    count.add(nodeOf[p], stream.group(p), 1);
                }
            }
            if (!count.sameCounts(present)) {
                throw new IllegalStateException("the anti-affinity ledger is out of step with the running pods");
            }
            String violation = count.violation(g -> "group " + g);
            if (violation != null) {
                throw new IllegalStateException(violation);
            }
        }
        for (int i = 0; i < devices.length; i++) {
            if (devices[i] > GpuDevices.UNIT || devices[i] != deviceLoad[i]) {
                throw new IllegalStateException("GPU device " + (i % devicesStride) + " of node " + (i / devicesStride) + " holds "
                        + devices[i] + " thousandths (ledger says " + deviceLoad[i] + ")");
            }
        }
        for (int node = 0; node < nodeCount; node++) {
            long[] cap = pools.get(nodePool[node]).podCapacity();
            for (int r = 0; r < D; r++) {
                long u = used[node * D + r];
                if (u > cap[r] || free[node * D + r] != cap[r] - u) {
                    throw new IllegalStateException("node " + node + " holds " + u + " of " + Resource.at(r) + " against "
                            + cap[r] + " allocatable for pods (ledger says " + free[node * D + r] + " free)");
                }
            }
        }
        for (int pos = 0; pos < readyCount; pos++) {
            for (int r = 0; r < D; r++) {
                if (readyIndex.leaf(pos, r) != free[readyList[pos] * D + r]) {
                    throw new IllegalStateException("ready index out of date at position " + pos);
                }
            }
        }
        if (left > arrived) {
            throw new IllegalStateException(left + " pods left but only " + arrived + " arrived");
        }
    }

    int peakBilled() {
        return peakBilled;
    }

    int scaleUps() {
        return scaleUps;
    }

    int initialNodes() {
        return initialNodes;
    }

    int scaleDowns() {
        return scaleDowns;
    }

    long evictions() {
        return evictions;
    }

    long arrived() {
        return arrived;
    }

    long left() {
        return left;
    }

    long requestedCpu() {
        return requestedCpu;
    }

    long requestedMem() {
        return requestedMem;
    }

    long allocCpu() {
        return allocCpu;
    }

    long allocMem() {
        return allocMem;
    }

    double pendingWhileProvisioning() {
        return pendingWhileProvisioning;
    }

    double pendingWithoutProvisioning() {
        return pendingWithoutProvisioning;
    }

    double cpuUtilisation() {
        return allocCpuSeconds == 0 ? Double.NaN : requestedCpuSeconds / allocCpuSeconds;
    }

    double memoryUtilisation() {
        return allocMemSeconds == 0 ? Double.NaN : requestedMemSeconds / allocMemSeconds;
    }

    byte podState(int pod) {
        return podState[pod];
    }

    int nodeOf(int pod) {
        return nodeOf[pod];
    }

    /** Pending seconds of {@code pod} so far, counting an open pending spell up to now. */
    long pendingSeconds(int pod) {
        return pendingTotal[pod] + (podState[pod] == POD_PENDING ? now - pendingSince[pod] : 0);
    }

    long removedAt(int node) {
        return removedAt[node];
    }
}
