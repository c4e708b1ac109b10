package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.strategy.KubeScheduler;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resource;
import io.nodesizer.replay.autoscale.Autoscaler;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs one replay: the pods of a {@link PodStream} arrive and leave, the scheduler places them on
 * a {@link Cluster}, the {@link Autoscaler} adds and removes nodes, and the metrics of a
 * {@link ReplayResult} are integrated along the way. Discrete-event and deterministic: time moves
 * from one event to the next, never by the wall clock, and every random choice comes from the seed.
 */
public final class Replay {

    /**
     * @param delay       provisioning delay of a requested node
     * @param drainDelay  seconds from the start of a drain to the node's removal
     * @param seed        seed of every random choice
     * @param scoring     the scheduler's NodeResourcesFit scoring
     * @param sampleStep  seconds between timeline samples; 0 picks about 1,000 samples (at least a minute apart)
     * @param denseTicks  run a periodic autoscaler every period even when nothing changed (for tests)
     * @param warmStart   nodes the autoscaler requests at time 0 are ready at once: the run starts
     *                    from the cluster that already serves the pods present at the start
     * @param slowPodSeconds pods pending longer than this are counted by the hour of week they
     *                    arrived in ({@link ReplayResult#slowPodsByHourOfWeek()}); -1 for none
     * @param zones       zones every pool's nodes are spread over, round-robin; hard topology
     *                    spreads over zones bind from 2 (1: the cluster is one zone)
     * @param zoneNames   the zones' label values ({@code topology.kubernetes.io/zone}), or null when
     *                    they are only counted: a pod's node selector or required node affinity on the
     *                    zone then admits only the zones it names
     * @param clock       the time zone whose week the per-hour and per-minute counts follow ({@code --time-zone})
     * @param sloMinPriority pods of a lower priority are left out of the pending figures an SLO is judged on (percentiles,
     *                    pods delayed, pending at the end, slow pods) and reported apart ({@link ReplayResult#sloExcluded}):
     *                    over-provisioning placeholders wait by design; {@link Integer#MIN_VALUE}: every pod counts
     */
    public record Settings(ProvisionDelay delay, long drainDelay, long seed, KubeScheduler.Scoring scoring,
                           long sampleStep, boolean denseTicks, boolean warmStart, long slowPodSeconds, int zones,
                           List<String> zoneNames, io.nodesizer.replay.autoscale.WeekClock clock, int sloMinPriority) {
        public static final long DRAIN_DELAY = 30;
        /** Zone indexes are kept in a byte per node. */
        public static final int MAX_ZONES = 64;

        public Settings {
            if (drainDelay < 0 || sampleStep < 0 || zones < 1 || zones > MAX_ZONES || zoneNames != null && zoneNames.size() != zones) {
                throw new IllegalArgumentException("Invalid replay settings " + this);
            }
            zoneNames = zoneNames == null ? null : List.copyOf(zoneNames);
            java.util.Objects.requireNonNull(clock, "clock");
        }

        /** Settings under which every pod counts in the pending figures. */
        public Settings(ProvisionDelay delay, long drainDelay, long seed, KubeScheduler.Scoring scoring,
                        long sampleStep, boolean denseTicks, boolean warmStart, long slowPodSeconds, int zones,
                        List<String> zoneNames, io.nodesizer.replay.autoscale.WeekClock clock) {
            this(delay, drainDelay, seed, scoring, sampleStep, denseTicks, warmStart, slowPodSeconds, zones, zoneNames, clock,
                    Integer.MIN_VALUE);
        }

        /** Settings whose zones are only counted. */
        public Settings(ProvisionDelay delay, long drainDelay, long seed, KubeScheduler.Scoring scoring,
                        long sampleStep, boolean denseTicks, boolean warmStart, long slowPodSeconds, int zones) {
            this(delay, drainDelay, seed, scoring, sampleStep, denseTicks, warmStart, slowPodSeconds, zones, null,
                    io.nodesizer.replay.autoscale.WeekClock.UTC);
        }

        public static Settings defaults(ProvisionDelay delay, long seed) {
            return new Settings(delay, DRAIN_DELAY, seed, KubeScheduler.Scoring.MOST_ALLOCATED, 0, false, true, -1, 1);
        }

        public Settings withSlowPods(long seconds) {
            return new Settings(delay, drainDelay, seed, scoring, sampleStep, denseTicks, warmStart, seconds, zones, zoneNames, clock, sloMinPriority);
        }

        public Settings dense() {
            return new Settings(delay, drainDelay, seed, scoring, sampleStep, true, warmStart, slowPodSeconds, zones, zoneNames, clock, sloMinPriority);
        }

        public Settings cold() {
            return new Settings(delay, drainDelay, seed, scoring, sampleStep, denseTicks, false, slowPodSeconds, zones, zoneNames, clock, sloMinPriority);
        }

        /** Nodes spread over {@code count} zones that are only counted (a zone requirement is taken as met). */
        public Settings withZones(int count) {
            return new Settings(delay, drainDelay, seed, scoring, sampleStep, denseTicks, warmStart, slowPodSeconds, count, null, clock, sloMinPriority);
        }

        /** Nodes spread over zones with these names, which node selectors and node affinity on the zone may name. */
        public Settings withZones(List<String> names) {
            return new Settings(delay, drainDelay, seed, scoring, sampleStep, denseTicks, warmStart, slowPodSeconds, names.size(), names,
                    clock, sloMinPriority);
        }

        /** The same settings drawing provisioning delays and tie-breaks from {@code other}. */
        public Settings withSeed(long other) {
            return new Settings(delay, drainDelay, other, scoring, sampleStep, denseTicks, warmStart, slowPodSeconds, zones, zoneNames,
                    clock, sloMinPriority);
        }

        /** Settings that leave pods below {@code priority} out of the pending figures ({@link #sloMinPriority}). */
        public Settings withSloMinPriority(int priority) {
            return new Settings(delay, drainDelay, seed, scoring, sampleStep, denseTicks, warmStart, slowPodSeconds, zones, zoneNames,
                    clock, priority);
        }

        /** Settings whose week is that of {@code clock}'s time zone. */
        public Settings withClock(io.nodesizer.replay.autoscale.WeekClock clock) {
            return new Settings(delay, drainDelay, seed, scoring, sampleStep, denseTicks, warmStart, slowPodSeconds, zones, zoneNames,
                    clock, sloMinPriority);
        }
    }

