package io.nodesizer.replay;

import io.nodesizer.engine.ConflictCounts;
import io.nodesizer.engine.HostnameFloors;
import io.nodesizer.engine.GroupCounts;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.model.Resource;

import java.util.Arrays;
import java.util.List;

/**
 * Where every pod of the stream is: its state ({@link Cluster#POD_NOT_ARRIVED} to
 * {@link Cluster#POD_UNSCHEDULABLE}), the node it runs on with the GPU devices it holds there,
 * the pods on each node (a doubly linked list through per-pod arrays), and the running pods per
 * node of the groups in an anti-affinity conflict, and per zone of the groups with a hard zone
 * zone rules ({@link TopologyRules}). Placing and unplacing a pod moves its request
 * on the node's ledger in {@link Nodes}.
 */
final class Pods {
    private static final int D = DemandTable.D;
    private static final int GPU = Resource.GPU.ordinal();

    private final PodStream stream;
    private final long[] demand;
    private final Nodes nodes;
    private final byte[] state;
    private final int[] nodeOf;
    /** Per pod the mask of the GPU devices it holds (empty when devices are not tracked). */
    private final long[] devices;
    private final int[] nextOnNode;
    private final int[] prevOnNode;
    /** Per node its first pod, -1 for none; covers the nodes that ever held a pod (grown on placement). */
    private int[] firstPod = new int[16];
    /** Per group, the groups it may not share a node with; null when none ({@link DemandTable#conflicts()}). */
    private final int[][] conflicts;
    /** Per group in its own conflict list, its pods one node may hold ({@link DemandTable#caps()}). */
    private final int[] caps;
    /** Running pods per (node, group) for groups in a conflict. */
    final ConflictCounts present;
    /** The hard hostname spreads' fewest pods per domain node; null when none. */
    private final HostnameFloors floors;
    /** Running pods per (group, zone) for the groups the zone rules count; null when no rule applies. */
    private final TopologyRules spread;
    /** Running pods per (node, group) and (zone, group) for the preference scores; null when none. */
    private final GroupCounts counts;
    /** Required pod affinity on the hostname, and the running pods of its target groups per node (null when no group has it). */
    final io.nodesizer.engine.CoLocation coLocation;
    final GroupCounts coRunning;
    /**
     * Running pods per group: whether a preferred pod affinity's targets run anywhere, which Karpenter's topology asks of a
     * pod that selects itself (topologygroup.go {@code nextDomainAffinity}; {@link Cluster#running}).
     */
    private final int[] running;

    /**
     * @param demand the demand rows of the pod groups, stride {@link DemandTable#D}
     * @param spread the zone rules, or null
     * @param counts the running pods the scheduler's preference scores count, or null when it scores none
     * @param zoneNames the zones' names, or null (a workload kept to some zones is then taken as admitted in every one)
     * @param keepsNode per group whether its pods keep their node from the autoscaler's scale-down, or null when none does
     * @param budgets   the PodDisruptionBudgets covering pods, or null when none does
     */
    Pods(PodStream stream, long[] demand, Nodes nodes, TopologyRules spread, GroupCounts counts, List<String> zoneNames,
         boolean[] keepsNode, Budgets budgets) {
        this.keepsNode = keepsNode;
        this.budgets = budgets;
        this.spread = spread;
        this.counts = counts;
        this.stream = stream;
        this.demand = demand;
        this.nodes = nodes;
        int n = stream.size();
        this.state = new byte[n];
        this.nodeOf = new int[n];
        Arrays.fill(nodeOf, -1);
        this.devices = new long[nodes.devicesStride > 0 ? n : 0];
        this.nextOnNode = new int[n];
        this.prevOnNode = new int[n];
        Arrays.fill(firstPod, -1);
        DemandTable table = stream.table();
        this.conflicts = table.conflicts();
        this.caps = table.caps();
        // Shared hostname spreads (a canary counted with its stable pods) are counted and checked with the conflicts,
        // every hostname spread against the fewest of its pods on a node of the cluster (kube-scheduler's minMatchNum).
        this.floors = HostnameFloors.of(table, nodes.pools().size(), nodes.zones,
                (g, sp) -> SpreadPools.domains(g, sp, nodes.pools(), nodes.zones, zoneNames), table.sharedSpreads());
        nodes.floors = floors;
        this.present = new ConflictCounts(conflicts, caps, table.sharedSpreads(), floors);
        if (floors != null) {
            floors.bind(present); // the floors read the counts the scheduler keeps
        }
        io.nodesizer.engine.CoLocation co = table.coLocation();
        this.coLocation = co.any() ? co : null;
        this.coRunning = co.any() ? new GroupCounts(co.tracked(), 1) : null;
        this.running = new int[table.groupCount()];
        boolean[] dnd = new boolean[table.groupCount()];
        boolean anyDnd = false;
        for (int g = 0; g < dnd.length; g++) {
            io.nodesizer.model.PodTemplate t = table.group(g).template();
            dnd[g] = t != null && t.eviction().doNotDisrupt();
            anyDnd |= dnd[g];
        }
        this.doNotDisrupt = anyDnd ? dnd : null;
    }

