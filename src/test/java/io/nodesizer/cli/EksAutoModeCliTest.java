package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pods that select EKS Auto Mode nodes ({@code eks.amazonaws.com/compute-type: auto}) were unschedulable on
 * every aws shape (review 47 F7): the shapes now stand for Auto Mode nodes, so the stock aws-node DaemonSet,
 * which stays off them, does not run there; pods that refuse Auto Mode beside them leave the shapes as node groups'.
 */
final class EksAutoModeCliTest {
    @TempDir
    Path dir;

    private static final String AWS_NODE = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: aws-node, namespace: kube-system}
            spec:
              selector: {matchLabels: {k8s-app: aws-node}}
              template:
                metadata: {labels: {k8s-app: aws-node}}
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                        - matchExpressions:
                          - {key: eks.amazonaws.com/compute-type, operator: NotIn, values: [fargate, hybrid, auto]}
                  containers: [{name: c, image: x, resources: {requests: {cpu: 25m, memory: 100Mi}}}]
            """;

    private static String deployment(String name, String placement) {
        return """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      %s
                      containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 2Gi}}}]
                """.formatted(name, name, name, placement);
    }

    private JsonNode pack(String manifests) throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, manifests);
        CliRunner r = CliRunner.run("pack", "--pods", f.toString(), "--node", "aws:m5.xlarge", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void podsThatSelectAutoModeRunOnAwsShapesWithoutTheDaemonSetsThatStayOff() throws Exception {
        JsonNode auto = pack(AWS_NODE + deployment("web", "nodeSelector: {eks.amazonaws.com/compute-type: auto}"));
        assertThat(auto.path("unschedulable")).isEmpty();
        assertThat(auto.path("nodes").asInt()).isEqualTo(1);
        assertThat(auto.path("shape").path("daemonSets").path("cpuMillis").asLong()).isZero();
        assertThat(auto.path("workload").path("notes").toString()).contains("pods select EKS Auto Mode nodes");
        // The same by required node affinity.
        JsonNode affinity = pack(AWS_NODE + deployment("web", "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
                + "{nodeSelectorTerms: [{matchExpressions: [{key: eks.amazonaws.com/compute-type, operator: In, values: [auto]}]}]}}}"));
        assertThat(affinity.path("unschedulable")).isEmpty();
        // No pod names it: node groups' instances, where aws-node runs.
        JsonNode plain = pack(AWS_NODE + deployment("web", ""));
        assertThat(plain.path("shape").path("daemonSets").path("cpuMillis").asLong()).isEqualTo(25);
        assertThat(plain.path("workload").path("notes").toString()).doesNotContain("Auto Mode");
    }

    @Test
    void podsThatRefuseAutoModeBesideThemKeepTheShapesAsNodeGroups() throws Exception {
        JsonNode mixed = pack(AWS_NODE + deployment("web", "nodeSelector: {eks.amazonaws.com/compute-type: auto}")
                + deployment("batch", "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: "
                + "[{matchExpressions: [{key: eks.amazonaws.com/compute-type, operator: NotIn, values: [auto]}]}]}}}"));
        assertThat(mixed.path("unschedulable").toString()).contains("web-0").doesNotContain("batch-0");
        assertThat(mixed.path("workload").path("notes").toString()).doesNotContain("pods select EKS Auto Mode");
    }

    @Test
    void recommendSaysTheShapesStandForAutoModeNodes() throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, deployment("web", "nodeSelector: {eks.amazonaws.com/compute-type: auto}").substring(4));
        CliRunner r = CliRunner.run("recommend", "--pods", f.toString(), "--catalog", "aws", "--families", "m5", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.toString()).contains("pods select EKS Auto Mode nodes");
        assertThat(json.path("shapes").get(0).path("unschedulable")).isEmpty();
        assertThat(json.path("shapes").get(0).path("nodes").asInt()).isPositive();
    }
}
