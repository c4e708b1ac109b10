package io.nodesizer.replay.demand;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Replica counts over time per workload: a step function per workload name, in seconds from
 * {@code origin}. A workload without steps keeps the replicas of its profile for the whole run.
 *
 * @param origin  the instant of second 0 (hour-of-week windows and ISO times in reports use it)
 * @param horizon the end of the run in seconds from {@code origin}
 * @param steps   per workload name, its steps in time order
 */
public record DemandSeries(Instant origin, long horizon, Map<String, Steps> steps) {
    public DemandSeries {
        Objects.requireNonNull(origin, "origin");
        steps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        if (horizon < 0) {
            throw new IllegalArgumentException("horizon " + horizon);
        }
    }

    /**
     * From {@code times[i]} on (until the next step), the workload runs {@code replicas[i]} pods.
     * Times are strictly increasing; before the first step the workload runs no pods (a demand
     * file's workloads run their profile's replicas until their first row: {@link #fromStart}).
     */
    public record Steps(long[] times, int[] replicas) {
        public Steps {
            if (times.length != replicas.length) {
                throw new IllegalArgumentException("times and replicas differ in length");
            }
            for (int i = 1; i < times.length; i++) {
                if (times[i] <= times[i - 1]) {
                    throw new IllegalArgumentException("step times must increase");
                }
            }
        }

        public int size() {
            return times.length;
        }

        /** Replicas at second {@code t}. */
        public int at(long t) {
            int i = java.util.Arrays.binarySearch(times, t); // times are strictly increasing
            int step = i >= 0 ? i : -i - 2;
            return step < 0 ? 0 : replicas[step];
        }
    }

    /** This series with the replicas of every workload that has steps multiplied inside each surge window. */
    public DemandSeries withSurges(java.util.List<Surge> surges) {
        return withSurges(surges, Map.of());
    }

    /**
     * This series with the replicas of every workload multiplied inside each surge window: those with steps, and those of
     * {@code constant} (name to its profile's replicas) without, which run that many throughout. Without them a surge on a
     * profile alone, or on the workloads a demand file does not list, changed nothing (QA 60a F1).
     */
    public DemandSeries withSurges(java.util.List<Surge> surges, Map<String, Integer> constant) {
        if (surges.isEmpty()) {
            return this;
        }
        Map<String, Steps> all = new LinkedHashMap<>(steps);
        constant.forEach((name, replicas) -> all.putIfAbsent(name, new Steps(new long[] {0}, new int[] {replicas})));
        Map<String, Steps> out = new LinkedHashMap<>();
        for (var e : all.entrySet()) {
            out.put(e.getKey(), Surge.apply(e.getValue(), surges, horizon));
        }
        return new DemandSeries(origin, horizon, out);
    }

    /**
     * This series with each workload of {@code bounds} (name to {min, max}; max 0: none) held within them at every step,
     * as an HorizontalPodAutoscaler holds its target whatever the demand; {@code held} receives per workload how many of
     * its steps were changed. A third element 1 keeps a step of 0 at 0: a target scaled to zero (KEDA's idle state) is left
     * there by the HPA, whose scaling is disabled while the target has 0 replicas (kubernetes pkg/controller/podautoscaler
     * horizontal.go: {@code scale.Spec.Replicas == 0 && minReplicas != 0} gives 0, "ScalingDisabled"; review 69 #1).
     */
    public DemandSeries within(Map<String, int[]> bounds, Map<String, Integer> held) {
        Map<String, Steps> out = new LinkedHashMap<>();
        for (var e : steps.entrySet()) {
            int[] b = bounds.get(e.getKey());
            Steps st = e.getValue();
            if (b == null) {
                out.put(e.getKey(), st);
                continue;
            }
            int[] counts = st.replicas().clone();
            int changed = 0;
            boolean zeroStays = b.length > 2 && b[2] == 1;
            for (int i = 0; i < counts.length; i++) {
                if (zeroStays && counts[i] == 0) {
                    continue; // a target at 0 replicas: the HPA's scaling is disabled, it stays at 0 (b[2])
                }
                int n = Math.max(counts[i], b[0]);
                n = b[1] > 0 ? Math.min(n, b[1]) : n;
                changed += n != counts[i] ? 1 : 0;
                counts[i] = n;
            }
            if (changed > 0) {
                held.put(e.getKey(), changed);
            }
            out.put(e.getKey(), changed == 0 ? st : new Steps(st.times(), counts));
        }
        return new DemandSeries(origin, horizon, out);
    }

    /**
     * The series with each workload of {@code firstRow} running {@code replicas} (its profile's) from
     * the start until its first row's time, and its steps from then on: a demand file lists changes,
     * and a workload it first mentions later ran as deployed until then. (Steps before that time, as
     * a growth's edge at the start adds, held none of its pods.)
     */
    public DemandSeries fromStart(Map<String, Long> firstRow, Map<String, Integer> replicas) {
        Map<String, Steps> out = new LinkedHashMap<>();
        for (var e : steps.entrySet()) {
            Steps st = e.getValue();
            Long first = firstRow.get(e.getKey());
            if (first == null) {
                out.put(e.getKey(), st);
                continue;
            }
            int from = 0;
            while (from < st.size() && st.times()[from] < first) {
                from++;
            }
            long[] times = new long[st.size() - from + 1];
            int[] counts = new int[times.length];
            System.arraycopy(st.times(), from, times, 1, st.size() - from);
            System.arraycopy(st.replicas(), from, counts, 1, st.size() - from);
            counts[0] = replicas.get(e.getKey());
            out.put(e.getKey(), new Steps(times, counts));
        }
        return new DemandSeries(origin, horizon, out);
    }
}
