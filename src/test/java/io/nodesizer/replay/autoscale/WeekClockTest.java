package io.nodesizer.replay.autoscale;

import io.nodesizer.input.SourceLocation;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Windows in a time zone follow its daylight-saving changes, as the clouds' scheduled actions and CronJob timeZone do. */
class WeekClockTest {
    private static final WeekClock BERLIN = WeekClock.of(ZoneId.of("Europe/Berlin"));
    // Central European Summer Time began on Sunday 2026-03-29 at 02:00 local (01:00 UTC).
    private static final Schedule MORNING = new Schedule(List.of(Schedule.parseInline("Mon 07:00-09:00 min=3", SourceLocation.ofFile("t"))));

    @Test
    void utcIsOneClockWhateverItIsCalled() {
        assertThat(WeekClock.of(ZoneOffset.UTC)).isSameAs(WeekClock.UTC);
        assertThat(WeekClock.of(ZoneId.of("UTC"))).isSameAs(WeekClock.UTC);
        assertThat(WeekClock.of(ZoneId.of("Z"))).isSameAs(WeekClock.UTC);
        assertThat(WeekClock.UTC.ianaName()).isEqualTo("Etc/UTC");
        assertThat(BERLIN.ianaName()).isEqualTo("Europe/Berlin");
        // Monday 2026-01-05 00:00 UTC is second 0 of the week.
        assertThat(WeekClock.UTC.secondOfWeek(Instant.parse("2026-01-05T00:00:00Z"))).isZero();
        assertThat(WeekClock.UTC.secondOfWeek(Instant.parse("2026-01-11T23:59:59Z"))).isEqualTo(7 * 86400L - 1);
    }

    @Test
    void aLocalWindowMovesInUtcWhenTheClocksChange() {
        // Winter (UTC+1): 07:00-09:00 local is 06:00-08:00 UTC.
        assertThat(MORNING.limitsAt(Instant.parse("2026-03-23T05:59:00Z"), BERLIN, 0, 10)).containsExactly(0, 10);
        assertThat(MORNING.limitsAt(Instant.parse("2026-03-23T06:00:00Z"), BERLIN, 0, 10)).containsExactly(3, 10);
        assertThat(MORNING.limitsAt(Instant.parse("2026-03-23T07:59:00Z"), BERLIN, 0, 10)).containsExactly(3, 10);
        // Summer (UTC+2): 05:00-07:00 UTC.
        assertThat(MORNING.limitsAt(Instant.parse("2026-03-30T05:00:00Z"), BERLIN, 0, 10)).containsExactly(3, 10);
        assertThat(MORNING.limitsAt(Instant.parse("2026-03-30T07:00:00Z"), BERLIN, 0, 10)).containsExactly(0, 10);
        // The same instants on UTC's clock.
        assertThat(MORNING.limitsAt(Instant.parse("2026-03-30T05:00:00Z"), WeekClock.UTC, 0, 10)).containsExactly(0, 10);
        assertThat(MORNING.limitsAt(Instant.parse("2026-03-30T07:00:00Z"), WeekClock.UTC, 0, 10)).containsExactly(3, 10);
    }

    @Test
    void theNextEdgeCountsTheHourTheSpringChangeSkips() {
        // From Sunday 00:00 UTC (01:00 CET) to Monday 07:00 CEST (05:00 UTC): 29 hours, not 30.
        assertThat(MORNING.secondsToNextEdge(Instant.parse("2026-03-29T00:00:00Z"), BERLIN)).isEqualTo(29 * 3600L);
        assertThat(MORNING.secondsToNextEdge(Instant.parse("2026-03-29T00:00:00Z"), WeekClock.UTC)).isEqualTo(31 * 3600L);
        // Inside the window: its end, 2 hours after the start.
        assertThat(MORNING.secondsToNextEdge(Instant.parse("2026-03-30T05:00:00Z"), BERLIN)).isEqualTo(2 * 3600L);
        // After it: next Monday 07:00 CEST.
        assertThat(MORNING.secondsToNextEdge(Instant.parse("2026-03-30T07:00:00Z"), BERLIN)).isEqualTo(7 * 86400L - 2 * 3600L);
        // The local Monday of a Sunday-night instant is the Monday before.
        assertThat(BERLIN.mondayOf(Instant.parse("2026-03-29T21:59:59Z"))).isEqualTo(Instant.parse("2026-03-22T23:00:00Z"));
        assertThat(BERLIN.mondayOf(Instant.parse("2026-03-29T22:00:00Z"))).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
    }

