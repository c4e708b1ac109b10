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
        java.nio.file.Path m = pods(dir, "cpuheavy", "{requests: {cpu: 1300m, memory: 100Mi}}", "balanced",
                "{requests: {cpu: 700m, memory: 3000Mi}}", "besteffort", "{}");
        java.util.Map<String, String> spread = packedWith(m, "kube-default");
        assertThat(spread.get("besteffort")).as(spread.toString()).isEqualTo(spread.get("cpuheavy"));
        java.util.Map<String, String> packed = packedWith(m, "kube-bin-packing");
        assertThat(packed.get("besteffort")).as(packed.toString()).isEqualTo(packed.get("balanced"));
    }

    /**
     * Review 75 F3: NodeResourcesFit counts 100m/200Mi for each container without a request. p1 (1200m/1Gi and a request-less
     * container: 1300m/1224Mi to scoring) and p2 (1250m/1126Mi) take an m5.large each; q (100m/100Mi) scores (27 + 81) / 2 =
     * 54 beside p1 and (30 + 82) / 2 = 56 beside p2, and joins p2 (counting p1 as 1200m and 1 GiB it scored 57 and joined p1).
     */
    @Test
    void aContainerWithoutRequestsCountsTheDefaultsInScoring(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path m = pods(dir, "p1", "{requests: {cpu: 1200m, memory: 1Gi}}}\n  - {name: b, image: x", "p2",
                "{requests: {cpu: 1250m, memory: 1126Mi}}", "q", "{requests: {cpu: 100m, memory: 100Mi}}");
        java.util.Map<String, String> nodeOf = packedWith(m, "kube-least-allocated");
        assertThat(nodeOf.get("q")).as(nodeOf.toString()).isEqualTo(nodeOf.get("p2")).isNotEqualTo(nodeOf.get("p1"));
    }

    /** Bare pods named and resourced by {@code nameThenResources} (one container each, in order) in {@code dir}/pods.yaml. */
    private static java.nio.file.Path pods(java.nio.file.Path dir, String... nameThenResources) throws Exception {
        StringBuilder pods = new StringBuilder();
        for (int i = 0; i < nameThenResources.length; i += 2) {
            pods.append("apiVersion: v1\nkind: Pod\nmetadata: {name: ").append(nameThenResources[i]).append("}\nspec:\n  containers:\n")
                    .append("  - {name: a, image: x, resources: ").append(nameThenResources[i + 1]).append("}\n---\n");
        }
        return java.nio.file.Files.writeString(dir.resolve("pods.yaml"), pods);
    }

    /** Each pod's node when {@code manifest} is packed on m5.large by {@code strategy}. */
    private static java.util.Map<String, String> packedWith(java.nio.file.Path manifest, String strategy) throws Exception {
        java.nio.file.Path a = manifest.resolveSibling(strategy + ".csv");
        json(CliRunner.run("pack", "--pods", manifest.toString(), "--node", "aws:m5.large", "--strategy", strategy, "--assignments",
                a.toString(), "-o", "json", "--quiet"));
        java.util.Map<String, String> nodeOf = new java.util.HashMap<>();
        for (String line : java.nio.file.Files.readAllLines(a)) {
            nodeOf.put(line.split(",")[0], line.split(",")[1]);
        }
        return nodeOf;
    }
}
