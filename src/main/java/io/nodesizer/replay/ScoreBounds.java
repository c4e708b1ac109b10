package io.nodesizer.replay;

import java.util.Arrays;

/**
 * Per (request row of the {@link ReadyIndex}, word of 64 ready positions): an upper bound on the
 * scores of the word's positions that fit the request, and which of its positions changed since
 * they were last folded into that bound. The scheduler keeps the highest score so far and draws
 * only on ties with it, so a stretch of positions whose bound is below it can be passed over
 * without visiting them (only the changed ones must be scored): at ~1,000 nodes a pod has ~86
 * feasible nodes, most of them far below the best, and few change between two pods of a request.
 *
 * <p>The cluster reports every change of what a ready position scores ({@link #changed}: the node
 * there or its loads); the scheduler reads and lowers the bounds ({@link #bound}, {@link #dirty}).
 * A word nobody has folded yet is all changed, so its positions are visited.
 */
final class ScoreBounds {
    /** Slots per word: one per request row the ready index can register. */
    static final int ROWS = ReadyIndex.MAX_ROWS;

    /** Rows in use (registered in order 0, 1, ...): a change marks those only. */
    private int rows;
    private int words;
    /**
     * At {@code word * ROWS + row}: an upper bound on the score of every position of the word that
     * fits the row's request and is not in {@link #dirty}; the rows of one word side by side, so
     * that a change touches one stretch.
     */
    private long[] bound = new long[0];
    /** At {@code word * ROWS + row}: the positions changed since the row last scored them. */
    private long[] dirty = new long[0];

    /** The scores at ready position {@code pos} may have changed (the node there, or its loads). */
    void changed(int pos) {
        int w = pos >> 6;
        if (w >= words) {
            grow(w + 1); // a new word is all changed
            return;
        }
        long bit = 1L << pos;
        int b = w * ROWS;
        for (int k = 0; k < rows; k++) {
            dirty[b + k] |= bit;
        }
    }

    /** The bound of {@code row} over word {@code w}: no unchanged position there that fits the request scores more. */
    long bound(int row, int w) {
        return bound[w * ROWS + row];
    }

    /** The positions of word {@code w} changed since {@code row} last scored them (bit p % 64 for position p). */
    long changed(int row, int w) {
        return dirty[w * ROWS + row];
    }

    /**
     * {@code row} scored the positions of word {@code w} in {@code range} that fit its request: every
     * changed one, or all of them when {@code all}; {@code max} is the highest of those scores
     * (Long.MIN_VALUE for none). With all of the word scored the bound is exact again; otherwise the
     * scores join it. The positions of the range are unchanged from now on (those that do not fit
     * need no bound: a node fits only after a change).
     */
    void scored(int row, int w, long range, boolean all, long max) {
        int at = w * ROWS + row;
        bound[at] = all && range == -1L ? max : Math.max(bound[at], max);
        dirty[at] &= ~range;
    }

    /** Makes room for {@code positions} ready positions; the new words are all changed. */
    void ensure(int positions) {
        int need = (positions + 63) >> 6;
        if (need > words) {
            grow(need);
        }
    }

    /** Starts tracking request row {@code row} (and those before it): all its words changed. */
    void register(int row) {
        for (; rows <= row; rows++) {
            for (int w = 0; w < words; w++) {
                dirty[w * ROWS + rows] = -1L;
                bound[w * ROWS + rows] = Long.MIN_VALUE;
            }
        }
    }

    /** Every position of every row changed (the scheduler dropped its cached scores). */
    void forgetAll() {
        Arrays.fill(dirty, -1L);
    }

    private void grow(int minWords) {
        int c = Math.max(minWords, words * 2);
        bound = Arrays.copyOf(bound, c * ROWS);
        dirty = Arrays.copyOf(dirty, c * ROWS);
        Arrays.fill(bound, words * ROWS, c * ROWS, Long.MIN_VALUE);
        Arrays.fill(dirty, words * ROWS, c * ROWS, -1L);
        words = c;
    }
}
