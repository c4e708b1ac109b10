package io.nodesizer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nodesizer.engine.Amounts;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs of one command side by side ({@code nodesizer compare a.json b.json …}): the headline numbers
 * each command's JSON report carries, one column per run, and each later run's change against the
 * first. The rows per command:
 * <ul>
 *   <li>recommend: the top-ranked shape, its nodes, $/month, unschedulable pods, gap; the mix's $/month and the pods it
 *   leaves out when present; then the shape's lower bound and its cost, the mix's bound cost and gap, and the workload's
 *   pods, CPU and GiB;</li>
 *   <li>pack: the shape, nodes, bound, gap, $/month, unschedulable groups; then the bound's cost and the workload's size;</li>
 *   <li>replay: the best-ranked run's shapes and autoscaler, cost, node-hours, peak and mean nodes, pending p95/max, pods pending at the end, scale-ups, scale-downs, evictions, unschedulable pods, and, where a run had drains that refused evictions held, how many, how many given up and their seconds;</li>
 *   <li>windows: the recommended alternative, and cost, pending p95 and unschedulable pods of each alternative, and its pods
 *       pending at the end and deleted while pending where some run had any;</li>
 *   <li>rightsize: the shape, nodes and $/month before and after, the pods the after-packing leaves out, the saving;</li>
 *   <li>analyze: nodes, pools, $/month, pods, CPU and memory requested in % of allocatable, stranded CPU and GiB, pending pods;</li>
 *   <li>consolidate: nodes and $/h before and after, the saving, the gap to its bound, pods evicted, nodes kept.</li>
 * </ul>
 */
public final class CompareReport {
    /** One run: its label (the file) and its parsed JSON report. */
    public record Run(String label, JsonNode report) {
    }

