package io.nodesizer.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * A replay's timeline: the cluster every {@code step} seconds from 0 to the horizon (and at the horizon), each sample
 * with the highest node and pending counts that the ends of instants reached from it until the next one
 * ({@link TimelinePoint#peakNodes}), so that its highest is the run's peak. A sample due at a time with events shows the
 * cluster after all of them: the replay may run a second instant at the same time (a warm start's extra loop), so the
 * sample is taken once the clock has moved past it.
 */
final class TimelineSampler {
    private final long step;
    private final List<TimelinePoint> points = new ArrayList<>();
    private long next;
    /** The peaks of the last sample's interval so far. */
    private int peakNodes;
    private int peakPending;
    /** The peaks of instants at the time of the sample due next, before it is taken. */
    private int dueNodes;
    private int duePending;

    TimelineSampler(long step) {
        this.step = step;
    }

    /** Samples, in the state the cluster is in now, every sample time before {@code t} (an instant about to be run). */
    void before(long t, Cluster c) {
        while (next < t) {
            take(c, next);
        }
    }

    /** An instant at {@code t} ended (the autoscaler's start is one at 0): its counts go into the peaks of their sample. */
    void instantEnded(long t, Cluster c) {
        if (t == next) {
            dueNodes = Math.max(dueNodes, c.billedNodes());
            duePending = Math.max(duePending, c.pendingCount());
        } else {
            peakNodes = Math.max(peakNodes, c.billedNodes());
            peakPending = Math.max(peakPending, c.pendingCount());
        }
    }

    /** The samples up to and at {@code horizon}, the run over; the timeline. */
    List<TimelinePoint> finish(long horizon, Cluster c) {
        while (next <= horizon) {
            take(c, next);
        }
        if (points.get(points.size() - 1).t() < horizon) {
            take(c, horizon);
        }
        close();
        return points;
    }

    private void take(Cluster c, long t) {
        close();
        points.add(new TimelinePoint(t, c.billedNodes(), c.readyNodes(), c.pendingCount(), c.requestedCpu(), c.allocCpu(),
                c.requestedMem(), c.allocMem()));
        peakNodes = Math.max(c.billedNodes(), t == next ? dueNodes : 0);
        peakPending = Math.max(c.pendingCount(), t == next ? duePending : 0);
        dueNodes = 0;
        duePending = 0;
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
