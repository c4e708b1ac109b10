package io.nodesizer.input.trace.openb;

import io.nodesizer.input.CsvRows;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.input.WorkloadReader;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Alibaba GPU cluster trace 2023 ("openb") pod lists, {@code openb_pod_list_*.csv}
 * (alibaba/clusterdata, cluster-trace-gpu-v2023; units from its README): {@code cpu_milli} in
 * millicores, {@code memory_mib} in MiB, {@code num_gpu} whole GPUs and, for single-GPU pods,
 * {@code gpu_milli} the share of one GPU (GPU sharing; 1000 for multi-GPU pods), {@code creation_time}
 * and {@code deletion_time} in seconds from the trace start. Each row is one pod.
 *
 * <p>Two headers exist: the full one, and the five columns of the {@code multigpu*} variants
 * ({@code name,cpu_milli,memory_mib,num_gpu,gpu_milli}) with no times. Pods of a file without
 * times have no lifetime: they are all present at once, as in a workload file.
 */
public final class OpenbTraceReader implements WorkloadReader {
    /** Columns the reader needs; the files have more (qos, pod_phase, gpu_spec, scheduled_time: read for what a pod ran). */
    public static final List<String> REQUIRED = List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli");
    /** Lifetime columns: both or neither (the multigpu variants have neither). */
    public static final List<String> TIMES = List.of("creation_time", "deletion_time");
    private static final long MAX_MIB = Long.MAX_VALUE >> 20;

    /** True when a CSV header names the openb pod-list columns. */
    public static boolean recognises(List<String> header) {
        // Two of the trace's own columns are enough: its reader then names the one missing (QA 48b: "cpu" for "cpu_milli"
        // was read as a what-if profile and told to add "memory").
        return header.containsAll(List.of("name", "cpu_milli", "memory_mib", "num_gpu"))
                || header.stream().filter(OWN_COLUMNS::contains).count() >= 2;
    }

    /** The columns of the trace's node list (openb_node_list_*.csv: one row per node of the cluster), which pack --fleet reads. */
    public static final List<String> NODE_LIST_COLUMNS = List.of("sn", "cpu_milli", "memory_mib", "gpu");

    /**
     * Refuses the trace's node list where {@code expected} was wanted (the pod list, a catalog): the two lists sit side by
     * side in the trace's folder, and the messages on their columns alone (no 'name'; 'sn' not known) did not say which
     * file it was (QA 75a item 7).
     */
    public static void refuseNodeList(CsvRows rows, String displayName, String expected, String instead) {
        if (rows.header().containsAll(NODE_LIST_COLUMNS)) {
            throw new InputException(SourceLocation.of(displayName, rows.headerLine()), "This is an openb node list ("
                    + String.join(",", rows.header()) + ": one row per node of the cluster), not " + expected + "; give it to "
                    + "pack --fleet (to pack onto those nodes), and " + instead + ".");
        }
    }

    /** A missing value as exports write it (pandas' na_rep, R, spreadsheets), lower case; an empty gpu_spec is the trace's own. */
    private static final java.util.Set<String> MISSING = java.util.Set.of("nan", "na", "n/a", "<na>", "none", "null");

    /** Columns no other input format has. */
    private static final java.util.Set<String> OWN_COLUMNS = java.util.Set.of("cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "gpu_spec",
            "creation_time", "deletion_time", "scheduled_time", "pod_phase", "qos");

