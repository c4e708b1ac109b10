package io.nodesizer.input.usage;

import io.nodesizer.input.InputException;

/**
 * Tells a file of CPU counters from one of CPU rates when no metric name says which. A series of
 * {@code container_cpu_usage_seconds_total} exported without {@code rate()} (a CSV, or a
 * {@code sum by (…)} that dropped {@code __name__}) is cumulative CPU-seconds: read as cores it asks
 * for tens of thousands of CPUs, or, over a short window, for silently inflated requests. A counter
 * rises at every sample but where its container restarted; a rate goes up and down. A series tells
 * once it has {@link #LEAST_STEPS} steps, one of them not flat; the file looks like counters when
 * nearly all its telling series only rise and there are enough of them (or one long enough) that
 * chance is not the likelier reading. Then it is an error when those series reach more than
 * {@link #MOST_CORES} cores, which no container's rate reaches on any node but a counter does
 * after a while; below that, a smooth load ramp seen in every series could look the same, and the
 * reader only warns.
 */
final class CpuCounters {
    /** Steps a series needs before its shape says anything (a random series rises all but once in 8 steps 0.14 % of the time). */
    static final int LEAST_STEPS = 8;
    /** Series that must look cumulative before the file does, unless one is {@link #LONG_STEPS} long. */
    static final int LEAST_SERIES = 3;
    static final int LONG_STEPS = 30;
    /**
     * Millicores above which a rising series is taken for CPU-seconds: 1,024 cores, more than any node has for one
     * container (the largest cloud instances have 448-896 vCPUs), where a real load ramp could not be.
     */
    static final double MOST_CORES = 1_024_000;

    private int telling;
    private int cumulative;
    private int longest;
    private double highest;
    private UsageSeries example;

    /** Counts a CPU series of the file. */
    void add(UsageSeries s) {
        SampleBuffer b = s.samples();
        int steps = b.count() - 1;
        if (steps < LEAST_STEPS || b.rises() + b.falls() == 0) {
            return;
        }
        telling++;
        // Falling only at a restart or two (one in 20 steps, one at least) and rising at every other step but one in 20.
        int falls = b.falls();
        if (falls * 20L <= steps + 20L && b.rises() * 20L >= (steps - falls) * 19L) {
            cumulative++;
            longest = Math.max(longest, steps);
            if (example == null || b.max() > highest) {
                example = s;
            }
            highest = Math.max(highest, b.max());
        }
    }

    /**
     * Fails when the file's CPU series are counters, not rates; returns a warning when they only
     * look like counters, else null.
     */
    String check(String file) {
        if (telling == 0 || cumulative * 10L < telling * 9L || (cumulative < LEAST_SERIES && longest < LONG_STEPS)) {
            return null;
        }
        String seen = "The CPU samples of " + cumulative + " of the " + telling + " series in " + file + " only rise, sample after sample "
                + "(e.g. " + example.labels() + ", up to " + io.nodesizer.engine.Amounts.trim(highest / 1000) + " cores), as a counter does";
        String rate = "export its rate, e.g. sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{container!=\"\"}[5m]))";
        if (highest > MOST_CORES) {
            throw new InputException(example.at(), seen + ": they look like container_cpu_usage_seconds_total, cumulative CPU-seconds, "
                    + "not a rate in cores. " + Character.toUpperCase(rate.charAt(0)) + rate.substring(1) + ".");
        }
        return seen + ". If they are container_cpu_usage_seconds_total without rate(), " + rate + "; they are read as cores.";
    }
}
