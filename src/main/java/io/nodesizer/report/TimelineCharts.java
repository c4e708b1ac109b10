package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.replay.ReplayResult;
import io.nodesizer.replay.TimelinePoint;
import io.nodesizer.replay.autoscale.Schedule;

import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Charts over a replay's time: step lines (a value holds until the next point) with x in seconds
 * since the run's start, labelled in the local time of the run's clock (charts.js). Long runs are
 * cut into at most {@link #MAX_POINTS} time buckets and each bucket shows its largest value, so
 * peaks (the nodes the bill pays for, the pending pods an SLO cares about) survive the thinning.
 */
final class TimelineCharts {
    static final int MAX_POINTS = 1500;
    /** More scale-up or scale-down markers than this are thinned to one per bucket. */
    static final int MAX_MARKERS = 400;

    private TimelineCharts() {
    }

    /** Tick steps a reader counts in: minutes, hours, days. */
    private static final long[] STEPS = {60, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400};

    /**
     * A new step-line chart over {@code [0, horizon]} seconds from {@code origin}, its time axis in the local weekday, time
     * and date of {@code clock}; ticks on whole steps.
     */
    static ObjectNode config(Instant origin, io.nodesizer.replay.autoscale.WeekClock clock, long horizon, String yTitle, String yFormat) {
        ObjectNode config = ChartJs.config("line");
        // Labels in the zone's local time: the start's second of the week, and each daylight-saving change within the run
        // as the seconds since the start from which the labels move by its difference to the start's offset.
        // nsMonday, the epoch day of the start week's local Monday, gives the dates: a run longer than a week repeats its weekdays.
        ObjectNode x = ChartJs.axis(config, "x", "linear", "time (" + clock + ")", "weektime").put("nsOffset", clock.secondOfWeek(origin))
                .put("nsMonday", clock.mondayOf(origin).atZone(clock.zone()).toLocalDate().toEpochDay());
        com.fasterxml.jackson.databind.node.ArrayNode shifts = null;
        int startOffset = clock.offsetSeconds(origin);
        for (Instant t = clock.nextTransition(origin); t != null && t.getEpochSecond() - origin.getEpochSecond() <= horizon;
             t = clock.nextTransition(t)) {
            shifts = shifts == null ? x.putArray("nsShifts") : shifts;
            shifts.addObject().put("at", t.getEpochSecond() - origin.getEpochSecond()).put("delta", clock.offsetSeconds(t) - startOffset);
        }
        x.put("min", 0).put("max", Math.max(1, horizon));
        long step = STEPS[STEPS.length - 1];
        for (long s : STEPS) {
            if (horizon / s <= 12) {
                step = s;
                break;
            }
        }
        x.putObject("ticks").put("stepSize", step);
        ChartJs.axis(config, "y", "linear", yTitle, yFormat).put("beginAtZero", true);
        return config;
    }

    /** A step line of {@code value} over {@code timeline}, thinned to at most {@link #MAX_POINTS}. */
    static ObjectNode line(ObjectNode config, String label, String color, List<TimelinePoint> timeline, ToDoubleFunction<TimelinePoint> value) {
        ObjectNode d = ChartJs.dataset(config, label, color);
        d.put("stepped", "after");
        d.put("pointRadius", 0);
        d.put("borderWidth", 1.5);
        d.put("fill", false);
        ArrayNode data = d.putArray("data");
        if (timeline.isEmpty()) {
            return d;
        }
        long t0 = timeline.get(0).t();
        double width = bucketWidth(timeline, MAX_POINTS);
        long bucket = -1;
        long bucketStart = 0;
        double max = 0;
        for (TimelinePoint p : timeline) {
            long b = timeline.size() <= MAX_POINTS ? bucket + 1 : (long) ((p.t() - t0) / width);
            if (b != bucket) {
                if (bucket >= 0) {
                    ChartJs.point(data, bucketStart, max);
                }
                bucket = b;
                bucketStart = p.t();
                max = value.applyAsDouble(p);
            } else {
                max = Math.max(max, value.applyAsDouble(p));
            }
        }
        ChartJs.point(data, bucketStart, max);
        return d;
    }

    /** Seconds per bucket when the run's span is cut into {@code buckets} (at least 1). */
    private static double bucketWidth(List<TimelinePoint> timeline, int buckets) {
        return Math.max(1.0, (double) (timeline.get(timeline.size() - 1).t() - timeline.get(0).t() + 1) / buckets);
    }

    /**
     * Triangles where the billed node count rises (scale-ups, pointing up) or falls (scale-downs,
     * pointing down), at the new count: the count as the chart draws it, each sample's peak until the next. Two datasets, added only when the run has such changes.
     */
    static void scaleMarkers(ObjectNode config, List<TimelinePoint> timeline) {
        marker(config, "scale-up", ChartJs.GREEN, 0, timeline, +1);
        marker(config, "scale-down", ChartJs.RED, 180, timeline, -1);
    }

    private static void marker(ObjectNode config, String label, String color, int rotation, List<TimelinePoint> timeline, int sign) {
        int count = 0;
        for (int i = 1; i < timeline.size(); i++) {
            if (Integer.signum(timeline.get(i).peakNodes() - timeline.get(i - 1).peakNodes()) == sign) {
                count++;
            }
        }
        if (count == 0) {
            return;
        }
        ObjectNode d = ChartJs.dataset(config, label, color);
        d.put("showLine", false);
        d.put("pointStyle", "triangle");
        d.put("pointRotation", rotation);
        d.put("pointRadius", 5);
        ArrayNode data = d.putArray("data");
        long t0 = timeline.get(0).t();
        double width = bucketWidth(timeline, MAX_MARKERS);
        long lastBucket = -1;
        for (int i = 1; i < timeline.size(); i++) {
            TimelinePoint p = timeline.get(i);
            if (Integer.signum(p.peakNodes() - timeline.get(i - 1).peakNodes()) != sign) {
                continue;
            }
            long b = (long) ((p.t() - t0) / width);
            if (count > MAX_MARKERS && b == lastBucket) {
                continue;
            }
            lastBucket = b;
            // A step may add or remove several nodes: the tooltip says how many, as the ranking's ups and downs count
            // nodes, not steps (QA 67c F14: 7 triangles beside 18 ups).
            int delta = Math.abs(p.peakNodes() - timeline.get(i - 1).peakNodes());
            ChartJs.point(data, p.t(), p.peakNodes()).put("name", (sign > 0 ? "+" : "−") + delta + (delta == 1 ? " node, to" : " nodes, to"));
        }
    }

    /**
     * Nodes (billed, ready) and pending pods of one run, with its scale-ups and scale-downs marked; time in {@code clock}'s
     * local time from the run's start, as windows' charts have it.
     */
    static String nodes(String id, ReplayResult r, io.nodesizer.replay.autoscale.WeekClock clock) {
        ObjectNode config = config(r.origin(), clock, r.horizonSeconds(), "nodes", "number");
        // Billed nodes and pending pods at their peaks between samples: the run's peak shows even when it lasted less than
        // a sample step. Ready nodes are the samples' (they never exceed the billed).
        line(config, "billed nodes", ChartJs.BLUE, r.timeline(), TimelinePoint::peakNodes);
        // Teal, not the scale-up markers' green: the legend told them apart by shape alone (QA 65b F7).
        line(config, "ready nodes", ChartJs.TEAL, r.timeline(), TimelinePoint::readyNodes);
        line(config, "pending pods", ChartJs.RED, r.timeline(), TimelinePoint::peakPendingPods).put("yAxisID", "pending");
        ChartJs.axis(config, "pending", "linear", "pending pods", "number").put("position", "right").put("beginAtZero", true)
                .putObject("grid").put("drawOnChartArea", false);
        ChartJs.wholeTicks(config, "y");
        ChartJs.wholeTicks(config, "pending");
        scaleMarkers(config, r.timeline());
        return ChartJs.element(id, "nodes and pending pods over time", 320, config);
    }

    /** Requested vs allocatable of one resource over one run. */
    static String requests(String id, ReplayResult r, io.nodesizer.replay.autoscale.WeekClock clock, String unit,
                           ToDoubleFunction<TimelinePoint> requested, ToDoubleFunction<TimelinePoint> allocatable) {
        ObjectNode config = config(r.origin(), clock, r.horizonSeconds(), unit, "number");
        line(config, "allocatable", ChartJs.BLUE, r.timeline(), allocatable);
        line(config, "requested", ChartJs.ORANGE, r.timeline(), requested);
        return ChartJs.element(id, unit + " requested vs allocatable over time", 260, config);
    }

    /**
     * The schedule's windows as bands over {@code [0, horizon)} seconds from {@code origin}, each
     * labelled with its limits; at most 500 bands (a week of hourly windows is 168).
     */
    static ArrayNode bands(ObjectNode config, Schedule schedule, Instant origin, io.nodesizer.replay.autoscale.WeekClock clock, long horizon) {
        ObjectNode plugin = ((ObjectNode) config.get("options").get("plugins")).putObject("nsBands");
        ArrayNode bands = plugin.putArray("bands");
        io.nodesizer.replay.autoscale.ScheduleEdges edges = new io.nodesizer.replay.autoscale.ScheduleEdges(schedule, clock);
        long t = 0;
        while (t < horizon && bands.size() < 500) {
            Instant at = origin.plusSeconds(t);
            long next = Math.min(horizon, t + edges.secondsToNext(at));
            boolean[] inForce = schedule.inForce(at, clock);
            Integer min = null;
            Integer max = null;
            boolean covered = false;
            for (int i = 0; i < inForce.length; i++) { // later windows win, field by field, as in Schedule.limitsAt
                Schedule.Window w = schedule.windows().get(i);
                if (inForce[i]) {
                    covered = true;
                    min = w.min() != null ? w.min() : min;
                    max = w.max() != null ? w.max() : max;
                }
            }
            if (covered) {
                String label = (min == null ? "" : "min " + min) + (min != null && max != null ? " " : "") + (max == null ? "" : "max " + max);
                ObjectNode last = bands.isEmpty() ? null : (ObjectNode) bands.get(bands.size() - 1);
                if (last != null && last.get("to").asLong() == t && last.get("label").asText().equals(label)) {
                    last.put("to", next); // the same limits on both sides of an edge: one band
                } else {
                    ObjectNode band = bands.addObject();
                    band.put("from", t);
                    band.put("to", next);
                    band.put("label", label);
                }
            }
            t = next;
        }
        return bands;
    }
}
