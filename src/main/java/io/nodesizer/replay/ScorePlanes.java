package io.nodesizer.replay;

import java.util.Arrays;

/**
 * The scheduler's cached node scores once more, bit-sliced: per (request row, word of 64 ready
 * positions) {@link #BITS} words, word b holding bit b of the score cached at each of the 64
 * positions. The default profile's spread scan ({@code Scheduler.offerSpread}), and the scan for
 * NodeResourcesFit alone ({@code Scheduler.scanBounded}), ask, of each word they visit, which
 * candidates score at least a threshold ({@link #atLeast}; and where none does,
 * the highest of them, for the word's bound); reading the candidates' cached scores one by one took
 * ~44 loads and bit searches a word (125 M a replay of synthetic1M), the planes answer in
 * {@link #BITS} steps of plain word operations.
 *
 * <p>The planes mirror the cache entry for entry (the scheduler writes both, and starts both over
 * together), so they hold exactly where the cache does: for the positions unchanged since the row
 * last scored them ({@link ScoreBounds#changed}) and those just scored.
 */
final class ScorePlanes {
    /** Bits per score: NodeResourcesFit scores 0..100, with BalancedAllocation 0..200. */
    static final int BITS = 8;
    private static final long TOP = (1L << BITS) - 1;

    private long[] planes = new long[0];
    /** Words of positions per row. */
    private int words;

    /** Drops every score and makes room for {@code width} positions per row: every score reads 0, as a new cache's. */
    void reset(int width) {
        words = (width + 63) >> 6;
        planes = new long[0];
    }

    /** Makes room for the rows below {@code rows}; the new ones read 0 everywhere. */
    void ensureRows(int rows) {
        int need = rows * words * BITS;
        if (planes.length < need) {
            planes = Arrays.copyOf(planes, need);
        }
    }

    /** Records {@code score} (0..255) as the score of {@code row} at ready position {@code pos}. */
    void set(int row, int pos, long score) {
        if ((score & ~TOP) != 0) {
            throw new IllegalArgumentException("score " + score + " is outside 0.." + TOP);
        }
        int base = (row * words + (pos >> 6)) * BITS;
        long bit = 1L << pos;
        for (int b = 0; b < BITS; b++) {
            // Set or clear the position's bit in plane b without a branch.
            long on = -((score >>> b) & 1);
            planes[base + b] = (planes[base + b] & ~bit) | (bit & on);
        }
    }

    /** The positions of word {@code w} in {@code mask} whose score for {@code row} is at least {@code threshold}. */
    long atLeast(int row, int w, long mask, long threshold) {
        if (threshold <= 0) {
            return mask;
        }
        if (threshold > TOP) {
            return 0;
        }
        int base = (row * words + w) * BITS;
        // From the highest bit down: the positions already above the threshold, and those equal to it so far.
        long above = 0;
        long equal = mask;
        for (int b = BITS - 1; b >= 0; b--) {
            long plane = planes[base + b];
            long t = -((threshold >>> b) & 1);
            above |= equal & plane & ~t;
            equal &= ~(plane ^ t);
        }
        return above | equal;
    }

    /** The highest score for {@code row} of the positions of word {@code w} in {@code mask}; Long.MIN_VALUE when none. */
    long highest(int row, int w, long mask) {
        if (mask == 0) {
            return Long.MIN_VALUE;
        }
        int base = (row * words + w) * BITS;
        long best = 0;
        for (int b = BITS - 1; b >= 0; b--) {
            long with = mask & planes[base + b];
            // All ones when some position of the mask has the bit: keep only those.
            long some = (with | -with) >> 63;
            mask = (with & some) | (mask & ~some);
            best |= (some & 1) << b;
        }
        return best;
    }

    /** The score recorded for {@code row} at {@code pos} (tests). */
    long get(int row, int pos) {
        int base = (row * words + (pos >> 6)) * BITS;
        long score = 0;
        for (int b = 0; b < BITS; b++) {
            score |= ((planes[base + b] >>> pos) & 1) << b;
        }
        return score;
    }
}