    @Test
    void aLocalTimeTheSpringChangeSkipsHappensAfterTheGap() {
        Schedule night = new Schedule(List.of(Schedule.parseInline("Sun 02:30-04:00 min=2", SourceLocation.ofFile("t"))));
        // 02:30 does not exist on 2026-03-29 in Berlin; the window starts at 03:30 local, 01:30 UTC.
        assertThat(night.secondsToNextEdge(Instant.parse("2026-03-29T00:00:00Z"), BERLIN)).isEqualTo(90 * 60L);
        assertThat(night.limitsAt(Instant.parse("2026-03-29T01:30:00Z"), BERLIN, 0, 10)).containsExactly(2, 10);
        assertThat(night.limitsAt(Instant.parse("2026-03-29T02:00:00Z"), BERLIN, 0, 10)).containsExactly(0, 10);
        // 03:00 and 03:05 CEST read past 02:30 on the wall clock, but the window starts at 03:30 (QA 50b: a loop woken
        // there by another event drained at 03:05, one not woken at 03:30).
        assertThat(night.limitsAt(Instant.parse("2026-03-29T01:00:00Z"), BERLIN, 0, 10)).containsExactly(0, 10);
        assertThat(night.limitsAt(Instant.parse("2026-03-29T01:05:00Z"), BERLIN, 0, 10)).containsExactly(0, 10);
    }

    /** A window wholly in the hour the spring change skips runs no minute that day (QA 57b F3: it ran 03:15-03:45 CEST). */
    @Test
    void aWindowWhollyInTheSkippedHourDoesNotRunThatDay() {
        Schedule gap = new Schedule(List.of(Schedule.parseInline("Sun 02:15-02:45 min=2", SourceLocation.ofFile("t"))));
        for (String t : List.of("2026-03-29T01:14:00Z", "2026-03-29T01:15:00Z", "2026-03-29T01:30:00Z", "2026-03-29T01:44:00Z")) {
            assertThat(gap.limitsAt(Instant.parse(t), BERLIN, 0, 10)).as(t).containsExactly(0, 10);
        }
        // The week before, the same window runs 02:15-02:45 CET (01:15-01:45 UTC).
        assertThat(gap.limitsAt(Instant.parse("2026-03-22T01:30:00Z"), BERLIN, 0, 10)).containsExactly(2, 10);
    }

    /**
     * The autumn change repeats 01:00-02:00 in New York (2026-11-01, 06:00 UTC): a window's edge in that hour takes
     * effect at its first occurrence only. The wall clock read 01:05 EST as inside {@code Sun 00:00-01:30} again, so a
     * loop another event woke there applied max=1 a second time and drained nodes, and the second 01:30 woke no loop:
     * pods stayed Pending to the end (QA 50b).
     */
    @Test
    void aLocalTimeTheAutumnChangeRepeatsTakesEffectOnce() {
        WeekClock ny = WeekClock.of(ZoneId.of("America/New_York"));
        Schedule early = new Schedule(List.of(Schedule.parseInline("Sun 00:00-01:30 max=1", SourceLocation.ofFile("t"))));
        assertThat(early.limitsAt(Instant.parse("2026-11-01T04:00:00Z"), ny, 0, 10)).containsExactly(0, 1); // 00:00 EDT
        assertThat(early.limitsAt(Instant.parse("2026-11-01T05:29:00Z"), ny, 0, 10)).containsExactly(0, 1);
        assertThat(early.limitsAt(Instant.parse("2026-11-01T05:30:00Z"), ny, 0, 10)).containsExactly(0, 10); // 01:30 EDT
        assertThat(early.limitsAt(Instant.parse("2026-11-01T06:05:00Z"), ny, 0, 10)).containsExactly(0, 10); // 01:05 EST
        Schedule late = new Schedule(List.of(Schedule.parseInline("Sun 01:30-03:00 max=1", SourceLocation.ofFile("t"))));
        assertThat(late.limitsAt(Instant.parse("2026-11-01T06:05:00Z"), ny, 0, 10)).as("in force through the repeated hour")
                .containsExactly(0, 1);
        assertThat(late.secondsToNextEdge(Instant.parse("2026-11-01T06:05:00Z"), ny)).as("to 03:00 EST, not the second 01:30")
                .isEqualTo(115 * 60L);
        assertThat(late.limitsAt(Instant.parse("2026-11-01T08:00:00Z"), ny, 0, 10)).containsExactly(0, 10);
    }