    @Override
    public Workload read(Path file, String displayName) {
        List<PodGroup> groups = new ArrayList<>();
        try (CsvRows rows = CsvRows.openWhole(file, displayName)) {
            refuseNodeList(rows, displayName, "a pod list", "the pod list (openb_pod_list_*.csv) to --pods");
            for (String required : REQUIRED) {
                if (rows.column(required) < 0) {
                    throw new InputException(SourceLocation.of(displayName, rows.headerLine()), "The openb pod list header must have the column '"
                            + required + "'; found " + String.join(",", rows.header()) + ".");
                }
            }
            boolean timed = rows.column(TIMES.get(0)) >= 0 || rows.column(TIMES.get(1)) >= 0;
            for (String time : TIMES) {
                if (timed && rows.column(time) < 0) {
                    throw new InputException(SourceLocation.of(displayName, rows.headerLine()), "The openb pod list header has "
                            + "one of creation_time and deletion_time but not '" + time + "': give both (a trace) or neither "
                            + "(the five-column multigpu lists); found " + String.join(",", rows.header()) + ".");
                }
            }
            int name = rows.column("name");
            int cpu = rows.column("cpu_milli");
            int mem = rows.column("memory_mib");
            int numGpu = rows.column("num_gpu");
            int gpuMilli = rows.column("gpu_milli");
            int created = rows.column("creation_time");
            int spec = rows.column("gpu_spec");
            int deleted = rows.column("deletion_time");
            int scheduled = rows.column("scheduled_time"); // for --deletions after-start: what each pod ran (-1: no such column)
            int phase = rows.column("pod_phase"); // Succeeded or Failed: the run ended at deletion_time (-1: no such column)
            java.util.Set<String> seen = new java.util.HashSet<>(); // a line per name only for the error: no boxed line a row
            rows.forEach(row -> {
                String n = row.get(name);
                if (n.isEmpty() || !seen.add(n)) {
                    throw new InputException(SourceLocation.of(displayName, row.line(), 0, "name"),
                            n.isEmpty() ? "The pod name must not be empty." : "The pod name '" + n + "' appears twice, first at line "
                                    + firstLine(groups, n) + "; each pod of the trace is one row.");
                }
                long cpuMillis = integer(row, cpu, displayName, "cpu_milli", n, Long.MAX_VALUE);
                long mib = integer(row, mem, displayName, "memory_mib", n, MAX_MIB);
                long gpus = integer(row, numGpu, displayName, "num_gpu", n, 1024);
                long gpuMillis;
                if (gpus == 0) {
                    // The trace writes 0 for a pod without GPUs; a share there is a row of another encoding, whose GPUs
                    // would be dropped silently (QA 38b finding 9).
                    if (!row.isEmpty(gpuMilli) && integer(row, gpuMilli, displayName, "gpu_milli", n, Long.MAX_VALUE) != 0) {
                        throw new InputException(at(displayName, row, "gpu_milli"), "The gpu_milli of " + n + " (" + row.get(gpuMilli)
                                + ") must be 0 for a pod with num_gpu 0: a share of a GPU is num_gpu 1 with gpu_milli 1 to 1000.");
                    }
                    gpuMillis = 0;
                } else if (gpus == 1) {
                    // A single-GPU pod may share the GPU: gpu_milli is its share (1..1000).
                    gpuMillis = integer(row, gpuMilli, displayName, "gpu_milli", n, 1000);
                    if (gpuMillis == 0) {
                        throw new InputException(at(displayName, row, "gpu_milli"), "The gpu_milli of " + n
                                + " (0) must be 1 to 1000 for a pod with num_gpu 1.");
                    }
                } else {
                    // Multi-GPU pods take whole GPUs: the trace writes gpu_milli 1000 for them.
                    if (!row.isEmpty(gpuMilli) && integer(row, gpuMilli, displayName, "gpu_milli", n, Long.MAX_VALUE) != 1000) {
                        throw new InputException(at(displayName, row, "gpu_milli"), "The gpu_milli of " + n + " (" + row.get(gpuMilli)
                                + ") must be 1000 for a pod with num_gpu " + gpus + ": only single-GPU pods share a GPU.");
                    }
                    gpuMillis = gpus * 1000;
                }
                PodGroup.Lifetime lifetime = null;
                if (timed) {
                    long arrival = time(row, created, displayName, "creation_time", n);
                    Long departure = row.isEmpty(deleted) ? null : time(row, deleted, displayName, "deletion_time", n);
                    if (departure != null && departure < arrival) {
                        throw new InputException(at(displayName, row, "deletion_time"), "The deletion_time of " + n + " (" + departure
                                + ") must not be before its creation_time (" + arrival + ").");
                    }
                    // Empty for a pod the traced cluster never started (Pending). A value that is no time exits 2 like the
                    // other times: dropped, it made the pod "never started" in silence, and --deletions after-start then
                    // billed its whole life (QA 68c F3). One outside the pod's life is read and noted where it counts
                    // (PodGroup.Lifetime#startOutsideLife).
                    Long start = scheduled >= 0 && !row.isEmpty(scheduled) && !row.get(scheduled).isBlank()
                            ? time(row, scheduled, displayName, "scheduled_time", n) : null;
                    boolean finished = phase >= 0 && (row.is(phase, "Succeeded") || row.is(phase, "Failed"));
                    lifetime = new PodGroup.Lifetime(arrival, departure, start, finished);
                }
                Resources request = new Resources(cpuMillis, mib << 20, 1, gpuMillis, 0);
                boolean anyGpu = spec < 0 || row.isEmpty(spec); // the trace's own cell for most pods: no string made for it
                if (!anyGpu && MISSING.contains(row.get(spec).toLowerCase(java.util.Locale.ROOT))) {
                    // pandas' na_rep, R's write.csv and a spreadsheet write the empty cell so (the trace's upstream README prints
                    // it as nan): read as a model, every pod free to run on any GPU was unschedulable on every shape (QA 77c F2).
                    throw new InputException(at(displayName, row, "gpu_spec"), "The gpu_spec of " + n + " (" + row.get(spec) + ") is how "
                            + "a missing value is written (pandas, R), not a GPU model: leave the cell empty for a pod that may run on any GPU.");
                }
                List<String> models = anyGpu || row.get(spec).isBlank() ? List.of() : List.of(row.get(spec).split("\\|", -1));
                String other = models.isEmpty() ? null : row.get(spec).contains(",") ? "," : row.get(spec).contains(";") ? ";" : null;
                if (other != null && gpus > 0) {
                    // "V100M16,V100M32" was one model no shape has, and the warning's gpu-model= example was refused (QA 68c F11):
                    // the trace separates the models a pod may run on with '|' (its README).
                    throw new InputException(at(displayName, row, "gpu_spec"), "The gpu_spec of " + n + " (" + row.get(spec) + ") has a '"
                            + other + "' between models; separate models with '|': " + String.join("|", java.util.Arrays.stream(
                            row.get(spec).split("[,;|]")).map(String::strip).filter(m -> !m.isEmpty()).toList()) + ".");
                }
                if (!models.isEmpty() && models.stream().anyMatch(String::isBlank)) { // no stream made for the pods without a gpu_spec
                    // "|" split to no model at all and ran anywhere; "T4|" read as T4 (QA 61c F2): a typo either way.
                    throw new InputException(at(displayName, row, "gpu_spec"), "The gpu_spec of " + n + " (" + row.get(spec)
                            + ") has an empty model: write the models it may run on between '|'s, such as V100M16|V100M32, or leave it empty "
                            + "for any GPU.");
                }
                if (!models.isEmpty() && gpus == 0) {
                    throw new InputException(at(displayName, row, "gpu_spec"), "The gpu_spec of " + n + " (" + row.get(spec)
                            + ") names GPU models, but the pod asks for no GPU (num_gpu 0).");
                }
                groups.add(new PodGroup(n, PodGroup.OPENB, request, 1, true, lifetime, new SourceRef(displayName, row.line()), models));
            });
        }
        if (groups.isEmpty()) {
            throw new InputException(SourceLocation.ofFile(displayName), "The openb pod list has no rows.");
        }
        return new Workload(groups, List.of(), List.of(), List.of(displayName));
    }

