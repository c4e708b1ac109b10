package io.nodesizer.kube;

import io.nodesizer.model.ClusterSnapshot;

import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * The victims preemption would evict on one node, summed as kube-scheduler's
 * {@code pickOneNodeForPreemption} ranks nodes (kubernetes {@code pkg/scheduler/framework/preemption/preemption.go}):
 * the fewest victims whose PodDisruptionBudget they would break, then the lowest highest-victim
 * priority, then the smallest sum of victim priorities, each shifted by MaxInt32 + 1 as upstream
 * sums them (so fewer negative victims weigh less), then the fewest victims. One rule for the
 * replay's {@code Preemption}, analyze's hint and the DaemonSet roll-out of {@code pack --fleet}; so are
 * {@link #mayEvict}, which pods are candidates, and {@link #select}, which of them go.
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

    /**
     * Whether preemption for a pod of {@code priority} may evict {@code running}: one of lower priority
     * ({@code selectVictimsOnNode} takes every such pod as a candidate), and not a static pod. Upstream takes a static
     * pod's mirror too, but deleting the mirror frees nothing: the kubelet keeps running the static pod and creates the
     * mirror again, and the pod nominated into its room is refused at admission. A static pod is no victim here, so a
     * node only its eviction would make room on is no candidate.
     */
    public static boolean mayEvict(ClusterSnapshot.Pod running, int priority) {
        return running.priority() < priority && !running.staticPod();
    }

    /**
     * The victims of {@code selectVictimsOnNode} (kubernetes {@code pkg/scheduler/framework/plugins/defaultpreemption/
     * default_preemption.go}) among {@code n} candidates, most important first ({@code MoreImportantPod}), once the
     * preemptor fits with all of them off: those whose eviction would break a PodDisruptionBudget ({@code breaks}, null
     * when none does; {@code filterPodsWithPDBViolation}) are reprieved first, then the others, each in that order.
     * {@code reprieved} puts candidate i back and says whether the preemptor still fits and passes the filters beside
     * it, leaving it back if so and off if not; {@code evicted} hears of each victim in the order they are chosen.
     * Greedy, as upstream: the fewest victims is not what it looks for.
     */
    public static PreemptionVictims select(int n, boolean[] breaks, IntUnaryOperator priority, IntPredicate reprieved, IntConsumer evicted) {
        PreemptionVictims victims = new PreemptionVictims();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                boolean breaking = breaks != null && breaks[i];
                if (breaking != (pass == 0) || reprieved.test(i)) {
                    continue;
                }
                if (breaking) {
                    victims.addViolating(priority.applyAsInt(i));
                } else {
                    victims.add(priority.applyAsInt(i));
                }
                evicted.accept(i);
            }
        }
        return victims;
    }
}
