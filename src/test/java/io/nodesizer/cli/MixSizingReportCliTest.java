package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A mix sized for production (HA headroom, a control plane fee) says what its bound and gap are of, in every format (QA 53a F5, F6). */
final class MixSizingReportCliTest {
    private static final String[] ARGS = {"recommend", "--pods", "workloads/shop.csv", "--families", "m5a,c6a", "--max-pools", "2",
            "--survive", "zone", "--zones", "3", "--control-plane-fee", "0.10", "--quiet", "--reproducible"};

    private static String[] with(String... more) {
        String[] out = java.util.Arrays.copyOf(ARGS, ARGS.length + more.length);
        System.arraycopy(more, 0, out, ARGS.length, more.length);
        return out;
    }

    @Test
    void theBoundIsOfThePlannedNodesAndTheChartAddsUpToTheTotal() throws Exception {
        CliRunner table = CliRunner.run(ARGS);
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("control plane (managed fee)").containsPattern("mix total +\\d+ \\(\\+\\d+ HA\\)")
                .containsPattern("planned nodes \\(before HA and control plane\\) +\\d+ ")
                .containsPattern("cost lower bound \\(gap \\d+\\.\\d %( to the planned nodes)\\)")
                .containsPattern("\\(gap \\d+\\.\\d % to the planned nodes' \\$[0-9,.]+/month, before the HA headroom and the control plane\\)");
        // The HTML chart's mix bar: its pools and the control plane, summing to the table's total.
        CliRunner html = CliRunner.run(with("-o", "html"));
        String out = html.out();
        String chart = chartConfig(out);
        assertThat(chart).contains("\"control plane\"").contains("planned nodes, before HA and control plane");
        JsonNode json = new ObjectMapper().readTree(CliRunner.run(with("-o", "json")).out());
        // The planned nodes' row counts them, not the total with the headroom (QA 58d F3).
        int packed = 0;
        for (JsonNode pool : json.get("mix").get("pools")) {
            packed += pool.get("packedNodes").asInt();
        }
        assertThat(table.out()).containsPattern("planned nodes \\(before HA and control plane\\) +" + packed + " ");
        double total = json.get("mix").get("costPerMonth").asDouble();
        JsonNode config = new ObjectMapper().readTree(chart);
        double sum = 0;
        for (JsonNode dataset : config.get("data").get("datasets")) {
            JsonNode first = dataset.get("data").get(0);
            sum += first.isNumber() ? first.asDouble() : 0;
        }
        assertThat(sum).isCloseTo(total, within(0.05));
    }

    /** The mix chart's configuration: the JSON script block the report writes for it. */
    private static String chartConfig(String html) {
        String open = "<script type=\"application/json\" id=\"chart-mix-config\">";
        int start = html.indexOf(open);
        assertThat(start).as("the mix chart's configuration").isNotNegative();
        return html.substring(start + open.length(), html.indexOf("</script>", start));
    }
}
