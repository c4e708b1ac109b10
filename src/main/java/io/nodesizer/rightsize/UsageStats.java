package io.nodesizer.rightsize;

/**
 * One container's usage of one metric, in millicores or bytes. Percentiles are taken per pod (each
 * series on its own, as Prometheus' {@code quantile_over_time} takes them: linear interpolation
 * between closest ranks, Hyndman–Fan type 7) and the busiest pod's value is kept, as krr's simple
 * strategy does: every replica gets the request, so it must suit the busiest.
 *
 * @param series  series (pods) seen
 * @param samples samples over all series
 * @param p50     the busiest pod's median (for a container's usage, of the pod {@code target} (CPU) or {@code max} (memory)
 *                comes from, so that a row's figures are of one pod)
 * @param p95     the busiest pod's 95th percentile
 * @param target  the busiest pod's value at the configured CPU percentile (equals p95 by default): the largest per pod
 * @param max     the busiest pod's largest sample (for memory, the largest of all pods)
 * @param firstSeconds earliest sample, Unix seconds
 * @param lastSeconds  latest sample, Unix seconds
 */
public record UsageStats(int series, long samples, double p50, double p95, double target, double max, double firstSeconds,
                         double lastSeconds) {

    /** The time the samples cover, in seconds. */
    public double spanSeconds() {
        return lastSeconds - firstSeconds;
    }

    /** Both series' statistics combined: per-pod values take the larger, counts add, spans join. */
    UsageStats merge(UsageStats o) {
        return new UsageStats(series + o.series, samples + o.samples, Math.max(p50, o.p50), Math.max(p95, o.p95),
                Math.max(target, o.target), Math.max(max, o.max), Math.min(firstSeconds, o.firstSeconds),
                Math.max(lastSeconds, o.lastSeconds));
    }
}
