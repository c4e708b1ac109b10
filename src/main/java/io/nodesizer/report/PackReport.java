package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resource;
import io.nodesizer.sweep.ShapeEvaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders the result of {@code nodesizer pack}: one shape, one (best) packing. */
public final class PackReport {
    private PackReport() {
    }

    /** @param timings false leaves out wall-clock times (for byte-identical output) */
    public static String render(ReportFormat format, WorkloadSummary workload, PackingResult best, ShapeEvaluation e, boolean timings) {
        return switch (format) {
            case JSON -> json(workload, best, e, timings);
            case TABLE -> text(workload, best, e, false);
            case MARKDOWN -> text(workload, best, e, true);
            case CSV -> csv(best);
            case HTML -> html(workload, best, e);
        };
    }

    private static String json(WorkloadSummary workload, PackingResult best, ShapeEvaluation e, boolean timings) {
        ObjectNode o = JsonTrees.evaluation(e, "pack", timings);
        o.set("workload", JsonTrees.workload(workload));
        o.putPOJO("nodeLoads", new NodeLoads(best));
        return JsonTrees.write(o);
    }

    /**
     * The {@code nodeLoads} array, written straight to the generator when the tree is: the same
     * calls {@link JsonTrees#resources} nodes would make (so the same text), without a tree of
     * ~20 nodes per node — for 19,000 nodes that tree was a large part of a cold JSON report.
     */
    private record NodeLoads(PackingResult best) implements JsonTrees.WrittenDirectly {
        @Override
        public void serialize(com.fasterxml.jackson.core.JsonGenerator gen, com.fasterxml.jackson.databind.SerializerProvider provider)
                throws java.io.IOException {
            if (JsonTrees.COUNTS_ONLY.get()) {
                gen.writeNumber(best.nodeCount());
                return;
            }
            long[] load = best.nodeLoad();
            String prefix = best.problem().shape().name() + "-";
            gen.writeStartArray();
            for (int n = 0; n < best.nodeCount(); n++) {
                int at = n * DemandTable.D;
                gen.writeStartObject();
                gen.writeStringField("node", prefix + n);
                gen.writeFieldName("requests");
                gen.writeStartObject();
                gen.writeNumberField("cpuMillis", load[at + Resource.CPU.ordinal()]);
                gen.writeNumberField("memoryBytes", load[at + Resource.MEMORY.ordinal()]);
                gen.writeNumberField("pods", load[at + Resource.PODS.ordinal()]);
                long gpuMillis = load[at + Resource.GPU.ordinal()];
                gen.writeNumberField("gpus", (gpuMillis + 999) / 1000);
                gen.writeNumberField("gpuMillis", gpuMillis);
                gen.writeNumberField("ephemeralStorageBytes", load[at + Resource.EPHEMERAL_STORAGE.ordinal()]);
                gen.writeEndObject();
                gen.writeEndObject();
            }
            gen.writeEndArray();
        }
    }

    /** Node names in assignments and reports: {@code shape-0}, {@code shape-1}, … */
    public static String nodeName(PackingResult r, int node) {
        return r.problem().shape().name() + "-" + node;
    }