    /** Per group whether its pods are annotated {@code karpenter.sh/do-not-disrupt: "true"}; null when none is. */
    private final boolean[] doNotDisrupt;

    /** Whether {@code pod} is annotated {@code karpenter.sh/do-not-disrupt: "true"}. */
    boolean doNotDisrupt(int pod) {
        return doNotDisrupt != null && doNotDisrupt[stream.group(pod)];
    }

    /** Per group whether its pods keep their node from scale-down; null when none does (the usual input: nothing is counted). */
    private final boolean[] keepsNode;
    /** Per node its running pods that keep it ({@link #keepsNode}), grown on placement. */
    private int[] keeping = new int[0];

    /** Whether a pod running on {@code node} keeps it from the autoscaler's scale-down. */
    boolean kept(int node) {
        return keepsNode != null && node < keeping.length && keeping[node] > 0;
    }

    /** The PodDisruptionBudgets covering some pods, with their counts; null when none does. */
    private final Budgets budgets;

    byte state(int pod) {
        return state[pod];
    }

    void setState(int pod, byte s) {
        if (budgets != null) {
            budgets.changed(stream.group(pod), state[pod], s);
        }
        state[pod] = s;
    }

    /** The PodDisruptionBudgets covering some pods, with their counts; null when none does. */
    Budgets budgets() {
        return budgets;
    }

    /** The namespace/name of budget {@code b}. */
    String budgetName(int b) {
        return budgets.budget(b).fullName();
    }

    /** Whether some PodDisruptionBudget covers pods of {@code group}. */
    boolean budgeted(int group) {
        return budgets != null && budgets.of(group) != null;
    }

    /** Whether PodDisruptionBudgets cover some of the pods. */
    boolean hasBudgets() {
        return budgets != null;
    }

    /** Into {@code into} (a new array when too short) the evictions each budget allows now; returns the array. */
    int[] budgetAllowances(int[] into) {
        int n = budgets == null ? 0 : budgets.count();
        int[] out = into.length >= n ? into : new int[n];
        for (int b = 0; b < n; b++) {
            out[b] = budgets.allowed(b);
        }
        return out;
    }

    /**
     * Cluster Autoscaler's {@code RemainingPdbTracker.CanRemovePods} for the pods on {@code node}: the first budget that
     * covers one of them with less than one eviction left in {@code remaining} (per budget), which blocks the removal
     * ({@code NotEnoughPdb}); -1 when none does. More covered pods than a budget allows do not block (CA drains them, retrying evictions).
     * With {@code asCa}, pods annotated safe-to-evict "true" are not asked: CA's drainability rules let them go before
     * the budget rule (the drain then meets the eviction API, which asks their budgets).
     */
    int blockingBudget(int node, int[] remaining, boolean asCa, int unaskedBelow) {
        if (budgets == null || !budgets.covers(node)) {
            return -1;
        }
        for (int p = firstOn(node); p >= 0; p = nextOnNode[p]) {
            int g = stream.group(p);
            int[] bs = budgets.of(g);
            if (bs != null && !(asCa && budgets.caIgnores(g)) && stream.table().group(g).priority() >= unaskedBelow) {
                for (int b : bs) {
                    if (remaining[b] < 1) {
                        return b;
                    }
                }
            }
        }
        return -1;
    }

    /** Takes the pods on {@code node} from the evictions left in {@code remaining} ({@code RemainingPdbTracker.RemovePods}). */
    void takeBudgets(int node, int[] remaining, int unaskedBelow) {
        if (budgets == null || !budgets.covers(node)) {
            return;
        }
        for (int p = firstOn(node); p >= 0; p = nextOnNode[p]) {
            int[] bs = budgets.of(stream.group(p));
            if (bs != null && stream.table().group(stream.group(p)).priority() >= unaskedBelow) {
                for (int b : bs) {
                    remaining[b]--;
                }
            }
        }
    }

