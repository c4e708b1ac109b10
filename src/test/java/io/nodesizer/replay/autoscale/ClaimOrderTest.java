package io.nodesizer.replay.autoscale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The order Karpenter's launch tries its new claims in: fewest pods first, ties as the last sort left them. */
class ClaimOrderTest {
    @Test
    void claimsGoFewestPodsFirstAndTiesKeepTheOrderTheLastSortLeft() {
        int[] order = {0, 1, 2};
        int[] pods = {2, 1, 1};
        Karpenter.byPodCount(order, pods, 3);
        assertThat(order).containsExactly(1, 2, 0);
        pods[1] = 2;
        Karpenter.byPodCount(order, pods, 3);
        assertThat(order).containsExactly(2, 1, 0); // 1 and 0 tie at 2 pods: in the order the last sort left them
    }
}
