package io.nodesizer.input.usage;

import io.nodesizer.input.CsvRows;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage as a plain CSV, {@code timestamp,namespace,workload,container,cpu,memory}, one sample per
 * row, with an optional {@code pod} column. {@code timestamp} is Unix seconds or RFC 3339;
 * {@code cpu} is cores ({@code 0.25}) or a quantity ({@code 250m}, {@code 250000000n}); {@code
 * memory} is bytes or a quantity ({@code 512Mi}); either may be empty when the row has no sample of
 * it. Rows may come in any order across series (time-sorted exports interleave them), so every
 * series is held until the file ends (4 bytes a sample; {@link SampleBuffer}); a series' rows run
 * oldest first or newest first, and a row repeated exactly counts once.
 *
 * <p>A series is {@code (namespace, workload, container, pod)}: with a {@code pod} column each pod
 * is its own series, as in Prometheus, and its timestamps must increase, or decrease (newest first,
 * read back into time order); without one, the rows of one container are one series over all its pods, in any order
 * (time-sorted, several replicas sharing a timestamp, or grouped by pod, each pod's rows running through the window).
 */
public final class UsageCsvReader {
    /** The columns, in the documented order; {@code pod} is optional. */
    public static final List<String> COLUMNS = List.of("timestamp", "namespace", "workload", "container", "cpu", "memory");
    private static final List<String> KNOWN = List.of("timestamp", "namespace", "workload", "container", "pod", "cpu", "memory");
    /** A month of 5-minute samples for 40,000 containers; beyond that, split the file. */
    static final long MAX_ROWS = 400_000_000L;

    private UsageCsvReader() {
    }

    /** @return the number of series handed to the sink (a CPU and a memory series count as two) */
    public static int read(Path file, String displayName, UsageSink sink) {
        return read(CsvRows.open(file, displayName), displayName, sink, note -> { });
    }

    /** As {@link #read(Path, String, UsageSink)}, telling {@code notes} what the user should know of the file. */
    public static int read(Path file, String displayName, UsageSink sink, java.util.function.Consumer<String> notes) {
        notJson(file, displayName);
        return read(CsvRows.open(file, displayName), displayName, sink, notes);
    }

    /**
     * Fails on a JSON file, which is no CSV: a Prometheus query_range response given to --usage read as CSV and failed with
     * the CSV parser's own words ("Unexpected character (':' (code 58)): Expected column separator…", QA 62b F12).
     */
    private static void notJson(Path file, String displayName) {
        try (java.io.Reader r = io.nodesizer.input.TextFiles.reader(file, displayName)) {
            int c = r.read();
            while (c >= 0 && Character.isWhitespace(c)) {
                c = r.read();
            }
            if (c == '{' || c == '[') {
                throw new InputException(SourceLocation.ofFile(displayName), "The usage file is JSON, not a CSV of "
                        + String.join(",", COLUMNS) + ": a Prometheus query_range response goes to --cpu-usage or --memory-usage "
                        + "(rightsize --help says which query each takes).");
            }
        } catch (java.io.IOException e) {
            // CsvRows.open says why it cannot be read
        }
    }

    /** As {@link #read(Path, String, UsageSink)}, from a stream (closed when done). */
    public static int read(java.io.Reader reader, String displayName, UsageSink sink) {
        return read(CsvRows.open(reader, displayName), displayName, sink, note -> { });
    }

    private static int read(CsvRows csv, String displayName, UsageSink sink, java.util.function.Consumer<String> notes) {
        Map<String, Open> open = new LinkedHashMap<>();
        try (CsvRows rows = csv) {
            SourceLocation headerAt = SourceLocation.of(displayName, rows.headerLine());
            for (String required : COLUMNS) {
                if (rows.column(required) < 0) {
                    throw new InputException(headerAt, "The header has no column '" + required + "'; a usage CSV needs "
                            + String.join(",", COLUMNS) + " (and may add pod). Found: " + String.join(",", rows.header()) + ".");
                }
            }
            rows.checkColumns(KNOWN);
            int ts = rows.column("timestamp");
            int ns = rows.column("namespace");
            int wl = rows.column("workload");
            int ct = rows.column("container");
            int cpu = rows.column("cpu");
            int mem = rows.column("memory");
            int pd = rows.column("pod");
            String[] lastTime = {null};
            long[] duplicates = {0};
            double[] lastSeconds = {0};
            rows.forEach(row -> {
                String namespace = nonEmpty(row, ns, "namespace", displayName);
                String workload = nonEmpty(row, wl, "workload", displayName);
                String container = nonEmpty(row, ct, "container", displayName);
                String pod = pd < 0 ? null : nonEmpty(row, pd, "pod", displayName);
                String key = namespace + '\u0000' + workload + '\u0000' + container + '\u0000' + (pod == null ? "" : pod);
                Open series = open.get(key);
                if (series == null) {
                    series = new Open(namespace, workload, container, pod, SourceLocation.of(displayName, row.line()));
                    open.put(key, series);
                }
                String t = row.get(ts);
                double seconds;
                if (t.equals(lastTime[0])) {
                    seconds = lastSeconds[0]; // time-sorted exports repeat a timestamp across many rows
                } else {
                    seconds = UsageValues.timestamp(t, SourceLocation.of(displayName, row.line(), ts + 1, "timestamp"), "timestamp");
                    lastTime[0] = t;
                    lastSeconds[0] = seconds;
                }
                String c = row.get(cpu);
                String m = row.get(mem);
                if (pod != null && seconds == series.lastSeconds && c.equals(series.lastCpu) && m.equals(series.lastMemory)) {
                    duplicates[0]++; // the same row again (two Prometheus replicas' answers merged row by row): one sample
                    return;
                }
                // A series runs oldest first or newest first (a dashboard's table, ORDER BY time DESC), but one way.
                int step = Double.compare(seconds, series.lastSeconds);
                boolean turns = series.lastSeconds != Double.NEGATIVE_INFINITY && step != 0 && series.direction == -step;
                if (turns && pod == null && seconds == series.firstSeconds && c.equals(series.firstCpu) && m.equals(series.firstMemory)) {
                    // Back at its very first sample, time and values: the same export again, not another pod's rows (two pods
                    // alike to the byte at one time are not what a run of rows grouped by pod starts with). Pooled, every
                    // sample would count twice (review 76b #2).
                    throw new InputException(SourceLocation.of(displayName, row.line(), ts + 1, "timestamp"), "The rows of "
                            + series.labels() + " run back to its first sample (" + t + ", the same values): expected each sample "
                            + "once. Maybe two exports were concatenated.");
                } else if (turns && pod == null) {
                    // Without a pod column, a container's rows grouped by pod (an export per series that lost its pod label) run
                    // through the window once per pod: the next pod's rows start back at its start. The series pools its pods
                    // anyway, and a pooled percentile does not depend on the rows' order (QA 76a F4: refused as "two exports
                    // concatenated"); the next run may go either way.
                    series.turnedBack = true;
                    series.direction = 0;
                } else if (turns || pod != null && step == 0) {
                    throw new InputException(SourceLocation.of(displayName, row.line(), ts + 1, "timestamp"), "The timestamps of "
                            + series.labels() + " are out of order: " + t + (step == 0 ? " again, with other samples" : " after an earlier row's "
                            + (step < 0 ? "later" : "earlier") + " time") + "; expected them increasing (or decreasing) within a pod. "
                            + "Maybe two exports were concatenated.");
                } else if (series.lastSeconds != Double.NEGATIVE_INFINITY && step != 0) {
                    series.direction = step;
                }
                // Without a pod column, two samples of one series at one time are two pods': the series pools them.
                series.pooled |= pod == null && seconds == series.lastSeconds && series.cpu.count() + series.memory.count() > 0;
                if (series.lastSeconds == Double.NEGATIVE_INFINITY) {
                    series.firstSeconds = seconds;
                    series.firstCpu = c;
                    series.firstMemory = m;
                }
                series.lastSeconds = seconds;
                series.lastCpu = c;
                series.lastMemory = m;
                if (c.isEmpty() && m.isEmpty()) {
                    throw new InputException(SourceLocation.of(displayName, row.line()), "The row has neither a cpu nor a memory sample; "
                            + "expected at least one.");
                }
                if (!c.isEmpty()) {
                    // A cell without a suffix leaves the unit to the contract (cores), which a dashboard's export may not keep.
                    series.plainCpu = series.plainCpu || UsageValues.plainNumber(c.trim());
                    series.cpu.add(seconds, UsageValues.sample(c, UsageMetric.CPU, SourceLocation.of(displayName, row.line(), cpu + 1, "cpu"),
                            "cpu", series.labels()));
                }
                if (!m.isEmpty()) {
                    series.memory.add(seconds, UsageValues.sample(m, UsageMetric.MEMORY,
                            SourceLocation.of(displayName, row.line(), mem + 1, "memory"), "memory", series.labels()));
                }
            }, MAX_ROWS);
            if (duplicates[0] > 0) {
                notes.accept(displayName + " repeats " + String.format(java.util.Locale.ROOT, "%,d", duplicates[0]) + (duplicates[0] == 1
                        ? " row" : " rows") + " exactly (a pod's samples at one time, twice): each is counted once.");
            }
        }
        for (Open s : open.values()) {
            if (s.direction < 0) {
                s.cpu.reverse(); // newest first: in time order for what reads the order (the counter check)
                s.memory.reverse();
            }
        }
        List<String> pooled = new java.util.ArrayList<>();
        for (Open s : open.values()) {
            if (s.pooled) {
                pooled.add(s.namespace + "/" + s.workload + " " + s.container);
            }
        }
        List<String> turnedBack = new java.util.ArrayList<>();
        for (Open s : open.values()) {
            if (s.turnedBack && !s.pooled) {
                turnedBack.add(s.namespace + "/" + s.workload + " " + s.container);
            }
        }
        if (!pooled.isEmpty()) {
            notes.accept(displayName + " has no pod column and several samples at one time for " + pooled.size()
                    + (pooled.size() == 1 ? " container" : " containers") + " (" + io.nodesizer.model.NameLists.firstOf(pooled, 5) + "): " + POOLED);
        }
        if (!turnedBack.isEmpty()) {
            notes.accept(displayName + " has no pod column and its rows run back in time for " + turnedBack.size()
                    + (turnedBack.size() == 1 ? " container" : " containers") + " (" + io.nodesizer.model.NameLists.firstOf(turnedBack, 5)
                    + "; rows grouped by pod, or exports of other time ranges joined): " + POOLED);
        }
        Open largest = null;
        for (Open s : open.values()) {
            if (s.memory.count() > 0 && (largest == null || s.memory.max() > largest.memory.max())) {
                largest = s;
            }
        }
        if (largest != null) {
            UsageValues.requireBytes(largest.memory.max(), largest.at.withField("memory"), largest.labels());
        }
        List<UsageSeries> cpuSeries = new java.util.ArrayList<>();
        CpuCounters counters = new CpuCounters();
        for (Open s : open.values()) {
            UsageSeries series = new UsageSeries(UsageMetric.CPU, s.namespace, s.pod, s.workload, s.container, s.cpu, s.at, !s.plainCpu);
            cpuSeries.add(series);
            counters.add(series);
        }
        String counted = counters.check(displayName); // before any series is handed on
        if (counted != null) {
            notes.accept(counted);
        }
        int count = 0;
        int k = 0;
        for (Open s : open.values()) {
            UsageSeries cpuOfThis = cpuSeries.get(k++);
            if (s.cpu.count() > 0) {
                sink.accept(cpuOfThis);
                count++;
            }
            if (s.memory.count() > 0) {
                sink.accept(new UsageSeries(UsageMetric.MEMORY, s.namespace, s.pod, s.workload, s.container, s.memory, s.at));
                count++;
            }
        }
        return count;
    }

    private static String nonEmpty(CsvRows.Row row, int column, String name, String file) {
        String v = row.get(column);
        if (v.isEmpty()) {
            throw new InputException(SourceLocation.of(file, row.line(), column + 1, name), "The " + name + " is empty; every row names "
                    + "its namespace, workload and container.");
        }
        return v;
    }

    /** What a note on a series read without a pod column says of its samples. */
    private static final String POOLED = "their pods' samples are taken together, so the CPU percentile is of all pods at once, which "
            + "can be well below the busiest pod's. Add a pod column.";

    /** A series still being read. */
    private static final class Open {
        final String namespace;
        final String workload;
        final String container;
        final String pod;
        final SourceLocation at;
        final SampleBuffer cpu = new SampleBuffer();
        final SampleBuffer memory = new SampleBuffer();
        double lastSeconds = Double.NEGATIVE_INFINITY;
        /** Its last row's samples as written, and whether its rows run oldest first (1), newest first (-1) or not yet known (0). */
        String lastCpu;
        String lastMemory;
        int direction;
        /** Whether it holds two samples at one time (several pods', without a pod column). */
        boolean pooled;
        /** Whether its rows ran back in time (grouped by pod, without a pod column), and its first row's time and samples. */
        boolean turnedBack;
        double firstSeconds;
        String firstCpu;
        String firstMemory;
        /** Whether a CPU cell was a plain number, its unit not stated ({@link UsageSeries#unitStated}). */
        boolean plainCpu;

        Open(String namespace, String workload, String container, String pod, SourceLocation at) {
            this.namespace = namespace;
            this.workload = workload;
            this.container = container;
            this.pod = pod;
            this.at = at;
        }

        String labels() {
            return "{namespace=" + namespace + ", workload=" + workload + (pod != null ? ", pod=" + pod : "") + ", container=" + container + "}";
        }
    }
}
