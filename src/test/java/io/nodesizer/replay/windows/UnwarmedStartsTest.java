package io.nodesizer.replay.windows;

import io.nodesizer.replay.autoscale.Schedule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 65b F8: the user's windows are replayed as given, so a window whose minimum rises at its start brings its nodes a
 * provisioning delay late, whatever the minimum; windows names such windows where scheduled+ca misses the SLO.
 */
class UnwarmedStartsTest {
    private static final int MON = 1, TUE = 2, SUN = 64;

    private static Schedule.Window w(int days, int from, int to, int min) {
        return new Schedule.Window(days, from, to, min, null);
    }

    /** Slow pods in these hours of the week (0 = Monday 00:00-01:00). */
    private static long[] slowIn(int... hours) {
        long[] slow = new long[168];
        for (int h : hours) {
            slow[h] = 3;
        }
        return slow;
    }

    private static final int TUE_0 = 24;

    @Test
    void aWindowRaisingTheMinimumAtItsStartWherePodsAreSlowIsNamedOnce() {
        Schedule s = new Schedule(List.of(w(MON, 23 * 60, 1440, 1), w(TUE, 0, 180, 17)));
        assertThat(WindowPlanner.unwarmedStarts(s, 1, 30, 10, "3m..5m", slowIn(TUE_0))).singleElement().asString()
                .startsWith("the window Tue 00:00-03:00 raises the node group's minimum from 1 to 17 at its start (Tue 00:00)")
                .contains("a provisioning delay (3m..5m)").endsWith("Start it 10 min earlier, or give the minutes before it that minimum");
        // No slow pod in its first minutes: the rise did no harm (or the window pre-warms a later one).
        assertThat(WindowPlanner.unwarmedStarts(s, 1, 30, 10, "3m..5m", slowIn(30))).isEmpty();
    }

    /** The minutes before the start already hold the minimum (a window before it, or the same one the day before): none. */
    @Test
    void aWindowWhoseLeadHoldsItsMinimumIsNotNamed() {
        // A pre-warming window whose own first minutes have no slow pod is not named either.
        assertThat(WindowPlanner.unwarmedStarts(new Schedule(List.of(w(MON, 23 * 60 + 50, 1440, 17), w(TUE, 0, 180, 17))), 1, 30, 10, "3m",
                slowIn(TUE_0))).isEmpty();
        // Minutes before the lead do not count: 23:55 leaves 23:50-23:55 at the floor.
        assertThat(WindowPlanner.unwarmedStarts(new Schedule(List.of(w(MON, 23 * 60 + 55, 1440, 17), w(TUE, 0, 180, 17))), 1, 30, 10, "3m",
                slowIn(TUE_0))).anyMatch(n -> n.startsWith("the window Tue 00:00-03:00 raises the node group's minimum from 1 to 17"));
        // A window at the floor raises nothing.
        assertThat(WindowPlanner.unwarmedStarts(new Schedule(List.of(w(TUE, 0, 180, 1))), 1, 30, 10, "3m", slowIn(TUE_0))).isEmpty();
    }

    /** Monday 00:00's lead is Sunday's last minutes, across the week's end. */
    @Test
    void theLeadOfMondayMidnightIsSundayEvening() {
        assertThat(WindowPlanner.unwarmedStarts(new Schedule(List.of(w(SUN, 23 * 60, 1440, 8), w(MON, 0, 120, 8))), 0, 30, 10, "3m",
                slowIn(0))).isEmpty();
        assertThat(WindowPlanner.unwarmedStarts(new Schedule(List.of(w(MON, 0, 120, 8))), 0, 30, 10, "3m", slowIn(0)))
                .singleElement().asString().contains("(Mon 00:00)");
    }
}
