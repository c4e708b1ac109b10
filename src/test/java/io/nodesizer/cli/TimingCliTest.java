package io.nodesizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code NODESIZER_TIMING=1} names where a command's time goes, phase by phase, on stderr (QA 52a F12: only start-up
 * was named), and leaves stdout a report a machine reads. Run in a JVM of its own: the switch is read once, at start.
 */
class TimingCliTest {
    /** The phases a run names, in order; its stdout in {@code out[0]}. */
    private static List<String> phases(String[] out, String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"), "io.nodesizer.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("NODESIZER_TIMING", "1");
        Process p = pb.start();
        byte[] stdout = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        out[0] = new String(stdout, StandardCharsets.UTF_8);
        return err.lines().filter(l -> l.startsWith("nodesizer timing: ")).map(l -> l.substring(18, 48).strip()).toList();
    }

    @Test
    void recommendNamesItsPhasesOnStderrAndKeepsStdoutClean() throws Exception {
        String[] out = new String[1];
        assertThat(phases(out, "recommend", "--pods", "workloads/shop.csv", "--families", "m5,r5", "-o", "json", "--quiet"))
                .containsSubsequence("read workload", "candidate shapes", "heuristics on every shape", "optimizer on the best shapes",
                        "HA sizing and notes", "render and write report");
        assertThat(new ObjectMapper().readTree(out[0]).get("command").asText()).isEqualTo("recommend");
    }

    /** The other commands name theirs (QA 52a F12's second half); a sweep's runs in this JVM name none of their own. */
    @Test
    void everyLongCommandNamesItsPhases() throws Exception {
        String[] out = new String[1];
        assertThat(phases(out, "consolidate", "--snapshot", "workloads/snapshot/cluster.json", "-o", "json"))
                .containsSubsequence("read snapshot", "candidate shapes", "plan, optimize and verify", "render and write report");
        assertThat(phases(out, "analyze", "--snapshot", "workloads/snapshot/cluster.json", "-o", "json"))
                .containsSubsequence("read snapshot", "analyze", "render and write report");
        assertThat(phases(out, "replay", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "aws:m5.4xlarge", "--quiet",
                "-o", "json")).containsSubsequence("read inputs", "candidate clusters", "replays", "notes, render and write report");
        assertThat(phases(out, "windows", "--workload", "workloads/shop.csv", "--demand", "workloads/shop-demand.csv", "--node",
                "aws:m5.2xlarge", "--quiet", "-o", "json")).containsSubsequence("read inputs", "shape, draws and peak packing",
                "plan: replays of alternatives", "render and write report");
        assertThat(phases(out, "rightsize", "--pods", "workloads/rightsize/shop.yaml", "--usage", "workloads/rightsize/usage.csv",
                "--families", "m5", "--quiet", "-o", "json")).containsSubsequence("read workload", "read usage and advise",
                "pack before and after", "render and write report");
        Path scenarios = Files.createTempFile("scenarios", ".yaml");
        Files.writeString(scenarios, """
                scenarios:
                  - name: shapes
                    command: pack
                    args: {pods: workloads/shop.csv, strategy: ffd}
                    vary: {node: ["aws:m5.2xlarge", "aws:m5.4xlarge"]}
                """);
        try {
            List<String> sweep = phases(out, "sweep", "--scenarios", scenarios.toString(), "--quiet", "-o", "json");
            assertThat(sweep).containsSubsequence("read scenarios", "runs", "render and write report")
                    .doesNotContain("read workload", "evaluate"); // pack's phases, inside the runs
        } finally {
            Files.delete(scenarios);
        }
    }
}
