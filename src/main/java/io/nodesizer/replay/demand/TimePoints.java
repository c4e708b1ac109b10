package io.nodesizer.replay.demand;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;

/** Absolute times as users write them: ISO-8601 with offset or Z, or without (read in the run's time zone, UTC by default), or a date. */
public final class TimePoints {
    /**
     * The start of runs whose inputs have no absolute time (relative demand files, traces):
     * a Monday 00:00 UTC, so that hour-of-week windows line up with weekdays.
     */
    public static final Instant DEFAULT_ORIGIN = Instant.parse("2026-01-05T00:00:00Z");

    private TimePoints() {
    }

    public static Instant instant(String text, SourceLocation at, String what) {
        return instant(text, java.time.ZoneOffset.UTC, at, what);
    }

    /** {@code text} as an instant; without an offset, a local time of {@code zone} ({@code --time-zone}). */
    public static Instant instant(String text, java.time.ZoneId zone, SourceLocation at, String what) {
        return instant(text, zone, at, what, true);
    }

    /**
     * As {@link #instant(String, java.time.ZoneId, SourceLocation, String)} for an option that takes no relative time
     * ({@code --start}): its messages suggest none (review 74 #5: "write it as +3600s", which --start then refused).
     */
    public static Instant absolute(String text, java.time.ZoneId zone, SourceLocation at, String what) {
        return instant(text, zone, at, what, false);
    }

    private static Instant instant(String text, java.time.ZoneId zone, SourceLocation at, String what, boolean relative) {
        // Times count in whole seconds, the run's start too (QA 68c F4: a demand file's first time at .9 s made the start
        // 00:00:00.900Z and the run 43,199 s long): the fraction is dropped here, once.
        return parse(text, zone, at, what, relative).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /**
     * Unix times below this (2001-09-09) are refused: a demand file's {@code 3600} is far likelier seconds from the start,
     * written without its {@code +}, than a time of 1970.
     */
    private static final double UNIX_FROM = 1e9;

    /** A date as a spreadsheet writes it before a space and the time; compiled once, as every demand row asks it. */
    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private static boolean digitsAndPoints(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static Instant parse(String text, java.time.ZoneId zone, SourceLocation at, String what, boolean relative) {
        String t = text.trim();
        if (!t.isEmpty() && digitsAndPoints(t)) {
            // Unix seconds or milliseconds, as rightsize --usage reads them, with its parser (QA 73b F5: a demand file
            // exported with Unix times was refused).
            double seconds = io.nodesizer.input.usage.UsageValues.timestamp(t, at, what);
            if (seconds < UNIX_FROM) {
                throw new InputException(at, "The " + what + " (" + text + ") is Unix time before 2001-09-09; "
                        + (relative ? "for a relative time write it as +" + t + "s, or give" : "give")
                        + " Unix seconds such as 1767571200" + (relative ? "." : " or an ISO-8601 time such as 2026-11-27T08:00."));
            }
            long whole = (long) Math.floor(seconds);
            return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9) % 1_000_000_000L);
        }
        if (t.length() > 11 && t.charAt(10) == ' ' && DATE.matcher(t).region(0, 10).matches()) {
            // "2026-01-05 00:00", as spreadsheets and SQL write them (RFC 3339 allows the space): read as with a T.
            t = t.substring(0, 10) + "T" + t.substring(11).trim();
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // try the forms without offset
        }
        try {
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // a date alone?
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new InputException(at, "The " + what + " (" + text + ") must be an ISO-8601 time such as 2026-11-27T08:00, "
                    + "2026-11-27 08:00, 2026-11-27T08:00:00Z or 2026-11-27T08:00+01:00, Unix seconds or milliseconds such as "
                    + "1764230400" + (relative ? ", or a relative time such as +90m." : "."));
        }
    }

    /**
     * When {@code text} is a local time without an offset that the spring change skips in {@code zone}: what it is read as,
     * for a message ("02:30 does not exist in America/New_York that night (the clocks skip an hour): it is read as 03:30");
     * else null.
     */
    public static String gapNote(String text, java.time.ZoneId zone) {
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
        if (!zone.getRules().getValidOffsets(local).isEmpty()) {
            return null;
        }
        return local + " does not exist in " + zone + " (the clocks skip it that night): it is read as "
                + local.atZone(zone).toLocalDateTime();
    }

    /** Monday 00:00 UTC of the week that contains {@code t}. */
    public static Instant mondayOf(Instant t) {
        return mondayOf(t, ZoneOffset.UTC);
    }

    /** Monday 00:00 local time in {@code zone} of the week that contains {@code t}. */
    public static Instant mondayOf(Instant t, java.time.ZoneId zone) {
        LocalDate day = t.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return day.atStartOfDay(zone).toInstant();
    }

    /** {@link #DEFAULT_ORIGIN}'s Monday 00:00 as a local time of {@code zone}. */
    public static Instant defaultOrigin(java.time.ZoneId zone) {
        return DEFAULT_ORIGIN.atZone(ZoneOffset.UTC).toLocalDateTime().atZone(zone).toInstant();
    }
}
