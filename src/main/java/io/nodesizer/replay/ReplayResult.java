package io.nodesizer.replay;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a replay measured. Costs are null when a shape used has no price. Pending figures are per
 * pod that arrived and fits some node shape: the seconds it waited for a node in all (a pod
 * evicted by a scale-down and rescheduled adds that wait too); a pod still pending at the end
 * counts until the end.
 *
 * @param pools                       the node shapes the autoscaler could use
 * @param autoscaler                  the model's name
 * @param origin                      the instant of second 0
 * @param horizonSeconds              the run's length, {@code overtimeSeconds} included
 * @param overtimeSeconds             how long the run went on past the trace's end so that work the replay delayed past it
 *                                    ran, its nodes billed meanwhile ({@code --deletions after-start}); 0 otherwise
 * @param nodeHours                   billed node-hours (from request to removal)
 * @param costTotal                   nodeHours × price, summed over shapes
 * @param peakNodes                   most nodes billed at once
 * @param meanNodes                   nodeHours / run length
 * @param pendingPodSeconds           total seconds pods spent pending
 * @param pendingProvisioningSeconds  the part of it while a node was being provisioned
 * @param pendingNoCapacitySeconds    the part of it while no node was on its way (no autoscaler
 *                                    reaction yet, at its max, or a fixed cluster that is full)
 * @param pendingP50Seconds           median per-pod pending time (this and the 95th percentile and the longest wait leave
 *                                    out the pods of {@code pendingAtEndRecent}: the run's end cut their wait, QA 73b F1)
 * @param pendingP95Seconds           95th percentile (nearest rank) of per-pod pending time (a pod's waits summed: an evicted pod waits again);
 *                                    a pod deleted while pending never started and counts above every other, {@link #NEVER}
 *                                    where the percentile falls among such pods
 * @param pendingMaxSeconds           longest per-pod pending time of the pods that waited, those deleted while pending
 *                                    with what they waited (their count beside it)
 * @param podsDelayed                 pods that were pending at all
 * @param pendingAtEnd                pods still pending when the run ended
 * @param pendingAtEndRecent          of them, those that had waited less than the provisioning delay (none for a fixed
 *                                    count) and {@link Replay#RECENT_GRACE_SECONDS} when it ended: arrived too late for any
 *                                    node to come (QA 63b F2)
 * @param unrunPodSeconds             under {@code --deletions after-start}, the run time of pods the trace ran to completion
 *                                    that they had not run when the run ended (pending for good, or past the overtime's
 *                                    cap); null when pods leave at their departures
 * @param deletedWhilePending         pods deleted while pending, before a node took them (a trace's deletion time, a
 *                                    workload's replicas scaled down), never having run (an evicted pod that waits until
 *                                    its deletion ran before: its wait counts as waited)
 * @param deletedWhilePendingByWorkload those pods per workload, in the order first met
 * @param initialNodes                nodes the run started with (ready at time 0)
 * @param scaleUps                    nodes the autoscaler requested after the start
 * @param scaleDowns                  nodes the autoscaler removed (drained; not a drain given up or still held at the end)
 * @param evictions                   pods evicted by scale-downs
 * @param mostEvicted                 the pod evicted most often and how often, or null when none was
 * @param unschedulable               pods that fit no node shape at all
 * @param unschedulableReasons        their reasons, with pod counts
 * @param pendingAtEndReasons         the pods still pending at the end, per workload and why no
 *                                    ready node took them, with pod counts
 * @param budgetHolds                 per PodDisruptionBudget, the times Cluster Autoscaler found a node unremovable
 *                                    because of it ({@code NotEnoughPdb}; each verdict stands for the recheck time-out),
 *                                    in the order first held; empty without budgets and under other autoscalers
 * @param budgetedDrains              the drains PodDisruptionBudgets slowed, held on their nodes until the budgets let their pods go
 * @param podsArrived                 pods that arrived during the run
 * @param cpuUtilisation              time-weighted CPU requested / allocatable of ready nodes
 * @param memoryUtilisation           the same for memory
 * @param gpuUtilisation              the same for GPUs; NaN where no ready node had a GPU
 * @param nodeHoursByShape            node-hours per shape
 * @param timeline                    samples for charts
 * @param slowPodsByHourOfWeek        pods pending longer than the settings' threshold, by the
 *                                    hour of week (UTC, Monday 00:00 = 0) they arrived in; not those of
 *                                    {@code pendingAtEndRecent}, whose wait the run's end cut short
 * @param peakNodesByMinuteOfWeek     the most billed nodes in each minute of the week (UTC, Monday 00:00 = 0) over
 *                                    every week of the run, exact (taken where the count changes, not sampled);
 *                                    -1 for a minute the run did not reach
 * @param events                      events processed
 * @param elapsedNanos                wall-clock time of the run
 * @param sloExcluded                 the pods below the settings' {@code sloMinPriority}, left out of the pending
 *                                    percentiles, maximum, pods delayed, pending at the end and slow pods above (an SLO
 *                                    is judged on those), and their waits; null when no pod was below it
 */
public record ReplayResult(List<Pool> pools, String autoscaler, Instant origin, long horizonSeconds, long overtimeSeconds, double nodeHours,
                           Double costTotal, int peakNodes, double meanNodes, double pendingPodSeconds,
                           double pendingProvisioningSeconds, double pendingNoCapacitySeconds, long pendingP50Seconds,
                           long pendingP95Seconds, long pendingMaxSeconds, long podsDelayed, long pendingAtEnd, long pendingAtEndRecent,
                           Long unrunPodSeconds,
                           long deletedWhilePending, Map<String, Long> deletedWhilePendingByWorkload,
                           int initialNodes, int scaleUps, int scaleDowns, long evictions, MostEvicted mostEvicted, long unschedulable,
                           Map<String, Long> unschedulableReasons, Map<String, Long> pendingAtEndReasons, Map<String, Long> budgetHolds,
                           BudgetedDrains budgetedDrains, long podsArrived, double cpuUtilisation,
                           double memoryUtilisation, double gpuUtilisation, Map<String, Double> nodeHoursByShape, List<TimelinePoint> timeline,
                           long[] slowPodsByHourOfWeek, int[] peakNodesByMinuteOfWeek, long events, long elapsedNanos,
                           SloExcluded sloExcluded) {
    /**
     * The pods a run left out of its pending figures for their priority, below {@code --slo-min-priority}: over-provisioning
     * placeholders wait by design (preempted as real pods come, then pending until room frees; below Cluster Autoscaler's
     * expendable cutoff no node is ever added for them), so their waits would decide every SLO verdict. Reported apart so
     * that nothing is hidden. The pending pod-hours ({@link #pendingPodSeconds}) still count them.
     *
     * @param minPriority   the priority a pod needs to count ({@code --slo-min-priority})
     * @param pods          pods below it that arrived (unschedulable ones aside)
     * @param waited        of them, those that were pending at all
     * @param maxSeconds    the longest wait of one of them (all its waits together), {@link #NEVER} when one was deleted pending
     * @param podSeconds    their waits together, the share of {@link #pendingPodSeconds} that is theirs
     * @param pendingAtEnd  of them, those still pending when the run ended
     * @param pendingAtEndReasons those still pending at the end, per workload and why
     */
    public record SloExcluded(int minPriority, long pods, long waited, long maxSeconds, double podSeconds, long pendingAtEnd,
                              Map<String, Long> pendingAtEndReasons) {
        public SloExcluded {
            pendingAtEndReasons = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pendingAtEndReasons));
        }
    }

    /** The pod a run evicted most often (the first to reach that count) and how many times. */
    public record MostEvicted(String pod, int times) {
    }

    public ReplayResult {
        pools = List.copyOf(pools);
        unschedulableReasons = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unschedulableReasons));
        pendingAtEndReasons = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pendingAtEndReasons));
        deletedWhilePendingByWorkload = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(deletedWhilePendingByWorkload));
        budgetHolds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(budgetHolds));
        java.util.Objects.requireNonNull(budgetedDrains);
        nodeHoursByShape = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(nodeHoursByShape));
        timeline = List.copyOf(timeline);
    }

    /**
     * The drains whose pods PodDisruptionBudgets held on their cordoned nodes (an autoscaler's evictions refused and
     * tried again, {@link EvictionRetry}).
     *
     * @param held        drains that had an eviction refused
     * @param givenUp     of them, drains given up at the autoscaler's time-out (Cluster Autoscaler's
     *                    {@code --max-pod-eviction-time}): the node was uncordoned and kept the pods left
     * @param forced      of them, drains whose pods left were deleted at the time-out (Karpenter's {@code terminationGracePeriod})
     * @param atEnd       of them, drains still held when the run ended: their nodes were not removed (nor counted as scale-downs)
     * @param heldSeconds summed over those drains: from the drain's start to its last pod gone, to giving up, or to the run's end
     * @param refusals    per PodDisruptionBudget, the evictions it refused (a pod two budgets cover under "(more than one
     *                    budget)", a do-not-disrupt pod Karpenter held under "(karpenter.sh/do-not-disrupt)"), counted at every
     *                    try the drain makes (one whose pods can never go before its time-out tries again only then), in
     *                    the order first refused
     * @param scaleDownResets Cluster Autoscaler's loops whose planner found no place for a copy of a pod still on a node
     *                    it was draining ({@code injectOngoingActuation}): each forgot the nodes it had found unneeded
     *                    and deleted none
     */
    public record BudgetedDrains(int held, int givenUp, int forced, int atEnd, long heldSeconds, Map<String, Long> refusals,
                                 long scaleDownResets) {
        public static final BudgetedDrains NONE = new BudgetedDrains(0, 0, 0, 0, 0, Map.of(), 0);
        /** The key of {@link #refusals} for pods Karpenter held because they are annotated do-not-disrupt. */
        public static final String DO_NOT_DISRUPT = "(karpenter.sh/do-not-disrupt)";

        public BudgetedDrains {
            refusals = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(refusals));
        }

        /** With no scale-down reset (every autoscaler but Cluster Autoscaler). */
        public BudgetedDrains(int held, int givenUp, int forced, int atEnd, long heldSeconds, Map<String, Long> refusals) {
            this(held, givenUp, forced, atEnd, heldSeconds, refusals, 0);
        }

        /** Whether no drain was held. */
        public boolean isEmpty() {
            return held == 0;
        }
    }

    /** A pending figure (percentile, maximum) that falls on pods deleted while pending: they never started. */
    public static final long NEVER = Long.MAX_VALUE;

    /** The shape names, comma-separated (one for a single-shape run). */
    public String shapes() {
        return String.join(",", pools.stream().map(Pool::name).toList());
    }

    /** The pods the pending figures count: those that arrived, less the unschedulable and those below sloMinPriority. */
    public long sloPods() {
        return podsArrived - unschedulable - (sloExcluded == null ? 0 : sloExcluded.pods());
    }

    /** Pods pending longer than the settings' threshold over the whole run, those still pending at the end among them. */
    public long slowPods() {
        long n = 0;
        for (long v : slowPodsByHourOfWeek) {
            n += v;
        }
        return n;
    }

    /**
     * Pods the run never started or left waiting: unschedulable on its shapes, or still pending when it ended (a
     * {@code --max-nodes} cap or a fixed count that never had room). A run that leaves pods out is cheap for the wrong
     * reason, so the ranking puts fewer first, as the sweep's summary does. Pods deleted while pending are not among them:
     * a noisy demand adds and removes replicas within a provisioning delay on any cluster, and a handful of those decided
     * rankings whatever the costs (review 59); they weigh through the pending percentiles and the SLO ({@link #meets}).
     * Nor are pods still pending at the end that arrived too late for any node to come ({@link #pendingAtEndRecent}: a trace
     * cut by --duration ended 16 s after two pods arrived, and they decided the ranking, QA 63b F2).
     */
    public long leftOut() {
        return unschedulable + pendingAtEnd - pendingAtEndRecent;
    }

    /**
     * Whether pods arrived and none of them fits a node shape of the run: nothing ran, so no pending figure judges anything,
     * and its $0 prices nothing (QA 75b F1: every pod repelled by a taint read "SLO met" at $0). The pending figures, and so
     * {@link #meets}, are of the pods that fit; a report says "n/a" for such a run, and replay and windows exit 2 when every run
     * is one.
     */
    public boolean placedNone() {
        return podsArrived > 0 && unschedulable >= podsArrived;
    }

    /**
     * Whether the pending time per pod meets an SLO on its 95th percentile, with nobody pending at the end. A pod deleted
     * while pending never started: it counts in the percentile above every pod that did, so that a run whose short jobs
     * mostly never ran misses the SLO (QA 59a: one-minute jobs that each waited a minute for nodes that came after their
     * deletion "met" a 2m SLO), and one such pod in five hundred stays within the 5 % the percentile leaves out. A pod
     * pending at the end that arrived too late for any node ({@link #pendingAtEndRecent}) counts neither here nor in the
     * percentile (QA 73b F1).
     */
    public boolean meets(long pendingSloSeconds) {
        return pendingP95Seconds <= pendingSloSeconds && pendingAtEnd == pendingAtEndRecent;
    }
}