    /**
     * Back to back on the wall clock, {@code Sun 01:00-02:30 min=3} and {@code Sun 03:00-05:00 max=2} overlap in Berlin on
     * 2026-03-29: the first ends at 03:30 CEST (02:30 is skipped), the second starts at 03:00. The user's windows are
     * refused up front naming both and the date; limitsAt keeps the wall clock's limits there rather than stop the replay
     * with an internal error (review 50).
     */
    @Test
    void windowsThatTheSpringChangeMakesCrossAreRefused() {
        List<Schedule.Given> given = List.of(
                new Schedule.Given(Schedule.parseInline("Sun 01:00-02:30 min=3", SourceLocation.ofFile("--window")), SourceLocation.ofFile("--window")),
                new Schedule.Given(Schedule.parseInline("Sun 03:00-05:00 max=2", SourceLocation.ofFile("--window")), SourceLocation.ofFile("--window")));
        Schedule.checkWithin(given, 0, 40); // back to back on the wall clock
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Schedule.checkAcrossChanges(given, BERLIN,
                        Instant.parse("2026-03-28T00:00:00Z"), Instant.parse("2026-03-30T00:00:00Z")))
                .isInstanceOf(io.nodesizer.input.InputException.class)
                .hasMessageContaining("on 2026-03-29 in Europe/Berlin").hasMessageContaining("at 03:00 the min in force would be 3 and the max 2");
        Schedule.checkAcrossChanges(given, BERLIN, Instant.parse("2026-03-30T00:00:00Z"), Instant.parse("2026-04-30T00:00:00Z"));
        Schedule.checkAcrossChanges(given, WeekClock.UTC, Instant.parse("2026-03-28T00:00:00Z"), Instant.parse("2026-03-30T00:00:00Z"));
        Schedule schedule = new Schedule(given.stream().map(Schedule.Given::window).toList());
        assertThat(schedule.limitsAt(Instant.parse("2026-03-29T01:10:00Z"), BERLIN, 0, 40)).containsExactly(0, 2);
    }

    /**
     * The limits in force change only at the instants {@link Schedule#secondsToNextEdge} wakes the loop for, minute by
     * minute over both changes of the year, in zones whose change is at 02:00, at midnight (Santiago), or half an hour
     * long (Lord Howe), for random windows: so a replay's result does not depend on which other events wake the loop.
     */
    @Test
    void theLimitsChangeOnlyAtTheEdgesTheLoopWakesFor() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(50);
        for (String zone : List.of("America/New_York", "Europe/Berlin", "America/Santiago", "Australia/Lord_Howe")) {
            WeekClock clock = WeekClock.of(ZoneId.of(zone));
            for (int round = 0; round < 12; round++) {
                List<Schedule.Window> windows = new java.util.ArrayList<>();
                for (int k = 0; k < 1 + random.nextInt(3); k++) {
                    int from = random.nextInt(48) * 30 + random.nextInt(2) * 15;
                    int to = random.nextInt(48) * 30;
                    int max = 1 + random.nextInt(5);
                    // a min of 1 below every max: windows that overlap never cross (checkWithin)
                    windows.add(new Schedule.Window(1 + random.nextInt(127), from, to, random.nextBoolean() ? null : 1, max));
                }
                Schedule schedule = new Schedule(windows);
                Instant t = Instant.parse("2026-01-01T00:00:00Z");
                for (int change = 0; change < 2; change++) {
                    Instant around = clock.nextTransition(t);
                    Instant from = around.minusSeconds(2 * 86400);
                    int[] before = schedule.limitsAt(from, clock, 0, 10);
                    for (Instant at = from.plusSeconds(60); at.isBefore(around.plusSeconds(2 * 86400)); at = at.plusSeconds(60)) {
                        int[] now = schedule.limitsAt(at, clock, 0, 10);
                        if (!java.util.Arrays.equals(now, before)) {
                            assertThat(schedule.secondsToNextEdge(at.minusSeconds(60), clock)).as("%s %s at %s", zone, schedule, at)
                                    .isLessThanOrEqualTo(60L);
                        }
                        before = now;
                    }
                    t = around.plusSeconds(1);
                }
            }
        }
    }
}
