package io.nodesizer.replay.autoscale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a group's next first fit may start: the slot its last pod landed on, unless a slot before it that the last search skipped may take the pod now. */
class FitStartsTest {
    private static final java.util.function.IntPredicate OPEN = slot -> false;

    @Test
    void aGroupStartsWhereItsLastPodLanded() {
        FitStarts starts = new FitStarts();
        assertThat(starts.start(3, -1, OPEN)).as("nothing remembered").isZero();
        starts.landed(3, 7, -1);
        assertThat(starts.start(3, -1, OPEN)).isEqualTo(7);
        assertThat(starts.start(4, -1, OPEN)).as("another group").isZero();
        starts.landed(3, -1, -1);
        assertThat(starts.start(3, -1, OPEN)).as("none fitted: none will").isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theSlotTheLastSearchSkippedMayTakeTheNextPodUnlessSkippedAgainOrClosed() {
        FitStarts starts = new FitStarts();
        starts.landed(0, 5, 2); // the search skipped slot 2 (the node being emptied) and landed on 5
        assertThat(starts.start(0, 3, OPEN)).as("slot 2 open and not skipped now: from the first").isZero();
        assertThat(starts.start(0, 2, OPEN)).as("slot 2 skipped again").isEqualTo(5);
        assertThat(starts.start(0, 3, slot -> slot == 2)).as("slot 2 closed").isEqualTo(5);
        starts.landed(1, 5, 8); // a skipped slot after the landing one is no matter
        assertThat(starts.start(1, 3, OPEN)).isEqualTo(5);
    }

    @Test
    void roomComingBackForgetsEveryStart() {
        FitStarts starts = new FitStarts();
        starts.landed(0, 4, -1);
        starts.landed(9, 6, -1);
        starts.forget();
        assertThat(starts.start(0, -1, OPEN)).isZero();
        assertThat(starts.start(9, -1, OPEN)).isZero();
        starts.landed(0, 2, -1);
        assertThat(starts.start(0, -1, OPEN)).isEqualTo(2);
    }
}
