package io.nodesizer.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * A replay's timeline: the cluster every {@code step} seconds from 0 to the horizon (and at the horizon), each sample
 * with the highest node and pending counts the cluster held from it until the next one ({@link TimelinePoint#peakNodes}).
 * A sample due at a time with events shows the cluster after all of them, and the peaks count each second's last
 * state only: the replay may run a second instant at the same time (a warm start's extra loop placing the pods the
 * first left pending), and a state that lasted no time (pods pending for 0 s) is no peak.
 */
final class TimelineSampler {
    private final long step;
    private final List<TimelinePoint> points = new ArrayList<>();
    private long next;
    /** The peaks of the last sample's interval so far. */
    private int peakNodes;
    private int peakPending;
    /** The last instant's time and counts, until the clock moves past it. */
    private long instant = -1;
    private int instantNodes;
    private int instantPending;
    private boolean open;

    TimelineSampler(long step) {
        this.step = step;
    }

    /**
     * An instant at {@code t} is about to run: the last second's state counts in its sample's peaks once the clock moves
     * past it, and every sample due before {@code t} is taken, in the state the cluster is in now.
     */
    void before(long t, Cluster c) {
        if (t > instant) {
            settle();
        }
        while (next < t) {
            take(c, next);
        }
    }

    /** An instant at {@code t} ended (the autoscaler's start is one at 0); a later one at the same time replaces it. */
    void instantEnded(long t, Cluster c) {
        instant = t;
        instantNodes = c.billedNodes();
        instantPending = c.pendingCount();
        open = true;
    }

    /** The samples up to and at {@code horizon}, the run over; the timeline. */
    List<TimelinePoint> finish(long horizon, Cluster c) {
        if (instant == horizon) {
            open = false; // the state at the horizon is the horizon's sample, on the grid or not
        }
        settle();
        while (next <= horizon) {
            take(c, next);
        }
        if (points.get(points.size() - 1).t() < horizon) {
            take(c, horizon);
        }
        close();
        return points;
    }

    /** The last second's state into the current sample's peaks, unless it is the state of the sample due at that second. */
    private void settle() {
        if (open && instant < next && !points.isEmpty()) {
            peakNodes = Math.max(peakNodes, instantNodes);
            peakPending = Math.max(peakPending, instantPending);
        }
        open = false;
    }

    private void take(Cluster c, long t) {
        close();
        points.add(new TimelinePoint(t, c.billedNodes(), c.readyNodes(), c.pendingCount(), c.requestedCpu(), c.allocCpu(),
                c.requestedMem(), c.allocMem(), c.billedNodes(), c.pendingCount(), c.requestedGpu(), c.allocGpu()));
        peakNodes = c.billedNodes();
        peakPending = c.pendingCount();
        next = Math.max(next, t + step);
    }

    /** The last sample gets the peaks of its interval. */
    private void close() {
        if (!points.isEmpty()) {
            int last = points.size() - 1;
            points.set(last, points.get(last).withPeaks(peakNodes, peakPending));
        }
    }
}
