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
}
