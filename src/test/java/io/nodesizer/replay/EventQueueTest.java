package io.nodesizer.replay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/** The agenda's total order: time, then kind (capacity appears before it is taken), then sequence. */
class EventQueueTest {

    @Test
    void ordersByTimeThenKindThenSequence() {
        PodStream s = ReplayFixtures.stream(1000, List.of(
                new ReplayFixtures.P(1, GIB, 10, 20),
                new ReplayFixtures.P(1, GIB, 5, 10),
                new ReplayFixtures.P(1, GIB, 10, PodStream.STAYS)));
        EventQueue q = new EventQueue(s);
        q.add(new Event.AutoscalerTick(10));
        q.add(new Event.NodeRequested(10, 7));
        q.add(new Event.NodeReady(10, 1));
        q.add(new Event.NodeRemoved(10, 2));
        q.add(new Event.NodeReady(10, 0));
        List<String> order = new ArrayList<>();
        Event e;
        while ((e = q.poll()) != null) {
            order.add(e.time() + ":" + e.getClass().getSimpleName() + ":" + switch (e) {
                case Event.PodArrives a -> s.podName(a.pod());
                case Event.PodLeaves l -> s.podName(l.pod());
                case Event.NodeReady r -> r.node();
                case Event.NodeRemoved r -> r.node();
                case Event.NodeRequested r -> r.node();
                case Event.AutoscalerTick t -> "";
                case Event.Requeue f -> "";
                case Event.EvictionRetryDue d -> d.node();
            });
        }
        // Pods are in arrival order: p1 (5), then p0 and p2 (10, in generation order).
        assertThat(order).containsExactly(
                "5:PodArrives:p1-0",
                "10:NodeReady:1", "10:NodeReady:0", "10:NodeRemoved:2",
                "10:PodLeaves:p1-0",
                "10:PodArrives:p0-0", "10:PodArrives:p2-0",
                "10:NodeRequested:7", "10:AutoscalerTick:",
                "20:PodLeaves:p0-0");
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void radixSortIsStableAndMatchesAComparisonSort() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        long[] key = new long[5000];
        for (int i = 0; i < key.length; i++) {
            key[i] = r.nextInt(4) == 0 ? Long.MAX_VALUE - r.nextInt(3) : r.nextLong(0, 1L << 40) % 977;
        }
        int[] sorted = PodStream.sortedBy(key, key.length);
        Integer[] expected = new Integer[key.length];
        for (int i = 0; i < key.length; i++) {
            expected[i] = i;
        }
        java.util.Arrays.sort(expected, (a, b) -> Long.compare(key[a], key[b]));
        assertThat(sorted).containsExactly(java.util.Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
    }
}
