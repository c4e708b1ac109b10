package io.nodesizer.replay;

import java.util.Arrays;

/**
 * Each pod's run time under {@code --deletions after-start} ({@link PodStream#leavesAfterStart}), kept as a Job's pod
 * keeps its work: the clock runs while the pod runs and stops when it is evicted (a scale-down's drain, a consolidation, a
 * preemption), so that a pod started again runs what it had left and the time it waited in between delays its end rather
 * than using up its run. Each start queues the pod's leave at its start plus what it has left; a leave queued before an
 * eviction no longer matches the pod's current start and is ignored ({@link #leaves}). Primitive arrays, as the pods'.
 */
final class RunClocks {
    private final PodStream stream;
    private final EventQueue queue;
    /** Per pod the seconds of its traced run time it has not run yet; -1 for a pod that stays (no deletion time). */
    private final long[] remaining;
    /** Per pod when it last started, while it runs with a run time; -1 otherwise. */
    private final long[] since;
    /** Per pod the time of the last leave queued for it (0: none): an event already there serves a start that ends then. */
    private final long[] queued;
    /** The pods that hold the run open ({@link #holds}) running now. */
    private int runningHolding;

    RunClocks(PodStream stream, EventQueue queue) {
        this.stream = stream;
        this.queue = queue;
        int n = stream.size();
        this.remaining = new long[n];
        for (int p = 0; p < n; p++) {
            remaining[p] = stream.runtime(p);
        }
        this.since = new long[n];
        Arrays.fill(since, -1);
        this.queued = new long[n];
    }

    /**
     * When a pod that started at {@code start} with {@code left} seconds to run leaves: at least a second on, so that a
     * job of 0 s still leaves after the instant it started in.
     */
    private static long end(long start, long left) {
        return start + Math.max(1, left);
    }

    /** {@code pod} starts (or starts again after an eviction): its leave is queued for when what it has left has run. */
    void started(int pod, long now) {
        long left = remaining[pod];
        if (left < 0) {
            return;
        }
        since[pod] = now;
        long end = end(now, left);
        if (queued[pod] != end) {
            // A pod evicted and placed again in one instant ends when it would have: the leave queued at its last start,
            // still ahead (end > now), serves again (review 63 item 5: one event and one heap operation more per move).
            queue.add(new Event.PodLeaves(end, pod));
            queued[pod] = end;
        }
        if (holds(pod)) {
            runningHolding++;
        }
    }

    /**
     * Whether {@code pod}'s work holds the run open past the trace's end ({@link Replay}'s overtime): it has a run time and
     * the trace deleted it before its end, or at its last instant with its run over (Succeeded or Failed), so it ran to
     * completion there. Not a pod the trace deleted at its last instant still running (openb gives the pods still running
     * when it was taken its last second: their run is open-ended), nor one deleted after, nor one without a deletion time.
     * The trace's last instant is always some pod's deletion: counted as open-ended whatever its phase, the last job of a
     * trace of finished jobs was never billed for the wait a slower autoscaler gave it (QA 77f F1).
     */
    boolean holds(int pod) {
        if (stream.runtime(pod) < 0) {
            return false;
        }
        long departure = stream.departure(pod);
        return departure < stream.horizon() || departure == stream.horizon() && stream.finishedInTrace(pod);
    }

    /** How many pods that hold the run open ({@link #holds}) run now. */
    int runningHolding() {
        return runningHolding;
    }

    /** Whether a pod that holds the run open runs and has work left after {@code t} (a scan of every pod). */
    boolean runsPast(long t) {
        for (int p = 0; p < since.length; p++) {
            if (since[p] >= 0 && end(since[p], remaining[p]) > t && holds(p)) {
                return true;
            }
        }
        return false;
    }

    /** Seconds of run time {@code pod} has not run by {@code now} (0 for a pod that stays or has run it all). */
    long unrun(int pod, long now) {
        long left = remaining[pod];
        if (left <= 0) {
            return 0;
        }
        return since[pod] >= 0 ? Math.max(0, left - (now - since[pod])) : left;
    }

    /** {@code pod} stops running (evicted, or leaving): its clock stops, what it ran since its start taken off. */
    void stopped(int pod, long now) {
        long s = since[pod];
        if (s < 0) {
            return;
        }
        remaining[pod] = Math.max(0, remaining[pod] - (now - s));
        since[pod] = -1;
        if (holds(pod)) {
            runningHolding--;
        }
    }

    /**
     * Whether a {@link Event.PodLeaves} of {@code pod} at {@code now} is one to act on, the pod in state {@code state}: a
     * running pod's when it is the end of its current run (one queued at an earlier start, before an eviction, is not;
     * nor is one for a pod evicted and pending since, or gone); an unschedulable pod's always ({@link #neverStarts}).
     */
    boolean leaves(int pod, long now, byte state) {
        return switch (state) {
            case Cluster.POD_RUNNING -> since[pod] >= 0 && end(since[pod], remaining[pod]) == now;
            case Cluster.POD_UNSCHEDULABLE -> true;
            default -> false;
        };
    }

    /**
     * {@code pod} arrived fitting no node shape (or no zone that admits it): it never starts, so no start will queue its
     * leave. It leaves at its traced deletion time, the only clock it has, as under {@code --deletions absolute}: staying
     * to the end it would count among its PodDisruptionBudgets' expected pods for good, lowering what they allow after
     * its controller deleted it, and the run's unschedulable count is the same either way.
     */
    void neverStarts(int pod) {
        long d = stream.departure(pod);
        if (d != PodStream.STAYS) {
            queue.add(new Event.PodLeaves(d, pod));
        }
    }
}
