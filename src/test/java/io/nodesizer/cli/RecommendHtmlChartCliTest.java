package io.nodesizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML report's "where the capacity goes" chart counts every node, the HA spares included, as the table's CPU %
 * does (QA 48a: 38.9 % in the chart beside 19.4 % in the table for m6i.large, 2 nodes + 1 HA spare); the spares show
 * as a segment of their own.
 */
final class RecommendHtmlChartCliTest {
    @TempDir
    Path dir;

    private static double first(String html, String label) {
        Matcher m = Pattern.compile("\"label\" : \"" + Pattern.quote(label) + "\"[^]]*?\"data\" : \\[ ([0-9.]+)").matcher(html);
        assertThat(m.find()).as(label).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theUtilisationChartCountsTheHaSparesAsTheTableDoes() throws Exception {
        Path pods = dir.resolve("tiny.csv");
        Files.writeString(pods, "name,cpu,memory,replicas\nweb,250m,512Mi,3\n");
        CliRunner html = CliRunner.run("recommend", "--pods", pods.toString(), "--families", "m6i", "-o", "html", "--quiet");
        assertThat(html.exitCode()).as(html.err()).isZero();
        assertThat(html.out()).contains("<table class=\"ranked\">").contains("table.ranked tbody tr:first-child td{font-weight:600}");
        CliRunner json = CliRunner.run("recommend", "--pods", pods.toString(), "--families", "m6i", "-o", "json", "--quiet");
        var best = new ObjectMapper().readTree(json.out()).path("shapes").get(0);
        assertThat(best.path("nodes").asInt()).isGreaterThan(best.path("packedNodes").asInt()); // an HA spare
        assertThat(first(html.out(), "CPU requested")).isCloseTo(100 * best.path("utilization").path("cpu").asDouble(),
                org.assertj.core.data.Offset.offset(0.01));
        int nodes = best.path("nodes").asInt();
        assertThat(first(html.out(), "CPU on HA spares")).isCloseTo(100.0 * (nodes - best.path("packedNodes").asInt()) / nodes,
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(html.out()).contains("% of allocatable on all nodes (HA spares included)");
    }

    /** QA 67c F5: where no candidate places every pod, the page says why two charts are not drawn, and that the node chart's shape leaves pods out. */
    @Test
    void chartsLeftOutAreSaidAndTheNodeChartNamesThePodsLeftOut() throws Exception {
        Path pods = dir.resolve("some.csv");
        Files.writeString(pods, "name,cpu,memory,replicas\nweb,1,2Gi,6\nhuge,500,1Gi,2\n");
        CliRunner html = CliRunner.run("recommend", "--pods", pods.toString(), "--families", "m5", "--strategies", "ffd", "-o", "html", "--quiet");
        assertThat(html.exitCode()).as(html.err()).isZero();
        assertThat(html.out()).contains("Not drawn: no priced candidate places every pod").contains("leaves 2 pods of 8 out: its nodes hold the others only.")
                .doesNotContain("id=\"chart-cost-vs-size\"").contains("<noscript><p>The charts need JavaScript");
    }
}
