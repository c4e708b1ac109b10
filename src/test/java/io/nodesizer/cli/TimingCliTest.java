package io.nodesizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code NODESIZER_TIMING=1} names where recommend's time goes, phase by phase, on stderr (QA 52a F12: only start-up
 * was named), and leaves stdout a report a machine reads. Run in a JVM of its own: the switch is read once, at start.
 */
class TimingCliTest {
    @Test
    void recommendNamesItsPhasesOnStderrAndKeepsStdoutClean() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), "io.nodesizer.cli.Main",
                "recommend", "--pods", "workloads/shop.csv", "--families", "m5,r5", "-o", "json", "--quiet");
        pb.environment().put("NODESIZER_TIMING", "1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        List<String> phases = err.lines().filter(l -> l.startsWith("nodesizer timing: ")).map(l -> l.substring(18, 48).strip()).toList();
        assertThat(phases).containsSubsequence("read workload", "candidate shapes", "heuristics on every shape",
                "optimizer on the best shapes", "HA sizing and notes", "render and write report");
        assertThat(new ObjectMapper().readTree(out).get("command").asText()).isEqualTo("recommend");
    }
}
