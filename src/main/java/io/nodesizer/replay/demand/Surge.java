package io.nodesizer.replay.demand;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.replay.Durations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A demand event, {@code --surge 3x@2026-11-27T08:00/6h}: every workload runs {@code factor}
 * times its replicas (rounded up) from {@code start} for {@code length} seconds.
 */
public record Surge(double factor, long start, long length) {

    /** A surge as written, its start still unresolved (absolute or relative to the run's start). */
    public record Spec(String text, double factor, Instant absoluteStart, long relativeStart, long length) {
        /** The surge in the run from {@code origin}, {@code horizon} seconds long; one wholly outside it is a mistake. */
        public Surge resolve(Instant origin, long horizon) {
            long start = relativeStart;
            if (absoluteStart != null) {
                start = absoluteStart.getEpochSecond() - origin.getEpochSecond();
                if (start < 0) {
                    throw new InputException(SourceLocation.ofFile("--surge"), "The surge " + text + " starts before the run's start ("
                            + origin + "); give an earlier --start or a later surge.");
                }
            }
            if (start >= horizon) {
                // Left out silently, the run would report the ordinary demand's bill as the surge's.
                throw new InputException(SourceLocation.ofFile("--surge"), "The surge " + text + " starts at or after the run's end ("
                        + origin.plusSeconds(horizon) + "); give a longer --duration or an earlier surge.");
            }
            return new Surge(factor, start, length);
        }
    }

    /** Parses {@code FACTORx@TIME/DURATION}, TIME an ISO-8601 date-time (UTC unless an offset is given) or {@code +OFFSET}. */
    public static Spec parse(String text) {
        return parse(text, java.time.ZoneOffset.UTC);
    }

    /** {@link #parse(String)}, a TIME without an offset a local time of {@code zone} ({@code --time-zone}). */
    public static Spec parse(String text, java.time.ZoneId zone) {
        SourceLocation at = SourceLocation.ofFile("--surge");
        String t = text.trim();
        int x = t.toLowerCase(Locale.ROOT).indexOf("x@");
        int slash = t.lastIndexOf('/');
        if (x <= 0 || slash < x) {
            throw new InputException(at, "The surge (" + text + ") must look like 3x@2026-11-27T08:00/6h or 2.5x@+2d8h/90m.");
        }
        double factor;
        try {
            factor = Double.parseDouble(t.substring(0, x));
        } catch (NumberFormatException e) {
            throw new InputException(at, "The surge factor in " + text + " (" + t.substring(0, x) + ") must be a number such as 3 or 1.5.");
        }
        if (!(factor > 0) || factor > 1000) {
            throw new InputException(at, "The surge factor in " + text + " (" + t.substring(0, x) + ") must be above 0 and at most 1000.");
        }
        String when = t.substring(x + 2, slash);
        long length = Durations.seconds(t.substring(slash + 1), at, "surge length in " + text);
        if (length == 0) {
            throw new InputException(at, "The surge length in " + text + " must be above 0.");
        }
        if (when.startsWith("+")) {
            return new Spec(text, factor, null, Durations.seconds(when.substring(1), at, "surge start in " + text), length);
        }
        return new Spec(text, factor, TimePoints.instant(when, zone, at, "surge start in " + text), 0, length);
    }

    /** Applies the surges to one workload's steps: new steps at every surge edge, replicas scaled inside. */
    static DemandSeries.Steps apply(DemandSeries.Steps steps, List<Surge> surges, long horizon) {
        TreeSet<Long> edges = new TreeSet<>();
        for (long t : steps.times()) {
            edges.add(t);
        }
        for (Surge s : surges) {
            if (s.start <= horizon) {
                edges.add(s.start);
            }
            if (s.start + s.length <= horizon) {
                edges.add(s.start + s.length);
            }
        }
        List<Long> times = new ArrayList<>();
        List<Integer> replicas = new ArrayList<>();
        for (long t : edges) {
            int base = steps.at(t);
            double f = 1;
            for (Surge s : surges) {
                if (t >= s.start && t < s.start + s.length) {
                    f *= s.factor;
                }
            }
            int r = (int) Math.min(Integer.MAX_VALUE / 2, Math.ceil(base * f - 1e-9));
            if (!replicas.isEmpty() && replicas.get(replicas.size() - 1) == r) {
                continue;
            }
            times.add(t);
            replicas.add(r);
        }
        return new DemandSeries.Steps(times.stream().mapToLong(Long::longValue).toArray(),
                replicas.stream().mapToInt(Integer::intValue).toArray());
    }
}
