package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --namespace puts the manifests' namespaced objects that name none where kubectl apply -n and helm
 * install -n put them (QA 47: a chart rendered without metadata.namespace landed in default, so the
 * cluster's LimitRange for its namespace defaulted none of its containers, packed at 0 CPU).
 */
final class NamespaceOptionCliTest {
    @TempDir
    Path dir;

    @Test
    void objectsWithoutANamespaceGoToTheOneGivenAndAnotherNamespaceIsRefused() throws Exception {
        Path chart = dir.resolve("chart.yaml");
        Files.writeString(chart, """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: api}
                  spec:
                    replicas: 4
                    selector: {matchLabels: {app: api}}
                    template:
                      metadata: {labels: {app: api}}
                      spec:
                        priorityClassName: high
                        containers: [{name: app, image: api}]
                ---
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 1000
                """);
        Path range = dir.resolve("range.yaml");
        Files.writeString(range, """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults, namespace: team}
                spec:
                  limits: [{type: Container, defaultRequest: {cpu: 500m, memory: 512Mi}}]
                """);
        String pods = chart + "," + range;
        JsonNode in = json(CliRunner.run("pack", "--pods", pods, "--node", "cpu=8,memory=32Gi", "--namespace", "team", "-o", "json"));
        assertThat(in.path("workload").path("requests").path("cpuMillis").asLong()).isEqualTo(2000);
        JsonNode without = json(CliRunner.run("pack", "--pods", pods, "--node", "cpu=8,memory=32Gi", "-o", "json"));
        assertThat(without.path("workload").path("requests").path("cpuMillis").asLong()).isZero();

        CliRunner other = CliRunner.run("pack", "--pods", pods, "--node", "cpu=8,memory=32Gi", "--namespace", "prod");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("range.yaml:3:").contains("The LimitRange is in namespace team, not --namespace prod");
        CliRunner bad = CliRunner.run("pack", "--pods", pods, "--node", "cpu=8,memory=32Gi", "--namespace", "Team");
        assertThat(bad.err()).contains("--namespace: The namespace (Team) must be a DNS label");
    }

    private static JsonNode json(CliRunner r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }
}
