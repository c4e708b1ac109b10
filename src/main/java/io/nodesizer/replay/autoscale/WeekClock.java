package io.nodesizer.replay.autoscale;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Where an instant falls in the week of a time zone ({@code --time-zone}): the clock that windows, schedules, the
 * synthetic day and the per-hour plans read. Local time follows the zone's daylight-saving rules, as the clouds'
 * scheduled actions, a CronJob's {@code timeZone} and KEDA's cron trigger do: a window from 07:00 in Europe/Berlin
 * starts at 06:00 UTC in winter and 05:00 UTC in summer. In the spring gap a local time that does not exist is the
 * first instant after it ({@link ZonedDateTime#of}: 02:30 on the day clocks go from 02:00 to 03:00 is 03:30); in
 * the autumn overlap a local minute that happens twice is taken at its first occurrence.
 */
public final class WeekClock {
    /** Coordinated Universal Time: every week the same. */
    public static final WeekClock UTC = new WeekClock(ZoneOffset.UTC);
    private static final long WEEK_SECONDS = 7 * 86400L;

    private final ZoneId zone;
    private final ZoneRules rules;
    private final boolean fixed;

    private WeekClock(ZoneId zone) {
        this.zone = zone;
        this.rules = zone.getRules();
        this.fixed = rules.isFixedOffset();
    }

    /** The clock of {@code zone}; UTC for {@code ZoneOffset.UTC}, "UTC", "Etc/UTC" and the like. */
    public static WeekClock of(ZoneId zone) {
        ZoneId z = zone.normalized();
        return z.equals(ZoneOffset.UTC) ? UTC : new WeekClock(zone);
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean isUtc() {
        return this == UTC;
    }

    /** Whether the offset never changes, so that every week is the same 7 days. */
    public boolean isFixedOffset() {
        return fixed;
    }

    /**
     * The zone's name in the tz database, as the CronJob, AWS and KEDA exports must give it, or null when it has none.
     * All three look the name up and take nothing else: the API server validates a CronJob's {@code timeZone} by
     * {@code time.LoadLocation} after checking each '/'-separated part against {@code ^[A-Za-z.\-_0-9+]{1,14}$} (kubernetes
     * pkg/apis/batch/validation, validateTimeZone), AWS scheduled actions take "the canonical names of the IANA time zones
     * (such as Etc/GMT+9 or Pacific/Tahiti)", and KEDA's cron scaler calls {@code time.LoadLocation} on its {@code timezone}.
     * {@code Etc/UTC} for UTC; an offset such as {@code +05:00} is the tz database's {@code Etc/GMT∓N} zone of the same fixed
     * offset (the POSIX sign: {@code +05:00} is {@code Etc/GMT-5}); other offsets ({@code +05:30}) have no name (QA 74b F1).
     */
    public String ianaName() {
        if (isUtc()) {
            return "Etc/UTC";
        }
        if (ZoneId.getAvailableZoneIds().contains(zone.getId())) {
            return zone.getId();
        }
        // Not a tz database name (+05:00, UTC+5, GMT-03:00): only a fixed offset reaches here, ZoneId.of takes no other.
        if (!(zone.normalized() instanceof ZoneOffset offset)) {
            return null;
        }
        int seconds = offset.getTotalSeconds();
        int hours = seconds / 3600;
        // The tz database's Etc zones run from Etc/GMT-14 (UTC+14) to Etc/GMT+12 (UTC-12).
        if (seconds % 3600 != 0 || hours > 14 || hours < -12) {
            return null;
        }
        return hours == 0 ? "Etc/UTC" : "Etc/GMT" + (hours > 0 ? "-" : "+") + Math.abs(hours);
    }

    /** How reports name it: "UTC" or the IANA name. */
    @Override
    public String toString() {
        return isUtc() ? "UTC" : zone.getId();
    }

    /** The offset from UTC at {@code t}, in seconds. */
    public int offsetSeconds(Instant t) {
        return fixed ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : rules.getOffset(t).getTotalSeconds();
    }

    /** The next instant after {@code t} at which the offset changes; null when it never does. */
    public Instant nextTransition(Instant t) {
        if (fixed) {
            return null;
        }
        ZoneOffsetTransition next = rules.nextTransition(t);
        return next == null ? null : next.getInstant();
    }

    /**
     * Whether {@code t} lies in the hour (the offset's change) right after a daylight-saving change, where the wall clock
     * and the instants of local times disagree: after the autumn change the wall clock reads the repeated hour a second
     * time, whose local times are taken at their first occurrence; after the spring change it reads times past the gap
     * that come before the gap's own local times, which happen after it shifted by its length ({@link #instant}). Outside
     * these hours a local time is in the past exactly when the wall clock has passed it (near a change: {@link
     * Schedule#limitsAt}).
     */
    public boolean justAfterChange(Instant t) {
        if (fixed) {
            return false;
        }
        long s = t.getEpochSecond();
        Quiet q = quiet;
        if (s >= q.from() && s < q.to()) {
            return false;
        }
        ZoneOffsetTransition last = rules.previousTransition(t.plusSeconds(1)); // at or before t
        ZoneOffsetTransition next = rules.nextTransition(t);
        long from = last == null ? Long.MIN_VALUE : last.getInstant().getEpochSecond();
        long length = last == null ? 0 : Math.abs(last.getDuration().getSeconds());
        if (s < from + length) {
            return true;
        }
        quiet = new Quiet(from + length, next == null ? Long.MAX_VALUE : next.getInstant().getEpochSecond());
        return false;
    }

    /** A stretch [from, to) of epoch seconds with no change's hour in it. */
    private record Quiet(long from, long to) {
    }

    /**
     * The last stretch {@link #justAfterChange} found quiet, asked per loop. One object, so that replays sharing the
     * clock on other threads (a sweep's) never read one stretch's start with another's end.
     */
    private volatile Quiet quiet = new Quiet(1, 0);

    /** Seconds since the local Monday 00:00 before {@code t} (0 .. one week). */
    public long secondOfWeek(Instant t) {
        // The Unix epoch fell on a Thursday, 4 days after a Monday.
        return Math.floorMod(t.getEpochSecond() + offsetSeconds(t) - 4 * 86400L, WEEK_SECONDS);
    }

    /** The local Monday 00:00 of the week that contains {@code t}. */
    public Instant mondayOf(Instant t) {
        return t.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(zone).toInstant();
    }

    /** The instant of local time {@code local} (the first, where the autumn overlap has two; after the gap, where spring skips it). */
    public Instant instant(LocalDateTime local) {
        return ZonedDateTime.of(local, zone).toInstant();
    }

    /** Whether the spring change skips local time {@code local}: no instant has it on the wall clock. */
    public boolean skipped(LocalDateTime local) {
        return !fixed && zone.getRules().getValidOffsets(local).isEmpty();
    }
}
