package io.nodesizer.input.usage;

/** Receives each series once it is complete; it may keep what it needs and let the samples go. */
@FunctionalInterface
public interface UsageSink {
    void accept(UsageSeries series);
}
