package io.nodesizer.replay.autoscale;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * When a schedule's limits next change: the next start or end of one of its windows after an instant, on a {@link
 * WeekClock}. The scheduled autoscaler asks it at every loop. The edges' minutes of the week are sorted once; in a zone
 * with daylight saving the instants they take effect at in a local week and the next are worked out once per week and
 * looked up by binary search. Asking the zone's rules for every edge at every loop made a replay in America/New_York
 * about 3 times as slow as in UTC, and windows' planning 4-7 times (QA 65b F2).
 *
 * <p>The answer is that of the local week that contains the instant ({@link WeekClock#mondayOf}): the first instant
 * after it at which the local time is an edge's minute of that week or of the next, a local time the spring change
 * skips taken past the gap by its length and one the autumn change repeats at its first occurrence ({@link
 * WeekClock#instant}). A local week may be an hour longer or shorter than 7 days.
 */
public final class ScheduleEdges {
    private static final long WEEK_SECONDS = 7 * 86400L;

    private final WeekClock clock;
    /** The distinct minutes of the week (0 = Monday 00:00, local time) at which a window starts or ends, ascending. */
    private final int[] minutes;

    /** A local week by its Monday (epoch day) and the epoch seconds of its edges and the next week's, ascending. */
    private record Week(long monday, long[] edges) {
    }

    /** The week last asked about: one object, so that a reader on another thread never pairs a Monday with another's edges. */
    private volatile Week week = new Week(Long.MIN_VALUE, new long[0]);

    public ScheduleEdges(Schedule schedule, WeekClock clock) {
        this.clock = clock;
        TreeSet<Integer> edges = new TreeSet<>();
        for (Schedule.Window w : schedule.windows()) {
            for (int d = 0; d < 7; d++) {
                if ((w.days() & (1 << d)) != 0) {
                    edges.add(d * 1440 + w.from());
                    int end = w.from() < w.to() ? d * 1440 + w.to() : (d + 1) * 1440 + w.to();
                    edges.add(end % (7 * 1440));
                }
            }
        }
        this.minutes = edges.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Seconds from {@code t} to the next window edge (> 0), or {@link Long#MAX_VALUE} without windows. */
    public long secondsToNext(Instant t) {
        if (minutes.length == 0) {
            return Long.MAX_VALUE;
        }
        if (clock.isFixedOffset()) {
            // Every week the same: the first edge after t's second of the week, or the first edge of the next week.
            long secondOfWeek = clock.secondOfWeek(t);
            int i = Arrays.binarySearch(minutes, (int) (secondOfWeek / 60) + 1);
            i = i >= 0 ? i : -i - 1; // the first edge at a minute past t's, so the first after t's second
            return i < minutes.length ? minutes[i] * 60L - secondOfWeek : minutes[0] * 60L + WEEK_SECONDS - secondOfWeek;
        }
        long s = t.getEpochSecond();
        long localDay = Math.floorDiv(s + clock.offsetSeconds(t), 86400L);
        long monday = localDay - Math.floorMod(localDay + 3, 7); // the epoch's day 0 was a Thursday
        Week w = week;
        if (w.monday() != monday) {
            w = week(monday);
            week = w;
        }
        int i = Arrays.binarySearch(w.edges(), s + 1);
        i = i >= 0 ? i : -i - 1;
        return i < w.edges().length ? w.edges()[i] - s : Long.MAX_VALUE;
    }

    /** The instants of the edges of the local week from Monday {@code monday} (epoch day) and of the week after. */
    private Week week(long monday) {
        // As WeekClock.mondayOf reads it: the instant the Monday starts, back on the wall clock (where a change skips that
        // midnight, the first minute after the gap, from which the week's minutes then count).
        LocalDateTime start = LocalDateTime.ofInstant(LocalDate.ofEpochDay(monday).atStartOfDay(clock.zone()).toInstant(), clock.zone());
        long[] edges = new long[2 * minutes.length];
        for (int w = 0; w <= 1; w++) {
            for (int i = 0; i < minutes.length; i++) {
                edges[w * minutes.length + i] = clock.instant(start.plusWeeks(w).plusMinutes(minutes[i])).getEpochSecond();
            }
        }
        Arrays.sort(edges); // a minute the spring change skips comes after later minutes past the gap
        return new Week(monday, edges);
    }
}
