package io.nodesizer.replay;

/**
 * What a replay measures as it goes: the time integrals of pending pods and of requested and
 * allocatable CPU and memory, and the counts of nodes, scale events, evictions and pods that
 * {@link ReplayResult} reports.
 */
final class ReplayMetrics {
    private double pendingWhileProvisioning;
    private double pendingWithoutProvisioning;
    private double requestedCpuSeconds;
    private double allocCpuSeconds;
    private double requestedMemSeconds;
    private double allocMemSeconds;
    private double requestedGpuSeconds;
    private double allocGpuSeconds;
    private int peakBilled;
    private int scaleUps;
    private int initialNodes;
    private int scaleDowns;
    private long evictions;
    private long arrived;
    private long left;

    /** {@code dt} seconds pass with {@code pending} pods pending and the nodes as they are. */
    void integrate(double dt, int pending, Nodes nodes) {
        if (nodes.provisioning > 0) {
            pendingWhileProvisioning += pending * dt;
        } else {
            pendingWithoutProvisioning += pending * dt;
        }
        requestedCpuSeconds += nodes.requestedCpu * dt;
        allocCpuSeconds += nodes.allocCpu * dt;
        // Sums of non-negative amounts: read unsigned, they stay exact to 2^64 where a long wraps at 2^63 (the shapes' own
        // limits keep thousands of the largest nodes below it).
        requestedMemSeconds += unsigned(nodes.requestedMem) * dt;
        allocMemSeconds += unsigned(nodes.allocMem) * dt;
        requestedGpuSeconds += nodes.requestedGpu * dt;
        allocGpuSeconds += nodes.allocGpu * dt;
    }

    /** An instant ends with {@code billed} nodes billed. */
    void endOfInstant(int billed) {
        peakBilled = Math.max(peakBilled, billed);
    }

    void countScaleUp() {
        scaleUps++;
    }

    void countInitialNode() {
        initialNodes++;
    }

    void countScaleDown() {
        scaleDowns++;
    }

    void countEviction(int pod) {
        evictions++;
        if (pod >= evictionsOf.length) {
            evictionsOf = java.util.Arrays.copyOf(evictionsOf, Math.max(pod + 1, evictionsOf.length * 2));
        }
        int times = ++evictionsOf[pod];
        // The first pod to reach the most keeps it: deterministic, whatever the later ties.
        if (times > mostEvictions) {
            mostEvictions = times;
            mostEvictedPod = pod;
        }
    }

    /**
     * Evictions per pod, for the one evicted most: a run's total can hide one workload churned hundreds of times (QA 65b
     * F1: one pod's waits of 1d19h were the sum of short ones, and nothing said it was evicted again and again).
     */
    private int[] evictionsOf = new int[0];
    private int mostEvictions;
    private int mostEvictedPod = -1;

    /** The pod evicted most often, or -1 when none was. */
    int mostEvictedPod() {
        return mostEvictedPod;
    }

    int mostEvictions() {
        return mostEvictions;
    }

    private int drainsHeld;
    private int drainsGivenUp;
    private int drainsForced;
    private long heldSeconds;
    /** Per PodDisruptionBudget, the evictions it refused during drains, in the order first refused. */
    private final java.util.Map<String, Long> refusals = new java.util.LinkedHashMap<>();

    /** A drain kept pods that PodDisruptionBudgets would not let go. */
    void countDrainHeld() {
        drainsHeld++;
    }

    /** A held drain was given up: its node was not removed after all. */
    void countDrainGivenUp() {
        drainsGivenUp++;
        scaleDowns--;
    }

    private int heldAtEnd;

    /** A drain was still held when the run ended: its node was not removed. */
    void countHeldAtEnd() {
        heldAtEnd++;
        scaleDowns--;
    }

    /** A held drain deleted its pods left at its timeout. */
    void countDrainForced() {
        drainsForced++;
    }

    /** A held drain ended (its pods gone, or given up) {@code seconds} after it began. */
    void countHeldSeconds(long seconds) {
        heldSeconds += seconds;
    }

    /** {@code budget} (a name, or why no one budget does) refused an eviction. */
    void countEvictionRefused(String budget) {
        refusals.merge(budget, 1L, Long::sum);
    }

    ReplayResult.BudgetedDrains budgetedDrains() {
        return new ReplayResult.BudgetedDrains(drainsHeld, drainsGivenUp, drainsForced, heldAtEnd, heldSeconds, refusals, scaleDownResets);
    }

    private long scaleDownResets;

    void countScaleDownReset() {
        scaleDownResets++;
    }

    /** Per PodDisruptionBudget, the node removals it held back, in the order first held. */
    private final java.util.Map<String, Long> budgetHolds = new java.util.LinkedHashMap<>();

    void countBudgetHold(String budget) {
        budgetHolds.merge(budget, 1L, Long::sum);
    }

    java.util.Map<String, Long> budgetHolds() {
        return budgetHolds;
    }

    void countArrival() {
        arrived++;
    }

    void countLeave() {
        left++;
    }

    /** Checks that the counts agree (a failure is a bug). */
    void verify() {
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

    double pendingWhileProvisioning() {
        return pendingWhileProvisioning;
    }

    double pendingWithoutProvisioning() {
        return pendingWithoutProvisioning;
    }

    double cpuUtilisation() {
        return allocCpuSeconds == 0 ? Double.NaN : requestedCpuSeconds / allocCpuSeconds;
    }

    private static double unsigned(long sum) {
        return sum >= 0 ? sum : sum + 0x1p64;
    }

    double memoryUtilisation() {
        return allocMemSeconds == 0 ? Double.NaN : requestedMemSeconds / allocMemSeconds;
    }

    /** Time-weighted GPUs requested / allocatable of ready nodes; NaN where no ready node had a GPU (QA 61c F1). */
    double gpuUtilisation() {
        return allocGpuSeconds == 0 ? Double.NaN : requestedGpuSeconds / allocGpuSeconds;
    }
}
