package io.nodesizer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The sweep report's charts: lines against a varied number, bars otherwise, and the runs that leave more pods out apart. */
final class SweepChartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONFIG = Pattern.compile("<script type=\"application/json\" id=\"chart-([^\"]+)-config\">(.*?)</script>", Pattern.DOTALL);
    private static final SourceLocation AT = new SourceLocation("s.yaml", 1, 1, "scenarios");

    private static Scenario scenario(String command, String... keys) {
        Map<String, Scenario.Vary> vary = new LinkedHashMap<>();
        for (String k : keys) {
            vary.put(k, new Scenario.Vary(List.of("x"), AT));
        }
        return new Scenario("s", command, Map.of(), vary, AT);
    }

    /** A run with its varied values (key, value, key, value…) and figures (name, value…). */
    private static SweepReport.Outcome run(Scenario s, int index, List<String> varied, Object... figures) {
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < varied.size(); i += 2) {
            v.put(varied.get(i), varied.get(i + 1));
        }
        ObjectNode report = JSON.createObjectNode();
        ObjectNode f = report.putObject("figures");
        for (int i = 0; i < figures.length; i += 2) {
            f.set((String) figures[i], JSON.valueToTree(figures[i + 1]));
        }
        return new SweepReport.Outcome(new Scenario.Run(s, index, v, List.of()), 0, report, null, -1);
    }

    private static Map<String, JsonNode> charts(String html) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        Matcher m = CONFIG.matcher(html);
        while (m.find()) {
            out.put(m.group(1), JSON.readTree(m.group(2)));
        }
        return out;
    }

    @Test
    void aVariedNumberIsTheXAxisWithOneLinePerOtherValueInOrderOfX() throws Exception {
        Scenario s = scenario("replay", "autoscaler", "growth");
        List<SweepReport.Outcome> runs = new ArrayList<>();
        int i = 0;
        for (String a : List.of("ca", "karpenter")) {
            for (String g : List.of("2.0", "1.0", "1.5")) {
                double cost = (a.equals("ca") ? 100 : 90) * Double.parseDouble(g);
                runs.add(run(s, i++, List.of("autoscaler", a, "growth", g), "shapes", "m5.large", "cost", cost, "pending p95 s", 30L,
                        "pending max s", 120L, "unschedulable pods", 0L, "pending at end", 0L));
            }
        }
        Map<String, JsonNode> charts = charts(SweepCharts.of(2, s, runs, "cost"));
        assertThat(charts.keySet()).containsExactly("sweep-2-cost", "sweep-2-pending");
        JsonNode cost = charts.get("sweep-2-cost");
        assertThat(cost.get("type").asText()).isEqualTo("line");
        assertThat(cost.at("/options/scales/x/title/text").asText()).isEqualTo("growth");
        JsonNode lines = cost.at("/data/datasets");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("label").asText()).isEqualTo("autoscaler=ca");
        assertThat(lines.get(0).get("data").toString())
                .isEqualTo("[{\"x\":1.0,\"y\":100.0,\"name\":\"m5.large\"},{\"x\":1.5,\"y\":150.0,\"name\":\"m5.large\"},{\"x\":2.0,\"y\":200.0,\"name\":\"m5.large\"}]");
        assertThat(lines.get(1).get("label").asText()).isEqualTo("autoscaler=karpenter");
        // the pending chart: p95 and max per line, max dashed
        JsonNode pending = charts.get("sweep-2-pending").at("/data/datasets");
        assertThat(pending).hasSize(4);
        assertThat(pending.get(1).get("label").asText()).isEqualTo("autoscaler=ca: pending max");
        assertThat(pending.get(1).has("borderDash")).isTrue();
        // its legend box hollow, p95's filled: a dash alone left them alike
        assertThat(pending.get(1).get("backgroundColor").asText()).isEqualTo("#ffffff");
        assertThat(pending.get(0).get("backgroundColor").asText()).isEqualTo(pending.get(0).get("borderColor").asText());
        assertThat(cost.at("/options/scales/x/ticks").isMissingNode()).isTrue(); // growth 1.5 is a value: ticks between
        assertThat(charts.get("sweep-2-pending").at("/options/scales/y/nsFormat").asText()).isEqualTo("duration");
    }

    @Test
    void runsLeavingMorePodsOutThanTheFewestAreDrawnApart() throws Exception {
        Scenario s = scenario("pack", "node");
        List<SweepReport.Outcome> runs = List.of(
                run(s, 0, List.of("node", "aws:m5.2xlarge"), "shape", "m5.2xlarge", "$/month", 5045.76, "unschedulable pods", 2L),
                run(s, 1, List.of("node", "aws:m5.4xlarge"), "shape", "m5.4xlarge", "$/month", 5606.4, "unschedulable pods", 1L),
                run(s, 2, List.of("node", "aws:r5.4xlarge"), "shape", "r5.4xlarge", "$/month", 6622.56, "unschedulable pods", 1L));
        JsonNode cost = charts(SweepCharts.of(1, s, runs, "$/month")).get("sweep-1-cost");
        assertThat(cost.get("type").asText()).isEqualTo("bar");
        assertThat(cost.at("/data/labels").toString()).isEqualTo("[\"node=aws:m5.2xlarge\",\"node=aws:m5.4xlarge\",\"node=aws:r5.4xlarge\"]");
        JsonNode sets = cost.at("/data/datasets");
        assertThat(sets.get(0).get("label").asText()).isEqualTo("leaves the fewest pods out (1)");
        assertThat(sets.get(0).get("data").toString()).isEqualTo("[null,5606.4,6622.56]");
        assertThat(sets.get(1).get("label").asText()).isEqualTo("leaves more than 1 pod out");
        assertThat(sets.get(1).get("data").toString()).isEqualTo("[5045.76,null,null]");
        assertThat(cost.at("/options/scales/y/stacked").asBoolean()).isTrue(); // each bar in its run's place
    }

    /**
     * QA 69c F3: a larger growth leaves more pods out in count for the same kinds of pod; runs of other workloads are
     * compared by the share they leave out (42 of 75,000 openb pods at growth 0.5 were drawn red against 18 of 30,000).
     */
    @Test
    void aLargerWorkloadLeavingTheSameShareOutIsNotDrawnApart() throws Exception {
        Scenario s = scenario("pack", "growth");
        List<SweepReport.Outcome> runs = List.of(
                run(s, 0, List.of("growth", "0.2"), "nodes", 3855L, "unschedulable pods", 18L, "workload pods", 30_000L),
                run(s, 1, List.of("growth", "0.5"), "nodes", 9638L, "unschedulable pods", 42L, "workload pods", 75_000L));
        JsonNode sets = charts(SweepCharts.of(1, s, runs, "nodes")).get("sweep-1-cost").at("/data/datasets");
        assertThat(sets).hasSize(1);
        assertThat(sets.get(0).get("data").findValues("y").toString()).isEqualTo("[3855.0, 9638.0]");
    }

    /**
     * Growth × node: a run is marked where it leaves more out than another run of its growth (the summary passes it over)
     * or a larger share of its pods than the least of any run; the 2,000-pod run leaving 20 out, more than any 1,000-pod
     * run but the same 1.0 %, is not.
     */
    @Test
    void runsOfOtherWorkloadsAreMarkedByTheirShareLeftOutAndWithinOneByTheCount() throws Exception {
        Scenario s = scenario("pack", "growth", "node");
        List<SweepReport.Outcome> runs = new ArrayList<>();
        long[][] leftOut = {{10, 12}, {20, 40}};
        for (int g = 0; g < 2; g++) {
            for (int n = 0; n < 2; n++) {
                runs.add(run(s, runs.size(), List.of("growth", Integer.toString(g + 1), "node", n == 0 ? "a" : "b"), "$/month", 100.0 * (g + 1) - n,
                        "unschedulable pods", leftOut[g][n], "workload pods", 1000L * (g + 1)));
            }
        }
        JsonNode sets = charts(SweepCharts.of(1, s, runs, "$/month")).get("sweep-1-cost").at("/data/datasets");
        assertThat(sets).hasSize(3); // node=a, node=b, the marks
        JsonNode marks = sets.get(2);
        assertThat(marks.get("label").asText()).isEqualTo("leaves more than 1.0 % of its pods out, or more than another run at its growth");
        assertThat(marks.get("data").findValues("x").toString()).isEqualTo("[1.0, 2.0]");
        assertThat(marks.get("data").findValues("name").toString())
                .isEqualTo("[\"12 of 1,000 pods left out (1.2 %)\", \"40 of 2,000 pods left out (2.0 %)\"]");
        // without the workloads' sizes (windows; a digest of an older report), runs are compared within their workload alone
        List<SweepReport.Outcome> unsized = new ArrayList<>();
        long[][] counts = {{0, 2}, {1, 1}};
        for (int g = 0; g < 2; g++) {
            for (int n = 0; n < 2; n++) {
                unsized.add(run(s, unsized.size(), List.of("growth", Integer.toString(g + 1), "node", n == 0 ? "a" : "b"), "$/month",
                        100.0 * (g + 1) - n, "unschedulable pods", counts[g][n]));
            }
        }
        JsonNode within = charts(SweepCharts.of(1, s, unsized, "$/month")).get("sweep-1-cost").at("/data/datasets/2");
        assertThat(within.get("label").asText()).isEqualTo("leaves more pods out than another run at its growth");
        assertThat(within.get("data").findValues("name").toString()).isEqualTo("[\"2 pods left out\"]");
        // a replay's workload is the pods its best run saw arrive, which the digest keeps
        JsonNode replay = JSON.readTree("{\"command\":\"replay\",\"ranking\":[{\"costTotal\":1.0,\"podsArrived\":1613,\"unschedulable\":1}]}");
        Scenario r = scenario("replay", "growth");
        SweepReport.Outcome o = new SweepReport.Outcome(new Scenario.Run(r, 0, Map.of("growth", "1"), List.of()), 0, SweepReport.digest(replay), null, -1);
        assertThat(SweepReport.podsOf(o)).isEqualTo(1613);
        assertThat(SweepReport.podsLeftOut(o)).isEqualTo(1);
    }

    /** QA 67c F4: a run whose p95 is never (pods deleted while pending reach it) keeps its max, the longest wait of all. */
    @Test
    void aRunWhosePercentileIsNeverHasItsMaximumDrawn() throws Exception {
        Scenario s = scenario("replay", "max-nodes");
        List<SweepReport.Outcome> runs = new ArrayList<>();
        for (int m : new int[] {7, 8, 9}) {
            runs.add(run(s, runs.size(), List.of("max-nodes", Integer.toString(m)), "shapes", "m5.large", "cost", 100.0 * m, "pending p95 s",
                    m == 8 ? "never" : (Object) (m == 7 ? 202L : 0L), "pending max s", m == 8 ? 27_900L : m == 7 ? 5_400L : 302L,
                    "unschedulable pods", 0L, "pending at end", 0L));
        }
        String html = SweepCharts.of(1, s, runs, "cost");
        JsonNode pending = charts(html).get("sweep-1-pending").at("/data/datasets");
        assertThat(pending.get(0).get("label").asText()).isEqualTo("pending p95");
        // the never run in the middle is a gap in the p95 line, not a point the line joins across
        assertThat(pending.get(0).get("data").toString()).isEqualTo("[{\"x\":7.0,\"y\":202.0,\"name\":\"m5.large\"},{\"x\":8.0,\"y\":null},"
                + "{\"x\":9.0,\"y\":0.0,\"name\":\"m5.large\"}]");
        assertThat(pending.get(1).get("label").asText()).isEqualTo("pending max");
        assertThat(pending.get(1).get("data").findValues("y").toString()).isEqualTo("[5400.0, 27900.0, 302.0]");
        assertThat(html).contains("No point for their pending percentile, which is never").contains("their longest wait is drawn: max-nodes=8.");
    }

    /** QA 67c F13: "never" among the durations keeps the column right-aligned, as the figures beside it. */
    @Test
    void theTableKeepsAColumnOfDurationsWithNeverRightAligned() {
        Scenario s = scenario("replay", "max-nodes");
        List<SweepReport.Outcome> runs = List.of(
                run(s, 0, List.of("max-nodes", "8"), "cost", 800.0, "pending p95 s", "never", "pending max s", 27_900L),
                run(s, 1, List.of("max-nodes", "9"), "cost", 900.0, "pending p95 s", 202L, "pending max s", 5_400L));
        TextTable t = SweepReport.table(s, runs);
        String aligned = t.renderAligned();
        List<String> lines = aligned.lines().toList();
        int end = lines.get(0).indexOf("pending p95 s") + "pending p95 s".length();
        assertThat(lines.get(2).substring(0, end)).endsWith("never");
        assertThat(lines.get(3).substring(0, end)).endsWith("202");
    }

    @Test
    void seedsAreBarsAndAChartOfZerosOrOfOneRunIsLeftOut() throws Exception {
        Scenario s = scenario("replay", "seed");
        List<SweepReport.Outcome> runs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            runs.add(run(s, i - 1, List.of("seed", Integer.toString(i)), "cost", 800.0 + i, "pending p95 s", 0L, "pending max s", 0L));
        }
        Map<String, JsonNode> charts = charts(SweepCharts.of(1, s, runs, "cost"));
        assertThat(charts.keySet()).containsExactly("sweep-1-cost"); // nobody waited: no pending chart
        assertThat(charts.get("sweep-1-cost").get("type").asText()).isEqualTo("bar");
        assertThat(charts.get("sweep-1-cost").at("/data/datasets/0/data").toString()).isEqualTo("[801.0,802.0,803.0]");
        assertThat(SweepCharts.of(1, s, runs.subList(0, 1), "cost")).isEmpty();
    }

    @Test
    void aCountOnTheXAxisHasWholeTicksAndThePendingChartMarksTheRunsLeavingPodsOut() throws Exception {
        Scenario s = scenario("replay", "max-nodes");
        List<SweepReport.Outcome> runs = new ArrayList<>();
        for (int m : new int[] {4, 6, 8}) {
            runs.add(run(s, runs.size(), List.of("max-nodes", Integer.toString(m)), "shapes", "m5.large", "cost", 100.0 * m, "pending p95 s",
                    600L / m, "pending max s", 6000L / m, "unschedulable pods", 0L, "pending at end", m == 4 ? 3L : 0L));
        }
        Map<String, JsonNode> charts = charts(SweepCharts.of(1, s, runs, "cost"));
        for (String id : List.of("sweep-1-cost", "sweep-1-pending")) {
            JsonNode chart = charts.get(id);
            assertThat(chart.at("/options/scales/x/ticks/precision").asInt(-1)).as(id).isZero(); // no tick at 4.5 nodes
            JsonNode sets = chart.at("/data/datasets");
            JsonNode marks = sets.get(sets.size() - 1);
            assertThat(marks.get("label").asText()).as(id).isEqualTo("leaves pods out");
            assertThat(marks.get("data")).as(id).hasSize(id.endsWith("pending") ? 2 : 1);
            assertThat(marks.at("/data/0/x").asDouble()).as(id).isEqualTo(4.0);
        }
        // the red crosses on both figures of the run: pending p95 and max
        assertThat(charts.get("sweep-1-pending").at("/data/datasets/2/data/0/y").asDouble()).isEqualTo(150.0);
        assertThat(charts.get("sweep-1-pending").at("/data/datasets/2/data/1/y").asDouble()).isEqualTo(1500.0);
    }

    @Test
    void barsOfSeveralFiguresMarkTheRunsLeavingMorePodsOutByARedBorder() throws Exception {
        Scenario s = scenario("replay", "seed");
        List<SweepReport.Outcome> runs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            runs.add(run(s, i - 1, List.of("seed", Integer.toString(i)), "cost", 800.0 + i, "pending p95 s", 60L * i, "pending max s", 600L,
                    "unschedulable pods", i == 2 ? 2L : 1L, "pending at end", 0L));
        }
        JsonNode pending = charts(SweepCharts.of(1, s, runs, "cost")).get("sweep-1-pending");
        assertThat(pending.get("type").asText()).isEqualTo("bar");
        JsonNode sets = pending.at("/data/datasets");
        assertThat(sets).hasSize(2); // p95 and max, each bar in its colour; the marks are borders, which the legend names
        for (int f = 0; f < 2; f++) {
            assertThat(sets.get(f).at("/nsMarked/bars").toString()).isEqualTo("[false,true,false]");
            assertThat(sets.get(f).at("/nsMarked/color").asText()).isEqualTo(ChartJs.RED);
            assertThat(sets.get(f).at("/nsMarked/label").asText()).isEqualTo("leaves more than 1 pod out");
        }
        assertThat(sets.get(0).get("data").toString()).isEqualTo("[60.0,120.0,180.0]");
    }
}
