package io.nodesizer.sweep;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The minimum set cover behind "the pods need at least N pools" ({@link PoolCover}), past the 63 classes a long held (fix
 * 76f): exact against every subset where the sets are few, its bounds certain whatever the effort.
 */
class SetCoverTest {
    /** The least number of {@code sets} that cover 0..n-1, by trying every subset. */
    private static int bruteForce(List<BitSet> sets, int n) {
        int best = Integer.MAX_VALUE;
        for (int mask = 1; mask < 1 << sets.size(); mask++) {
            BitSet union = new BitSet();
            for (int s = 0; s < sets.size(); s++) {
                if ((mask >>> s & 1) != 0) {
                    union.or(sets.get(s));
                }
            }
            if (union.cardinality() == n) {
                best = Math.min(best, Integer.bitCount(mask));
            }
        }
        return best;
    }

    /** {@code m} random sets over {@code n} elements, each element put in at least one. */
    private static List<BitSet> random(SplittableRandom random, int n, int m, double density) {
        List<BitSet> sets = new ArrayList<>();
        for (int s = 0; s < m; s++) {
            sets.add(new BitSet(n));
        }
        for (int e = 0; e < n; e++) {
            sets.get(random.nextInt(m)).set(e);
            for (BitSet s : sets) {
                if (random.nextDouble() < density) {
                    s.set(e);
                }
            }
        }
        return sets;
    }

    /** Sets {i, i+1 mod n}: a cycle's edges covering its vertices, which takes ⌈n/2⌉ of them. */
    private static List<BitSet> cycle(int n) {
        List<BitSet> sets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BitSet s = new BitSet(n);
            s.set(i);
            s.set((i + 1) % n);
            sets.add(s);
        }
        return sets;
    }

    @Test
    void theMinimumMatchesEveryCombinationTriedWithManyMoreElementsThanALongHolds() {
        SplittableRandom random = new SplittableRandom(76);
        int searched = 0;
        for (int round = 0; round < 300; round++) {
            int n = 20 + random.nextInt(180); // most past 63
            int m = 2 + random.nextInt(13);
            List<BitSet> sets = random(random, n, m, random.nextDouble() * 0.4);
            int least = bruteForce(sets, n);
            SetCover.Bounds b = SetCover.fewest(sets, n, PoolCover.EFFORT);
            assertThat(b.exact()).as("round %d", round).isTrue();
            assertThat(b.lower()).as("round %d", round).isEqualTo(least);
            // Without effort the bounds are still certain: the least lies between them.
            SetCover.Bounds none = SetCover.fewest(sets, n, 0);
            assertThat(none.lower()).as("round %d", round).isLessThanOrEqualTo(least);
            assertThat(none.upper()).as("round %d", round).isGreaterThanOrEqualTo(least);
            searched += none.exact() ? 0 : 1;
        }
        assertThat(searched).as("instances the bounds alone leave open, which the search closed").isGreaterThan(10);
    }

    /**
     * A cycle of 101: no reduction applies, the elements that share no set prove 50 and a greedy cover takes 51; the search
     * proves 50 too few. Without effort the bounds are given as bounds.
     */
    @Test
    void theSearchClosesTheGapBetweenTheBoundsAndWithoutEffortLeavesThemAsBounds() {
        assertThat(SetCover.fewest(cycle(101), 101, PoolCover.EFFORT)).isEqualTo(new SetCover.Bounds(51, 51));
        SetCover.Bounds none = SetCover.fewest(cycle(101), 101, 0);
        assertThat(none).isEqualTo(new SetCover.Bounds(50, 51));
        assertThat(none.exact()).isFalse();
        assertThat(SetCover.fewest(cycle(100), 100, 0)).isEqualTo(new SetCover.Bounds(50, 50));
    }

    /**
     * 70 elements each in a set of its own and in sets that hold one other element each, contained in those: 70 forced
     * sets, no search; beside them a cycle apart from them, solved as a component of its own.
     */
    @Test
    void forcedSetsAndSeparateComponentsAddUp() {
        int pinned = 70;
        List<BitSet> sets = new ArrayList<>();
        for (int i = 0; i < pinned; i++) {
            BitSet own = new BitSet();
            own.set(i);
            sets.add(own);
            sets.add((BitSet) own.clone()); // a second shape alike
        }
        for (BitSet edge : cycle(9)) {
            BitSet shifted = new BitSet();
            edge.stream().forEach(e -> shifted.set(pinned + e));
            sets.add(shifted);
        }
        assertThat(SetCover.fewest(sets, pinned + 9, 0)).isEqualTo(new SetCover.Bounds(pinned + 4, pinned + 5));
        assertThat(SetCover.fewest(sets, pinned + 9, PoolCover.EFFORT)).isEqualTo(new SetCover.Bounds(pinned + 5, pinned + 5));
    }

    @Test
    void anElementInNoSetHasNoCover() {
        BitSet only = new BitSet();
        only.set(0);
        assertThatThrownBy(() -> SetCover.fewest(List.of(only), 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
