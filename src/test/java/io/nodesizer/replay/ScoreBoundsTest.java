package io.nodesizer.replay;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/** {@link ScoreBounds} against a plain record of every position's score and of what changed since it was scored. */
class ScoreBoundsTest {
    /**
     * Random changes of positions (new scores, fitting or not), rows registered late, the cluster
     * growing, everything forgotten, and scans as the scheduler makes them (a stretch of a word;
     * all its fitting positions scored, or only the changed ones): after every step each position
     * changed since its row last scored it is marked, and every unmarked fitting position scores
     * at most its word's bound.
     */
    @Test
    void boundsHoldThroughRandomChangesAndScans() {
        for (long seed = 1; seed <= 40; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int rows = 1 + r.nextInt(ScoreBounds.ROWS);
            int maxPositions = 1 + r.nextInt(400);
            long[][] score = new long[rows][maxPositions];
            boolean[][] fits = new boolean[rows][maxPositions];
            boolean[][] changedSinceScored = new boolean[rows][maxPositions];
            ScoreBounds b = new ScoreBounds();
            int registered = 0;
            int positions = 1 + r.nextInt(maxPositions);
            b.ensure(positions);
            for (int k = 0; k < rows; k++) {
                for (int p = 0; p < maxPositions; p++) {
                    changedSinceScored[k][p] = true; // nothing scored yet
                    fits[k][p] = r.nextBoolean();
                    score[k][p] = r.nextInt(101);
                }
            }
            for (int step = 0; step < 3000; step++) {
                int op = r.nextInt(20);
                if (op < 8) {
                    int p = r.nextInt(positions);
                    for (int k = 0; k < rows; k++) {
                        score[k][p] = r.nextInt(101);
                        fits[k][p] = r.nextInt(3) > 0;
                        changedSinceScored[k][p] = true;
                    }
                    b.changed(p);
                } else if (op == 8) {
                    registered = Math.min(rows, registered + 1 + r.nextInt(2));
                    b.register(registered - 1);
                } else if (op == 9 && positions < maxPositions) {
                    int more = positions + 1 + r.nextInt(maxPositions - positions);
                    for (int p = positions; p < more; p++) {
                        for (int k = 0; k < rows; k++) {
                            changedSinceScored[k][p] = true; // a new position holds a node that changed
                        }
                        b.changed(p);
                    }
                    positions = more;
                    b.ensure(positions);
                } else if (op == 10 && r.nextInt(10) == 0) {
                    b.forgetAll();
                    for (boolean[] c : changedSinceScored) {
                        java.util.Arrays.fill(c, true);
                    }
                } else if (registered > 0) {
                    scan(b, r, r.nextInt(registered), positions, score, fits, changedSinceScored);
                }
                check(b, registered, positions, score, fits, changedSinceScored);
            }
        }
    }

    /** One word's stretch scanned as the scheduler does, with a random best so far. */
    private static void scan(ScoreBounds b, SplittableRandom r, int row, int positions, long[][] score, boolean[][] fits,
                             boolean[][] changedSinceScored) {
        int w = r.nextInt((positions + 63) >> 6);
        int from = Math.max(w << 6, r.nextInt(4) == 0 ? (w << 6) + r.nextInt(64) : w << 6);
        int end = Math.min(positions, r.nextInt(4) == 0 ? from + 1 + r.nextInt(64) : (w + 1) << 6);
        end = Math.min(end, (w + 1) << 6);
        if (from >= end) {
            return;
        }
        long range = 0;
        for (int p = from; p < end; p++) {
            range |= 1L << p;
        }
        long best = r.nextInt(120) - 10;
        boolean all = !(b.bound(row, w) < best);
        long changed = b.changed(row, w);
        long max = Long.MIN_VALUE;
        for (int p = from; p < end; p++) {
            if (fits[row][p] && (all || (changed & (1L << p)) != 0)) {
                max = Math.max(max, score[row][p]);
                changedSinceScored[row][p] = false;
            } else if (!fits[row][p]) {
                changedSinceScored[row][p] = false; // does not fit: needs no bound until it changes
            }
        }
        b.scored(row, w, range, all, max);
    }

    private static void check(ScoreBounds b, int registered, int positions, long[][] score, boolean[][] fits,
                              boolean[][] changedSinceScored) {
        for (int k = 0; k < registered; k++) {
            for (int p = 0; p < positions; p++) {
                boolean marked = (b.changed(k, p >> 6) & (1L << p)) != 0;
                if (changedSinceScored[k][p] && !marked) {
                    throw new AssertionError("row " + k + " position " + p + " changed since scored but not marked");
                }
                if (!marked && fits[k][p] && score[k][p] > b.bound(k, p >> 6)) {
                    throw new AssertionError("row " + k + " position " + p + " scores " + score[k][p] + " above its bound " + b.bound(k, p >> 6));
                }
            }
        }
    }
}
