package io.nodesizer.replay;

/**
 * The cluster at one instant of a replay (after every event at that instant), and the highest node and pending counts
 * until the next sample: a sample alone misses a peak between two (a node that lived 30 s between minute samples), and
 * charts drawn from the samples would then show less than the run's peak.
 *
 * @param t                      seconds from the run's start
 * @param nodes                  billed nodes: provisioning, ready or draining
 * @param readyNodes             nodes that take pods
 * @param pendingPods            pods waiting for a node
 * @param cpuRequestedMillis     CPU requested by pods and DaemonSets on ready nodes
 * @param cpuAllocatableMillis   allocatable CPU of ready nodes
 * @param memoryRequestedBytes   memory requested by pods and DaemonSets on ready nodes
 * @param memoryAllocatableBytes allocatable memory of ready nodes
 * @param peakNodes              the most billed nodes at the end of any instant from {@code t} to the next sample
 *                               (excluded); at least {@code nodes}
 * @param peakPendingPods        the most pending pods likewise; at least {@code pendingPods}
 * @param gpuRequestedMillis     GPUs (thousandths) requested by pods on ready nodes
 * @param gpuAllocatableMillis   allocatable GPUs (thousandths) of ready nodes
 */
public record TimelinePoint(long t, int nodes, int readyNodes, int pendingPods, long cpuRequestedMillis,
                            long cpuAllocatableMillis, long memoryRequestedBytes, long memoryAllocatableBytes,
                            int peakNodes, int peakPendingPods, long gpuRequestedMillis, long gpuAllocatableMillis) {
    public TimelinePoint {
        if (peakNodes < nodes || peakPendingPods < pendingPods) {
            throw new IllegalArgumentException("A peak below its sample: " + nodes + " nodes, peak " + peakNodes + "; "
                    + pendingPods + " pending, peak " + peakPendingPods);
        }
    }

    /** A sample without GPUs. */
    public TimelinePoint(long t, int nodes, int readyNodes, int pendingPods, long cpuRequestedMillis,
                         long cpuAllocatableMillis, long memoryRequestedBytes, long memoryAllocatableBytes, int peakNodes, int peakPendingPods) {
        this(t, nodes, readyNodes, pendingPods, cpuRequestedMillis, cpuAllocatableMillis, memoryRequestedBytes, memoryAllocatableBytes,
                peakNodes, peakPendingPods, 0, 0);
    }

    /** A sample whose interval held nothing above it. */
    public TimelinePoint(long t, int nodes, int readyNodes, int pendingPods, long cpuRequestedMillis,
                         long cpuAllocatableMillis, long memoryRequestedBytes, long memoryAllocatableBytes) {
        this(t, nodes, readyNodes, pendingPods, cpuRequestedMillis, cpuAllocatableMillis, memoryRequestedBytes,
                memoryAllocatableBytes, nodes, pendingPods);
    }

    /** This sample with its interval's peaks. */
    TimelinePoint withPeaks(int peakNodes, int peakPendingPods) {
        return new TimelinePoint(t, nodes, readyNodes, pendingPods, cpuRequestedMillis, cpuAllocatableMillis, memoryRequestedBytes,
                memoryAllocatableBytes, peakNodes, peakPendingPods, gpuRequestedMillis, gpuAllocatableMillis);
    }
}
