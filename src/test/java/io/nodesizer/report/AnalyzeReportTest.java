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
}
