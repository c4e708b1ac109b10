package io.nodesizer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Charts of the HTML report, drawn by <a href="https://www.chartjs.org">Chart.js</a> 4 (MIT).
 * Its UMD bundle comes from the {@code org.webjars.npm:chart.js} jar and is inlined into the page,
 * so a report stays one file that opens without a network. A chart is a canvas plus its Chart.js
 * configuration as JSON data; {@code charts.js} (ours) builds each one and attaches what JSON
 * cannot carry (tick formatters named by {@code nsFormat}, tooltips, the schedule bands).
 * Animations are off: a chart is drawn once, as the screenshot and a printout show it.
 */
final class ChartJs {
    static final String VERSION = "4.4.1";
    private static final String LIBRARY = "/META-INF/resources/webjars/chart.js/" + VERSION + "/dist/chart.umd.js";
    /** MIT asks for its notice in every copy: each report that inlines the bundle carries it. */
    private static final String LICENSE = "/META-INF/resources/webjars/chart.js/" + VERSION + "/LICENSE.md";
    private static final String BOOTSTRAP = "charts.js";

    /** Colours by role, the same in every report. */
    static final String BLUE = "#3b7dd8";
    static final String ORANGE = "#e39b2d";
    static final String GREEN = "#7fb069";
    static final String PURPLE = "#8c5fbf";
    static final String RED = "#c94c4c";
    static final String GREY = "#7f8c99";
    static final String TEAL = "#2a9d8f";
    static final String[] PALETTE = {BLUE, ORANGE, GREEN, PURPLE, RED, TEAL, GREY, "#b5651d", "#d45d9c", "#4f6d7a"};

    private ChartJs() {
    }

    /** The page's scripts: the library, then ours that builds every chart on it. */
    static String scripts() {
        return "<script>\n/*! Chart.js " + VERSION + " licence:\n" + Holder.LICENSE_TEXT.replace("*/", "* /") + "\n*/\n" + Holder.LIBRARY_TEXT
                + "\n</script>\n<script>\n" + Holder.BOOTSTRAP_TEXT + "</script>\n";
    }

    /**
     * A chart's element: a canvas of {@code height} pixels (the page's width) and its configuration.
     * {@code id} must be unique on the page; the built chart is {@code window.nodesizerCharts[id]}.
     */
    static String element(String id, String description, int height, ObjectNode config) {
        String json;
        try {
            json = JsonTrees.MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // No "<" or ">" in a script element's text: "</script>" would end it early, and "<!--<script>"
        // would keep its own "</script>" from ending it (the parser's double-escaped state), swallowing
        // the page after it. "\u003c" is the same JSON string; only strings hold these characters.
        json = json.replace("<", "\\u003c").replace(">", "\\u003e");
        return "<div class=\"chart\" style=\"position:relative;height:" + height + "px\"><canvas id=\"chart-" + id + "\" data-chart=\"" + id
                + "\" role=\"img\" aria-label=\"" + HtmlReport.escape(description) + "\"></canvas></div>\n"
                + "<script type=\"application/json\" id=\"chart-" + id + "-config\">" + json + "</script>\n";
    }

    /** A configuration of {@code type} (line, bar, scatter) with no datasets yet, legend at the bottom. */
    static ObjectNode config(String type) {
        ObjectNode c = JsonTrees.MAPPER.createObjectNode();
        c.put("type", type);
        ObjectNode data = c.putObject("data");
        data.putArray("datasets");
        ObjectNode options = c.putObject("options");
        options.put("animation", false);
        options.put("responsive", true);
        options.put("maintainAspectRatio", false);
        options.putObject("interaction").put("mode", "nearest").put("intersect", false);
        options.putObject("plugins").putObject("legend").put("position", "bottom");
        options.putObject("scales");
        return c;
    }

    /** Category labels (bar charts). */
    static ArrayNode labels(ObjectNode config) {
        return ((ObjectNode) config.get("data")).putArray("labels");
    }

    /** A new dataset drawn in {@code color}; the caller adds its {@code data}. */
    static ObjectNode dataset(ObjectNode config, String label, String color) {
        ObjectNode d = ((ArrayNode) config.get("data").get("datasets")).addObject();
        d.put("label", label);
        d.put("borderColor", color);
        d.put("backgroundColor", color);
        return d;
    }

    /**
     * An axis: {@code type} linear, logarithmic or category; {@code format} one of charts.js's
     * formatters (duration, weektime, money, percent, number) or null.
     */
    static ObjectNode axis(ObjectNode config, String id, String type, String title, String format) {
        ObjectNode a = ((ObjectNode) config.get("options").get("scales")).putObject(id);
        a.put("type", type);
        if (title != null) {
            a.putObject("title").put("display", true).put("text", title);
        }
        if (format != null) {
            a.put("nsFormat", format);
        }
        return a;
    }

    /** Ticks on whole numbers only on {@code config}'s axis {@code id}: counts of nodes or pods (QA 65b F7: "0.5 pending pods"). */
    static void wholeTicks(ObjectNode config, String id) {
        ObjectNode axis = (ObjectNode) config.get("options").get("scales").get(id);
        (axis.get("ticks") instanceof ObjectNode t ? t : axis.putObject("ticks")).put("precision", 0);
    }

    /** A point {x, y}, rounded to keep pages small (values are for the eye; tables carry the exact ones). */
    static ObjectNode point(ArrayNode data, double x, double y) {
        ObjectNode p = data.addObject();
        p.put("x", round(x));
        p.put("y", round(y));
        return p;
    }

    /** Four significant digits after the point at most; integers stay integers. */
    static double round(double v) {
        if (!Double.isFinite(v)) {
            return 0;
        }
        return Math.round(v * 10000.0) / 10000.0;
    }

    /** Loaded on first use only: most runs write no HTML. */
    private static final class Holder {
        static final String LIBRARY_TEXT = read(ChartJs.class.getResourceAsStream(LIBRARY), LIBRARY);
        static final String LICENSE_TEXT = read(ChartJs.class.getResourceAsStream(LICENSE), LICENSE);
        static final String BOOTSTRAP_TEXT = read(ChartJs.class.getResourceAsStream(BOOTSTRAP), BOOTSTRAP);

        private static String read(InputStream in, String name) {
            if (in == null) {
                throw new IllegalStateException("this nodesizer build lacks " + name + " (the Chart.js webjar must be on the class path)");
            }
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
