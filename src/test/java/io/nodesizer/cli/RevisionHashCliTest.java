package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code matchLabelKeys: [controller-revision-hash]}: the StatefulSet (and DaemonSet) controller
 * labels every pod it creates with its revision, so the key narrows a chart-wide selector
 * ({@code app.kubernetes.io/part-of: shop}) to the workload's own pods, in pod (anti-)affinity
 * terms (kube-apiserver's merge) and in topology spreads (PodTopologySpread's). A bare Pod has no
 * such label and the key is ignored, as upstream ignores a key the pod lacks.
 */
final class RevisionHashCliTest {
    @TempDir
    Path dir;

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: %d
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web, app.kubernetes.io/part-of: shop}}
                spec:
                  containers:
                  - {name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}
            """;

    /** db's pods (3 × 1 CPU) with the given rule, as a StatefulSet or (replicas 1) a bare Pod. */
    private static String db(String kind, String rule) {
        String head = kind.equals("Pod") ? """
                apiVersion: v1
                kind: Pod
                metadata: {name: db, labels: {app: db, app.kubernetes.io/part-of: shop}}
                spec:
                """ : """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 3
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db, app.kubernetes.io/part-of: shop}}
                    spec:
                """;
        String indent = kind.equals("Pod") ? "  " : "      ";
        return head + (rule + """
                containers:
                - {name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}
                """).indent(indent.length()) + "---\n";
    }

    private static String anti(String keys) {
        return """
                affinity:
                  podAntiAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: {matchLabels: {app.kubernetes.io/part-of: shop}}
                      topologyKey: kubernetes.io/hostname
                """ + (keys.isEmpty() ? "" : "    " + keys);
    }

    private static String zoneSpread(String keys) {
        return """
                topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: {matchLabels: {app.kubernetes.io/part-of: shop}}
                """ + keys;
    }

    private JsonNode pack(String yaml, String... extra) throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, yaml);
        String[] args = {"pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi,pods=110", "--overhead", "none", "-o", "json"};
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        CliRunner r = CliRunner.run(all);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void statefulSetAntiAffinityWithTheRevisionKeyRepelsOnlyItsOwnPods() throws Exception {
        // Without the key db repels every part-of: shop pod: 3 nodes of db alone, web's 12 CPU on 2 more. With it db repels
        // only db: one db per node and web in the room, 15 CPU on 3 × 8.
        JsonNode plain = pack(db("StatefulSet", anti("")) + WEB.formatted(12));
        JsonNode own = pack(db("StatefulSet", anti("  matchLabelKeys: [controller-revision-hash]\n")) + WEB.formatted(12));
        assertThat(plain.get("nodes").asInt()).isEqualTo(5);
        assertThat(own.get("nodes").asInt()).isEqualTo(3);
        assertThat(own.get("unschedulable")).isEmpty();
    }

    @Test
    void statefulSetZoneSpreadWithTheRevisionKeyCountsOnlyItsOwnPods() throws Exception {
        // 3 db + 30 web CPU: 33 CPU, 5 nodes of 8 when the spread counts db alone (as the selector app: db does).
        JsonNode own = pack(db("StatefulSet", zoneSpread("  matchLabelKeys: [controller-revision-hash]\n")) + WEB.formatted(30),
                "--zones", "3");
        assertThat(own.get("nodes").asInt()).isEqualTo(5);
        assertThat(own.get("unschedulable")).isEmpty();
    }

    @Test
    void aBarePodHasNoRevisionLabelAndTheKeyIsIgnored() throws Exception {
        // A bare Pod's term keeps its whole selector: it still repels web, so its node holds it alone.
        JsonNode plain = pack(db("Pod", anti("")) + WEB.formatted(8));
        JsonNode keyed = pack(db("Pod", anti("  matchLabelKeys: [controller-revision-hash]\n")) + WEB.formatted(8));
        assertThat(keyed.get("nodes").asInt()).isEqualTo(plain.get("nodes").asInt()).isEqualTo(2);
    }
}
