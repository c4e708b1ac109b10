package io.nodesizer.report;

import io.nodesizer.replay.autoscale.WeekClock;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The IANA name under which the CronJob, AWS and KEDA exports name a plan's zone. All three look the name up in the tz
 * database and take nothing else: the API server validates a CronJob's {@code timeZone} by {@code time.LoadLocation}
 * after checking each '/'-separated part against {@code ^[A-Za-z.\-_0-9+]{1,14}$} (kubernetes pkg/apis/batch/validation,
 * validateTimeZone), AWS scheduled actions take "the canonical names of the IANA time zones (such as Etc/GMT+9 or
 * Pacific/Tahiti)", and KEDA's cron scaler calls {@code time.LoadLocation} on its {@code timezone}. An offset such as
 * {@code +05:30} is none of these, so a whole-hour offset is written as the tz database's {@code Etc/GMT∓N} zone (the
 * POSIX sign: {@code +05:00} is {@code Etc/GMT-5}), which has the same fixed offset; other offsets have no name.
 */
public final class IanaZones {
    private IanaZones() {
    }

    /** The name of {@code clock}'s zone, {@code Etc/UTC} for UTC; null when the tz database has none (a non-whole-hour offset). */
    public static String of(WeekClock clock) {
        if (clock.isUtc()) {
            return "Etc/UTC";
        }
        ZoneId zone = clock.zone();
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
}
