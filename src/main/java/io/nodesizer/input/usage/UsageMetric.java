package io.nodesizer.input.usage;

/** What a usage series measures, in the unit it is held in. */
public enum UsageMetric {
    /** CPU in millicores: a rate of {@code container_cpu_usage_seconds_total} (cores) × 1000. */
    CPU("cpu", "millicores"),
    /** {@code container_memory_working_set_bytes}, in bytes. */
    MEMORY("memory", "bytes");

    private final String label;
    private final String unit;

    UsageMetric(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }
}
