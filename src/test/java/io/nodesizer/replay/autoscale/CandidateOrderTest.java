package io.nodesizer.replay.autoscale;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CA simulates its scale-down candidates empty ones first, then the last loop's unneeded nodes, then
 * the rest, and stops once it has found as many unneeded nodes as its limit.
 */
class CandidateOrderTest {
    @Test
    void emptyThenPreviouslyUnneededThenTheRestEachInNodeOrder() {
        int[] nodes = {1, 3, 4, 7, 8, 10, 12};
        Set<Integer> empty = Set.of(8, 3);
        BitSet previous = new BitSet();
        previous.set(10);
        previous.set(4);
        previous.set(3); // empty too: it goes with the empty ones
        int[] out = new int[nodes.length];
        ClusterAutoscaler.caOrder(nodes, nodes.length, empty::contains, previous, out);
        assertThat(out).containsExactly(3, 8, 4, 10, 1, 7, 12);
    }

    @Test
    void onlyTheFirstNNodesAreOrdered() {
        int[] nodes = {2, 5, 9, 99};
        BitSet previous = new BitSet();
        previous.set(9);
        int[] out = new int[4];
        ClusterAutoscaler.caOrder(nodes, 3, node -> false, previous, out);
        assertThat(out).containsExactly(9, 2, 5, 0);
    }

    @Test
    void theUnneededLimitGrowsBy2NPerPassUpToNPerLoopOfTheUnneededTimePlusN() {
        // CA's defaults: N = 10, 10 min unneeded time. The first pass (the shortest interval still the
        // unneeded time itself): 2N.
        assertThat(ClusterAutoscaler.unneededLimit(0, 10, 600, 600)).isEqualTo(20);
        // Then, every 10 s: the last pass's count + 2N, up to 10 x 60 + 10.
        assertThat(ClusterAutoscaler.unneededLimit(0, 10, 600, 10)).isEqualTo(20);
        assertThat(ClusterAutoscaler.unneededLimit(90, 10, 600, 10)).isEqualTo(110);
        assertThat(ClusterAutoscaler.unneededLimit(600, 10, 600, 10)).isEqualTo(610);
        assertThat(ClusterAutoscaler.unneededLimit(5000, 10, 600, 10)).isEqualTo(610);
        // Loops slower than the unneeded time count as one loop: N + N.
        assertThat(ClusterAutoscaler.unneededLimit(50, 3, 60, 120)).isEqualTo(6);
        // An unneeded time of 0 (CA's interval starts at 1 ns; here 1 s): 2N whatever the count.
        assertThat(ClusterAutoscaler.unneededLimit(7, 10, 0, 1)).isEqualTo(20);
        // The interval does not divide the unneeded time: whole loops (600 / 70 = 8).
        assertThat(ClusterAutoscaler.unneededLimit(500, 10, 600, 70)).isEqualTo(90);
    }
}
