package io.nodesizer.replay;

import io.nodesizer.engine.GroupCounts;
import io.nodesizer.engine.strategy.PreferenceScoring;

import java.util.Arrays;

/**
 * Per tracked group and level k &ge; 1, the ready positions whose node runs at least k of the
 * group's pods, as bit sets of 64 positions a word. PodTopologySpread normalizes a node's score by
 * the lowest and the highest score over every node being scored for the pod, and with the zone
 * count the same on every node that comes down to the fewest and the most of the group's pods on
 * one of those nodes: the levels give both for a word of candidates in a few word operations
 * ({@link #most}, {@link #fewest}) instead of a count read per candidate (a pod has 100–460 of them
 * at ~1,000 nodes). The levels are nested (level k+1 within level k), so a node with c pods has its
 * bit in levels 1..c. A row's words of one level lie side by side: the scan of a pod's candidates
 * asks every word mostly of the same one or two levels (its running most and fewest), which then
 * come from a few cache lines where a word's levels side by side took a line per word (the row of
 * a group whose pods arrive seldom is cold: that first read was ~5 % of a replay's samples).
 *
 * <p>Kept by the cluster: {@link #changed} on every pod start and stop on a ready node,
 * {@link #readied} and {@link #vacated} as the ready list changes.
 */
final class CountLevels {
    private final GroupCounts counts;
    /** Per group its row, -1 when not tracked. */
    private final int[] rowOf;
    private final int[] groupOf;
    /**
     * Per row, at {@code (k - 1) * words + word}: bit p % 64 is set when the node at ready
     * position p (in that word) runs at least k of the row's pods.
     */
    private final long[][] atLeast;
    /**
     * Per row, at ready position p, how many of the row's pods the node there runs: the same count
     * as {@link GroupCounts#onNode}, laid out by position so that the scheduler's spread scan reads
     * a word's candidates from one stretch (a read by node number was ~3 % of a replay's samples).
     */
    private final int[][] countAt;
    /** Per row, how many levels it has room for (at least the most pods of its group on a ready node). */
    private final int[] levels;
    private int words;

    /** @param tracked per group, whether its pods are tracked (every group tracked must be counted by {@code counts}) */
    CountLevels(boolean[] tracked, GroupCounts counts) {
        this.counts = counts;
        this.rowOf = new int[tracked.length];
        int rows = 0;
        for (int g = 0; g < tracked.length; g++) {
            rowOf[g] = tracked[g] ? rows++ : -1;
        }
        this.groupOf = new int[rows];
        for (int g = 0; g < tracked.length; g++) {
            if (rowOf[g] >= 0) {
                groupOf[rowOf[g]] = g;
            }
        }
        this.atLeast = new long[rows][0];
        this.countAt = new int[rows][0];
        this.levels = new int[rows];
    }

    /** The levels of the groups whose only preference plugin is the spread, or null when there is none. */
    static CountLevels of(PreferenceScoring preferences, GroupCounts counts, int groups) {
        if (preferences == null) {
            return null;
        }
        boolean[] alone = new boolean[groups];
        boolean any = false;
        for (int g = 0; g < groups; g++) {
            alone[g] = preferences.spreadAlone(g);
            any |= alone[g];
        }
        return any ? new CountLevels(alone, counts) : null;
    }

    /** Whether the group's pods are tracked. */
    boolean tracks(int group) {
        return rowOf[group] >= 0;
    }

    /**
     * A pod of {@code group} started ({@code delta} 1) or stopped (-1) on the node at ready position
     * {@code pos}, which now runs {@code now} of them.
     */
    void changed(int pos, int group, int now, int delta) {
        int r = rowOf[group];
        if (r < 0) {
            return;
        }
        countAt[r][pos] = now;
        int at = slot(r, pos >> 6, delta > 0 ? now : now + 1); // the one level the node enters or leaves
        if (delta > 0) {
            atLeast[r][at] |= 1L << pos;
        } else {
            atLeast[r][at] &= ~(1L << pos);
        }
    }

