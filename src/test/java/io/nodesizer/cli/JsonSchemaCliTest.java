package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fields the README's JSON schema promises for pack and recommend (QA finding 5). */
final class JsonSchemaCliTest {
    private static JsonNode json(String... args) throws Exception {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static List<String> fields(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void packAndRecommendWriteTheSameWorkloadObject() throws Exception {
        JsonNode pack = json("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.xlarge", "-o", "json", "--reproducible").get("workload");
        JsonNode recommend = json("recommend", "--pods", "workloads/shop.csv", "--families", "m5", "--strategies", "ffd", "-o", "json",
                "--reproducible").get("workload");
        assertThat(fields(pack)).containsExactly("pods", "groups", "requests", "memoryPerCpuGib", "sources", "daemonSets", "ignored", "approximated", "applied", "warnings",
                "notes");
        assertThat(pack).isEqualTo(recommend);
    }

    /**
     * The objects read are listed by what became of them (QA 67a F5): {@code ignored} held a PriorityClass applied to a
     * workload and a pod packed with a caveat, so a reader counting it for what was dropped counted both.
     */
    @Test
    void theWorkloadListsTheObjectsLeftOutAppliedAndPackedWithACaveatApart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path m = java.nio.file.Files.writeString(dir.resolve("m.yaml"), """
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 1000
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  priorityClassName: high
                  containers:
                  - {name: c, image: x, resources: {requests: {cpu: 500m, memory: 1e3}}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: s}
                spec: {ports: [{port: 80}]}
                """);
        JsonNode w = json("pack", "--pods", m.toString(), "--node", "cpu=4,memory=16Gi,pods=110", "-o", "json", "--reproducible")
                .get("workload");
        assertThat(w.get("pods").asInt()).isEqualTo(1);
        assertThat(w.get("ignored")).hasSize(1);
        assertThat(w.get("ignored").get(0).asText()).startsWith("Service s (").contains("not a workload");
        assertThat(w.get("applied")).hasSize(1);
        assertThat(w.get("applied").get(0).asText()).startsWith("PriorityClass high (").contains("): applied: priority 1000");
        assertThat(w.get("warnings")).hasSize(1);
        assertThat(w.get("warnings").get(0).asText()).startsWith("Pod p (").contains("): packed, but ");
        assertThat(w.get("approximated")).isEmpty();
    }

    /** Review 67: a dump's pod read as its DaemonSet's per-node overhead is counted, so it is no object left out. */
    @Test
    void aPodReadAsItsDaemonSetIsNotListedAsLeftOut(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path m = java.nio.file.Files.writeString(dir.resolve("pods.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: agent-x1
                  namespace: kube-system
                  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, controller: true, uid: u1}]
                spec:
                  containers: [{name: c, image: x, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: shop}
                spec:
                  containers: [{name: c, image: x, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                """);
        JsonNode w = json("pack", "--pods", m.toString(), "--node", "cpu=4,memory=16Gi,pods=110", "-o", "json", "--reproducible")
                .get("workload");
        assertThat(w.get("ignored").toString()).doesNotContain("read as its DaemonSet");
        assertThat(w.get("warnings").toString()).contains("kube-system/agent-x1 (").contains("): read as its DaemonSet kube-system/agent");
    }

    @Test
    void everyVerdictClassHasARange() throws Exception {
        JsonNode verdicts = json("recommend", "--pods", "workloads/shop.csv", "--families", "m5,r5,c5", "--strategies", "ffd", "-o", "json",
                "--reproducible").get("verdicts");
        for (JsonNode c : verdicts.get("fewerLargerVsManySmaller").get("classes")) {
            assertThat(c.get("range").isTextual()).as(c.toString()).isTrue();
        }
        assertThat(verdicts.get("memoryToCpuRatio").get("classes")).isNotEmpty();
        for (JsonNode c : verdicts.get("memoryToCpuRatio").get("classes")) {
            // The power of two nearest a shape's ratio: 4 GiB/vCPU spans 2.83 up to 5.66 (QA 47: a 6.88 shape "won" as 8, unexplained).
            assertThat(c.get("range").asText()).as(c.toString()).matches("\\d+\\.\\d\\d–\\d+\\.\\d\\d GiB/vCPU");
        }
        assertThat(verdicts.get("memoryToCpuRatio").get("classes").findValuesAsText("range")).contains("2.83–5.66 GiB/vCPU");
    }

    @Test
    void recommendShapesCarryTheHeadroomUnlessTheSizingIsBare() throws Exception {
        JsonNode sized = json("recommend", "--pods", "workloads/shop.csv", "--families", "m5", "--strategies", "ffd", "-o", "json",
                "--reproducible");
        assertThat(sized.get("sizing").get("minNodesPerPool").asInt()).isEqualTo(2);
        for (JsonNode s : sized.get("shapes")) {
            assertThat(s.get("headroomNodes").asInt()).isEqualTo(s.get("nodes").asInt() - s.get("packedNodes").asInt());
            assertThat(s.has("headroomCostPerHour")).isTrue();
        }
        JsonNode bare = json("recommend", "--pods", "workloads/shop.csv", "--families", "m5", "--strategies", "ffd", "-o", "json",
                "--reproducible", "--min-nodes-per-pool", "1");
        assertThat(bare.get("sizing").get("minNodesPerPool").asInt()).isEqualTo(1);
        for (JsonNode s : bare.get("shapes")) {
            assertThat(s.has("packedNodes") || s.has("headroomNodes") || s.has("headroomCostPerHour")).as(s.get("shape").get("name").asText())
                    .isFalse();
        }
    }
}