    /**
     * Whether the eviction API refuses to evict the running {@code pod} now: a budget covering it allows no eviction
     * (healthy less desired below 1, the evictions already made this instant counted: an evicted pod is not healthy
     * until its replacement runs), or two or more budgets cover it ("more than one PodDisruptionBudget, which the
     * eviction subresource does not support").
     */
    boolean evictionRefused(int pod) {
        int[] bs = budgets == null ? null : budgets.of(stream.group(pod));
        return bs != null && (bs.length > 1 || budgets.allowed(bs[0]) < 1);
    }

    /**
     * Whether the eviction API refuses {@code pod} whatever runs ({@link #evictionRefused} for good): two or more budgets
     * cover it, or one that never allows an eviction ({@code maxUnavailable: 0}, {@code minAvailable: 100%}).
     */
    boolean evictionNeverAllowed(int pod) {
        int[] bs = budgets == null ? null : budgets.of(stream.group(pod));
        return bs != null && (bs.length > 1 || budgets.budget(bs[0]).allowsNone());
    }

    /** The budget refusing {@code pod}'s eviction ({@link #evictionRefused}): its name, or why none alone does. */
    String refusingBudget(int pod) {
        int[] bs = budgets.of(stream.group(pod));
        return bs.length > 1 ? "(more than one budget)" : budgets.budget(bs[0]).fullName();
    }

    /** Whether a pod on {@code node} is covered by a budget that allows no eviction now. */
    boolean budgetBlocked(int node) {
        if (budgets == null || !budgets.covers(node)) {
            return false;
        }
        allowances = budgetAllowances(allowances);
        return blockingBudget(node, allowances, false, Integer.MIN_VALUE) >= 0;
    }

    /** Scratch for {@link #budgetBlocked}. */
    private int[] allowances = new int[0];

    int[][] conflicts() {
        return conflicts;
    }

    int[] caps() {
        return caps;
    }

    /** The hard hostname spreads' floors, or null when none. */
    HostnameFloors floors() {
        return floors;
    }

    /** Whether pods of {@code group} are targets of some group's pod affinity on the zone or another key. */
    boolean domainTarget(int group) {
        return spread != null && spread.isTarget(group);
    }

    /** The first pod on {@code node}, or -1. */
    int firstOn(int node) {
        return node < firstPod.length ? firstPod[node] : -1;
    }

    /**
     * The pods on {@code node} in the order a drain evicts them, into {@code out} (grown as
     * needed); returns the count. With pods bound to zones: their affinity targets, then they, then
     * the rest ({@link TopologyRules#evictionPass}); otherwise as {@link #podsOnNode} lists them.
     */
    int inEvictionOrder(int node, int[][] out) {
        int n = podsOnNode(node, out);
        if (spread != null && spread.anyBound()) {
            int[] a = out[0];
            int[] copy = Arrays.copyOf(a, n);
            int k = 0;
            for (int pass = 0; pass < 3; pass++) {
                for (int i = 0; i < n; i++) {
                    if (spread.evictionPass(stream.group(copy[i])) == pass) {
                        a[k++] = copy[i];
                    }
                }
            }
        }
        return n;
    }

    /** The mask of the GPU devices {@code pod} holds on its node (0 when it holds none, or devices are not tracked). */
    long devices(int pod) {
        return devices.length == 0 ? 0 : devices[pod];
    }

    /** The pods on {@code node}, into {@code out} (grown as needed); returns the count. */
    int podsOnNode(int node, int[][] out) {
        int n = 0;
        for (int p = firstOn(node); p >= 0; p = nextOnNode[p]) {
            if (n == out[0].length) {
                out[0] = Arrays.copyOf(out[0], n * 2 + 8);
            }
            out[0][n++] = p;
        }
        return n;
    }

    /** A pod of {@code group} starts ({@code delta} 1) or stops (-1) on {@code node}: the preference counts and their levels follow. */
    private void counted(int node, int group, int delta) {
        counts.add(node, nodes.zoneOf(node), group, delta);
        if (nodes.countLevels != null && nodes.readyPos[node] >= 0) {
            nodes.countLevels.changed(nodes.readyPos[node], group, counts.onNode(node, group), delta);
        }
    }

    /** The pods' run times under {@code --deletions after-start}, told of every start and stop; null otherwise. */
    private RunClocks clocks;

    /** The running pods of {@code group}, on any node. */
    int running(int group) {
        return running[group];
    }

    /** Tells {@code c} when each pod starts and stops running ({@link PodStream#leavesAfterStart}). */
    void runClocks(RunClocks c) {
        this.clocks = c;
    }

