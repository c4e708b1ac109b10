package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A count sized to survive a loss reports its own bound and gap: the packing's gap (0 % here) said
 * nothing of the spares. QA 49c's workload (9 api spread over 3 zones, 6 web one per node, 10 batch
 * on 8-CPU nodes) has layouts of 8 nodes that survive any node's loss and of 9, 3 per zone, that
 * survive any zone's (checked by an exact program and by hand, QA 49c F2 and F3): the bounds must
 * not pass them, and the sizing (9 and 11 nodes) must not be below them.
 */
final class HaBoundCliTest {
    private static final String WORKLOAD = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop}
            spec:
              replicas: 9
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  topologySpreadConstraints:
                    - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: api}}}
                  containers: [{name: api, image: x, resources: {requests: {cpu: "2", memory: 4Gi}}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              replicas: 6
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}
                  containers: [{name: web, image: x, resources: {requests: {cpu: "1", memory: 2Gi}}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: batch, namespace: shop}
            spec:
              replicas: 10
              selector: {matchLabels: {app: batch}}
              template:
                metadata: {labels: {app: batch}}
                spec:
                  containers: [{name: batch, image: x, resources: {requests: {cpu: 1500m, memory: 3Gi}}}]
            """;

    /** recommend of the workload on one 8-CPU shape over zones a, b, c, with {@code extra} options. */
    private static CliRunner run(Path dir, String... extra) throws Exception {
        Path m = dir.resolve("c1.yaml");
        Files.writeString(m, WORKLOAD);
        List<String> args = new ArrayList<>(List.of("recommend", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi,pods=110,price=1,name=n8",
                "--zones", "a,b,c", "--reproducible"));
        args.addAll(List.of(extra));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    private static JsonNode shape(Path dir, String survive) throws Exception {
        return new ObjectMapper().readTree(run(dir, "--survive", survive, "-o", "json").out()).get("shapes").get(0);
    }

    @Test
    void surviveNodeBoundsTheSparesToo(@TempDir Path dir) throws Exception {
        JsonNode n8 = shape(dir, "node");
        int nodes = n8.get("nodes").asInt();
        int bound = n8.get("haLowerBound").asInt();
        // Any layout that survives a node's loss holds every pod on the rest: the packing's bound plus one.
        assertThat(bound).isEqualTo(n8.get("lowerBound").asInt() + 1).isLessThanOrEqualTo(8);
        assertThat(nodes).isGreaterThanOrEqualTo(8);
        assertThat(n8.get("haGapPercent").asDouble()).isEqualTo(Math.round(10000.0 * (nodes - bound) / bound) / 100.0);
        assertThat(n8.get("gapPercent").asDouble()).as("the packing's gap, as before").isZero();
    }

    @Test
    void surviveZoneBoundsWhatTheZonesLeftMustHold(@TempDir Path dir) throws Exception {
        JsonNode n8 = shape(dir, "zone");
        int bound = n8.get("haLowerBound").asInt();
        assertThat(bound).isGreaterThan(n8.get("lowerBound").asInt()).isLessThanOrEqualTo(9);
        assertThat(n8.get("nodes").asInt()).isGreaterThanOrEqualTo(9);
    }

    @Test
    void theTableAndTheVerdictGiveBoth(@TempDir Path dir) throws Exception {
        assertThat(run(dir, "--survive", "node").out()).contains("6 (HA 7)").contains("0.0 (HA 28.6)")
                .contains("gap to bound 0.0 % (the packing's; sized to survive, 9 nodes against a bound of 7, gap 28.6 %)");
        assertThat(run(dir, "-o", "json").out()).as("no HA bound without --survive").doesNotContain("haLowerBound");
    }
}
