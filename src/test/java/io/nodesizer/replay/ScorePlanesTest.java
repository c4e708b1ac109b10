package io.nodesizer.replay;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ScorePlanes} against a plain array of scores. */
class ScorePlanesTest {
    /**
     * Random scores written over rows added late and a reset, then for random masks of random
     * words: the positions at or above random thresholds (below 0 and above 255 too) and the
     * highest score, each against a linear pass over the plain record.
     */
    @Test
    void reachSetsAndHighestEqualALinearPass() {
        for (long seed = 1; seed <= 30; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int width = 1 + r.nextInt(300);
            int rows = 1 + r.nextInt(12);
            int words = (width + 63) >> 6;
            long[][] plain = new long[rows][words * 64];
            ScorePlanes planes = new ScorePlanes();
            planes.reset(width);
            int ready = 1;
            planes.ensureRows(ready);
            for (int step = 0; step < 4000; step++) {
                int op = r.nextInt(20);
                if (op == 0 && ready < rows) {
                    ready += 1 + r.nextInt(rows - ready);
                    planes.ensureRows(ready);
                } else if (op == 1 && r.nextInt(20) == 0) {
                    planes.reset(width);
                    planes.ensureRows(ready);
                    plain = new long[rows][words * 64];
                } else if (op < 12) {
                    int row = r.nextInt(ready);
                    int pos = r.nextInt(width);
                    long score = r.nextInt(4) == 0 ? r.nextInt(3) * 100 : r.nextInt(256); // the ends too
                    planes.set(row, pos, score);
                    plain[row][pos] = score;
                } else {
                    int row = r.nextInt(ready);
                    int w = r.nextInt(words);
                    long mask = r.nextLong() & r.nextLong();
                    if (r.nextInt(8) == 0) {
                        mask = 0;
                    }
                    long threshold = r.nextInt(300) - 20;
                    long at = 0;
                    long high = Long.MIN_VALUE;
                    for (int b = 0; b < 64; b++) {
                        if ((mask >>> b & 1) != 0) {
                            long s = plain[row][w * 64 + b];
                            high = Math.max(high, s);
                            at |= s >= threshold ? 1L << b : 0;
                        }
                    }
                    assertEquals(at, planes.atLeast(row, w, mask, threshold), "seed " + seed + " step " + step);
                    assertEquals(high, planes.highest(row, w, mask), "seed " + seed + " step " + step);
                    int pos = w * 64 + r.nextInt(64);
                    assertEquals(plain[row][pos], planes.get(row, pos));
                }
            }
        }
    }

    @Test
    void refusesAScoreItCannotHold() {
        ScorePlanes planes = new ScorePlanes();
        planes.reset(64);
        planes.ensureRows(1);
        assertThrows(IllegalArgumentException.class, () -> planes.set(0, 3, 256));
        assertThrows(IllegalArgumentException.class, () -> planes.set(0, 3, -1));
    }
}
