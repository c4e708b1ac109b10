package io.nodesizer.replay.autoscale;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** CA simulates its scale-down candidates empty ones first, then the last loop's unneeded nodes, then the rest. */
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
}
