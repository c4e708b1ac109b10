package io.nodesizer.input.usage;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.kube.Quantity;
import io.nodesizer.kube.QuantityFormatException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Sample values and timestamps as the usage readers accept them. Both readers convert through
 * the same steps (text → exact decimal → nearest double in base units → × 1000 for CPU), so the
 * same number written {@code 0.25} in Prometheus JSON and {@code 250m} in the CSV is the same sample.
 */
public final class UsageValues {
    private UsageValues() {
    }

    /**
     * A sample: a plain number (Prometheus writes these, also as {@code 1.2e-07}) or, in the CSV,
     * a Kubernetes quantity ({@code 250m}, {@code 12345678n} as metrics-server reports CPU,
     * {@code 512Mi}). CPU comes back in millicores, memory in bytes. NaN, infinities and negative
     * values are errors: no container uses less than nothing.
     */
    static double sample(String text, UsageMetric metric, SourceLocation at, String what, String series) {
        String t = text.trim();
        double base;
        if (t.equalsIgnoreCase("NaN") || t.endsWith("Inf") || t.endsWith("inf")) {
            throw new InputException(at, "The " + what + " of " + series + " is " + t + "; expected a finite usage value. "
                    + "Maybe the query divides by zero; export the rate itself.");
        }
        if (plainNumber(t)) {
            try {
                base = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw unit(at, what, series, t, metric, "it is not a number");
            }
        } else {
            try {
                base = Quantity.parse(t).doubleValue();
            } catch (QuantityFormatException e) {
                throw unit(at, what, series, t, metric, e.reason());
            }
        }
        if (base < 0) {
            throw new InputException(at, "The " + what + " of " + series + " (" + t + ") must not be negative; usage is 0 or more. "
                    + "Maybe a counter was exported without rate().");
        }
        // A million cores or an exabyte of memory in one container is a unit mistake, and would overflow the requests.
        if (!Double.isFinite(base) || (metric == UsageMetric.CPU ? base > 1e6 : base > 1e18)) {
            // A CPU value the size of a working set in bytes is most likely the memory export given as CPU (QA 59b F11).
            throw new InputException(at, "The " + what + " of " + series + " (" + t + ") is implausibly large for one container; expected "
                    + (metric == UsageMetric.CPU ? "cores (0.25), not millicores or nanocores without a suffix"
                    + (base >= 1 << 20 ? "; a value this size is what a working set in bytes looks like: are the CPU and memory exports "
                    + "swapped (--cpu-usage, --memory-usage)?" : ".") : "bytes."));
        }
        return metric == UsageMetric.CPU ? base * 1000 : base;
    }

    /**
     * The least a file's largest memory sample can be in bytes. Every process's working set holds pages of its own
     * (a static binary that only sleeps keeps ~1 MiB), so a file whose busiest container peaks below this is in
     * another unit (MiB or GiB, as a Grafana panel shows memory) or is not memory at all (a CPU rate): read as bytes,
     * it would cut every memory request to the floor.
     */
    static final double LEAST_MEMORY_PEAK = 1 << 20;

    /** Fails when the largest memory sample of a file ({@code largest}, of {@code series}, at {@code at}) is not bytes. */
    static void requireBytes(double largest, SourceLocation at, String series) {
        if (largest < LEAST_MEMORY_PEAK) {
            throw new InputException(at, "The memory samples are at most " + java.math.BigDecimal.valueOf(largest).stripTrailingZeros()
                    .toPlainString() + " (" + series + ", the largest), but a container's working set is at least ~1 MiB in bytes; "
                    + "expected bytes, as container_memory_working_set_bytes gives them. Maybe the export is in KiB, MiB or GiB (a "
                    + "dashboard's unit), or it is not a memory series (a CPU rate: are the exports swapped?).");
        }
    }

