package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.scenario.Scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The charts of a sweep's HTML report, per scenario: its cost figure across the runs (the summary's), and a replay's
 * pending p95 and maximum. Against a varied number (growth, max-nodes) as lines, one per combination of the other
 * varied values; against anything else (shapes, autoscalers, seeds) as one bar per run. The runs that leave more pods
 * out than the scenario's fewest (where it varies the workload, a larger share: {@link Marks}) are drawn apart in red,
 * on the pending chart too: they are cheap for running fewer pods, and the summary passes them over.
 */
final class SweepCharts {
    /** Lines drawn at most; a scenario whose other varied values make more draws one bar per run instead. */
    static final int MAX_LINES = ChartJs.PALETTE.length;

    /** The border, in pixels, of the bars of runs leaving more pods out when a run has several bars. */
    private static final int MARK_WIDTH = 3;

    /** A varied value read as a number on the x axis: decimal notation with an optional exponent ("1.5", "10", "2e3"), no units. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    /** The figures a run's point is named by in a tooltip, the first one present: the shape it chose, or the plan. */
    private static final List<String> NAMES = List.of("best shape", "shape", "shapes", "after shape", "recommended");

    /** One series of a chart: its label and how a run's value is read (null when the run has none). */
    private record Series(String label, Function<SweepReport.Outcome, Object> figure) {
        Double of(SweepReport.Outcome o) {
            // A run where no pod fits has no point: its $0 prices nothing (listed under the table instead).
            return o.ok() && !o.noPodFits() && figure.apply(o) instanceof Number n ? n.doubleValue() : null;
        }
    }

    private SweepCharts() {
    }

    /**
     * The scenario's charts: none where fewer than two of its runs have the figures, or every value is 0.
     *
     * @param index the scenario's place in the sweep, from 1 (chart ids are unique on the page)
     * @param costTitle the summary's name of its cost figure
     */
    static String of(int index, Scenario s, List<SweepReport.Outcome> runs, String costTitle) {
        java.util.function.Function<SweepReport.Outcome, String> figureOf = SweepReport.figureOf(runs);
        StringBuilder sb = new StringBuilder();
        sb.append(chart("sweep-" + index + "-cost", s, runs, List.of(new Series(costTitle, o -> o.figures().get(figureOf.apply(o)))),
                costTitle, "money"));
        if (s.command().equals("replay")) {
            sb.append(chart("sweep-" + index + "-pending", s, runs, List.of(new Series("pending p95", o -> o.figures().get("pending p95 s")),
                    new Series("pending max", o -> o.figures().get("pending max s"))), "how long pods waited", "duration"));
        }
        return sb.toString();
    }

    private static String chart(String id, Scenario s, List<SweepReport.Outcome> runs, List<Series> series, String title, String format) {
        List<SweepReport.Outcome> drawn = new ArrayList<>();
        boolean nonZero = false;
        for (SweepReport.Outcome o : runs) {
            // A run with any figure known is drawn: one whose p95 is "never" still has its max, the longest wait of all
            // (QA 67c F4: the runs with the worst waits were left off the pending chart).
            if (series.stream().anyMatch(f -> f.of(o) != null)) {
                drawn.add(o);
                nonZero |= series.stream().anyMatch(f -> f.of(o) != null && f.of(o) != 0);
            }
        }
        // A run whose figure is "never" (pods deleted while pending reach its 95th percentile) has no point to draw: said below.
        List<String> never = new ArrayList<>();
        for (SweepReport.Outcome o : runs) {
            if (o.ok() && series.stream().anyMatch(f -> CompareReport.NEVER.equals(f.figure().apply(o)))) {
                never.add(label(o));
            }
        }
        String note = never.isEmpty() ? "" : "<p>" + HtmlReport.escape("No point for their pending percentile, which is never (pods deleted "
                + "while pending reach it: they never started); their longest wait is drawn: " + String.join("; ", never) + ".") + "</p>\n";
        if (drawn.size() < 2 || !nonZero) {
            return note;
        }
        Marks more = Marks.of(s, drawn);
        String x = numericKey(s, drawn);
        Map<String, List<SweepReport.Outcome>> lines = new LinkedHashMap<>();
        if (x != null) {
            for (SweepReport.Outcome o : drawn) {
                lines.computeIfAbsent(others(o, x), k -> new ArrayList<>()).add(o);
            }
        }
        String description = title + " of each run of " + s.name();
        if (x != null && lines.size() * series.size() <= MAX_LINES) {
            return ChartJs.element(id, description + " against " + x, 320, lines(lines, x, series, title, format, more)) + note;
        }
        return ChartJs.element(id, description, 320, bars(drawn, series, title, format, more)) + note;
    }

