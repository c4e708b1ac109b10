package io.nodesizer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;

/**
 * The report of {@code nodesizer sweep}: one row per expanded scenario with its varied values and
 * the command's headline figures (the same figures {@code compare} shows), then a summary per
 * scenario: the range of its cost figure and the varied values of its cheapest run.
 */
public final class SweepReport {
    private SweepReport() {
    }

    /**
     * One run's outcome: the {@link #digest} of its JSON report (null when it failed), its exit code
     * and first error line.
     *
     * @param elapsedNanos wall time of the run, or -1 to leave timings out (--reproducible)
     */
    public record Outcome(Scenario.Run run, int exitCode, JsonNode report, String error, long elapsedNanos) {
        public boolean ok() {
            return exitCode == 0 && report != null;
        }

        /**
         * Whether the run ran but no pod fits any of its shapes (a replay or windows run of a shape the workload's taints or
         * labels rule out): its figures price nothing, so it is in no summary's range nor its cheapest, and its row says
         * so, with the reasons ({@link #reasons}). Alone such a run exits 2; in a sweep it is one value among those explored
         * (review 75b #1: one tainted shape among the varied ones failed the whole sweep).
         */
        public boolean noPodFits() {
            return ok() && report.path(NO_POD_FITS).isTextual();
        }

        /** "ok", "failed" or "no pod fits": the row's status. */
        public String status() {
            return noPodFits() ? NO_POD_FITS_STATUS : ok() ? "ok" : "failed";
        }

        /** The error of a failed run, the reasons of a run where no pod fits, else null. */
        public String reasons() {
            return noPodFits() ? report.path(NO_POD_FITS).asText() : ok() ? null : error;
        }

        /** Headline figures by name, in the command's order. */
        public Map<String, Object> figures() {
            Map<String, Object> out = new LinkedHashMap<>();
            if (ok()) {
                for (Map.Entry<String, JsonNode> f : report.path("figures").properties()) {
                    JsonNode v = f.getValue();
                    out.put(f.getKey(), v.isNumber() ? v.numberValue() : v.isNull() ? null : v.asText());
                }
            }
            return out;
        }
    }

    /**
     * Runs a sweep's run: {@link #inRun} true meanwhile, and the lists its figures only count written as counts
     * ({@link JsonTrees#countsOnly}). On this thread, as the command runs on its caller's (on a Spark executor too).
     */
    public static <T> T asRun(java.util.function.Supplier<T> run) {
        boolean was = IN_RUN.get();
        IN_RUN.set(true);
        try {
            return JsonTrees.countsOnly(run);
        } finally {
            IN_RUN.set(was);
        }
    }

    /**
     * Whether this thread runs a command as one run of a sweep ({@link #asRun}): a replay or windows run whose shape fits no
     * pod then reports it ({@code noPodFits}) instead of exiting 2, as a pack run of such a shape reads n/a.
     */
    public static boolean inRun() {
        return IN_RUN.get();
    }

    private static final ThreadLocal<Boolean> IN_RUN = ThreadLocal.withInitial(() -> false);

    /** The field of a replay's or windows' JSON report, and of the digest, that says no pod fits any shape, and why. */
    public static final String NO_POD_FITS = "noPodFits";

    /** The status of a run where no pod fits ({@link Outcome#noPodFits}). */
    static final String NO_POD_FITS_STATUS = "no pod fits";

    /**
     * What a sweep keeps of a run's JSON report: its headline figures ({@link CompareReport#rows}),
     * and a windows run's recommended alternative (which names its cost figure). Made where the run
     * ran, so that neither the executors (Spark) nor the local engine hand the whole reports on: a
     * pack of 150,000 pods is megabytes of JSON, a recommend over a whole catalog gigabytes, and
     * thousands of runs' trees filled the heap.
     */
    public static ObjectNode digest(JsonNode report) {
        ObjectNode d = JsonTrees.MAPPER.createObjectNode();
        ObjectNode figures = d.putObject("figures");
        for (CompareReport.Row row : CompareReport.rows(List.of(new CompareReport.Run("run", report)))) {
            figures.set(row.metric(), JsonTrees.MAPPER.valueToTree(row.values().get(0)));
        }
        if (report.path("ranking").path(0).path("podsArrived").isNumber()) {
            d.set(PODS_ARRIVED, report.path("ranking").path(0).get("podsArrived")); // a replay's workload, for the share left out
        }
        for (String side : List.of("before", "after")) {
            if (report.path(side).path("pods").isNumber()) {
                // A rightsize run's pods before and after: those a ResourceQuota no longer admits with the new requests are left out.
                d.putObject(side).set("pods", report.path(side).get("pods"));
            }
        }
        if (report.path("pendingSloSeconds").isNumber()) {
            d.set(PENDING_SLO, report.get("pendingSloSeconds")); // a replay's runs meeting it rank first, as its own ranking
        }
        if (report.path(NO_POD_FITS).isTextual()) {
            d.set(NO_POD_FITS, report.get(NO_POD_FITS));
        }
        if (report.has("recommended")) {
            d.set("recommended", report.get("recommended"));
            // the recommended alternative's pods pending at the end (left out in the summary) and whether it meets the SLO
            for (JsonNode a : report.path("alternatives")) {
                if (a.path("name").asText().equals(report.get("recommended").asText())) {
                    if (a.has("pendingAtEnd")) {
                        d.set(RECOMMENDED_PENDING_AT_END, a.get("pendingAtEnd"));
                    }
                    if (a.has("meetsPendingSlo")) {
                        d.set(RECOMMENDED_MEETS_SLO, a.get("meetsPendingSlo"));
                    }
                }
            }
        }
        return d;
    }

