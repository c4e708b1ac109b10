package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

final class CompareCliTest {
    @TempDir
    Path dir;

    /** Reports of two commands are refused naming each with its article (QA 64a F28: "This is a analyze report"). */
    @Test
    void reportsOfTwoCommandsAreNamedWithTheirArticles() throws Exception {
        Path pack = dir.resolve("pack.json");
        Path analyze = dir.resolve("analyze.json");
        CliRunner p = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.large", "-o", "json", "--quiet");
        assertThat(p.exitCode()).as(p.err()).isZero();
        Files.writeString(pack, p.out());
        CliRunner a = CliRunner.run("analyze", "--snapshot", "workloads/snapshot/cluster.json", "-o", "json");
        assertThat(a.exitCode()).as(a.err()).isZero();
        Files.writeString(analyze, a.out());

        CliRunner r = CliRunner.run("compare", pack.toString(), analyze.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("This is an analyze report and pack.json is a pack report");
        r = CliRunner.run("compare", analyze.toString(), pack.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("This is a pack report and analyze.json is an analyze report");
    }

    /** Picocli's parse errors in the tool's words, what is expected and what was found (QA 74b F7). */
    @Test
    void parseErrorsSayWhatIsExpectedAndWhatWasFound() {
        CliRunner one = CliRunner.run("compare", "a.json");
        assertThat(one.exitCode()).isEqualTo(2);
        assertThat(one.err()).contains("nodesizer: expected at least 2 REPORT values; found 1: [a.json].").doesNotContain("positional parameter");
        CliRunner ratios = CliRunner.run("recommend", "--pods", "workloads/shop.csv", "--ratios", "abc");
        assertThat(ratios.exitCode()).isEqualTo(2);
        assertThat(ratios.err()).contains("nodesizer: --ratios: expected a number such as 1.5; found 'abc'.");
        CliRunner empty = CliRunner.run("recommend", "--pods", "workloads/shop.csv", "--ratios", "2,,4");
        assertThat(empty.err()).contains("nodesizer: --ratios: expected a number such as 1.5; found an empty value");
        CliRunner seed = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.large", "--seed", "1.5");
        assertThat(seed.err()).contains("nodesizer: --seed: expected a whole number such as 3; found '1.5'.");
    }

    /** QA 66a L1: a report missing its headline fields, or with a number field of another type, was shown as "–", exit 0. */
    @Test
    void aReportWithoutItsFieldsOrWithAMistypedOneIsRefused() throws Exception {
        Path good = dir.resolve("good.json");
        Files.writeString(good, "{\"command\":\"consolidate\",\"schemaVersion\":1,\"before\":{\"nodes\":3,\"costPerHour\":1.5},"
                + "\"after\":{\"nodes\":2,\"costPerHour\":1.0},\"kept\":[]}");
        Path bare = dir.resolve("bare.json");
        Files.writeString(bare, "{\"command\":\"consolidate\",\"schemaVersion\":1}");
        Path cheap = dir.resolve("cheap.json");
        Files.writeString(cheap, Files.readString(good).replace("\"costPerHour\":1.0", "\"costPerHour\":\"cheap\""));

        CliRunner r = CliRunner.run("compare", good.toString(), bare.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(bare + ": before must be an object (every consolidate report has one); found none.");
        r = CliRunner.run("compare", good.toString(), cheap.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(cheap + ": after.costPerHour must be a number or null; found \"cheap\".");
        r = CliRunner.run("compare", good.toString(), good.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        // QA 66b L3: a directory was "cannot be read: Is a directory".
        r = CliRunner.run("compare", good.toString(), dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(dir + ": Expected a report; found a directory.");
    }

    /** QA 66b L7: a pending percentile on pods deleted while pending was "never" in the JSON, where replay and sweep write null. */
    @Test
    void aPendingFigureOfPodsThatNeverStartedIsNullInTheJson() throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, "{\"command\":\"replay\",\"schemaVersion\":1,\"ranking\":[{\"costTotal\":10.0,\"pendingP95Seconds\":30,"
                + "\"deletedWhilePending\":0}]}");
        Files.writeString(b, "{\"command\":\"replay\",\"schemaVersion\":1,\"ranking\":[{\"costTotal\":8.0,\"pendingP95Seconds\":null,"
                + "\"deletedWhilePending\":2}]}");
        CliRunner r = CliRunner.run("compare", a.toString(), b.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode p95 = null;
        for (com.fasterxml.jackson.databind.JsonNode row : new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).path("rows")) {
            if (row.path("metric").asText().equals("pending p95 s")) {
                p95 = row.path("values");
            }
        }
        assertThat(p95).isNotNull();
        assertThat(p95.path(0).asInt()).isEqualTo(30);
        assertThat(p95.path(1).isNull()).isTrue();
        // The table still says why there is no figure.
        r = CliRunner.run("compare", a.toString(), b.toString());
        assertThat(r.out()).containsPattern("pending p95 s +30 +never");
        assertThat(r.out()).doesNotContain("provisioning delay"); // neither names one
    }

    /**
     * QA 71a F2: a ca and a karpenter replay differ in their provisioning delays (3m..5m against 1m by default), behind most
     * of their pending figures' change: a last row names them where they differ, and none where they agree.
     */
    @Test
    void differingProvisioningDelaysAreARow() throws Exception {
        Path a = dir.resolve("ca.json");
        Path b = dir.resolve("karpenter.json");
        Path c = dir.resolve("karpenter4m.json");
        String report = "{\"command\":\"replay\",\"schemaVersion\":1,\"autoscalerSettings\":\"%s, provisioning delay %s, drain 30s, "
                + "scheduler default profile; shapes: m5.2xlarge\",\"ranking\":[{\"autoscaler\":\"%s\",\"costTotal\":10.0,\"pendingP95Seconds\":%d}]}";
        Files.writeString(a, report.formatted("ca", "3m..5m", "ca", 296));
        Files.writeString(b, report.formatted("karpenter", "1m", "karpenter", 61));
        Files.writeString(c, report.formatted("karpenter", "3m..5m", "karpenter", 241));
        CliRunner r = CliRunner.run("compare", a.toString(), b.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("provisioning delay +3m\\.\\.5m +1m +changed");
        assertThat(CliRunner.run("compare", a.toString(), c.toString()).out()).doesNotContain("provisioning delay");
    }
}
