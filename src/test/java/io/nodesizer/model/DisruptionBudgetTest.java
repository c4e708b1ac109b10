package io.nodesizer.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

final class DisruptionBudgetTest {
    private static final Placement.PodAffinityTerm ALL = new Placement.PodAffinityTerm(Map.of(), List.of(), List.of("shop"), false, false, "");

    private static List<ClusterSnapshot.Pod> pods(int running, int pending) {
        List<ClusterSnapshot.Pod> out = new ArrayList<>();
        for (int i = 0; i < running + pending; i++) {
            out.add(new ClusterSnapshot.Pod("shop", "p" + i, Resources.ZERO, i < running ? "n" : null, i < running ? "Running" : "Pending",
                    "ReplicaSet", "rs", new SourceRef("t", 1), null, null, Placement.ANY));
        }
        return out;
    }

    private static DisruptionBudget budget(Integer status, String min, String max) {
        return new DisruptionBudget("shop", "b", ALL, status, min, max, new SourceRef("t", 1));
    }

    /** As the disruption controller computes it: percentages of the covered pods, rounded up. */
    @Test
    void allowedDisruptionsFollowTheController() {
        assertThat(budget(null, "50%", null).allowed(pods(3, 0))).isEqualTo(1);   // desired ⌈1.5⌉ = 2
        assertThat(budget(null, null, "34%").allowed(pods(3, 0))).isEqualTo(2);   // unavailable ⌈1.02⌉ = 2, desired 1
        assertThat(budget(null, "3", null).allowed(pods(3, 0))).isZero();
        assertThat(budget(null, null, "1").allowed(pods(2, 1))).isZero();         // one already missing
        assertThat(budget(null, null, "0").allowed(pods(4, 0))).isZero();
        assertThat(budget(null, null, null).allowed(pods(2, 0))).isZero();           // neither set: the controller expects none
        assertThat(budget(null, "0", null).allowed(pods(2, 0))).isEqualTo(2);
        assertThat(budget(0, null, "5").allowed(pods(9, 0))).isZero();            // the status wins
        assertThat(budget(2, "100%", null).allowed(pods(1, 0))).isEqualTo(2);
    }

    /**
     * Healthy as countHealthyPods counts it: Ready and not being deleted. Three Running pods of
     * which one is not Ready and one is terminating leave one healthy: with minAvailable 1 no
     * eviction is allowed, where counting Running pods would allow two.
     */
    @Test
    void onlyReadyPodsThatAreNotBeingDeletedAreHealthy() {
        List<ClusterSnapshot.Pod> pods = new ArrayList<>();
        Boolean[] ready = {true, false, true};
        boolean[] terminating = {false, false, true};
        for (int i = 0; i < 3; i++) {
            pods.add(new ClusterSnapshot.Pod("shop", "p" + i, Resources.ZERO, "n", "Running", "ReplicaSet", "rs", new SourceRef("t", 1), null,
                    null, Placement.ANY, ready[i], terminating[i]));
        }
        assertThat(pods).extracting(ClusterSnapshot.Pod::healthy).containsExactly(true, false, false);
        assertThat(budget(null, "1", null).allowed(pods)).isZero();
        assertThat(budget(null, "1", null).allowed(pods(3, 0))).isEqualTo(2); // no conditions: Running on a node
    }

    /**
     * The replay's counts (pods expected, pods healthy): desired healthy is never below zero (the controller clamps it), so
     * maxUnavailable beyond the replicas allows no more than the healthy pods; and which specs never allow an eviction.
     */
    @Test
    void allowedFromCountsAndBudgetsThatNeverAllowOne() {
        assertThat(budget(null, null, "5").allowed(3, 3)).isEqualTo(3);          // desired max(0, 3 - 5) = 0
        assertThat(budget(null, null, "1").allowed(3, 2)).isZero();              // one missing already
        assertThat(budget(null, "2", null).allowed(8, 8)).isEqualTo(6);
        assertThat(budget(null, "2", null).allowed(3, 3)).isEqualTo(1);
        assertThat(budget(null, null, "50%").allowed(3, 3)).isEqualTo(2);        // unavailable ceil(1.5) = 2
        assertThat(budget(null, "100%", null).allowed(0, 0)).isZero();
        assertThat(budget(null, "0", null).allowed(0, 0)).isZero();              // no pod expected: none allowed (updatePdbStatus)
        assertThat(budget(null, null, null).allowed(5, 5)).isZero();
        assertThat(budget(null, null, null).allowsNone()).isTrue();
        assertThat(budget(null, null, null).neverHolds()).isFalse();
        assertThat(budget(null, "0", null).neverHolds()).isTrue();
        assertThat(budget(null, null, "100%").neverHolds()).isTrue();
        assertThat(budget(null, null, "0").allowsNone()).isTrue();
        assertThat(budget(null, null, " 0% ").allowsNone()).isTrue();
        assertThat(budget(null, "100%", null).allowsNone()).isTrue();
        assertThat(budget(null, "100", null).allowsNone()).isFalse();            // 100 pods, not all of them
        assertThat(budget(null, "3", null).allowsNone()).isFalse();
        assertThat(budget(null, null, "1").allowsNone()).isFalse();
    }
}
