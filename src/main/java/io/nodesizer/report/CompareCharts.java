package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The charts of {@code compare}'s HTML report: the money figures side by side, one bar per run, and each later run's
 * change against the first in per cent, figure by figure, as the table's Δ columns (a figure that is itself a
 * percentage, a gap or a saving, changes in points there and is left out here; so is one whose first value is 0).
 */
final class CompareCharts {
    private CompareCharts() {
    }

    static String of(List<CompareReport.Run> runs, List<CompareReport.Row> rows) {
        return cost(runs, rows) + change(runs, rows);
    }

    private static String cost(List<CompareReport.Run> runs, List<CompareReport.Row> rows) {
        List<CompareReport.Row> money = new ArrayList<>();
        for (CompareReport.Row row : rows) {
            if (CompareReport.isMoney(row.metric()) && row.values().stream().anyMatch(v -> v instanceof Number)) {
                money.add(row);
            }
        }
        if (money.isEmpty()) {
            return "";
        }
        ObjectNode config = ChartJs.config("bar");
        ArrayNode labels = ChartJs.labels(config);
        money.forEach(row -> labels.add(row.metric()));
        for (int i = 0; i < runs.size(); i++) {
            ArrayNode data = ChartJs.dataset(config, runs.get(i).label(), color(i)).put("maxBarThickness", 80).putArray("data");
            for (CompareReport.Row row : money) {
                add(data, row.values().get(i) instanceof Number n ? n.doubleValue() : null);
            }
        }
        ChartJs.axis(config, "x", "category", null, null);
        ChartJs.axis(config, "y", "linear", "$", "money").put("beginAtZero", true);
        return ChartJs.element("compare-cost", "each run's cost figures side by side", 300, config);
    }

    private static String change(List<CompareReport.Run> runs, List<CompareReport.Row> rows) {
        if (runs.size() < 2) {
            return "";
        }
        List<CompareReport.Row> changed = new ArrayList<>();
        for (CompareReport.Row row : rows) {
            if (!row.metric().endsWith("%") && row.values().get(0) instanceof Number base && base.doubleValue() != 0
                    && row.values().stream().skip(1).anyMatch(v -> v instanceof Number)) {
                changed.add(row);
            }
        }
        if (changed.isEmpty()) {
            return "";
        }
        ObjectNode config = ChartJs.config("bar");
        ((ObjectNode) config.get("options")).put("indexAxis", "y");
        ArrayNode labels = ChartJs.labels(config);
        changed.forEach(row -> labels.add(row.metric()));
        for (int i = 1; i < runs.size(); i++) {
            ArrayNode data = ChartJs.dataset(config, runs.get(i).label() + " against " + runs.get(0).label(), color(i)).putArray("data");
            for (CompareReport.Row row : changed) {
                double base = ((Number) row.values().get(0)).doubleValue();
                add(data, row.values().get(i) instanceof Number n ? 100 * (n.doubleValue() - base) / base : null);
            }
        }
        ChartJs.axis(config, "x", "linear", "change against " + runs.get(0).label(), "change");
        ChartJs.axis(config, "y", "category", null, null).putObject("ticks").put("autoSkip", false); // every figure named
        return ChartJs.element("compare-change", "each later run's change against the first, per figure",
                90 + 22 * changed.size() * (runs.size() - 1), config);
    }

    /** Run i's colour, the same in both charts. */
    private static String color(int i) {
        return ChartJs.PALETTE[i % ChartJs.PALETTE.length];
    }

    private static void add(ArrayNode data, Double v) {
        if (v == null) {
            data.add(NullNode.instance);
        } else {
            data.add(ChartJs.round(v));
        }
    }
}
