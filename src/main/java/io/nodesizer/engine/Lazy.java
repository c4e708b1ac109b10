package io.nodesizer.engine;

import java.util.function.Supplier;

/**
 * A value built on first use and kept, for tables that sweeps read on several threads: the value is immutable and its
 * build deterministic, so two threads that race both build the same and either result stands (no lock).
 */
final class Lazy<T> {
    private final Supplier<T> build;
    private volatile T value;

    Lazy(Supplier<T> build) {
        this.build = build;
    }

    T get() {
        T v = value;
        if (v == null) {
            v = build.get();
            value = v;
        }
        return v;
    }
}
