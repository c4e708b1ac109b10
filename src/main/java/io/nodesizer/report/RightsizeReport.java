package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.engine.Amounts;
import io.nodesizer.rightsize.ContainerAdvice;
import io.nodesizer.rightsize.Impact;
import io.nodesizer.rightsize.NodeGroupImpact;
import io.nodesizer.rightsize.RightsizeSettings;
import io.nodesizer.rightsize.Rightsizer;
import io.nodesizer.rightsize.UsageStats;
import io.nodesizer.sweep.ShapeEvaluation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/** {@code nodesizer rightsize}: per container old request, usage, new request; then nodes and cost before and after. */
public final class RightsizeReport {
    private static final double MIB = 1024.0 * 1024;
    private static final double GIB = MIB * 1024;

    private RightsizeReport() {
    }

    /**
     * @param sources         usage files read (the text's "usage series (…)")
     * @param impact          nodes and cost before and after
     * @param timings         false leaves out wall-clock times
     * @param workloadSources the workload's files (--pods, --snapshot): JSON {@code inputs} lists them before the usage
     * @param candidates      the candidate shapes as recommend describes them ("9 of 1363 aws types (…)"), or null
     * @param byGroup         a cluster of dedicated node groups sized group by group, or null (one shape for all: {@code
     *                        impact}); when given, {@code impact} is its first group's, read only for the sizing rules
     */
    public record Content(Rightsizer.Result result, RightsizeSettings settings, List<String> sources, Impact impact, boolean timings,
                          List<String> workloadSources, String candidates, NodeGroupImpact byGroup) {
        public Content {
            sources = List.copyOf(sources);
            workloadSources = List.copyOf(workloadSources);
        }

        public Content(Rightsizer.Result result, RightsizeSettings settings, List<String> sources, Impact impact, boolean timings,
                       List<String> workloadSources, String candidates) {
            this(result, settings, sources, impact, timings, workloadSources, candidates, null);
        }

        public Content(Rightsizer.Result result, RightsizeSettings settings, List<String> sources, Impact impact, boolean timings) {
            this(result, settings, sources, impact, timings, List.of(), null);
        }

        /** Nodes before and after, over all groups when sized per group. */
        int nodesBefore() {
            return byGroup == null ? impact.before().nodes() : byGroup.nodesBefore();
        }

        int nodesAfter() {
            return byGroup == null ? impact.after().nodes() : byGroup.nodesAfter();
        }

        /** The saving line; per group, the sums' ({@link #groupSavingLine}). */
        String savingLine() {
            return byGroup == null ? RightsizeReport.savingLine(impact) : groupSavingLine(byGroup);
        }

        /** The nodes-and-cost table: before, after and after on today's shape; per group, a line per group and the total. */
        TextTable impactTable() {
            return byGroup == null ? RightsizeReport.impactTable(impact) : groupTable(byGroup);
        }
    }

    public static String render(ReportFormat format, Content c) {
        return switch (format) {
            case JSON -> json(c);
            case CSV -> csv(c);
            case TABLE -> text(c, false);
            case MARKDOWN -> text(c, true);
            case HTML -> html(c);
        };
    }

    // ---- quantities as kubectl users read them

