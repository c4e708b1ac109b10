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
    /** The origin's second of the week. */
    private final long base;
    /** Since when {@link #nodes} have been billed. */
    private long from;
    private int nodes;

    MinutePeaks(Instant origin, int nodesAtStart) {
        Arrays.fill(peak, -1);
        base = io.nodesizer.replay.autoscale.Schedule.secondOfWeek(origin);
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

    /** {@code n} nodes over [a, b): every minute of the week the span touches. */
    private void mark(long a, long b, int n) {
        if (b <= a) {
            return;
        }
        long first = (base + a) / 60;
        long last = (base + b - 1) / 60;
        if (last - first >= WEEK_MINUTES) {
            last = first + WEEK_MINUTES - 1; // a week or more at one count: every minute
        }
        for (long m = first; m <= last; m++) {
            int i = (int) (m % WEEK_MINUTES);
            if (n > peak[i]) {
                peak[i] = n;
            }
        }
    }
}
