package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.kube.ExpendablePods;
import io.nodesizer.model.Resource;
import io.nodesizer.replay.Cluster;
import io.nodesizer.replay.EvictionRetry;
import io.nodesizer.replay.Pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code ca}: the Cluster Autoscaler's loop (kubernetes/autoscaler, cluster-autoscaler FAQ), every
 * {@code scanInterval}:
 * <ol>
 * <li><b>Scale-up.</b> Pending pods that the ready and upcoming nodes can take (first fit on their
 * free capacity) are left to the scheduler. For the rest, each node group's binpacking estimator
 * (pods by decreasing CPU+memory share, first fit onto new template nodes) counts the nodes it
 * would add, capped at the group's max; the expander picks one group, which grows by that count.
 * One group per loop, as CA does without {@code --balance-similar-node-groups}. Not while the pods
 * it would be for are all very new: the oldest created under 2 s ago, or the oldest that requests
 * GPUs under 30 s ago; such a loop waits for more pods and deletes no node.</li>
 * <li><b>Unneeded nodes.</b> A ready node is unneeded when its requests (DaemonSets included) are
 * below {@code utilisationThreshold} of allocatable on both CPU and memory and all its pods fit on
 * the other nodes: candidate after candidate, empty ones first, then those the last loop found
 * unneeded, then the rest ({@link #orderCandidates}), earlier moves kept; each pod on the node CA's
 * last simulations put it on if that still takes it ({@link RemovalHints}), else first fit in node
 * order, where CA searches round-robin from its last find (simulator/scheduling/hinting_simulator.go).
 * The pass stops once it has found as many unneeded nodes as CA's limit ({@link #unneededLimit()}).
 * A node stays a candidate from the first loop that found it unneeded until a loop does not. A node
 * whose pods found no place is not simulated again for {@code unremovableRecheck}
 * ({@link RecentlyUnremovable}).</li>
 * <li><b>A loop that scaled up goes on</b> to the unneeded nodes and scale-down, as CA's does since
 * 1.34 (kubernetes/autoscaler#8313); before, it ended there.</li>
 * <li><b>Scale-down.</b> Not within {@code delayAfterAdd} of the last scale-up. Nodes unneeded for
 * {@code unneededTime} are deleted within CA's budgets, which count its deletions still in progress
 * (core/scaledown/budgets: {@code CropNodes}): at most {@code maxScaleDownParallelism} at once, of
 * them at most {@code maxDrainParallelism} with pods to drain; empty nodes first; never below the
 * group's min. A drain evicts through the eviction API: a pod whose PodDisruptionBudget allows no eviction
 * now stays on the cordoned node and is tried again every 10 s; one still there at {@code --max-pod-eviction-time}
 * (2m) fails the drain, and the node is uncordoned with the pods it kept (actuation/drain.go,
 * {@link EvictionRetry#clusterAutoscaler}).</li>
 * </ol>
 * Each node group is one pool; min and max count a group's nodes that are not being removed.
 */
public final class ClusterAutoscaler implements Autoscaler {
    private static final int D = DemandTable.D;
    private static final int GPU = Resource.GPU.ordinal();

    /**
     * Cluster Autoscaler's utilisation of a node (kubernetes/autoscaler {@code simulator/utilization} {@code Calculate}):
     * the larger of the CPU and memory its pods request (DaemonSet pods included, CA's default) over its allocatable; on a
     * node with GPUs, its GPU requests alone ("Skips cpu and memory utilization calculation for node with GPU"). A node is
     * a scale-down candidate only while this is below {@code --scale-down-utilization-threshold} (the GPU one on a GPU node).
     * Shared by the replay and {@code consolidate}, so both judge a node alike. Requests and allocatable are per
     * {@link Resource} ordinal.
     */
    public static double utilisation(long[] requested, long[] allocatable) {
        int cpu = Resource.CPU.ordinal();
        int mem = Resource.MEMORY.ordinal();
        int gpu = Resource.GPU.ordinal();
        return utilisation(requested[cpu], allocatable[cpu], requested[mem], allocatable[mem], requested[gpu], allocatable[gpu]);
    }

    /** As above, resource by resource (the replay's hot path, which allocates no array). */
    public static double utilisation(long cpu, long allocCpu, long mem, long allocMem, long gpu, long allocGpu) {
        return allocGpu > 0 ? share(gpu, allocGpu) : Math.max(share(cpu, allocCpu), share(mem, allocMem));
    }

    private static double share(long used, long of) {
        return of <= 0 ? 0 : (double) used / of;
    }

    /**
     * @param scanInterval         {@code --scan-interval}, default 10s
     * @param unneededTime         {@code --scale-down-unneeded-time}, default 10m
     * @param utilisationThreshold {@code --scale-down-utilization-threshold}, default 0.5
     * @param delayAfterAdd        {@code --scale-down-delay-after-add}, default 10m
     * @param expander             {@code --expander}, default random
     * @param minNodes             min size of each node group
     * @param maxNodes             max size of each node group
     * @param maxScaleDownParallelism {@code --max-scale-down-parallelism}, default 10: nodes, empty or
     *                            drained, being deleted at once ({@code --max-empty-bulk-delete}, its
     *                            deprecated name, sets it too)
     * @param maxDrainParallelism  {@code --max-drain-parallelism}, default 1: nodes with pods being
     *                            drained and deleted at once
     * @param unremovableRecheck  {@code --unremovable-node-recheck-timeout}, default 5m: how long a node
     *                            whose pods found no place elsewhere is left out of the unneeded pass
     * @param newPodScaleUpDelay  {@code --new-pod-scale-up-delay}, default 0s: pods younger than this
     *                            are not considered for scale-up
     * @param delayAfterDelete    {@code --scale-down-delay-after-delete}, default 0s: no deletion starts
     *                            within this of a loop that started one
     * @param gpuUtilisationThreshold {@code --scale-down-gpu-utilization-threshold}, default 0.5: a node with GPUs is
     *                            judged by its GPU requests alone (CA's utilization.Calculate), against this
     * @param skipNodesWithLocalStorage {@code --skip-nodes-with-local-storage}, default true
     * @param skipNodesWithSystemPods   {@code --skip-nodes-with-system-pods}, default true
     * @param maxPodEvictionTime  {@code --max-pod-eviction-time}, default 2m: how long a drain tries to evict a pod that
     *                            PodDisruptionBudgets refuse (every 10 s) before it is given up ({@link EvictionRetry})
     * @param maxBulkSoftTaintCount {@code --max-bulk-soft-taint-count}, default 10: soft taints a loop puts on unneeded
     *                            nodes or takes off needed ones (0: none)
     */
    public record Settings(long scanInterval, long unneededTime, double utilisationThreshold, long delayAfterAdd,
                           Expander expander, int minNodes, int maxNodes, int maxScaleDownParallelism, int maxDrainParallelism,
                           long unremovableRecheck, long newPodScaleUpDelay, long delayAfterDelete, int expendablePodsPriorityCutoff,
                           double gpuUtilisationThreshold, boolean skipNodesWithLocalStorage, boolean skipNodesWithSystemPods,
                           long maxPodEvictionTime, int maxBulkSoftTaintCount) {
        public static final long SCAN_INTERVAL = 10;
        public static final long UNNEEDED_TIME = 600;
        public static final double UTILISATION_THRESHOLD = 0.5;
        public static final long DELAY_AFTER_ADD = 600;
        public static final int MAX_SCALE_DOWN_PARALLELISM = 10;
        public static final int MAX_DRAIN_PARALLELISM = 1;
        public static final long UNREMOVABLE_RECHECK = 300;
        public static final int MAX_BULK_SOFT_TAINT_COUNT = 10;

        public Settings {
            if (scanInterval < 1 || unneededTime < 0 || delayAfterAdd < 0 || minNodes < 0 || maxNodes < minNodes
                    || !(utilisationThreshold >= 0 && utilisationThreshold <= 1) || !(gpuUtilisationThreshold >= 0
                    && gpuUtilisationThreshold <= 1) || maxScaleDownParallelism < 1
                    || maxDrainParallelism < 1 || unremovableRecheck < 0 || newPodScaleUpDelay < 0 || delayAfterDelete < 0
                    || maxPodEvictionTime < 0 || maxBulkSoftTaintCount < 0) {
                throw new IllegalArgumentException("Invalid cluster autoscaler settings: " + this);
            }
        }

        /** With CA's default {@code --max-bulk-soft-taint-count}, 10. */
        public Settings(long scanInterval, long unneededTime, double utilisationThreshold, long delayAfterAdd,
                        Expander expander, int minNodes, int maxNodes, int maxScaleDownParallelism, int maxDrainParallelism,
                        long unremovableRecheck, long newPodScaleUpDelay, long delayAfterDelete, int expendablePodsPriorityCutoff,
                        double gpuUtilisationThreshold, boolean skipNodesWithLocalStorage, boolean skipNodesWithSystemPods,
                        long maxPodEvictionTime) {
            this(scanInterval, unneededTime, utilisationThreshold, delayAfterAdd, expander, minNodes, maxNodes, maxScaleDownParallelism,
                    maxDrainParallelism, unremovableRecheck, newPodScaleUpDelay, delayAfterDelete, expendablePodsPriorityCutoff,
                    gpuUtilisationThreshold, skipNodesWithLocalStorage, skipNodesWithSystemPods, maxPodEvictionTime, MAX_BULK_SOFT_TAINT_COUNT);
        }

        /** With CA's default {@code --max-pod-eviction-time}, 2m. */
        public Settings(long scanInterval, long unneededTime, double utilisationThreshold, long delayAfterAdd,
                        Expander expander, int minNodes, int maxNodes, int maxScaleDownParallelism, int maxDrainParallelism,
                        long unremovableRecheck, long newPodScaleUpDelay, long delayAfterDelete, int expendablePodsPriorityCutoff,
                        double gpuUtilisationThreshold, boolean skipNodesWithLocalStorage, boolean skipNodesWithSystemPods) {
            this(scanInterval, unneededTime, utilisationThreshold, delayAfterAdd, expander, minNodes, maxNodes, maxScaleDownParallelism,
                    maxDrainParallelism, unremovableRecheck, newPodScaleUpDelay, delayAfterDelete, expendablePodsPriorityCutoff,
                    gpuUtilisationThreshold, skipNodesWithLocalStorage, skipNodesWithSystemPods, EvictionRetry.CA_MAX_POD_EVICTION_TIME);
        }

        /** How this autoscaler's drains retry evictions that PodDisruptionBudgets refuse. */
        public EvictionRetry evictionRetry() {
            return EvictionRetry.clusterAutoscaler(maxPodEvictionTime, expendablePodsPriorityCutoff);
        }

        /** With CA's defaults {@code --skip-nodes-with-local-storage} and {@code --skip-nodes-with-system-pods}, true. */
        public Settings(long scanInterval, long unneededTime, double utilisationThreshold, long delayAfterAdd,
                        Expander expander, int minNodes, int maxNodes, int maxScaleDownParallelism, int maxDrainParallelism,
                        long unremovableRecheck, long newPodScaleUpDelay, long delayAfterDelete, int expendablePodsPriorityCutoff,
                        double gpuUtilisationThreshold) {
            this(scanInterval, unneededTime, utilisationThreshold, delayAfterAdd, expander, minNodes, maxNodes, maxScaleDownParallelism,
                    maxDrainParallelism, unremovableRecheck, newPodScaleUpDelay, delayAfterDelete, expendablePodsPriorityCutoff,
                    gpuUtilisationThreshold, true, true);
        }

        /** With CA's default {@code --scale-down-gpu-utilization-threshold}, 0.5. */
        public Settings(long scanInterval, long unneededTime, double utilisationThreshold, long delayAfterAdd,
                        Expander expander, int minNodes, int maxNodes, int maxScaleDownParallelism, int maxDrainParallelism,
                        long unremovableRecheck, long newPodScaleUpDelay, long delayAfterDelete, int expendablePodsPriorityCutoff) {
            this(scanInterval, unneededTime, utilisationThreshold, delayAfterAdd, expander, minNodes, maxNodes, maxScaleDownParallelism,
                    maxDrainParallelism, unremovableRecheck, newPodScaleUpDelay, delayAfterDelete, expendablePodsPriorityCutoff,
                    UTILISATION_THRESHOLD);
        }

        /** With CA's default {@code --expendable-pods-priority-cutoff} ({@link ExpendablePods#DEFAULT_CUTOFF}). */
        public Settings(long scanInterval, long unneededTime, double utilisationThreshold, long delayAfterAdd,
                        Expander expander, int minNodes, int maxNodes, int maxScaleDownParallelism, int maxDrainParallelism,
                        long unremovableRecheck, long newPodScaleUpDelay, long delayAfterDelete) {
            this(scanInterval, unneededTime, utilisationThreshold, delayAfterAdd, expander, minNodes, maxNodes, maxScaleDownParallelism,
                    maxDrainParallelism, unremovableRecheck, newPodScaleUpDelay, delayAfterDelete, ExpendablePods.DEFAULT_CUTOFF);
        }

        /** With CA's default new-pod scale-up delay and delay after delete (0s). */
        public Settings(long scanInterval, long unneededTime, double utilisationThreshold, long delayAfterAdd,
                        Expander expander, int minNodes, int maxNodes, int maxScaleDownParallelism, int maxDrainParallelism,
                        long unremovableRecheck) {
            this(scanInterval, unneededTime, utilisationThreshold, delayAfterAdd, expander, minNodes, maxNodes, maxScaleDownParallelism,
                    maxDrainParallelism, unremovableRecheck, 0, 0);
        }

        /** With CA's default drain parallelism and recheck time-out ({@link #MAX_DRAIN_PARALLELISM}, {@link #UNREMOVABLE_RECHECK}). */
        public Settings(long scanInterval, long unneededTime, double utilisationThreshold, long delayAfterAdd,
                        Expander expander, int minNodes, int maxNodes, int maxScaleDownParallelism) {
            this(scanInterval, unneededTime, utilisationThreshold, delayAfterAdd, expander, minNodes, maxNodes, maxScaleDownParallelism,
                    MAX_DRAIN_PARALLELISM, UNREMOVABLE_RECHECK);
        }

        public static Settings defaults(int minNodes, int maxNodes) {
            return new Settings(SCAN_INTERVAL, UNNEEDED_TIME, UTILISATION_THRESHOLD, DELAY_AFTER_ADD, Expander.RANDOM,
                    minNodes, maxNodes, MAX_SCALE_DOWN_PARALLELISM, MAX_DRAIN_PARALLELISM, UNREMOVABLE_RECHECK);
        }

        public Settings withLimits(int min, int max) {
            return new Settings(scanInterval, unneededTime, utilisationThreshold, delayAfterAdd, expander, min, max,
                    maxScaleDownParallelism, maxDrainParallelism, unremovableRecheck, newPodScaleUpDelay, delayAfterDelete,
                    expendablePodsPriorityCutoff, gpuUtilisationThreshold, skipNodesWithLocalStorage, skipNodesWithSystemPods,
                    maxPodEvictionTime, maxBulkSoftTaintCount);
        }
    }

    /**
     * CA's cutoff when some pod of {@code cluster} is below it, else MIN_VALUE (no pod is expendable,
     * the usual input): asked once per cluster, so that without such pods nothing below runs per pod.
     */
    private int expendableIn(Cluster cluster) {
        if (expendableCluster != cluster) {
            expendableCluster = cluster;
            int cutoff = settings.expendablePodsPriorityCutoff();
            expendable = cluster.anyPriorityBelow(cutoff) ? cutoff : Integer.MIN_VALUE;
        }
        return expendable;
    }

    private Cluster expendableCluster;
    private int expendable = Integer.MIN_VALUE;
    private final int[][] expendableScratch = {new int[64]};
    private final int[][] expendableUnder = {new int[64]};

    /** Whether CA sees {@code node} as empty: no pods, or only expendable ones. */
    private boolean empty(Cluster cluster, int node) {
        return cluster.podsOn(node) == 0
                || expendable != Integer.MIN_VALUE && ExpendableLoad.podsToMove(cluster, node, expendable, expendableScratch) == 0;
    }

    /**
     * Whether CA's snapshot has {@code node} empty: {@link #empty} and none of the snapshot's pods there. Its removal
     * simulation lists those pods among the node's PodsToReschedule, so such a node is ordered, simulated and deleted as
     * one to drain (planner.go {@code NodesToDelete}: needDrain when PodsToReschedule is not empty), though its drain
     * evicts nothing.
     */
    private boolean snapshotEmpty(Cluster cluster, int node) {
        return empty(cluster, node) && !snapshotPods.on(node);
    }

    private final Settings settings;
    private final SplittableRandom random;
    private int minNodes;
    private int maxNodes;
    private long lastScaleUp = Long.MIN_VALUE / 2;
    private long[] unneededSince = new long[0];
    /** The nodes with an {@code unneededSince} (>= 0), and the ones the current pass finds unneeded. */
    private java.util.BitSet unneeded = new java.util.BitSet();
    private java.util.BitSet foundUnneeded = new java.util.BitSet();
    /** The nodes whose removal simulation failed lately ({@code --unremovable-node-recheck-timeout}), and those of the current pass. */
    private final RecentlyUnremovable unremovable;
    private final java.util.BitSet failedRemoval = new java.util.BitSet();
    private final int[][] scratch = {new int[64]};

    public ClusterAutoscaler(Settings settings, long seed) {
        this.settings = settings;
        this.unremovable = new RecentlyUnremovable(settings.unremovableRecheck());
        this.random = new SplittableRandom(seed ^ 0x5CA1AB1EL);
        this.minNodes = settings.minNodes();
        this.maxNodes = settings.maxNodes();
        this.minUpdateInterval = Math.max(1, settings.unneededTime());
    }

    @Override
    public String name() {
        return "ca";
    }

    @Override
    public int expendableCutoff() {
        return settings.expendablePodsPriorityCutoff();
    }

    @Override
    public String keepsNode(io.nodesizer.model.PodGroup group) {
        return DrainRules.clusterAutoscaler(group, settings.skipNodesWithLocalStorage(), settings.skipNodesWithSystemPods(),
                settings.expendablePodsPriorityCutoff());
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public String atLimit(Cluster cluster, int pod) {
        int[] sizes = targetSizes(cluster);
        boolean any = false;
        for (Pool pool : cluster.pools()) {
            if (cluster.allowedOn(pod, pool.index())) {
                if (sizes[pool.index()] < maxNodes) {
                    return null;
                }
                any = true;
            }
        }
        return any ? (cluster.pools().size() == 1 ? "its node group is" : "every node group it may use is") + " at its max of "
                + maxNodes + (maxNodes == 1 ? " node" : " nodes") + " (--max-nodes" + (maxNodes == settings.maxNodes() ? "" : ", as the window in force sets it")
                + "; CA: max node group size reached)" : null;
    }

    /** Min and max per node group from now on (the scheduled model moves them over time). */
    void setLimits(int min, int max) {
        this.minNodes = min;
        this.maxNodes = max;
    }

    @Override
    public long period() {
        return settings.scanInterval();
    }

    @Override
    public void tick(Cluster cluster) {
        loops++;
        noteSkippedLoops(cluster.now());
        newPodsUntil = Long.MIN_VALUE;
        collectDrained(cluster);
        int grown = scaleUp(cluster, null);
        boolean waited = grown == WAIT_FOR_NEW_PODS;
        if (grown >= 0) {
            lastScaleUp = cluster.now();
            if (cluster.warm()) {
                // A warm start is the cluster CA's loops reach for the pods present at the start, ready
                // before any of them waits. A loop grows one group; pods only another pool admits (a
                // tainted batch pool beside the general one) waited for the next loop and its
                // provisioning delay, counted as delayed. So at time 0 the loop's scale-up repeats for
                // the pools not grown yet while it adds nodes (a pool grown once keeps its estimate).
                // Its nodes are ready at once but hold no pods yet: no unneeded pass on them.
                java.util.BitSet done = new java.util.BitSet();
                while (grown >= 0) {
                    done.set(grown);
                    grown = scaleUp(cluster, done);
                }
                return;
            }
        }
        // Since CA 1.34 (kubernetes/autoscaler#8313, "Remove exit after scale-up is performed") a
        // loop that scaled up goes on to scale-down: its unneeded pass runs over the registered
        // nodes, and deletions wait for the delay after add, counted from this scale-up (with none,
        // a node due now goes in the same loop). Before it, RunOnce returned after a scale-up.
        boolean updated = findUnneeded(cluster);
        // A loop that waits for more new pods skips the real scale-down too ("just like if the pods
        // were handled": DisableScaleDownForLoop), though its unneeded pass runs. One whose planner
        // failed its update (a drained node's pod found no place) returns before it.
        if (updated && !waited && cluster.now() >= cooldownEnd()) {
            scaleDown(cluster);
        }
        if (updated) {
            // Every loop whose planner updated (in cooldown, with no candidates, or after its deletions): static_autoscaler.go
            // updateSoftDeletionTaints.
            updateSoftTaints(cluster);
        }
    }

    /**
     * CA's soft taints (core/scaledown/actuation/softtaint.go {@code UpdateSoftDeletionTaints}): the
     * {@code DeletionCandidateOfClusterAutoscaler:PreferNoSchedule} taint comes off the ready nodes no longer unneeded, then
     * goes on the unneeded ones, at most {@code --max-bulk-soft-taint-count} changes a loop (removals first). The
     * scheduler then puts new and evicted pods elsewhere than on the nodes CA means to remove, as kube-scheduler's
     * TaintToleration score does (QA 68a F2: a pod placed on the one empty node kept it for good). Nodes being deleted
     * are not ready and are left as they are.
     */
    private void updateSoftTaints(Cluster cluster) {
        int budget = settings.maxBulkSoftTaintCount();
        softPending = false;
        if (budget == 0) {
            return;
        }
        // The tainted nodes only (not every live node each loop: 9 % of a week's replay of 1M events at ~1,090 nodes); a removed
        // node's taint goes with it.
        for (int node = cluster.nextSoftTainted(0); node >= 0; node = cluster.nextSoftTainted(node + 1)) {
            if (cluster.state(node) == Cluster.REMOVED) {
                cluster.softTaint(node, false);
            } else if (!unneeded.get(node) && cluster.state(node) == Cluster.READY) {
                if (budget == 0) {
                    softPending = true;
                    return;
                }
                cluster.softTaint(node, false);
                budget--;
            }
        }
        for (int node = unneeded.nextSetBit(0); node >= 0; node = unneeded.nextSetBit(node + 1)) {
            if (!cluster.softTainted(node) && cluster.state(node) == Cluster.READY) {
                if (budget == 0) {
                    softPending = true;
                    return;
                }
                cluster.softTaint(node, true);
                budget--;
            }
        }
    }

    /** The last loop left soft taints to change for want of its budget: the next loop runs. */
    private boolean softPending;

    /** {@link #scaleUp}'s answer when every pod that needs a new node is very new ({@link #newPodsUntil}). */
    private static final int WAIT_FOR_NEW_PODS = -2;
    /** How old the oldest pod that needs a new node must be before CA scales up (core/static_autoscaler.go {@code unschedulablePodTimeBuffer}). */
    static final long NEW_POD_BUFFER = 2;
    /** The same for the oldest such pod that requests GPUs ({@code unschedulablePodWithGpuTimeBuffer}: GPU nodes are dear, so CA waits for more pods). */
    static final long NEW_GPU_POD_BUFFER = 30;
    /**
     * When the pods the last loop waited for stop being very new, or the first pod it left out as
     * younger than {@code newPodScaleUpDelay} comes of age, whichever is first; MIN_VALUE when neither.
     */
    private long newPodsUntil = Long.MIN_VALUE;

    /**
     * {@code pods} without those younger than {@code --new-pod-scale-up-delay} (CA's
     * {@code filterOutYoungPods}: not considered for scale-up yet); the first loop after the first
     * of them comes of age is asked for ({@link #newPodsUntil}).
     */
    private int[] withoutYoung(Cluster cluster, int[] pods) {
        long delay = settings.newPodScaleUpDelay();
        if (delay == 0) {
            return pods;
        }
        long now = cluster.now();
        int kept = 0;
        long comesOfAge = Long.MAX_VALUE;
        for (int pod : pods) {
            long of = cluster.pendingSince(pod) + delay;
            if (of > now) {
                comesOfAge = Math.min(comesOfAge, of);
            } else {
                pods[kept++] = pod;
            }
        }
        if (comesOfAge != Long.MAX_VALUE) {
            newPodsUntil = comesOfAge;
        }
        return kept == pods.length ? pods : Arrays.copyOf(pods, kept);
    }

    /**
     * When the pods in {@code pods} that need a new node stop being very new: CA's
     * {@code allPodsAreNew} holds while the oldest was created less than {@link #NEW_POD_BUFFER}
     * ago, or, when some request GPUs, while the oldest of those was created less than
     * {@link #NEW_GPU_POD_BUFFER} ago. A pod is created when it arrives, or when it is evicted (its
     * replacement).
     */
    private static long newUntil(Cluster cluster, int[] pods) {
        long[] demand = cluster.demand();
        long oldest = Long.MAX_VALUE;
        long oldestGpu = Long.MAX_VALUE;
        for (int pod : pods) {
            long since = cluster.pendingSince(pod);
            oldest = Math.min(oldest, since);
            if (demand[cluster.offset(pod) + GPU] > 0) {
                oldestGpu = Math.min(oldestGpu, since);
            }
        }
        long until = oldest + NEW_POD_BUFFER;
        return oldestGpu == Long.MAX_VALUE ? until : Math.max(until, oldestGpu + NEW_GPU_POD_BUFFER);
    }

    /**
     * Each node group starts at its min size: the cloud's group (an ASG's MinSize, which CA's node
     * group min is) keeps that many nodes whatever CA does, and CA never scales it below them, so
     * a cluster at its steady state has them (ready at once on a warm start; after the provisioning
     * delay on a cold one, as the group launches them). CA's own loop never grows a group to its
     * min ({@code --enforce-node-group-min-size} is off by default): the group does.
     */
    @Override
    public void start(Cluster cluster) {
        if (cluster.warm()) {
            // A warm start is the cluster CA's loops converged to: the pods present get their nodes first and the groups
            // are then topped up to their min (warmStartSettled). Empty min-size nodes first took the pods spread thin,
            // and the loops added nodes for what no longer fit: a floor the pods need anyway gave 34 nodes for 27.
            floorDeferred = true;
            return;
        }
        for (Pool pool : cluster.pools()) {
            for (int i = 0; i < minNodes; i++) {
                cluster.requestNode(pool.index());
            }
        }
    }

    /** Whether the groups' min sizes wait for the warm start's loops ({@link #start}). */
    private boolean floorDeferred;

    /** After a warm start's loops: each group up to its min with empty nodes, ready at once as the warm start's are. */
    @Override
    public void warmStartSettled(Cluster cluster) {
        if (!floorDeferred) {
            return;
        }
        floorDeferred = false;
        int[] sizes = groupSizes(cluster);
        for (int pool = 0; pool < sizes.length; pool++) {
            for (int i = sizes[pool]; i < minNodes; i++) {
                cluster.requestNode(pool);
            }
        }
    }

    @Override
    public long nextTick(Cluster cluster, long lastTick, boolean changed) {
        if (changed || !settled || softPending) {
            // The next period: no deadline comes sooner (nextGrid only grows with its time), so the
            // unneeded nodes need not be looked at (the queue asks at the end of every instant).
            // Unsettled unneeded nodes reorder the next pass's candidates, which may find others.
            return Autoscaler.nextGrid(cluster.now(), lastTick, settings.scanInterval());
        }
        // A node becomes removable when its unneeded time is up and the scale-up cooldown is over,
        // and may become unneeded when its recheck time-out ends (the cluster may have changed
        // since its removal failed). A deadline the last loop already saw pass did not remove the
        // node (min size), and will not until something changes, so only deadlines after the last
        // loop count.
        long deadline = unneededDeadline(cluster, lastTick);
        // Pods the last loop waited for are old enough for the first loop after then.
        if (newPodsUntil != Long.MIN_VALUE) {
            deadline = Math.min(deadline, newPodsUntil);
        }
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE
                : Autoscaler.nextGrid(Math.max(deadline, cluster.now()), lastTick, settings.scanInterval());
    }

    /**
     * The earliest deadline after {@code lastTick} at which an unneeded ready node becomes removable
     * or a recently unremovable ready node is simulated again; MAX_VALUE when none.
     */
    private long unneededDeadline(Cluster cluster, long lastTick) {
        // The queue asks at the end of every instant (~1 M times a replay); the answer changes only
        // with a loop (the unneeded nodes, their times, the last scale-up), the last loop's time,
        // or a node's state.
        if (deadlineCluster == cluster && deadlineLoop == loops && deadlineLastTick == lastTick && deadlineStates == cluster.nodeStateChanges()) {
            return deadline;
        }
        long cooldownEnd = cooldownEnd();
        long earliest = Long.MAX_VALUE;
        for (int node = unneeded.nextSetBit(0); node >= 0; node = unneeded.nextSetBit(node + 1)) {
            if (cluster.state(node) == Cluster.READY) {
                long d = Math.max(unneededSince[node] + settings.unneededTime(), cooldownEnd);
                if (d > lastTick) {
                    earliest = Math.min(earliest, d);
                }
            }
        }
        earliest = Math.min(earliest, unremovable.nextRecheck(cluster, lastTick));
        deadlineCluster = cluster;
        deadlineLoop = loops;
        deadlineLastTick = lastTick;
        deadlineStates = cluster.nodeStateChanges();
        deadline = earliest;
        return earliest;
    }

    /** Loops run so far, and {@link #unneededDeadline}'s last answer with what it was for. */
    private long loops;
    private long deadline;
    private long deadlineLoop = -1;
    private long deadlineLastTick;
    private long deadlineStates;
    private Cluster deadlineCluster;

    // ------------------------------------------------------------------ scale-up

    /** Nodes of each pool that count towards its size: requested or ready, not being removed. */
    static int[] groupSizes(Cluster cluster) {
        int[] size = new int[cluster.pools().size()];
        for (int pool = 0; pool < size.length; pool++) {
            size[pool] = cluster.groupSize(pool);
        }
        return size;
    }

    /**
     * Each group's target size as CA's scale-up reads it against the max ({@code nodeGroup.TargetSize()}
     * in the orchestrator): its requested and ready nodes and the nodes this autoscaler is draining
     * with pods. Those leave the group only when their drain is over: the actuator evicts a node's
     * pods and waits for them to go before it calls {@code DeleteNodes}, which lowers the target size
     * (an empty node is deleted at once). Counting them keeps the nodes billed within the max: a
     * drain's evicted pods no longer get a new node beside the draining one at the max.
     */
    private int[] targetSizes(Cluster cluster) {
        int[] sizes = groupSizes(cluster);
        for (int n = drained.nextSetBit(0); n >= 0; n = drained.nextSetBit(n + 1)) {
            if (cluster.state(n) == Cluster.DRAINING) {
                sizes[cluster.pool(n)]++;
            }
        }
        return sizes;
    }

    /**
     * The pending pods the ready and upcoming nodes cannot take, in queue order: what needs new
     * nodes. (CA's "filter out schedulable" plus its accounting for upcoming nodes.) Each of the
     * outputs may be null (not wanted):
     * <ul>
     *   <li>{@code zoneMoves} (from {@link Cluster#newZoneMoves()}) receives the pods the ready and
     *       upcoming nodes take per (group, zone), so that new nodes are planned around them;</li>
     *   <li>{@code upcoming} receives per group with its own hostname spread the upcoming nodes that
     *       are domains of it and the fewest of its pods on them after the pods they take
     *       ({@link Headroom#upcomingFloors}): CA's snapshot holds those nodes when it estimates new
     *       ones;</li>
     *   <li>{@code coMoved} receives in [0] per group with required pod affinity on the hostname the
     *       target pods the ready and upcoming nodes take ({@link Headroom#coMovedAnywhere}; null when
     *       no group has such affinity): they run somewhere once scheduled, so a pod of such a group
     *       is no first of a series, and a new node helps it only beside a target placed on that node
     *       too.</li>
     * </ul>
     */
    static int[] unhelpedPending(Cluster cluster, int[][] scratch, int[] zoneMoves, int[][] upcoming, int[][] coMoved, int expendable) {
        return unhelpedPending(cluster, scratch, zoneMoves, upcoming, coMoved, expendable, null, 0, null, false, null, false, null);
    }

    /**
     * As above, with the first {@code drainedCount} of {@code drained}, pods still on nodes CA is
     * draining, after the pending ones: CA's pod list processors add them ("currently drained
     * nodes", after expendable pods are filtered out) before filtering out the schedulable ones. With
     * {@code snapshot} (null: none), it receives the pods placed on ready nodes, which stay in CA's
     * snapshot for its scale-down, and, with {@code plannerCopies} (CA), then the planner's copies of the
     * drained pods, placed again on the ready and upcoming nodes ({@code injectOngoingActuation}); it
     * fails when one finds no node. Without (Karpenter), the drained pods leave their zone's counts first. With {@code ranks}
     * (per group its place in a queue; null: none) the pods are placed in that queue's order, then by pod number, rather than
     * pending first in the order they queued, then the drained ones. With {@code hostnameFloorZero} (Karpenter) the hard
     * hostname spreads' fewest is 0, as Karpenter's topology counts it in every Solve ({@link Headroom#hostnameFloorZero}).
     * With {@code inFlightShortfall} (per pool, what its node's allocatable holds beyond Karpenter's estimate; null: none) a
     * node still provisioning offers only the estimate, as an uninitialized NodeClaim offers its status's allocatable
     * (karpenter {@code state/statenode.go} {@code Allocatable()}), while a ready node offers what it really has.
     */
    static int[] unhelpedPending(Cluster cluster, int[][] scratch, int[] zoneMoves, int[][] upcoming, int[][] coMoved, int expendable,
                                 int[] drained, int drainedCount, SnapshotPods snapshot, boolean plannerCopies, int[] ranks,
                                 boolean hostnameFloorZero, long[][] inFlightShortfall) {
        return unhelpedPending(cluster, scratch, zoneMoves, upcoming, coMoved, expendable, drained, drainedCount, snapshot, plannerCopies,
                ranks, hostnameFloorZero, inFlightShortfall, null, false);
    }

    /**
     * As above; with {@code preferences} (Karpenter's, null: none) the ready and upcoming nodes take a pod only where its
     * preferences, as Karpenter's {@code preferencePolicy: Respect} requires them, admit it ({@code relaxed}: no new claim can be
     * made, so a pod no node takes is relaxed a step at a time; {@link KarpenterPreferences}).
     */
    static int[] unhelpedPending(Cluster cluster, int[][] scratch, int[] zoneMoves, int[][] upcoming, int[][] coMoved, int expendable,
                                 int[] drained, int drainedCount, SnapshotPods snapshot, boolean plannerCopies, int[] ranks,
                                 boolean hostnameFloorZero, long[][] inFlightShortfall, KarpenterPreferences preferences, boolean relaxed) {
        try (Headroom room = new Headroom(cluster, true, hostnameFloorZero)) {
            return unhelpedPending(cluster, scratch, zoneMoves, upcoming, coMoved, expendable, drained, drainedCount, snapshot,
                    plannerCopies, ranks, inFlightShortfall, preferences, relaxed, room);
        }
    }

    /**
     * As above, on {@code room} (ready and upcoming nodes), which the caller opened and closes: its what-if placements stay for
     * the caller (Karpenter's launch asks the nodes again after relaxing a pod, as upstream's {@code trySchedule} does). Null only
     * when no pod is pending and none is drained: it is not asked then.
     */
    static int[] unhelpedPending(Cluster cluster, int[][] scratch, int[] zoneMoves, int[][] upcoming, int[][] coMoved, int expendable,
                                 int[] drained, int drainedCount, SnapshotPods snapshot, boolean plannerCopies, int[] ranks,
                                 long[][] inFlightShortfall, KarpenterPreferences preferences, boolean relaxed, Headroom room) {
        int n = cluster.pendingPods(scratch);
        if (expendable != Integer.MIN_VALUE) {
            // Expendable pods trigger no scale-up (core/podlistprocessor filter_out_expendable.go, core/utils/expendable.go).
            n = ExpendableLoad.withoutExpendable(cluster, scratch[0], n, expendable);
        }
        if (drainedCount > 0) {
            if (scratch[0].length < n + drainedCount) {
                scratch[0] = Arrays.copyOf(scratch[0], n + drainedCount);
            }
            System.arraycopy(drained, 0, scratch[0], n, drainedCount);
            n += drainedCount;
        }
        if (ranks != null && n > 1) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = (long) ranks[cluster.offset(scratch[0][i]) / DemandTable.D] << 32 | scratch[0][i];
            }
            Arrays.sort(keys);
            for (int i = 0; i < n; i++) {
                scratch[0][i] = (int) keys[i];
            }
        }
        if (snapshot != null) {
            snapshot.clear();
        }
        if (n == 0) {
            return new int[0];
        }
        int[] out = new int[n];
        int k = 0;
        if (preferences != null) {
            room.respect(preferences, relaxed);
        }
        for (int li = 0; inFlightShortfall != null && li < cluster.liveCount(); li++) {
            int node = cluster.liveNode(li);
            long[] less = inFlightShortfall[cluster.pool(node)];
            if (less != null && cluster.state(node) == Cluster.PROVISIONING) {
                room.withhold(node, less);
            }
        }
        if (drainedCount > 0 && !plannerCopies) {
            // Karpenter schedules the pods of nodes being deleted as pods to place: they no longer count where they run.
            // (CA's snapshot keeps them on their tainted node beside the copies it schedules.)
            room.liftHeldDrains(new int[1][16]);
        }
        for (int i = 0; i < n; i++) {
            int pod = scratch[0][i];
            int slot = room.place(pod, -1);
            if (slot < 0) {
                out[k++] = pod;
            } else if (snapshot != null && cluster.state(slot) == Cluster.READY) {
                snapshot.add(pod, slot);
            }
        }
        // A pod whose affinity target is queued after it was met before the target had a place:
        // offer the rest again while some get placed, as kube-scheduler requeues such pods when
        // the target is added (otherwise each loop would ask for a node for them anew). Without
        // such rules a pod that found no room finds none later either.
        for (boolean again = cluster.hasDomainTargets(); again; ) {
            again = false;
            int kept = 0;
            for (int i = 0; i < k; i++) {
                int slot = room.place(out[i], -1);
                if (slot < 0) {
                    out[kept++] = out[i];
                } else {
                    again = true;
                    if (snapshot != null && cluster.state(slot) == Cluster.READY) {
                        snapshot.add(out[i], slot);
                    }
                }
            }
            k = kept;
        }
        k = dropSpreadBlocked(cluster, room, out, k);
        room.copyZoneMoves(zoneMoves);
        if (coMoved != null) {
            coMoved[0] = room.coMovedAnywhere();
        }
        if (upcoming != null) {
            int[][] floors = room.upcomingFloors();
            upcoming[0] = floors[0];
            upcoming[1] = floors[1];
        }
        // The planner's copies go on the same snapshot, the scale-up's placements kept, so a
        // drained pod takes room twice in the scale-down simulation; the drained nodes are
        // tainted, so no copy goes back there (planner.go injectPods, ScheduleAnywhere).
        for (int i = 0; i < drainedCount && snapshot != null && plannerCopies; i++) {
            int slot = room.place(drained[i], -1);
            if (slot < 0) {
                snapshot.fail();
                break;
            }
            if (cluster.state(slot) == Cluster.READY) {
                snapshot.add(drained[i], slot);
            }
        }
        return Arrays.copyOf(out, k);
    }

    /**
     * Keeps of the first {@code k} pods of {@code out} those a new node could take as far as their
     * spread over the zones goes; returns how many are kept. A pod whose spread is its only zone rule
     * (not bound to zones) is estimated without a zone, and a node in the wrong zone that does not
     * take it makes the next loop ask for another. That ends once a node lands in a zone its spread
     * admits, but when no zone does on a new node of any pool it may use — every zone holds maxSkew
     * of its pods and there are fewer zones than its minDomains, so the fewest counts as 0 — it
     * would never end: a node every loop, none ever taking the pod, and no scale-down while the
     * scale-ups go on. CA's estimator and Karpenter's scheduling simulation run PodTopologySpread's
     * filter on the new node in its zone, so neither scales up for such a pod. Counted with the pods
     * the ready and upcoming nodes take in this simulation ({@code room}).
     */
    private static int dropSpreadBlocked(Cluster cluster, Headroom room, int[] out, int k) {
        // One zone too: a spread over it under minDomains above 1 holds at most maxSkew pods there (TopologyRules).
        int[] moves = null;
        int kept = 0;
        for (int i = 0; i < k; i++) {
            int pod = out[i];
            int group = cluster.offset(pod) / D;
            if (cluster.zoneConstrains(group) && !cluster.zoneBound(pod)) {
                if (moves == null) {
                    moves = cluster.newZoneMoves();
                    room.copyZoneMoves(moves);
                }
                int at = admittedOnNewNode(cluster, pod, moves);
                if (at < 0) {
                    continue;
                }
                if (cluster.zones() == 1) {
                    // One zone: the new node's zone is known, so the pods kept so far count there (CA's estimator runs the spread's
                    // filter on each template node as it adds pods): 2 of 6 under maxSkew 2 get a node, not all 6.
                    cluster.zoneMoveIn(moves, pod, at, 0, 1);
                }
            }
            out[kept++] = pod;
        }
        return kept;
    }

    /** The first pool of a new node the pod's zone rules admit it on, in some zone; -1 when none. */
    private static int admittedOnNewNode(Cluster cluster, int pod, int[] moves) {
        for (Pool pool : cluster.pools()) {
            if (!pool.fitsEmpty(cluster.demand(), cluster.offset(pod)) || !cluster.allowedOn(pod, pool.index())) {
                continue;
            }
            for (int z = 0; z < cluster.zones(); z++) {
                if (cluster.zoneAdmitsIn(pool.index(), z, pod, moves)) {
                    return pool.index();
                }
            }
        }
        return -1;
    }

    /** A scale-up of {@code pool} by {@code nodes} nodes, the i-th in zone {@code zones[i]} (-1: the pool's balanced zone). */
    private record Option(int pool, int nodes, int[] zones, long helpedCpu, long helpedMem) {
    }

    /** One loop's scale-up, the pools in {@code skip} (null: none) left alone; the pool grown, or -1 when none. */
    private int scaleUp(Cluster cluster, java.util.BitSet skip) {
        if (cluster.pendingCount() == 0 && drainedCount == 0) {
            snapshotPods.clear();
            return -1;
        }
        int[] helped = cluster.hasZoneBoundPods() ? cluster.newZoneMoves() : null;
        int[][] upcoming = new int[2][];
        int[][] coMoved = new int[1][];
        int[] pods = unhelpedPending(cluster, scratch, helped, cluster.floors() == null ? null : upcoming, coMoved, expendableIn(cluster),
                drainedPods, drainedCount, snapshotPods, true, null, false, null);
        if (pods.length == 0) {
            return -1;
        }
        // "Unschedulable pods are very new, waiting one iteration for more" (RunOnce): not for the
        // pods the run starts with, which the warm start gives the nodes CA's earlier loops made.
        if (!cluster.warm()) {
            // Pods younger than --new-pod-scale-up-delay are left out first (filterOutYoungPods).
            pods = withoutYoung(cluster, pods);
            if (pods.length == 0) {
                return -1;
            }
            long until = newUntil(cluster, pods);
            if (until > cluster.now()) {
                newPodsUntil = newPodsUntil == Long.MIN_VALUE ? until : Math.min(newPodsUntil, until);
                return WAIT_FOR_NEW_PODS;
            }
        }
        int[] sizes = targetSizes(cluster);
        List<Option> options = new ArrayList<>();
        for (Pool pool : cluster.pools()) {
            int room = maxNodes - sizes[pool.index()];
            if (room <= 0 || skip != null && skip.get(pool.index())) {
                continue;
            }
            Option o = estimate(cluster, pool, pods, room, helped, upcoming, coMoved[0]);
            // An estimate of no node is no option (the orchestrator's "No pod can fit" for
            // NodeCount 0): the pods it took needed none (their affinity's first pod cannot open
            // one, no zone admits them), and a chosen one would count as a scale-up, restarting
            // --scale-down-delay-after-add every loop while nothing is added.
            if (o != null && o.nodes() > 0) {
                options.add(o);
            }
        }
        if (options.isEmpty()) {
            return -1;
        }
        Option chosen = expand(cluster, options);
        for (int i = 0; i < chosen.nodes; i++) {
            cluster.requestNode(chosen.pool, chosen.zones[i]);
        }
        return chosen.pool;
    }

    /**
     * CA's binpacking estimator for one group: pods that fit its template node, by decreasing
     * (CPU share + memory share), first fit onto as many new nodes as needed, at most {@code room}.
     *
     * <p>Zones: with pods bound to zones (pod affinity or anti-affinity on the zone, a zone
     * selector) the pool is taken as one node group per zone balanced by
     * {@code --balance-similar-node-groups} (what the autoscaler's FAQ advises for zonal workloads),
     * so each new node goes to the zone with the fewest of the pool's nodes among those whose zone
     * rules admit the bound pod that opens it (any zone for another pod: the zone the node group
     * would balance to), and the rules are checked on every new node with the pods the estimate
     * put in each zone and those the upcoming nodes take ({@code helped}; null when no pod is
     * bound, and the estimate has no zones). A bound pod no zone admits is not helped by this pool.
     * A pod with a spread over zones alone is not bound: the node group balances its nodes as it
     * does for any pod, and the scheduler then keeps the spread.
     */
    static Option estimate(Cluster cluster, Pool pool, int[] pods, int room, int[] helped) {
        return estimate(cluster, pool, pods, room, helped, new int[2][], null);
    }

    /** As above, with the upcoming nodes' part of the hostname spreads' fewest ({@link #unhelpedPending}; nulls: none). */
    /**
     * As above, with the target pods of hostname pod affinity that the ready and upcoming nodes take
     * per group ({@code coMoved}, from {@link #unhelpedPending}; null: none): counted anywhere, so
     * that a pod whose target goes to an upcoming node does not open a new node as the first of a series.
     */
    static Option estimate(Cluster cluster, Pool pool, int[] pods, int room, int[] helped, int[][] upcoming, int[] coMoved) {
        long[] demand = cluster.demand();
        long[] cap = pool.podCapacity();
        int cpu = Resource.CPU.ordinal();
        int mem = Resource.MEMORY.ordinal();
        List<Integer> fitting = new ArrayList<>();
        for (int pod : pods) {
            if (pool.fitsEmpty(demand, cluster.offset(pod)) && cluster.allowedOn(pod, pool.index())) {
                fitting.add(pod);
            }
        }
        if (fitting.isEmpty()) {
            return null;
        }
        double capCpu = Math.max(1, cap[cpu]);
        double capMem = Math.max(1, cap[mem]);
        fitting.sort((a, b) -> {
            int oa = cluster.offset(a);
            int ob = cluster.offset(b);
            double sa = demand[oa + cpu] / capCpu + demand[oa + mem] / capMem;
            double sb = demand[ob + cpu] / capCpu + demand[ob + mem] / capMem;
            int c = Double.compare(sb, sa);
            return c != 0 ? c : Integer.compare(a, b);
        });
        long[] free = new long[Math.min(room, fitting.size()) * D];
        int devices = pool.gpuDevices();
        int[] deviceLoad = new int[Math.min(room, fitting.size()) * devices];
        int nodes = 0;
        long helpedCpu = 0;
        long helpedMem = 0;
        // The estimator's snapshot holds the cluster's nodes and the new ones: a hostname spread's
        // fewest is over both (SnapshotFloors), so a new node may take more than maxSkew of a
        // workload that runs on every existing node, once it holds its first.
        io.nodesizer.engine.SnapshotFloors floors = cluster.floors() == null ? null
                : new io.nodesizer.engine.SnapshotFloors(cluster.floors(), pool.index(), cluster.sharedSpreads(), upcoming[0], upcoming[1]);
        io.nodesizer.engine.ConflictCounts onVirtual = new io.nodesizer.engine.ConflictCounts(cluster.conflicts(), cluster.caps(),
                cluster.sharedSpreads(), floors);
        if (floors != null) {
            floors.bind(onVirtual);
        }
        // Required pod affinity: a pod goes only beside a target pod placed on the new node in this
        // estimate, or anywhere as the first of a series (no target runs or was placed, and it matches its own terms).
        io.nodesizer.engine.CoLocation co = cluster.coLocation();
        io.nodesizer.engine.GroupCounts coVirtual = co == null ? null : new io.nodesizer.engine.GroupCounts(co.tracked(), 1);
        int zones = cluster.zones();
        // Null when no zone rule applies to any pod; else starting from the pods the upcoming nodes take.
        int[] zoneMoves = helped == null ? null : helped.clone();
        int[] zoneOf = new int[free.length / D];
        int[] zoneLoad = new int[zones];
        for (int z = 0; z < zones; z++) {
            zoneLoad[z] = cluster.liveIn(pool.index(), z);
        }
        for (int pod : fitting) {
            int o = cluster.offset(pod);
            int target = -1;
            boolean zoneRuled = zoneMoves != null && cluster.zoneBound(pod);
            boolean coLocated = co != null && co.constrains(o / D);
            int anywhere = coLocated ? cluster.coTargetsAnywhere(o / D) + co.targetsAnywhere(o / D, coVirtual)
                    + (coMoved == null ? 0 : coMoved[o / D]) : 0;
            for (int n = 0; n < nodes && target < 0; n++) {
                if (!onVirtual.admits(n, o / D)) {
                    continue; // required anti-affinity keeps it off this new node
                }
                if (coLocated && !co.admits(o / D, co.targetsOn(o / D, n, coVirtual), anywhere)) {
                    continue;
                }
                if (zoneRuled && !cluster.zoneAdmitsIn(pool.index(), zoneOf[n], pod, zoneMoves)) {
                    continue;
                }
                boolean fits = true;
                for (int r = 0; r < D; r++) {
                    if (demand[o + r] > free[n * D + r]) {
                        fits = false;
                        break;
                    }
                }
                if (fits && demand[o + GPU] > 0 && !GpuDevices.fits(deviceLoad, n * devices, devices, demand[o + GPU])) {
                    fits = false;
                }
                if (fits) {
                    target = n;
                }
            }
            if (target < 0) {
                if (nodes == room || coLocated && !co.admits(o / D, 0, anywhere)) {
                    continue; // no room for another node, or a new node would hold no target beside it
                }
                long admitted = -1L;
                for (int z = 0; z < zones && zoneRuled; z++) {
                    if (!cluster.zoneAdmitsIn(pool.index(), z, pod, zoneMoves)) {
                        admitted &= ~(1L << z);
                    }
                }
                int zone = Cluster.fewestIn(zoneLoad, 0, zones, admitted);
                if (zone < 0) {
                    continue; // no zone's rules admit it on a new node of this pool
                }
                target = nodes++;
                zoneOf[target] = zone;
                if (floors != null) {
                    // Zones are known only where zone rules apply (else the pool balances them later).
                    floors.nodes(nodes, zoneMoves == null ? null : zoneOf);
                }
                zoneLoad[zone]++;
                System.arraycopy(cap, 0, free, target * D, D);
            }
            for (int r = 0; r < D; r++) {
                free[target * D + r] -= demand[o + r];
            }
            onVirtual.add(target, o / D, 1);
            if (coVirtual != null) {
                coVirtual.add(target, 0, o / D, 1);
            }
            if (zoneMoves != null) {
                cluster.zoneMoveIn(zoneMoves, pod, pool.index(), zoneOf[target], 1);
            }
            if (demand[o + GPU] > 0) {
                GpuDevices.take(deviceLoad, target * devices, devices, demand[o + GPU]);
            }
            helpedCpu += demand[o + cpu];
            helpedMem += demand[o + mem];
        }
        // Without zone rules the pool balances its nodes itself, to the zones this estimate assumed.
        int[] zonesOf = zoneMoves == null ? filled(nodes, -1) : Arrays.copyOf(zoneOf, nodes);
        return new Option(pool.index(), nodes, zonesOf, helpedCpu, helpedMem);
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }

    private Option expand(Cluster cluster, List<Option> options) {
        if (options.size() == 1) {
            return options.get(0);
        }
        return switch (settings.expander()) {
            case RANDOM -> options.get(random.nextInt(options.size()));
            case LEAST_WASTE -> best(options, o -> waste(cluster, o), cluster);
            case PRICE -> best(options, o -> {
                double price = cluster.pools().get(o.pool).pricePerHour();
                return Double.isNaN(price) ? Double.MAX_VALUE : price * o.nodes;
            }, cluster);
        };
    }

    /** The option with the lowest score; ties by least waste, then randomly. */
    private Option best(List<Option> options, java.util.function.ToDoubleFunction<Option> score, Cluster cluster) {
        List<Option> bestOnes = new ArrayList<>();
        double bestScore = Double.MAX_VALUE;
        double bestWaste = Double.MAX_VALUE;
        for (Option o : options) {
            double s = score.applyAsDouble(o);
            double w = waste(cluster, o);
            if (s < bestScore - 1e-12 || (Math.abs(s - bestScore) <= 1e-12 && w < bestWaste - 1e-12)) {
                bestOnes.clear();
                bestOnes.add(o);
                bestScore = s;
                bestWaste = w;
            } else if (Math.abs(s - bestScore) <= 1e-12 && Math.abs(w - bestWaste) <= 1e-12) {
                bestOnes.add(o);
            }
        }
        return bestOnes.get(bestOnes.size() == 1 ? 0 : random.nextInt(bestOnes.size()));
    }

    /** least-waste's score: idle CPU fraction plus idle memory fraction of the nodes the option adds. */
    private static double waste(Cluster cluster, Option o) {
        Pool pool = cluster.pools().get(o.pool);
        double cpu = (double) pool.podCapacity()[Resource.CPU.ordinal()] * o.nodes;
        double mem = (double) pool.podCapacity()[Resource.MEMORY.ordinal()] * o.nodes;
        double wasteCpu = cpu <= 0 ? 0 : (cpu - o.helpedCpu) / cpu;
        double wasteMem = mem <= 0 ? 0 : (mem - o.helpedMem) / mem;
        return wasteCpu + wasteMem;
    }

    // ------------------------------------------------------------------ scale-down

    /**
     * The pods still on the nodes this autoscaler is draining (evictions their budgets refused),
     * in node order: CA's pod list processors and its planner treat them as pods to place
     * (processors/pods currently_drained_nodes.go; planner.go {@code currentlyDrainedPods}, the
     * recreatable ones: every pod the replay runs is a controller's). Only CA's own drains hold
     * pods: the cloud's terminations ({@code scheduled}'s falling max) evict every pod at once.
     */
    private void collectDrained(Cluster cluster) {
        drainedCount = cluster.podsOnHeldDrains(drainedScratch);
        drainedPods = drainedScratch[0];
        int expendable = expendableIn(cluster);
        if (drainedCount > 0 && expendable != Integer.MIN_VALUE) {
            // CA's snapshot holds the non-expendable pods alone (static_autoscaler.go), and the drained nodes' pods are read
            // off it (currently_drained_nodes.go, injectOngoingActuation): an expendable pod held there gets no copy.
            drainedCount = ExpendableLoad.withoutExpendable(cluster, drainedPods, drainedCount, expendable);
        }
    }

    private int[] drainedPods = new int[16];
    private int drainedCount;
    private final int[][] drainedScratch = {new int[16]};
    /** What CA's snapshot holds on ready nodes beyond the cluster's pods in this loop ({@link #unhelpedPending}). */
    private final SnapshotPods snapshotPods = new SnapshotPods();
    private final int[][] extraScratch = {new int[4]};
    /** The unneeded pass; false when CA's planner fails its update instead and the loop ends before its scale-down. */
    private boolean findUnneeded(Cluster cluster) {
        if (unneededSince.length < cluster.nodeCount()) {
            int old = unneededSince.length;
            unneededSince = Arrays.copyOf(unneededSince, Math.max(16, cluster.nodeCount() * 2));
            Arrays.fill(unneededSince, old, unneededSince.length, -1);
        }
        long now = cluster.now();
        double threshold = settings.utilisationThreshold();
        java.util.BitSet found = foundUnneeded;
        found.clear();
        // Only ready nodes under the threshold can be unneeded, in node order (the cluster keeps
        // them as nodes change); every other node just loses its unneeded-since time below.
        if (passCluster != cluster) {
            passCluster = cluster;
            hints = new RemovalHints();
            // Expendable pods stay behind when a node's pods move, which only Headroom's pass knows.
            pass = cluster.amountsAlone() && expendableIn(cluster) == Integer.MIN_VALUE ? new UnneededPass(cluster, hints) : null;
            budgets = RemainingBudgets.of(cluster, expendableIn(cluster));
        }
        if (snapshotPods.failed()) {
            // planner.go UpdateClusterState: injectOngoingActuation failed, CleanUpUnneededNodes, an error.
            noteUpdate(now);
            cluster.countScaleDownReset();
            for (int n = unneeded.nextSetBit(0); n >= 0; n = unneeded.nextSetBit(n + 1)) {
                unneededSince[n] = -1;
            }
            unneeded.clear();
            lastUnneededCount = 0;
            settled = false;
            return false;
        }
        int count = orderCandidates(cluster, threshold);
        java.util.BitSet skip = unremovable.at(now);
        java.util.BitSet failed = failedRemoval;
        failed.clear();
        noteUpdate(now);
        int limit = unneededLimit();
        boolean cut;
        if (pass != null) {
            RemovalHints before = cluster.checks() ? hints.copy() : null;
            cut = pass.run(cluster, candidates, count, limit, scratch, skip, found, failed, budgets, snapshotPods);
            if (before != null) {
                java.util.BitSet expected = new java.util.BitSet();
                java.util.BitSet expectedFailed = new java.util.BitSet();
                boolean expectedCut = headroomPass(cluster, count, limit, before, skip, expected, expectedFailed, false);
                if (!expected.equals(found) || !expectedFailed.equals(failed) || expectedCut != cut) {
                    throw new IllegalStateException("the unneeded pass found " + found + " and not " + failed + ", Headroom's "
                            + expected + " and not " + expectedFailed);
                }
                if (!before.sameAs(hints)) {
                    throw new IllegalStateException("the unneeded pass placed pods elsewhere than Headroom's (their hints differ)");
                }
            }
        } else {
            cut = headroomPass(cluster, count, limit, hints, skip, found, failed, true);
        }
        hints.nextPass();
        lastUnneededCount = found.cardinality();
        unremovable.add(failed, now);
        for (int node = found.nextSetBit(0); node >= 0; node = found.nextSetBit(node + 1)) {
            if (unneededSince[node] < 0) {
                unneededSince[node] = now;
            }
        }
        for (int n = unneeded.nextSetBit(0); n >= 0; n = unneeded.nextSetBit(n + 1)) {
            if (!found.get(n)) {
                unneededSince[n] = -1;
            }
        }
        // The candidates' order comes from the last unneeded nodes: while they change, the next
        // loop may find others on the same cluster. So may a pass the limit cut short, while the
        // limit still grows (it is the number found, which cannot change if the set does not,
        // plus 2N, under a bound that rises while the shortest interval between passes falls).
        // While drains hold pods, the snapshot's copies change as they leave: no loop is skipped.
        settled = found.equals(unneeded) && (!cut || minUpdateInterval <= settings.scanInterval()) && drainedCount == 0;
        foundUnneeded = unneeded;
        unneeded = found;
        return true;
    }

    /** Whether the last unneeded pass found the nodes the one before it did: then a loop on the same cluster finds them again. */
    private boolean settled = true;

    /**
     * CA's unneeded-nodes limit (core/scaledown/planner/planner.go, {@code unneededNodesLimit}): a
     * pass stops simulating candidates once it has found this many unneeded nodes, since at most N =
     * {@code maxScaleDownParallelism} go per loop: the nodes the last pass found plus N, plus N as a
     * buffer, and never more than N per loop that fits in the unneeded time, plus N (N &times;
     * max(U, I) / I + N, I the shortest interval between passes so far, which starts at U). With CA's
     * defaults: 20 in the first pass, then at most 20 more per loop, up to 610.
     */
    private int unneededLimit() {
        return unneededLimit(lastUnneededCount, settings.maxScaleDownParallelism(), settings.unneededTime(), minUpdateInterval);
    }

    /** {@link #unneededLimit()} for the last pass's unneeded count, N, the unneeded time and the shortest interval between passes. */
    static int unneededLimit(int lastUnneeded, int n, long unneededTime, long minInterval) {
        long upperBound = (long) n * (Math.max(unneededTime, minInterval) / minInterval) + n;
        return (int) Math.min(Math.min(lastUnneeded + 2L * n, upperBound), Integer.MAX_VALUE);
    }

    /**
     * A pass (CA's {@code UpdateClusterState}) at {@code time}: the shortest interval between passes
     * so far feeds the limit. It starts at the unneeded time (at least one second), as CA's
     * {@code minUpdateInterval} starts at it; CA's first update follows none.
     */
    private void noteUpdate(long time) {
        if (lastUpdate != Long.MIN_VALUE && time > lastUpdate) {
            minUpdateInterval = Math.min(minUpdateInterval, time - lastUpdate);
        }
        lastUpdate = time;
    }

    /**
     * The replay skips loops that would find what the last one did on an unchanged cluster; CA runs
     * them, each one a pass: those on the grid between the last loop and {@code now} are noted. (Every
     * loop passes, so the interval is the scan interval from the second loop in a row on; this shows
     * only where the replay skips loops right after the first.)
     */
    private void noteSkippedLoops(long now) {
        long scan = settings.scanInterval();
        if (lastLoop != Long.MIN_VALUE && now - lastLoop > scan) {
            noteUpdate(lastLoop + scan);
            if (now - lastLoop > 2 * scan) {
                noteUpdate(lastLoop + 2 * scan);
            }
            lastUpdate = now - scan;
        }
        lastLoop = now;
    }

    /** How many nodes the last pass found unneeded (CA's unneeded list, nodes deleted since included). */
    private int lastUnneededCount;
    private long minUpdateInterval;
    private long lastUpdate = Long.MIN_VALUE;
    private long lastLoop = Long.MIN_VALUE;

    /**
     * Puts the ready nodes under {@code threshold} into {@link #candidates} in the order CA simulates
     * them, and returns how many there are: empty nodes first, then those the last loop found
     * unneeded, then the rest, each in node order. CA's default scale-down candidates sorting
     * (cluster-autoscaler main.go: {@code emptycandidates}, then {@code previouscandidates}, whose
     * list is the last unneeded nodes): so a node stays unneeded from loop to loop rather than
     * giving its place to one the pods of an earlier candidate now fill, and an empty node is not
     * made a destination.
     */
    private int orderCandidates(Cluster cluster, double threshold) {
        if (expendableIn(cluster) != Integer.MIN_VALUE) {
            // Their requests count nothing, so a node may be under the threshold that the cluster's index has above it.
            int under = ExpendableLoad.underUtilised(cluster, threshold, settings.gpuUtilisationThreshold(), expendable, expendableUnder,
                    expendableScratch, snapshotPods);
            int n = withoutKept(cluster, expendableUnder[0], under); // read after the call: it may grow the array
            if (candidates.length < n) {
                candidates = new int[n];
            }
            caOrder(expendableUnder[0], n, node -> snapshotEmpty(cluster, node), unneeded, candidates);
            return n;
        }
        int n = 0;
        double gpuThreshold = settings.gpuUtilisationThreshold();
        for (int node = cluster.nextUnderUtilised(0, threshold, gpuThreshold); node >= 0;
             node = cluster.nextUnderUtilised(node + 1, threshold, gpuThreshold)) {
            if (cluster.kept(node)) {
                continue; // a pod the drain rules keep runs there: CA finds the node unremovable (BlockedByPod)
            }
            if (snapshotPods.on(node) && !snapshotPods.underThreshold(cluster, node, threshold, gpuThreshold)) {
                continue; // the snapshot's pods there lift it to the threshold
            }
            if (n == underThreshold.length) {
                underThreshold = Arrays.copyOf(underThreshold, n * 2);
                candidates = Arrays.copyOf(candidates, n * 2);
            }
            underThreshold[n++] = node;
        }
        caOrder(underThreshold, n, node -> snapshotEmpty(cluster, node), unneeded, candidates);
        return n;
    }

    /** Drops from the first {@code n} of {@code nodes} those a pod the drain rules keep runs on; returns how many are left. */
    private static int withoutKept(Cluster cluster, int[] nodes, int n) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!cluster.kept(nodes[i])) {
                nodes[k++] = nodes[i];
            }
        }
        return k;
    }

    /**
     * Writes the first {@code n} of {@code nodes} (in node order) to {@code out} in CA's order:
     * the {@code empty} ones, then those in {@code previous}, then the rest, keeping their order
     * within each. Each node is tested once (a pass per rank tested each three times): the empty
     * ones go straight to {@code out}, the others are kept in {@code nodes}' own first entries,
     * marked (complemented) when not in {@code previous}: {@code nodes} is scratch afterwards.
     */
    static void caOrder(int[] nodes, int n, java.util.function.IntPredicate empty, java.util.BitSet previous, int[] out) {
        int k = 0;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int node = nodes[i];
            if (empty.test(node)) {
                out[k++] = node;
            } else {
                nodes[kept++] = previous.get(node) ? node : ~node;
            }
        }
        for (int i = 0; i < kept; i++) {
            if (nodes[i] >= 0) {
                out[k++] = nodes[i];
            }
        }
        for (int i = 0; i < kept; i++) {
            if (nodes[i] < 0) {
                out[k++] = ~nodes[i];
            }
        }
    }

    /** Scratch for {@link #orderCandidates}: the ready nodes under the threshold in node order; and those nodes in the order CA simulates them. */
    private int[] underThreshold = new int[64];
    private int[] candidates = new int[64];

    /**
     * Where only the free amounts decide where pods go, the pass without the rest ({@link UnneededPass};
     * null otherwise), for the cluster it was made for.
     */
    private UnneededPass pass;
    private Cluster passCluster;
    /** CA's removal simulation's hints, for the cluster of {@link #pass}. */
    private RemovalHints hints;
    /** What the PodDisruptionBudgets allow over a pass, for the cluster of {@link #pass}; null when none covers its pods. */
    private RemainingBudgets budgets;

    /**
     * The unneeded pass on {@link Headroom}, whatever keeps pods off nodes, over the first
     * {@code count} {@link #candidates}, each pod tried on its hinted node first ({@code hints}): sets
     * the nodes it finds unneeded in {@code found} and those whose pods find no place in
     * {@code failed}, and does not simulate the nodes in {@code skip}. Stops once {@code limit} nodes
     * are found ({@link #unneededLimit()}) and says whether it did so before the last candidate.
     * {@code counted}: the nodes budgets hold back count in the result (not when it checks the fast pass).
     */
    private boolean headroomPass(Cluster cluster, int count, int limit, RemovalHints hints, java.util.BitSet skip,
                                 java.util.BitSet found, java.util.BitSet failed, boolean counted) {
        if (count == 0) {
            return false;
        }
        int unneeded = 0;
        if (budgets != null) {
            budgets.begin(counted);
        }
        try (Headroom room = new Headroom(cluster, false)) {
            for (int i = 0; i < snapshotPods.count(); i++) {
                room.reserve(snapshotPods.pod(i), snapshotPods.node(i));
            }
            room.useHints(hints);
            room.leaveExpendable(expendableIn(cluster));
            for (int i = 0; i < count; i++) {
                if (unneeded >= limit) {
                    return true;
                }
                int node = candidates[i];
                if (skip.get(node)) {
                    continue;
                }
                int slot = room.slotOf(node);
                // Pods of a node found unneeded earlier in this pass are planned onto it: CA keeps the
                // destinations of its removal simulation (removing it too would strand those pods), empty or not.
                if (room.received(slot)) {
                    continue;
                }
                int extra = snapshotPods.count() == 0 ? 0 : snapshotPods.podsOn(node, extraScratch);
                if (empty(cluster, node) && extra == 0) {
                    room.closeSlot(slot);
                    found.set(node);
                    unneeded++;
                } else if (budgets != null && budgets.blocks(node)) {
                    failed.set(node); // NotEnoughPdb: unremovable until rechecked
                } else if (room.moveAllFrom(slot, scratch, extraScratch[0], extra)) {
                    found.set(node);
                    unneeded++;
                    if (budgets != null) {
                        budgets.take(node);
                    }
                } else {
                    failed.set(node);
                }
            }
        }
        return false;
    }

    /**
     * Deletes the nodes unneeded for the unneeded time, within CA's budgets for deletions at once:
     * {@code maxScaleDownParallelism} less those in progress, of which {@code maxDrainParallelism}
     * less the drains in progress may have pods; empty nodes first, then those to drain, each in
     * node order (budgets.go {@code CropNodes}).
     */
    /**
     * When scale-down's cooldown ends (CA's {@code isScaleDownInCooldown}): the delay after add from
     * the last scale-up, and the delay after delete from the last loop that started a deletion.
     */
    private long cooldownEnd() {
        return Math.max(lastScaleUp + settings.delayAfterAdd(), lastDeletion + settings.delayAfterDelete());
    }

    /** When a loop last started a deletion. */
    private long lastDeletion = Long.MIN_VALUE / 2;

    private void scaleDown(Cluster cluster) {
        int emptyInProgress = 0;
        int drainsInProgress = 0;
        for (int n = deleting.nextSetBit(0); n >= 0; n = deleting.nextSetBit(n + 1)) {
            if (cluster.state(n) != Cluster.DRAINING) {
                deleting.clear(n); // gone
                drained.clear(n);
            } else if (drained.get(n)) {
                drainsInProgress++;
            } else {
                emptyInProgress++;
            }
        }
        int budget = settings.maxScaleDownParallelism() - emptyInProgress - drainsInProgress;
        int drainBudget = settings.maxDrainParallelism() - drainsInProgress;
        int[] sizes = null; // counted before the first deletion, when a node is due
        long now = cluster.now();
        for (int round = 0; round < 2; round++) {
            boolean emptyRound = round == 0;
            for (int node = unneeded.nextSetBit(0); node >= 0; node = unneeded.nextSetBit(node + 1)) {
                if (budget <= 0 || !emptyRound && drainBudget <= 0) {
                    return;
                }
                if (cluster.state(node) != Cluster.READY || now - unneededSince[node] < settings.unneededTime()
                        || snapshotEmpty(cluster, node) != emptyRound) {
                    continue;
                }
                if (sizes == null) {
                    sizes = groupSizes(cluster);
                }
                int pool = cluster.pool(node);
                if (sizes[pool] <= minNodes) {
                    continue;
                }
                sizes[pool]--;
                budget--;
                deleting.set(node);
                if (!emptyRound) {
                    drainBudget--;
                    drained.set(node);
                }
                unneededSince[node] = -1;
                unneeded.clear(node);
                cluster.drain(node, settings.evictionRetry(), evictionRanks(cluster));
                lastDeletion = now;
            }
        }
    }

    /**
     * The order a drain's evicted pods reach the scheduler: largest first (decreasing CPU, then memory, as Karpenter's queue
     * ranks them). CA evicts a node's pods at once, each in its own goroutine (actuation/drain.go), so their replacements
     * meet kube-scheduler's queue in no order of CA's choosing; met smallest first, a spreading profile put a small pod on
     * the one node the removal simulation had kept for a large one, which went Pending and got a new node, 10 minutes
     * later drained again (QA 68a F3: 181 scale-ups in two days for 13 openb pods that never changed).
     */
    private static int[] evictionRanks(Cluster cluster) {
        return cluster.largestFirstRanks();
    }

    /** The nodes this autoscaler is deleting (draining until removed), and those of them that had pods. */
    private final java.util.BitSet deleting = new java.util.BitSet();
    private final java.util.BitSet drained = new java.util.BitSet();
}