    /** {@code pod} starts running on {@code node}, holding its request there. */
    void place(int pod, int node, long now) {
        int o = stream.group(pod) * D;
        present.add(node, o / D, 1);
        running[o / D]++;
        if (floors != null) {
            floors.moved(node, nodes.place(node), nodes.readyPos[node] >= 0, o / D, 1);
        }
        if (coRunning != null) {
            coRunning.add(node, 0, o / D, 1);
        }
        if (counts != null) {
            counted(node, o / D, 1);
        }
        if (spread != null) {
            // Every placement passed the scheduler's filter; with -ea (the tests) a path around it fails here.
            assert spread.admits(o / D, nodes.pool[node], nodes.zoneOf(node)) : "pod " + stream.podName(pod) + " breaks a zone rule";
            spread.podMoved(o / D, nodes.pool[node], nodes.zoneOf(node), 1);
        }
        nodes.take(node, demand, o, now);
        if (nodes.devicesStride > 0 && demand[o + GPU] > 0) {
            devices[pod] = nodes.takeDevices(node, demand[o + GPU]);
        }
        if (budgets != null) {
            budgets.changed(o / D, state[pod], Cluster.POD_RUNNING);
            budgets.running(o / D, node, 1);
        }
        if (keepsNode != null && keepsNode[o / D]) {
            if (node >= keeping.length) {
                keeping = Arrays.copyOf(keeping, Math.max(node + 1, keeping.length * 2));
            }
            keeping[node]++;
        }
        nodeOf[pod] = node;
        state[pod] = Cluster.POD_RUNNING;
        if (clocks != null) {
            clocks.started(pod, now);
        }
        if (node >= firstPod.length) {
            int old = firstPod.length;
            firstPod = Arrays.copyOf(firstPod, Math.max(node + 1, old * 2));
            Arrays.fill(firstPod, old, firstPod.length, -1);
        }
        prevOnNode[pod] = -1;
        nextOnNode[pod] = firstPod[node];
        if (firstPod[node] >= 0) {
            prevOnNode[firstPod[node]] = pod;
        }
        firstPod[node] = pod;
    }

    /** {@code pod} no longer runs on its node, which gets its request back; returns the node. Its state is the caller's. */
    int unplace(int pod, long now) {
        int node = nodeOf[pod];
        int o = stream.group(pod) * D;
        present.add(node, o / D, -1);
        running[o / D]--;
        if (floors != null) {
            floors.moved(node, nodes.place(node), nodes.readyPos[node] >= 0, o / D, -1);
        }
        if (coRunning != null) {
            coRunning.add(node, 0, o / D, -1);
        }
        if (counts != null) {
            counted(node, o / D, -1);
        }
        if (spread != null) {
            spread.podMoved(o / D, nodes.pool[node], nodes.zoneOf(node), -1);
        }
        if (keepsNode != null && keepsNode[o / D]) {
            keeping[node]--;
        }
        if (budgets != null) {
            budgets.running(o / D, node, -1);
        }
        nodes.release(node, demand, o, now);
        if (nodes.devicesStride > 0 && demand[o + GPU] > 0) {
            nodes.releaseDevices(node, devices[pod], demand[o + GPU]);
            devices[pod] = 0;
        }
        if (prevOnNode[pod] >= 0) {
            nextOnNode[prevOnNode[pod]] = nextOnNode[pod];
        } else {
            firstPod[node] = nextOnNode[pod];
        }
        if (nextOnNode[pod] >= 0) {
            prevOnNode[nextOnNode[pod]] = prevOnNode[pod];
        }
        nodeOf[pod] = -1;
        if (clocks != null) {
            clocks.stopped(pod, now);
        }
        return node;
    }

    /**
     * Re-derives every node's load from the pods on it and checks what must always hold: no node
     * over its allocatable on any resource, pods only on ready nodes, every arrived pod running,
     * pending, gone or unschedulable, the pending count ({@code pendingCount}), the
     * anti-affinity ledger and the zone spread's counts agreeing. A failure is a bug.
     */
    /** Checks per-group counts (null: none kept) against the running pods: every running pod of a counted group, on its node. */
    private void verifyCounts(GroupCounts c, String what) {
        if (c == null) {
            return;
        }
        java.util.Map<Long, Integer> recount = new java.util.HashMap<>();
        long counted = 0;
        for (int p = 0; p < nodeOf.length; p++) {
            int g = stream.group(p);
            if (state[p] == Cluster.POD_RUNNING && c.tracks(g)) {
                recount.merge(((long) nodeOf[p] << 32) | g, 1, Integer::sum);
                counted++;
            }
        }
        for (var e : recount.entrySet()) {
            int node = (int) (e.getKey() >>> 32);
            int g = (int) (e.getKey() & 0xffffffffL);
            if (c.onNode(node, g) != e.getValue()) {
                throw new IllegalStateException("the " + what + " counts have " + c.onNode(node, g) + " pods of group " + g + " on node "
                        + node + ", but " + e.getValue() + " run there");
            }
        }
        if (c.total() != counted) {
            throw new IllegalStateException("the " + what + " counts hold " + c.total() + " pods, but " + counted + " counted ones run");
        }
    }

