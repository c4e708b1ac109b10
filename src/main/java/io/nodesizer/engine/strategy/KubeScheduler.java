package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
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
 * "non-zero" requests (100m CPU and 200 MB memory for a pod that requests none, as
 * {@code schedutil.GetNonzeroRequests} does) while fitting uses the real requests; and in large
 * clusters only {@code percentageOfNodesToScore} of the feasible nodes are scored, the adaptive
 * default of {@code numFeasibleNodesToFind} (all nodes below 100; otherwise 50% − nodes/125, at
 * least 5% and at least 100 nodes), searched round-robin from where the last pod's search stopped.
 * Simplification: nodes that can take no remaining pod at all are dropped from the search list;
 * the real scheduler would visit and reject them, which can shift the round-robin start.
 */
public final class KubeScheduler implements PackingStrategy {

    /** Node scoring of the NodeResourcesFit plugin. */
    public enum Scoring {
        /** Prefer the emptiest node: spreads pods (the default profile's strategy). */
        LEAST_ALLOCATED("kube-least-allocated"),
        /** Prefer the fullest node: bin-packs (the strategy for autoscaled clusters). */
        MOST_ALLOCATED("kube-most-allocated");

        private final String strategyName;

        Scoring(String strategyName) {
            this.strategyName = strategyName;
        }

        /** The NodeResourcesFit score (0..100) for CPU and memory requested after placing the pod, weights 1 and 1. */
        public long score(long requestedCpu, long allocCpu, long requestedMem, long allocMem) {
            return (resourceScore(requestedCpu, allocCpu) + resourceScore(requestedMem, allocMem)) / 2;
        }

        private long resourceScore(long requested, long capacity) {
            if (capacity == 0) {
                return 0;
            }
            return switch (this) {
                case LEAST_ALLOCATED -> requested > capacity ? 0 : (capacity - requested) * 100 / capacity;
                case MOST_ALLOCATED -> requested > capacity ? 100 : requested * 100 / capacity;
            };
        }
    }

    /** What scoring assumes for a pod that requests no CPU ({@code schedutil.DefaultMilliCPURequest}). */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    /** What scoring assumes for a pod that requests no memory ({@code schedutil.DefaultMemoryRequest}). */
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

    /** The CPU request scoring counts ({@code schedutil.GetNonzeroRequests}): the default for a pod that requests none. */
    public static long nonZeroMilliCpu(long request) {
        return request == 0 ? DEFAULT_MILLI_CPU_REQUEST : request;
    }

    /** The memory request scoring counts: the default for a pod that requests none. */
    public static long nonZeroMemory(long request) {
        return request == 0 ? DEFAULT_MEMORY_REQUEST : request;
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
        int cpu = Resource.CPU.ordinal();
        int mem = Resource.MEMORY.ordinal();
        // Scores are relative to the node's whole allocatable, DaemonSet pods included.
        long allocCpu = problem.shape().allocatable().cpuMillis();
        long allocMem = problem.shape().allocatable().memoryBytes();
        long dsCpu = problem.daemonSetLoad().cpuMillis();
        long dsMem = problem.daemonSetLoad().memoryBytes();
        long[] nonZeroCpu = new long[64];
        long[] nonZeroMem = new long[64];
        LiveNodes live = new LiveNodes();
        int startNode = 0;
        HighestScore selection = new HighestScore();
        for (int p = 0; p < order.length; p++) {
            int g = order[p];
            int offset = g * DemandTable.D;
            long podCpu = nonZeroMilliCpu(demand[offset + cpu]);
            long podMem = nonZeroMemory(demand[offset + mem]);
            int pod = table.firstPod(g);
            for (int replica = table.replicas(g); replica > 0; replica--) {
                int n = live.size();
                int toFind = feasibleNodesToFind(ledger.nodeCount());
                int start = firstPositionAtOrAfter(live, startNode);
                int found = 0;
                int visited = 0;
                selection.reset();
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
                    selection.offer(node, scoring.score(nonZeroCpu[node] + podCpu, allocCpu, nonZeroMem[node] + podMem, allocMem), random);
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
                    nonZeroCpu[best] = dsCpu;
                    nonZeroMem[best] = dsMem;
                }
                ledger.take(best, demand, offset, dims, 1);
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
