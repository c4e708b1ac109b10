package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GroupCounts;
import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.Resource;

import java.util.SplittableRandom;

/**
 * What kube-scheduler plus the Cluster Autoscaler roughly produce: pods one by one in arrival
 * (input) order, no sorting. For each pod the scheduler filters nodes that fit (NodeResourcesFit),
 * scores them with the {@link Scoring} of the NodeResourcesFit plugin over CPU and memory with
 * equal weights, and binds to the highest score, choosing uniformly among ties with the seeded
 * random (kube-scheduler's {@code selectHost} does the same with reservoir sampling). When no node
 * fits, the pod is pending and the autoscaler adds a node, on which it then lands.
 *
 * <p>Faithful details: scores are integers 0..100 computed with integer division as in
 * {@code pkg/scheduler/framework/plugins/noderesources/{least,most}_allocated.go}; scoring uses
 * "non-zero" requests (100m CPU and 200 MiB memory for each container without a request for it,
 * {@link io.nodesizer.model.PodGroup#scoringRequest()}) while fitting uses the real requests; and in large
 * clusters only {@code percentageOfNodesToScore} of the feasible nodes are scored, the adaptive
 * default of {@code numFeasibleNodesToFind} (all nodes below 100; otherwise 50% − nodes/125, at
 * least 5% and at least 100 nodes), searched round-robin from where the last pod's search stopped.
 * Simplification: nodes that can take no remaining pod at all are dropped from the search list;
 * the real scheduler would visit and reject them, which can shift the round-robin start.
 */
public final class KubeScheduler implements PackingStrategy {

    /**
     * Node scoring: the NodeResourcesFit plugin alone ({@code LEAST_ALLOCATED}, {@code MOST_ALLOCATED}),
     * or a scheduler profile's resource scores, NodeResourcesFit plus NodeResourcesBalancedAllocation
     * at their default weights of 1 each ({@code DEFAULT_PROFILE}: LeastAllocated, kube-scheduler's
     * default; {@code BIN_PACKING_PROFILE}: MostAllocated, the documented bin-packing configuration,
     * which keeps the other default plugins). The profiles also run the default profile's
     * preference plugins ({@link PreferenceScoring}: TaintToleration, NodeAffinity,
     * PodTopologySpread with its system defaults, InterPodAffinity); ImageLocality has no images
     * to score here and adds the same to every node.
     */
    public enum Scoring {
        /** Prefer the emptiest node: spreads pods (NodeResourcesFit's default strategy). */
        LEAST_ALLOCATED("kube-least-allocated", true, false),
        /** Prefer the fullest node: bin-packs (the strategy for autoscaled clusters). */
        MOST_ALLOCATED("kube-most-allocated", false, false),
        /** kube-scheduler's default profile: LeastAllocated + BalancedAllocation. */
        DEFAULT_PROFILE("kube-default", true, true),
        /** The bin-packing profile: MostAllocated + BalancedAllocation. */
        BIN_PACKING_PROFILE("kube-bin-packing", false, true);

        private final String strategyName;
        /** Whether NodeResourcesFit prefers the emptiest node (a field, not a switch: the scheduler scores millions of nodes a replay). */
        private final boolean least;
        /** Whether this is a whole profile: BalancedAllocation and the preference plugins score too. */
        private final boolean whole;

        Scoring(String strategyName, boolean least, boolean whole) {
            this.strategyName = strategyName;
            this.least = least;
            this.whole = whole;
        }

        /** The NodeResourcesFit score (0..100) for CPU and memory requested after placing the pod, weights 1 and 1. */
        public long score(long requestedCpu, long allocCpu, long requestedMem, long allocMem) {
            return (resourceScore(requestedCpu, allocCpu) + resourceScore(requestedMem, allocMem)) / 2;
        }

        /**
         * The node's score after placing the pod.
         *
         * @param nonZeroCpu   CPU requested on the node with the pod, counting the non-zero defaults
         *                     (what NodeResourcesFit scores)
         * @param requestedCpu CPU really requested on the node with the pod (what
         *                     BalancedAllocation scores: {@code useRequested})
         * @param balanced     whether BalancedAllocation scores the pod: not for a best-effort pod, whose real cpu and memory
         *                     requests (pod overhead included) are both 0 ({@link #balancedAllocationScores})
         */
        public long score(long nonZeroCpu, long requestedCpu, long allocCpu, long nonZeroMem, long requestedMem, long allocMem,
                          boolean balanced) {
            long fit = score(nonZeroCpu, allocCpu, nonZeroMem, allocMem);
            return whole && balanced
                    ? fit + balancedAllocation(requestedCpu, allocCpu, requestedMem, allocMem) : fit;
        }

        /** Whether this is a whole scheduler profile, which also scores preferences ({@link PreferenceScoring}). */
        public boolean profile() {
            return whole;
        }

