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
     * Times are strictly increasing; before the first step the workload runs no pods.
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

    /** This series with the replicas of every workload multiplied inside each surge window. */
    public DemandSeries withSurges(java.util.List<Surge> surges) {
        if (surges.isEmpty()) {
            return this;
        }
        Map<String, Steps> out = new LinkedHashMap<>();
        for (var e : steps.entrySet()) {
            out.put(e.getKey(), Surge.apply(e.getValue(), surges, horizon));
        }
        return new DemandSeries(origin, horizon, out);
    }
}