    private Replay() {
    }

    /** Per group whether its pods keep their node from {@code autoscaler}'s scale-down; null when none does. */
    private static boolean[] keepsNode(DemandTable table, Autoscaler autoscaler) {
        boolean[] keeps = new boolean[table.groupCount()];
        boolean any = false;
        for (int g = 0; g < keeps.length; g++) {
            keeps[g] = autoscaler.keepsNode(table.group(g)) != null;
            any |= keeps[g];
        }
        return any ? keeps : null;
    }

    public static ReplayResult run(PodStream stream, List<Pool> pools, Autoscaler autoscaler, Settings settings) {
        long started = System.nanoTime();
        for (int i = 0; i < pools.size(); i++) {
            if (pools.get(i).index() != i) {
                throw new IllegalArgumentException("pool " + pools.get(i).name() + " has index " + pools.get(i).index() + " at position " + i);
            }
        }
        if (pools.isEmpty()) {
            throw new IllegalArgumentException("a replay needs at least one node shape");
        }
        // A DaemonSet that runs on none of the pools' nodes repels no pod and is no pod's affinity target here.
        stream = stream.runningOn(pools.stream().map(Pool::shape).toList());
        long horizon = stream.horizon();
        DemandTable table = stream.table();
        boolean[] schedulable = new boolean[table.groupCount()];
        Map<String, Long> reasons = unschedulable(stream, pools, schedulable);
        EventQueue queue = new EventQueue(stream);
        Cluster cluster = new Cluster(stream, pools, schedulable, queue, settings.delay(), settings.drainDelay(),
                new SplittableRandom(settings.seed()), settings.scoring(), settings.warmStart(), settings.zones(), settings.zoneNames(),
                keepsNode(table, autoscaler), Budgets.of(table), autoscaler.zoneCounted(table.groups()));
        neverAdmitted(stream, cluster, schedulable, reasons);
        long step = settings.sampleStep() > 0 ? settings.sampleStep() : Math.max(60, (horizon / 1000 + 59) / 60 * 60);
        TimelineSampler timeline = new TimelineSampler(step);
        long period = autoscaler.period();

        autoscaler.start(cluster);
        cluster.endOfInstant();
        timeline.instantEnded(0, cluster);
        MinutePeaks peaks = new MinutePeaks(stream.origin(), settings.clock(), cluster.billedNodes());
        Ticks ticks = new Ticks(period > 0 ? -period : -1);
        ticks.schedule(cluster, autoscaler, queue, settings.denseTicks(), period);
        long events = 0;
        boolean warmSettled = !cluster.warm();
        // The run's end: the trace's, or later while work the trace ran to completion is still running or waiting for a
        // node under --deletions after-start (overtime, Cluster#workLeft), at most a span of the trace later.
        long end = horizon;
        boolean overtime = false;
        boolean decided = false;
        while (true) {
            long t = queue.peekTime();
            if (!warmSettled && t > 0) { // before the horizon's test: a run with nothing after time 0 meets its floors too
                // The warm start's loops at time 0 are over: one more instant at 0, where the autoscaler meets its
                // floors with nodes ready at once, then the clock moves on.
                warmSettled = true;
                autoscaler.warmStartSettled(cluster);
                cluster.endOfInstant();
                timeline.instantEnded(0, cluster);
                peaks.at(0, cluster.billedNodes());
                ticks.schedule(cluster, autoscaler, queue, settings.denseTicks(), period);
                continue;
            }
            if (!decided && t >= horizon) {
                decided = true;
                if (cluster.workLeft(horizon, true, ticks.lastLoop(period))) {
                    overtime = true;
                    end = overtimeCap(horizon);
                }
            }
            if (t > end) {
                break;
            }
            timeline.before(t, cluster);
            cluster.advanceTo(t);
            while (queue.peekTime() == t) {
                Event e = queue.poll();
                if (t == end && (e instanceof Event.AutoscalerTick || e instanceof Event.PodLeaves)) {
                    // The replay covers [0, horizon): a loop at its last instant would request nodes that
                    // bill nothing yet count in the peak and the scale-ups (a window closing at the end). And a pod
                    // that leaves at the end is there at the end: a trace's pods still running when it was taken carry
                    // its last second as their deletion time (openb), and one still pending then is pending at the end.
                    continue;
                }
                events++;
                switch (e) {
                    case Event.NodeReady r -> cluster.onNodeReady(r.node());
                    case Event.NodeRemoved r -> cluster.onNodeRemoved(r.node());
                    case Event.PodLeaves l -> cluster.onPodLeaves(l.pod());
                    case Event.PodArrives a -> cluster.onPodArrives(a.pod());
                    case Event.Requeue f -> cluster.onRequeue();
                    case Event.NodeRequested n -> cluster.onNodeRequested(n.node());
                    case Event.EvictionRetryDue d -> cluster.onEvictionRetry(d.node(), d.drainStart());
                    case Event.AutoscalerTick k -> ticks.run(k.time(), cluster, autoscaler);
                }
            }
            cluster.endOfInstant();
            timeline.instantEnded(t, cluster);
            if (t < horizon) {
                // The week's per-minute peaks are the trace's: overtime minutes would fold onto the week's first ones
                // (a minute of the week modulo a week) and raise windows' caps there (review 63 item 4).
                peaks.at(t, cluster.billedNodes());
            }
            if (overtime && t >= horizon && (t == end || !cluster.workLeft(t, false, ticks.lastLoop(period)))) {
                end = t; // the delayed work is done, or the cap is reached: the nodes are billed to here
                break;
            }
            ticks.schedule(cluster, autoscaler, queue, settings.denseTicks(), period);
        }
        cluster.advanceTo(end);
        cluster.finish();
        cluster.verify();
        return result(stream, end, pools, autoscaler, cluster, schedulable, reasons, timeline.finish(end, cluster), events,
                (autoscaler instanceof io.nodesizer.replay.autoscale.FixedCount ? 0 : settings.delay().maxSeconds()) + RECENT_GRACE_SECONDS,
                settings.slowPodSeconds(), settings.clock(),
                System.nanoTime() - started, peaks.finish(horizon), settings.sloMinPriority());
    }

