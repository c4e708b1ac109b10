package io.nodesizer.cli;

import org.junit.jupiter.api.Test;

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
}
