package io.nodesizer.replay;

/**
 * How an autoscaler's drain meets the eviction API refusing a pod (its PodDisruptionBudget allows no eviction now, or
 * two or more budgets cover it): the pod stays on the cordoned node and its eviction is tried again, after a delay
 * that starts at {@code baseMillis} and doubles per refusal up to {@code maxMillis} (whole seconds here, at least 1),
 * until every pod is gone or {@code timeoutSeconds} after the drain began. Then the drain either gives up (the node is
 * uncordoned and keeps the pods left: Cluster Autoscaler) or deletes the pods left without asking the budgets
 * ({@code forceAtTimeout}: Karpenter's {@code terminationGracePeriod}).
 *
 * @param baseMillis     the delay before the first retry
 * @param maxMillis      the longest delay between tries
 * @param timeoutSeconds seconds from the drain's start to giving up or forcing; {@link #NEVER}: the drain waits as long as it takes
 * @param forceAtTimeout whether the pods left are deleted at the timeout (true) or the drain gives up (false)
 * @param holdsDoNotDisrupt whether pods annotated {@code karpenter.sh/do-not-disrupt: "true"} are held like those the
 *                       budgets refuse (Karpenter's terminator: until the timeout)
 * @param unaskedBelow   pods of a priority below it leave without their budgets being asked: Cluster Autoscaler's
 *                       expendable pods, which are not in its snapshot and so not among the pods its drain evicts (they
 *                       go with the node); {@link Integer#MIN_VALUE}: every pod is asked (Karpenter has no such cutoff)
 */
public record EvictionRetry(long baseMillis, long maxMillis, long timeoutSeconds, boolean forceAtTimeout, boolean holdsDoNotDisrupt,
                            int unaskedBelow) {
    /** A drain that waits for its pods as long as it takes. */
    public static final long NEVER = Long.MAX_VALUE;
    /** Cluster Autoscaler's {@code --max-pod-eviction-time} default, 2m. */
    public static final long CA_MAX_POD_EVICTION_TIME = 120;

    public EvictionRetry {
        if (baseMillis < 1 || maxMillis < baseMillis || timeoutSeconds < 0) {
            throw new IllegalArgumentException("Invalid eviction retry: " + this);
        }
    }

    /**
     * Cluster Autoscaler's drain (actuation/drain.go {@code evictPod}): every pod's eviction tried again every 10 s
     * ({@code DefaultEvictionRetryTime}) while {@code --max-pod-eviction-time} has not passed; a pod not evicted by the
     * first retry at or after it fails the drain, and the node's deletion is given up (its {@code ToBeDeleted} taint
     * removed: schedulable again).
     */
    public static EvictionRetry clusterAutoscaler(long maxPodEvictionTime) {
        return clusterAutoscaler(maxPodEvictionTime, Integer.MIN_VALUE);
    }

    /** As {@link #clusterAutoscaler(long)}, pods below {@code expendableCutoff} (--expendable-pods-priority-cutoff) not asked. */
    public static EvictionRetry clusterAutoscaler(long maxPodEvictionTime, int expendableCutoff) {
        return new EvictionRetry(10_000, 10_000, maxPodEvictionTime, false, false, expendableCutoff);
    }

    /**
     * Karpenter's terminator: refused evictions go back to its eviction queue with a per-pod backoff of 100 ms doubling
     * up to 10 s ({@code evictionQueueBaseDelay}, {@code evictionQueueMaxDelay}); pods annotated do-not-disrupt are held
     * too ("Pods blocking eviction like PDBs and do-not-disrupt will be respected during draining until the
     * terminationGracePeriod is reached", the NodePool reference); the node waits until its pods are gone, or until the
     * NodePool's {@code terminationGracePeriod} ({@link #NEVER} when unset), when the pods left are deleted.
     */
    public static EvictionRetry karpenter(long terminationGracePeriod) {
        return new EvictionRetry(100, 10_000, terminationGracePeriod, true, true, Integer.MIN_VALUE);
    }

    /**
     * The time of the first try after the one numbered {@code attempt} (made at {@code at}) that comes at or after
     * {@code deadline}: the tries between follow the backoff.
     */
    public long firstTryAtOrAfter(long at, int attempt, long deadline) {
        long longest = Math.max(1, (maxMillis + 999) / 1000);
        long t = at;
        int k = attempt;
        do { // the delays double up to their longest within 64 tries; from there on they are all that long
            long d = delayAfter(k++);
            t += d;
            if (t < deadline && d == longest) {
                t += (deadline - t + d - 1) / d * d;
            }
        } while (t < deadline);
        return t;
    }

    /** Seconds from the try numbered {@code attempt} (0: the drain's first) to the next: the backoff, in whole seconds. */
    public long delayAfter(int attempt) {
        long millis = baseMillis;
        for (int i = 0; i < attempt && millis < maxMillis; i++) {
            millis *= 2;
        }
        return Math.max(1, (Math.min(millis, maxMillis) + 999) / 1000);
    }
}