    /** {@code 250m}, {@code 2}, {@code 1500m}; null as "none". */
    static String cpu(Long millis) {
        if (millis == null) {
            return "none";
        }
        return millis % 1000 == 0 && millis > 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    /** {@code 300Mi}, {@code 1.5Gi}; null as "none". */
    static String memory(Long bytes) {
        if (bytes == null) {
            return "none";
        }
        if (bytes >= GIB) {
            return trim(bytes / GIB) + "Gi";
        }
        if (bytes >= MIB) {
            return trim(bytes / MIB) + "Mi";
        }
        return bytes % 1024 == 0 && bytes > 0 ? bytes / 1024 + "Ki" : Long.toString(bytes);
    }

    /**
     * {@code 3Gi}, {@code 3071Mi}, {@code 1023Ki}: the largest binary unit the amount is a whole number of, as a patch writes it
     * (recommended amounts are whole Mi); null as "none".
     */
    static String exactMemory(Long bytes) {
        if (bytes == null) {
            return "none";
        }
        String[] units = {"Gi", "Mi", "Ki"};
        for (int i = 0; i < units.length; i++) {
            long size = 1L << (30 - 10 * i);
            if (bytes > 0 && bytes % size == 0) {
                return bytes / size + units[i];
            }
        }
        return Long.toString(bytes);
    }

    /**
     * A memory request before and after as the report shows them: short, or exact where the short forms of two amounts
     * read alike (QA 61a F8: "3Gi → 3Gi, -0%" for 3Gi → 3071Mi, which JSON and the patch gave).
     */
    private static List<String> memoryPair(Long before, Long after) {
        String b = memory(before);
        String a = memory(after);
        return b.equals(a) && !Objects.equals(before, after) ? List.of(exactMemory(before), exactMemory(after)) : List.of(b, a);
    }

    private static String usageCpu(double millis) {
        return millis >= 1000 ? trim(millis / 1000) : trim(millis) + "m";
    }

    /**
     * A container's CPU cells, its request, usage (p50 / target / max) and new request, in one unit: cores where both requests
     * are whole cores (or none) and it used a core or more, else millicores throughout (QA 61a F8: a p95 of "1.09" beside a
     * new request of "1089m"). The request stays exact either way.
     */
    private static List<String> cpuCells(ContainerAdvice a) {
        UsageStats u = a.cpu();
        boolean cores = wholeCores(a.requestCpuMillis()) && wholeCores(a.recommendedCpuMillis()) && (u == null || u.p50() >= 1000);
        Function<Long, String> request = m -> cores || m == null ? cpu(m) : m + "m";
        DoubleFunction<String> usage = m -> cores ? trim(m / 1000) : trim(m) + "m";
        return List.of(request.apply(a.requestCpuMillis()), u == null ? "–" : usage.apply(u.p50()) + " / " + usage.apply(u.target()) + " / "
                + usage.apply(u.max()), request.apply(a.recommendedCpuMillis()));
    }

    private static boolean wholeCores(Long millis) {
        return millis == null || millis > 0 && millis % 1000 == 0;
    }

    private static String usageMemory(double bytes) {
        return memory((long) Math.ceil(bytes));
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String change(Long before, Long after) {
        if (before == null || after == null) {
            return before == null && after == null ? "–" : before == null ? "new" : "–";
        }
        return totalChange(before, after); // exact as doubles: requests stay below 2^53
    }

    private static String flags(ContainerAdvice a) {
        return a.flags().isEmpty() ? "" : String.join(" ", a.flags().stream().map(ContainerAdvice.Flag::label).toList());
    }

    // ---- text and markdown

    /**
     * The containers; the CPU usage column shows the percentile the requests come from
     * ({@code --cpu-percentile}, p95 by default) between the median and the maximum.
     */
    private static TextTable containerTable(Rightsizer.Result r, RightsizeSettings settings) {
        List<List<String>> rows = new ArrayList<>();
        String target = "p" + trim(settings.cpuPercentile());
        for (ContainerAdvice a : r.containers()) {
            List<String> cpu = cpuCells(a);
            List<String> memory = memoryPair(a.requestMemoryBytes(), a.recommendedMemoryBytes());
            rows.add(List.of(a.workload().toString(), a.container(), a.perNode() ? "per node" : Integer.toString(a.replicas()),
                    cpu.get(0), cpu.get(1), cpu.get(2), change(a.requestCpuMillis(), a.recommendedCpuMillis()),
                    memory.get(0), a.memory() == null ? "–" : usageMemory(a.memory().p50()) + " / "
                            + usageMemory(a.memory().p95()) + " / " + usageMemory(a.memory().max()),
                    memory.get(1), change(a.requestMemoryBytes(), a.recommendedMemoryBytes()), flags(a)));
        }
        return new TextTable(List.of(TextTable.Column.left("workload"), TextTable.Column.left("container"), TextTable.Column.right("pods"),
                TextTable.Column.right("CPU req"), TextTable.Column.right("CPU p50 / " + target + " / max"), TextTable.Column.right("new CPU"),
                TextTable.Column.right("Δ CPU"), TextTable.Column.right("mem req"), TextTable.Column.right("mem p50 / p95 / max"),
                TextTable.Column.right("new mem"), TextTable.Column.right("Δ mem"), TextTable.Column.left("flags")), rows);
    }

    private static TextTable impactTable(Impact i) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(impactRow("before (today's requests)", i.before()));
        rows.add(impactRow("after (recommended requests)", i.after()));
        rows.add(impactRow("after, on the same shape as before", i.afterOnBeforeShape()));
        return new TextTable(List.of(TextTable.Column.left(""), TextTable.Column.left("best shape"), TextTable.Column.right("nodes"),
                TextTable.Column.right("bound"), TextTable.Column.right("gap %"), TextTable.Column.right("unsched"),
                TextTable.Column.right("$/h"), TextTable.Column.right("$/month"), TextTable.Column.right("CPU %"),
                TextTable.Column.right("mem %")), rows);
    }

    /**
     * A packing of the impact table as JSON; with no node and pods left out, its costs null, as the table's "–": nothing
     * holds the workload, so 0 is no price for it (compare read "after $/month 210.24 → 0.00 (-100.0 %)": review 49 L5).
     */
    private static ObjectNode impactJson(ShapeEvaluation e, boolean timings) {
        // Four decimals per hour, as before: the report's savingPerHour is the difference of the 4-decimal costs (README).
        ObjectNode o = JsonTrees.evaluation(e, null, timings, JsonTrees.ALL_LISTED, 4);
        if (e.holdsNothing()) {
            for (String field : List.of("costPerHour", "costPerMonth", "costPerHourNPlusOne", "costPerMonthNPlusOne")) {
                if (o.has(field)) {
                    o.putNull(field);
                }
            }
        }
        return o;
    }

    /**
     * The hourly saving as the line writes it: to the cent where before − after to the cent is the saving to the cent,
     * else with up to four decimals, the saving itself, as consolidate writes its costs (QA 67c F2: "$0.35/h" for 0.344,
     * beside $251.12/month, which is 0.344 × 730).
     */
    private static String hourlySaving(double before, double after) {
        int d = Fmt.savingDecimals(before, after, 4);
        return String.format(Locale.ROOT, "%,." + d + "f", Math.abs(d == 2 ? Fmt.shownDifference(before, after, 2) : Fmt.round(before - after, d)));
    }

    private static List<String> impactRow(String label, ShapeEvaluation e) {
        // No node and pods left out is not free: nothing holds the workload (QA 37d finding 9).
        boolean none = e.holdsNothing();
        return List.of(label, e.shape().name(), ShapeCells.nodes(e), ShapeCells.bound(e), ShapeCells.gap(e),
                Integer.toString(e.unschedulableCount()), none ? "–" : Fmt.money(e.costPerHour()), none ? "–" : Fmt.money(e.costPerMonth()),
                Fmt.ratio(e.cpuUtilization()), Fmt.ratio(e.memoryUtilization()));
    }

    static String method(RightsizeSettings s) {
        return "CPU request = p" + trim(s.cpuPercentile()) + " of each pod's usage (the busiest pod's), at least " + cpu(s.minCpuMillis())
                + "; memory request = peak working set + " + trim(s.memoryHeadroomPercent()) + "%, at least " + memory(s.minMemoryBytes())
                + "; a metric with fewer than " + s.minSamples() + " samples or under " + trim(s.minHistorySeconds() / 3600.0)
                + " h of history keeps its request";
    }

    private static String text(Content c, boolean markdown) {
        Rightsizer.Result r = c.result();
        StringBuilder sb = new StringBuilder();
        long workloads = r.containers().stream().map(ContainerAdvice::workload).distinct().count();
        sb.append(markdown ? "# nodesizer rightsize\n\n" : "nodesizer rightsize\n")
                .append(r.containers().size()).append(r.containers().size() == 1 ? " container in " : " containers in ").append(workloads)
                .append(workloads == 1 ? " workload, " : " workloads, ").append(r.seriesRead()).append(r.seriesRead() == 1 ? " usage series (" : " usage series (")
                .append(MarkdownText.of(markdown, String.join(", ", c.sources()))).append(")\n");
        sb.append("method: ").append(method(c.settings())).append("\n\n");
        TextTable containers = containerTable(r, c.settings());
        sb.append(markdown ? containers.renderMarkdown() : containers.renderAligned()).append('\n');
        String bullet = markdown ? "- " : "  ";
        for (Risks list : risks(r)) {
            sb.append(markdown ? "## " : "").append(list.heading()).append('\n');
            for (String line : list.lines()) {
                sb.append(bullet).append(MarkdownText.of(markdown, line)).append('\n');
            }
            sb.append('\n');
        }
        sb.append(markdown ? totals(r).replace("\n", "  \n") : totals(r)).append("\n\n"); // Markdown: a hard line break
        TextTable impact = c.impactTable();
        sb.append(markdown ? impact.renderMarkdown() : impact.renderAligned()).append('\n');
        sb.append(c.savingLine()).append('\n');
        if (sizingLine(c.impact()) != null) {
            sb.append(sizingLine(c.impact())).append('\n');
        }
        if (!r.warnings().isEmpty()) {
            sb.append('\n').append(markdown ? "## Warnings\n" : "warnings:\n");
            for (String w : r.warnings()) {
                sb.append(bullet).append(MarkdownText.of(markdown, w)).append('\n');
            }
        }
        return sb.toString();
    }

    /** A list of containers that need a look, under its heading ("No request: 2 containers"). */
    private record Risks(String heading, List<String> lines) {
    }

    /** The containers using more than they request or near their limits, then those without a request: every format lists them. */
    private static List<Risks> risks(Rightsizer.Result r) {
        List<ContainerAdvice> over = r.containers().stream().filter(a -> a.flags().stream().anyMatch(ContainerAdvice.Flag::overUse)).toList();
        List<ContainerAdvice> missing = r.containers().stream().filter(a -> a.flags().stream().anyMatch(ContainerAdvice.Flag::missingRequest)).toList();
        List<Risks> out = new ArrayList<>();
        if (!over.isEmpty()) {
            out.add(new Risks("Using more than requested, or close to the limit (throttling / OOM risk): " + over.size()
                    + (over.size() == 1 ? " container" : " containers"),
                    over.stream().map(a -> a.workload() + " " + a.container() + ": " + overUse(a)).toList()));
        }
        if (!missing.isEmpty()) {
            out.add(new Risks("No request: " + missing.size() + (missing.size() == 1 ? " container" : " containers"),
                    missing.stream().map(a -> a.workload() + " " + a.container() + ": " + missingText(a)).toList()));
        }
        return out;
    }

    private static String overUse(ContainerAdvice a) {
        List<String> parts = new ArrayList<>();
        if (a.has(ContainerAdvice.Flag.CPU_ABOVE_REQUEST)) {
            parts.add("CPU " + usageCpu(a.cpu().target()) + " above its " + cpu(a.requestCpuMillis()) + " request");
        }
        if (a.has(ContainerAdvice.Flag.MEMORY_ABOVE_REQUEST)) {
            parts.add("memory peak " + usageMemory(a.memory().max()) + " above its " + memory(a.requestMemoryBytes()) + " request");
        }
        if (a.has(ContainerAdvice.Flag.CPU_NEAR_LIMIT)) {
            parts.add(a.cpuAboveLimit()
                    ? "CPU " + usageCpu(a.cpu().target()) + " above its " + cpu(a.limitCpuMillis()) + " limit (not the limit it ran under)"
                    : "CPU " + usageCpu(a.cpu().target()) + " near its " + cpu(a.limitCpuMillis()) + " limit (throttled)");
        }
        if (a.has(ContainerAdvice.Flag.MEMORY_NEAR_LIMIT)) {
            // A working set cannot pass its memory limit (the kernel OOM-kills at it): above it, the limit is not what it ran under (QA 51c F6).
            parts.add(a.memory().max() > a.limitMemoryBytes()
                    ? "memory peak " + usageMemory(a.memory().max()) + " above its " + memory(a.limitMemoryBytes()) + " limit (not the limit it ran under)"
                    : "memory peak " + usageMemory(a.memory().max()) + " near its " + memory(a.limitMemoryBytes()) + " limit (OOM-kill risk)");
        }
        if (a.has(ContainerAdvice.Flag.OOM_KILLED)) {
            parts.add("OOM-killed (the snapshot's status)" + (a.recommendedMemoryBytes() != null
                    ? ", memory set to " + memory(a.recommendedMemoryBytes()) : ""));
        }
        return String.join("; ", parts);
    }

    private static String missingText(ContainerAdvice a) {
        List<String> parts = new ArrayList<>();
        if (a.has(ContainerAdvice.Flag.NO_CPU_REQUEST)) {
            parts.add("no CPU request" + (a.recommendedCpuMillis() != null ? ", set " + cpu(a.recommendedCpuMillis()) : ""));
        }
        if (a.has(ContainerAdvice.Flag.NO_MEMORY_REQUEST)) {
            parts.add("no memory request" + (a.recommendedMemoryBytes() != null ? ", set " + memory(a.recommendedMemoryBytes()) : ""));
        }
        return String.join("; ", parts);
    }

    /**
     * A container's CPU request after the advice, as the packing after takes it: today's where a LimitRange refuses the new
     * one (QA 59b: the total counted the refused 98m beside a packing that kept 1 CPU).
     */
    private static Long afterCpu(ContainerAdvice a) {
        return a.has(ContainerAdvice.Flag.LIMIT_RANGE) ? a.requestCpuMillis() : a.recommendedCpuMillis();
    }

    /** {@link #afterCpu} for memory. */
    private static Long afterMemory(ContainerAdvice a) {
        return a.has(ContainerAdvice.Flag.LIMIT_RANGE) ? a.requestMemoryBytes() : a.recommendedMemoryBytes();
    }

    /**
     * Requests over all replicas of the advised containers, before and after (today's where a LimitRange refuses the new). Summed as doubles: a
     * request near the 1 PiB cap times many replicas is beyond a long, and the totals are shown rounded.
     */
    private static String totals(Rightsizer.Result r) {
        double cpuBefore = 0;
        double cpuAfter = 0;
        double memBefore = 0;
        double memAfter = 0;
        for (ContainerAdvice a : r.containers()) {
            // Each pod at its own request: a rollout's or a VPA's pods of one workload may ask different amounts (QA 64a F8b).
            cpuBefore += a.requestCpuTotal();
            cpuAfter += a.afterCpuTotal();
            memBefore += a.requestMemoryTotal();
            memAfter += a.afterMemoryTotal();
        }
        long dsCpuBefore = 0;
        long dsCpuAfter = 0;
        long dsMemBefore = 0;
        long dsMemAfter = 0;
        for (ContainerAdvice a : r.containers()) {
            if (a.perNode()) {
                dsCpuBefore += a.requestCpuMillis() == null ? 0 : a.requestCpuMillis();
                dsCpuAfter += afterCpu(a) == null ? 0 : afterCpu(a);
                dsMemBefore += a.requestMemoryBytes() == null ? 0 : a.requestMemoryBytes();
                dsMemAfter += afterMemory(a) == null ? 0 : afterMemory(a);
            }
        }
        String pods = String.format(Locale.ROOT, "requests over all replicas: CPU %s cores (%s), memory %s GiB (%s)",
                shownPair(cpuBefore / 1000.0, cpuAfter / 1000.0), totalChange(cpuBefore, cpuAfter), shownPair(memBefore / GIB, memAfter / GIB),
                totalChange(memBefore, memAfter));
        // What packs is each pod's request as the scheduler counts it: max(apps + sidecars, init containers) plus overhead.
        // An init container above the apps holds the pod's request where it is, whatever the apps' change.
        double[] before = podTotals(r.before());
        double[] after = podTotals(r.after());
        if (before[0] != cpuBefore || after[0] != cpuAfter || before[1] != memBefore || after[1] != memAfter) {
            pods += String.format(Locale.ROOT, "\npods as the scheduler counts them (with init containers and overhead): CPU %s cores (%s), "
                    + "memory %s GiB (%s)", shownPair(before[0] / 1000.0, after[0] / 1000.0), totalChange(before[0], after[0]),
                    shownPair(before[1] / GIB, after[1] / GIB), totalChange(before[1], after[1]));
        }
        if (r.containers().stream().noneMatch(ContainerAdvice::perNode)) {
            return pods;
        }
        List<String> dsMemory = memoryPair(dsMemBefore, dsMemAfter);
        return pods + String.format(Locale.ROOT, "\nDaemonSets on every node: CPU %s → %s, memory %s → %s", cpu(dsCpuBefore), cpu(dsCpuAfter),
                dsMemory.get(0), dsMemory.get(1));
    }

    /** {@code 6 → 5.998}: two totals, with more decimals where the short forms of two amounts would read alike. */
    private static String shownPair(double before, double after) {
        String b = trim(before);
        String a = trim(after);
        for (int decimals = 3; b.equals(a) && before != after && decimals <= 9; decimals++) {
            b = Amounts.trim(before, decimals);
            a = Amounts.trim(after, decimals);
        }
        return b + " → " + a;
    }

    /** The change in percent: 0%, "new" from nothing, else signed and rounded. */
    private static String totalChange(double before, double after) {
        if (before == after) {
            return "0%";
        }
        if (before == 0) {
            return "new";
        }
        double percent = 100.0 * (after - before) / before;
        // A change under half a percent to one significant digit, not "-0%" (QA 61a F8: 3Gi → 3071Mi).
        return Math.abs(percent) < 0.5 ? (percent > 0 ? "+" : "") + new BigDecimal(percent).round(new MathContext(1)).toPlainString() + "%"
                : String.format(Locale.ROOT, "%+.0f%%", percent);
    }

    /** CPU millicores and memory bytes of the workload's pods over all replicas, each pod's request as the scheduler counts it. */
    private static double[] podTotals(io.nodesizer.model.Workload w) {
        double cpu = 0;
        double memory = 0;
        for (io.nodesizer.model.PodGroup g : w.groups()) {
            cpu += (double) g.request().cpuMillis() * g.replicas();
            memory += (double) g.request().memoryBytes() * g.replicas();
        }
        return new double[] {cpu, memory};
    }

    /** How the nodes before and after were sized, as recommend says it; null for the bare packings. */
    static String sizingLine(Impact i) {
        io.nodesizer.sweep.HaSizing.Sized sized = i.before().sizing();
        if (sized == null || sized.rules().bare()) {
            return null;
        }
        return "sized for production: " + sized.rules().describe() + " before and after, as recommend sizes"
                + (sized.rules().minNodes() > 1 ? " (--min-nodes-per-pool 1 for the bare packings)" : "");
    }

    static String savingLine(Impact i) {
        Double saving = i.savingPerHour();
        if (i.podsLeftOut() > 0) {
            int n = i.podsLeftOut();
            return "no saving claimed: with the new requests " + n + (n == 1 ? " pod is" : " pods are") + " left out; "
                    + (i.after().nodes() == 0 ? "no candidate shape holds any pod after"
                    : "nodes " + i.before().nodes() + " × " + i.before().shape().name() + " → " + i.after().nodes() + " × "
                    + i.after().shape().name() + " without " + (n == 1 ? "it" : "them"));
        }
        if (saving == null) {
            return "cost: unknown (a shape has no price); nodes " + i.before().nodes() + " → " + i.after().nodes();
        }
        double before = i.before().costPerHour();
        String pct = before > 0 ? String.format(Locale.ROOT, " (%.1f%%)", 100 * saving / before) : "";
        String hourly = hourlySaving(before, i.after().costPerHour());
        double monthly = Fmt.shownDifference(i.before().costPerMonth(), i.after().costPerMonth(), 2);
        return (saving >= 0 ? "saving: $" + hourly + "/h, $" + Fmt.money(monthly) + "/month" + pct
                : "extra cost: $" + hourly + "/h, $" + Fmt.money(-monthly) + "/month"
                + pct.replace("(-", "(+")) + "; nodes " + i.before().nodes() + " × " + i.before().shape().name() + " → " + i.after().nodes()
                + " × " + i.after().shape().name();
    }

    /**
     * A cluster sized per node group: a line per group (its pods, the best shape as a node of the group, nodes, pods left
     * out and cost, before and after), then the total, which the saving is of.
     */
    static TextTable groupTable(NodeGroupImpact g) {
        List<List<String>> rows = new ArrayList<>();
        long pods = 0;
        for (NodeGroupImpact.Part p : g.parts()) {
            pods += p.pods();
            ShapeEvaluation b = p.impact().before();
            ShapeEvaluation a = p.impact().after();
            rows.add(List.of(p.name(), Long.toString(p.pods()), b.shape().name(), ShapeCells.nodes(b), Integer.toString(b.unschedulableCount()),
                    b.holdsNothing() ? "–" : Fmt.money(b.costPerHour()), a.shape().name(), ShapeCells.nodes(a),
                    Integer.toString(a.unschedulableCount()), a.holdsNothing() ? "–" : Fmt.money(a.costPerHour()),
                    p.group() != null ? p.group().describe() : p.gpus() ? "no node group offers their GPUs" : "no node group's labels needed"));
        }
        rows.add(List.of("total", Long.toString(pods), "", Integer.toString(g.nodesBefore()), Integer.toString(g.unschedulableBefore()),
                Fmt.money(g.costPerHourBefore()), "", Integer.toString(g.nodesAfter()), Integer.toString(g.unschedulableAfter()),
                Fmt.money(g.costPerHourAfter()), ""));
        return new TextTable(List.of(TextTable.Column.left("node group"), TextTable.Column.right("pods"),
                TextTable.Column.left("before: best shape"), TextTable.Column.right("nodes"), TextTable.Column.right("unsched"),
                TextTable.Column.right("$/h"), TextTable.Column.left("after: best shape"), TextTable.Column.right("nodes"),
                TextTable.Column.right("unsched"), TextTable.Column.right("$/h"), TextTable.Column.left("labels and taints")), rows);
    }

    /** The saving over all node groups, as {@link #savingLine} says it of one shape. */
    static String groupSavingLine(NodeGroupImpact g) {
        String nodes = "nodes " + g.nodesBefore() + " → " + g.nodesAfter() + ", sized per node group (each group's pods on the best "
                + "shape carrying its labels and taints, the pods that run anywhere on the best plain shape"
                + (g.parts().stream().anyMatch(NodeGroupImpact.Part::gpus) ? ", the pods requesting GPUs no group offers on the best plain "
                + "shape of their own" : "") + ")";
        if (g.podsLeftOut() > 0) {
            int n = g.podsLeftOut();
            return "no saving claimed: with the new requests " + n + (n == 1 ? " pod is" : " pods are") + " left out; " + nodes;
        }
        Double saving = g.savingPerHour();
        if (saving == null) {
            return "cost: unknown (a shape has no price); " + nodes;
        }
        double before = g.costPerHourBefore();
        double after = g.costPerHourAfter();
        String pct = before > 0 ? String.format(Locale.ROOT, " (%.1f%%)", 100 * saving / before) : "";
        String hourly = hourlySaving(before, after);
        double monthly = Fmt.shownDifference(before * ShapeEvaluation.HOURS_PER_MONTH, after * ShapeEvaluation.HOURS_PER_MONTH, 2);
        return (saving >= 0 ? "saving: $" + hourly + "/h, $" + Fmt.money(monthly) + "/month" + pct
                : "extra cost: $" + hourly + "/h, $" + Fmt.money(-monthly) + "/month" + pct.replace("(-", "(+")) + "; " + nodes;
    }

    /** The HTML cost chart's bars of a cluster sized per node group: the totals before and after. */
    private static void groupCostBars(NodeGroupImpact g, ArrayNode labels, ArrayNode data) {
        // The part of pods any node admits is the general pool, not a node group (review 63 item 11).
        long groups = g.parts().stream().filter(p -> p.group() != null).count();
        List<String> pieces = new ArrayList<>();
        if (groups > 0) {
            pieces.add(groups + (groups == 1 ? " node group" : " node groups"));
        }
        if (g.parts().stream().anyMatch(p -> p.group() == null && !p.gpus())) {
            pieces.add("the general pool");
        }
        if (g.parts().stream().anyMatch(NodeGroupImpact.Part::gpus)) {
            pieces.add("a pool of GPU pods"); // GPU pods no node group offers GPUs to (QA 66a M1)
        }
        String where = String.join(", ", pieces.subList(0, pieces.size() - 1)) + (pieces.size() > 1 ? " and " : "") + pieces.get(pieces.size() - 1);
        for (boolean before : new boolean[] {true, false}) {
            Double cost = before ? g.costPerHourBefore() : g.costPerHourAfter();
            labels.add((before ? "before: " : "after: ") + (before ? g.nodesBefore() : g.nodesAfter()) + " nodes in " + where
                    + (cost == null ? " (no price)" : ""));
            if (cost == null) {
                data.addNull();
            } else {
                data.add(ChartJs.round(cost * ShapeEvaluation.HOURS_PER_MONTH));
            }
        }
    }

    /**
     * JSON of a cluster sized per node group: {@code nodeGroups} (each with its labels, taints, pods and its own before, after
     * and afterOnBeforeShape), and {@code before} and {@code after} as the totals (nodes, costs, every group's unschedulable
     * pods; {@code shape.name} "per node group"), which compare reads as of one shape, and the saving of the totals.
     */
    private static void groupJson(ObjectNode root, NodeGroupImpact g, boolean timings) {
        ArrayNode groups = root.putArray("nodeGroups");
        List<ShapeEvaluation.UnschedulableGroup> leftBefore = new ArrayList<>();
        List<ShapeEvaluation.UnschedulableGroup> leftAfter = new ArrayList<>();
        for (NodeGroupImpact.Part p : g.parts()) {
            ObjectNode o = groups.addObject();
            if (p.group() == null) {
                o.putNull("group");
                if (p.gpus()) {
                    o.put("gpuPods", true); // the GPU pods no node group offers GPUs to, not the pods any node admits
                }
            } else {
                o.put("group", p.group().name());
                ObjectNode labels = o.putObject("labels");
                p.group().labels().forEach(labels::put);
                ArrayNode taints = o.putArray("taints");
                p.group().taints().forEach(t -> taints.add(t.toString()));
            }
            o.put("pods", p.pods());
            o.set("before", impactJson(p.impact().before(), timings));
            o.set("after", impactJson(p.impact().after(), timings));
            o.set("afterOnBeforeShape", impactJson(p.impact().afterOnBeforeShape(), timings));
            leftBefore.addAll(p.impact().before().unschedulable());
            leftAfter.addAll(p.impact().after().unschedulable());
        }
        root.set("before", totalJson(g.nodesBefore(), g.costPerHourBefore(), leftBefore));
        root.set("after", totalJson(g.nodesAfter(), g.costPerHourAfter(), leftAfter));
        Double saving = g.savingPerHour();
        JsonTrees.putNullable(root, "savingPerHour", saving == null ? null : Fmt.shownDifference(g.costPerHourBefore(), g.costPerHourAfter(), 4));
        JsonTrees.putNullable(root, "savingPerMonth", saving == null ? null : Fmt.shownDifference(g.costPerHourBefore() * ShapeEvaluation.HOURS_PER_MONTH,
                g.costPerHourAfter() * ShapeEvaluation.HOURS_PER_MONTH, 2));
        JsonTrees.putNullable(root, "savingPercent", saving == null || g.costPerHourBefore() <= 0 ? null
                : Fmt.round(100 * saving / g.costPerHourBefore(), 2));
    }

    private static ObjectNode totalJson(int nodes, Double costPerHour, List<ShapeEvaluation.UnschedulableGroup> left) {
        ObjectNode o = JsonTrees.MAPPER.createObjectNode();
        o.putObject("shape").put("name", "per node group");
        o.put("nodes", nodes);
        JsonTrees.putNullable(o, "costPerHour", costPerHour == null ? null : Fmt.round(costPerHour, 4));
        JsonTrees.putNullable(o, "costPerMonth", costPerHour == null ? null : Fmt.round(costPerHour * ShapeEvaluation.HOURS_PER_MONTH, 2));
        // Every pod listed, as pack lists them, and counted by reason as a shape's object is (fix 77a left the totals without).
        JsonTrees.putUnschedulable(o, left, left.stream().mapToInt(ShapeEvaluation.UnschedulableGroup::pods).sum(), JsonTrees.ALL_LISTED);
        return o;
    }

    // ---- CSV

    static final String CSV_HEADER = "namespace,workload,kind,container,replicas,requestCpuMillis,requestMemoryBytes,limitCpuMillis,"
            + "limitMemoryBytes,cpuP50Millis,cpuP95Millis,cpuMaxMillis,memoryP50Bytes,memoryP95Bytes,memoryMaxBytes,cpuSamples,"
            + "memorySamples,recommendedCpuMillis,recommendedMemoryBytes,flags,cpuAtPercentileMillis";

    private static String csv(Content c) {
        List<List<String>> rows = new ArrayList<>();
        for (ContainerAdvice a : c.result().containers()) {
            List<String> row = new ArrayList<>(List.of(a.workload().namespace(), a.workload().name(), a.kind(), a.container(),
                    a.perNode() ? "per-node" : Integer.toString(a.replicas()), str(a.requestCpuMillis()), str(a.requestMemoryBytes()), str(a.limitCpuMillis()),
                    str(a.limitMemoryBytes())));
            row.addAll(stats(a.cpu(), 3));
            row.addAll(stats(a.memory(), 0));
            row.add(a.cpu() == null ? "" : Long.toString(a.cpu().samples()));
            row.add(a.memory() == null ? "" : Long.toString(a.memory().samples()));
            row.add(str(a.recommendedCpuMillis()));
            row.add(str(a.recommendedMemoryBytes()));
            row.add(flags(a));
            // The busiest pod's CPU at --cpu-percentile, which the request comes from (JSON's atPercentile), last so that the
            // columns before keep their places (QA 51c F13: with another percentile the row could not be checked).
            row.add(a.cpu() == null ? "" : num(a.cpu().target(), 3));
            rows.add(row);
        }
        List<TextTable.Column> columns = new ArrayList<>();
        for (String h : CSV_HEADER.split(",")) {
            columns.add(TextTable.Column.left(h));
        }
        return new TextTable(columns, rows).renderCsv();
    }

    private static List<String> stats(UsageStats u, int decimals) {
        if (u == null) {
            return List.of("", "", "");
        }
        return List.of(num(u.p50(), decimals), num(u.p95(), decimals), num(u.max(), decimals));
    }

    private static String num(double v, int decimals) {
        return decimals == 0 ? Long.toString(Math.round(v)) : java.math.BigDecimal.valueOf(Fmt.round(v, decimals)).stripTrailingZeros().toPlainString();
    }

    private static String str(Long v) {
        return v == null ? "" : Long.toString(v);
    }

    // ---- JSON

    private static String json(Content c) {
        Rightsizer.Result r = c.result();
        ObjectNode root = JsonTrees.reportRoot("rightsize");
        ArrayNode sources = root.putArray("inputs");
        c.workloadSources().forEach(sources::add);
        c.sources().forEach(sources::add);
        root.put("usageSeries", r.seriesRead());
        if (c.candidates() != null) {
            root.put("candidates", c.candidates()); // compare notes runs priced on other candidates
        }
        ObjectNode settings = root.putObject("settings");
        RightsizeSettings s = c.settings();
        settings.put("cpuPercentile", s.cpuPercentile());
        settings.put("memoryHeadroomPercent", s.memoryHeadroomPercent());
        settings.put("minCpuMillis", s.minCpuMillis());
        settings.put("minMemoryBytes", s.minMemoryBytes());
        settings.put("minSamples", s.minSamples());
        settings.put("minHistorySeconds", s.minHistorySeconds());
        io.nodesizer.sweep.HaSizing.Sized sized = c.impact().before().sizing();
        settings.put("minNodesPerPool", sized == null ? 1 : sized.rules().minNodes()); // before and after sized alike
        ArrayNode containers = root.putArray("containers");
        for (ContainerAdvice a : r.containers()) {
            ObjectNode o = containers.addObject();
            o.put("namespace", a.workload().namespace());
            o.put("workload", a.workload().name());
            o.put("kind", a.kind());
            o.put("container", a.container());
            o.put("replicas", a.replicas());
            if (a.perNode()) {
                o.put("perNode", true);
            }
            o.set("request", pair(a.requestCpuMillis(), a.requestMemoryBytes()));
            if (a.shares().stream().map(sh -> pair(sh.cpuMillis(), sh.memoryBytes())).distinct().count() > 1) {
                // The pods ask different amounts (several templates): request is the newest's, these are every pod's.
                ArrayNode seen = o.putArray("requestsSeen");
                for (ContainerAdvice.Share sh : a.shares()) {
                    seen.addObject().put("pods", sh.replicas()).setAll(pair(sh.cpuMillis(), sh.memoryBytes()));
                }
            }
            o.set("limit", pair(a.limitCpuMillis(), a.limitMemoryBytes()));
            ObjectNode usage = o.putObject("usage");
            if (a.cpu() != null) {
                ObjectNode cpu = statsJson(a.cpu(), 3);
                cpu.put("atPercentile", Fmt.round(a.cpu().target(), 3)); // at --cpu-percentile (settings.cpuPercentile): the request's source
                usage.set("cpuMillis", cpu);
            }
            if (a.memory() != null) {
                usage.set("memoryBytes", statsJson(a.memory(), 0));
            }
            o.set("recommended", pair(a.recommendedCpuMillis(), a.recommendedMemoryBytes()));
            ObjectNode change = o.putObject("change");
            changeJson(change, "cpu", "Millis", a.requestCpuMillis(), a.recommendedCpuMillis());
            changeJson(change, "memory", "Bytes", a.requestMemoryBytes(), a.recommendedMemoryBytes());
            ArrayNode flags = o.putArray("flags");
            a.flags().forEach(f -> flags.add(f.label()));
        }
        if (c.byGroup() != null) {
            groupJson(root, c.byGroup(), c.timings());
            ArrayNode warnings = root.putArray("warnings");
            r.warnings().forEach(warnings::add);
            return JsonTrees.write(root);
        }
        Impact i = c.impact();
        root.set("before", impactJson(i.before(), c.timings()));
        root.set("after", impactJson(i.after(), c.timings()));
        root.set("afterOnBeforeShape", impactJson(i.afterOnBeforeShape(), c.timings()));
        Double saving = i.savingPerHour();
        // As the costs are written (4 and 2 decimals), so that before − after is the saving in the same file (QA 51c F3).
        JsonTrees.putNullable(root, "savingPerHour", saving == null ? null : Fmt.shownDifference(i.before().costPerHour(), i.after().costPerHour(), 4));
        JsonTrees.putNullable(root, "savingPerMonth", saving == null ? null
                : Fmt.shownDifference(i.before().costPerMonth(), i.after().costPerMonth(), 2));
        JsonTrees.putNullable(root, "savingPercent", saving == null || i.before().costPerHour() <= 0 ? null
                : Fmt.round(100 * saving / i.before().costPerHour(), 2));
        ArrayNode warnings = root.putArray("warnings");
        r.warnings().forEach(warnings::add);
        return JsonTrees.write(root);
    }

    /** The change per pod, and in percent of today's request (absent when either side is missing or today's is 0). */
    private static void changeJson(ObjectNode o, String resource, String unit, Long before, Long after) {
        if (before == null || after == null) {
            return;
        }
        o.put(resource + unit, after - before);
        if (before > 0) {
            o.put(resource + "Percent", Fmt.round(100.0 * (after - before) / before, 2));
        }
    }

    /** {cpuMillis, memoryBytes}, a field left out where there is none. */
    private static ObjectNode pair(Long cpuMillis, Long memoryBytes) {
        ObjectNode o = JsonTrees.MAPPER.createObjectNode();
        if (cpuMillis != null) {
            o.put("cpuMillis", cpuMillis);
        }
        if (memoryBytes != null) {
            o.put("memoryBytes", memoryBytes);
        }
        return o;
    }

    private static ObjectNode statsJson(UsageStats u, int decimals) {
        ObjectNode o = JsonTrees.MAPPER.createObjectNode();
        if (decimals == 0) {
            o.put("p50", Math.round(u.p50()));
            o.put("p95", Math.round(u.p95()));
            o.put("max", Math.round(u.max()));
        } else {
            o.put("p50", Fmt.round(u.p50(), decimals));
            o.put("p95", Fmt.round(u.p95(), decimals));
            o.put("max", Fmt.round(u.max(), decimals));
        }
        o.put("samples", u.samples());
        o.put("pods", u.series());
        o.put("hours", Fmt.round(u.spanSeconds() / 3600, 2));
        return o;
    }

    // ---- HTML

    private static String html(Content c) {
        Rightsizer.Result r = c.result();
        StringBuilder body = new StringBuilder();
        body.append("<p>").append(HtmlReport.escape(method(c.settings()))).append("</p>\n");
        body.append("<p><b>").append(HtmlReport.escape(c.savingLine())).append("</b></p>\n");
        if (sizingLine(c.impact()) != null) {
            body.append("<p>").append(HtmlReport.escape(sizingLine(c.impact()))).append("</p>\n");
        }
        body.append(HtmlReport.section("Nodes and cost, before and after", HtmlReport.table(c.impactTable())));
        ObjectNode cost = ChartJs.config("bar");
        ArrayNode costLabels = ChartJs.labels(cost);
        ArrayNode costData = ChartJs.dataset(cost, "$ per month", ChartJs.BLUE).putArray("data");
        for (ShapeEvaluation ev : c.byGroup() != null ? List.<ShapeEvaluation>of() : List.of(c.impact().before(), c.impact().after())) {
            String side = ev == c.impact().before() ? "before: " : "after: ";
            // No bar where the table has "–" (no shape holds the pods) or no price: a bar at $0 read as a saving of 100 % (QA 51c F4).
            if (ev.holdsNothing()) {
                costLabels.add(side + "no candidate shape holds the pods (" + ev.unschedulableCount() + " left out)");
                costData.addNull();
            } else if (ev.costPerMonth() == null) {
                costLabels.add(side + ev.nodes() + " × " + ev.shape().name() + " (no price)");
                costData.addNull();
            } else {
                costLabels.add(side + ev.nodes() + " × " + ev.shape().name());
                costData.add(ChartJs.round(ev.costPerMonth()));
            }
        }
        if (c.byGroup() != null) {
            groupCostBars(c.byGroup(), costLabels, costData);
        }
        ((ObjectNode) cost.get("options").get("plugins")).putObject("legend").put("display", false);
        ChartJs.axis(cost, "y", "linear", "$ per month", "money").put("beginAtZero", true);
        body.append(ChartJs.element("cost", "monthly cost before and after", 240, cost));
        List<ContainerAdvice> shown = r.containers().size() <= 200 ? r.containers() : List.of();
        if (!shown.isEmpty()) {
            body.append(HtmlReport.section("Requests over all replicas, per container, before and after",
                    requestChart("cpu-requests", shown, c, "CPU cores", a -> a.requestCpuMillis(), a -> a.recommendedCpuMillis(),
                            ContainerAdvice::requestCpuTotal, ContainerAdvice::afterCpuTotal, 1000.0)
                            + requestChart("memory-requests", shown, c, "memory GiB", a -> a.requestMemoryBytes(),
                            a -> a.recommendedMemoryBytes(), ContainerAdvice::requestMemoryTotal, ContainerAdvice::afterMemoryTotal,
                            1024.0 * 1024 * 1024)));
        }
        body.append(HtmlReport.section("Containers", HtmlReport.table(containerTable(r, c.settings()))));
        for (Risks list : risks(r)) {
            body.append(HtmlReport.section(list.heading(), list.lines().stream().map(l -> "<li>" + HtmlReport.escape(l) + "</li>")
                    .collect(java.util.stream.Collectors.joining("", "<ul>", "</ul>"))));
        }
        body.append("<p>").append(HtmlReport.escape(totals(r)).replace("\n", "<br>\n")).append("</p>\n");
        if (!r.warnings().isEmpty()) {
            StringBuilder w = new StringBuilder("<ul>");
            for (String s : r.warnings()) {
                w.append("<li>").append(HtmlReport.escape(s)).append("</li>");
            }
            body.append(HtmlReport.section("Warnings", w.append("</ul>").toString()));
        }
        return HtmlReport.packingPage("nodesizer rightsize", body.toString());
    }

    /**
     * Before and after of one resource per container (replicas included), as horizontal bars. A
     * DaemonSet's container runs once per node, so its total is its per-node amount times the nodes
     * of the packing before, and after (it was drawn 0 → 0, its replicas being unknown); its label
     * says so. Labels carry the namespace, so shop/web and staging/web stay apart.
     */
    private static String requestChart(String id, List<ContainerAdvice> shown, Content c, String unit,
                                       java.util.function.Function<ContainerAdvice, Long> before,
                                       java.util.function.Function<ContainerAdvice, Long> after,
                                       java.util.function.ToDoubleFunction<ContainerAdvice> beforeTotal,
                                       java.util.function.ToDoubleFunction<ContainerAdvice> afterTotal, double scale) {
        ObjectNode config = ChartJs.config("bar");
        ((ObjectNode) config.get("options")).put("indexAxis", "y");
        ArrayNode labels = ChartJs.labels(config);
        ArrayNode was = ChartJs.dataset(config, "requested now", ChartJs.BLUE).putArray("data");
        ArrayNode will = ChartJs.dataset(config, "recommended", ChartJs.ORANGE).putArray("data");
        int nodesBefore = c.nodesBefore();
        int nodesAfter = c.nodesAfter();
        for (ContainerAdvice a : shown) {
            labels.add(a.workload() + " " + a.container() + (a.perNode()
                    ? " (DaemonSet: per node × " + nodesBefore + " → " + nodesAfter + " nodes)" : ""));
            Long b = before.apply(a);
            Long n = after.apply(a);
            // A workload's pods each at their own request (they may differ: QA 64a F8b), as the totals count them.
            was.add(ChartJs.round((a.perNode() ? (b == null ? 0 : b) * (double) nodesBefore : beforeTotal.applyAsDouble(a)) / scale));
            will.add(ChartJs.round((a.perNode() ? (n == null ? 0 : n) * (double) nodesAfter : afterTotal.applyAsDouble(a)) / scale));
        }
        ChartJs.axis(config, "x", "linear", unit + " over all replicas", "number").put("beginAtZero", true);
        return ChartJs.element(id, unit + " requested now and recommended, per container", 60 + 30 * shown.size(), config);
    }
}
