package io.nodesizer.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class CompareReportTest {
    private static JsonNode pack(String shape, int nodes, double gapPercent, int unschedulable) throws Exception {
        StringBuilder unsched = new StringBuilder();
        for (int i = 0; i < unschedulable; i++) {
            unsched.append(i == 0 ? "" : ",").append("{\"pod\":\"big-").append(i).append("\",\"reason\":\"needs 8 CPU\"}");
        }
        return JsonTrees.MAPPER.readTree("{\"command\":\"pack\",\"shape\":{\"name\":\"" + shape + "\"},\"nodes\":" + nodes
                + ",\"lowerBound\":10,\"gapPercent\":" + gapPercent + ",\"costPerMonth\":1000.0,\"unschedulable\":[" + unsched + "]}");
    }

    private final List<CompareReport.Run> runs;

    CompareReportTest() throws Exception {
        runs = List.of(new CompareReport.Run("before.json", pack("m5.large", 10, 5.0, 0)),
                new CompareReport.Run("after|v2.json", pack("m5.xlarge", 11, 10.0, 2)));
    }

    /** QA 57a F4: pack --fleet runs of other workloads, or one that places fewer pods, are noted as pack's are. */
    @Test
    void fleetRunsOfOtherWorkloadsOrFewerPlacedPodsAreNoted() throws Exception {
        String fleet = "{\"command\":\"pack-fleet\",\"workload\":{\"pods\":%d,\"requests\":{\"cpuMillis\":%d,\"memoryBytes\":1073741824}},"
                + "\"fleet\":\"nodes.csv\",\"pods\":%d,\"placed\":%d,\"nodes\":10,\"nodesUsed\":4}";
        List<CompareReport.Run> fleets = List.of(
                new CompareReport.Run("a.json", JsonTrees.MAPPER.readTree(fleet.formatted(300, 2000, 300, 300))),
                new CompareReport.Run("b.json", JsonTrees.MAPPER.readTree(fleet.formatted(310, 4000, 310, 305))));
        List<String> notes = CompareReport.notes(fleets, CompareReport.rows(fleets));
        assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("the runs' workloads differ (a.json: 300 pods, 2 CPU"));
        assertThat(notes).contains("b.json leaves 5 more pods unplaced than a.json: its nodes used do not run them, so fewer nodes used "
                + "there are no saving");
    }

    /**
     * QA 70b F11: a DaemonSet rolled onto the snapshot that evicted running pods compared as no change: the rows give the pods
     * it preempted, those left Pending or deleted, its Pending pods and the room left, and a note that the DaemonSets differ.
     */
    @Test
    void aFleetRollOutsEvictionsAreCompared() throws Exception {
        String before = "{\"command\":\"pack-fleet\",\"workload\":{\"pods\":1,\"requests\":{\"cpuMillis\":10,\"memoryBytes\":16777216},"
                + "\"daemonSets\":[]},\"fleet\":\"c.json\",\"pods\":1,\"placed\":1,\"nodes\":3,\"nodesUsed\":1,"
                + "\"leftOver\":{\"cpuMillis\":1390,\"memoryBytes\":1073741824},\"pendingDaemonSetPods\":[],\"preemptedPods\":[]}";
        String after = before.replace("\"daemonSets\":[]", "\"daemonSets\":[\"kube-system/node-agent (1 CPU, 0.25 GiB per node)\"]")
                .replace("1390", "1890").replace("\"preemptedPods\":[]", "\"preemptedPods\":[{\"pod\":\"shop/db-0\",\"movedTo\":null},"
                        + "{\"pod\":\"kube-system/placeholder-1\",\"movedTo\":\"n2\"},"
                        // Review 71 #5: a pod its own DaemonSet replaces is no pod left Pending: its new pod is among the DaemonSet's.
                        + "{\"pod\":\"monitoring/logs-x\",\"outcome\":\"replaced\",\"movedTo\":null},"
                        + "{\"pod\":\"shop/db-1\",\"outcome\":\"pending\",\"movedTo\":null}]");
        List<CompareReport.Run> runs = List.of(new CompareReport.Run("before.json", JsonTrees.MAPPER.readTree(before)),
                new CompareReport.Run("after.json", JsonTrees.MAPPER.readTree(after)));
        List<CompareReport.Row> rows = CompareReport.rows(runs);
        assertThat(rows).filteredOn(r -> r.metric().equals("running pods preempted")).singleElement()
                .satisfies(r -> assertThat(r.values()).containsExactly(0L, 4L));
        // db-0 (an older run's entry without an outcome: by its movedTo) and db-1; not logs-x.
        assertThat(rows).filteredOn(r -> r.metric().equals("preempted pods left Pending or deleted")).singleElement()
                .satisfies(r -> assertThat(r.values()).containsExactly(0L, 2L));
        assertThat(rows).extracting(CompareReport.Row::metric).contains("DaemonSet pods Pending", "left over CPU");
        assertThat(CompareReport.notes(runs, rows)).anySatisfy(n -> assertThat(n).startsWith("the runs' DaemonSets differ (before.json: "
                + "none; after.json: kube-system/node-agent (1 CPU, 0.25 GiB per node))"));
    }

    /** A rightsize run whose after-packing leaves a pod out: its lower after cost runs fewer pods (QA 49a H1: "-66.7 %", no word). */
    @Test
    void aRightsizeWhoseAfterLeavesPodsOutIsNoted() throws Exception {
        String before = "{\"command\":\"rightsize\",\"before\":{\"shape\":{\"name\":\"c5.large\"},\"nodes\":6,\"costPerMonth\":372.3},"
                + "\"after\":{\"shape\":{\"name\":\"c5.large\"},\"nodes\":%d,\"costPerMonth\":%s,\"unschedulable\":[%s]}}";
        List<CompareReport.Run> rightsized = List.of(
                new CompareReport.Run("usage-none.json", JsonTrees.MAPPER.readTree(before.formatted(6, "372.3", ""))),
                new CompareReport.Run("usage.json", JsonTrees.MAPPER.readTree(before.formatted(2, "124.1",
                        "{\"pod\":\"shop/cache-0\",\"reason\":\"needs 4.025 GiB memory\"}"))));
        List<CompareReport.Row> rows = CompareReport.rows(rightsized);
        assertThat(rows).filteredOn(r -> r.metric().equals("after unschedulable pods")).singleElement()
                .satisfies(r -> assertThat(r.values()).containsExactly(0L, 1L));
        assertThat(CompareReport.notes(rightsized, rows)).singleElement().asString()
                .isEqualTo("usage.json leaves 1 more pod unschedulable than usage-none.json (after unschedulable pods): its cost does not "
                        + "run them, so a lower cost there is no saving");
        // Rightsize lists the files it read: other usage files are other inputs (QA 49a L3).
        String withInputs = "{\"command\":\"rightsize\",\"inputs\":[\"m.yaml\",\"%s\"],\"after\":{\"nodes\":2}}";
        List<CompareReport.Run> inputs = List.of(new CompareReport.Run("a.json", JsonTrees.MAPPER.readTree(withInputs.formatted("u1.csv"))),
                new CompareReport.Run("b.json", JsonTrees.MAPPER.readTree(withInputs.formatted("u2.csv"))));
        assertThat(CompareReport.notes(inputs, CompareReport.rows(inputs))).singleElement().asString()
                .startsWith("the runs' inputs differ (a.json: m.yaml, u1.csv; b.json: m.yaml, u2.csv)");
        // Priced on other candidates, or sized with another percentile: only the settings that differ are named (QA 51c F5).
        String priced = "{\"command\":\"rightsize\",\"candidates\":\"%s\",\"settings\":{\"cpuPercentile\":%s,\"minSamples\":12},"
                + "\"after\":{\"nodes\":2}}";
        List<CompareReport.Run> other = List.of(
                new CompareReport.Run("aws.json", JsonTrees.MAPPER.readTree(priced.formatted("9 of 1363 aws types", "95.0"))),
                new CompareReport.Run("gce.json", JsonTrees.MAPPER.readTree(priced.formatted("44 of 173 gce types", "99.0"))));
        assertThat(CompareReport.notes(other, CompareReport.rows(other))).containsExactly(
                "the runs' candidates differ (aws.json: 9 of 1363 aws types; gce.json: 44 of 173 gce types): the changes in the table "
                        + "are theirs as much as the sizing's",
                "the runs' settings differ (aws.json: cpuPercentile 95.0; gce.json: cpuPercentile 99.0): the changes in the table "
                        + "are theirs as much as the sizing's");
        List<CompareReport.Run> same = List.of(other.get(0), new CompareReport.Run("again.json", other.get(0).report()));
        assertThat(CompareReport.notes(same, CompareReport.rows(same))).isEmpty();
    }

    @Test
    void aPercentageMetricChangesInPointsNotRelatively() {
        // gap 5 % → 10 %: 5 points; "+100.0 %" read as the gap doubling to 100.
        assertThat(CompareReport.delta("gap to bound %", 5.0, 10.0)).isEqualTo("+5.0 pp");
        assertThat(CompareReport.delta("saving %", 25.0, 20.0)).isEqualTo("-5.0 pp");
        assertThat(CompareReport.delta("nodes", 10, 11)).isEqualTo("+10.0 %");
    }

    @Test
    void aChangeFromZeroIsThePlainDifference() {
        // 0 → 2 unschedulable pods: "+2", not "%+.4g"'s "+2.000".
        assertThat(CompareReport.delta("unschedulable pods", 0L, 2L)).isEqualTo("+2");
        assertThat(CompareReport.delta("$/month", 0.0, 1234.5)).isEqualTo("+1234.5");
        assertThat(CompareReport.delta("scale-ups", 0, -3)).isEqualTo("-3");
        assertThat(CompareReport.delta("scale-ups", 0, 0)).isEqualTo("0");
    }

    /**
     * For a reader, a change from 0 is written as the value column writes the value: money with
     * separators and two decimals (it was "+5045.76" beside "5,045.76", and "+493.122" beside a cost
     * of "493.12"); another number with separators (node-hours with one decimal, "1,284.2"). CSV and JSON keep plain numbers.
     */
    @Test
    void aChangeFromZeroIsWrittenAsTheValueIs() throws Exception {
        assertThat(CompareReport.delta("$/month", 0.0, 5045.76, true)).isEqualTo("+5,045.76");
        assertThat(CompareReport.delta("cost", 0.0, 493.1221, true)).isEqualTo("+493.12");
        assertThat(CompareReport.delta("node-hours", 0.0, 1284.1722, true)).isEqualTo("+1,284.2"); // one decimal, as the value
        assertThat(CompareReport.delta("scale-ups", 0, -1234, true)).isEqualTo("-1,234");
        assertThat(CompareReport.delta("$/month", 0.0, 5045.76, false)).isEqualTo("+5045.76");
        JsonNode empty = JsonTrees.MAPPER.readTree("{\"command\":\"pack\",\"nodes\":0,\"costPerMonth\":0.0}");
        JsonNode full = JsonTrees.MAPPER.readTree("{\"command\":\"pack\",\"nodes\":1200,\"costPerMonth\":5045.76}");
        String table = CompareReport.render(ReportFormat.TABLE, List.of(new CompareReport.Run("a.json", empty),
                new CompareReport.Run("b.json", full)));
        assertThat(table).containsPattern("\\$/month +0\\.00 +5,045\\.76 +\\+5,045\\.76\n")
                .containsPattern("nodes +0 +1,200 +\\+1,200\n");
    }

    @Test
    void markdownEscapesPipesInRunLabelsAndRightAlignsFigures() {
        String md = CompareReport.render(ReportFormat.MARKDOWN, runs);
        assertThat(md).contains("| metric | before.json | after\\|v2.json | Δ after\\|v2.json |\n|---|---:|---:|---:|\n")
                .contains("| gap to bound % | 5.0 | 10.0 | +5.0 pp |")
                .contains("| unschedulable pods | 0 | 2 | +2 |");
    }

    @Test
    void csvQuotesWhatRfc4180Requires() throws Exception {
        List<CompareReport.Run> quoted = List.of(runs.get(0), new CompareReport.Run("a \"b\",\nc.json", pack("m5.large", 10, 5.0, 0)));
        assertThat(CompareReport.render(ReportFormat.CSV, quoted)).startsWith("metric,before.json,\"a \"\"b\"\",\nc.json\",\"Δ a \"\"b\"\",\nc.json\"\n");
    }

    @Test
    void everyFormatShowsTheSameChanges() {
        for (ReportFormat f : ReportFormat.values()) {
            assertThat(CompareReport.render(f, runs)).as(f.formatName()).contains("+5.0 pp").contains("+10.0 %");
        }
    }

    @Test
    void moneyReadsAsInEveryOtherReportButStaysPlainInCsv() throws Exception {
        List<CompareReport.Run> priced = List.of(runs.get(0), new CompareReport.Run("dear.json",
                JsonTrees.MAPPER.readTree("{\"command\":\"pack\",\"costPerMonth\":11169.0,\"unschedulable\":[]}")));
        assertThat(CompareReport.render(ReportFormat.MARKDOWN, priced)).contains("| $/month | 1,000.00 | 11,169.00 | +1016.9 % |");
        assertThat(CompareReport.render(ReportFormat.TABLE, priced)).contains("1,000.00").contains("11,169.00");
        assertThat(CompareReport.render(ReportFormat.CSV, priced)).contains("\n$/month,1000,11169,+1016.9 %\n");
    }

    /** QA 64a F28: consolidate's $/h read "12.152" in the table; README's Outputs: money with two decimals; JSON keeps all. */
    @Test
    void hourlyMoneyHasTwoDecimalsForAReaderAndAllInJsonAndCsv() throws Exception {
        String co = "{\"command\":\"consolidate\",\"before\":{\"nodes\":36,\"costPerHour\":%s},\"after\":{\"nodes\":19,\"costPerHour\":%s}}";
        List<CompareReport.Run> plans = List.of(new CompareReport.Run("co1.json", JsonTrees.MAPPER.readTree(co.formatted("12.152", "6.287"))),
                new CompareReport.Run("co2.json", JsonTrees.MAPPER.readTree(co.formatted("12.152", "6.5044"))));
        for (ReportFormat f : List.of(ReportFormat.TABLE, ReportFormat.MARKDOWN, ReportFormat.HTML)) {
            String page = CompareReport.render(f, plans);
            // the table's cells; an HTML page's chart data keeps the report's figures
            assertThat(page.substring(0, page.contains("</table>") ? page.indexOf("</table>") : page.length())).as(f.formatName()).contains("12.15").contains("6.29").contains("6.50")
                    .doesNotContain("12.152").doesNotContain("6.287").doesNotContain("6.504");
        }
        assertThat(CompareReport.render(ReportFormat.CSV, plans)).contains("12.152,").contains("6.287,"); // CSV's cells to thousandths
        assertThat(CompareReport.render(ReportFormat.JSON, plans)).contains("12.152").contains("6.287").contains("6.5044");
    }

    @Test
    void aValueAReportLacksIsEmptyInCsv() throws Exception {
        List<CompareReport.Run> partial = List.of(runs.get(0), new CompareReport.Run("old.json",
                JsonTrees.MAPPER.readTree("{\"command\":\"pack\",\"nodes\":12,\"unschedulable\":[]}")));
        assertThat(CompareReport.render(ReportFormat.CSV, partial)).contains("\nshape,m5.large,,\n").contains("\nnodes,10,12,+20.0 %\n")
                .doesNotContain("–");
        assertThat(CompareReport.render(ReportFormat.TABLE, partial)).contains("–");
    }

    /**
     * Fix 77a: recommend's lists hold the first --max-listed pods left out; compare counts them by {@code unschedulableCount}
     * (the shape's and the mix's), and by the list where a report has no count (written before it existed, or pack's).
     */
    @Test
    void aCutListIsCountedByItsCount() throws Exception {
        JsonNode cut = JsonTrees.MAPPER.readTree("{\"command\":\"recommend\",\"shapes\":[{\"shape\":{\"name\":\"m5.large\"},\"nodes\":3,"
                + "\"unschedulableCount\":130000,\"unschedulableListed\":1,\"unschedulable\":[{\"pod\":\"gpu-0\",\"reason\":\"r\"}]}],"
                + "\"mix\":{\"costPerMonth\":7000.0,\"unschedulableCount\":5,\"unschedulable\":[]}}");
        List<CompareReport.Row> rows = CompareReport.rows(List.of(new CompareReport.Run("cut.json", cut)));
        assertThat(rows).filteredOn(r -> r.metric().equals("unschedulable pods")).singleElement()
                .satisfies(r -> assertThat(r.values()).containsExactly(130000L));
        assertThat(rows).filteredOn(r -> r.metric().equals("mixed pools unschedulable pods")).singleElement()
                .satisfies(r -> assertThat(r.values()).containsExactly(5L));
        List<CompareReport.Row> old = CompareReport.rows(List.of(new CompareReport.Run("after.json", pack("m5.xlarge", 11, 10.0, 2))));
        assertThat(old).filteredOn(r -> r.metric().equals("unschedulable pods")).singleElement()
                .satisfies(r -> assertThat(r.values()).containsExactly(2L));
    }

    /**
     * Runs of other workloads or candidates, or a later run that leaves more pods out, are said to be so (QA 48a: a
     * "-77.4 %" $/month where the cheaper run left 6 GPU pods unschedulable, and 73 against 110 pods, without a word).
     */
    @Test
    void runsThatAreNotLikeForLikeAreSaidToBe() throws Exception {
        JsonNode small = JsonTrees.MAPPER.readTree("{\"command\":\"recommend\",\"workload\":{\"pods\":73,\"requests\":{\"cpuMillis\":101000,"
                + "\"memoryBytes\":461708984320,\"gpuMillis\":12000}},\"candidates\":\"28 of 1363 aws types (family m6i,r6i,g5)\","
                + "\"shapes\":[{\"shape\":{\"name\":\"g5.12xlarge\"},\"nodes\":3,\"costPerMonth\":12421.68,\"unschedulable\":[]}]}");
        JsonNode noGpu = JsonTrees.MAPPER.readTree(small.toString().replace("28 of 1363 aws types (family m6i,r6i,g5)",
                "20 of 1363 aws types (family m6i,r6i)").replace("\"unschedulable\":[]", "\"unschedulable\":[{\"pod\":\"infer\",\"pods\":6}]")
                .replace("12421.68", "2803.2"));
        JsonNode grown = JsonTrees.MAPPER.readTree(small.toString().replace("\"pods\":73", "\"pods\":110"));
        List<String> notes = CompareReport.notes(List.of(new CompareReport.Run("rec.json", small), new CompareReport.Run("nogpu.json", noGpu)),
                CompareReport.rows(List.of(new CompareReport.Run("rec.json", small), new CompareReport.Run("nogpu.json", noGpu))));
        assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("the runs' candidates differ (rec.json: 28 of 1363"))
                .anySatisfy(n -> assertThat(n).startsWith("nogpu.json leaves 6 more pods unschedulable than rec.json: its cost does not run them"))
                .noneSatisfy(n -> assertThat(n).contains("workloads differ"));
        String table = CompareReport.render(ReportFormat.TABLE, List.of(new CompareReport.Run("rec.json", small),
                new CompareReport.Run("grown.json", grown)));
        assertThat(table).contains("note: the runs' workloads differ (rec.json: 73 pods, 101 CPU, 430 GiB, 12 GPU; grown.json: 110 pods,");
        assertThat(CompareReport.render(ReportFormat.JSON, List.of(new CompareReport.Run("rec.json", small),
                new CompareReport.Run("same.json", small)))).contains("\"notes\" : [ ]");
    }

    /**
     * QA 68c F14: replays of 1 and 7 days showed "+600 %" cost with no word that one ran seven times as long; windows runs of
     * other spans and SLOs likewise. The spans are named, with cost per day where the report has one cost; the SLOs too.
     */
    @Test
    void replaysOfOtherSpansOrSlosAreSaidToBe() throws Exception {
        String replay = "{\"command\":\"replay\",\"start\":\"%s\",\"durationSeconds\":%d,\"pendingSloSeconds\":%s,\"costTotal\":%s,"
                + "\"ranking\":[]}";
        List<CompareReport.Run> days = List.of(
                new CompareReport.Run("r1.json", JsonTrees.MAPPER.readTree(replay.formatted("2026-01-05T00:00:00Z", 86400, "null", "221.18"))),
                new CompareReport.Run("r7.json", JsonTrees.MAPPER.readTree(replay.formatted("2026-01-05T00:00:00Z", 604800, "null", "1548.29"))));
        assertThat(CompareReport.notes(days, CompareReport.rows(days))).containsExactly("the runs cover different spans (r1.json: 1d from "
                + "2026-01-05T00:00:00Z; r7.json: 7d from 2026-01-05T00:00:00Z): costs and node-hours are totals over each, so compare "
                + "cost per day (r1.json $221.18/day, r7.json $221.18/day)");
        List<CompareReport.Run> starts = List.of(days.get(0),
                new CompareReport.Run("later.json", JsonTrees.MAPPER.readTree(replay.formatted("2026-01-10T00:00:00Z", 86400, "600", "200"))));
        assertThat(CompareReport.notes(starts, CompareReport.rows(starts))).containsExactly("the runs cover different spans (r1.json: 1d "
                + "from 2026-01-05T00:00:00Z; later.json: 1d from 2026-01-10T00:00:00Z): the changes in the table are theirs as much as "
                + "the sizing's", "the runs' pending SLOs differ (r1.json: none; later.json: 10m): the changes in the table are theirs as "
                + "much as the sizing's");
        assertThat(CompareReport.notes(List.of(days.get(0), days.get(0)), CompareReport.rows(List.of(days.get(0), days.get(0))))).isEmpty();
        String windows = "{\"command\":\"windows\",\"start\":\"2026-01-05T00:00:00Z\",\"durationSeconds\":%d,\"pendingSloSeconds\":%d,"
                + "\"windows\":[],\"alternatives\":[]}";
        List<CompareReport.Run> planned = List.of(new CompareReport.Run("w1.json", JsonTrees.MAPPER.readTree(windows.formatted(172800, 120))),
                new CompareReport.Run("w2.json", JsonTrees.MAPPER.readTree(windows.formatted(604800, 600))));
        assertThat(CompareReport.notes(planned, CompareReport.rows(planned))).containsExactly("the runs cover different spans (w1.json: 2d "
                + "from 2026-01-05T00:00:00Z; w2.json: 7d from 2026-01-05T00:00:00Z): costs and node-hours are totals over each, so "
                + "compare cost per day", "the runs' pending SLOs differ (w1.json: 2m; w2.json: 10m): the changes in the table are theirs "
                + "as much as the sizing's");
    }

    /**
     * The HTML charts: money side by side, and the change against the first run per figure as the Δ column has it; a gap (a
     * percentage, in points there) and a figure whose first value is 0 have no per-cent change and are left out.
     */
    @Test
    void theChangeChartShowsTheDeltaColumnsPerCentChangesOnly() throws Exception {
        String html = CompareCharts.of(runs, CompareReport.rows(runs));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?s)id=\"chart-compare-change-config\">(.*?)</script>").matcher(html);
        assertThat(m.find()).isTrue();
        JsonNode change = JsonTrees.MAPPER.readTree(m.group(1));
        assertThat(change.at("/data/labels").toString()).isEqualTo("[\"nodes\",\"lower bound\",\"$/month\"]");
        assertThat(change.at("/data/datasets/0/data").toString()).isEqualTo("[10.0,0.0,0.0]");
        assertThat(change.at("/data/datasets/0/label").asText()).isEqualTo("after|v2.json against before.json");
        assertThat(html).contains("id=\"chart-compare-cost\"");
        assertThat(CompareCharts.of(runs.subList(0, 1), CompareReport.rows(runs.subList(0, 1)))).doesNotContain("compare-change");
    }

    /**
     * QA 69c F4, F7: recommend's rows give the best shape's lower bound and its cost beside the gap, the mix's bound cost and
     * gap where it planned one, and the workload's size (a growth of 5 % that doubles 1-replica groups reads as such); pack's
     * the bound's cost and the workload too. They come after the rows there were, so a CSV read by position keeps those.
     */
    @Test
    void recommendAndPackRowsGiveTheBoundItsCostAndTheWorkloadSize() throws Exception {
        String rec = "{\"command\":\"recommend\",\"workload\":{\"pods\":%d,\"requests\":{\"cpuMillis\":%d,\"memoryBytes\":%d}},"
                + "\"shapes\":[{\"shape\":{\"name\":\"m6i.8xlarge\"},\"nodes\":%d,\"lowerBound\":%d,\"gapPercent\":0.0,"
                + "\"costPerMonth\":%s,\"boundCostPerMonth\":%s,\"unschedulable\":[]}]%s}";
        String mix = ",\"mix\":{\"costPerMonth\":7000.0,\"lowerBoundCostPerHour\":9.1234,\"gapPercent\":4.5,\"unschedulable\":[]}";
        List<CompareReport.Run> grown = List.of(
                new CompareReport.Run("g1.json", JsonTrees.MAPPER.readTree(rec.formatted(146, 154_650, 615_254_065_152L, 5, 5, "5606.4", "5606.4", ""))),
                new CompareReport.Run("g105.json", JsonTrees.MAPPER.readTree(rec.formatted(169, 206_500, 899_661_365_248L, 7, 7, "7848.96",
                        "7848.96", mix))));
        List<CompareReport.Row> rows = CompareReport.rows(grown);
        assertThat(rows.stream().map(CompareReport.Row::metric).toList()).containsExactly("best shape", "nodes", "$/month", "unschedulable pods",
                "gap to bound %", "shapes ranked", "mixed pools $/month", "mixed pools unschedulable pods", "lower bound", "bound $/month",
                "mixed pools bound $/month", "mixed pools gap to bound %", "workload pods", "workload CPU", "workload GiB");
        java.util.Map<String, List<Object>> by = new java.util.HashMap<>();
        rows.forEach(r -> by.put(r.metric(), r.values()));
        assertThat(by.get("lower bound")).containsExactly(5, 7);
        assertThat(by.get("bound $/month")).containsExactly(5606.4, 7848.96);
        assertThat(by.get("mixed pools bound $/month")).containsExactly(null, 6660.08); // 9.1234 $/h × 730
        assertThat(by.get("mixed pools gap to bound %")).containsExactly(null, 4.5);
        assertThat(by.get("workload pods")).containsExactly(146, 169);
        assertThat(by.get("workload CPU")).containsExactly(154.65, 206.5);
        assertThat(by.get("workload GiB")).containsExactly(573.0, 837.875);

        String pack = "{\"command\":\"pack\",\"shape\":{\"name\":\"m5.large\"},\"nodes\":12,\"lowerBound\":10,\"gapPercent\":20.0,"
                + "\"costPerMonth\":840.96,\"boundCostPerMonth\":700.8,\"unschedulable\":[],\"workload\":{\"pods\":30,"
                + "\"requests\":{\"cpuMillis\":7500,\"memoryBytes\":16106127360}}}";
        List<CompareReport.Row> packRows = CompareReport.rows(List.of(new CompareReport.Run("p.json", JsonTrees.MAPPER.readTree(pack))));
        assertThat(packRows.stream().map(r -> r.metric() + "=" + r.values().get(0)).toList()).containsExactly("shape=m5.large", "nodes=12",
                "lower bound=10", "gap to bound %=20.0", "$/month=840.96", "unschedulable pods=0", "bound $/month=700.8", "workload pods=30",
                "workload CPU=7.5", "workload GiB=15.0");
    }
}
