package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --node …,labels=…,taints=…}: a node has one value per label key, and the API server rejects
 * a node with two taints of one key and effect ("taints must be unique by key and effect pair"), so
 * a spec that gives either twice is a mistake to report (exit 2), not a last-one-wins.
 */
final class NodeSpecLabelsCliTest {
    @Test
    void aLabelKeyGivenTwiceExitsTwo() {
        CliRunner r = CliRunner.run("pack", "--node", "aws:m5.xlarge,labels=workload=batch;workload=web");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--node").contains("workload").contains("twice").doesNotContain("\tat ");
    }

    @Test
    void aTaintKeyAndEffectGivenTwiceExitsTwo() {
        CliRunner r = CliRunner.run("pack", "--node", "aws:m5.xlarge,taints=dedicated=a:NoSchedule;dedicated=b:NoSchedule");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--node").contains("dedicated").contains("NoSchedule").contains("twice");
        // one key with two effects is two taints, as kubectl taint allows
        CliRunner ok = CliRunner.run("pack", "--node", "aws:m5.xlarge,taints=dedicated=a:NoSchedule;dedicated=a:NoExecute");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
    }

    /**
     * Two node groups of one instance type (one labelled and tainted for batch) are two candidates:
     * the second kept under a name of its own, its nodes still labelled as the type's. Before, the
     * second was dropped as a duplicate name, so the batch pods fit "no node shape"; the same for two
     * inline shapes of one size without name=.
     */
    @Test
    void aSecondShapeUnderATakenNameIsKeptUnderItsOwn(@TempDir Path dir) throws Exception {
        Path pods = dir.resolve("pods.csv");
        Files.writeString(pods, "name,cpu,memory,replicas,selector,tolerations\n"
                + "web,1,1Gi,2,node.kubernetes.io/instance-type=m5.xlarge,\n"
                + "batch,1,1Gi,2,workload=batch,dedicated=batch:NoSchedule\n");
        CliRunner r = CliRunner.run("replay", "--workload", pods.toString(), "--node", "aws:m5.xlarge",
                "--node", "aws:m5.xlarge,labels=workload=batch,taints=dedicated=batch:NoSchedule", "--pools", "mixed",
                "--autoscaler", "ca", "--duration", "1h", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"m5.xlarge#2\"").doesNotContain("fit no node shape");
        assertThat(r.out()).contains("\"unschedulable\" : 0").contains("\"pendingAtEnd\" : 0");
        CliRunner inline = CliRunner.run("replay", "--workload", pods.toString(), "--node", "cpu=4,memory=16Gi,labels=node.kubernetes.io/instance-type=m5.xlarge",
                "--node", "cpu=4,memory=16Gi,labels=workload=batch,taints=dedicated=batch:NoSchedule", "--pools", "mixed",
                "--autoscaler", "ca", "--duration", "1h");
        assertThat(inline.exitCode()).as(inline.err()).isZero();
        assertThat(inline.out()).contains("custom-4c-16g#2: a second custom-4c-16g (labels workload=batch, taints dedicated=batch:NoSchedule)")
                .doesNotContain("fit no node shape");
        // The same shape twice is one candidate.
        CliRunner same = CliRunner.run("recommend", "--pods", pods.toString(), "--node", "aws:m5.xlarge", "--node", "aws:m5.xlarge");
        assertThat(same.out()).doesNotContain("#2");
        // So is the second shape given twice: no #3 beside #2.
        CliRunner twice = CliRunner.run("recommend", "--pods", pods.toString(), "--node", "aws:m5.xlarge",
                "--node", "aws:m5.xlarge,labels=workload=batch", "--node", "aws:m5.xlarge,labels=workload=batch", "-o", "json");
        assertThat(twice.exitCode()).as(twice.err()).isZero();
        assertThat(twice.out()).contains("m5.xlarge#2").doesNotContain("m5.xlarge#3");
    }
}
