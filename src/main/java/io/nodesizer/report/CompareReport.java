package io.nodesizer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs of one command side by side ({@code nodesizer compare a.json b.json …}): the headline numbers
 * each command's JSON report carries, one column per run, and each later run's change against the
 * first. The rows per command:
 * <ul>
 *   <li>recommend: the top-ranked shape, its nodes, $/month, unschedulable pods, gap; the mix's $/month when present;</li>
 *   <li>pack: the shape, nodes, bound, gap, $/month, unschedulable groups;</li>
 *   <li>replay: the best-ranked run's shapes and autoscaler, cost, node-hours, peak and mean nodes, pending p95/max, pods pending at the end, scale-ups, scale-downs, evictions, unschedulable pods, and, where a run had drains that refused evictions held, how many, how many given up and their seconds;</li>
 *   <li>windows: the recommended alternative, and cost, pending p95 and unschedulable pods of each alternative.</li>
 * </ul>
 */
public final class CompareReport {
    /** One run: its label (the file) and its parsed JSON report. */
    public record Run(String label, JsonNode report) {
    }

    /** A compared quantity: its name, and per run the value (text or number; null when absent). */
    public record Row(String metric, List<Object> values) {
    }

    private CompareReport() {
    }

    /** The command the runs are reports of (the first run's; the caller checks they agree). */
    public static String command(List<Run> runs) {
        return runs.get(0).report().path("command").asText();
    }

    public static List<Row> rows(List<Run> runs) {
        String command = command(runs);
        List<Row> rows = new ArrayList<>();
        switch (command) {
            case "recommend" -> {
                rows.add(row(runs, "best shape", r -> text(r.path("shapes").path(0).path("shape").path("name"))));
                rows.add(row(runs, "nodes", r -> number(r.path("shapes").path(0).path("nodes"))));
                rows.add(row(runs, "$/month", r -> number(r.path("shapes").path(0).path("costPerMonth"))));
                rows.add(row(runs, "unschedulable pods", r -> unschedulablePods(r.path("shapes").path(0).path("unschedulable"))));
                rows.add(row(runs, "gap to bound %", r -> number(r.path("shapes").path(0).path("gapPercent"))));
                rows.add(row(runs, "shapes ranked", r -> r.path("shapes").isArray() ? r.path("shapes").size() : null));
                if (runs.stream().anyMatch(r -> r.report().has("mix"))) {
                    rows.add(row(runs, "mixed pools $/month", r -> number(r.path("mix").path("costPerMonth"))));
                }
            }
            case "pack" -> {
                rows.add(row(runs, "shape", r -> text(r.path("shape").path("name"))));
                rows.add(row(runs, "nodes", r -> number(r.path("nodes"))));
                rows.add(row(runs, "lower bound", r -> number(r.path("lowerBound"))));
                rows.add(row(runs, "gap to bound %", r -> number(r.path("gapPercent"))));
                rows.add(row(runs, "$/month", r -> number(r.path("costPerMonth"))));
                rows.add(row(runs, "unschedulable pods", r -> unschedulablePods(r.path("unschedulable"))));
            }
            case "pack-fleet" -> {
                rows.add(row(runs, "fleet", r -> text(r.path("fleet"))));
                rows.add(row(runs, "nodes", r -> number(r.path("nodes"))));
                rows.add(row(runs, "nodes used", r -> number(r.path("nodesUsed"))));
                rows.add(row(runs, "pods placed", r -> number(r.path("placed"))));
                rows.add(row(runs, "pods unplaced", r -> r.path("pods").isNumber() && r.path("placed").isNumber()
                        ? r.path("pods").asLong() - r.path("placed").asLong() : null));
            }
            case "replay" -> {
                rows.add(row(runs, "shapes", r -> text(r.path("ranking").path(0).path("shapes"))));
                rows.add(row(runs, "autoscaler", r -> text(r.path("ranking").path(0).path("autoscaler"))));
                for (String[] f : new String[][] {{"cost", "costTotal"}, {"node-hours", "nodeHours"}, {"peak nodes", "peakNodes"},
                    {"mean nodes", "meanNodes"}, {"pending p95 s", "pendingP95Seconds"}, {"pending max s", "pendingMaxSeconds"},
                    {"pending at end", "pendingAtEnd"}, {"scale-ups", "scaleUps"}, {"scale-downs", "scaleDowns"},
                    {"evictions", "evictions"}, {"unschedulable pods", "unschedulable"}}) {
                    rows.add(row(runs, f[0], r -> number(r.path("ranking").path(0).path(f[1]))));
                }
                // Drains that refused evictions held (PodDisruptionBudgets, do-not-disrupt): only where some run had one
                if (runs.stream().anyMatch(r -> r.report().path("ranking").path(0).path("budgetedDrains").path("held").asInt() > 0)) {
                    for (String[] f : new String[][] {{"drains held", "held"}, {"drains given up", "givenUp"}, {"drains held s", "heldSeconds"},
                        {"scale-down resets", "scaleDownResets"}}) {
                        rows.add(row(runs, f[0], r -> number(r.path("ranking").path(0).path("budgetedDrains").path(f[1]))));
                    }
                }
            }
            case "windows" -> {
                rows.add(row(runs, "recommended", r -> text(r.path("recommended"))));
                rows.add(row(runs, "windows", r -> r.path("windows").isArray() ? r.path("windows").size() : null));
                List<String> names = new ArrayList<>();
                for (Run run : runs) {
                    for (JsonNode a : run.report().path("alternatives")) {
                        if (!names.contains(a.path("name").asText())) {
                            names.add(a.path("name").asText());
                        }
                    }
                }
                for (String name : names) {
                    rows.add(row(runs, name + " cost", r -> number(alternative(r, name).path("costTotal"))));
                    rows.add(row(runs, name + " pending p95 s", r -> number(alternative(r, name).path("pendingP95Seconds"))));
                    rows.add(row(runs, name + " unschedulable pods", r -> number(alternative(r, name).path("unschedulable"))));
                }
            }
            case "rightsize" -> {
                rows.add(row(runs, "before shape", r -> text(r.path("before").path("shape").path("name"))));
                rows.add(row(runs, "before nodes", r -> number(r.path("before").path("nodes"))));
                rows.add(row(runs, "before $/month", r -> number(r.path("before").path("costPerMonth"))));
                rows.add(row(runs, "after shape", r -> text(r.path("after").path("shape").path("name"))));
                rows.add(row(runs, "after nodes", r -> number(r.path("after").path("nodes"))));
                rows.add(row(runs, "after $/month", r -> number(r.path("after").path("costPerMonth"))));
                rows.add(row(runs, "saving %", r -> number(r.path("savingPercent"))));
            }
            default -> throw new IllegalArgumentException("Unknown command " + command);
        }
        return rows;
    }