        private long resourceScore(long requested, long capacity) {
            if (capacity == 0) {
                return 0;
            }
            if (least) {
                return requested > capacity ? 0 : (capacity - requested) * 100 / capacity;
            }
            return requested > capacity ? 100 : requested * 100 / capacity;
        }
    }

    /**
     * NodeResourcesBalancedAllocation over CPU and memory (0..100), as
     * {@code pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go} computes it
     * (Kubernetes 1.24 on): each fraction requested / allocatable capped at 1, and with two
     * resources the standard deviation is |f_cpu − f_mem| / 2; the score is (1 − std) × 100,
     * truncated. A resource the node has none of is left out (one fraction left: std 0). Since 1.33 it scores no
     * best-effort pod ({@link #balancedAllocationScores}); kubernetes#135573's change to score the pod's effect on the
     * node's balance is not followed.
     */
    public static long balancedAllocation(long requestedCpu, long allocCpu, long requestedMem, long allocMem) {
        if (allocCpu == 0 || allocMem == 0) {
            return 100;
        }
        double cpu = Math.min(1.0, (double) requestedCpu / allocCpu);
        double mem = Math.min(1.0, (double) requestedMem / allocMem);
        double std = Math.abs((cpu - mem) / 2);
        return (long) ((1 - std) * 100);
    }

    /**
     * Whether BalancedAllocation scores a pod whose real requests, pod overhead included, are {@code cpuMillis} and
     * {@code memoryBytes}: not a best-effort pod, whose are both 0. Its {@code PreScore} returns Skip for one since
     * Kubernetes 1.33 ({@code balanced_allocation.go}, {@code resource_allocation.go} {@code isBestEffortPod} over the
     * {@code useRequested} requests; kubernetes#130260, #129138: every such pod went to the most balanced node).
     */
    public static boolean balancedAllocationScores(long cpuMillis, long memoryBytes) {
        return (cpuMillis | memoryBytes) != 0; // requests are never negative
    }

    private static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    private static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

    private final Scoring scoring;

    public KubeScheduler(Scoring scoring) {
        this.scoring = scoring;
    }

    @Override
    public String name() {
        return scoring.strategyName;
    }

