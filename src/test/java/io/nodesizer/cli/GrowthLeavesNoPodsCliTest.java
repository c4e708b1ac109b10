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

    @Test
    void aGrowthPastWhatOneRunPacksExitsTwoNamingIt() throws Exception {
        // 5,000,000 replicas (the limit) × 400: 2,000,000,000 pods ended in "out of memory", advising a bigger heap (QA 60b F1).
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: a}
                spec:
                  replicas: 5000000
                  selector: {matchLabels: {app: a}}
                  template:
                    metadata: {labels: {app: a}}
                    spec:
                      containers: [{name: c, image: x, resources: {requests: {cpu: 1m, memory: 1Mi}}}]
                """);
        CliRunner r = CliRunner.run("pack", "--pods", big.toString(), "--node", "cpu=4,memory=16Gi,pods=110", "--growth", "400", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("nodesizer: --growth: The growth (400) makes 2,000,000,000 of the inputs' 5,000,000 pods; "
                + "nodesizer packs at most 5,000,000 in one run. Maybe a growth of at most 1, or split the workload.");
        // A trace's rows are copied as pods, each an object: 5,001 rows × 1,000 are counted before they are made.
        StringBuilder rows = new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,"
                + "scheduled_time\n");
        for (int i = 0; i < 5001; i++) {
            rows.append('p').append(i).append(",100,128,0,0,,LS,Running,0,100,0\n");
        }
        Path trace = dir.resolve("t.csv");
        Files.writeString(trace, rows);
        CliRunner t = CliRunner.run("pack", "--pods", trace.toString(), "--node", "aws:m5.xlarge", "--growth", "1000", "--quiet");
        assertThat(t.exitCode()).as(t.err()).isEqualTo(2);
        assertThat(t.err()).contains("The growth (1000) makes 5,001,000 of the inputs' 5,001 pods").contains("a growth of at most 999.8");
        // 6,000 groups of one replica: each runs ⌈F⌉, so 5,000,000 / 6,000 = 833.33 makes 5,004,000 pods; 833 fits (QA 68c F8).
        StringBuilder profile = new StringBuilder("name,cpu,memory,replicas\n");
        for (int i = 0; i < 6000; i++) {
            profile.append('w').append(i).append(",1m,1Mi,1\n");
        }
        Path groups = dir.resolve("groups.csv");
        Files.writeString(groups, profile);
        CliRunner g = CliRunner.run("pack", "--pods", groups.toString(), "--node", "aws:m5.xlarge", "--growth", "1000", "--quiet");
        assertThat(g.exitCode()).as(g.err()).isEqualTo(2);
        assertThat(g.err()).contains("a growth of at most 833,");
    }
}
