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
    }
}
