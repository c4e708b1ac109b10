package io.nodesizer.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodesizer.analyze.ClusterAnalysis;
import io.nodesizer.input.manifest.SnapshotReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class AnalyzeReportTest {
    private static final ClusterAnalysis.Result SAMPLE = ClusterAnalysis.analyze(
            SnapshotReader.read(List.of(Path.of("workloads/snapshot/cluster.json")), List.of("cluster.json")));

    /**
     * QA 66a L3: the CSV had no lost-if-down column, the one resilience figure every other format has; the node states
     * follow it (QA 74 F3), appended so that readers by position keep working.
     */
    @Test
    void theCsvHasLostIfDownThenTheNodeStates() throws Exception {
        String[] csv = AnalyzeReport.render(ReportFormat.CSV, SAMPLE).split("\n");
        assertThat(csv[0]).endsWith(",pricePerHour,allocGpuMillis,requestedGpuMillis,controlPlane,unplaceableIfLost,cordoned,notReady,deletedBy");
        assertThat(List.of(csv).subList(1, csv.length)).extracting(l -> String.join("|", List.of(l.split(",", -1)).subList(18, 22)))
                .containsExactly("2|false||", "1|false||", "1|false||");
        JsonNode json = JsonTrees.MAPPER.readTree(AnalyzeReport.render(ReportFormat.JSON, SAMPLE));
        assertThat(json.path("unplaceableIfLostNote").isNull()).isTrue();
        assertThat(AnalyzeReport.render(ReportFormat.TABLE, SAMPLE)).doesNotContain("not estimated");
    }

    /**
     * QA 66a L2: above the check limit every node's "lost if down" was "–" with no word of why, which reads as nothing lost;
     * a line under the table (a JSON note) says it was not estimated and why, and the CSV cell is empty.
     */
    @Test
    void aSkippedLostIfDownEstimateIsSaid() throws Exception {
        List<ClusterAnalysis.NodeRow> unchecked = SAMPLE.nodes().stream().map(n -> new ClusterAnalysis.NodeRow(n.node(), n.requested(),
                n.daemonSets(), n.pods(), n.stranded(), n.pricePerHour(), null, n.extendedRequested())).toList();
        // 24,000,000 pods on its 3 nodes: 7.2·10⁷ checks (QA's 143,809 pods on 5,000 nodes were 7.2·10⁸).
        ClusterAnalysis.Result big = new ClusterAnalysis.Result(unchecked, SAMPLE.pools(), SAMPLE.pending(), SAMPLE.costPerHour(),
                SAMPLE.unknownTypes(), SAMPLE.podsOnUnknownNodes(), SAMPLE.sources(), 24_000_000L * 3, SAMPLE.perPodNodes());
        String note = "not estimated: 7.2·10⁷ pod × node checks (24,000,000 pods × 3 nodes), above the limit of 5·10⁷ "
                + "(the check grows with their product)";
        assertThat(big.failureChecked()).isFalse();
        assertThat(AnalyzeReport.render(ReportFormat.TABLE, big)).contains("lost if down   " + note);
        assertThat(AnalyzeReport.render(ReportFormat.MARKDOWN, big)).contains("- lost if down: " + note);
        JsonNode json = JsonTrees.MAPPER.readTree(AnalyzeReport.render(ReportFormat.JSON, big));
        assertThat(json.path("unplaceableIfLostNote").asText()).isEqualTo("lost if down " + note);
        assertThat(json.path("nodes").path(0).path("unplaceableIfLost").isNull()).isTrue();
        assertThat(AnalyzeReport.render(ReportFormat.CSV, big).split("\n")[1]).endsWith(",false,,false,,");
        assertThat(AnalyzeReport.powerOfTen(50_000_000L)).isEqualTo("5·10⁷");
        assertThat(AnalyzeReport.powerOfTen(99_600_000L)).isEqualTo("1·10⁸");
    }

    /**
     * QA 76b F6: analyze's HTML was the terminal's text in a {@code <pre>}, titled without its input, with no table and no
     * chart. Now the pools and nodes are tables with right-aligned numbers, each node's requests are drawn as a share of its
     * allocatable (one point per node and resource, as the table's CPU % and mem %), the facts are a table and the pending
     * pods a list; self-contained (no linked script, stylesheet or image: Chart.js is inlined).
     */
    @Test
    void theHtmlHasTablesAChartOfTheNodesAndItsInputInTheTitle() throws Exception {
        String html = AnalyzeReport.render(ReportFormat.HTML, SAMPLE);
        assertThat(html).doesNotContain("<pre>").contains("<title>nodesizer analyze: 3 nodes, ").contains("(cluster.json)</title>")
                .contains("<h2>Pools</h2>").contains("<h2>Nodes</h2>").contains("<th class=\"r\">CPU %</th>")
                .contains("data-chart=\"node-fill\"").doesNotContain("<script src").doesNotContain("<link").doesNotContain("<img");
        assertThat(html).contains("<li>").contains("<h2>Pending pods</h2>");
        String config = html.substring(html.indexOf("<script type=\"application/json\" id=\"chart-node-fill-config\">"));
        JsonNode chart = JsonTrees.MAPPER.readTree(config.substring(config.indexOf('>') + 1, config.indexOf("</script>")));
        assertThat(chart.path("data").path("labels")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(SAMPLE.nodes().stream().map(n -> n.node().name()).toList());
        JsonNode cpu = chart.path("data").path("datasets").path(0);
        assertThat(cpu.path("label").asText()).isEqualTo("cpu");
        for (int i = 0; i < SAMPLE.nodes().size(); i++) {
            ClusterAnalysis.NodeRow n = SAMPLE.nodes().get(i);
            assertThat(cpu.path("data").path(i).asDouble()).isCloseTo(100.0 * n.requested().cpuMillis() / n.node().allocatable().cpuMillis(),
                    org.assertj.core.data.Offset.offset(0.01));
        }
        assertThat(chart.path("data").path("datasets")).extracting(d -> d.path("label").asText()).containsExactly("cpu", "memory", "pods");
    }
}
