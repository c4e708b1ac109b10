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
 *
 * <p>For the rows a pod with the spread alone scores ({@link #keepBlocks}), each word's bound is
 * also kept per block of 8 positions, one byte each ({@link #blocks}): such a pod offers only the
 * nodes whose resource score reaches the best total so far less the most the spread adds, and
 * in a word it must look at (one of its nodes could) those are typically in a few blocks — on
 * synthetic1M's default profile 53 M of the 125 M candidates a replay read sit in a block whose
 * highest score reaches the threshold.
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
    /**
     * At {@code word * ROWS + row}, for the rows that {@link #keepBlocks}: byte i (positions 8i..8i+7
     * of the word) is an upper bound on the score of every position of that block that fits the
     * row's request and is not in {@link #dirty}, or {@link #OPEN} (bounds nothing).
     */
    private long[] blocks = new long[0];
    /** Per row, whether its {@link #blocks} are kept. */
    private final boolean[] keeps = new boolean[ROWS];
    /** A block bound that bounds nothing: the scores are 0..200 (NodeResourcesFit and BalancedAllocation), never this high. */
    static final int OPEN = 255;
    private static final long BYTE = 0xFFL;

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
        if (keeps[row] && (all || max != Long.MIN_VALUE)) {
            // Every block of the range takes the scores: a block inside it that had all its
            // fitting positions scored is bounded by their highest, the others join it.
            long b = blocks[at];
            for (int i = 0; i < 8; i++) {
                long mask = BYTE << (i << 3);
                if ((range & mask) != 0) {
                    b = all && (range & mask) == mask ? withBlock(b, i, max) : join(b, i, max);
                }
            }
            blocks[at] = b;
        }
    }

    /**
     * Starts keeping the block bounds of {@code row}: every position of it counts as changed (the
     * scheduler rescores it, mostly from its cache), so the blocks start bounding nothing.
     */
    void keepBlocks(int row) {
        if (!keeps[row]) {
            keeps[row] = true;
            for (int w = 0; w < words; w++) {
                dirty[w * ROWS + row] = -1L;
                blocks[w * ROWS + row] = 0;
            }
        }
    }

    /** The block bounds of {@code row} over word {@code w}, packed as {@link #blocks} keeps them (the row {@link #keepBlocks}). */
    long blocks(int row, int w) {
        return blocks[w * ROWS + row];
    }

    /**
     * The spread's scan ({@code Scheduler.offerSpread}) scored the changed positions of word
     * {@code w} in {@code range} that fit, and read the blocks it needed: {@code packed} holds the
     * word's block bounds with those scores in them, {@code wordBound} a bound of the word no lower
     * than any of them. The positions of the range are unchanged from now on.
     */
    void scoredBlocks(int row, int w, long range, long packed, long wordBound) {
        int at = w * ROWS + row;
        blocks[at] = packed;
        bound[at] = wordBound;
        dirty[at] &= ~range;
    }

    /** The bound of block {@code i} in {@code packed}: Long.MAX_VALUE when {@link #OPEN}. */
    static long blockBound(long packed, int i) {
        long b = (packed >>> (i << 3)) & BYTE;
        return b == OPEN ? Long.MAX_VALUE : b;
    }

    /** The positions of the blocks in {@code packed} whose bound reaches {@code threshold} (all 8 bits of each). */
    static long reaching(long packed, long threshold) {
        long mask = 0;
        for (int i = 0; i < 64; i += 8) {
            long b = (packed >>> i) & BYTE;
            b += ((b + 1) >> 8) << 40; // OPEN reaches everything
            mask |= ~((b - threshold) >> 63) & (BYTE << i);
        }
        return mask;
    }

    /**
     * {@code packed} after a scan read the candidates {@code read} of a word ({@code cand}: those of
     * {@code range} that fit; {@code read}: those of the blocks that {@link #reaching} the
     * threshold) and found those of {@code reach} scoring {@code threshold} or more, {@code high}
     * the highest score read. For a block inside the range every fitting position was a candidate:
     * with none it is bounded by 0 (only a change can make one fit); read, also by {@code high},
     * and by {@code threshold - 1} when none reached (its bound reached the threshold: it was higher). The other blocks keep their bounds.
     */
    static long tightened(long packed, long cand, long range, long read, long reach, long threshold, long high) {
        long readAll = encode(high);
        long noneReached = encode(Math.min(high, threshold - 1));
        for (int i = 0; i < 64; i += 8) {
            long mask = BYTE << i;
            if ((range & mask) == mask) {
                if ((cand & mask) == 0) {
                    packed &= ~mask;
                } else if ((read & mask) != 0) {
                    long b = (reach & mask) == 0 ? noneReached : Math.min((packed >>> i) & BYTE, readAll);
                    packed = packed & ~mask | b << i;
                }
            }
        }
        return packed;
    }

    /** The highest bound of the 8 blocks in {@code packed}: Long.MAX_VALUE when one is {@link #OPEN}. */
    static long highest(long packed) {
        long m = 0;
        for (int i = 0; i < 64; i += 8) {
            m = Math.max(m, (packed >>> i) & BYTE);
        }
        return m == OPEN ? Long.MAX_VALUE : m;
    }

    /** {@code packed} with block {@code i} bounded by {@code score} alone (Long.MIN_VALUE: nothing to bound). */
    static long withBlock(long packed, int i, long score) {
        int shift = i << 3;
        return packed & ~(BYTE << shift) | encode(score) << shift;
    }

    /** {@code packed} with {@code score} joining the bound of block {@code i} (Long.MIN_VALUE: none). */
    static long join(long packed, int i, long score) {
        int shift = i << 3;
        long e = encode(score);
        return ((packed >>> shift) & BYTE) >= e ? packed : packed & ~(BYTE << shift) | e << shift;
    }

    /** A score as a block bound: 0 for none (Long.MIN_VALUE), {@link #OPEN} for one that high or higher. */
    private static long encode(long score) {
        return score < 0 ? 0 : Math.min(score, OPEN);
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
        blocks = Arrays.copyOf(blocks, c * ROWS); // new words are all changed: their blocks need bound nothing
        Arrays.fill(bound, words * ROWS, c * ROWS, Long.MIN_VALUE);
        Arrays.fill(dirty, words * ROWS, c * ROWS, -1L);
        words = c;
    }
}
