package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --scheduler-profile} on pack and recommend, as on replay: the kube-* strategy of that profile. */
final class SchedulerProfileCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(CliRunner r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void theProfileChoosesItsKubeStrategy() throws Exception {
        JsonNode bin = json(CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.xlarge", "--scheduler-profile", "bin-packing",
                "-o", "json", "--quiet"));
        assertThat(bin.path("strategy").asText()).isEqualTo("kube-bin-packing");
        JsonNode same = json(CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.xlarge", "--strategy", "kube-bin-packing",
                "-o", "json", "--quiet"));
        assertThat(bin.path("nodes").asInt()).isEqualTo(same.path("nodes").asInt());
        JsonNode rec = json(CliRunner.run("recommend", "--pods", "workloads/shop.csv", "--families", "m5", "--scheduler-profile", "default",
                "-o", "json", "--quiet"));
        assertThat(rec.path("shapes")).allSatisfy(s -> assertThat(s.path("strategy").asText()).isEqualTo("kube-default"));
    }

    @Test
    void anUnknownProfileOrAProfileBesideAnotherStrategyExits2() {
        CliRunner unknown = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.xlarge", "--scheduler-profile", "spread");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("must be default or bin-packing");
        CliRunner both = CliRunner.run("recommend", "--pods", "workloads/shop.csv", "--families", "m5", "--scheduler-profile", "default",
                "--strategies", "ffd");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
    }
}
