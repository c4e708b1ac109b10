package io.nodesizer.input.usage;

import java.util.ArrayList;
import java.util.List;

/**
 * The samples of one series, held compactly: 32-bit floats in fixed-size chunks (4 bytes a sample,
 * no copying as it grows), with the exact maximum and the time span kept beside them. Percentiles
 * need every sample, so this is the memory a usage file costs; a float keeps 24 bits of
 * mantissa, a relative error below 6e-8, far below any rounding a recommendation applies.
 *
 * <p>Both readers put their samples through this class, so the CSV and the Prometheus form of the
 * same numbers give the same floats and the same percentiles.
 */
public final class SampleBuffer {
    private static final int CHUNK = 1024;

    private final List<float[]> chunks = new ArrayList<>();
    private int count;
    private double max = Double.NEGATIVE_INFINITY;
    private double firstSeconds = Double.NaN;
    private double lastSeconds = Double.NaN;

    /** The last sample added, exact, and how often a sample rose above or fell below the one before it. */
    private double last = Double.NaN;
    private int rises;
    private int falls;

    /** Adds one sample; {@code value} is finite and non-negative (the readers check). */
    public void add(double timeSeconds, double value) {
        step(value);
        if (count % CHUNK == 0) {
            chunks.add(new float[CHUNK]);
        }
        chunks.get(count / CHUNK)[count % CHUNK] = (float) value;
        count++;
        max = Math.max(max, value);
        if (Double.isNaN(firstSeconds) || timeSeconds < firstSeconds) {
            firstSeconds = timeSeconds;
        }
        if (Double.isNaN(lastSeconds) || timeSeconds > lastSeconds) {
            lastSeconds = timeSeconds;
        }
    }

    private void step(double value) {
        if (value > last) {
            rises++;
        } else if (value < last) {
            falls++;
        }
        last = value; // NaN at first: neither comparison holds
    }

    /**
     * Adds every sample of {@code other} after this one's (pieces of one series), with its maximum and span. Pieces that meet
     * at one instant (a range query split by time includes both ends, so consecutive exports repeat their boundary sample)
     * give that sample once: the later piece's first sample, or, pieces given latest first, its last (QA 59b F9: 633 samples
     * where 630 were taken).
     */
    public void append(SampleBuffer other) {
        int from = 0;
        int to = other.count;
        if (count > 0 && other.count > 0) {
            if (other.firstSeconds == lastSeconds) {
                from = 1;
            } else if (other.lastSeconds == firstSeconds) {
                to = other.count - 1;
            }
        }
        if (other.count > 0) {
            step(other.chunks.get(0)[0]); // where the pieces meet
            rises += other.rises;
            falls += other.falls;
            last = other.last;
        }
        for (int i = from; i < to; i++) {
            if (count % CHUNK == 0) {
                chunks.add(new float[CHUNK]);
            }
            chunks.get(count / CHUNK)[count % CHUNK] = other.chunks.get(i / CHUNK)[i % CHUNK];
            count++;
        }
        if (other.count > 0) {
            max = Math.max(max, other.max);
            firstSeconds = Double.isNaN(firstSeconds) ? other.firstSeconds : Math.min(firstSeconds, other.firstSeconds);
            lastSeconds = Double.isNaN(lastSeconds) ? other.lastSeconds : Math.max(lastSeconds, other.lastSeconds);
        }
    }

    public int count() {
        return count;
    }

    /** Puts the samples in the reverse of the order they were added (a series read newest first), its rises and falls with them. */
    public void reverse() {
        for (int i = 0, j = count - 1; i < j; i++, j--) {
            float a = chunks.get(i / CHUNK)[i % CHUNK];
            chunks.get(i / CHUNK)[i % CHUNK] = chunks.get(j / CHUNK)[j % CHUNK];
            chunks.get(j / CHUNK)[j % CHUNK] = a;
        }
        int r = rises;
        rises = falls;
        falls = r;
        last = count == 0 ? Double.NaN : chunks.get((count - 1) / CHUNK)[(count - 1) % CHUNK];
    }

    /** How many samples were above the one before them, in the order added. */
    public int rises() {
        return rises;
    }

    /** How many samples were below the one before them, in the order added. */
    public int falls() {
        return falls;
    }

    /** The exact largest sample (not rounded to a float); NaN when empty. */
    public double max() {
        return count == 0 ? Double.NaN : max;
    }

    /** Earliest timestamp, seconds since the epoch; NaN when empty. */
    public double firstSeconds() {
        return firstSeconds;
    }

    /** Latest timestamp, seconds since the epoch; NaN when empty. */
    public double lastSeconds() {
        return lastSeconds;
    }

    /** The samples as doubles, in the order they were added (a fresh array). */
    public double[] values() {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = chunks.get(i / CHUNK)[i % CHUNK];
        }
        return out;
    }
}