    /**
     * The latest a run goes on past the trace's end at {@code horizon} (overtime): a span of the trace later. A pod that
     * holds the run open ran less than that in the trace, so one started by the end finishes by then; one that waits or is
     * evicted again and again may not, and its work not run is reported ({@link ReplayResult#unrunPodSeconds}).
     */
    static long overtimeCap(long horizon) {
        return horizon + horizon;
    }

    /** When the autoscaler's loop runs: one tick in the queue at a time; a superseded one is skipped. */
    private static final class Ticks {
        private long lastTick;
        private long queued = Long.MAX_VALUE;
        private long versionAfterTick = -1;
        /** The pods pending when the last loop began. */
        private int pendingBeforeTick;

        Ticks(long lastTick) {
            this.lastTick = lastTick;
        }

        /** When the autoscaler's last loop began, for the overtime's test; {@link Long#MAX_VALUE} when it runs none. */
        long lastLoop(long period) {
            return period > 0 ? lastTick : Long.MAX_VALUE;
        }

        void run(long t, Cluster cluster, Autoscaler autoscaler) {
            if (t != queued) {
                return;
            }
            queued = Long.MAX_VALUE;
            // The scheduler reacts within milliseconds, the autoscaler's loop sees its result.
            cluster.endOfInstant();
            long before = cluster.version();
            pendingBeforeTick = cluster.pendingCount();
            autoscaler.tick(cluster);
            lastTick = t;
            // A loop that acted may act again on its own result (one drain per loop, say), so it
            // counts as a change; a loop that did nothing would do nothing again until something changes.
            versionAfterTick = cluster.version() == before ? before : -1;
        }

