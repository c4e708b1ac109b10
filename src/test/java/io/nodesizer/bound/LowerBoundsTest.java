package io.nodesizer.bound;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;

final class LowerBoundsTest {

    @Test
    void l2CountsItemsAboveHalfCapacityThatL1Misses() {
        // Three items of 6 on capacity 10: L1 = ceil(18/10) = 2, but no two share a bin → L2 = 3.
        assertThat(LowerBounds.martelloTothL2(new long[] {6}, new int[] {3}, 10)).isEqualTo(3);
    }

    @Test
    void l2AddsTheSmallItemsThatDoNotFitTheLeftovers() {
        // Capacity 10: two items of 7 and five of 3. α = 3: J2 = (5, 7] = the two 7s, leaving 2·10 − 14 = 6;
        // J3 = [3, 5] = five 3s = 15; 15 − 6 = 9 → one more bin → L2 = 3 (L1 = ceil(29/10) = 3 as well).
        assertThat(LowerBounds.martelloTothL2(new long[] {7, 3}, new int[] {2, 5}, 10)).isEqualTo(3);
        // Items 8, 8, 3, 3, 3: L1 = ceil(25/10) = 3. α = 3: J1 = items > 7 = two 8s (the 3s cannot join them),
        // J3 = three 3s = 9 → ceil(9/10) = 1 more → L2 = 3. α = 0 gives 2 + ceil((9 − 4)/10) = 3.
        assertThat(LowerBounds.martelloTothL2(new long[] {8, 3}, new int[] {2, 3}, 10)).isEqualTo(3);
        // Items 9, 9, 2, 2: L1 = ceil(22/10) = 3; α = 2: the 9s (> 8) are alone, the 2s need another bin → 3.
        assertThat(LowerBounds.martelloTothL2(new long[] {9, 2}, new int[] {2, 2}, 10)).isEqualTo(3);
        // Items 9, 9, 1, 1: α = 1: the 9s are not > 9, J2 = two 9s with slack 2 = the two 1s → 2 bins.
        assertThat(LowerBounds.martelloTothL2(new long[] {9, 1}, new int[] {2, 2}, 10)).isEqualTo(2);
    }

    @Test
    void podsThatAreLargeInDifferentResourcesCanStillBeAlone() {
        // Node 10 CPU / 10 GiB. A: 6 CPU, 5 GiB. B: 5 CPU, 6 GiB. A+A and B+B overflow; A+B = 11 CPU overflows too.
        // Every pod is alone, so 2 A + 2 B need 4 nodes, while L1 = ceil(22/10) = 3 and L2 per resource = 2
        // (only the two 6s are above half in each resource; the 5s sit exactly at half).
        Workload w = Workload.of(List.of(group("a", new Resources(6000, 5 * GIB, 1, 0, 0), 2),
                group("b", new Resources(5000, 6 * GIB, 1, 0, 0), 2)));
        PackingProblem p = new PackingProblem(DemandTable.of(w), shape("n", new Resources(10000, 10 * GIB, 110, 0, 0)), Resources.ZERO);
        LowerBound bound = LowerBounds.compute(p);
        assertThat(bound.value()).isEqualTo(4);
        assertThat(bound.method()).isEqualTo("alone+L2");
    }

    @Test
    void volumeBoundIsExactForHugeSums() {
        // 2^20 pods of 2^50 bytes overflow 64-bit sums (2^70); capacity 2^51 → exactly 2^19 nodes.
        int[] groups = {0};
        long[] demand = {0, 1L << 50, 0, 0, 0};
        assertThat(LowerBounds.volume(groups, new int[] {1 << 20}, demand, 1, 1L << 51)).isEqualTo(1 << 19);
    }

    @Test
    void gapIsRelativeToTheBound() {
        LowerBound b = new LowerBound(40, "L1(cpu)", List.of());
        assertThat(b.gapPercent(42)).isEqualTo(5.0);
    }
}