    @Override
    public void pack(PackingProblem problem, NodeLedger ledger, int[] assignment, SplittableRandom random) {
        int[] order = problem.schedulableGroups(); // arrival order
        long[] min = DecreasingOrder.suffixMinima(problem, order);
        long[] demand = problem.flatDemand();
        int[] dims = problem.activeDims();
        DemandTable table = problem.table();
        long[] scored = table.flatScoring(); // what NodeResourcesFit counts: the defaults of containers without requests
        int cpu = Resource.CPU.ordinal();
        int mem = Resource.MEMORY.ordinal();
        // Scores are relative to the node's whole allocatable, DaemonSet pods included.
        long allocCpu = problem.shape().allocatable().cpuMillis();
        long allocMem = problem.shape().allocatable().memoryBytes();
        // What scoring counts of the DaemonSet pods: a node's NonZeroRequested sums theirs as every pod's.
        long dsCpu = problem.daemonSetScoring().cpuMillis();
        long dsMem = problem.daemonSetScoring().memoryBytes();
        // Where the DaemonSets differ by zone, a node's are those of its zone.
        io.nodesizer.model.Resources[] zoneScoring = problem.zoneCapacities() == null ? null
                : problem.zoneScorings().toArray(io.nodesizer.model.Resources[]::new);
        long[] nonZeroCpu = new long[64];
        long[] nonZeroMem = new long[64];
        LiveNodes live = new LiveNodes();
        int startNode = 0;
        HighestScore selection = new HighestScore();
        // The profiles also score preferences (spread, preferred terms); the NodeResourcesFit strategies do not.
        PreferenceScoring preferences = scoring.profile()
                ? PreferenceScoring.of(table, java.util.List.of(problem.shape()), ledger.zones()) : null;
        GroupCounts counts = preferences == null ? null : new GroupCounts(preferences.counted(), ledger.zones());
        PreferenceScoring.NodePlaces places = preferences == null ? null : PreferenceScoring.NodePlaces.of(node -> 0, ledger::zoneOf);
        Candidates candidates = new Candidates();
        if (ledger.nodeCount() > 0) {
            // Nodes placed before (the pod rules' placement): open, with their pods' non-zero requests and counts.
            int before = ledger.nodeCount();
            nonZeroCpu = java.util.Arrays.copyOf(nonZeroCpu, Math.max(nonZeroCpu.length, Integer.highestOneBit(before) * 2));
            nonZeroMem = java.util.Arrays.copyOf(nonZeroMem, nonZeroCpu.length);
            for (int node = 0; node < before; node++) {
                live.add(node);
                nonZeroCpu[node] = zoneScoring == null ? dsCpu : zoneScoring[ledger.zoneOf(node)].cpuMillis();
                nonZeroMem[node] = zoneScoring == null ? dsMem : zoneScoring[ledger.zoneOf(node)].memoryBytes();
            }
            for (int g = 0; g < table.groupCount(); g++) {
                for (int i = 0; i < table.replicas(g); i++) {
                    int node = assignment[table.firstPod(g) + i];
                    if (node >= 0) {
                        nonZeroCpu[node] += scored[g * DemandTable.D + cpu];
                        nonZeroMem[node] += scored[g * DemandTable.D + mem];
                        if (counts != null) {
                            counts.add(node, ledger.zoneOf(node), g, 1);
                        }
                    }
                }
            }
        }
        for (int p = 0; p < order.length; p++) {
            int g = order[p];
            int offset = g * DemandTable.D;
            long podCpu = scored[offset + cpu];
            long podMem = scored[offset + mem];
            int pod = table.firstPod(g);
            boolean balanced = balancedAllocationScores(demand[offset + cpu], demand[offset + mem]);
            boolean prefer = preferences != null && preferences.scores(g);
            for (int replica = table.replicas(g); replica > 0; replica--) {
                int n = live.size();
                int toFind = feasibleNodesToFind(ledger.nodeCount());
                int start = firstPositionAtOrAfter(live, startNode);
                int found = 0;
                int visited = 0;
                selection.reset();
                candidates.clear();
                for (int step = 0; step < n && found < toFind; step++) {
                    int i = start + step < n ? start + step : start + step - n;
                    visited++;
                    if (live.isDead(i)) {
                        continue;
                    }
                    int node = live.get(i);
                    if (LiveNodes.exhausted(ledger, node, dims, min, p)) {
                        live.kill(i);
                        continue;
                    }
                    if (!ledger.fits(node, demand, offset, dims)) {
                        continue;
                    }
                    found++;
                    // Really requested with the pod: allocatable less what is free for pods (DaemonSets are not free), plus the pod.
                    long realCpu = allocCpu - ledger.free(node, cpu) + demand[offset + cpu];
                    long realMem = allocMem - ledger.free(node, mem) + demand[offset + mem];
                    long score = scoring.score(nonZeroCpu[node] + podCpu, realCpu, allocCpu, nonZeroMem[node] + podMem, realMem, allocMem,
                            balanced);
                    if (prefer) {
                        candidates.add(node, score); // scored once every node to score is known: the plugins normalize over them
                    } else {
                        selection.offer(node, score, random);
                    }
                }
                if (prefer) {
                    candidates.addPreferences(preferences, g, places, counts);
                    candidates.offerAll(selection, random);
                }
                int best = selection.best();
                if (n > 0) {
                    int next = start + visited;
                    int position = next < n ? next : next - n;
                    startNode = live.isDead(position) ? -1 - live.get(position) : live.get(position);
                }
                live.compact();
                if (best < 0) {
                    best = ledger.openFor(g);
                    live.add(best);
                    if (best >= nonZeroCpu.length) {
                        nonZeroCpu = java.util.Arrays.copyOf(nonZeroCpu, nonZeroCpu.length * 2);
                        nonZeroMem = java.util.Arrays.copyOf(nonZeroMem, nonZeroMem.length * 2);
                    }
                    nonZeroCpu[best] = zoneScoring == null ? dsCpu : zoneScoring[ledger.zoneOf(best)].cpuMillis();
                    nonZeroMem[best] = zoneScoring == null ? dsMem : zoneScoring[ledger.zoneOf(best)].memoryBytes();
                }
                ledger.take(best, demand, offset, dims, 1);
                if (counts != null) {
                    counts.add(best, ledger.zoneOf(best), g, 1);
                }
                nonZeroCpu[best] += podCpu;
                nonZeroMem[best] += podMem;
                assignment[pod++] = best;
            }
        }
    }

    /** kube-scheduler's {@code numFeasibleNodesToFind} with the adaptive default percentage. */
    public static int feasibleNodesToFind(int allNodes) {
        if (allNodes < MIN_FEASIBLE_NODES_TO_FIND) {
            return allNodes;
        }
        int percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - allNodes / 125);
        int count = allNodes * percentage / 100;
        return Math.max(count, MIN_FEASIBLE_NODES_TO_FIND);
    }

    /** Position in the live list of the first node with index >= {@code node}, wrapping to 0. */
    private static int firstPositionAtOrAfter(LiveNodes live, int node) {
        int lo = 0;
        int hi = live.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int v = live.get(mid);
            if (v < 0) {
                v = -1 - v;
            }
            if (v < node) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == live.size() ? 0 : lo;
    }
}
