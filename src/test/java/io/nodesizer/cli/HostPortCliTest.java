package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Host ports, as kube-scheduler's NodePorts filter applies them (pkg/scheduler/framework/plugins/nodeports):
 * two pods whose app containers ask for one host port and protocol never share a node, whatever
 * their namespaces; with {@code hostNetwork: true} every container port is a host port (the API
 * defaults hostPort to containerPort). Before, such pods were packed several to a node.
 */
final class HostPortCliTest {
    @TempDir
    Path dir;

    private static String deployment(String ns, String name, int replicas, String extraSpec, String ports) {
        return Deployments.deployment(ns, name, Map.of("app", name), replicas, extraSpec.indent(-6),
                "image: x, ports: " + ports + ", resources: {requests: {cpu: 100m, memory: 100Mi}}");
    }

    /** pod name → node, from an --assignments file. */
    private static Map<String, String> assignments(Path csv) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",");
            out.put(f[0].replace("\"", ""), f.length > 1 ? f[1] : "");
        }
        return out;
    }

    @Test
    void podsAskingForOneHostPortGetANodeEach() throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, String.join("",
                deployment("ingress", "edge", 3, "", "[{containerPort: 443, hostPort: 443}]"),
                deployment("ops", "probe", 2, "      hostNetwork: true\n", "[{containerPort: 443}]"),
                deployment("ops", "dns", 3, "", "[{containerPort: 53, hostPort: 443, protocol: UDP}]"),
                deployment("ops", "plain", 4, "", "[{containerPort: 443}]")));
        for (String strategy : List.of("ffd", "kube-default", "optimize")) {
            Path a = dir.resolve(strategy + ".csv");
            CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi", "--overhead", "none",
                    "--strategy", strategy, "--assignments", a.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            Map<String, String> node = assignments(a);
            assertThat(node.values()).as(strategy).doesNotContain("");
            // edge (TCP 443) and probe (hostNetwork: TCP 443) share the port across namespaces: 5 pods, 5 nodes
            List<String> tcp443 = node.entrySet().stream().filter(e -> e.getKey().contains("/edge-") || e.getKey().contains("/probe-"))
                    .map(Map.Entry::getValue).toList();
            assertThat(tcp443).as(strategy).hasSize(5).doesNotHaveDuplicates();
            // UDP 443 is another port: dns may sit beside edge, but not beside another dns
            List<String> udp = node.entrySet().stream().filter(e -> e.getKey().contains("/dns-")).map(Map.Entry::getValue).toList();
            assertThat(udp).as(strategy).hasSize(3).doesNotHaveDuplicates();
            assertThat(r.out()).as(strategy).contains("nodes          5 ");
        }
    }

    @Test
    void aSidecarsHostPortCountsAndAPlainInitContainersDoesNot() throws Exception {
        // kubernetes#132040 (1.34, 1.33.x): NodePorts counts restartable init containers' host ports.
        String app = "image: a, resources: {requests: {cpu: 100m, memory: 128Mi}}";
        String init = "initContainers:\n- {name: envoy, image: e, %s ports: [{containerPort: 8443%s}], "
                + "resources: {requests: {cpu: 100m, memory: 128Mi}}}\n";
        Path m = dir.resolve("sidecars.yaml");
        Files.writeString(m, Deployments.deployment(null, "edge", Map.of("app", "edge"), 3,
                init.formatted("restartPolicy: Always,", ", hostPort: 8443"), app)
                + Deployments.deployment(null, "net", Map.of("app", "net"), 3, "hostNetwork: true\n" + init.formatted("restartPolicy: Always,", ""), app)
                + Deployments.deployment(null, "setup", Map.of("app", "setup"), 3, init.formatted("", ", hostPort: 9443"), app));
        Path a = dir.resolve("a.csv");
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi", "--overhead", "none",
                "--strategy", "ffd", "--assignments", a.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, String> node = assignments(a);
        // edge (hostPort) and net (hostNetwork's containerPort) both take TCP 8443: six pods, six nodes;
        // setup's plain init container has exited before its node's other pods need the port.
        List<String> tcp8443 = node.entrySet().stream().filter(e -> e.getKey().contains("edge-") || e.getKey().contains("net-"))
                .map(Map.Entry::getValue).toList();
        assertThat(tcp8443).hasSize(6).doesNotHaveDuplicates();
        assertThat(r.out()).contains("nodes          6 ");
        List<String> setup = node.entrySet().stream().filter(e -> e.getKey().contains("setup-")).map(Map.Entry::getValue).distinct().toList();
        assertThat(setup).hasSize(1);
    }

    @Test
    void consolidationDoesNotMoveAHostPortPodBesideAnother() throws Exception {
        Path snap = dir.resolve("s.json");
        String node = """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s",
                 "node.kubernetes.io/instance-type":"m5.xlarge","topology.kubernetes.io/zone":"us-east-1a","kubernetes.io/os":"linux",
                 "kubernetes.io/arch":"amd64"}},"spec":{},
                 "status":{"capacity":{"cpu":"4","memory":"16Gi","pods":"58"},"allocatable":{"cpu":"3920m","memory":"15Gi","pods":"58"}}}""";
        String pod = """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"edge-%s","namespace":"ingress","labels":{"app":"edge"},
                 "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"edge-5d8f","uid":"u","controller":true}]},
                 "spec":{"nodeName":"%s","containers":[{"name":"c","image":"x","ports":[{"containerPort":443,"hostPort":443}],
                 "resources":{"requests":{"cpu":"100m","memory":"100Mi"}}}]},"status":{"phase":"Running"}}""";
        Files.writeString(snap, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + String.join(",",
                node.formatted("n1", "n1"), node.formatted("n2", "n2"), pod.formatted("a", "n1"), pod.formatted("b", "n2")) + "]}");
        CliRunner r = CliRunner.run("consolidate", "--snapshot", snap.toString(), "--no-replace");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 → 2 worker nodes").doesNotContain("remove ");
        CliRunner analyze = CliRunner.run("analyze", "--snapshot", snap.toString(), "-o", "json");
        assertThat(analyze.exitCode()).as(analyze.err()).isZero();
        assertThat(analyze.out().replaceAll("\\s", "")).contains("\"unplaceableIfLost\":1");
    }

    /** A node-exporter DaemonSet on hostNetwork port 9100, run only on the nodes {@code selector} selects. */
    private static String nodeExporter(String selector) {
        return """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: node-exporter, namespace: monitoring}
                spec:
                  selector: {matchLabels: {app: node-exporter}}
                  template:
                    metadata: {labels: {app: node-exporter}}
                    spec:
                      hostNetwork: true
                      nodeSelector: {%s}
                      containers:
                      - {name: ne, image: x, ports: [{containerPort: 9100}], resources: {requests: {cpu: 100m, memory: 64Mi}}}
                ---
                """.formatted(selector);
    }

    @Test
    void aDaemonSetsHostPortKeepsPodsOffTheShapesItRunsOnOnly() throws Exception {
        // Before, a DaemonSet's pod was taken to run on every node whatever its selector: the web pods,
        // asking for its port, fitted no node even of a shape the DaemonSet never runs on.
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, nodeExporter("node.kubernetes.io/instance-type: m5.large")
                + deployment(null, "web", 3, "", "[{containerPort: 8080, hostPort: 9100}]"));
        CliRunner off = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.xlarge", "--strategy", "ffd");
        assertThat(off.exitCode()).as(off.err()).isZero();
        assertThat(off.out()).contains("nodes          3 ").contains("unschedulable  none");
        CliRunner packJson = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.xlarge", "--strategy", "ffd", "-o", "json");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(packJson.out()).get("workload").get("daemonSets").get(0).asText())
                .startsWith("monitoring/node-exporter (0.1 CPU, 0.063 GiB per node where it runs; on no node of m5.xlarge");
        CliRunner on = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.large", "--strategy", "ffd");
        assertThat(on.exitCode()).as(on.err()).isZero();
        assertThat(on.out()).contains("nodes          0 ").contains("3 × required pod anti-affinity on the hostname")
                .contains("(a DaemonSet's: host port TCP 9100, which DaemonSet monitoring/node-exporter's pods hold)");

        // recommend: per shape, the same answers
        CliRunner rec = CliRunner.run("recommend", "--pods", m.toString(), "--families", "m5", "--strategies", "ffd", "-o", "csv");
        assertThat(rec.exitCode()).as(rec.err()).isZero();
        List<String> rows = rec.out().lines().toList();
        List<String> header = List.of(rows.get(0).split(","));
        int shape = header.indexOf("shape");
        int nodes = header.indexOf("nodes");
        Map<String, String> nodesOf = rows.subList(1, rows.size()).stream().map(l -> l.split(","))
                .filter(f -> f.length > nodes && f[shape].startsWith("m5."))
                .collect(Collectors.toMap(f -> f[shape], f -> f[nodes], (a, b) -> a));
        assertThat(nodesOf).containsEntry("m5.large", "0").containsEntry("m5.xlarge", "3").containsEntry("m5.24xlarge", "3");
        CliRunner table = CliRunner.run("recommend", "--pods", m.toString(), "--families", "m5", "--strategies", "ffd");
        assertThat(table.out()).containsPattern("DaemonSet monitoring/node-exporter \\(0\\.1 CPU, 0\\.063 GiB per node where it runs: "
                + "on 1 of the \\d+ candidates\\)");

        // replay: the scheduler and the autoscaler see the same
        for (String node : List.of("aws:m5.xlarge", "aws:m5.large")) {
            CliRunner r = CliRunner.run("replay", "--workload", m.toString(), "--node", node, "--duration", "1h", "--autoscaler", "ca",
                    "-o", "json", "--reproducible");
            if (node.endsWith("m5.large")) {
                // No pod of the workload can run there: exit 2 naming the DaemonSet's host port (QA 75b F1).
                assertThat(r.exitCode()).as(node).isEqualTo(2);
                assertThat(r.err()).contains("host port TCP 9100, which DaemonSet monitoring/node-exporter's pods hold");
                continue;
            }
            assertThat(r.exitCode()).as(r.err()).isZero();
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
            assertThat(json.get("unschedulable").asInt()).as(node).isEqualTo(node.endsWith("m5.large") ? 3 : 0);
            assertThat(json.get("peakNodes").asInt()).as(node).isEqualTo(node.endsWith("m5.large") ? 0 : 3);
        }

        // a DaemonSet that runs everywhere still keeps them off every node
        Files.writeString(m, nodeExporter("kubernetes.io/os: linux") + deployment(null, "web", 3, "", "[{containerPort: 8080, hostPort: 9100}]"));
        CliRunner all = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.xlarge", "--strategy", "ffd");
        assertThat(all.out()).contains("nodes          0 ").contains("(a DaemonSet's: host port TCP 9100, which DaemonSet monitoring/node-exporter");
        CliRunner replay = CliRunner.run("replay", "--workload", m.toString(), "--node", "aws:m5.xlarge", "--duration", "1h");
        assertThat(replay.exitCode()).isEqualTo(2); // no pod of the workload can run (QA 75b F1)
        assertThat(replay.err()).contains("3 × required pod anti-affinity keeps it from a DaemonSet's pods (its terms or theirs: "
                + "host port TCP 9100, which DaemonSet monitoring/node-exporter's pods hold)");
    }

    @Test
    void aPodBesideADaemonSetsPodFitsOnlyWhereTheDaemonSetRuns() throws Exception {
        // Required pod affinity on the hostname to the node-exporter's pods: satisfied on the shapes it runs on.
        String web = Deployments.deployment(null, "web", Map.of("app", "web"), 3, """
                affinity:
                  podAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                    - {labelSelector: {matchLabels: {app: node-exporter}}, namespaces: [monitoring], topologyKey: kubernetes.io/hostname}
                """, "image: x, resources: {requests: {cpu: 500m, memory: 512Mi}}");
        Path m = dir.resolve("beside.yaml");
        Files.writeString(m, nodeExporter("node.kubernetes.io/instance-type: m5.large") + web);
        CliRunner off = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.xlarge", "--strategy", "ffd");
        assertThat(off.out()).contains("nodes          0 ").contains("3 × required pod affinity");
        CliRunner on = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.large", "--strategy", "ffd");
        assertThat(on.out()).contains("nodes          1 ").contains("unschedulable  none");
        // The fixed count for the peak (autoscaler none) packs with the DaemonSets too: before, it packed
        // without them, found no target for the pods and started no node, and the pods waited all run.
        CliRunner r = CliRunner.run("replay", "--workload", m.toString(), "--node", "aws:m5.large", "--duration", "1h",
                "--autoscaler", "none", "-o", "json", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(json.get("peakNodes").asInt()).isEqualTo(1);
        assertThat(json.get("pendingAtEnd").asInt()).isZero();
        assertThat(json.get("unschedulable").asInt()).isZero();
    }
}
