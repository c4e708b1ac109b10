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

    /**
     * Review 75 F2: BalancedAllocation skips a best-effort pod since Kubernetes 1.33. Bare pods cpuheavy (1300m/100Mi) and
     * balanced (700m/3000Mi) take an m5.large each; besteffort (no requests) scores LeastAllocated 61 on cpuheavy's node
     * and 56 on balanced's, and joins cpuheavy (BalancedAllocation's 67 and 96 had sent it to balanced's node). Under the
     * bin-packing profile MostAllocated alone prefers balanced's node (38 against 43), as before.
     */
    @Test
    void aBestEffortPodIsScoredWithoutBalancedAllocation(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        StringBuilder pods = new StringBuilder();
        for (String[] p : new String[][] {{"cpuheavy", "{requests: {cpu: 1300m, memory: 100Mi}}"},
                {"balanced", "{requests: {cpu: 700m, memory: 3000Mi}}"}, {"besteffort", "{}"}}) {
            pods.append("apiVersion: v1\nkind: Pod\nmetadata: {name: ").append(p[0]).append("}\nspec:\n  containers:\n  - {name: a, image: x, ")
                    .append("resources: ").append(p[1]).append("}\n---\n");
        }
        java.nio.file.Path m = java.nio.file.Files.writeString(dir.resolve("pods.yaml"), pods);
        for (String[] strategy : new String[][] {{"kube-default", "cpuheavy"}, {"kube-bin-packing", "balanced"}}) {
            java.nio.file.Path a = dir.resolve(strategy[0] + ".csv");
            json(CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.large", "--strategy", strategy[0], "--assignments",
                    a.toString(), "-o", "json", "--quiet"));
            java.util.Map<String, String> nodeOf = new java.util.HashMap<>();
            for (String line : java.nio.file.Files.readAllLines(a)) {
                nodeOf.put(line.split(",")[0], line.split(",")[1]);
            }
            assertThat(nodeOf.get("besteffort")).as(strategy[0] + " " + nodeOf).isEqualTo(nodeOf.get(strategy[1]));
        }
    }
}