    private static InputException unit(SourceLocation at, String what, String series, String t, UsageMetric metric, String reason) {
        String expected = metric == UsageMetric.CPU
                ? "cores such as 0.25, or a quantity with a Kubernetes suffix such as 250m or 250000000n"
                : "bytes such as 536870912, or a quantity with a Kubernetes suffix such as 512Mi or 1.5G";
        return new InputException(at, "The " + what + " of " + series + " (" + t + ") has an unknown unit: expected " + expected
                + " (" + reason + ").");
    }

    /** Digits, sign, point and exponent only: a plain decimal that {@link Double#parseDouble} rounds correctly. */
    static boolean plainNumber(String t) {
        if (t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return Character.isDigit(t.charAt(t.length() - 1)) || t.endsWith(".");
    }

    /**
     * Unix time at or above this is milliseconds: in seconds it would be after the year 5000, and in
     * milliseconds it is after March 1973 (Grafana's CSV exports write milliseconds).
     */
    private static final double MILLISECONDS_FROM = 1e11;
    /**
     * Unix time at or above this is neither: in milliseconds it would be after the year 5000 (5138), and today's time in
     * microseconds (~1.8e15) or nanoseconds (~1.8e18), which some exporters write, is far above it (review 74 #1: a demand
     * file in nanoseconds ran from the year 56 million).
     */
    private static final double UNITS_TOO_FINE_FROM = 1e14;

    /**
     * Unix time in seconds from a number of Unix seconds or, at {@link #MILLISECONDS_FROM} and up, milliseconds; finer units
     * ({@link #UNITS_TOO_FINE_FROM} and up: microseconds, nanoseconds) are refused, named. Both readers decide a time's unit
     * here (QA 76a F2: Prometheus times in microseconds were read as milliseconds, 1,000 times the hours, past --min-history).
     *
     * @param rfc3339 whether the file also takes RFC 3339 times (the CSV does, Prometheus JSON does not), for the message
     * @param refuse  the error for a time in a finer unit, given what is wrong ("reads as Unix microseconds …"); called only
     *                then, so that a reader builds no message per sample
     */
    static double unixSeconds(double unixTime, boolean rfc3339, java.util.function.Function<String, InputException> refuse) {
        if (unixTime >= UNITS_TOO_FINE_FROM && Double.isFinite(unixTime)) {
            throw refuse.apply("reads as Unix " + (unixTime >= 1e17 ? "nanoseconds" : "microseconds")
                    + " (as milliseconds it would be after the year 5000); give Unix seconds such as 1764547200" + (rfc3339
                    ? ", Unix milliseconds such as 1764547200000, or RFC 3339 such as 2026-11-01T00:05:00Z."
                    : " (as Prometheus writes them) or Unix milliseconds such as 1764547200000."));
        }
        return unixTime >= MILLISECONDS_FROM ? unixTime / 1000 : unixTime;
    }

    /**
     * A timestamp: Unix seconds (fractions allowed), Unix milliseconds ({@link #MILLISECONDS_FROM} and
     * up) or RFC 3339 ({@code 2026-11-01T00:05:00Z}); in seconds. Finer units ({@link #UNITS_TOO_FINE_FROM} and up) are
     * refused, named ({@link #unixSeconds}).
     */
    public static double timestamp(String text, SourceLocation at, String what) {
        String t = text.trim();
        if (!t.isEmpty() && (Character.isDigit(t.charAt(0))) && t.indexOf('-') < 0 && t.indexOf(':') < 0) {
            try {
                double v = Double.parseDouble(t);
                if (Double.isFinite(v)) {
                    return unixSeconds(v, true, problem -> new InputException(at, "The " + what + " (" + t + ") " + problem));
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        } else {
            try {
                Instant i = java.time.OffsetDateTime.parse(t).toInstant();
                return i.getEpochSecond() + i.getNano() / 1e9;
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        throw new InputException(at, "The " + what + " (" + t + ") must be a time: Unix seconds such as 1764547200, "
                + "Unix milliseconds such as 1764547200000, or RFC 3339 such as 2026-11-01T00:05:00Z.");
    }
}
