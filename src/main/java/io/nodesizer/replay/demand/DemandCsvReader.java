package io.nodesizer.replay.demand;

import io.nodesizer.input.CsvRows;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.replay.Durations;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a demand time series, {@code time,workload,replicas}: from {@code time} on, workload
 * {@code workload} (a name of the workload profile) runs {@code replicas} pods. Times are ISO-8601
 * ({@code 2026-11-27T08:00Z}; without an offset read as UTC) or relative ({@code +90m}) to the file's
 * earliest absolute time, or to the run's start in a file without one; rows are in time order. The run
 * starts at {@code --start}, else at the earliest absolute time in the file, else at
 * {@link TimePoints#DEFAULT_ORIGIN}. It ends one sampling interval (the gap between the last two
 * distinct times, one hour if there is only one) after the last row, unless a duration is given.
 *
 * <p>A {@code --start} inside the file cuts its head (QA 73b F4: it exited 2 at the first row): the rows before
 * the start only set the levels in force at it, each workload running its last earlier row's replicas from the start
 * unless it has a row at the start itself, as a recorded series is read from any instant of it.
 */
public final class DemandCsvReader {
    private static final List<String> COLUMNS = List.of("time", "workload", "replicas");
    private static final long SINGLE_TIME_INTERVAL = 3600;

    private record Raw(int line, String timeText, Instant absolute, long relative, String workload, int replicas) {
    }

    private final java.time.ZoneId zone;

    /** A reader of times without an offset as UTC. */
    public DemandCsvReader() {
        this(java.time.ZoneOffset.UTC);
    }

    /** A reader of times without an offset as local times of {@code zone} ({@code --time-zone}). */
    public DemandCsvReader(java.time.ZoneId zone) {
        this.zone = zone;
    }

    /**
     * A demand file as read: its series from the run's start, and the rows before that start, which only set the levels
     * in force at it (0 when the file starts at or after the start).
     *
     * @param series          the steps from the run's start on
     * @param rowsBeforeStart how many rows lie before the start
     * @param firstTime       the instant of the file's first row, the earliest of those before the start
     */
    public record DemandFile(DemandSeries series, int rowsBeforeStart, Instant firstTime) {
    }

    /** {@link #readFile}'s series alone. */
    public DemandSeries read(Path path, String displayName, Set<String> workloads, Instant start, Long duration) {
        return readFile(path, displayName, workloads, start, duration).series();
    }

