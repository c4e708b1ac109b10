package io.nodesizer.replay;

/**
 * The cluster at one instant of a replay (after every event at that instant).
 *
 * @param t                      seconds from the run's start
 * @param nodes                  billed nodes: provisioning, ready or draining
 * @param readyNodes             nodes that take pods
 * @param pendingPods            pods waiting for a node
 * @param cpuRequestedMillis     CPU requested by pods and DaemonSets on ready nodes
 * @param cpuAllocatableMillis   allocatable CPU of ready nodes
 * @param memoryRequestedBytes   memory requested by pods and DaemonSets on ready nodes
 * @param memoryAllocatableBytes allocatable memory of ready nodes
 */
public record TimelinePoint(long t, int nodes, int readyNodes, int pendingPods, long cpuRequestedMillis,
                            long cpuAllocatableMillis, long memoryRequestedBytes, long memoryAllocatableBytes) {
}
