package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Cluster Autoscaler's soft taint on its deletion candidates (DeletionCandidateOfClusterAutoscaler:PreferNoSchedule) in the
 * replay: kube-scheduler's TaintToleration keeps new pods off the nodes CA means to remove (QA 68a F2).
 */
class SoftTaintReplayCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Three 4-CPU nodes hold a1 and c1 (2.5 CPU each, for two hours) and x1 (3.5 CPU, until 1,000 s). Once x1 leaves its
     * node is empty, unneeded and soft-tainted; b1 (0.5 CPU, at 1,010 s) and y1 (1.5 CPU, at 1,300 s) go to the other two
     * (y1 fills c1's node), and the empty node goes at 1,000 + 600 s unneeded + 30 s drain: 4 node-hours + 1,630 s. Without
     * the taint the default profile's LeastAllocated put b1 on the empty node and y1 beside it, and kept three nodes for two
     * hours (6 node-hours), as it still does with --max-bulk-soft-taint-count 0, and NodeResourcesFit alone (no TaintToleration).
     */
    @Test
    void theSoftTaintKeepsNewPodsOffTheNodeCaMeansToRemove(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("soft.csv");
        Files.writeString(trace, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                a1,2500,1024,0,0,,LS,Running,0,7200,0
                c1,2500,1024,0,0,,LS,Running,0,7200,0
                x1,3500,1024,0,0,,LS,Running,0,1000,0
                b1,500,1024,0,0,,LS,Running,1010,7200,1010
                y1,1500,1024,0,0,,LS,Running,1300,7200,1300
                """);
        assertThat(nodeHours(trace)).isCloseTo(4 + 1630 / 3600.0, within(1e-4));
        assertThat(nodeHours(trace, "--scheduler-profile", "bin-packing")).isCloseTo(4 + 1630 / 3600.0, within(1e-4));
        assertThat(nodeHours(trace, "--max-bulk-soft-taint-count", "0")).isCloseTo(6, within(1e-4));
        assertThat(nodeHours(trace, "--scoring", "least-allocated")).isCloseTo(6, within(1e-4));
    }

    /** A negative count is refused naming the option, before anything runs. */
    @Test
    void aNegativeCountExitsTwo(@TempDir Path dir) throws Exception {
        CliRunner r = CliRunner.run("replay", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--duration", "1d",
                "--node", "aws:m5.2xlarge", "--autoscaler", "ca", "--max-bulk-soft-taint-count", "-1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--max-bulk-soft-taint-count").contains("must be 0 (no soft taints) or more");
        assertThat(r.out()).isEmpty();
    }

    private static double nodeHours(Path trace, String... more) throws Exception {
        String[] args = CliRunner.concat(new String[]{"replay", "--trace", trace.toString(), "--node", "cpu=4,memory=16Gi,price=1",
                "--autoscaler", "ca", "-o", "json", "--quiet"}, more);
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        return root.get("nodeHours").asDouble();
    }
}
