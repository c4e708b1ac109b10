package io.nodesizer.replay;

/**
 * What happens in a replay, totally ordered by {@link #time()}, then {@link #rank()}, then the
 * sequence in which the event was scheduled. At one instant, capacity appears before it is
 * taken: nodes become ready and pods leave before pods arrive, and the autoscaler looks last, at
 * the state everything else at that instant produced.
 */
public sealed interface Event {
    long time();

    /** Order among events at the same time. */
    int rank();

    /** A node requested earlier finished provisioning and takes pods. */
    record NodeReady(long time, int node) implements Event {
        public int rank() {
            return 0;
        }
    }

    /** A drained node is gone (billing stops). */
    record NodeRemoved(long time, int node) implements Event {
        public int rank() {
            return 1;
        }
    }

    /** A pod is deleted (trace deletion time, or its workload scaled down). */
    record PodLeaves(long time, int pod) implements Event {
        public int rank() {
            return 2;
        }
    }

    /** A pod is created and goes to the scheduler. */
    record PodArrives(long time, int pod) implements Event {
        public int rank() {
            return 3;
        }
    }

    /**
     * kube-scheduler moves pods that failed back to its queue: after their backoff, once a cluster
     * event may have made room, or flushed back after {@code podMaxInUnschedulablePodsDuration}
     * (5 min); those due then that may preempt try again (only when pods differ in priority).
     */
    record Requeue(long time) implements Event {
        public int rank() {
            return 3;
        }
    }

    /**
     * A drain whose pods PodDisruptionBudgets held tries their evictions again ({@link EvictionRetry}); {@code drainStart}
     * names the drain, so that a try left over from one given up is ignored.
     */
    record EvictionRetryDue(long time, int node, long drainStart) implements Event {
        public int rank() {
            return 4;
        }
    }

    /** The autoscaler asked the cloud for a node; its provisioning delay starts now. */
    record NodeRequested(long time, int node) implements Event {
        public int rank() {
            return 4;
        }
    }

    /** The autoscaler's control loop runs. */
    record AutoscalerTick(long time) implements Event {
        public int rank() {
            return 5;
        }
    }
}
