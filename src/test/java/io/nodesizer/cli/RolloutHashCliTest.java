package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code matchLabelKeys: [pod-template-hash]} on pod (anti-)affinity terms: kube-apiserver merges
 * the pod's own pod-template-hash (its ReplicaSet's, which the Deployment controller adds) into the
 * term's selector (MatchLabelKeysInPodAffinity, on by default since 1.31). The simulator
 * reproduces the scheduler, not the author's intent: affinity to another Deployment's pods then
 * selects none of them, and anti-affinity to {@code app: web} only this rollout's pods.
 */
final class RolloutHashCliTest {
    @TempDir
    Path dir;

    private static String deployment(String name, String app, int replicas, String cpu, String affinity) {
        return Deployments.deployment(null, name, Map.of("app", app, "track", name), replicas, affinity.indent(-6),
                "resources: {requests: {cpu: " + cpu + ", memory: 1Gi}}");
    }

    private static String term(String kind, String app, String keys) {
        return """
                      affinity:
                        %s:
                          requiredDuringSchedulingIgnoredDuringExecution:
                          - labelSelector: {matchLabels: {app: %s}}
                            topologyKey: kubernetes.io/hostname
                %s""".formatted(kind, app, keys.isEmpty() ? "" : "            " + keys + "\n");
    }

    private JsonNode pack(String yaml) throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, yaml);
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=4,memory=16Gi", "--overhead", "none",
                "--strategy", "ffd", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void affinityToAnotherDeploymentWithTheRolloutKeySelectsNoPod() throws Exception {
        String web = deployment("web", "web", 3, "1", "");
        JsonNode plain = pack(web + deployment("cache", "cache", 2, "1", term("podAffinity", "web", "")));
        assertThat(plain.get("unschedulable")).isEmpty();
        JsonNode rollout = pack(web + deployment("cache", "cache", 2, "1", term("podAffinity", "web", "matchLabelKeys: [pod-template-hash]")));
        assertThat(rollout.get("unschedulable")).hasSize(2);
        assertThat(rollout.get("unschedulable").get(0).get("pod").asText()).startsWith("cache-");
    }

    @Test
    void antiAffinityWithTheRolloutKeyRepelsOnlyThisRolloutsPods() throws Exception {
        // web repels app=web on the hostname; a canary Deployment's pods carry app=web too. Without the key no canary pod
        // may share a node with a web pod (web's term repels it both ways): web's three 2-CPU pods a 4-CPU node each, the
        // two canary pods one more, 4 nodes; with it only web's own pods repel each other, and each canary pod goes
        // beside a web pod: 3 nodes.
        String canary = deployment("canary", "web", 2, "2", "");
        JsonNode plain = pack(deployment("web", "web", 3, "2", term("podAntiAffinity", "web", "")) + canary);
        JsonNode rollout = pack(deployment("web", "web", 3, "2", term("podAntiAffinity", "web", "matchLabelKeys: [pod-template-hash]"))
                + canary);
        assertThat(plain.get("nodes").asInt()).isEqualTo(4);
        assertThat(rollout.get("nodes").asInt()).isEqualTo(3);
        assertThat(rollout.get("unschedulable")).isEmpty();
    }
}