    /** The digest's field for the pods a replay's best run saw arrive. */
    private static final String PODS_ARRIVED = "podsArrived";

    /** The digest's field for a replay run's --pending-slo (seconds). */
    private static final String PENDING_SLO = "pendingSloSeconds";

    /** The digest's field for a windows run's recommended alternative's pods still pending at the end. */
    private static final String RECOMMENDED_PENDING_AT_END = "recommendedPendingAtEnd";

    /** The digest's field for whether a windows run's recommended alternative meets the SLO (on every draw). */
    private static final String RECOMMENDED_MEETS_SLO = "recommendedMeetsSlo";

    /** A recommend run's mixed pools' cost (CompareReport's row), when it planned them. */
    private static final String MIX_COST = "mixed pools $/month";

    /**
     * The figure a scenario's summary and chart rank its runs by: what each costs ({@link #costFigure}); where none of them
     * has a price (inline shapes, the usual what-if), what each needs instead, nodes or node-hours (QA 66b L4: min, max and
     * cheapest were empty, and no chart drawn, for bin-packing runs of 94 to 83 bins).
     */
    static java.util.function.Function<Outcome, String> figureOf(List<Outcome> runs) {
        if (runs.stream().anyMatch(o -> o.ok() && o.figures().get(costFigure(o)) instanceof Number)) {
            return SweepReport::costFigure;
        }
        return o -> {
            String unpriced = switch (o.run().scenario().command()) {
                case "recommend", "pack" -> "nodes";
                case "replay" -> "node-hours";
                case "rightsize" -> "after nodes";
                default -> null;
            };
            return unpriced != null && o.figures().get(unpriced) instanceof Number ? unpriced : costFigure(o);
        };
    }

    /** The figure a scenario's summary ranks runs by: what the run costs. */
    static String costFigure(Outcome o) {
        return switch (o.run().scenario().command()) {
            // A recommend that planned mixed pools (--max-pools) is costed at its mix, the plan it asked for.
            case "recommend" -> o.figures().get(MIX_COST) instanceof Number ? MIX_COST : "$/month";
            case "pack" -> "$/month";
            case "replay" -> "cost";
            case "rightsize" -> "after $/month";
            case "windows" -> o.ok() ? o.report().path("recommended").asText() + " cost" : "";
            default -> "";
        };
    }

    /** @param seed the sweep's {@code --seed}: every run gets it unless its scenario sets or varies seed */
    public static String render(ReportFormat format, String file, long seed, List<Outcome> outcomes) {
        return switch (format) {
            case JSON -> json(file, seed, outcomes);
            case CSV -> csv(seed, outcomes);
            case TABLE -> text(file, seed, outcomes, false);
            case MARKDOWN -> text(file, seed, outcomes, true);
            case HTML -> HtmlReport.page("nodesizer sweep: " + file, html(seed, outcomes));
        };
    }

