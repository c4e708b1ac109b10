package io.nodesizer.replay;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;

import java.util.SplittableRandom;

/**
 * How long a requested node takes to become ready: a fixed delay ({@code 4m}) or uniform in a
 * range ({@code 3m..5m}), drawn from the run's seeded random.
 */
public record ProvisionDelay(long minSeconds, long maxSeconds) {
    public ProvisionDelay {
        if (minSeconds < 0 || maxSeconds < minSeconds) {
            throw new IllegalArgumentException("delay " + minSeconds + ".." + maxSeconds);
        }
    }

    public static ProvisionDelay fixed(long seconds) {
        return new ProvisionDelay(seconds, seconds);
    }

    public static ProvisionDelay parse(String text, String option) {
        SourceLocation at = SourceLocation.ofFile(option);
        int dots = text.indexOf("..");
        if (dots < 0) {
            return fixed(Durations.wholeSeconds(text, at, "provisioning delay"));
        }
        long lo = Durations.wholeSeconds(text.substring(0, dots), at, "shortest provisioning delay");
        long hi = Durations.wholeSeconds(text.substring(dots + 2), at, "longest provisioning delay");
        if (hi < lo) {
            throw new InputException(at, "The provisioning delay range (" + text + ") must go from the shorter to the longer delay.");
        }
        return new ProvisionDelay(lo, hi);
    }

    public long draw(SplittableRandom random) {
        return minSeconds == maxSeconds ? minSeconds : minSeconds + random.nextLong(maxSeconds - minSeconds + 1);
    }

    @Override
    public String toString() {
        return minSeconds == maxSeconds ? Durations.format(minSeconds)
                : Durations.format(minSeconds) + ".." + Durations.format(maxSeconds);
    }
}
