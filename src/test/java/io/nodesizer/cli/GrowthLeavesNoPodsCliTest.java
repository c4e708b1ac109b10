package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --growth scales single pods (trace rows, bare Pods) to round(n × F) pods, which is 0 below
 * F = 0.5 / n; every command taking --growth then exits 2 saying so, instead of recommending
 * "0 nodes, $0.00/month" or failing inside the pattern stage (IndexOutOfBounds with --max-pools).
 */
final class GrowthLeavesNoPodsCliTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandWithGrowthRefusesAWorkloadGrowthEmptied() throws Exception {
        // Four openb rows (single pods): round(4 × 0.1) = 0; one pod needs F >= 0.5 / 4 = 0.125.
        Path trace = dir.resolve("t.csv");
        Files.writeString(trace, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                p0,4000,8192,0,0,,LS,Running,0,100,0
                p1,4000,8192,0,0,,LS,Running,0,100,0
                p2,4000,8192,0,0,,LS,Running,0,100,0
                p3,4000,8192,0,0,,LS,Running,0,100,0
                """);
        String expected = "nodesizer: --growth: The growth (0.1) leaves no pods: the workload's 4 single pods (trace rows, bare Pods)"
                + " × 0.1 round to 0. Maybe a growth of at least 0.125 (one pod), or no --growth.";
        for (List<String> command : List.of(
                List.of("recommend", "--pods", trace.toString(), "--families", "m5", "--max-pools", "2"),
                List.of("recommend", "--pods", trace.toString(), "--families", "m5"),
                List.of("pack", "--pods", trace.toString(), "--node", "aws:m5.xlarge"),
                List.of("replay", "--workload", trace.toString(), "--node", "aws:m5.xlarge"),
                List.of("windows", "--workload", trace.toString(), "--node", "aws:m5.xlarge"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(List.of("--growth", "0.1", "--quiet"));
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(String.join(" ", command) + "\n" + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", command)).isEqualTo(expected);
        }
        // At the threshold one pod is left and the run goes on.
        assertThat(CliRunner.run("pack", "--pods", trace.toString(), "--node", "aws:m5.xlarge", "--growth", "0.125", "--quiet").exitCode())
                .isZero();
    }

    @Test
    void theSuggestedGrowthKeepsOnePodWhateverThePodCount() {
        // 0.5 / 7 = 0.0714…: 0.071 (rounded half up) keeps none, 0.0715 one; 0.5 / 1,500 is 0.000333…, not "0".
        assertThat(WorkloadOptions.smallestKeepingOne(7)).isEqualTo(0.0715);
        for (int n : new int[] {1, 3, 7, 9, 1500, 70_001, 1_000_000}) {
            double f = WorkloadOptions.smallestKeepingOne(n);
            assertThat(Math.round(n * f)).as("n = " + n).isGreaterThanOrEqualTo(1);
            assertThat(f).as("n = " + n).isLessThan(0.5 / n * 1.01);
        }
    }
}