    /** The first varied option other than seed whose values are all numbers, at least two of them; null when none is. */
    private static String numericKey(Scenario s, List<SweepReport.Outcome> runs) {
        for (String key : s.vary().keySet()) {
            if (key.equals("seed")) {
                continue; // a seed is a draw, not a quantity: a line through seeds 1..4 would read as a trend
            }
            java.util.Set<Double> values = new java.util.HashSet<>();
            boolean numeric = true;
            for (SweepReport.Outcome o : runs) {
                String v = o.run().varied().get(key);
                if (v == null || !NUMBER.matcher(v).matches()) {
                    numeric = false;
                    break;
                }
                values.add(Double.parseDouble(v));
            }
            if (numeric && values.size() >= 2) {
                return key;
            }
        }
        return null;
    }

    /** The run's varied values other than {@code x}, as its line's label ("autoscaler=ca, seed=2"); empty for none. */
    private static String others(SweepReport.Outcome o, String x) {
        StringBuilder sb = new StringBuilder();
        o.run().varied().forEach((k, v) -> {
            if (!k.equals(x)) {
                sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }

    private static ObjectNode lines(Map<String, List<SweepReport.Outcome>> lines, String x, List<Series> series, String title, String format,
                                    Marks more) {
        ObjectNode config = ChartJs.config("line");
        int k = 0;
        for (Map.Entry<String, List<SweepReport.Outcome>> line : lines.entrySet()) {
            String color = ChartJs.PALETTE[k++ % ChartJs.PALETTE.length];
            List<SweepReport.Outcome> sorted = new ArrayList<>(line.getValue());
            sorted.sort(Comparator.comparingDouble(o -> xOf(o, x)));
            for (int f = 0; f < series.size(); f++) {
                Series one = series.get(f);
                String label = line.getKey().isEmpty() ? one.label() : series.size() == 1 ? line.getKey() : line.getKey() + ": " + one.label();
                ObjectNode d = ChartJs.dataset(config, label, color);
                d.put("fill", false);
                d.put("pointRadius", 3);
                if (f > 0) {
                    // The second figure of a line (pending max beside p95) dashed, its points and legend box hollow: a
                    // legend box is filled with the dataset's background, so a dash alone left the two boxes alike.
                    d.putArray("borderDash").add(6).add(4);
                    d.put("backgroundColor", "#ffffff");
                }
                ArrayNode data = d.putArray("data");
                for (SweepReport.Outcome o : sorted) {
                    if (one.of(o) != null) {
                        named(ChartJs.point(data, xOf(o, x), one.of(o)), o);
                    } else {
                        // A gap, not a line joining the runs on either side as if this one had a finite p95 (review 67).
                        data.addObject().put("x", ChartJs.round(xOf(o, x))).putNull("y");
                    }
                }
            }
        }
        if (!more.runs().isEmpty()) {
            ObjectNode d = ChartJs.dataset(config, more.label(), ChartJs.RED);
            d.put("showLine", false);
            d.put("pointStyle", "crossRot");
            d.put("pointRadius", 9);
            d.put("borderWidth", 2);
            ArrayNode data = d.putArray("data");
            for (SweepReport.Outcome o : more.runs()) {
                for (Series one : series) { // every figure's point of the run (pending p95 and max), not the first alone (review 60)
                    if (one.of(o) != null) {
                        ChartJs.point(data, xOf(o, x), one.of(o)).put("name", Marks.leftOut(o));
                    }
                }
            }
        }
        ObjectNode xAxis = ChartJs.axis(config, "x", "linear", x, "number");
        if (lines.values().stream().flatMap(List::stream).allMatch(o -> xOf(o, x) == Math.rint(xOf(o, x)))) {
            xAxis.putObject("ticks").put("precision", 0); // a count (max-nodes 4, 6, 8) has no tick at 4.5
        }
        ChartJs.axis(config, "y", "linear", title, format).put("beginAtZero", true);
        return config;
    }

    private static ObjectNode bars(List<SweepReport.Outcome> runs, List<Series> series, String title, String format,
                                   Marks more) {
        ObjectNode config = ChartJs.config("bar");
        ArrayNode labels = ChartJs.labels(config);
        runs.forEach(o -> labels.add(label(o)));
        if (more.runs().isEmpty() || series.size() > 1) {
            for (int f = 0; f < series.size(); f++) {
                ObjectNode d = ChartJs.dataset(config, series.get(f).label(), ChartJs.PALETTE[f]).put("maxBarThickness", 80);
                ArrayNode data = d.putArray("data");
                for (SweepReport.Outcome o : runs) {
                    Double v = series.get(f).of(o);
                    if (v == null) {
                        data.addNull(); // no bar: the p95 of a run whose pods deleted while pending reach it
                    } else {
                        data.add(ChartJs.round(v));
                    }
                }
                if (!more.runs().isEmpty()) {
                    // Several figures a run (pending p95 and max): its bars keep their colours, and those of the runs
                    // leaving more pods out get a thick red border, named by an item of the legend (charts.js's nsMarked).
                    ObjectNode marked = d.putObject("nsMarked").put("color", ChartJs.RED).put("width", MARK_WIDTH).put("label", more.label());
                    ArrayNode bars = marked.putArray("bars");
                    runs.forEach(o -> bars.add(more.runs().contains(o)));
                }
            }
            ChartJs.axis(config, "x", "category", null, null);
            ChartJs.axis(config, "y", "linear", title, format).put("beginAtZero", true);
            return config;
        }
        // One figure (the cost), its bars in two datasets: each run's slot holds its value in one and null in the other, and
        // both stack on one axis so that every bar stands in its run's place.
        ArrayNode fine = ChartJs.dataset(config, more.fine(), ChartJs.BLUE).put("maxBarThickness", 80).putArray("data");
        ArrayNode bad = ChartJs.dataset(config, more.label(), ChartJs.RED).put("maxBarThickness", 80).putArray("data");
        for (SweepReport.Outcome o : runs) {
            double v = ChartJs.round(series.get(0).of(o));
            boolean out = more.runs().contains(o);
            fine.add(out ? NullNode.instance : com.fasterxml.jackson.databind.node.DoubleNode.valueOf(v));
            bad.add(out ? com.fasterxml.jackson.databind.node.DoubleNode.valueOf(v) : NullNode.instance);
        }
        ChartJs.axis(config, "x", "category", null, null).put("stacked", true);
        ChartJs.axis(config, "y", "linear", title, format).put("stacked", true).put("beginAtZero", true);
        return config;
    }

    /** A run as a chart names it: its varied values, or "run N" in a scenario that varies nothing. */
    private static String label(SweepReport.Outcome o) {
        return o.run().varied().isEmpty() ? "run " + o.run().index() : SweepReport.varied(o);
    }

    /**
     * The runs drawn apart in red as leaving more pods out, and how the legend names them ({@code label}) and the others
     * ({@code fine}, where the bars are split in two).
     */
    private record Marks(List<SweepReport.Outcome> runs, String label, String fine) {
        /**
         * Where the scenario keeps one workload, the runs leaving more pods out than its fewest. Where it varies the workload
         * ({@link SweepReport#sizing}: growth…), a larger workload leaves more pods out in count for the same kinds of pod
         * (QA 69c F3: 42 of 75,000 openb pods at growth 0.5 were drawn red against 18 of 30,000 at 0.2, the same share):
         * then a run is marked where it leaves more out than another run of its own workload, which the summary passes
         * over, or a larger share of its pods than the least share of any run, where every run's workload size is known.
         * Shares are compared as the legend prints them, to 0.1 %: growth takes single pods by a hash of their names and
         * rounds each group up, so a grown workload's share of any kind of pod moves a little by itself, which is not a
         * run leaving more out; a run leaving any out is never at the share of one leaving none.
         */
        static Marks of(Scenario s, List<SweepReport.Outcome> drawn) {
            long fewest = drawn.stream().mapToLong(SweepReport::podsLeftOut).min().orElse(0);
            List<String> sizing = SweepReport.sizing(s);
            if (sizing.isEmpty()) {
                return new Marks(drawn.stream().filter(o -> SweepReport.podsLeftOut(o) > fewest).toList(),
                        fewest == 0 ? "leaves pods out" : "leaves more than " + Fmt.count(fewest, "pod", "pods") + " out",
                        fewest == 0 ? "places every pod" : "leaves the fewest pods out (" + Fmt.grouped(fewest) + ")");
            }
            Map<String, Long> workloadFewest = new LinkedHashMap<>();
            drawn.forEach(o -> workloadFewest.merge(SweepReport.workloadOf(o, sizing), SweepReport.podsLeftOut(o), Math::min));
            boolean shares = drawn.stream().allMatch(o -> SweepReport.podsOf(o) > 0);
            long least = shares ? drawn.stream().mapToLong(Marks::tenths).min().orElse(0) : 0;
            List<SweepReport.Outcome> more = drawn.stream().filter(o -> SweepReport.podsLeftOut(o) > workloadFewest.get(SweepReport.workloadOf(o, sizing))
                    || shares && tenths(o) > least).toList();
            String workload = "at its " + String.join(", ", sizing);
            if (shares ? least == 0 : workloadFewest.values().stream().allMatch(f -> f == 0)) {
                return new Marks(more, "leaves pods out", "places every pod");
            }
            if (!shares) {
                return new Marks(more, "leaves more pods out than another run " + workload, "leaves the fewest pods out " + workload);
            }
            return new Marks(more, "leaves more than " + share(least) + " of its pods out, or more than another run " + workload,
                    "leaves the least share of its pods out (" + share(least) + ")");
        }

        /** The run's share of pods left out in tenths of a percent, rounded half up, at least 1 where it leaves any out. */
        static long tenths(SweepReport.Outcome o) {
            long left = SweepReport.podsLeftOut(o);
            return left == 0 ? 0 : Math.max(1, Math.round(1000.0 * left / SweepReport.podsOf(o)));
        }

        private static String share(long tenths) {
            return String.format(java.util.Locale.ROOT, "%.1f %%", tenths / 10.0);
        }

        /** A marked point's name: "42 of 75,000 pods left out (0.1 %)", or "42 pods left out" where its workload's size is not known. */
        static String leftOut(SweepReport.Outcome o) {
            long left = SweepReport.podsLeftOut(o);
            long pods = SweepReport.podsOf(o);
            return pods <= 0 ? Fmt.count(left, "pod", "pods") + " left out"
                    : Fmt.grouped(left) + " of " + Fmt.count(pods, "pod", "pods") + " left out (" + share(tenths(o)) + ")";
        }
    }

    private static double xOf(SweepReport.Outcome o, String x) {
        return Double.parseDouble(o.run().varied().get(x));
    }

    /** A point named by the run's shape or plan, shown in its tooltip. */
    private static void named(ObjectNode point, SweepReport.Outcome o) {
        Map<String, Object> figures = o.figures();
        for (String name : NAMES) {
            if (figures.get(name) instanceof String text && !text.isEmpty()) {
                point.put("name", text);
                return;
            }
        }
    }
}
