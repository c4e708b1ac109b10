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
 * replay: kube-scheduler's TaintToleration keeps new pods off the nodes CA means to remove (QA 68a F2); and the order its
 * drains' pods meet the scheduler (QA 68a F3).
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

    /**
     * QA 68a F3: nine pods that all run from the first hour to the end, on 48-CPU 4-GPU nodes (judged by their GPUs, so a
     * node holding large CPU-only pods beside a GPU share is a scale-down candidate). CA's removal simulation puts a drained
     * node's 32-CPU pod on the one node with room for it; its pods, evicted and met by the spreading scheduler smallest
     * first, put a 2-CPU pod there, and the 32-CPU one got a new node, drained again after the delay: 191 scale-ups in two
     * days. Met largest first (CA evicts a node's pods at once, so no order is CA's), the plan holds.
     */
    @Test
    void aCaDrainsPodsMeetTheSchedulerLargestFirstSoItsPlanHolds(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("steady.csv");
        Files.writeString(trace, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                p0,12000,16384,1,500,,LS,Running,738,172800,738
                p1,24000,32768,0,0,,LS,Running,482,172800,482
                p2,32000,32768,0,0,,LS,Running,2266,172800,2266
                p3,2000,32768,0,0,,LS,Running,1756,172800,1756
                p4,2000,32768,0,0,,LS,Running,2226,172800,2226
                p5,24000,32768,0,0,,LS,Running,3050,172800,3050
                p6,32000,32768,0,0,,LS,Running,3177,172800,3177
                p7,6000,65536,1,250,,LS,Running,2293,172800,2293
                p8,32000,32768,0,0,,LS,Running,59,172800,59
                """);
        JsonNode root = replay(trace, "cpu=48,memory=192Gi,gpu=4,price=5");
        assertThat(root.get("scaleUps").asInt()).isLessThanOrEqualTo(6);
        assertThat(root.get("evictions").asInt()).isLessThanOrEqualTo(4);
    }

    /**
     * Review 68 #1: a pod whose only feasible node is soft-tainted goes there (PreferNoSchedule only scores): b1 (2 CPU, a
     * request the scheduler had not met) fits only the node x1 emptied, which CA had tainted. It stayed Pending to the end,
     * CA seeing it schedulable, when the scan of a request never scored before dropped the tainted candidates.
     */
    @Test
    void aPodThatFitsOnlySoftTaintedNodesGoesThere(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("only.csv");
        Files.writeString(trace, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                a1,3500,1024,0,0,,LS,Running,0,7200,0
                c1,3500,1024,0,0,,LS,Running,0,7200,0
                x1,3500,1024,0,0,,LS,Running,0,1000,0
                b1,2000,1024,0,0,,LS,Running,1100,7200,1100
                """);
        JsonNode root = replay(trace, "cpu=4,memory=16Gi,price=1");
        assertThat(root.get("pendingAtEnd").asInt()).isZero();
        assertThat(root.get("pendingMaxSeconds").asLong()).isZero();
    }

    /**
     * Review 68 #2: beside a PreferNoSchedule taint of the shape's own that the pods do not tolerate, the soft taint is worth
     * 150 (TaintToleration normalizes by the highest count: 100 − 100·1/2, times 3), within what the resource scores span:
     * the candidates are totalled, and the emptied node still goes.
     */
    @Test
    void theSoftTaintCountsBesideTheShapesOwnPreferNoScheduleTaint(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("soft.csv");
        Files.writeString(trace, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                a1,2500,1024,0,0,,LS,Running,0,7200,0
                c1,2500,1024,0,0,,LS,Running,0,7200,0
                x1,3500,1024,0,0,,LS,Running,0,1000,0
                b1,500,1024,0,0,,LS,Running,1010,7200,1010
                y1,1500,1024,0,0,,LS,Running,1300,7200,1300
                """);
        assertThat(replay(trace, "cpu=4,memory=16Gi,price=1,taints=spot=true:PreferNoSchedule").get("nodeHours").asDouble())
                .isCloseTo(4 + 1630 / 3600.0, within(1e-4));
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
        return replay(trace, "cpu=4,memory=16Gi,price=1", more).get("nodeHours").asDouble();
    }

    /** The JSON report of a ca replay of {@code trace} on {@code node}, which must exit 0. */
    private static JsonNode replay(Path trace, String node, String... more) throws Exception {
        CliRunner r = CliRunner.run(CliRunner.concat(new String[]{"replay", "--trace", trace.toString(), "--node", node, "--autoscaler", "ca",
                "-o", "json", "--quiet"}, more));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }
}
