package io.nodesizer.replay;

import java.util.PriorityQueue;

/**
 * The replay's agenda. Pod arrivals and departures are known before the run starts, so they are
 * two pre-sorted streams (no heap entries for millions of pods); events the run creates (nodes
 * ready and removed, autoscaler ticks) go to a heap. {@link #poll()} merges them by (time, rank,
 * sequence): deterministic, no wall clock.
 */
final class EventQueue {
    /**
     * A heap entry, with its event's time and rank copied out: {@link #peekTime} runs at every
     * event, and reading them through the event was a call on an interface of six records and a
     * load from another object.
     */
    private record Scheduled(long time, int rank, Event event, long seq) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled o) {
            int c = Long.compare(time, o.time);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(rank, o.rank);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PodStream pods;
    private final int[] byDeparture;
    /** The departure times in that order: the queue reads the next one at every event, and by pod it would be a cache miss. */
    private final long[] departures;
    private int nextArrival;
    private int nextDeparture;
    private final PriorityQueue<Scheduled> heap = new PriorityQueue<>();
    private long seq;

    EventQueue(PodStream pods) {
        this.pods = pods;
        int leaving = 0;
        // Pods that leave a run time after their start get their departure when they start (RunClocks), in the heap.
        for (int p = 0; p < pods.size() && !pods.leavesAfterStart(); p++) {
            if (pods.departure(p) != PodStream.STAYS) {
                leaving++;
            }
        }
        long[] key = new long[leaving];
        int[] pod = new int[leaving];
        int i = 0;
        for (int p = 0; p < pods.size() && !pods.leavesAfterStart(); p++) {
            if (pods.departure(p) != PodStream.STAYS) {
                key[i] = pods.departure(p);
                pod[i++] = p;
            }
        }
        int[] order = PodStream.sortedBy(key, leaving);
        this.byDeparture = new int[leaving];
        this.departures = new long[leaving];
        for (int k = 0; k < leaving; k++) {
            byDeparture[k] = pod[order[k]];
            departures[k] = key[order[k]];
        }
    }

    void add(Event e) {
        heap.add(new Scheduled(e.time(), e.rank(), e, seq++));
    }

    boolean isEmpty() {
        return nextArrival == pods.size() && nextDeparture == byDeparture.length && heap.isEmpty();
    }

    /** Time of the next event, or {@link Long#MAX_VALUE} when none is left. */
    long peekTime() {
        long t = Long.MAX_VALUE;
        if (nextArrival < pods.size()) {
            t = pods.arrival(nextArrival);
        }
        if (nextDeparture < byDeparture.length) {
            t = Math.min(t, departures[nextDeparture]);
        }
        if (!heap.isEmpty()) {
            t = Math.min(t, heap.peek().time);
        }
        return t;
    }

    /** Removes and returns the first event, or null. */
    Event poll() {
        long tArrive = nextArrival < pods.size() ? pods.arrival(nextArrival) : Long.MAX_VALUE;
        long tLeave = nextDeparture < byDeparture.length ? departures[nextDeparture] : Long.MAX_VALUE;
        Scheduled head = heap.peek();
        long tHeap = head == null ? Long.MAX_VALUE : head.time;
        int rankHeap = head == null ? Integer.MAX_VALUE : head.rank;
        // Streams have ranks 2 (leave) and 3 (arrive); the heap holds the others.
        if (head != null && before(tHeap, rankHeap, tLeave, 2) && before(tHeap, rankHeap, tArrive, 3)) {
            return heap.poll().event;
        }
        if (tLeave != Long.MAX_VALUE && tLeave <= tArrive) {
            int p = byDeparture[nextDeparture++];
            return new Event.PodLeaves(tLeave, p);
        }
        if (tArrive != Long.MAX_VALUE) {
            int p = nextArrival++;
            return new Event.PodArrives(tArrive, p);
        }
        return null;
    }

    private static boolean before(long t1, int r1, long t2, int r2) {
        return t1 < t2 || (t1 == t2 && r1 < r2);
    }
}
