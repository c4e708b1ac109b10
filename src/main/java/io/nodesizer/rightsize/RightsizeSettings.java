package io.nodesizer.rightsize;

/**
 * How requests follow usage; the defaults are krr's simple strategy (robusta-dev/krr,
 * {@code strategies/simple.py} and {@code core/models/config.py}).
 *
 * @param cpuPercentile         CPU request = this percentile of each pod's CPU usage, the busiest pod's (default 95)
 * @param memoryHeadroomPercent memory request = the peak working set × (1 + this / 100) (default 15)
 * @param minCpuMillis          no CPU request below this (default 10m)
 * @param minMemoryBytes        no memory request below this (default 100Mi), rounded up to a whole MiB as the requests are
 * @param minSamples            fewer samples than this (over all pods) keep the request (default 100)
 * @param minHistorySeconds     usage covering less time than this keeps the request (default 3 h)
 */
public record RightsizeSettings(double cpuPercentile, double memoryHeadroomPercent, long minCpuMillis, long minMemoryBytes,
                                long minSamples, long minHistorySeconds) {
    public static final RightsizeSettings KRR_SIMPLE = new RightsizeSettings(95, 15, 10, 100L << 20, 100, 3 * 3600);

    public RightsizeSettings {
        if (!(cpuPercentile > 0 && cpuPercentile <= 100)) {
            throw new IllegalArgumentException("The CPU percentile (" + cpuPercentile + ") must be above 0 and at most 100.");
        }
        if (!(memoryHeadroomPercent >= 0 && memoryHeadroomPercent <= 1000)) {
            throw new IllegalArgumentException("The memory headroom (" + memoryHeadroomPercent + "%) must be from 0 to 1000 percent.");
        }
        if (minCpuMillis < 0 || minMemoryBytes < 0 || minSamples < 1 || minHistorySeconds < 0) {
            throw new IllegalArgumentException("The floors must not be negative and at least one sample is needed.");
        }
        // Memory requests are whole MiB, and so is their floor: 1000.5Mi was shown as "at least 1001Mi" and in every row, while
        // the patch set 1049100288 bytes (QA 76a F7). Rounded up, as the requests are.
        long mib = 1L << 20;
        if (minMemoryBytes <= Long.MAX_VALUE - mib) {
            minMemoryBytes = Math.ceilDiv(minMemoryBytes, mib) * mib;
        }
    }
}
