package io.nodesizer.input.csv;

import io.nodesizer.input.CsvRows;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.input.WorkloadReader;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV what-if profiles: one row per workload, header-driven. Required columns {@code name},
 * {@code cpu}, {@code memory}; optional {@code replicas} (default 1), {@code gpu} (whole GPUs),
 * {@code ephemeral-storage}, {@code pods} (extra pod slots per replica beyond its own, default 0),
 * {@code selector}, {@code tolerations}, {@code labels} and {@code anti-affinity} (where the pods may run: {@link PlacementSyntax}),
 * {@code spread} and {@code preferred-anti-affinity} ({@link RulesSyntax}), {@code priority} (the pods'
 * {@code spec.priority}, an int32, default 0: a profile has no PriorityClasses to resolve).
 * Values are Kubernetes quantities. Every bad value is an error with its line and column name.
 */
public final class CsvProfileReader implements WorkloadReader {
    public static final List<String> REQUIRED = List.of("name", "cpu", "memory");
    public static final List<String> KNOWN = List.of("name", "cpu", "memory", "replicas", "gpu", "ephemeral-storage", "pods", "selector",
            "tolerations", "labels", "anti-affinity", "spread", "preferred-anti-affinity", "priority");
    private static final int MAX_REPLICAS = 10_000_000;

    @Override
    public Workload read(Path file, String displayName) {
        List<PodGroup> groups = new ArrayList<>();
        List<String[]> unitless = new ArrayList<>(); // name, memory, line
        List<String[]> mega = new ArrayList<>(); // name, cpu, line
        List<String[]> binary = new ArrayList<>(); // name, cpu, line: a binary (memory) suffix on CPU
        List<String[]> cores = new ArrayList<>(); // name, cpu, line: unit-less cores that read like millicores
        List<String[]> fractional = new ArrayList<>(); // name, "memory 500m" and/or "ephemeral-storage 1n", line
        int[] fractions = {0}; // the values in fractional
        try (CsvRows rows = CsvRows.openWhole(file, displayName)) {
            SourceLocation headerAt = SourceLocation.of(displayName, rows.headerLine());
            for (String required : REQUIRED) {
                if (rows.column(required) < 0) {
                    throw new InputException(headerAt, "The header (" + String.join(",", rows.header()) + ") must have the column '"
                            + required + "'; a what-if profile needs name,cpu,memory and may add "
                            + String.join(",", KNOWN.subList(REQUIRED.size(), KNOWN.size())) + ".");
                }
            }
            rows.checkColumns(KNOWN);
            int name = rows.column("name");
            int cpu = rows.column("cpu");
            int memory = rows.column("memory");
            int replicas = rows.column("replicas");
            int gpu = rows.column("gpu");
            int storage = rows.column("ephemeral-storage");
            int pods = rows.column("pods");
            int selector = rows.column("selector");
            int tolerations = rows.column("tolerations");
            int labels = rows.column("labels");
            int anti = rows.column("anti-affinity");
            int spread = rows.column("spread");
            int preferredAnti = rows.column("preferred-anti-affinity");
            int priority = rows.column("priority");
            Map<String, Integer> seen = new LinkedHashMap<>();
            rows.forEach(row -> {
                String n = row.get(name);
                SourceLocation at = SourceLocation.of(displayName, row.line(), 0, "name");
                if (n.isEmpty()) {
                    throw new InputException(at, "The name must not be empty.");
                }
                // A quoted name may hold a line break or another control character, which would break every table it is shown
                // in (QA 59c F4); no Kubernetes name has one.
                for (int i = 0; i < n.length(); i++) {
                    if (Character.isISOControl(n.charAt(i))) {
                        throw new InputException(at, "The name '" + n.replaceAll("\\p{Cntrl}", "?") + "' holds a control character ("
                                + String.format(java.util.Locale.ROOT, "U+%04X", (int) n.charAt(i)) + "); expected a name on one line, "
                                + "without tabs or line breaks.");
                    }
                }
                Integer first = seen.putIfAbsent(n, row.line());
                if (first != null) {
                    throw new InputException(at, "The name '" + n + "' is used twice; first at line " + first + ". Names must be unique.");
                }
                long cpuMillis = Values.cpuMillis(cell(row, cpu, displayName, "cpu"), loc(displayName, row, "cpu"), "cpu of '" + n + "'");
                long memoryBytes = Values.bytes(cell(row, memory, displayName, "memory"), loc(displayName, row, "memory"), "memory of '" + n + "'");
                // A fraction of a byte (500m for 500Mi) as a manifest's is noted, rounded up (QA 68c F1: packed as 1 byte in silence).
                List<String> fractionOf = new ArrayList<>();
                if (Values.fractionalBytes(row.get(memory).strip())) {
                    fractionOf.add("memory " + row.get(memory).strip());
                } else if (Values.memoryWithoutUnit(row.get(memory))) {
                    unitless.add(new String[] {n, row.get(memory).strip(), String.valueOf(row.line())});
                }
                if (Values.cpuInMega(row.get(cpu))) {
                    mega.add(new String[] {n, row.get(cpu).strip(), String.valueOf(row.line())});
                } else if (Values.cpuInBinary(row.get(cpu))) {
                    binary.add(new String[] {n, row.get(cpu).strip(), String.valueOf(row.line())});
                } else if (Values.coresLikelyMillis(row.get(cpu), cpuMillis, memoryBytes)) {
                    cores.add(new String[] {n, row.get(cpu).strip(), String.valueOf(row.line())});
                }
                int count = 1;
                if (replicas >= 0 && !row.get(replicas).isEmpty()) {
                    String text = row.get(replicas).strip();
                    if (text.matches("-?0*|-[0-9]+")) { // 0 or negative: said so before Values' "from 0" would
                        throw new InputException(loc(displayName, row, "replicas"), "The replicas of '" + n + "' (" + text
                                + ") must be at least 1. Maybe remove the row to leave the workload out.");
                    }
                    long r = Values.integer(row.get(replicas), row.get(replicas), loc(displayName, row, "replicas"), "replicas of '" + n + "'", 1,
                            MAX_REPLICAS);
                    count = (int) r;
                }
                long gpuMillis = gpu >= 0 && !row.get(gpu).isEmpty()
                        ? Math.multiplyExact(Values.wholeCount(row.get(gpu), loc(displayName, row, "gpu"), "gpu of '" + n + "'"), 1000L) : 0;
                long storageBytes = storage >= 0 && !row.get(storage).isEmpty()
                        ? Values.bytes(row.get(storage), loc(displayName, row, "ephemeral-storage"), "ephemeral-storage of '" + n + "'") : 0;
                if (storage >= 0 && Values.fractionalBytes(row.get(storage).strip())) {
                    fractionOf.add("ephemeral-storage " + row.get(storage).strip());
                }
                if (!fractionOf.isEmpty()) {
                    fractional.add(new String[] {n, String.join(", ", fractionOf), String.valueOf(row.line())});
                    fractions[0] += fractionOf.size();
                }
                long extraSlots = pods >= 0 && !row.get(pods).isEmpty()
                        ? Values.integer(row.get(pods), loc(displayName, row, "pods"), "extra pod slots of '" + n + "'", 1000) : 0;
                Resources request = new Resources(cpuMillis, memoryBytes, 1 + extraSlots, gpuMillis, storageBytes);
                io.nodesizer.model.Placement placement = PlacementSyntax.parse(selector < 0 ? null : row.get(selector),
                        tolerations < 0 ? null : row.get(tolerations), labels < 0 ? null : row.get(labels), anti < 0 ? null : row.get(anti),
                        loc(displayName, row, "selector"), loc(displayName, row, "tolerations"), loc(displayName, row, "labels"),
                        loc(displayName, row, "anti-affinity"));
                placement = RulesSyntax.apply(placement, spread < 0 ? null : row.get(spread), preferredAnti < 0 ? null : row.get(preferredAnti),
                        row.line(), loc(displayName, row, "spread"), loc(displayName, row, "preferred-anti-affinity"));
                // A row stands for a Deployment: its ReplicaSet's selector gives the scheduler's default spreading.
                placement = placement.withPreferences(placement.preferences().withSystemSpread(true));
                int podPriority = priority >= 0 && !row.get(priority).isEmpty()
                        ? Values.priority(row.get(priority), loc(displayName, row, "priority"), "priority of '" + n + "'") : 0;
                groups.add(new PodGroup(n, "csv", request, count, false, null, new SourceRef(displayName, row.line()), List.of(), null, placement,
                        podPriority));
            });
        }
        if (groups.isEmpty()) {
            throw new InputException(SourceLocation.ofFile(displayName), "The file has a header but no rows; expected at least one workload.");
        }
        boolean milli = fractional.stream().anyMatch(f -> java.util.Arrays.stream(f[1].split(", ")).anyMatch(v -> v.endsWith("m")));
        List<IgnoredObject> notes = new ArrayList<>(rowsNote(fractional, displayName, "", (values, several, example)
                -> Values.fractionalBytesNote(values, fractions[0] > 1, milli)));
        notes.addAll(rowsNote(unitless, displayName, "memory", Values::memoryWithoutUnitNote));
        notes.addAll(rowsNote(mega, displayName, "cpu", Values::cpuInMegaNote));
        notes.addAll(rowsNote(binary, displayName, "cpu", Values::cpuInBinaryNote));
        notes.addAll(rowsNote(cores, displayName, "cpu", Values::coresLikelyMillisNote));
        return new Workload(groups, List.of(), notes, List.of(displayName));
    }

