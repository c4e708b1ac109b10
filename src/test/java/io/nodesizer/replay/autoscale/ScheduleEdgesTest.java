package io.nodesizer.replay.autoscale;

import io.nodesizer.input.SourceLocation;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The next window edge from the edges' instants worked out once per local week (QA 65b F2). */
class ScheduleEdgesTest {
    private static final WeekClock NEW_YORK = WeekClock.of(ZoneId.of("America/New_York"));

    private static Schedule schedule(String... windows) {
        return new Schedule(Stream.of(windows).map(w -> Schedule.parseInline(w, SourceLocation.ofFile("t"))).toList());
    }

    private static long next(Schedule s, WeekClock clock, String t) {
        return new ScheduleEdges(s, clock).secondsToNext(Instant.parse(t));
    }

    @Test
    void aStartInTheSpringGapComesPastItAfterAnEndThatFollowsTheGap() {
        // 2026-03-08 in New York: 02:00 EST is 03:00 EDT (07:00 UTC). 02:30 is taken as 03:30 EDT (07:30 UTC), after
        // the window's end at 03:15 EDT (07:15 UTC).
        Schedule s = schedule("Sun 02:30-03:15 min=1");
        ScheduleEdges edges = new ScheduleEdges(s, NEW_YORK);
        assertThat(edges.secondsToNext(Instant.parse("2026-03-08T06:00:00Z"))).isEqualTo(75 * 60L);
        assertThat(edges.secondsToNext(Instant.parse("2026-03-08T07:15:00Z"))).isEqualTo(15 * 60L);
        // Then the next Sunday's 02:30, which happens that week: EDT, 06:30 UTC (from the next week's edges).
        assertThat(edges.secondsToNext(Instant.parse("2026-03-08T07:30:00Z"))).isEqualTo(7 * 86400L - 3600L);
    }

    @Test
    void aTimeTheAutumnOverlapRepeatsIsAnEdgeAtItsFirstOccurrenceOnly() {
        // 2026-11-01 in New York: 02:00 EDT is 01:00 EST (06:00 UTC), so 01:00-02:00 happens twice.
        Schedule s = schedule("Sun 01:30-01:45 max=3");
        ScheduleEdges edges = new ScheduleEdges(s, NEW_YORK);
        assertThat(edges.secondsToNext(Instant.parse("2026-11-01T05:00:00Z"))).isEqualTo(30 * 60L); // 01:30 EDT
        assertThat(edges.secondsToNext(Instant.parse("2026-11-01T05:30:00Z"))).isEqualTo(15 * 60L); // 01:45 EDT
        // At 01:35 EST, the second time round, the next edge is the next Sunday's 01:30 EST, not 01:45 EST.
        long toNextWeek = Instant.parse("2026-11-08T06:30:00Z").getEpochSecond() - Instant.parse("2026-11-01T06:35:00Z").getEpochSecond();
        assertThat(edges.secondsToNext(Instant.parse("2026-11-01T06:35:00Z"))).isEqualTo(toNextWeek);
    }

    @Test
    void aFixedOffsetWrapsToTheFirstEdgeOfTheNextWeek() {
        Schedule s = schedule("Mon 07:00-09:00 min=3");
        assertThat(next(s, WeekClock.UTC, "2026-01-05T06:59:59Z")).isEqualTo(1);
        assertThat(next(s, WeekClock.UTC, "2026-01-05T07:00:00Z")).isEqualTo(2 * 3600L);
        assertThat(next(s, WeekClock.UTC, "2026-01-05T09:00:00Z")).isEqualTo(7 * 86400L - 2 * 3600L);
        assertThat(next(s, WeekClock.of(ZoneOffset.ofHoursMinutes(5, 30)), "2026-01-05T03:30:00Z")).isEqualTo(7 * 86400L - 2 * 3600L);
        assertThat(next(new Schedule(List.of()), NEW_YORK, "2026-01-05T00:00:00Z")).isEqualTo(Long.MAX_VALUE);
    }

    /**
     * Every 7 minutes (and a second either side) over the springs and autumns of 2026 in zones with daylight saving,
     * some changing at midnight, the same answer as asking the zone for each edge's next occurrence in the week of the
     * instant and the next (how it was worked out before).
     */
    @Test
    void asAskingTheZoneForEveryEdge() {
        Schedule s = schedule("Mon-Fri 07:00-21:00 min=6 max=40", "Sat,Sun 00:00-02:30 min=3", "Sun 03:00-05:00 max=30",
                "Sun 01:30-02:00 min=4", "* 22:30-01:30 max=20", "Sat 23:59-00:01 min=2");
        for (String zone : List.of("America/New_York", "Europe/London", "Asia/Kolkata", "America/Santiago", "America/Havana",
                "Australia/Lord_Howe", "UTC", "+05:30")) {
            WeekClock clock = WeekClock.of(ZoneId.of(zone));
            ScheduleEdges edges = new ScheduleEdges(s, clock);
            for (String from : List.of("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-09-01T00:00:00Z", "2026-10-20T00:00:00Z")) {
                Instant start = Instant.parse(from);
                for (long x = 0; x < 21 * 86400L; x += 7 * 60) {
                    for (long d = -1; d <= 1; d++) {
                        Instant t = start.plusSeconds(x + d);
                        assertThat(edges.secondsToNext(t)).as(zone + " " + t).isEqualTo(reference(s, clock, t));
                    }
                }
            }
        }
    }

    /** The next edge as it was found before ScheduleEdges: each edge's minute in t's local week and the next, asked of the zone. */
    private static long reference(Schedule s, WeekClock clock, Instant t) {
        LocalDateTime monday = LocalDateTime.ofInstant(clock.mondayOf(t), clock.zone());
        long best = Long.MAX_VALUE;
        for (Schedule.Window win : s.windows()) {
            for (int d = 0; d < 7; d++) {
                if ((win.days() & (1 << d)) == 0) {
                    continue;
                }
                int end = win.from() < win.to() ? d * 1440 + win.to() : (d + 1) * 1440 + win.to();
                for (int minute : new int[] {d * 1440 + win.from(), end % (7 * 1440)}) {
                    for (int w = 0; w <= 1; w++) {
                        long delta = clock.instant(monday.plusWeeks(w).plusMinutes(minute)).getEpochSecond() - t.getEpochSecond();
                        if (delta > 0) {
                            best = Math.min(best, delta);
                        }
                    }
                }
            }
        }
        return best;
    }
}
