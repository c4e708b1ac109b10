package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A packing of more nodes than one Kubernetes cluster runs (5,000: "Considerations for large clusters") is said to be one,
 * in pack, recommend and rightsize (QA 66a L5: rightsize's best shape for a 5,000-node cluster took 13,579 nodes without a word).
 */
class ClusterLimitsCliTest {
    @TempDir
    Path dir;

    /** {@code pods} pods of 3 CPU, one per m5.xlarge (3.92 allocatable CPU). */
    private Path pods(int pods) throws Exception {
        return Files.writeString(dir.resolve("w" + pods + ".csv"), "name,cpu,memory,replicas\nweb,3,4Gi," + pods + "\n");
    }

    @Test
    void aPackingAboveFiveThousandNodesIsSaidToBeMoreThanOneCluster() throws Exception {
        CliRunner pack = CliRunner.run("pack", "--pods", pods(5001).toString(), "--node", "aws:m5.xlarge", "--strategy", "ffd");
        assertThat(pack.exitCode()).as(pack.err()).isZero();
        assertThat(pack.out()).contains("note: the packing, m5.xlarge, needs 5,001 nodes: more than the 5,000 nodes Kubernetes supports in "
                + "one cluster");
        CliRunner recommend = CliRunner.run("recommend", "--pods", pods(5001).toString(), "--node", "aws:m5.xlarge", "--strategies", "ffd",
                "-o", "json");
        assertThat(recommend.exitCode()).as(recommend.err()).isZero();
        assertThat(recommend.out()).contains("the best shape, m5.xlarge, needs 5,001 nodes: more than the 5,000 nodes");
        Path usage = Files.writeString(dir.resolve("usage.csv"), "timestamp,namespace,workload,container,cpu,memory\n"
                + "1764547200,default,web,web,2.5,3221225472\n");
        CliRunner rightsize = CliRunner.run("rightsize", "--pods", pods(5001).toString(), "--usage", usage.toString(), "--node",
                "aws:m5.xlarge", "--strategies", "ffd");
        assertThat(rightsize.exitCode()).as(rightsize.err()).isZero();
        assertThat(rightsize.out()).contains("before, on its best shape, m5.xlarge, needs 5,001 nodes")
                .contains("after, on its best shape, m5.xlarge, needs 5,001 nodes");
    }

    @Test
    void fiveThousandNodesAreOneCluster() throws Exception {
        CliRunner pack = CliRunner.run("pack", "--pods", pods(5000).toString(), "--node", "aws:m5.xlarge", "--strategy", "ffd");
        assertThat(pack.exitCode()).as(pack.err()).isZero();
        assertThat(pack.out()).contains("5,000   lower bound 5,000").doesNotContain("Kubernetes supports in one cluster");
    }
}