    private static List<Scenario> scenarios(List<Outcome> outcomes) {
        List<Scenario> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (!out.contains(o.run().scenario())) {
                out.add(o.run().scenario());
            }
        }
        return out;
    }

    private static List<Outcome> of(List<Outcome> outcomes, Scenario s) {
        return outcomes.stream().filter(o -> o.run().scenario() == s).toList();
    }

    /** One table of a scenario's runs: varied values, figures, status (and seconds unless reproducible). */
    static TextTable table(Scenario s, List<Outcome> runs) {
        Set<String> figures = new LinkedHashSet<>();
        runs.forEach(o -> figures.addAll(o.figures().keySet()));
        boolean timed = runs.stream().anyMatch(o -> o.elapsedNanos() >= 0);
        List<String> headers = new ArrayList<>();
        s.vary().keySet().forEach(k -> headers.add(varyColumn(k, figures)));
        headers.addAll(figures);
        headers.add("status");
        if (timed) {
            headers.add("seconds");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Outcome o : runs) {
            List<String> row = new ArrayList<>(o.run().varied().values());
            Map<String, Object> f = o.figures();
            figures.forEach(name -> row.add(CompareReport.readerCell(name, f.get(name))));
            // The error goes below the table ({@link #failures}): in the cell, one run's message of a
            // hundred and fifty characters widened the column, dashes and all, for every row.
            row.add(o.ok() ? o.status() : "failed (exit " + o.exitCode() + ")");
            if (timed) {
                row.add(String.format(Locale.ROOT, "%.2f", o.elapsedNanos() / 1e9));
            }
            rows.add(row);
        }
        // Figures and numbers right, names (shapes, families, autoscalers, the status) left, as every other report sets them.
        List<TextTable.Column> cols = new ArrayList<>();
        for (int c = 0; c < headers.size(); c++) {
            final int col = c;
            // "never" (a pending percentile that pods deleted while pending reach) stands in a column of durations (QA 67c F13).
            boolean numeric = rows.stream().map(r -> r.get(col)).allMatch(v -> v.isEmpty() || v.equals("–")
                    || v.equals(CompareReport.NEVER) || NUMBER.matcher(v).matches());
            cols.add(numeric ? TextTable.Column.right(headers.get(c)) : TextTable.Column.left(headers.get(c)));
        }
        return new TextTable(cols, rows);
    }

    /** A cell that reads as a number: "1,234.5", "-3", "12.5 %", "+2". */
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[+-]?[0-9][0-9,]*(\\.[0-9]+)?( ?%)?");

    /**
     * The failed runs' errors in full, shown after the scenario's table: the run by its varied
     * values, as the table's row shows it, then the exit code and the first error line.
     */
    private static List<String> failures(List<Outcome> runs) {
        return runs.stream().filter(o -> !o.ok()).map(o -> (o.run().varied().isEmpty() ? "the run" : varied(o)) + " failed (exit "
                + o.exitCode() + "): " + o.error()).toList();
    }

    /** The runs where no pod fits, each with its reasons, shown after the scenario's table as the failed runs' errors are. */
    private static List<String> noPodFits(List<Outcome> runs) {
        return runs.stream().filter(Outcome::noPodFits).map(o -> (o.run().varied().isEmpty() ? "the run" : varied(o)) + ": "
                + o.reasons()).toList();
    }

    /** The scenario's fixed command line as its runs get it, the sweep's seed included, to paste and re-run. */
    private static String commandLine(Scenario s, long seed) {
        // A list repeats the option (it was joined with commas, "--node a,b", which the command refuses).
        return String.join(" ", s.fixedArgv(seed).stream().map(SweepReport::shellWord).toList());
    }

    /** Per scenario: runs, failures, the cost figure's range and the cheapest run's varied values. */
    private static TextTable summary(List<Outcome> outcomes) {
        List<List<String>> rows = new ArrayList<>();
        for (Scenario s : scenarios(outcomes)) {
            Summary sum = Summary.of(of(outcomes, s));
            rows.add(List.of(s.name(), s.command(), Integer.toString(sum.runs), Integer.toString(sum.failed), sum.figure == null ? "–" : sum.figure,
                    sum.min == null ? "–" : CompareReport.readerCell(sum.figure, sum.min),
                    sum.max == null ? "–" : CompareReport.readerCell(sum.figure, sum.max), cheapest(s, of(outcomes, s), sum)));
        }
        return new TextTable(List.of(TextTable.Column.left("scenario"), TextTable.Column.left("command"), TextTable.Column.right("runs"),
                TextTable.Column.right("failed"), TextTable.Column.left("cost figure"), TextTable.Column.right("min"), TextTable.Column.right("max"),
                TextTable.Column.left("cheapest run (of those leaving fewest pods out)")), rows);
    }

    /** Varied options that change the workload itself: runs of different values of these are not one workload's alternatives. */
    static final Set<String> WORKLOAD_SIZE = Set.of("growth", "hpa", "surge", "demand", "synthetic", "pods", "workload", "trace");

    /**
     * The varied options of {@code s} that change the workload itself ({@link #WORKLOAD_SIZE}), in its order: runs of different
     * values of these are different workloads, so the smallest is always the cheapest and leaves the fewest pods out (QA 69c F3:
     * growth 0.2 was named the cheapest of a growth curve). The cheapest run is then one per value of them.
     */
    static List<String> sizing(Scenario s) {
        return s.vary().keySet().stream().filter(WORKLOAD_SIZE::contains).toList();
    }

    /** Per value of the scenario's {@link #sizing} options (as "growth=1.5"), the summary of its runs. */
    private static Map<String, Summary> perWorkload(Scenario s, List<Outcome> runs) {
        List<String> sizing = sizing(s);
        Map<String, List<Outcome>> by = new java.util.LinkedHashMap<>();
        for (Outcome o : runs) {
            by.computeIfAbsent(workloadOf(o, sizing), k -> new ArrayList<>()).add(o);
        }
        Map<String, Summary> out = new java.util.LinkedHashMap<>();
        by.forEach((k, group) -> out.put(k, Summary.of(group)));
        return out;
    }

    /** The summary table's cheapest run: of all runs, or one per workload where the scenario varies it ({@link #sizing}). */
    private static String cheapest(Scenario s, List<Outcome> runs, Summary all) {
        List<String> sizing = sizing(s);
        if (sizing.isEmpty()) {
            if (all.cheapest != null && !all.cheapest.run().varied().isEmpty() && options(all.cheapest).isEmpty()) {
                return "– (only the seed varies, and seeds are draws, not options; " + all.waits + ")";
            }
            return all.cheapest == null ? "–" : varied(all.cheapest) + (all.waits == null ? "" : " (" + all.waits + ")");
        }
        if (sizing.size() == s.vary().size()) {
            return "– (each run is another workload: " + String.join(", ", sizing) + " varies)";
        }
        List<String> parts = new ArrayList<>();
        perWorkload(s, runs).forEach((key, sum) -> {
            if (sum.cheapest != null) {
                StringBuilder rest = new StringBuilder();
                options(sum.cheapest).forEach((k, v) -> {
                    if (!sizing.contains(k)) {
                        rest.append(rest.isEmpty() ? "" : ", ").append(k).append('=').append(v);
                    }
                });
                parts.add(key + ": " + (rest.isEmpty() ? "–" : rest) + (sum.waits == null ? "" : " (" + sum.waits + ")"));
            }
        });
        return parts.isEmpty() ? "–" : "per " + String.join(", ", sizing) + " (another workload each): " + String.join("; ", parts);
    }

    /** @param waits a note on the cheapest run's pending time ({@link #waits}), or null */
    private record Summary(int runs, int failed, String figure, Double min, Double max, Outcome cheapest, String waits) {
        static Summary of(List<Outcome> runs) {
            int failed = 0;
            Double min = null;
            Double max = null;
            Outcome cheapest = null;
            double cheapestCost = 0;
            String figure = null;
            java.util.function.Function<Outcome, String> figureOf = figureOf(runs);
            for (Outcome o : runs) {
                if (!o.ok()) {
                    failed++;
                    continue;
                }
                if (o.noPodFits()) {
                    continue; // its $0 prices nothing: neither the range nor the cheapest
                }
                String name = figureOf.apply(o);
                String label = name.replaceFirst("^.* cost$", "recommended alternative's cost");
                // Runs of one scenario costed two ways (some with a mix, some without): both named.
                figure = figure == null || figure.equals(label) ? label
                        : figure.startsWith("$/month or") ? figure : "$/month or " + MIX_COST + " where planned";
                if (o.figures().get(name) instanceof Number n) {
                    double v = n.doubleValue();
                    // fewest pods left out first: a run that leaves pods out is cheap for the wrong reason; then, as a
                    // replay ranks its own runs, those meeting their --pending-slo
                    if (cheapest == null || podsLeftOut(o) < podsLeftOut(cheapest)
                            || podsLeftOut(o) == podsLeftOut(cheapest) && missesSlo(o) != missesSlo(cheapest) && !missesSlo(o)
                            || podsLeftOut(o) == podsLeftOut(cheapest) && missesSlo(o) == missesSlo(cheapest) && v < cheapestCost) {
                        cheapest = o;
                        cheapestCost = v;
                    }
                    min = min == null ? v : Math.min(min, v);
                    max = max == null ? v : Math.max(max, v);
                }
            }
            if (cheapest != null && cheapest.run().scenario().vary().containsKey("seed")) {
                return overSeeds(runs, figureOf, failed, figure, min, max);
            }
            return new Summary(runs.size(), failed, figure, min, max, cheapest, cheapest == null ? null : SweepReport.waits(cheapest, runs));
        }

        /**
         * Where the seed varies, a seed is a draw (the synthetic noise, the delays, the ties), not an option: the cheapest of
         * the draws is biased low, and "seed=2" is no choice to make (QA 74b F4). The options, the runs of one value of every
         * other varied key, are ranked by their worst seed (most pods left out, any SLO missed, the highest cost): the
         * cheapest is that worst run of the best option, its seed not named, with the worst cost over the seeds noted.
         */
        private static Summary overSeeds(List<Outcome> runs, java.util.function.Function<Outcome, String> figureOf, int failed,
                                         String figure, Double min, Double max) {
            Map<Map<String, String>, List<Outcome>> options = new java.util.LinkedHashMap<>();
            for (Outcome o : runs) {
                options.computeIfAbsent(options(o), k -> new ArrayList<>()).add(o);
            }
            // One order for both choices, the worst seed of an option and the best of the options' worst: most pods left out,
            // then an SLO missed, then the cost (ties keep the first, in the runs' order).
            java.util.function.ToDoubleFunction<Outcome> cost = o -> ((Number) o.figures().get(figureOf.apply(o))).doubleValue();
            java.util.Comparator<Outcome> badness = java.util.Comparator.comparingLong(SweepReport::podsLeftOut)
                    .thenComparing(SweepReport::missesSlo).thenComparingDouble(cost);
            Outcome best = null;
            int seeds = 0;
            for (List<Outcome> option : options.values()) {
                // A seed that failed or has no figure: the option's worst is unknown, and it is not ranked.
                if (option.stream().anyMatch(o -> !o.ok() || o.noPodFits() || !(o.figures().get(figureOf.apply(o)) instanceof Number))) {
                    continue;
                }
                Outcome worst = option.stream().reduce(BinaryOperator.maxBy(badness)).orElseThrow();
                if (best == null || badness.compare(worst, best) < 0) {
                    best = worst;
                    seeds = option.size();
                }
            }
            String note = best == null ? null : "worst of " + seeds + " seeds: " + CompareReport.readerCell(figure, cost.applyAsDouble(best));
            return new Summary(runs.size(), failed, figure, min, max, best, note);
        }
    }

    /**
     * Whether a replay run missed the --pending-slo it was given (none given: it misses none), or a windows run's
     * recommended alternative missed its SLO (windows recommends the lowest p95 when none meets it: QA 60a F5, a cap under
     * which no pod ran in time was named the cheapest).
     */
    static boolean missesSlo(Outcome o) {
        if (o.run().scenario().command().equals("windows")) {
            return !o.report().path(RECOMMENDED_MEETS_SLO).asBoolean(true);
        }
        JsonNode slo = o.report().path(PENDING_SLO);
        Object p95 = o.figures().get("pending p95 s");
        // "never": pods deleted while pending reach the 95th percentile, which no SLO meets
        return slo.isNumber() && (CompareReport.NEVER.equals(p95) || p95 instanceof Number n && n.doubleValue() > slo.asDouble());
    }

    /**
     * For the cheapest run of a replay scenario run without --pending-slo, when its pods waited longer than those of
     * another run that leaves as few out: how long, as a note. Without an SLO the summary ranks by cost alone, and the
     * cheapest may be a cluster too small for part of the day (QA 58d F4: 10 hours of waiting, named the cheapest).
     */
    private static String waits(Outcome cheapest, List<Outcome> runs) {
        if (!cheapest.run().scenario().command().equals("replay") || cheapest.report().path(PENDING_SLO).isNumber()
                || !(cheapest.figures().get("pending max s") instanceof Number max)) {
            return null;
        }
        double least = max.doubleValue();
        long deleted = count(cheapest.figures().get(DELETED_WHILE_PENDING));
        long fewestDeleted = deleted;
        for (Outcome o : runs) {
            if (o.ok() && !o.noPodFits() && podsLeftOut(o) == podsLeftOut(cheapest) && o.figures().get("pending max s") instanceof Number m) {
                least = Math.min(least, m.doubleValue());
                fewestDeleted = Math.min(fewestDeleted, count(o.figures().get(DELETED_WHILE_PENDING)));
            }
        }
        List<String> worse = new ArrayList<>();
        if (least < max.doubleValue()) {
            worse.add("its pods waited up to " + io.nodesizer.replay.Durations.format(max.longValue()) + ", another run's at most "
                    + io.nodesizer.replay.Durations.format((long) least));
        }
        if (deleted > fewestDeleted) {
            // They never ran, which the waits do not show (QA 60a F5: 55 of them went unsaid beside a 7h45m wait).
            worse.add(io.nodesizer.sweep.Verdicts.pods(deleted) + " deleted while pending never ran, another run's " + Fmt.grouped(fewestDeleted));
        }
        return worse.isEmpty() ? null : String.join("; ", worse) + ": give pending-slo to rank by waits";
    }

    private static final String DELETED_WHILE_PENDING = "deleted while pending";

    /**
     * The run's pods that never ran: those no shape fits, and a replay's pods still pending at the
     * end (a shape fits them but the run never started them: a fixed count or a --max-nodes cap
     * too small leaves them Pending all day, and counting only the unschedulable ones named the
     * smallest cluster the cheapest). A windows run's are its recommended alternative's; a rightsize run's those its
     * recommended requests leave out.
     */
    static long podsLeftOut(Outcome o) {
        if (o.run().scenario().command().equals("windows")) {
            String recommended = o.report().path("recommended").asText();
            return count(o.figures().get(recommended + " unschedulable pods")) + o.report().path(RECOMMENDED_PENDING_AT_END).asLong(0);
        }
        if (o.run().scenario().command().equals("rightsize")) {
            // The new requests' packing, and the pods a ResourceQuota no longer admits with them (QA 51c: a headroom that
            // left the database out was named the cheapest).
            return count(o.figures().get("after unschedulable pods")) + Math.max(0, o.report().path("before").path("pods").asLong(0)
                    - o.report().path("after").path("pods").asLong(0));
        }
        if (MIX_COST.equals(costFigure(o))) {
            // Costed at its mix: the pods the mix leaves out, not the best single shape's (QA 58d F2: a mix that placed every
            // pod was counted with the two its single shape left out, and a run leaving them out was named the cheapest).
            return count(o.figures().get("mixed pools unschedulable pods"));
        }
        return count(o.figures().get("unschedulable pods")) + count(o.figures().get("pending at end"));
    }

    /**
     * The pods of the run's workload, which {@link #podsLeftOut} are a part of: a recommend's or pack's workload after
     * growth, a replay's best run's pods arrived; -1 where the report gives none (windows, rightsize).
     */
    static long podsOf(Outcome o) {
        if (o.figures().get("workload pods") instanceof Number n) {
            return n.longValue();
        }
        JsonNode arrived = o.report().path(PODS_ARRIVED);
        return arrived.isNumber() ? arrived.asLong() : -1;
    }

    /** "growth=1.5": the run's values of the scenario's {@link #sizing} options, which name its workload. */
    static String workloadOf(Outcome o, List<String> sizing) {
        StringBuilder key = new StringBuilder();
        sizing.forEach(k -> key.append(key.isEmpty() ? "" : ", ").append(k).append('=').append(o.run().varied().get(k)));
        return key.toString();
    }

    private static long count(Object figure) {
        return figure instanceof Number n ? n.longValue() : 0;
    }

    /** "growth=1.5, seed=2": the run's varied values, as the tables, the summary and the charts name a run. */
    static String varied(Outcome o) {
        if (o.run().varied().isEmpty()) {
            return "(the only run)";
        }
        StringBuilder sb = new StringBuilder();
        options(o).forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return sb.isEmpty() ? "–" : sb.toString();
    }

    /** The run's varied values that are options to choose: all but the seed, a draw ({@link Summary#overSeeds}). */
    static Map<String, String> options(Outcome o) {
        Map<String, String> out = new java.util.LinkedHashMap<>(o.run().varied());
        out.remove("seed");
        return out;
    }

    private static String headline(List<Outcome> outcomes) {
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        long noPodFits = outcomes.stream().filter(Outcome::noPodFits).count();
        return Fmt.count(scenarios(outcomes).size(), "scenario", "scenarios") + ", " + Fmt.count(outcomes.size(), "run", "runs")
                + (failed > 0 ? String.format(Locale.ROOT, ", %,d failed", failed) : "")
                + (noPodFits > 0 ? String.format(Locale.ROOT, ", %,d where no pod fits", noPodFits) : "");
    }

    private static String text(String file, long seed, List<Outcome> outcomes, boolean markdown) {
        StringBuilder sb = new StringBuilder(markdown ? "# " : "").append("nodesizer sweep: ").append(MarkdownText.of(markdown, file)).append(" (")
                .append(headline(outcomes)).append(")\n");
        for (Scenario s : scenarios(outcomes)) {
            sb.append('\n').append(markdown ? "## " : "").append(MarkdownText.of(markdown, s.name() + ": " + commandLine(s, seed))).append("\n\n");
            TextTable t = table(s, of(outcomes, s));
            sb.append(markdown ? t.renderMarkdown() : t.renderAligned());
            List<String> failed = failures(of(outcomes, s));
            if (!failed.isEmpty()) {
                sb.append(markdown ? "\nFailed runs:\n\n" : "\nfailed runs:\n");
                failed.forEach(line -> sb.append(markdown ? "- " : "  - ").append(MarkdownText.of(markdown, line)).append('\n'));
            }
            List<String> none = noPodFits(of(outcomes, s));
            if (!none.isEmpty()) {
                sb.append(markdown ? "\nRuns where no pod fits (left out of the summary):\n\n" : "\nruns where no pod fits (left out of the summary):\n");
                none.forEach(line -> sb.append(markdown ? "- " : "  - ").append(MarkdownText.of(markdown, line)).append('\n'));
            }
        }
        sb.append('\n').append(markdown ? "## " : "").append("Summary\n\n");
        TextTable t = summary(outcomes);
        sb.append(markdown ? t.renderMarkdown() : t.renderAligned());
        return sb.toString();
    }

    /** {@code word} as a POSIX shell reads it back: as is when it is plain, else in single quotes. */
    static String shellWord(String word) {
        if (!word.isEmpty() && word.chars().allMatch(ch -> ch < 128 && (Character.isLetterOrDigit(ch) || "_@%+=:,./-".indexOf(ch) >= 0))) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static String html(long seed, List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder("<p>").append(HtmlReport.escape(headline(outcomes))).append("</p>\n");
        int index = 0;
        for (Scenario s : scenarios(outcomes)) {
            index++;
            StringBuilder failed = new StringBuilder();
            failures(of(outcomes, s)).forEach(line -> failed.append("<li>").append(HtmlReport.escape(line)).append("</li>"));
            StringBuilder none = new StringBuilder();
            noPodFits(of(outcomes, s)).forEach(line -> none.append("<li>").append(HtmlReport.escape(line)).append("</li>"));
            Summary sum = Summary.of(of(outcomes, s));
            sb.append(HtmlReport.section(s.name() + ": " + commandLine(s, seed), HtmlReport.table(table(s, of(outcomes, s)))
                    + (failed.isEmpty() ? "" : "<p>Failed runs:</p><ul>" + failed + "</ul>")
                    + (none.isEmpty() ? "" : "<p>Runs where no pod fits (left out of the summary):</p><ul>" + none + "</ul>")
                    + (sum.figure == null ? "" : SweepCharts.of(index, s, of(outcomes, s), sum.figure))));
        }
        return sb.append(HtmlReport.section("Summary", HtmlReport.table(summary(outcomes)))).toString();
    }

    /** The row columns every sweep writes whatever it varies. */
    private static final Set<String> FIXED_COLUMNS = Set.of("scenario", "command", "run", "status", "exitCode", "error", "elapsedMillis",
            "seconds");

    /**
     * A varied option's column: its name, or {@code vary.NAME} where a figure or a fixed column has
     * that name (varying {@code autoscaler} beside replay's {@code autoscaler} figure), so that no two
     * columns share a header.
     */
    private static String varyColumn(String key, Set<String> figures) {
        return figures.contains(key) || FIXED_COLUMNS.contains(key) ? "vary." + key : key;
    }

    /**
     * Per command, the figures its rows gained after the CSV's columns were set (QA 69c F4, F7: recommend's lower bound and
     * bound cost, the workload's size): the CSV writes them after every other column, so that a consumer reading the columns
     * by position keeps them. A name another command's rows had already (pack's lower bound) keeps that column.
     */
    private static final Map<String, Set<String>> ADDED_FIGURES = Map.of(
            "recommend", Set.of("lower bound", "bound $/month", "mixed pools bound $/month", "mixed pools gap to bound %", "workload pods",
                    "workload CPU", "workload GiB"),
            "pack", Set.of("bound $/month", "workload pods", "workload CPU", "workload GiB"));

    /**
     * One row per run: scenario, command, status, every varied option, the seed the run got (the
     * varied column when seed is varied), every figure (blank where a command has none), error, elapsedMillis, then the
     * figures added later ({@link #ADDED_FIGURES}).
     */
    private static String csv(long seed, List<Outcome> outcomes) {
        Set<String> keys = new LinkedHashSet<>();
        Set<String> figures = new LinkedHashSet<>();
        Set<String> later = new LinkedHashSet<>();
        boolean timed = false;
        for (Outcome o : outcomes) {
            keys.addAll(o.run().scenario().vary().keySet());
            Set<String> added = ADDED_FIGURES.getOrDefault(o.run().scenario().command(), Set.of());
            o.figures().keySet().forEach(f -> (added.contains(f) ? later : figures).add(f));
            timed |= o.elapsedNanos() >= 0;
        }
        later.removeAll(figures); // a column another command's rows have already (pack's lower bound): recommend's fill it
        keys.add("seed"); // a row is reproducible from the file alone; a varied seed keeps its own place
        List<TextTable.Column> cols = new ArrayList<>(List.of(TextTable.Column.left("scenario"), TextTable.Column.left("command"),
                TextTable.Column.left("run"), TextTable.Column.left("status"), TextTable.Column.left("exitCode")));
        keys.forEach(k -> cols.add(TextTable.Column.left(varyColumn(k, figures))));
        figures.forEach(f -> cols.add(TextTable.Column.left(f)));
        cols.add(TextTable.Column.left("error"));
        if (timed) {
            cols.add(TextTable.Column.left("elapsedMillis"));
        }
        later.forEach(f -> cols.add(TextTable.Column.left(f)));
        List<List<String>> rows = new ArrayList<>();
        for (Outcome o : outcomes) {
            List<String> row = new ArrayList<>(List.of(o.run().scenario().name(), o.run().scenario().command(),
                    Integer.toString(o.run().index()), o.status(), Integer.toString(o.exitCode())));
            keys.forEach(k -> row.add(k.equals("seed") ? o.run().seed(seed) : o.run().varied().getOrDefault(k, "")));
            Map<String, Object> f = o.figures();
            figures.forEach(name -> row.add(csvNumber(f.get(name))));
            row.add(o.reasons() == null ? "" : o.reasons());
            if (timed) {
                row.add(o.elapsedNanos() < 0 ? "" : String.format(Locale.ROOT, "%.1f", o.elapsedNanos() / 1e6));
            }
            later.forEach(name -> row.add(csvNumber(f.get(name))));
            rows.add(row);
        }
        return new TextTable(cols, rows).renderCsv();
    }

    /**
     * A figure in CSV exactly as the JSON rows carry it (the run's report rounds it, to 4 decimals
     * for money), in plain notation; empty for none. It was trimmed to 3 decimals, so the CSV and
     * the JSON of one sweep disagreed (493.122 against 493.1221).
     */
    private static String csvNumber(Object v) {
        if (v == null || CompareReport.NEVER.equals(v)) {
            return ""; // never: see machineFigure
        }
        if (v instanceof Double || v instanceof Float) {
            return java.math.BigDecimal.valueOf(((Number) v).doubleValue()).stripTrailingZeros().toPlainString();
        }
        return v instanceof java.math.BigDecimal b ? b.toPlainString() : v.toString();
    }

    private static String json(String file, long seed, List<Outcome> outcomes) {
        ObjectNode root = JsonTrees.reportRoot("sweep");
        root.put("scenarios", file);
        root.put("seed", seed);
        root.put("runs", outcomes.size());
        root.put("failed", outcomes.stream().filter(o -> !o.ok()).count());
        ArrayNode rows = root.putArray("rows");
        for (Outcome o : outcomes) {
            ObjectNode r = rows.addObject();
            r.put("scenario", o.run().scenario().name());
            r.put("command", o.run().scenario().command());
            r.put("run", o.run().index());
            putVaried(r.putObject("vary"), o.run().varied());
            // the seed the run got (parsed as the command parses it before anything ran)
            r.put("seed", Long.parseLong(o.run().seed(seed)));
            r.put("status", o.status());
            r.put("exitCode", o.exitCode());
            // null in an ok row, so that every row has every field the README lists; the reasons where no pod fits
            r.put("error", o.reasons());
            ObjectNode figures = r.putObject("figures");
            o.figures().forEach((k, v) -> figures.set(k, JsonTrees.MAPPER.valueToTree(machineFigure(v))));
            if (o.elapsedNanos() >= 0) {
                r.put("elapsedMillis", Math.round(o.elapsedNanos() / 1e5) / 10.0);
            } else {
                r.putNull("elapsedMillis");
            }
        }
        ArrayNode summary = root.putArray("summary");
        for (Scenario s : scenarios(outcomes)) {
            Summary sum = Summary.of(of(outcomes, s));
            ObjectNode r = summary.addObject();
            r.put("scenario", s.name());
            r.put("command", s.command());
            r.put("runs", sum.runs);
            r.put("failed", sum.failed);
            r.put("costFigure", sum.figure);
            if (sum.min == null) {
                r.putNull("min");
                r.putNull("max");
                r.putNull("cheapest");
            } else {
                r.put("min", sum.min);
                r.put("max", sum.max);
                if (sizing(s).isEmpty()) {
                    putVaried(r.putObject("cheapest"), options(sum.cheapest));
                    if (sum.waits != null) {
                        r.put("cheapestNote", sum.waits);
                    }
                } else {
                    // Runs of another workload (growth…) are not each other's alternatives: the cheapest per workload.
                    r.putNull("cheapest");
                    ArrayNode per = r.putArray("cheapestPerWorkload");
                    for (Summary w : perWorkload(s, of(outcomes, s)).values()) {
                        if (w.cheapest != null) {
                            ObjectNode e = per.addObject();
                            putVaried(e, options(w.cheapest));
                            if (w.waits != null) {
                                e.put("cheapestNote", w.waits);
                            }
                        }
                    }
                }
            }
        }
        return JsonTrees.write(root);
    }

    /**
     * A figure as the machine-readable outputs carry it: a pending percentile that falls among pods deleted while pending,
     * {@link CompareReport#NEVER} in the tables, is null in JSON and an empty cell in CSV, so that the column stays numeric
     * for pandas or a spreadsheet (QA 64a F29: "never" beside numbers turned the column into text). The row's
     * {@code deleted while pending} figure, above 0 there, says why: a null percentile in an ok replay row with pods
     * deleted while pending is "never".
     */
    private static Object machineFigure(Object v) {
        return CompareReport.NEVER.equals(v) ? null : v;
    }

    /**
     * Varied values as JSON: a number where the value is a plain decimal number (1, 1.5, -2; as ranges write them), so that
     * {@code vary.seed} is a number as the row's {@code seed} is (QA 64a F29: {"max-nodes": "4", "seed": "1"}); any other as
     * its text, a whole number with a leading zero (007) too, which may be an option's text.
     */
    private static void putVaried(ObjectNode into, Map<String, String> varied) {
        varied.forEach((k, v) -> {
            if (v.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?")) {
                into.put(k, new java.math.BigDecimal(v));
            } else {
                into.put(k, v);
            }
        });
    }
}