    /**
     * The shape's resources: its nominal capacity, what its kubelet reports as capacity where the OS keeps some of it (the
     * figure {@code kubectl describe node} shows), what is reserved off that (kube- and system-reserved and the eviction
     * threshold), allocatable, the DaemonSets' share and what is left for pods, so that each step can be checked
     * against a real node (QA 60b F4: the OS's share was folded into "reserved" out of sight).
     */
    static TextTable shapeTable(ShapeEvaluation e, PackingResult best) {
        NodeShape s = e.shape();
        // Where the nodes of some zones run other DaemonSets than others: theirs and what they leave, zone by zone.
        List<io.nodesizer.model.Resources> byZone = best == null ? List.of() : best.problem().zoneLoads();
        List<String> zoneNames = byZone.isEmpty() ? List.of() : best.problem().table().zoneNames();
        boolean osShare = !s.kubeletCapacity().equals(s.capacity());
        List<List<String>> rows = new ArrayList<>();
        for (Resource r : Resource.values()) {
            long cap = s.capacity().get(r);
            if (cap == 0 && e.workloadRequests().get(r) == 0) {
                continue; // no GPU column when nothing has GPUs
            }
            long kubelet = s.kubeletCapacity().get(r);
            long alloc = s.allocatable().get(r);
            long ds = e.daemonSetLoad().get(r);
            long used = e.workloadRequests().get(r) + (byZone.isEmpty() ? ds * e.nodes() : best.daemonSetTotal().get(r));
            String util = e.nodes() == 0 || alloc == 0 ? Fmt.NA : Fmt.ratio((double) used / ((double) alloc * e.nodes()));
            List<String> row = new ArrayList<>(List.of(r.kubernetesName() + (r == Resource.MEMORY || r == Resource.EPHEMERAL_STORAGE ? " (GiB)" : ""),
                    Fmt.amount(r, cap)));
            if (osShare) {
                row.add(Fmt.amount(r, kubelet));
            }
            String dsCell = Fmt.amount(r, ds);
            String forPods = Fmt.amount(r, Math.max(0, alloc - ds));
            if (!byZone.isEmpty()) {
                dsCell = String.join(" / ", byZone.stream().map(z -> Fmt.amount(r, z.get(r))).toList());
                forPods = String.join(" / ", byZone.stream().map(z -> Fmt.amount(r, Math.max(0, alloc - z.get(r)))).toList());
            }
            row.addAll(List.of(Fmt.amount(r, Math.max(0, kubelet - alloc)), Fmt.amount(r, alloc), dsCell, forPods, util));
            rows.add(row);
        }
        List<TextTable.Column> columns = new ArrayList<>(List.of(TextTable.Column.left("resource"), TextTable.Column.right("capacity")));
        if (osShare) {
            columns.add(TextTable.Column.right("kubelet capacity"));
        }
        columns.addAll(List.of(TextTable.Column.right("reserved"), TextTable.Column.right("allocatable"),
                TextTable.Column.right(byZone.isEmpty() ? "DaemonSets" : "DaemonSets " + String.join(" / ", zoneNames)),
                TextTable.Column.right(byZone.isEmpty() ? "for pods" : "for pods " + String.join(" / ", zoneNames)),
                TextTable.Column.right("used %")));
        return new TextTable(columns, rows);
    }

