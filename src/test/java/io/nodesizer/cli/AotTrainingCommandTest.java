package io.nodesizer.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher records its start-up cache from this run: it must succeed quietly and clean up. */
final class AotTrainingCommandTest {

    @Test
    void runsTheEverydayPathsSilentlyAndLeavesNoFilesBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before;
        try (var files = Files.list(tmp)) {
            before = files.filter(p -> p.getFileName().toString().startsWith("nodesizer-aot")).count();
        }
        CliRunner r = CliRunner.run("aot-training");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
        try (var files = Files.list(tmp)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("nodesizer-aot")).count()).isEqualTo(before);
        }
        assertThat(CliRunner.run("--help").out()).doesNotContain("aot-training"); // hidden
    }
}
