package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots of real clusters, reduced to minimal cases: nodes no bundled catalog prices (an
 * instance type newer than the catalog, a Fargate or on-premises node without the instance-type
 * label), Fargate and Windows nodes.
 */
final class RealWorldSnapshotCliTest {
    private static String node(String name, String type) {
        return node(name, type == null ? "" : "node.kubernetes.io/instance-type: " + type, "");
    }

    private static String node(String name, String labels, String spec) {
        return """
                  - apiVersion: v1
                    kind: Node
                    metadata:
                      name: %s
                      labels: {%s}
                    spec: {%s}
                    status:
                      allocatable: {cpu: 3920m, memory: 14919808Ki, pods: "58"}
                """.formatted(name, labels, spec);
    }

    private static String pod(String name, String node) {
        return """
                  - apiVersion: v1
                    kind: Pod
                    metadata:
                      name: %s
                      ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d, controller: true}]
                    spec:
                      nodeName: %s
                      containers: [{name: c, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                    status: {phase: Running}
                """.formatted(name, node);
    }

    @Test
    void aGkeClusterIsComparedWithGceShapesAndAClusterWithoutPodsIsRefused(@TempDir Path dir) throws Exception {
        Path snapshot = dir.resolve("gke.yaml");
        Files.writeString(snapshot, "apiVersion: v1\nkind: List\nitems:\n" + node("gke-a", "e2-standard-4") + node("gke-b", "e2-standard-4")
                + pod("web-5d-a", "gke-a") + pod("web-5d-b", "gke-b"));
        for (String command : List.of("recommend", "rightsize")) {
            List<String> args = new java.util.ArrayList<>(List.of(command, "--snapshot", snapshot.toString(), "--quiet"));
            if (command.equals("rightsize")) {
                Path usage = dir.resolve("u.csv");
                // The usage of one of its (bare) pods: usage of no workload at all is refused (QA 64a F15).
                Files.writeString(usage, "timestamp,namespace,workload,container,cpu,memory\n1,default,web-5d,c,0.1,\n");
                args.addAll(List.of("--usage", usage.toString()));
            }
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
            // recommend names the catalog; rightsize's best shapes are GCE's.
            assertThat(r.out()).as(command).contains(command.equals("recommend") ? " gce types" : "-standard-").doesNotContain(" aws types");
        }
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "apiVersion: v1\nkind: List\nitems:\n" + node("gke-a", "e2-standard-4"));
        CliRunner none = CliRunner.run("recommend", "--snapshot", empty.toString(), "--quiet");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("The snapshot has 1 Node but no Pod").doesNotContain("\tat ");
    }

    /**
     * A running cluster's default --arch is its worker nodes': one pending pod pinned to arm64 no
     * longer moves an amd64 cluster to Graviton shapes (QA 47); it is left out with its reason.
     * Nodes of both architectures leave it to the pods' rule, as without a snapshot.
     */
    @Test
    void aSnapshotsDefaultArchIsItsNodes(@TempDir Path dir) throws Exception {
        String arm = """
                  - apiVersion: v1
                    kind: Pod
                    metadata: {name: arm-1}
                    spec:
                      nodeSelector: {kubernetes.io/arch: arm64}
                      containers: [{name: c, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                    status: {phase: Pending}
                """;
        Path amd = dir.resolve("amd.yaml");
        Files.writeString(amd, "apiVersion: v1\nkind: List\nitems:\n"
                + node("a", "node.kubernetes.io/instance-type: m5.xlarge, kubernetes.io/arch: amd64", "")
                + node("b", "node.kubernetes.io/instance-type: m5.xlarge, kubernetes.io/arch: amd64", "") + pod("web-5d-a", "a") + arm);
        CliRunner r = CliRunner.run("recommend", "--snapshot", amd.toString(), "--families", "m5,m6g", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("arch amd64 as the snapshot's nodes").contains("leaves 1 of 2 pods out").doesNotContain("m6g.");
        CliRunner any = CliRunner.run("recommend", "--snapshot", amd.toString(), "--families", "m5,m6g", "--arch", "any", "--quiet");
        assertThat(any.out()).contains("m6g.").doesNotContain("as the snapshot's nodes");
        Path mixed = dir.resolve("mixed.yaml");
        Files.writeString(mixed, Files.readString(amd).replaceFirst("kubernetes.io/arch: amd64", "kubernetes.io/arch: arm64"));
        // Mixed nodes say nothing of the unpinned pods' images: the pods' rule (one pinned to arm64, none to amd64: arm64).
        assertThat(CliRunner.run("recommend", "--snapshot", mixed.toString(), "--families", "m5,m6g", "--quiet").out())
                .doesNotContain("as the snapshot's nodes").contains("arch arm64");
    }

    @Test
    void consolidateWithAnUnpricedNodeReportsTheCostUnknownInsteadOfFailing(@TempDir Path dir) throws Exception {
        // The lower bound is null when a price is unknown; a conditional mixing it with a double
        // unboxed it, and consolidate ended in "internal error: NullPointerException".
        Path snapshot = dir.resolve("cluster.yaml");
        Files.writeString(snapshot, "apiVersion: v1\nkind: List\nitems:\n" + node("ip-10-0-1-10", "m5.xlarge") + node("onprem-1", null)
                + pod("web-5d-a", "ip-10-0-1-10") + pod("web-5d-b", "onprem-1"));
        CliRunner r = CliRunner.run("consolidate", "--snapshot", snapshot.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("before").get("costPerHour").isNull()).isTrue();
        CliRunner table = CliRunner.run("consolidate", "--snapshot", snapshot.toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("cost unknown")
                .contains("lower bound unknown, as the cost after is: a node has no price (the notes name it)"); // QA 69b F3: not silence
    }

    @Test
    void nodesBilledPerPodAreNeitherConsolidatedNorSizedNorCosted(@TempDir Path dir) throws Exception {
        // An EKS cluster runs a few pods on Fargate: one micro-VM per pod, placed by the Fargate
        // scheduler and billed per pod. Consolidate "removed" the Fargate node by moving its pod onto
        // an EC2 node, and its missing instance type left the cluster's cost unknown.
        Path snapshot = dir.resolve("cluster.yaml");
        Files.writeString(snapshot, "apiVersion: v1\nkind: List\nitems:\n" + node("ip-10-0-1-10", "m5.xlarge")
                + node("fargate-ip-10-0-9-9", "eks.amazonaws.com/compute-type: fargate",
                        "taints: [{key: eks.amazonaws.com/compute-type, value: fargate, effect: NoSchedule}]")
                // An AKS virtual node (virtual kubelet on Azure Container Instances) is billed per pod the same way.
                + node("virtual-node-aci-linux", "type: virtual-kubelet, kubernetes.io/role: agent",
                        "taints: [{key: virtual-kubelet.io/provider, value: azure, effect: NoSchedule}]")
                + pod("web-5d-a", "ip-10-0-1-10") + pod("web-5d-b", "fargate-ip-10-0-9-9") + pod("web-5d-c", "virtual-node-aci-linux"));
        CliRunner r = CliRunner.run("consolidate", "--snapshot", snapshot.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("before").get("nodes").asInt()).isEqualTo(1);
        assertThat(root.get("before").get("costPerHour").asDouble()).isEqualTo(0.192);
        assertThat(r.out()).doesNotContain("fargate-ip-10-0-9-9").doesNotContain("virtual-node-aci-linux");
        CliRunner rec = CliRunner.run("recommend", "--snapshot", snapshot.toString(), "--families", "m5", "-o", "json");
        assertThat(rec.exitCode()).as(rec.err()).isZero();
        JsonNode w = new ObjectMapper().readTree(rec.out()).get("workload");
        assertThat(w.get("pods").asInt()).isEqualTo(1); // the Fargate pod is not one to place on the recommended nodes
        // analyze lists the Fargate node but prices the EC2 nodes only, and says so.
        CliRunner an = CliRunner.run("analyze", "--snapshot", snapshot.toString(), "-o", "json");
        assertThat(an.exitCode()).as(an.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(an.out());
        assertThat(a.get("costPerHour").asDouble()).isEqualTo(0.192);
        assertThat(a.get("unknownInstanceTypes")).isEmpty();
        assertThat(a.get("perPodNodesNotInCost").asInt()).isEqualTo(2);
        CliRunner anTable = CliRunner.run("analyze", "--snapshot", snapshot.toString());
        assertThat(anTable.out()).contains("cost           $0.19/h").contains("2 nodes billed per pod (EKS Fargate, virtual kubelet) not included")
                .containsPattern("fargate-ip-10-0-9-9 +fargate ").containsPattern("virtual-node-aci-linux +virtual-kubelet ");
    }

    @Test
    void windowsNodesAreNotReplacedByLinuxPricedShapes(@TempDir Path dir) throws Exception {
        // A lightly loaded Windows node was "replaced" by a cheaper catalog shape at its Linux price;
        // Windows instances cost more (the licence), and the catalogs do not have them.
        Path snapshot = dir.resolve("cluster.yaml");
        Files.writeString(snapshot, "apiVersion: v1\nkind: List\nitems:\n"
                + node("win-1", "node.kubernetes.io/instance-type: m5.xlarge, kubernetes.io/os: windows",
                        "taints: [{key: os, value: windows, effect: NoSchedule}]")
                + pod("web-5d-a", "win-1"));
        CliRunner r = CliRunner.run("consolidate", "--snapshot", snapshot.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("actions")).isEmpty();
        assertThat(r.out()).contains("a Windows (kubernetes.io/os=windows) node, whose price the bundled catalogs (on-demand Linux) "
                + "do not have");
        assertThat(root.get("before").get("costPerHour").isNull()).isTrue(); // its price is unknown, not the Linux one
        assertThat(CliRunner.run("consolidate", "--snapshot", snapshot.toString()).out())
                .contains("cost unknown (a node has no catalog price: an instance type not in it, or a spot or Windows node");
    }

    @Test
    void aControlPlaneNodeWithoutATaintIsAWorker(@TempDir Path dir) throws Exception {
        // minikube, kind, k3s, Docker Desktop: the role label, no taint; every workload runs there. Before,
        // the label alone left the node out: "no schedulable worker node", "No pods found to size".
        String role = "node-role.kubernetes.io/control-plane: \"\", node.kubernetes.io/instance-type: m5.xlarge";
        Path single = dir.resolve("minikube.yaml");
        Files.writeString(single, "apiVersion: v1\nkind: List\nitems:\n" + node("minikube", role, "") + pod("web-5d-a", "minikube"));
        CliRunner fleet = CliRunner.run("pack", "--fleet", single.toString(), "--pods", single.toString(), "--quiet");
        assertThat(fleet.exitCode()).as(fleet.err()).isZero();
        CliRunner rec = CliRunner.run("recommend", "--snapshot", single.toString(), "--families", "m5", "--quiet");
        assertThat(rec.exitCode()).as(rec.err()).isZero();
        assertThat(rec.out()).contains("1 pod in 1 group requesting 0.5 CPU");
        CliRunner analyze = CliRunner.run("analyze", "--snapshot", single.toString(), "-o", "json");
        JsonNode nodes = new ObjectMapper().readTree(analyze.out()).get("nodes");
        assertThat(nodes).hasSize(1);

        // kubeadm's control plane keeps its NoSchedule taint: left out, its pods are not the workload's
        Path tainted = dir.resolve("kubeadm.yaml");
        Files.writeString(tainted, "apiVersion: v1\nkind: List\nitems:\n"
                + node("cp", role, "taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]")
                + node("w", "m5.xlarge") + pod("web-5d-a", "w") + pod("web-5d-b", "cp"));
        CliRunner rec2 = CliRunner.run("recommend", "--snapshot", tainted.toString(), "--families", "m5", "--quiet");
        assertThat(rec2.exitCode()).as(rec2.err()).isZero();
        assertThat(rec2.out()).contains("1 pod in 1 group requesting 0.5 CPU");
    }

    @Test
    void itemsOfATypedListWithoutTheirOwnKindAreOfTheListsKind(@TempDir Path dir) throws Exception {
        // The API server's list format (kubectl get --raw, client-go and Python client dumps): items carry no kind
        // and apiVersion (kubernetes/kubernetes#3030). Before: "found no Node and no Pod" / "needs 'apiVersion' and 'kind'".
        Path nodes = dir.resolve("nodes.json");
        Files.writeString(nodes, """
                {"kind": "NodeList", "apiVersion": "v1", "items": [
                  {"metadata": {"name": "n1", "labels": {"node.kubernetes.io/instance-type": "m5.xlarge"}},
                   "status": {"allocatable": {"cpu": "3920m", "memory": "14919808Ki", "pods": "58"}}}]}
                """);
        Path pods = dir.resolve("pods.json");
        Files.writeString(pods, """
                {"kind": "PodList", "apiVersion": "v1", "items": [
                  {"metadata": {"name": "web-5d-a", "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d", "controller": true}]},
                   "spec": {"nodeName": "n1", "containers": [{"name": "c", "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}]},
                   "status": {"phase": "Running"}}]}
                """);
        CliRunner analyze = CliRunner.run("analyze", "--snapshot", nodes.toString(), "--snapshot", pods.toString(), "-o", "json");
        assertThat(analyze.exitCode()).as(analyze.err()).isZero();
        JsonNode node = new ObjectMapper().readTree(analyze.out()).get("nodes").get(0);
        assertThat(node.get("requested").get("cpuMillis").asLong()).isEqualTo(500);

        Path deployments = dir.resolve("deployments.yaml");
        Files.writeString(deployments, """
                apiVersion: apps/v1
                kind: DeploymentList
                items:
                - metadata: {name: web}
                  spec:
                    replicas: 3
                    selector: {matchLabels: {app: web}}
                    template:
                      metadata: {labels: {app: web}}
                      spec:
                        containers: [{name: c, resources: {requests: {cpu: 250m, memory: 256Mi}}}]
                """);
        CliRunner pack = CliRunner.run("pack", "--pods", deployments.toString(), "--node", "aws:m5.xlarge", "--quiet");
        assertThat(pack.exitCode()).as(pack.err()).isZero();
        assertThat(pack.out()).contains("3 pods in 1 group");
    }
}
