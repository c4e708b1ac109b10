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

    public Resources with(Resource resource, long amount) {
        long[] a = toArray();
        a[resource.ordinal()] = amount;
        return of(a);
    }

    /** Component-wise sum; throws on overflow rather than wrapping. */
    public Resources plus(Resources other) {
        long[] a = toArray();
        long[] b = other.toArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.addExact(a[i], b[i]);
        }
        return of(a);
    }

    /** Component-wise {@code this × factor}; throws on overflow. */
    public Resources times(long factor) {
        long[] a = toArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.multiplyExact(a[i], factor);
        }
        return of(a);
    }

    /** Component-wise difference, floored at zero (a reservation larger than capacity leaves nothing). */
    public Resources minusFloorZero(Resources other) {
        long[] a = toArray();
        long[] b = other.toArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(0, a[i] - b[i]);
        }
        return of(a);
    }

    /** Component-wise maximum. */
    public Resources max(Resources other) {
        long[] a = toArray();
        long[] b = other.toArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(a[i], b[i]);
        }
        return of(a);
    }

    /** True when every component of {@code this} is at most the same component of {@code limit}. */
    public boolean fitsIn(Resources limit) {
        return cpuMillis <= limit.cpuMillis && memoryBytes <= limit.memoryBytes && pods <= limit.pods
                && gpuMillis <= limit.gpuMillis && ephemeralStorageBytes <= limit.ephemeralStorageBytes;
    }
}