        void schedule(Cluster cluster, Autoscaler autoscaler, EventQueue queue, boolean dense, long period) {
            if (cluster.warm() && lastTick == cluster.now() && versionAfterTick == -1 && queued == Long.MAX_VALUE
                    && cluster.pendingCount() > 0 && cluster.pendingCount() < pendingBeforeTick) {
                // A warm start is the cluster the autoscaler's loops have converged to for the pods
                // present at the start. Its estimate packs them as it does (first fit), the scheduler
                // then places them as its profile scores (spreading, with the default profile), and
                // some need another loop's nodes: the loop runs again at once, its nodes ready at
                // once too, while the last one placed more pods (so it ends) and pods still wait.
                // Otherwise they waited a provisioning delay the steady state never had.
                queued = cluster.now();
                queue.add(new Event.AutoscalerTick(queued));
                return;
            }
            long want = autoscaler.nextTick(cluster, lastTick, cluster.version() != versionAfterTick);
            if (dense && period > 0) {
                want = Math.min(want, Autoscaler.nextGrid(cluster.now(), lastTick, period));
            }
            if (want == Long.MAX_VALUE) {
                return;
            }
            want = Math.max(want, Math.max(cluster.now(), lastTick + 1));
            if (want < queued) {
                queued = want;
                queue.add(new Event.AutoscalerTick(want));
            }
        }
    }