    private static JsonNode alternative(JsonNode report, String name) {
        for (JsonNode a : report.path("alternatives")) {
            if (a.path("name").asText().equals(name)) {
                return a;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static Row row(List<Run> runs, String metric, java.util.function.Function<JsonNode, Object> value) {
        List<Object> values = new ArrayList<>();
        for (Run r : runs) {
            values.add(value.apply(r.report()));
        }
        return new Row(metric, values);
    }

    private static Object text(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(x -> parts.add(x.asText()));
            return String.join("+", parts);
        }
        return n.asText();
    }

    private static Object number(JsonNode n) {
        return n.isNumber() ? n.numberValue() : null;
    }

    private static Object unschedulablePods(JsonNode list) {
        if (!list.isArray()) {
            return number(list);
        }
        long pods = 0;
        for (JsonNode u : list) {
            pods += u.path("pods").asLong(u.path("replicas").asLong(1));
        }
        return pods;
    }

    /**
     * The change of {@code v} against {@code base}: "+12.5 %" relative; for a metric that is itself a
     * percentage (its name ends in "%": a gap, a saving) the difference in points, "+5.0 pp" (a gap
     * from 5 % to 10 % is not "+100.0 %"); and the plain difference, "+2", where a ratio means nothing
     * (a base of 0).
     */
    static String delta(String metric, Object base, Object v) {
        return delta(metric, base, v, false);
    }

    /**
     * {@link #delta}, with a plain difference written as the value column writes its values: for a
     * reader ({@code forReader}) "+5,045.76" beside "5,045.76" (it was "+5045.76", and "+493.122"
     * beside a cost of "493.12"); for CSV and JSON the plain number, as their values.
     */
    static String delta(String metric, Object base, Object v, boolean forReader) {
        if (!(base instanceof Number b) || !(v instanceof Number x)) {
            return base == null || v == null || base.equals(v) ? "" : "changed";
        }
        double d = x.doubleValue() - b.doubleValue();
        if (metric.endsWith("%")) {
            return String.format(Locale.ROOT, "%+.1f pp", d);
        }
        if (b.doubleValue() == 0) {
            return d == 0 ? "0" : (d > 0 ? "+" : "-") + (forReader ? readerCell(metric, Math.abs(d)) : cell(Math.abs(d)));
        }
        return String.format(Locale.ROOT, "%+.1f %%", 100 * d / b.doubleValue());
    }

    /** A metric in dollars: "$/month", "before $/month", replay's "cost", windows' "ca cost". */
    private static boolean isMoney(String metric) {
        return metric.contains("$") || metric.equals("cost") || metric.endsWith(" cost");
    }

    /**
     * A figure as a reader's table (terminal, markdown, HTML) shows it: money as money (6,727.68),
     * another number as {@link #cell} with thousands separators (1,284.172).
     */
    static String readerCell(String metric, Object v) {
        if (!(v instanceof Number n)) {
            return cell(v);
        }
        return isMoney(metric) ? Fmt.money(n.doubleValue()) : Fmt.grouped(n.doubleValue());
    }

    /** A figure as a table shows it: "–" for none, decimals trimmed. */
    static String cell(Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal) {
            return io.nodesizer.engine.Amounts.trim(((Number) v).doubleValue());
        }
        return v.toString();
    }

    private static String title(List<Run> runs) {
        return "nodesizer compare: " + runs.size() + " " + command(runs) + " runs";
    }

    public static String render(ReportFormat format, List<Run> runs) {
        List<Row> rows = rows(runs);
        return switch (format) {
            case JSON -> json(runs, rows);
            case MARKDOWN -> "# " + title(runs) + "\n\n" + table(runs, rows, true).renderMarkdown();
            case HTML -> HtmlReport.page(title(runs), HtmlReport.table(table(runs, rows, true))); // the page's own heading is its title
            case CSV -> table(runs, rows, false).renderCsv();
            case TABLE -> title(runs) + "\n\n" + table(runs, rows, true).renderAligned();
        };
    }

    /**
     * The runs side by side: a metric column, one column per run, then each later run's change
     * against the first. For a reader ({@code forReader}: table, markdown, HTML) money is shown as
     * every other report shows it, "6,727.68" and "11,169.00", not "6727.68" and "11169"; CSV keeps
     * plain numbers, and leaves a value a report lacks empty, as every CSV here does, not "–".
     */
    private static TextTable table(List<Run> runs, List<Row> rows, boolean forReader) {
        List<TextTable.Column> columns = new ArrayList<>();
        columns.add(TextTable.Column.left("metric"));
        runs.forEach(r -> columns.add(TextTable.Column.right(r.label())));
        for (int i = 1; i < runs.size(); i++) {
            columns.add(TextTable.Column.right("Δ " + runs.get(i).label()));
        }
        List<List<String>> out = new ArrayList<>();
        for (Row row : rows) {
            List<String> line = new ArrayList<>();
            line.add(row.metric());
            for (Object v : row.values()) {
                line.add(!forReader && v == null ? "" : forReader ? readerCell(row.metric(), v) : cell(v));
            }
            for (int i = 1; i < runs.size(); i++) {
                line.add(delta(row.metric(), row.values().get(0), row.values().get(i), forReader));
            }
            out.add(line);
        }
        return new TextTable(columns, out);
    }

    /**
     * Why {@code report} cannot be compared by this nodesizer, or null when it can: a {@code schemaVersion} later than
     * {@link JsonTrees#SCHEMA_VERSION}, or one that is no whole number from 1 on. A report without one predates the field
     * and reads as version 1.
     */
    public static String unreadableVersion(JsonNode report) {
        JsonNode version = report.path("schemaVersion");
        if (version.isMissingNode() || version.isIntegralNumber() && version.canConvertToInt() && version.asInt() >= 1
                && version.asInt() <= JsonTrees.SCHEMA_VERSION) {
            return null;
        }
        boolean later = version.isIntegralNumber() && version.asLong() > JsonTrees.SCHEMA_VERSION;
        return "Expected a report of schemaVersion " + (JsonTrees.SCHEMA_VERSION == 1 ? "1" : "1 to " + JsonTrees.SCHEMA_VERSION)
                + ", which this nodesizer reads; found " + version + (later ? " (written by a later nodesizer: compare its reports with that one)."
                : " (not a version nodesizer writes).");
    }

    private static String json(List<Run> runs, List<Row> rows) {
        ObjectNode root = JsonTrees.reportRoot("compare");
        root.put("compared", command(runs));
        ArrayNode labels = root.putArray("runs");
        runs.forEach(r -> labels.add(r.label()));
        ArrayNode out = root.putArray("rows");
        for (Row row : rows) {
            ObjectNode o = out.addObject();
            o.put("metric", row.metric());
            ArrayNode values = o.putArray("values");
            for (Object v : row.values()) {
                values.add(JsonTrees.MAPPER.valueToTree(v));
            }
            ArrayNode deltas = o.putArray("deltas");
            for (int i = 1; i < runs.size(); i++) {
                deltas.add(delta(row.metric(), row.values().get(0), row.values().get(i)));
            }
        }
        return JsonTrees.write(root);
    }
}
