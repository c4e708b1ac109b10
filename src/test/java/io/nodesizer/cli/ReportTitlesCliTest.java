package io.nodesizer.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A report's title names its input in every format: standard input as the errors name it, "(stdin)", once (QA 74 F7:
 * "((stdin))"), and consolidate's markdown and HTML as its table does (QA 74 F8: they left the input out).
 */
final class ReportTitlesCliTest {
    private static final String SNAPSHOT = "workloads/snapshot/cluster.json";

    @Test
    void standardInputIsNamedInParenthesesOnce() throws Exception {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(Files.readString(Path.of(SNAPSHOT)).getBytes(StandardCharsets.UTF_8)));
            CliRunner r = CliRunner.run("analyze", "--snapshot", "-");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out().lines().findFirst().orElseThrow()).endsWith(" (stdin)").doesNotContain("((stdin))");
        } finally {
            System.setIn(stdin);
        }
        assertThat(CliRunner.run("analyze", "--snapshot", SNAPSHOT).out().lines().findFirst().orElseThrow()).endsWith(" (" + SNAPSHOT + ")");
    }

    @Test
    void consolidateNamesItsInputInEveryFormat() {
        assertThat(CliRunner.run("consolidate", "--snapshot", SNAPSHOT).out()).startsWith("nodesizer consolidate (" + SNAPSHOT + ")\n");
        assertThat(CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "-o", "markdown").out())
                .startsWith("# nodesizer consolidate (" + SNAPSHOT + ")\n");
        assertThat(CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "-o", "html").out())
                .contains("<title>nodesizer consolidate (" + SNAPSHOT + ")</title>").contains("<h1>nodesizer consolidate (" + SNAPSHOT + ")</h1>");
    }
}
