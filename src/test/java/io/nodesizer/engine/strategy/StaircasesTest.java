package io.nodesizer.engine.strategy;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Staircases#insert}, the walk up of a leaf that enters the tree, against recombining
 * every tree node from its children ({@link Staircases#combine}): the same Pareto fronts while
 * no staircase is coarsened, and fronts that cover every live leaf when one is.
 */
final class StaircasesTest {

    @Test
    void insertGivesTheMergedFronts() {
        for (long seed = 0; seed < 300; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int leaves = 1 << (1 + random.nextInt(6)); // up to 64 leaves: a front never passes the cap of 32 points below the root's children
            boolean grid = random.nextBoolean(); // few distinct amounts: equal CPU or memory, equal points
            Staircases inserted = new Staircases(leaves);
            long[][] point = new long[leaves][];
            int live = Math.min(leaves, 32);
            for (int step = 0; step < live; step++) {
                int leaf = random.nextInt(leaves);
                if (point[leaf] != null) {
                    continue;
                }
                long c = grid ? 100L * random.nextInt(6) : random.nextLong(1_000_000);
                long m = grid ? 100L * random.nextInt(6) : random.nextLong(1_000_000);
                point[leaf] = new long[] {c, m};
                int v = leaves + leaf;
                inserted.setLeaf(v, c, m);
                for (int u = v >>> 1; u >= 1; u >>>= 1) {
                    int changed = inserted.insert(u, c, m);
                    assertThat(changed).as("seed %d: no front passes the cap", seed).isNotNegative();
                    if (changed == 0) {
                        break;
                    }
                }
                Staircases merged = rebuilt(leaves, point);
                for (int u = 1; u < leaves; u++) {
                    assertThat(inserted.points(u)).as("seed %d step %d node %d", seed, step, u).containsExactly(merged.points(u));
                }
            }
        }
    }

    @Test
    void insertPastTheCapLeavesTheMergeToTheCaller() {
        // 40 points on one front (C up, M down): the root can keep 32, so the 33rd insert says -1
        // and the caller's merge coarsens; every live point stays covered.
        Staircases stairs = new Staircases(64);
        int full = -1;
        for (int leaf = 0; leaf < 40; leaf++) {
            long c = 1000 - 10L * leaf;
            long m = 10L * leaf;
            int v = 64 + leaf;
            stairs.setLeaf(v, c, m);
            for (int u = v >>> 1; u >= 1; u >>>= 1) {
                int changed = stairs.insert(u, c, m);
                if (changed < 0) {
                    full = full < 0 ? leaf : full;
                    stairs.combine(u);
                } else if (changed == 0) {
                    break;
                }
            }
            for (int k = 0; k <= leaf; k++) {
                assertThat(stairs.covers(1, 1000 - 10L * k, 10L * k)).as("leaf %d, point %d", leaf, k).isTrue();
            }
        }
        assertThat(full).isEqualTo(32);
        assertThat(stairs.points(1).length / 2).isLessThanOrEqualTo(Staircases.MOST);
    }

    /** Every leaf set from scratch and every tree node merged from its children, bottom up. */
    private static Staircases rebuilt(int leaves, long[][] point) {
        Staircases s = new Staircases(leaves);
        for (int leaf = 0; leaf < leaves; leaf++) {
            if (point[leaf] != null) {
                s.setLeaf(leaves + leaf, point[leaf][0], point[leaf][1]);
            }
        }
        for (int v = leaves - 1; v >= 1; v--) {
            s.combine(v);
        }
        return s;
    }
}