    /**
     * The longest time a trace may give, in seconds from its start: {@code --duration}'s limit
     * (about 317 years). A deletion_time near 2^63 had a replay fill 6 GB of heap, one at 10^18 s
     * ended in an internal error, and one at 10^14 s billed $27 billion without a word (QA 48b).
     */
    public static final long MAX_TIME = 10_000_000_000L;

    private static long time(CsvRows.Row row, int column, String file, String field, String pod) {
        try {
            return integer(row, column, file, field, pod, MAX_TIME);
        } catch (InputException e) {
            // One message for every bad time, with the time's own bound: a fraction named int64's limit, a negative this
            // one, and one beyond it a third wording (QA 51b, QA 60a F9).
            throw new InputException(at(file, row, field), "The " + field + " of " + pod + " (" + row.get(column).strip() + ") must be a "
                    + "whole number of seconds from the trace's start, 0 to " + MAX_TIME + " (about 317 years, the longest run a replay "
                    + "takes: --duration's limit).");
        }
    }

    /**
     * The cell as {@link Values#integer}: a plain run of up to 18 digits within {@code max} is read
     * here, anything else (signs, spaces, bad or out-of-range values) goes to Values.integer, which
     * accepts or rejects it with its message. The location and the message's name are built only
     * then: built for every cell, they were ~5 objects and strings per row of a 150,000-row trace.
     */
    private static long integer(CsvRows.Row row, int column, String file, String field, String pod, long max) {
        long v = row.digits(column, max);
        return v >= 0 ? v : Values.integer(row.get(column), at(file, row, field), field + " of " + pod, max);
    }

    /** The line of the first pod named {@code name} (for the error on its second row). */
    private static int firstLine(List<PodGroup> groups, String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst().map(g -> g.origin().line()).orElse(0);
    }

    private static SourceLocation at(String file, CsvRows.Row row, String field) {
        return SourceLocation.of(file, row.line(), 0, field);
    }
}
