package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.nodesizer.cli.CliRunner.concat;
import static org.assertj.core.api.Assertions.assertThat;

/** What QA 59a found in the replay's reports and inputs, beside the figures: layout, headings, messages. */
final class ReplayReportLayoutCliTest {
    private static final String[] TWO_SIZES = {"replay", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "aws:m5.xlarge",
        "--node", "aws:c5.4xlarge", "--duration", "1d", "--autoscaler", "ca", "--pending-slo", "2m", "--quiet", "--reproducible"};

    @TempDir
    Path dir;

    private static String[] with(String... tail) {
        String[] out = java.util.Arrays.copyOf(TWO_SIZES, TWO_SIZES.length + tail.length);
        System.arraycopy(tail, 0, out, TWO_SIZES.length, tail.length);
        return out;
    }

    /** F5: the size verdict in Markdown is a heading and a list, not one heading with the classes run into it. */
    @Test
    void theMarkdownSizeVerdictIsAHeadingAndItsClassesAList() {
        CliRunner r = CliRunner.run(with("-o", "markdown"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\n## Fewer-larger or many-smaller, over time: medium nodes \\(8-31 vCPU\\) win[^\n]*\n\n"
                + "- small best m5\\.xlarge: [^\n]*\n- medium best c5\\.4xlarge: ");
    }

    /**
     * F4: the HTML report has the size verdict, a ranking titled as it orders (the SLO before the cost), and the best run's
     * figures without a header of its own ("clusters: 1 (sweep)" under a page of two).
     */
    @Test
    void theHtmlReportHasTheVerdictAndItsRankingSaysHowItOrders() throws Exception {
        Path page = dir.resolve("r.html");
        CliRunner r = CliRunner.run(with("-o", "html", "--out", page.toString()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        String html = Files.readString(page);
        assertThat(html).contains("<h2>Ranking: fewest pods left out, then meeting the pending SLO, then cost over the run</h2>")
                .contains("<h2>Fewer-larger or many-smaller</h2>").contains("<li>small best m5.xlarge: ")
                .contains("clusters: 2 (sweep)").doesNotContain("clusters: 1 (sweep)").doesNotContain("Ranking by cost");
        assertThat(html.substring(html.indexOf("<h2>Best run</h2>"))).startsWith("<h2>Best run</h2>\n<pre>Best: c5.4xlarge\ncost $");
        // Counts tick on whole numbers, and ready nodes are not drawn in the scale-up markers' green (QA 65b F7).
        String compact = html.replaceAll("\\s+", "");
        assertThat(compact).contains("\"label\":\"readynodes\",\"borderColor\":\"#2a9d8f\"").contains("\"ticks\":{\"precision\":0}");
    }

    /** F9: a demand time the spring change skips is named, with what it is read as, when the next row then seems out of order. */
    @Test
    void aDemandTimeInTheSpringGapIsNamedWhenTheNextRowSeemsEarlier() throws Exception {
        Path demand = dir.resolve("d.csv");
        Files.writeString(demand, "time,workload,replicas\n2026-03-08T01:00,storefront,2\n2026-03-08T02:30,storefront,3\n2026-03-08T03:00,storefront,4\n");
        CliRunner r = CliRunner.run("replay", "--workload", "workloads/shop.csv", "--demand", demand.toString(), "--node", "aws:m5.2xlarge",
                "--time-zone", "America/New_York", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("d.csv:4: The time (2026-03-08T03:00) is before the previous row's (line 3: 2026-03-08T02:30 does not "
                + "exist in America/New_York (the clocks skip it that night): it is read as 2026-03-08T03:30); rows must be in time order.");
    }

    /** F10: with --synthetic, the run starts on the Monday of the earliest surge's week, in whichever order they are given. */
    @Test
    void theRunStartsInTheEarliestSurgesWeekWhateverTheirOrder() {
        String early = "2x@2026-11-12T08:00/6h";
        String late = "3x@2026-11-17T08:00/6h"; // the next week: the run (14 days) starts on the 9th
        String[] base = {"replay", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "aws:m5.2xlarge", "--duration", "14d",
            "--quiet", "--reproducible", "-o", "json"};
        CliRunner a = CliRunner.run(concat(base, "--surge", late, "--surge", early));
        CliRunner b = CliRunner.run(concat(base, "--surge", early, "--surge", late));
        assertThat(a.exitCode()).as(a.err()).isZero();
        // the same run: only the inputs line names the surges in the order given
        assertThat(a.out()).contains("\"start\" : \"2026-11-09T00:00:00Z\"");
        assertThat(a.out().replaceFirst("\"inputs\" : \"[^\"]*\"", "")).isEqualTo(b.out().replaceFirst("\"inputs\" : \"[^\"]*\"", ""));
    }
}
