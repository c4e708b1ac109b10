package io.nodesizer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.TimelinePoint;
import io.nodesizer.replay.autoscale.Schedule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;

/** The chart configurations the HTML report writes (what the browser test then sees drawn). */
final class ChartSpecsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONFIG = Pattern.compile("<script type=\"application/json\" id=\"chart-([^\"]+)-config\">(.*?)</script>", Pattern.DOTALL);

    private static JsonNode config(String element) throws Exception {
        Matcher m = CONFIG.matcher(element);
        assertThat(m.find()).isTrue();
        return JSON.readTree(m.group(2));
    }

    private static TimelinePoint at(long t, int nodes, int pending) {
        return new TimelinePoint(t, nodes, nodes, pending, 0, 0, 0, 0);
    }

    @Test
    void aLongTimelineIsThinnedToItsBucketMaximaSoPeaksSurvive() {
        List<TimelinePoint> timeline = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            timeline.add(at(i * 6L, 10, i == 54_321 ? 999 : 0)); // one short burst of pending pods
        }
        ObjectNode config = TimelineCharts.config(Instant.EPOCH, io.nodesizer.replay.autoscale.WeekClock.UTC, 600_000, "pods", "number");
        JsonNode data = TimelineCharts.line(config, "pending", ChartJs.RED, timeline, TimelinePoint::pendingPods).get("data");
        assertThat(data.size()).isLessThanOrEqualTo(TimelineCharts.MAX_POINTS).isGreaterThan(TimelineCharts.MAX_POINTS / 2);
        double max = 0;
        long previous = -1;
        for (JsonNode p : data) {
            max = Math.max(max, p.get("y").asDouble());
            assertThat(p.get("x").asLong()).isGreaterThan(previous);
            previous = p.get("x").asLong();
        }
        assertThat(max).isEqualTo(999);
    }

    @Test
    void aShortTimelineKeepsEveryPointAndScaleMarkersFollowTheNodeCount() {
        List<TimelinePoint> timeline = List.of(at(0, 2, 0), at(60, 4, 3), at(120, 4, 0), at(180, 3, 0), at(240, 5, 0));
        ObjectNode config = TimelineCharts.config(Instant.EPOCH, io.nodesizer.replay.autoscale.WeekClock.UTC, 300, "nodes", "number");
        assertThat(TimelineCharts.line(config, "nodes", ChartJs.BLUE, timeline, TimelinePoint::nodes).get("data")).hasSize(5);
        TimelineCharts.scaleMarkers(config, timeline);
        JsonNode datasets = config.get("data").get("datasets");
        assertThat(datasets.get(1).get("label").asText()).isEqualTo("scale-up");
        // each step says how many nodes it added (QA 67c F14: the ranking's ups count nodes)
        assertThat(datasets.get(1).get("data").toString()).isEqualTo("[{\"x\":60.0,\"y\":4.0,\"name\":\"+2 nodes, to\"},"
                + "{\"x\":240.0,\"y\":5.0,\"name\":\"+2 nodes, to\"}]");
        assertThat(datasets.get(2).get("label").asText()).isEqualTo("scale-down");
        assertThat(datasets.get(2).get("data").toString()).isEqualTo("[{\"x\":180.0,\"y\":3.0,\"name\":\"−1 node, to\"}]");
        assertThat(config.get("options").get("scales").get("x").get("ticks").get("stepSize").asLong()).isEqualTo(60);
    }

    /**
     * The replay chart draws each sample's peaks: a pod that finds no room at 10 s and leaves at 40 s was pending between
     * the samples at 0 and 60 only; the "pending pods" line shows it, the samples do not (review 46 F4: a test that
     * picked the accessor itself could not tell the chart's).
     */
    @Test
    void theReplayChartShowsPendingPodsBetweenSamples() throws Exception {
        var b = new io.nodesizer.replay.PodStream.Builder(DemandTable.of(Workload.of(List.of(group("full", 4000, GIB, 1),
                group("brief", 1000, GIB, 1)))), io.nodesizer.replay.demand.TimePoints.DEFAULT_ORIGIN, 300);
        b.add(0, 0, 0, io.nodesizer.replay.PodStream.STAYS);
        b.add(1, 0, 10, 40);
        var pools = List.of(io.nodesizer.replay.Pool.of(0, io.nodesizer.testkit.Fixtures.priced("four", 4000, 16 * GIB, 0, 1.0), Resources.ZERO));
        var r = io.nodesizer.replay.Replay.run(b.build(), pools, new io.nodesizer.replay.autoscale.FixedCount(1),
                io.nodesizer.replay.Replay.Settings.defaults(io.nodesizer.replay.ProvisionDelay.fixed(0), 1));
        assertThat(r.timeline()).allSatisfy(p -> assertThat(p.pendingPods()).isZero());
        JsonNode datasets = config(TimelineCharts.nodes("n", r, io.nodesizer.replay.autoscale.WeekClock.UTC)).get("data").get("datasets");
        JsonNode pending = null;
        for (JsonNode d : datasets) {
            if (d.get("label").asText().equals("pending pods")) {
                pending = d.get("data");
            }
        }
        assertThat(pending).isNotNull();
        assertThat(pending.get(0).get("y").asDouble()).as("the sample at 0 and its minute").isEqualTo(1);
        assertThat(pending.get(1).get("y").asDouble()).isZero();
    }

    /**
     * A node that lived 30 s between two minute samples: the samples show 4 nodes throughout, the run peaked at 5. The
     * billed line and its markers follow each sample's peak (QA 45: a table peak of 10 drawn as 8).
     */
    @Test
    void theNodesBetweenTwoSamplesShowAsTheirPeak() {
        List<TimelinePoint> timeline = List.of(at(0, 4, 0), new TimelinePoint(60, 4, 4, 0, 0, 0, 0, 0, 5, 2), at(120, 4, 0));
        ObjectNode config = TimelineCharts.config(Instant.EPOCH, io.nodesizer.replay.autoscale.WeekClock.UTC, 180, "nodes", "number");
        assertThat(TimelineCharts.line(config, "billed", ChartJs.BLUE, timeline, TimelinePoint::peakNodes).get("data").toString())
                .isEqualTo("[{\"x\":0.0,\"y\":4.0},{\"x\":60.0,\"y\":5.0},{\"x\":120.0,\"y\":4.0}]");
        TimelineCharts.scaleMarkers(config, timeline);
        JsonNode datasets = config.get("data").get("datasets");
        assertThat(datasets.get(1).get("data").toString()).isEqualTo("[{\"x\":60.0,\"y\":5.0,\"name\":\"+1 node, to\"}]");
        assertThat(datasets.get(2).get("data").toString()).isEqualTo("[{\"x\":120.0,\"y\":4.0,\"name\":\"−1 node, to\"}]");
    }

    @Test
    void scheduleBandsCoverTheWindowsOverTheRunMergingEqualNeighbours() {
        // Thursday 2026-11-26 00:00 UTC, three days; windows Fri 08:00-10:00 min 5 and 10:00-11:00 min 5 (one band), Sat 09:00-10:00 max 9
        Schedule s = new Schedule(List.of(new Schedule.Window(1 << 4, 8 * 60, 10 * 60, 5, null),
                new Schedule.Window(1 << 4, 10 * 60, 11 * 60, 5, null), new Schedule.Window(1 << 5, 9 * 60, 10 * 60, null, 9)));
        ObjectNode config = TimelineCharts.config(Instant.parse("2026-11-26T00:00:00Z"), io.nodesizer.replay.autoscale.WeekClock.UTC, 3 * 86400, "nodes", "number");
        JsonNode bands = TimelineCharts.bands(config, s, Instant.parse("2026-11-26T00:00:00Z"), io.nodesizer.replay.autoscale.WeekClock.UTC, 3 * 86400);
        assertThat(bands.toString()).isEqualTo("[{\"from\":115200,\"to\":126000,\"label\":\"min 5\"},"
                + "{\"from\":205200,\"to\":208800,\"label\":\"max 9\"}]");
        assertThat(config.get("options").get("scales").get("x").get("nsOffset").asLong()).isEqualTo(3 * 86400);
    }

    @Test
    void nodeFillShowsEachNodesShareOfWhatPodsMayUseAndAveragesLongRuns() throws Exception {
        Workload w = Workload.of(List.of(group("a", 3000, 2 * GIB, 5)));
        PackingResult r = PackingEngine.pack(new PackingProblem(DemandTable.of(w), shape("s", 4000, 8 * GIB, 110, 1.0), Resources.ZERO),
                PackingStrategies.FFD.create(), 1);
        JsonNode c = config(NodeFillChart.of("fill", r, "node"));
        assertThat(c.get("type").asText()).isEqualTo("bar");
        assertThat(c.get("data").get("labels")).hasSize(5);
        JsonNode cpu = c.get("data").get("datasets").get(0);
        assertThat(cpu.get("label").asText()).isEqualTo("cpu");
        assertThat(cpu.get("data").get(0).asDouble()).isEqualTo(75.0);
        assertThat(c.get("data").get("datasets")).hasSize(3); // cpu, memory, pods: no GPU on this shape

        Workload many = Workload.of(List.of(group("b", 3000, 2 * GIB, 4000)));
        PackingResult big = PackingEngine.pack(new PackingProblem(DemandTable.of(many), shape("s", 4000, 8 * GIB, 110, 1.0), Resources.ZERO),
                PackingStrategies.FFD.create(), 1);
        JsonNode line = config(NodeFillChart.of("fill", big, "node"));
        assertThat(line.get("type").asText()).isEqualTo("line");
        assertThat(line.get("data").get("labels")).hasSize(2000);
        assertThat(line.get("data").get("labels").get(0).asText()).isEqualTo("node 0–1");
        assertThat(line.get("data").get("datasets").get(0).get("data").get(0).asDouble()).isEqualTo(75.0);
    }

    @Test
    void aScriptEndTagInAConfigurationCannotCloseTheScriptElement() throws Exception {
        ObjectNode c = ChartJs.config("bar");
        ChartJs.labels(c).add("</script><script>alert(1)</script>");
        String element = ChartJs.element("x", "a chart", 100, c);
        assertThat(element.substring(element.indexOf("-config\">"))).containsOnlyOnce("</script>");
        assertThat(config(element).get("data").get("labels").get(0).asText()).isEqualTo("</script><script>alert(1)</script>");
    }

    @Test
    void aCommentOpenerInAConfigurationCannotSwallowTheRestOfThePage() throws Exception {
        // "<!--<script>" puts the HTML parser in the script's double-escaped state: the config's own
        // </script> then no longer ends it, and every chart and table after it vanished (a rightsize
        // container named so blanked the page). No "<" may reach the element's text.
        ObjectNode c = ChartJs.config("bar");
        ChartJs.labels(c).add("cart/x<!--<script>");
        String element = ChartJs.element("x", "a chart", 100, c);
        String text = element.substring(element.indexOf("-config\">") + 9, element.lastIndexOf("</script>"));
        assertThat(text).doesNotContain("<").doesNotContain(">");
        assertThat(config(element).get("data").get("labels").get(0).asText()).isEqualTo("cart/x<!--<script>");
    }

    /**
     * The week axis in a zone with daylight saving: the start's local second of the week, and each change within the run as
     * the seconds since the start from which labels move by its difference (charts.js adds it), so Berlin's spring change
     * (2026-03-29 01:00 UTC) shifts the later labels by an hour and a run without a change carries none.
     */
    @Test
    void theWeekAxisFollowsDaylightSavingChanges() {
        io.nodesizer.replay.autoscale.WeekClock berlin = io.nodesizer.replay.autoscale.WeekClock.of(java.time.ZoneId.of("Europe/Berlin"));
        Instant origin = Instant.parse("2026-03-23T00:00:00Z"); // Monday 01:00 CET
        ObjectNode fortnight = TimelineCharts.config(origin, berlin, 14 * 86400, "nodes", "number");
        JsonNode x = fortnight.at("/options/scales/x");
        assertThat(x.get("nsOffset").asLong()).isEqualTo(3600);
        assertThat(x.get("nsMonday").asLong()).isEqualTo(java.time.LocalDate.parse("2026-03-23").toEpochDay()); // the dates' week
        assertThat(x.get("nsShifts")).hasSize(1);
        assertThat(x.at("/nsShifts/0/at").asLong()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z").getEpochSecond() - origin.getEpochSecond());
        assertThat(x.at("/nsShifts/0/delta").asLong()).isEqualTo(3600);
        assertThat(TimelineCharts.config(origin, berlin, 5 * 86400, "nodes", "number").at("/options/scales/x").has("nsShifts")).isFalse();
        assertThat(TimelineCharts.config(origin, io.nodesizer.replay.autoscale.WeekClock.UTC, 14 * 86400, "nodes", "number")
                .at("/options/scales/x").has("nsShifts")).isFalse();
        // Half a year spans both changes: back to the start's offset after the autumn one.
        JsonNode year = TimelineCharts.config(origin, berlin, 220L * 86400, "nodes", "number").at("/options/scales/x/nsShifts");
        assertThat(year).hasSize(2);
        assertThat(year.get(1).get("delta").asLong()).isZero();
    }
}