    /**
     * Marks the groups whose pod fits an empty node of some pool; returns the reasons of the
     * others with their pod counts, worded for the largest pool.
     */
    private static Map<String, Long> unschedulable(PodStream stream, List<Pool> pools, boolean[] schedulable) {
        DemandTable table = stream.table();
        List<Integer> never = new ArrayList<>();
        for (int g = 0; g < table.groupCount(); g++) {
            for (Pool p : pools) {
                if (p.fitsEmpty(table.group(g))) {
                    schedulable[g] = true;
                    break;
                }
            }
            if (!schedulable[g]) {
                never.add(g);
            }
        }
        Map<String, Long> reasons = new LinkedHashMap<>();
        if (never.isEmpty()) {
            return reasons;
        }
        long[] pods = podsPerGroup(stream);
        // The largest by CPU, then memory, then GPUs (QA 61c F4: of g4dn.metal and p3dn.24xlarge, both 96 vCPU, the first was
        // named though p3dn has twice the memory).
        java.util.Comparator<Pool> size = java.util.Comparator.comparingLong((Pool p) -> p.podCapacity()[Resource.CPU.ordinal()])
                .thenComparingLong(p -> p.podCapacity()[Resource.MEMORY.ordinal()])
                .thenComparingLong(p -> p.podCapacity()[Resource.GPU.ordinal()]);
        Pool largest = pools.get(0);
        for (Pool p : pools) {
            if (size.compare(p, largest) > 0) {
                largest = p;
            }
        }
        return reasonsOn(table, never, pods, largest, pools.size() > 1 ? "fits none of the " + pools.size() + " node shapes; on the largest: " : "");
    }

    /**
     * Why the stream's pods that fit no empty node of {@code pool} cannot run there, with their pod counts; empty when every
     * pod fits one. A mixed run's own reasons are worded for its largest shape only: this gives each shape's (review 75b #3,
     * the message of a replay where no pod fits any shape names every shape's reason).
     */
    public static Map<String, Long> unschedulableOn(PodStream stream, Pool pool) {
        DemandTable table = stream.table();
        List<Integer> never = new ArrayList<>();
        for (int g = 0; g < table.groupCount(); g++) {
            if (!pool.fitsEmpty(table.group(g))) {
                never.add(g);
            }
        }
        long[] pods = podsPerGroup(stream);
        return never.isEmpty() ? new LinkedHashMap<>() : reasonsOn(table, never, pods, pool, "");
    }

    /** The stream's pods per group. */
    private static long[] podsPerGroup(PodStream stream) {
        long[] pods = new long[stream.table().groupCount()];
        for (int p = 0; p < stream.size(); p++) {
            pods[stream.group(p)]++;
        }
        return pods;
    }

    /** The reasons of the groups {@code never} (indices into {@code table}) on {@code pool}'s shape, weighted by their pods. */
    private static Map<String, Long> reasonsOn(DemandTable table, List<Integer> never, long[] pods, Pool pool, String prefix) {
        List<PodGroup> groups = new ArrayList<>();
        for (int g : never) {
            groups.add(table.group(g));
        }
        Map<String, Long> reasons = new LinkedHashMap<>();
        PackingProblem problem = new PackingProblem(DemandTable.of(groups), pool.shape(), pool.daemonSetLoad(),
                pool.daemonSetScoring());
        for (PackingProblem.Unschedulable u : problem.unschedulable()) {
            long count = pods[never.get(u.group())];
            if (count > 0) {
                reasons.merge(prefix + u.reason(), count, Long::sum);
            }
        }
        return reasons;
    }

    /** Marks the groups no node in any zone ever admits (their zone rules) unschedulable, with the reason. */
    private static void neverAdmitted(PodStream stream, Cluster cluster, boolean[] schedulable, Map<String, Long> reasons) {
        long[] pods = null;
        for (int g = 0; g < schedulable.length; g++) {
            String why = schedulable[g] ? cluster.neverAdmitted(g) : null;
            if (why != null) {
                if (pods == null) {
                    pods = new long[schedulable.length];
                    for (int p = 0; p < stream.size(); p++) {
                        pods[stream.group(p)]++;
                    }
                }
                schedulable[g] = false;
                if (pods[g] > 0) {
                    reasons.merge(why, pods[g], Long::sum);
                }
            }
        }
    }