    /** How a note words the {@code values} of rows ({@code several} of them or one), {@code example} one of them. */
    private interface Note {
        String of(String values, boolean several, String example);
    }

    /**
     * One note for the rows whose {@code field} looks like a unit slip (memory without a unit under 1 MiB,
     * {@link Values#memoryWithoutUnit}; CPU in mega, {@link Values#cpuInMega}; a fraction of a byte, {@link Values#fractionalBytes}):
     * a file in MiB has many.
     *
     * @param rows  name, value and line of each
     * @param field the column the values are of, or empty where each value names its own
     */
    private static List<IgnoredObject> rowsNote(List<String[]> rows, String displayName, String field, Note note) {
        if (rows.isEmpty()) {
            return List.of();
        }
        boolean several = rows.size() > 1;
        String values = (field.isEmpty() ? "" : field + " ") + (several ? io.nodesizer.model.NameLists.firstOf(rows.stream().map(r -> r[1] + " (line " + r[2] + ")")
                .toList(), 3) : rows.get(0)[1]);
        return List.of(new IgnoredObject(several ? "profiles" : "profile", io.nodesizer.model.NameLists.firstOf(
                rows.stream().map(r -> r[0]).toList(), 3), new SourceRef(displayName, Integer.parseInt(rows.get(0)[2])),
                "packed, but " + note.of(values, several, rows.get(0)[1])));
    }

    private static String cell(CsvRows.Row row, int column, String file, String field) {
        String v = row.get(column);
        if (v.isEmpty()) {
            throw new InputException(loc(file, row, field), "The " + field + " must not be empty; expected a quantity.");
        }
        return v;
    }

    private static SourceLocation loc(String file, CsvRows.Row row, String field) {
        return SourceLocation.of(file, row.line(), 0, field);
    }
}