    /** {@code node} became ready at position {@code pos} (the new last one): its counts join the levels. */
    void readied(int pos, int node) {
        ensure(pos + 1);
        for (int r = 0; r < groupOf.length; r++) {
            int c = counts.onNode(node, groupOf[r]);
            countAt[r][pos] = c;
            for (int k = 1; k <= c; k++) {
                int at = slot(r, pos >> 6, k); // before the row is read: a new level lays it out again
                atLeast[r][at] |= 1L << pos;
            }
        }
    }

    /**
     * The node at position {@code pos} left the ready list and the node at {@code last} (the old
     * last position, now empty) took its place; {@code pos == last} when the leaving node was last.
     */
    void vacated(int pos, int last) {
        for (int r = 0; r < atLeast.length; r++) {
            countAt[r][pos] = countAt[r][last];
            countAt[r][last] = 0;
            long[] bits = atLeast[r];
            int to = pos >> 6;
            int from = last >> 6;
            for (int k = 0; k < levels[r]; k++, to += words, from += words) {
                long moving = bits[from] >>> last & 1;
                long leaving = bits[to] >>> pos & 1;
                if ((moving | leaving) == 0) {
                    break; // nested: no higher level has either bit
                }
                bits[to] = bits[to] & ~(1L << pos) | moving << pos;
                bits[from] &= ~(1L << last);
            }
        }
    }

    /**
     * The most pods of the group on one node of the positions of word {@code w} in {@code cand},
     * or {@code atLeast} when none has more. A running maximum passed back in costs one test per
     * word, a higher answer a test per halving of the levels.
     */
    int most(int group, int w, long cand, int atLeast) {
        int r = rowOf[group];
        long[] bits = this.atLeast[r];
        int n = levels[r];
        if (atLeast >= n || (cand & bits[atLeast * words + w]) == 0) {
            return atLeast; // the usual answer once a running maximum is passed in
        }
        // Some candidate runs more than atLeast: the highest level a candidate reaches, by halving
        // (levels are nested), as a word can hold a node with dozens of small pods.
        int lo = atLeast + 1; // some candidate runs at least lo
        int hi = n; // none runs more than hi
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if ((cand & bits[(mid - 1) * words + w]) != 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * The fewest pods of the group on one node of the positions of word {@code w} in {@code cand}
     * (not empty); {@code guess} is where the search starts (the fewest of the words before, say):
     * a test per level up to the answer above it, a test per halving below it.
     */
    int fewest(int group, int w, long cand, int guess) {
        int r = rowOf[group];
        long[] bits = this.atLeast[r];
        int n = levels[r];
        int m = Math.min(guess, n); // no node runs more than there are levels
        if (m > 0 && (cand & ~bits[(m - 1) * words + w]) != 0) {
            // Some candidate runs fewer than m: by halving, as the first word starts from its most.
            int lo = 0; // every candidate runs at least lo
            int hi = m - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if ((cand & ~bits[(mid - 1) * words + w]) == 0) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }
        while (m < n && (cand & ~bits[m * words + w]) == 0) {
            m++; // every candidate runs more than m
        }
        return m;
    }

    /** The group's pods per ready position ({@code [p]}: on the node at position p), for a tracked group; read only. */
    int[] countsAt(int group) {
        return countAt[rowOf[group]];
    }

    /** Where level {@code k} of word {@code w} of row {@code r} is, room made for the level first. */
    private int slot(int r, int w, int k) {
        if (k > levels[r]) {
            relayout(r, Math.max(k, levels[r] * 2));
        }
        return (k - 1) * words + w;
    }

    /** Makes room in row {@code r} for {@code room} levels (the new ones empty, after the others). */
    private void relayout(int r, int room) {
        atLeast[r] = Arrays.copyOf(atLeast[r], words * room);
        levels[r] = room;
    }

    private void ensure(int positions) {
        int need = (positions + 63) >> 6;
        if (need <= words) {
            return;
        }
        int c = Math.max(need, words * 2);
        for (int r = 0; r < atLeast.length; r++) {
            // Level-major: each level's words move to their wider stretch, the new words empty.
            long[] bits = new long[c * levels[r]];
            for (int k = 0; k < levels[r]; k++) {
                System.arraycopy(atLeast[r], k * words, bits, k * c, words);
            }
            atLeast[r] = bits;
            countAt[r] = Arrays.copyOf(countAt[r], c * 64);
        }
        words = c;
    }
}