    /**
     * Beyond the provisioning delay (none for a fixed count, which adds no node), how long a pod still pending at the end
     * must have waited to count as left out: an autoscaler's loop (CA scans every 10 s, Karpenter batches for up to 10 s)
     * and the pods leaving to make room. One that arrived later could not have had a node by the end (QA 63b F2).
     */
    public static final long RECENT_GRACE_SECONDS = 60;

    /**
     * Whether a pod's wait was cut short by the end of the run, not by the cluster: still pending at the end, having waited
     * less than {@code recentSeconds} (the provisioning delay's longest and {@link #RECENT_GRACE_SECONDS}), so it arrived too
     * late for any node to come by then. Such a pod is out of every figure the SLO is judged on: the pending percentiles,
     * the longest wait and the slow pods per hour that windows raises (QA 73b F1: two such pods alone made a run's p95 5m
     * and ranked a shape 3.2 times as dear first; its follow-up: windows still counted them over the SLO).
     */
    static boolean waitCutByTheEnd(byte state, long waitedSeconds, long recentSeconds) {
        return state == Cluster.POD_PENDING && waitedSeconds < recentSeconds;
    }

    private static ReplayResult result(PodStream stream, long horizon, List<Pool> pools, Autoscaler autoscaler, Cluster c,
                                       boolean[] schedulable, Map<String, Long> reasons, List<TimelinePoint> timeline, long events,
                                       long recentSeconds, long slowPod,
                                       io.nodesizer.replay.autoscale.WeekClock clock, long elapsed, int[] peakByMinute,
                                       int sloMinPriority) {
        long[] slowByHour = new long[168];
        double[] pending = new double[stream.size()];
        int n = 0;
        long delayed = 0;
        long atEnd = 0;
        long recent = 0;
        long deletedPending = 0;
        double waited = 0;
        Map<String, Long> deletedWhy = new LinkedHashMap<>();
        String[] pendingWhy = new String[stream.table().groupCount()];
        Map<String, Long> pendingReasons = new LinkedHashMap<>();
        long unschedulable = 0;
        long max = 0;
        // Pods below --slo-min-priority: counted apart (ReplayResult.SloExcluded), out of every figure an SLO is judged on.
        long[] apart = new long[4]; // pods, waited, max, pending at end
        double apartWaited = 0;
        Map<String, Long> apartReasons = new LinkedHashMap<>();
        for (int p = 0; p < stream.size(); p++) {
            byte s = c.podState(p);
            if (s == Cluster.POD_NOT_ARRIVED) {
                continue;
            }
            if (!schedulable[stream.group(p)]) {
                unschedulable++; // fits no shape: never pending, whether or not it has left since
                continue;
            }
            long w = c.pendingSeconds(p);
            boolean deleted = c.deletedWhilePending(p);
            waited += w;
            if (stream.table().group(stream.group(p)).priority() < sloMinPriority) {
                apart[0]++;
                apart[1] += w > 0 ? 1 : 0;
                apart[2] = Math.max(apart[2], deleted ? ReplayResult.NEVER : w);
                apartWaited += w;
                if (s == Cluster.POD_PENDING) {
                    apart[3]++;
                    apartReasons.merge(pendingWhy(pendingWhy, stream, c, p, autoscaler), 1L, Long::sum);
                }
                continue;
            }
            boolean recentAtEnd = waitCutByTheEnd(s, w, recentSeconds);
            // A pod deleted while pending never started: its time to start is unbounded, not the wait its deletion cut short, so
            // the percentiles count it above every pod that started (QA 59a: 20 of 21 one-minute jobs never ran, "p95 1m").
            if (!recentAtEnd) {
                pending[n++] = deleted ? NEVER_STARTED : w;
                max = Math.max(max, w);
            }
            if (deleted) {
                deletedPending++;
                deletedWhy.merge(stream.table().group(stream.group(p)).name(), 1L, Long::sum);
            }
            // A pod deleted before a node took it is slow in its hour whatever it waited: it never ran (windows raises that hour).
            // One whose wait the end cut short is not slow (QA 73b F1 follow-up: windows counted it over the SLO and raised its hour).
            if (slowPod >= 0 && !recentAtEnd && (w > slowPod || deleted)) {
                slowByHour[hourOfWeek(stream.origin(), clock, stream.arrival(p))]++;
            }
            delayed += w > 0 ? 1 : 0;
            if (s == Cluster.POD_PENDING) {
                atEnd++;
                recent += recentAtEnd ? 1 : 0;
                pendingReasons.merge(pendingWhy(pendingWhy, stream, c, p, autoscaler), 1L, Long::sum);
            }
        }
        long p50 = 0;
        long p95 = 0;
        if (n > 0) {
            Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_1);
            percentile.setData(pending, 0, n);
            p50 = percentileWait(percentile.evaluate(50));
            p95 = percentileWait(percentile.evaluate(95));
        }
        double[] seconds = new double[pools.size()];
        for (int node = 0; node < c.nodeCount(); node++) {
            long end = c.removedAt(node) >= 0 ? c.removedAt(node) : horizon;
            seconds[c.pool(node)] += Math.max(0, end - c.requestedAt(node));
        }
        double nodeSeconds = 0;
        Double cost = 0.0;
        Map<String, Double> byShape = new LinkedHashMap<>();
        for (Pool pool : pools) {
            double s = seconds[pool.index()];
            nodeSeconds += s;
            if (s > 0) {
                byShape.put(pool.name(), s / 3600);
                if (Double.isNaN(pool.pricePerHour())) {
                    cost = null;
                } else if (cost != null) {
                    cost += s / 3600 * pool.pricePerHour();
                }
            }
        }
        ReplayMetrics m = c.metrics();
        return new ReplayResult(pools, autoscaler.name(), stream.origin(), horizon, horizon - stream.horizon(), nodeSeconds / 3600, cost,
                m.peakBilled(), horizon == 0 ? 0 : nodeSeconds / horizon, waited, m.pendingWhileProvisioning(),
                m.pendingWithoutProvisioning(), p50, p95, max, delayed, atEnd, recent, c.unrunPodSeconds(), deletedPending, deletedWhy, m.initialNodes(), m.scaleUps(), m.scaleDowns(), m.evictions(),
                m.mostEvictedPod() < 0 ? null : new ReplayResult.MostEvicted(stream.podName(m.mostEvictedPod()), m.mostEvictions()),
                unschedulable, reasons, pendingReasons, m.budgetHolds(), m.budgetedDrains(), m.arrived(), m.cpuUtilisation(), m.memoryUtilisation(), m.gpuUtilisation(), byShape, timeline, slowByHour, peakByMinute, events, elapsed,
                apart[0] == 0 ? null : new ReplayResult.SloExcluded(sloMinPriority, apart[0], apart[1], apart[2], apartWaited, apart[3],
                        apartReasons));
    }

    /** Why pending {@code p} of its group still waits, "workload: reason", worked out once per group into {@code why}. */
    private static String pendingWhy(String[] why, PodStream stream, Cluster c, int p, Autoscaler autoscaler) {
        int g = stream.group(p);
        if (why[g] == null) {
            why[g] = stream.table().group(g).name() + ": " + pendingReason(c, p, autoscaler);
        }
        return why[g];
    }

    /**
     * The wait of a pod deleted while pending, for the percentiles: above every wait a run can have (~3e292 years). Finite:
     * Commons Math's Percentile gave NaN over several infinite values.
     */
    private static final double NEVER_STARTED = 1e300;

    /** A percentile of the waits as whole seconds, {@link ReplayResult#NEVER} where it falls among pods that never started. */
    private static long percentileWait(double v) {
        return v >= NEVER_STARTED ? ReplayResult.NEVER : Math.round(v);
    }

    /**
     * Why no ready node took a pod still pending at the end: none ready; none of a shape its node
     * selector, affinity, tolerations or GPU model admit; none of those with room for its request;
     * or some with room that its pod rules (anti-affinity, topology spread, co-location) turn away.
     * With the nodes of a shape it may use still provisioning at the end, if any.
     */
    private static String pendingReason(Cluster c, int pod, Autoscaler scaler) {
        String autoscaler = scaler.name();
        int ready = 0;
        int admitted = 0;
        int room = 0;
        int coming = 0;
        // Per resource, the ready nodes it may use that have too little of it free: kube-scheduler names them ("Too many
        // pods", "Insufficient cpu"), and a pod of no CPU or memory held out by max pods was said to lack room for its
        // request (QA 65b F5).
        int[] shortOf = new int[Resource.COUNT];
        int amountRoom = 0; // nodes with enough of every resource free, whatever the pod rules say
        int group = c.stream().group(pod);
        for (int node = 0; node < c.nodeCount(); node++) {
            if (c.state(node) == Cluster.PROVISIONING && c.allowedOn(pod, c.pool(node))) {
                coming++;
            }
            if (c.state(node) != Cluster.READY) {
                continue;
            }
            ready++;
            if (c.allowedOn(pod, c.pool(node))) {
                admitted++;
                room += c.fits(node, pod) ? 1 : 0;
                boolean enough = true;
                for (int r = 0; r < Resource.COUNT; r++) {
                    if (c.stream().table().demand(group, r) > c.free(node, r)) {
                        shortOf[r]++;
                        enough = false;
                    }
                }
                amountRoom += enough ? 1 : 0;
            }
        }
        List<String> lacking = new ArrayList<>();
        for (Resource r : Resource.values()) {
            if (shortOf[r.ordinal()] > 0) {
                lacking.add((r == Resource.PODS ? "pod slots (max pods)" : r.kubernetesName()) + " on " + shortOf[r.ordinal()]);
            }
        }
        int withRoom = room > 0 ? room : amountRoom;
        String why = ready == 0 ? "no node was ready"
                : admitted == 0 ? "none of the " + ready + " ready nodes is of a shape its node selector, affinity, tolerations or GPU model admit"
                : withRoom == 0 ? "none of the " + admitted + " ready nodes it may use has room for its request (short of "
                + String.join(", ", lacking) + ")"
                : withRoom + " of the " + admitted + " ready nodes it may use have room, and its pod rules (anti-affinity, topology spread, "
                + "co-location) turn them away";
        int cutoff = scaler.expendableCutoff();
        if (coming == 0 && io.nodesizer.kube.ExpendablePods.expendable(c.priority(pod), cutoff)) {
            return why + "; its priority (" + c.priority(pod) + ") is below --expendable-pods-priority-cutoff (" + cutoff
                    + "): Cluster Autoscaler adds no node for it";
        }
        if (autoscaler.equals("none")) {
            return why + " (--autoscaler none adds no node)";
        }
        if (coming > 0) {
            return why + "; " + coming + " node" + (coming == 1 ? "" : "s") + " of a shape it may use still provisioning";
        }
        String limit = scaler.atLimit(c, pod);
        return why + "; no node of a shape it may use on its way from the autoscaler" + (limit == null ? "" : ": " + limit);
    }

    /** Hour of the week (0 = Monday 00:00-01:00 local time) of second {@code t} of a run starting at {@code origin}. */
    public static int hourOfWeek(java.time.Instant origin, io.nodesizer.replay.autoscale.WeekClock clock, long t) {
        return (int) (clock.secondOfWeek(origin.plusSeconds(t)) / 3600);
    }
}