    /**
     * A compared quantity: its name, and per run the value (text or number; null when absent); {@code alternative} is the
     * windows alternative the row is of (null for the others), so that a note names it without reading it out of the metric.
     */
    public record Row(String metric, List<Object> values, String alternative) {
        public Row(String metric, List<Object> values) {
            this(metric, values, null);
        }
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
                rows.add(row(runs, "nodes", r -> number(r, "shapes.0.nodes")));
                rows.add(row(runs, "$/month", r -> number(r, "shapes.0.costPerMonth")));
                rows.add(row(runs, "unschedulable pods", r -> unschedulablePods(r, "shapes.0.unschedulable")));
                rows.add(row(runs, "gap to bound %", r -> number(r, "shapes.0.gapPercent")));
                rows.add(row(runs, "shapes ranked", r -> r.path("shapes").isArray() ? r.path("shapes").size() : null));
                if (runs.stream().anyMatch(r -> r.report().has("mix"))) {
                    rows.add(row(runs, "mixed pools $/month", r -> number(r, "mix.costPerMonth")));
                    // The pods no priced candidate holds, which the mix leaves out (a report from before they were listed
                    // had a mix only when it placed every pod: 0).
                    rows.add(row(runs, "mixed pools unschedulable pods", r -> !r.has("mix") ? null
                            : r.path("mix").has("unschedulable") ? unschedulablePods(r, "mix.unschedulable") : (Object) 0L));
                }
                // After the rows above, so that a CSV read by position keeps its columns (QA 69c F4): the best shape's lower
                // bound and what that bound's nodes cost, the least any packing on it can (every packing result gives its
                // bound beside its gap), the mix's the same, and the workload's size (QA 69c F7).
                rows.add(row(runs, "lower bound", r -> number(r, "shapes.0.lowerBound")));
                rows.add(row(runs, "bound $/month", r -> number(r, "shapes.0.boundCostPerMonth")));
                if (runs.stream().anyMatch(r -> r.report().has("mix"))) {
                    rows.add(row(runs, "mixed pools bound $/month", r -> number(r, "mix.lowerBoundCostPerHour") instanceof Number h
                            ? Fmt.round(h.doubleValue() * io.nodesizer.sweep.ShapeEvaluation.HOURS_PER_MONTH, 2) : null));
                    rows.add(row(runs, "mixed pools gap to bound %", r -> number(r, "mix.gapPercent")));
                }
                workloadSize(runs, rows);
            }
            case "pack" -> {
                rows.add(row(runs, "shape", r -> text(r.path("shape").path("name"))));
                rows.add(row(runs, "nodes", r -> number(r, "nodes")));
                rows.add(row(runs, "lower bound", r -> number(r, "lowerBound")));
                rows.add(row(runs, "gap to bound %", r -> number(r, "gapPercent")));
                rows.add(row(runs, "$/month", r -> number(r, "costPerMonth")));
                rows.add(row(runs, "unschedulable pods", r -> unschedulablePods(r, "unschedulable")));
                rows.add(row(runs, "bound $/month", r -> number(r, "boundCostPerMonth"))); // after the rows above, as recommend's
                workloadSize(runs, rows);
            }
            case "pack-fleet" -> {
                rows.add(row(runs, "fleet", r -> text(r.path("fleet"))));
                rows.add(row(runs, "nodes", r -> number(r, "nodes")));
                rows.add(row(runs, "nodes used", r -> number(r, "nodesUsed")));
                rows.add(row(runs, "lower bound", r -> number(r, "lowerBound")));
                rows.add(row(runs, "gap to bound %", r -> number(r, "gapPercent")));
                rows.add(row(runs, "pods placed", r -> number(r, "placed")));
                rows.add(row(runs, "pods unplaced", r -> r.path("pods").isNumber() && r.path("placed").isNumber()
                        ? r.path("pods").asLong() - r.path("placed").asLong() : null));
                // What rolling the workload's DaemonSets onto the snapshot did to the pods running there (QA 70b F11: a roll-out
                // that evicted a priority-1000 pod compared as no change) and the room left, which evictions can raise.
                rows.add(row(runs, "running pods preempted", r -> r.path("preemptedPods").isArray() ? (Object) (long) r.path("preemptedPods").size() : null));
                rows.add(row(runs, "preempted pods left Pending or deleted", r -> {
                    if (!r.path("preemptedPods").isArray()) {
                        return null;
                    }
                    long stranded = 0;
                    for (JsonNode p : r.path("preemptedPods")) {
                        // A pod its DaemonSet replaces is not stranded: the new pod is in "DaemonSet pods Pending" or placed (review
                        // 71 #5: it was counted in both rows). A run without outcomes (an older version's) says only where it moved.
                        String outcome = p.path("outcome").asText("");
                        stranded += outcome.isEmpty() ? (p.path("movedTo").isTextual() ? 0 : 1)
                                : outcome.equals("pending") || outcome.equals("deleted") ? 1 : 0;
                    }
                    return stranded;
                }));
                rows.add(row(runs, "DaemonSet pods Pending", r -> r.path("pendingDaemonSetPods").isArray()
                        ? (Object) (long) r.path("pendingDaemonSetPods").size() : null));
                rows.add(row(runs, "left over CPU", r -> number(r, "leftOver.cpuMillis") instanceof Number m ? amount(m.longValue(), Resource.CPU) : null));
                rows.add(row(runs, "left over GiB", r -> number(r, "leftOver.memoryBytes") instanceof Number b
                        ? amount(b.longValue(), Resource.MEMORY) : null));
                workloadSize(runs, rows);
            }
            case "replay" -> {
                rows.add(row(runs, "shapes", r -> text(r.path("ranking").path(0).path("shapes"))));
                rows.add(row(runs, "autoscaler", r -> text(r.path("ranking").path(0).path("autoscaler"))));
                for (String[] f : new String[][] {{"cost", "costTotal"}, {"node-hours", "nodeHours"}, {"peak nodes", "peakNodes"},
                    {"mean nodes", "meanNodes"}, {"pending p95 s", "pendingP95Seconds"}, {"pending max s", "pendingMaxSeconds"},
                    {"pending at end", "pendingAtEnd"}, {"deleted while pending", "deletedWhilePending"}, {"scale-ups", "scaleUps"}, {"scale-downs", "scaleDowns"},
                    {"evictions", "evictions"}, {"unschedulable pods", "unschedulable"}}) {
                    rows.add(row(runs, f[0], r -> wait(r, "ranking.0", f[1])));
                }
                // Drains that refused evictions held (PodDisruptionBudgets, do-not-disrupt): only where some run had one
                if (runs.stream().anyMatch(r -> r.report().path("ranking").path(0).path("budgetedDrains").path("held").asInt() > 0)) {
                    for (String[] f : new String[][] {{"drains held", "held"}, {"drains given up", "givenUp"}, {"drains held s", "heldSeconds"},
                        {"scale-down resets", "scaleDownResets"}}) {
                        rows.add(row(runs, f[0], r -> number(r, "ranking.0.budgetedDrains." + f[1])));
                    }
                }
                // QA 71a F2: a ca and a karpenter replay differ in their default delays (3m..5m against 1m), which carry most
                // of their pending figures' difference; said where the runs' delays differ, last so that positions keep.
                Row delay = row(runs, "provisioning delay", r -> provisionDelay(r.path("autoscalerSettings").asText()));
                if (delay.values().stream().distinct().count() > 1) {
                    rows.add(delay);
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
                    rows.add(of(name, row(runs, name + " cost", r -> number(r, alternative(r, name) + ".costTotal"))));
                    rows.add(of(name, row(runs, name + " pending p95 s", r -> wait(r, alternative(r, name), "pendingP95Seconds"))));
                    rows.add(of(name, row(runs, name + " unschedulable pods", r -> number(r, alternative(r, name) + ".unschedulable"))));
                    // Pods that never ran for want of a node: only where some run of the alternative had one (the table stays short).
                    for (String[] f : new String[][] {{" pending at end", "pendingAtEnd"}, {" deleted while pending", "deletedWhilePending"}}) {
                        if (runs.stream().anyMatch(r -> at(r.report(), alternative(r.report(), name) + "." + f[1]).asLong() > 0)) {
                            rows.add(of(name, row(runs, name + f[0], r -> number(r, alternative(r, name) + "." + f[1]))));
                        }
                    }
                }
            }
            case "rightsize" -> {
                rows.add(row(runs, "before shape", r -> text(r.path("before").path("shape").path("name"))));
                rows.add(row(runs, "before nodes", r -> number(r, "before.nodes")));
                rows.add(row(runs, "before $/month", r -> number(r, "before.costPerMonth")));
                rows.add(row(runs, "after shape", r -> text(r.path("after").path("shape").path("name"))));
                rows.add(row(runs, "after nodes", r -> number(r, "after.nodes")));
                rows.add(row(runs, "after $/month", r -> number(r, "after.costPerMonth")));
                // An after-packing that leaves pods out costs less for running fewer (QA 49a H1: "-66.7 %" with no word).
                rows.add(row(runs, "after unschedulable pods", r -> unschedulablePods(r, "after.unschedulable")));
                rows.add(row(runs, "saving %", r -> number(r, "savingPercent")));
            }
            case "analyze" -> {
                // A running cluster week on week (the kubectl plugin names its input so that two runs compare: QA 61a F5).
                rows.add(row(runs, "nodes", r -> r.path("nodes").isArray() ? r.path("nodes").size() : null));
                rows.add(row(runs, "pools", r -> r.path("pools").isArray() ? r.path("pools").size() : null));
                rows.add(row(runs, "$/month", r -> number(r, "costPerMonth")));
                rows.add(row(runs, "pods", r -> nodeSum(r, "pods", null)));
                rows.add(row(runs, "CPU requested %", r -> requestedPercent(r, "cpuMillis")));
                rows.add(row(runs, "memory requested %", r -> requestedPercent(r, "memoryBytes")));
                rows.add(row(runs, "stranded CPU", r -> amount(nodeSum(r, "stranded", "cpuMillis"), Resource.CPU)));
                rows.add(row(runs, "stranded GiB", r -> amount(nodeSum(r, "stranded", "memoryBytes"), Resource.MEMORY)));
                rows.add(row(runs, "pending pods", r -> r.path("pending").isArray() ? r.path("pending").size() : null));
            }
            case "consolidate" -> {
                rows.add(row(runs, "nodes before", r -> number(r, "before.nodes")));
                rows.add(row(runs, "nodes after", r -> number(r, "after.nodes")));
                rows.add(row(runs, "$/h before", r -> number(r, "before.costPerHour")));
                rows.add(row(runs, "$/h after", r -> number(r, "after.costPerHour")));
                rows.add(row(runs, "saving $/month", r -> number(r, "savingPerMonth")));
                rows.add(row(runs, "saving %", r -> number(r, "savingPercent")));
                rows.add(row(runs, "gap to bound %", r -> number(r, "gapPercent")));
                rows.add(row(runs, "pods evicted", r -> number(r, "podsEvicted")));
                rows.add(row(runs, "nodes kept", r -> r.path("kept").isArray() ? r.path("kept").size() : null));
            }
            default -> throw new IllegalArgumentException("Unknown command " + command);
        }
        return rows;
    }

    /**
     * What makes the runs' figures not like for like, one line each: workloads of other sizes (pods, CPU, memory, GPUs
     * requested), other inputs (replay, windows) or other candidates, and a later run that leaves more pods unschedulable
     * than the first, whose lower cost then runs fewer pods (QA 48a: "-77.4 % $/month" between a run with the GPU pods
     * and one that left them out, and two workloads of 73 and 110 pods, without a word).
     */
    public static List<String> notes(List<Run> runs, List<Row> rows) {
        List<String> notes = new ArrayList<>();
        differs(runs, "workloads", r -> {
            JsonNode w = r.path("workload");
            if (!w.path("pods").isNumber()) {
                return null;
            }
            JsonNode q = w.path("requests");
            long gpu = q.path("gpuMillis").asLong();
            return Fmt.grouped(w.path("pods").asLong()) + " pods, " + Amounts.formatGrouped(Resource.CPU, q.path("cpuMillis").asLong())
                    + " CPU, " + Amounts.formatGrouped(Resource.MEMORY, q.path("memoryBytes").asLong()) + " GiB"
                    + (gpu > 0 ? ", " + Amounts.formatGrouped(Resource.GPU, gpu) + " GPU" : "");
        }).ifPresent(notes::add);
        // The DaemonSets every node runs: a roll-out compared with the workload without it (QA 70b F11) packs other workloads.
        differs(runs, "DaemonSets", r -> !r.path("workload").path("daemonSets").isArray() ? null
                : r.path("workload").path("daemonSets").isEmpty() ? "none" : String.join(", ", texts(r.path("workload").path("daemonSets"))))
                .ifPresent(notes::add);
        // A string (replay, windows) or, rightsize's, the list of the files read (its usage files among them: QA 49a L3).
        differs(runs, "inputs", r -> r.path("inputs").isTextual() ? r.path("inputs").asText() : r.path("inputs").isArray()
                && SETTINGS_COMPARED.contains(r.path("command").asText()) ? String.join(", ", texts(r.path("inputs"))) : null).ifPresent(notes::add);
        differs(runs, "candidates", r -> r.path("candidates").isTextual() ? r.path("candidates").asText() : null).ifPresent(notes::add);
        // recommend: HA headroom and a control plane add nodes and cost that are not the packing's (QA 58d F7: "+525 % nodes").
        differs(runs, "production sizing", r -> !r.path("sizing").isObject() ? null : "survive " + r.path("sizing").path("survive").asText()
                + ", " + r.path("sizing").path("zones").asInt() + (r.path("sizing").path("zones").asInt() == 1 ? " zone" : " zones") + ", at least " + r.path("sizing").path("minNodesPerPool").asInt()
                + " nodes per pool" + (r.path("controlPlane").isObject() ? ", control plane " + (r.path("controlPlane").path("shape").isTextual()
                ? r.path("controlPlane").path("nodes").asInt() + " × " + r.path("controlPlane").path("shape").asText() : "fee")
                + " $" + r.path("controlPlane").path("costPerHour").asText() + "/h" : "")).ifPresent(notes::add);
        // rightsize: the percentile, headroom and floors make the recommended requests, so other settings are another sizing;
        // consolidate: the skip rules, threshold, cutoff and pod cap decide which nodes may go (QA 64a F6).
        java.util.Set<String> keys = differingSettings(runs);
        differs(runs, "settings", r -> SETTINGS_COMPARED.contains(r.path("command").asText()) && r.path("settings").isObject()
                ? settings(r.path("settings"), keys) : null).ifPresent(notes::add);
        spans(runs).ifPresent(notes::add);
        // replay and windows: the SLO decides which runs meet it and, for windows, the windows (QA 68c F14: "windows 15 0").
        differs(runs, "pending SLOs", r -> !REPLAYED.contains(r.path("command").asText()) || !r.has("pendingSloSeconds") ? null
                : r.path("pendingSloSeconds").isNumber() ? io.nodesizer.replay.Durations.format(r.path("pendingSloSeconds").asLong())
                : "none").ifPresent(notes::add);
        for (Row row : rows) {
            boolean unplaced = row.metric().equals("pods unplaced"); // pack --fleet's
            // A replay's pods that never ran for want of a node: still pending at the end, or deleted while pending (review 59:
            // -50 % cost beside 20 pods deleted while pending, without a word).
            // (windows: per alternative, "ca pending at end")
            String never = row.metric().endsWith("pending at end") ? "still pending at the end" : row.metric().endsWith("deleted while pending")
                    ? "deleted while pending" : null;
            if (never != null && row.values().get(0) instanceof Number first) {
                for (int i = 1; i < runs.size(); i++) {
                    if (row.values().get(i) instanceof Number later && later.longValue() > first.longValue()) {
                        long more = later.longValue() - first.longValue();
                        String alternative = row.alternative() == null ? "" : " under " + row.alternative();
                        notes.add(runs.get(i).label() + " has " + more + " more " + (more == 1 ? "pod " : "pods ") + never + alternative + " than "
                                + runs.get(0).label() + ": they never ran there, so a lower cost there is no saving");
                    }
                }
                continue;
            }
            if (!row.metric().endsWith("unschedulable pods") && !unplaced || !(row.values().get(0) instanceof Number first)) {
                continue;
            }
            for (int i = 1; i < runs.size(); i++) {
                if (row.values().get(i) instanceof Number later && later.longValue() > first.longValue()) {
                    notes.add(runs.get(i).label() + " leaves " + (later.longValue() - first.longValue()) + " more "
                            + (later.longValue() - first.longValue() == 1 ? "pod" : "pods") + (unplaced ? " unplaced" : " unschedulable")
                            + " than " + runs.get(0).label()
                            + (unplaced || row.metric().equals("unschedulable pods") ? "" : " (" + row.metric() + ")")
                            + (unplaced ? ": its nodes used do not run them, so fewer nodes used there are no saving"
                            : ": its cost does not run them, so a lower cost there is no saving"));
                }
            }
        }
        return notes;
    }

    /** The commands whose reports replay a span of time ({@code start}, {@code durationSeconds}) under a pending SLO. */
    private static final java.util.Set<String> REPLAYED = java.util.Set.of("replay", "windows");

    /**
     * A note when replays cover other spans: their costs and node-hours are totals over them, so a run of 7 days shows
     * "+600 %" against one of 1 day for its length alone (QA 68c F14); over other lengths, cost per day compares. Reports
     * without the fields (windows before they had them) are passed over.
     */
    private static java.util.Optional<String> spans(List<Run> runs) {
        List<String> each = new ArrayList<>();
        java.util.Set<String> spans = new java.util.LinkedHashSet<>();
        java.util.Set<Long> lengths = new java.util.HashSet<>();
        List<String> perDay = new ArrayList<>();
        for (Run r : runs) {
            JsonNode j = r.report();
            if (!REPLAYED.contains(j.path("command").asText()) || !j.path("durationSeconds").isNumber() || !j.path("start").isTextual()) {
                continue;
            }
            long seconds = j.path("durationSeconds").asLong();
            String span = io.nodesizer.replay.Durations.format(seconds) + " from " + j.path("start").asText();
            each.add(r.label() + ": " + span);
            spans.add(span);
            lengths.add(seconds);
            if (j.path("costTotal").isNumber() && seconds > 0) { // replay's best run; windows' are per alternative
                perDay.add(r.label() + " $" + Fmt.money(j.path("costTotal").asDouble() * 86400 / seconds) + "/day");
            }
        }
        if (spans.size() <= 1) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the runs cover different spans (" + String.join("; ", each) + "): " + (lengths.size() > 1
                ? "costs and node-hours are totals over each, so compare cost per day" + (perDay.size() == each.size()
                ? " (" + String.join(", ", perDay) + ")" : "")
                : "the changes in the table are theirs as much as the sizing's"));
    }

    /** The commands whose JSON lists its inputs as files and its options as {@code settings}. */
    private static final java.util.Set<String> SETTINGS_COMPARED = java.util.Set.of("rightsize", "consolidate");

    /** The settings whose values are not the same in every run that has them. */
    private static java.util.Set<String> differingSettings(List<Run> runs) {
        java.util.Map<String, java.util.Set<String>> values = new java.util.LinkedHashMap<>();
        for (Run r : runs) {
            r.report().path("settings").properties().forEach(e -> values.computeIfAbsent(e.getKey(), k -> new java.util.HashSet<>())
                    .add(e.getValue().asText()));
        }
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        values.forEach((k, v) -> {
            if (v.size() > 1) {
                keys.add(k);
            }
        });
        return keys;
    }

    /** The named fields of a settings object as "cpuPercentile 99, …", in its order. */
    private static String settings(JsonNode settings, java.util.Set<String> keys) {
        List<String> each = new ArrayList<>();
        settings.properties().forEach(e -> {
            if (keys.contains(e.getKey())) {
                each.add(e.getKey() + " " + e.getValue().asText());
            }
        });
        return String.join(", ", each);
    }

    /** "the runs' workloads differ: a.json 73 pods, … ; b.json 110 pods, …" when the runs that have the field do not agree. */
    private static java.util.Optional<String> differs(List<Run> runs, String what, java.util.function.Function<JsonNode, String> of) {
        List<String> each = new ArrayList<>();
        java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
        for (Run r : runs) {
            String v = of.apply(r.report());
            if (v != null) {
                each.add(r.label() + ": " + v);
                distinct.add(v);
            }
        }
        return distinct.size() <= 1 ? java.util.Optional.empty()
                : java.util.Optional.of("the runs' " + what + " differ (" + String.join("; ", each) + "): the changes in the table "
                + "are theirs as much as the sizing's");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** The path of the windows alternative {@code name} in {@code report}, "alternatives.2"; one that leads nowhere without it. */
    private static String alternative(JsonNode report, String name) {
        JsonNode all = report.path("alternatives");
        for (int i = 0; i < all.size(); i++) {
            if (all.path(i).path("name").asText().equals(name)) {
                return "alternatives." + i;
            }
        }
        return "alternatives.none";
    }

    /**
     * The workload a recommend or pack run sized, after {@code --growth}: its pods and the CPU and GiB they request. A growth
     * rounds each group up (⌈replicas × F⌉), so a step of 5 % doubles every 1-replica group, and a sweep's rows read "+5 %
     * growth, +40 % cost" with nothing to say why (QA 69c F7: 146 → 169 pods, +33 % CPU, +46 % memory at growth 1.05). Named
     * "workload …" so that no varied option (a sweep varying {@code pods}) shares the name.
     */
    private static void workloadSize(List<Run> runs, List<Row> rows) {
        rows.add(row(runs, "workload pods", r -> number(r, "workload.pods")));
        rows.add(row(runs, "workload CPU", r -> number(r, "workload.requests.cpuMillis") instanceof Number m
                ? amount(m.longValue(), Resource.CPU) : null));
        rows.add(row(runs, "workload GiB", r -> number(r, "workload.requests.memoryBytes") instanceof Number b
                ? amount(b.longValue(), Resource.MEMORY) : null));
    }

    /** The row as one of the windows alternative {@code alternative}. */
    private static Row of(String alternative, Row row) {
        return new Row(row.metric(), row.values(), alternative);
    }

    /** The delay a replay's settings line names ("…, provisioning delay 3m..5m, drain 30s, …"), or null (a fixed count names none). */
    static String provisionDelay(String settings) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(", provisioning delay ([^,;]+)[,;]").matcher(settings);
        return m.find() ? m.group(1) : null;
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

    /** The sum over an analyze report's nodes of {@code field} ({@code field.sub} where sub is given); null without nodes. */
    private static Long nodeSum(JsonNode report, String field, String sub) {
        if (!report.path("nodes").isArray()) {
            return null;
        }
        long sum = 0;
        for (int i = 0; i < report.path("nodes").size(); i++) {
            Object v = number(report, "nodes." + i + "." + field + (sub == null ? "" : "." + sub));
            sum += v == null ? 0 : ((Number) v).longValue();
        }
        return sum;
    }

    /** An analyze report's requests of {@code field} in % of the nodes' allocatable, one decimal; null without nodes or allocatable. */
    private static Object requestedPercent(JsonNode report, String field) {
        Long requested = nodeSum(report, "requested", field);
        Long allocatable = nodeSum(report, "allocatable", field);
        return requested == null || allocatable == null || allocatable == 0 ? null : Math.round(1000.0 * requested / allocatable) / 10.0;
    }

    /** Base units as the reports show them (cores, GiB), to three decimals; null stays null. */
    private static Object amount(Long base, Resource r) {
        return base == null ? null : Double.parseDouble(Amounts.format(r, base));
    }

    /** The node at {@code path} of {@code report}: names and indices joined by dots, "shapes.0.nodes"; missing where there is none. */
    private static JsonNode at(JsonNode report, String path) {
        JsonNode n = report;
        for (String step : path.split("\\.")) {
            n = n.isArray() && step.matches("\\d+") ? n.path(Integer.parseInt(step)) : n.path(step);
        }
        return n;
    }

    /**
     * The number at {@code path} of {@code report}, null where there is none (absent or null); a field of another type is
     * refused (QA 66a L1: "costPerHour": "cheap" was shown as "–", as if the run had priced nothing).
     */
    private static Object number(JsonNode report, String path) {
        JsonNode n = at(report, path);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw new Malformed(path, "a number or null", n);
        }
        return n.numberValue();
    }

    /** A report field that is not of its type: its path, what it must be, and what it is. */
    private static final class Malformed extends RuntimeException {
        Malformed(String path, String expected, JsonNode found) {
            super(path + " must be " + expected + "; found " + (found.isMissingNode() ? "none" : found.isTextual() ? "\"" + found.asText() + "\""
                    : found.isContainerNode() ? (found.isArray() ? "a list" : "an object") : found.toString()) + ".", null, false, false);
        }
    }

    /** The figure of a pending percentile written as null because it falls on pods deleted while pending: they never started. */
    static final String NEVER = "never";

    /**
     * {@code field} of the replay run (or windows alternative) at {@code run} as a figure: a pending percentile that is null
     * where the run deleted pods while pending is {@link #NEVER} (a "–" there read as no value: review 59); any other field
     * as {@link #number}.
     */
    private static Object wait(JsonNode report, String run, String field) {
        Object v = number(report, run + "." + field);
        return v == null && at(report, run + "." + field).isNull() && field.startsWith("pending")
                && at(report, run + ".deletedWhilePending").asLong(0) > 0 ? NEVER : v;
    }

    /**
     * The pods left out at {@code path}: its {@code …Count} beside it where the report has one (recommend's list holds the
     * first --max-listed pods alone), else the pods its list names or the number written there.
     */
    private static Object unschedulablePods(JsonNode report, String path) {
        JsonNode count = at(report, path + "Count");
        if (count.isIntegralNumber()) {
            return count.asLong(); // a long, as the list's sum below
        }
        JsonNode list = at(report, path);
        if (!list.isArray()) {
            return number(report, path);
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
    static boolean isMoney(String metric) {
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
        // A percentage with one decimal in every column ("33.3" beside "20.0", not "33.33" beside "20": QA 59b F12).
        // Node-hours and mean nodes with one decimal, as the replay table shows them ("126.0" beside "155.6", not "126" beside
        // "155.608": QA 60a F10).
        boolean tenths = metric.endsWith("%") || metric.endsWith("node-hours") || metric.endsWith("mean nodes");
        // Money with two decimals, $/h too, as the README's Outputs promise (QA 64a F28: "12.152" beside "4,281.45"; review 61
        // had kept up to four for $/h, which consolidate's own line needs so that before − after is its saving, a row compare
        // does not write); JSON and CSV keep every decimal the report has.
        return isMoney(metric) ? Fmt.money(n.doubleValue()) : tenths ? String.format(Locale.ROOT, "%,.1f", n.doubleValue())
                : Fmt.grouped(n.doubleValue());
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
        List<String> notes = notes(runs, rows);
        StringBuilder text = new StringBuilder(notes.isEmpty() ? "" : "\n");
        notes.forEach(n -> text.append("note: ").append(n).append('\n'));
        StringBuilder md = new StringBuilder();
        notes.forEach(n -> md.append("\n").append(MarkdownText.escape("note: " + n)).append('\n'));
        StringBuilder html = new StringBuilder();
        notes.forEach(n -> html.append("<p>").append(HtmlReport.escape("note: " + n)).append("</p>"));
        return switch (format) {
            case JSON -> json(runs, rows, notes);
            case MARKDOWN -> "# " + title(runs) + "\n\n" + table(runs, rows, true).renderMarkdown() + md;
            case HTML -> HtmlReport.page(title(runs), HtmlReport.table(table(runs, rows, true)) + html // the page's own heading is its title
                    + CompareCharts.of(runs, rows));
            case CSV -> table(runs, rows, false).renderCsv();
            case TABLE -> title(runs) + "\n\n" + table(runs, rows, true).renderAligned() + text;
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
                // A machine's CSV cell is empty where there is no figure, "never" (pods deleted while pending) too, as the
                // sweep's CSV and compare's JSON (null) have it (QA 67c F9).
                line.add(!forReader && (v == null || NEVER.equals(v)) ? "" : forReader ? readerCell(row.metric(), v) : cell(v));
            }
            for (int i = 1; i < runs.size(); i++) {
                line.add(delta(row.metric(), row.values().get(0), row.values().get(i), forReader));
            }
            out.add(line);
        }
        return new TextTable(columns, out);
    }

    /** Per command, the fields its every report has (a list or an object), without which it is no report of it. */
    private static final java.util.Map<String, List<String>> HEADLINES = java.util.Map.of(
            "recommend", List.of("shapes[]"), "pack", List.of("shape{}", "nodes"), "pack-fleet", List.of("nodes", "placed"),
            "replay", List.of("ranking[]"), "windows", List.of("windows[]", "alternatives[]"),
            "rightsize", List.of("before{}", "after{}"), "analyze", List.of("nodes[]", "pools[]"),
            "consolidate", List.of("before{}", "after{}"));

    /**
     * Why {@code report} of a command compare knows is not one it can compare, or null: a headline field missing or of
     * another type, as "after.costPerHour must be a number or null; found \"cheap\"." A hand-edited or cut report was shown
     * with "–" in its every row, exit 0, as a run that priced nothing (QA 66a L1).
     */
    public static String malformed(JsonNode report) {
        String command = report.path("command").asText();
        for (String field : HEADLINES.getOrDefault(command, List.of())) {
            String name = field.replaceAll("[\\[\\]{}]", "");
            JsonNode n = report.path(name);
            boolean fits = field.endsWith("[]") ? n.isArray() : field.endsWith("{}") ? n.isObject() : n.isNumber();
            if (!fits) {
                return new Malformed(name, field.endsWith("[]") ? "a list (every " + command + " report has one)"
                        : field.endsWith("{}") ? "an object (every " + command + " report has one)" : "a number (every " + command
                        + " report has one)", n).getMessage();
            }
        }
        try {
            rows(List.of(new Run("", report)));
            return null;
        } catch (Malformed e) {
            return e.getMessage();
        }
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

    private static String json(List<Run> runs, List<Row> rows, List<String> notes) {
        ObjectNode root = JsonTrees.reportRoot("compare");
        root.put("compared", command(runs));
        ArrayNode noteList = root.putArray("notes");
        notes.forEach(noteList::add);
        ArrayNode labels = root.putArray("runs");
        runs.forEach(r -> labels.add(r.label()));
        ArrayNode out = root.putArray("rows");
        for (Row row : rows) {
            ObjectNode o = out.addObject();
            o.put("metric", row.metric());
            ArrayNode values = o.putArray("values");
            for (Object v : row.values()) {
                // A pending percentile on pods that never started is null, as the replay's and sweep's JSON write it (it
                // was "never", a string among numbers: QA 66b L7); the table says "never".
                values.add(JsonTrees.MAPPER.valueToTree(NEVER.equals(v) ? null : v));
            }
            ArrayNode deltas = o.putArray("deltas");
            for (int i = 1; i < runs.size(); i++) {
                deltas.add(delta(row.metric(), row.values().get(0), row.values().get(i)));
            }
        }
        return JsonTrees.write(root);
    }
}
