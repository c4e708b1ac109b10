package io.nodesizer.model;

/**
 * An amount of every resource, in integer base units (see {@link Resource}). Immutable; all
 * components are non-negative.
 */
public record Resources(long cpuMillis, long memoryBytes, long pods, long gpuMillis, long ephemeralStorageBytes) {

    public static final Resources ZERO = new Resources(0, 0, 0, 0, 0);

    public Resources {
        requireNonNegative("cpuMillis", cpuMillis);
        requireNonNegative("memoryBytes", memoryBytes);
        requireNonNegative("pods", pods);
        requireNonNegative("gpuMillis", gpuMillis);
        requireNonNegative("ephemeralStorageBytes", ephemeralStorageBytes);
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("The resource amount " + name + " (" + value + ") must not be negative.");
        }
    }

    public static Resources of(long[] amounts) {
        if (amounts.length != Resource.COUNT) {
            throw new IllegalArgumentException("Expected " + Resource.COUNT + " amounts, got " + amounts.length);
        }
        return new Resources(amounts[0], amounts[1], amounts[2], amounts[3], amounts[4]);
    }

    public long get(Resource resource) {
        return switch (resource) {
            case CPU -> cpuMillis;
            case MEMORY -> memoryBytes;
            case PODS -> pods;
            case GPU -> gpuMillis;
            case EPHEMERAL_STORAGE -> ephemeralStorageBytes;
        };
    }

    public long[] toArray() {
        return new long[] {cpuMillis, memoryBytes, pods, gpuMillis, ephemeralStorageBytes};
    }

    /** The amounts of {@link #toArray()} written into {@code into}: no array per call where a loop asks per pod group. */
    public void copyInto(long[] into) {
        into[0] = cpuMillis;
        into[1] = memoryBytes;
        into[2] = pods;
        into[3] = gpuMillis;
        into[4] = ephemeralStorageBytes;
    }

    public Resources with(Resource resource, long amount) {
        long[] a = toArray();
        a[resource.ordinal()] = amount;
        return of(a);
    }

    // The component-wise operations below build no arrays: summaries fold them over every group
    // (150,000 for a large trace), where two temporary arrays per call were most of the garbage.

    /** Component-wise sum; throws on overflow rather than wrapping. */
    public Resources plus(Resources other) {
        return new Resources(Math.addExact(cpuMillis, other.cpuMillis), Math.addExact(memoryBytes, other.memoryBytes),
                Math.addExact(pods, other.pods), Math.addExact(gpuMillis, other.gpuMillis),
                Math.addExact(ephemeralStorageBytes, other.ephemeralStorageBytes));
    }

    /** Component-wise {@code this × factor}; throws on overflow. */
    public Resources times(long factor) {
        return new Resources(Math.multiplyExact(cpuMillis, factor), Math.multiplyExact(memoryBytes, factor),
                Math.multiplyExact(pods, factor), Math.multiplyExact(gpuMillis, factor), Math.multiplyExact(ephemeralStorageBytes, factor));
    }

    /** Component-wise difference, floored at zero (a reservation larger than capacity leaves nothing). */
    public Resources minusFloorZero(Resources other) {
        return new Resources(Math.max(0, cpuMillis - other.cpuMillis), Math.max(0, memoryBytes - other.memoryBytes),
                Math.max(0, pods - other.pods), Math.max(0, gpuMillis - other.gpuMillis),
                Math.max(0, ephemeralStorageBytes - other.ephemeralStorageBytes));
    }

    /** Component-wise maximum. */
    public Resources max(Resources other) {
        return new Resources(Math.max(cpuMillis, other.cpuMillis), Math.max(memoryBytes, other.memoryBytes), Math.max(pods, other.pods),
                Math.max(gpuMillis, other.gpuMillis), Math.max(ephemeralStorageBytes, other.ephemeralStorageBytes));
    }

    /** True when every component of {@code this} is at most the same component of {@code limit}. */
    public boolean fitsIn(Resources limit) {
        return cpuMillis <= limit.cpuMillis && memoryBytes <= limit.memoryBytes && pods <= limit.pods
                && gpuMillis <= limit.gpuMillis && ephemeralStorageBytes <= limit.ephemeralStorageBytes;
    }
}
