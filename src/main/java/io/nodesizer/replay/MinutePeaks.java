package io.nodesizer.replay;

import java.time.Instant;
import java.util.Arrays;

/**
 * The most billed nodes in each minute of the week over a replay, exact: the count is taken at every instant it
 * changes, where the timeline is only sampled (a sample an hour apart on a six-week run missed the peaks a window's
 * max must cover). Minutes of the week the replay did not reach hold -1.
 */
final class MinutePeaks {
    static final int WEEK_MINUTES = 7 * 24 * 60;
    private final int[] peak = new int[WEEK_MINUTES];
    private final Instant origin;
    private final io.nodesizer.replay.autoscale.WeekClock clock;
    /** Since when {@link #nodes} have been billed. */
    private long from;
    private int nodes;

    MinutePeaks(Instant origin, io.nodesizer.replay.autoscale.WeekClock clock, int nodesAtStart) {
        Arrays.fill(peak, -1);
        this.origin = origin;
        this.clock = clock;
        nodes = nodesAtStart;
    }

    /** The count billed from {@code t} on (called after each instant). */
    void at(long t, int billed) {
        if (billed != nodes) {
            mark(from, t, nodes);
            from = t;
            nodes = billed;
        }
    }

    /** The peaks, once the replay reached {@code horizon}. */
    int[] finish(long horizon) {
        mark(from, Math.max(horizon, from + 1), nodes);
        return peak;
    }

    /** {@code n} nodes over [a, b): every minute of the (local) week the span touches. */
    private void mark(long a, long b, int n) {
        if (b <= a) {
            return;
        }
        if (b - a >= WEEK_MINUTES * 60L) {
            for (int i = 0; i < WEEK_MINUTES; i++) { // a week or more at one count: every minute
                peak[i] = Math.max(peak[i], n);
            }
            return;
        }
        // Local seconds run with the replay's between the zone's offset changes: one offset per stretch.
        long t = a;
        while (t < b) {
            Instant at = origin.plusSeconds(t);
            Instant change = clock.nextTransition(at);
            long end = change == null ? b : Math.min(b, Math.max(t + 1, change.getEpochSecond() - origin.getEpochSecond()));
            long base = clock.secondOfWeek(at) - t; // local second of week of replay second s is base + s (mod a week)
            long first = (base + t) / 60;
            long last = (base + end - 1) / 60;
            for (long m = first; m <= last; m++) {
                int i = (int) Math.floorMod(m, (long) WEEK_MINUTES);
                if (n > peak[i]) {
                    peak[i] = n;
                }
            }
            t = end;
        }
    }
}
