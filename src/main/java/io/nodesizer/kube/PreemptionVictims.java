package io.nodesizer.kube;

/**
 * The victims preemption would evict on one node, summed as kube-scheduler's
 * {@code pickOneNodeForPreemption} ranks nodes (kubernetes {@code pkg/scheduler/framework/preemption/preemption.go}):
 * the fewest victims whose PodDisruptionBudget they would break, then the lowest highest-victim
 * priority, then the smallest sum of victim priorities, each shifted by MaxInt32 + 1 as upstream
 * sums them (so fewer negative victims weigh less), then the fewest victims. One rule for the
 * replay's {@code Preemption} and analyze's hint.
 */
public final class PreemptionVictims {
    private long violating;
    private long highest = Long.MIN_VALUE;
    private long sum;
    private long count;

    /** Counts one victim of {@code priority}. */
    public void add(int priority) {
        highest = Math.max(highest, priority);
        sum += priority + (1L << 31);
        count++;
    }

    /** Counts one victim of {@code priority} whose eviction breaks a PodDisruptionBudget ({@code filterPodsWithPDBViolation}). */
    public void addViolating(int priority) {
        add(priority);
        violating++;
    }

    /** The victims that break a PodDisruptionBudget. */
    public int violating() {
        return (int) violating;
    }

    public int count() {
        return (int) count;
    }

    /** The highest victim priority (Long.MIN_VALUE when none). */
    public long highest() {
        return highest;
    }

    /** Whether these victims' node comes before {@code other}'s (null: none yet); ties keep the earlier node. */
    public boolean before(PreemptionVictims other) {
        return other == null || java.util.Arrays.compare(new long[] {violating, highest, sum, count},
                new long[] {other.violating, other.highest, other.sum, other.count}) < 0;
    }
}