    /**
     * @param workloads the names the profile defines
     * @param start     the run's start, or null to take it from the file
     * @param duration  the run's length in seconds, or null for the default
     */
    public DemandFile readFile(Path path, String displayName, Set<String> workloads, Instant start, Long duration) {
        List<Raw> raws = new ArrayList<>();
        try (CsvRows rows = CsvRows.open(path, displayName)) {
            SourceLocation headerAt = SourceLocation.of(displayName, rows.headerLine());
            // Column names in any case (QA 73b F5: an export's Time,Workload,Replicas "lacks the column time").
            Map<String, Integer> at = new HashMap<>();
            List<String> known = new ArrayList<>(COLUMNS);
            for (int i = 0; i < rows.header().size(); i++) {
                String h = rows.header().get(i);
                String c = h.trim().toLowerCase(java.util.Locale.ROOT);
                if (COLUMNS.contains(c)) {
                    Integer before = at.put(c, i);
                    if (before != null) {
                        throw new InputException(headerAt, "The columns " + rows.header().get(before) + " and " + h
                                + " of the header are both " + c + "; expected time,workload,replicas once each.");
                    }
                    if (!COLUMNS.contains(h)) {
                        known.add(h); // taken by checkColumns as it is written
                    }
                }
            }
            for (String c : COLUMNS) {
                if (!at.containsKey(c)) {
                    throw new InputException(headerAt, "The header (" + String.join(",", rows.header())
                            + ") lacks the column " + c + "; expected time,workload,replicas.");
                }
            }
            rows.checkColumns(known);
            int timeCol = at.get("time");
            int workloadCol = at.get("workload");
            int replicasCol = at.get("replicas");
            rows.forEach(row -> {
                String timeText = row.get(timeCol);
                SourceLocation timeAt = SourceLocation.of(displayName, row.line(), 0, "time");
                Instant absolute = null;
                long relative = 0;
                if (timeText.startsWith("+")) {
                    relative = Durations.seconds(timeText.substring(1), timeAt, "relative time");
                } else if (timeText.startsWith("-")) {
                    throw new InputException(timeAt, "The time (" + timeText + ") must not be negative; relative times look like +90m.");
                } else {
                    absolute = TimePoints.instant(timeText, zone, timeAt, "time");
                }
                String name = row.get(workloadCol);
                if (!workloads.contains(name)) {
                    throw new InputException(SourceLocation.of(displayName, row.line(), 0, "workload"), "The workload (" + name
                            + ") is not in the workload profile; expected one of " + sample(workloads) + ".");
                }
                long replicas = Values.integer(row.get(replicasCol), SourceLocation.of(displayName, row.line(), 0, "replicas"),
                        "replicas of " + name, 1_000_000);
                raws.add(new Raw(row.line(), timeText, absolute, relative, name, (int) replicas));
            });
        }
        if (raws.isEmpty()) {
            throw new InputException(SourceLocation.ofFile(displayName), "The file has a header but no rows; expected time,workload,replicas rows.");
        }
        Instant earliest = null;
        for (Raw r : raws) {
            if (r.absolute != null && (earliest == null || r.absolute.isBefore(earliest))) {
                earliest = r.absolute;
            }
        }
        Instant origin = start != null ? start : earliest != null ? earliest : TimePoints.defaultOrigin(zone);
        // Relative times count from the file's own origin, so that a --start inside the file moves none of its rows (the
        // bundled shop demand is one absolute row, then +1h, +2h…: counted from --start they replayed Thursday on Friday).
        long fileOrigin = (earliest != null ? earliest : origin).getEpochSecond() - origin.getEpochSecond();
        Map<String, List<long[]>> byWorkload = new LinkedHashMap<>();
        Map<String, Integer> lastLine = new HashMap<>();
        Map<String, String> lastText = new HashMap<>();
        long previous = Long.MIN_VALUE;
        int previousLine = 0;
        String previousText = null;
        boolean previousRelative = false;
        long lastTime = 0;
        long beforeLast = Long.MIN_VALUE; // none: the file has a single time
        long firstTime = 0;
        int rowsBeforeStart = 0;
        for (Raw r : raws) {
            SourceLocation at = SourceLocation.of(displayName, r.line, 0, "time");
            long t = r.absolute == null ? fileOrigin + r.relative : r.absolute.getEpochSecond() - origin.getEpochSecond();
            if (previous == Long.MIN_VALUE) {
                firstTime = t;
            }
            if (t < 0) {
                rowsBeforeStart++;
            }
            if (t < previous) {
                // A previous local time in the spring change's gap is read an hour later (QA 59a F9: "02:30" then "03:00" read as
                // out of order, with no word of why).
                String gap = previousText == null ? null : TimePoints.gapNote(previousText, zone);
                // A relative row beside an absolute one: say where relative times count from (review 74b #7: "+1h" before
                // "02:00Z" counts from 02:00Z, the file's earliest absolute time, whatever --start says).
                boolean mixed = earliest != null && previousRelative != (r.absolute == null);
                throw new InputException(at, "The time (" + r.timeText + ") is before the previous row's (line " + previousLine
                        + (gap == null ? "" : ": " + gap) + "); rows must be in time order"
                        + (mixed ? " (relative times count from the file's earliest absolute time, " + earliest + ")" : "") + ".");
            }
            if (t > previous && previous != Long.MIN_VALUE) {
                beforeLast = previous;
            }
            List<long[]> steps = byWorkload.computeIfAbsent(r.workload, k -> new ArrayList<>());
            if (!steps.isEmpty() && steps.get(steps.size() - 1)[0] == t) {
                boolean fraction = subSecond(r.timeText) || subSecond(lastText.get(r.workload));
                throw new InputException(at, "The workload " + r.workload + " already has a row at this time (line "
                        + lastLine.get(r.workload) + ")" + (fraction ? "; times count in whole seconds (a fraction is dropped)" : "") + ".");
            }
            steps.add(new long[]{t, r.replicas});
            lastLine.put(r.workload, r.line);
            lastText.put(r.workload, r.timeText);
            previous = t;
            previousLine = r.line;
            previousText = r.absolute == null ? null : r.timeText;
            previousRelative = r.absolute == null;
            lastTime = t;
        }
        long horizon;
        if (duration != null) {
            horizon = duration;
        } else {
            horizon = lastTime + (beforeLast == Long.MIN_VALUE ? SINGLE_TIME_INTERVAL : lastTime - beforeLast);
            if (horizon <= 0) {
                throw new InputException(SourceLocation.of(displayName, previousLine, 0, "time"), "The file ends at "
                        + origin.plusSeconds(horizon) + " (its last row, one sampling interval after), at or before the run's start ("
                        + origin + ", --start); give --duration to replay the levels its rows set from the start, or a --start within"
                        + " the file (" + origin.plusSeconds(firstTime) + " to " + origin.plusSeconds(horizon) + ").");
            }
        }
        Map<String, DemandSeries.Steps> steps = new LinkedHashMap<>();
        for (var e : byWorkload.entrySet()) {
            List<long[]> list = cutHead(e.getValue());
            long[] times = new long[list.size()];
            int[] replicas = new int[list.size()];
            for (int i = 0; i < list.size(); i++) {
                times[i] = list.get(i)[0];
                replicas[i] = (int) list.get(i)[1];
            }
            steps.put(e.getKey(), new DemandSeries.Steps(times, replicas));
        }
        return new DemandFile(new DemandSeries(origin, horizon, steps), rowsBeforeStart, origin.plusSeconds(firstTime));
    }

    /**
     * A workload's steps ({time, replicas}, in time order) from the start on: those before it give way to one step at the
     * start at the replicas of the last of them, the level in force then, unless a step lies at the start itself.
     */
    private static List<long[]> cutHead(List<long[]> steps) {
        int before = 0;
        while (before < steps.size() && steps.get(before)[0] < 0) {
            before++;
        }
        if (before == 0) {
            return steps;
        }
        List<long[]> out = new ArrayList<>();
        if (before == steps.size() || steps.get(before)[0] > 0) {
            out.add(new long[] {0, steps.get(before - 1)[1]});
        }
        out.addAll(steps.subList(before, steps.size()));
        return out;
    }

    private static String sample(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        if (list.size() <= 8) {
            return String.join(", ", list);
        }
        return String.join(", ", list.subList(0, 8)) + " … (" + list.size() + " in all)";
    }

    /** Whether an absolute time has a fraction of a second (2026-11-26T00:00:00.250Z), which the replay drops. */
    private static boolean subSecond(String timeText) {
        return timeText != null && !timeText.startsWith("+") && timeText.matches(".*T\\d{2}:\\d{2}:\\d{2}\\.\\d+.*");
    }
}