    private static String text(WorkloadSummary workload, PackingResult best, ShapeEvaluation e, boolean markdown) {
        StringBuilder sb = new StringBuilder();
        NodeShape s = e.shape();
        String title = "nodesizer pack: " + workload.oneLine() + " onto " + s.name();
        sb.append(markdown ? "# " + MarkdownText.escape(title) + "\n\n" : title + "\n\n");
        sb.append(markdown ? shapeTable(e, best).renderMarkdown() : shapeTable(e, best).renderAligned()).append('\n');
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"reservation", s.reservation() + (s.hasPrice() ? String.format(Locale.ROOT, ", $%.4f per node-hour", s.pricePerHourUsd()) : ", price n/a")});
        facts.add(new String[] {"strategy", e.strategy() + " (best of " + String.join(", ", e.tried().stream()
                .map(t -> t.strategy() + " " + (t.skipped() != null ? "skipped" : t.nodes() == null ? Fmt.NA
                        : String.format(Locale.ROOT, "%,d", t.nodes()))).toList()) + ")"});
        // Why a stage did not run, on a line of its own: in the list above it read as one sentence with the next stage.
        List<String> skipped = e.tried().stream().filter(t -> t.skipped() != null).map(t -> t.strategy() + ": " + t.skipped()).toList();
        if (!skipped.isEmpty()) {
            facts.add(new String[] {"skipped", String.join("; ", skipped)});
        }
        facts.add(new String[] {"nodes", String.format(Locale.ROOT, "%,d   lower bound %,d", e.nodes(), e.lowerBound().value())
                + " (" + e.lowerBound().method()
                + capacityAlone(e.lowerBound()) + "), gap " + gap(e)});
        facts.add(new String[] {"cost", e.holdsNothing() ? "n/a (no node holds any pod: nothing runs the workload)"
                : e.costPerHour() == null ? "n/a (the shape has no price)"
                : "$" + Fmt.perHour(e.costPerHour()) + "/h, $" + Fmt.money(e.costPerMonth()) + "/month; N+1: $"
                + Fmt.money(e.costPerMonthNPlusOne()) + "/month"});
        // GPU too where the shape has GPUs: they may set the node count (QA 69a F10).
        facts.add(new String[] {"utilization", "CPU " + Fmt.percent(e.cpuUtilization()) + ", memory " + Fmt.percent(e.memoryUtilization())
                + (Double.isNaN(e.gpuUtilization()) ? "" : ", GPU " + Fmt.percent(e.gpuUtilization())) + " of allocatable"});
        facts.add(new String[] {"stranded", io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.CPU, e.strandedCpuMillis())
                + " CPU, " + io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.MEMORY, e.strandedMemoryBytes())
                + " GiB idle on nodes where no pod of the workload asking it fits what is left"});
        facts.add(new String[] {"one node lost", e.nodes() == 0 ? "n/a (no node)" : Fmt.pct(e.failureLossPercent()) + " % of capacity"});
        facts.add(new String[] {"unschedulable", e.unschedulableCount() == 0 ? "none"
                : String.format(Locale.ROOT, "%,d %s (-o json or --assignments lists every one)", e.unschedulableCount(),
                e.unschedulableCount() == 1 ? "pod" : "pods")});
        for (String[] f : facts) {
            sb.append(markdown ? "- **" + f[0] + "**: " + MarkdownText.escape(f[1]) + "\n" : String.format(Locale.ROOT, "%-14s %s%n", f[0], f[1]));
        }
        appendUnschedulableByReason(sb, e, markdown);
        appendWorkloadNotes(sb, workload, markdown);
        return sb.toString();
    }

    /**
     * "; capacity alone 3" when a pod rule's bound (anti-affinity, a spread) binds above what the
     * amounts alone need (the L1, L2, DFF, alone+L2 and LP bounds), so that a reader sees the rule,
     * not the capacity, sets the count; empty otherwise.
     */
    static String capacityAlone(io.nodesizer.bound.LowerBound bound) {
        if (ofCapacity(bound.method())) {
            return "";
        }
        int capacity = 0;
        for (io.nodesizer.bound.LowerBound.Part part : bound.parts()) {
            if (ofCapacity(part.method())) {
                capacity = Math.max(capacity, part.value());
            }
        }
        return capacity < bound.value() ? "; capacity alone " + capacity : "";
    }

    /** Whether a bound part reads the pods' amounts alone, no pod rule. */
    private static boolean ofCapacity(String method) {
        return method.startsWith("L") || method.startsWith("DFF(") || method.equals("alone+L2");
    }

    /** Unschedulable pods grouped by reason, most frequent first, with a few example names each. */
    private static void appendUnschedulableByReason(StringBuilder sb, ShapeEvaluation e, boolean markdown) {
        ReasonLines.append(sb, podsByReason(e).entrySet(), entry -> entry.getValue().size(),
                entry -> MarkdownText.of(markdown, reasonLine(entry.getKey(), entry.getValue())), markdown ? "  - " : "  ");
    }

    /** The pods a packing leaves out, by the reason it gives, in the order of its unschedulable groups. */
    public static java.util.Map<String, List<String>> podsByReason(ShapeEvaluation e) {
        java.util.Map<String, List<String>> byReason = new java.util.LinkedHashMap<>();
        for (ShapeEvaluation.UnschedulableGroup u : e.unschedulable()) {
            List<String> pods = byReason.computeIfAbsent(u.reason(), k -> new ArrayList<>());
            for (int i = u.firstReplica(); i < u.group().replicas() && pods.size() < 1_000_000; i++) {
                pods.add(u.group().podName(i));
            }
        }
        return byReason;
    }

    /**
     * "5 × needs 20 GiB ephemeral-storage; g5.12xlarge allocatable is 17 GiB ephemeral-storage (infer-0, infer-1, infer-2, …);
     * give --disk a larger root disk": pods left out for one reason, as pack lists them and recommend's note repeats them,
     * with the flag that changes what the shape offers when one does.
     */
    public static String reasonLine(String reason, List<String> pods) {
        String examples = String.join(", ", pods.subList(0, Math.min(3, pods.size()))) + (pods.size() > 3 ? ", …" : "");
        // The engine words the shape's side; the root disk is the one such amount a flag sets (the provider's default disk,
        // 20 GiB on EKS, leaves ~17 GiB allocatable), so the reader is told which.
        String hint = DISK_TOO_SMALL.matcher(reason).find() ? "; give --disk a larger root disk" : "";
        if (reason.contains(io.nodesizer.engine.PackingProblem.NOT_USED)) {
            // The shape is refused, not the pods (a DaemonSet it cannot run): they are named as left off it, not as misfits.
            return reason + "; " + String.format(Locale.ROOT, "%,d %s not packed on it (%s)", pods.size(),
                    pods.size() == 1 ? "pod is" : "pods are", examples);
        }
        return String.format(Locale.ROOT, "%,d × ", pods.size()) + reason + " (" + examples + ")" + hint;
    }

    /** The packing's gap as pack writes it, in its summary and beside its CSV: "3.3 %", or "n/a" where nothing is placed. */
    public static String gap(ShapeEvaluation e) {
        return Fmt.pct(e.gapPercent()) + (Double.isNaN(e.gapPercent()) ? "" : " %");
    }

    private static final java.util.regex.Pattern DISK_TOO_SMALL =
            java.util.regex.Pattern.compile("needs [^;]* ephemeral-storage[^;]*; [^;]* allocatable is [^;]* ephemeral-storage");

    static void appendWorkloadNotes(StringBuilder sb, WorkloadSummary workload, boolean markdown) {
        List<String> lines = new ArrayList<>();
        workload.daemonSets().forEach(d -> lines.add("DaemonSet " + d));
        workload.ignored().forEach(i -> lines.add(WorkloadSummary.asNote(i)));
        workload.approximated().forEach(a -> lines.add("approximated " + a));
        workload.notes().forEach(n -> lines.add("note: " + n));
        if (lines.isEmpty()) {
            return;
        }
        sb.append('\n');
        for (String line : lines) {
            sb.append(markdown ? "- " : "").append(MarkdownText.of(markdown, line)).append('\n');
        }
    }

    /** Per node: name, pods placed and the load of each resource, in machine units. */
    private static String csv(PackingResult best) {
        int[] podsOnNode = new int[best.nodeCount()];
        for (int node : best.assignment()) {
            if (node >= 0) {
                podsOnNode[node]++;
            }
        }
        List<List<String>> rows = new ArrayList<>();
        long[] load = best.nodeLoad();
        for (int n = 0; n < best.nodeCount(); n++) {
            List<String> row = new ArrayList<>();
            row.add(nodeName(best, n));
            row.add(Integer.toString(podsOnNode[n]));
            for (Resource r : Resource.values()) {
                row.add(Long.toString(load[n * DemandTable.D + r.ordinal()]));
            }
            rows.add(row);
        }
        List<TextTable.Column> cols = new ArrayList<>(List.of(TextTable.Column.left("node"), TextTable.Column.right("workloadPods")));
        for (Resource r : Resource.values()) {
            cols.add(TextTable.Column.right(r.fieldName()));
        }
        return new TextTable(cols, rows).renderCsv();
    }

    private static String html(WorkloadSummary workload, PackingResult best, ShapeEvaluation e) {
        String body = HtmlReport.section("Node", "<pre>" + HtmlReport.escape(text(workload, best, e, false)) + "</pre>")
                + (best.nodeCount() == 0 ? "" : HtmlReport.section("Requests per node (share of what pods may use)",
                NodeFillChart.of("node-fill", best, "node")));
        return HtmlReport.packingPage("nodesizer pack: " + e.shape().name(), body);
    }
}
