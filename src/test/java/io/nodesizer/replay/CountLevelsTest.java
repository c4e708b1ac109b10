package io.nodesizer.replay;

import io.nodesizer.engine.GroupCounts;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CountLevels} against a plain count per ready position. */
class CountLevelsTest {
    /**
     * Random pod starts and stops on ready nodes, nodes becoming ready (some already running pods)
     * and leaving the ready list (the last position moving into the hole), as the cluster reports
     * them: after every step, for random sets of positions of a word and random starting guesses,
     * {@code most} and {@code fewest} equal a recount over the positions' nodes, and the count
     * at every ready position is its node's.
     */
    @Test
    void mostAndFewestEqualARecountThroughRandomChanges() {
        for (long seed = 1; seed <= 40; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int groups = 1 + r.nextInt(4);
            boolean[] tracked = new boolean[groups];
            for (int g = 0; g < groups; g++) {
                tracked[g] = g == 0 || r.nextBoolean();
            }
            GroupCounts counts = new GroupCounts(tracked, 1);
            CountLevels levels = new CountLevels(tracked, counts);
            int maxNodes = 1 + r.nextInt(300);
            int[] readyList = new int[maxNodes];
            int[] readyPos = new int[maxNodes];
            java.util.Arrays.fill(readyPos, -1);
            int ready = 0;
            int made = 0;
            for (int step = 0; step < 4000; step++) {
                int op = r.nextInt(20);
                if (op < 2 && made < maxNodes) {
                    int node = made++;
                    for (int g = 0; g < groups; g++) { // a node may come with pods (as none does in a replay, but the levels must not care)
                        counts.add(node, 0, g, r.nextInt(8) == 0 ? r.nextInt(5) : 0);
                    }
                    readyList[ready] = node;
                    readyPos[node] = ready;
                    levels.readied(ready++, node);
                } else if (op == 2 && ready > 0) {
                    int node = readyList[r.nextInt(ready)];
                    int pos = readyPos[node];
                    int last = readyList[--ready];
                    readyList[pos] = last;
                    readyPos[last] = pos;
                    readyPos[node] = -1;
                    levels.vacated(pos, ready);
                } else if (op < 12 && ready > 0) {
                    int node = readyList[r.nextInt(ready)];
                    int g = r.nextInt(groups);
                    int delta = counts.onNode(node, g) > 0 && r.nextInt(3) == 0 ? -1 : 1;
                    counts.add(node, 0, g, delta);
                    levels.changed(readyPos[node], g, counts.onNode(node, g), delta);
                } else if (ready > 0) {
                    int g = r.nextInt(groups);
                    if (!tracked[g]) {
                        continue;
                    }
                    int w = r.nextInt((ready + 63) >> 6);
                    long cand = r.nextLong() >>> r.nextInt(64);
                    int inWord = ready - (w << 6);
                    if (inWord < 64) {
                        cand &= (1L << inWord) - 1; // positions past the last are not candidates
                    }
                    if (cand == 0) {
                        continue;
                    }
                    int most = 0;
                    int fewest = Integer.MAX_VALUE;
                    for (int p = 0; p < ready; p++) {
                        assertThat(levels.countsAt(g)[p]).as("seed %d step %d position %d", seed, step, p).isEqualTo(counts.onNode(readyList[p], g));
                    }
                    for (long v = cand; v != 0; v &= v - 1) {
                        int c = counts.onNode(readyList[(w << 6) + Long.numberOfTrailingZeros(v)], g);
                        most = Math.max(most, c);
                        fewest = Math.min(fewest, c);
                    }
                    int floor = r.nextInt(most + 1);
                    assertThat(levels.most(g, w, cand, floor)).as("seed %d step %d", seed, step).isEqualTo(most);
                    assertThat(levels.most(g, w, cand, most + 2)).as("a running maximum above").isEqualTo(most + 2);
                    int guess = r.nextBoolean() ? Integer.MAX_VALUE : r.nextInt(most + 3);
                    assertThat(levels.fewest(g, w, cand, guess)).as("seed %d step %d guess %d", seed, step, guess).isEqualTo(fewest);
                }
            }
        }
    }
}