    void verify(int pendingCount) {
        long[] used = new long[nodes.count * D];
        int stride = nodes.devicesStride;
        int[] deviceLoad = new int[nodes.count * stride];
        int pending = 0;
        for (int p = 0; p < state.length; p++) {
            switch (state[p]) {
                case Cluster.POD_RUNNING -> {
                    int node = nodeOf[p];
                    // a draining node keeps the pods whose eviction PodDisruptionBudgets refuse until they let them go
                    if (node < 0 || nodes.state[node] != Cluster.READY && nodes.state[node] != Cluster.DRAINING) {
                        throw new IllegalStateException("pod " + stream.podName(p) + " runs on node " + node + " in state "
                                + (node < 0 ? -1 : nodes.state[node]));
                    }
                    int o = stream.group(p) * D;
                    for (int r = 0; r < D; r++) {
                        used[node * D + r] += demand[o + r];
                    }
                    long g = demand[o + GPU];
                    if (stride > 0 && g > 0) {
                        if (!GpuDevices.validMask(devices[p], g, nodes.gpuDevices(node))) {
                            throw new IllegalStateException("pod " + stream.podName(p) + " has GPU devices "
                                    + GpuDevices.describe(devices[p]) + ", wants " + GpuDevices.wanted(g));
                        }
                        GpuDevices.occupy(deviceLoad, node * stride, devices[p], g); // checked against 1000 by the nodes
                    }
                }
                case Cluster.POD_PENDING -> pending++;
                default -> {
                    if (nodeOf[p] >= 0) {
                        throw new IllegalStateException("pod " + stream.podName(p) + " is not running but bound to node " + nodeOf[p]);
                    }
                }
            }
        }
        if (keepsNode != null) {
            int[] derived = new int[keeping.length];
            for (int p = 0; p < state.length; p++) {
                if (state[p] == Cluster.POD_RUNNING && keepsNode[stream.group(p)]) {
                    derived[nodeOf[p]]++;
                }
            }
            if (!Arrays.equals(derived, keeping)) {
                throw new IllegalStateException("the count of pods keeping their nodes is out of step with the running pods");
            }
        }
        if (budgets != null) {
            budgets.verify(stream, state, nodeOf);
        }
        if (pending != pendingCount) {
            throw new IllegalStateException("pending count " + pendingCount + " but " + pending + " pods pending");
        }
        verifyCounts(counts, "preference");
        verifyCounts(coRunning, "pod affinity");
        int[] perGroup = new int[running.length];
        for (int p = 0; p < state.length; p++) {
            perGroup[stream.group(p)] += state[p] == Cluster.POD_RUNNING ? 1 : 0;
        }
        if (!Arrays.equals(perGroup, running)) {
            throw new IllegalStateException("the running pods per group are out of step with the pods' states");
        }
        if (conflicts != null || present.shared() != null) {
            ConflictCounts count = new ConflictCounts(conflicts, caps, present.shared(), present.floors());
            for (int p = 0; p < nodeOf.length; p++) {
                if (state[p] == Cluster.POD_RUNNING) {
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
        if (spread != null) {
            TopologyRules derived = spread.copyShape();
            for (int p = 0; p < nodeOf.length; p++) {
                if (state[p] == Cluster.POD_RUNNING) {
                    derived.podMoved(stream.group(p), nodes.pool[nodeOf[p]], nodes.zoneOf(nodeOf[p]), 1);
                }
            }
            for (int pos = 0; pos < nodes.readyCount; pos++) {
                int node = nodes.readyList[pos];
                derived.nodeReady(nodes.pool[node], nodes.zoneOf(node), 1);
            }
            spread.verify(derived);
        }
        if (floors != null) {
            int[] podNode = new int[nodeOf.length];
            int[] podGroup = new int[nodeOf.length];
            int running = 0;
            for (int p = 0; p < nodeOf.length; p++) {
                if (state[p] == Cluster.POD_RUNNING) {
                    podNode[running] = nodeOf[p];
                    podGroup[running++] = stream.group(p);
                }
            }
            floors.verify(podNode, podGroup, running, nodes.readyList, nodes.readyCount, nodes::place);
        }
        nodes.verify(used, deviceLoad);
    }
}
