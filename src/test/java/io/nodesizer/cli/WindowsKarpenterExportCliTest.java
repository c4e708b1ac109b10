package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * windows --export karpenter: the NodePool of the replayed karpenter alternative, whichever alternative is recommended (a note
 * says which, with both replays' cost and p95), and the shapes, names and options no NodePool can take refused before any replay.
 */
class WindowsKarpenterExportCliTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String[] SHOP = {"windows", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--duration", "1d",
            "--check-draws", "0", "--quiet"};

    @Test
    void writesTheReplayedNodePoolAndSaysWhenAnotherAlternativeIsRecommended() throws Exception {
        // A 30 s SLO that Karpenter's 60 s launches miss: scheduled+ca is recommended, the NodePool is still karpenter's.
        CliRunner r = CliRunner.run(CliRunner.concat(SHOP, "--node", "aws:m5.2xlarge", "--pending-slo", "30s", "--export", "karpenter",
                "--max-nodes", "40", "--disruption-budget", "2", "--export-target", "shop-pool"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("# nodesizer windows: the karpenter alternative's NodePool as replayed ($");
        assertThat(r.out()).contains("misses the 30s SLO).\n# Before applying: nodeClassRef names the EC2NodeClass \"default\"");
        assertThat(r.out()).contains("# limits: --max-nodes 40 nodes of m5.2xlarge by capacity");
        JsonNode root = YAML.readTree(r.out());
        assertThat(root.get("apiVersion").asText()).isEqualTo("karpenter.sh/v1");
        assertThat(root.at("/metadata/name").asText()).isEqualTo("shop-pool");
        assertThat(root.at("/spec/limits/cpu").asText()).isEqualTo("320");
        assertThat(root.at("/spec/limits/memory").asText()).isEqualTo("1280Gi");
        assertThat(root.at("/spec/disruption/budgets/0/nodes").asText()).isEqualTo("2");
        assertThat(r.err()).matches("(?s)nodesizer: note: scheduled\\+ca is recommended \\(\\$[0-9.,]+, pending p95 0s, meets the 30s SLO\\), "
                + "not karpenter: this NodePool is the karpenter alternative as replayed \\(\\$[0-9.,]+, pending p95 \\S+, misses the 30s "
                + "SLO\\)\n.*");
        assertThat(r.err()).doesNotContain("pre-warm"); // the note for the schedule exports is not this one's

        // Recommended itself: no note. Without --max-nodes, no limits (said in the header); the options it does not take warn.
        CliRunner own = CliRunner.run(CliRunner.concat(SHOP, "--node", "azure:Standard_D8s_v5", "--export", "karpenter",
                "--namespace", "ops", "--min-nodes", "2", "--zones", "2", "-o", "json"));
        assertThat(own.exitCode()).as(own.err()).isZero();
        JsonNode pool = YAML.readTree(own.out());
        assertThat(pool.at("/metadata/name").asText()).isEqualTo("nodesizer");
        assertThat(pool.at("/spec/template/spec/nodeClassRef/kind").asText()).isEqualTo("AKSNodeClass");
        assertThat(pool.at("/spec").has("limits")).isFalse();
        assertThat(own.out()).contains("# No limits: --max-nodes was not given");
        assertThat(own.err()).contains("warning: --namespace applies to --export keda-cron and cronjob; karpenter writes a NodePool, "
                + "which is cluster-scoped, so it is not used.");
        assertThat(own.err()).contains("warning: --min-nodes is not in the NodePool: Karpenter keeps no minimum");
        assertThat(own.err()).contains("note: --zones 2 counts the zones but names none, so the NodePool has no zone requirement");
        assertThat(own.err()).contains("warning: --export karpenter writes the NodePool instead of the report, so -o json does not apply.");
        assertThat(own.err()).doesNotContain("is recommended");
    }

    /**
     * QA 71a F14: pods that require karpenter.sh/capacity-type spot (a selector, or every required term refusing on-demand)
     * run in the replay at the on-demand price, but the exported NodePool allows on-demand only: a note names them, beside
     * the export and in the replay's notes; not a pod that also accepts on-demand.
     */
    @Test
    void podsRequiringSpotAreNamedBesideAnOnDemandNodePool(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path app = dir.resolve("app.yaml");
        java.nio.file.Files.writeString(app, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: batch}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: batch}}
                  template:
                    metadata: {labels: {app: batch}}
                    spec:
                      nodeSelector: {karpenter.sh/capacity-type: spot}
                      containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: either}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: either}}
                  template:
                    metadata: {labels: {app: either}}
                    spec:
                      affinity:
                        nodeAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            nodeSelectorTerms:
                              - matchExpressions: [{key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}]
                      containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: notod}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: notod}}
                  template:
                    metadata: {labels: {app: notod}}
                    spec:
                      affinity:
                        nodeAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            nodeSelectorTerms:
                              - matchExpressions: [{key: karpenter.sh/capacity-type, operator: NotIn, values: [on-demand]}]
                      containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                """);
        String note = "note: the pods of batch, notod require a karpenter.sh/capacity-type other than on-demand (spot): the replay "
                + "takes that label as met and runs them on the shapes at the on-demand price, but the NodePool --export karpenter "
                + "writes allows on-demand only";
        CliRunner export = CliRunner.run("windows", "--workload", app.toString(), "--synthetic", "diurnal", "--duration", "1d",
                "--check-draws", "0", "--quiet", "--node", "aws:m5.xlarge", "--export", "karpenter");
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.err()).contains(note.replace("note: ", "note: karpenter alternative: ")); // windows says it of that row
        CliRunner replay = CliRunner.run("replay", "--workload", app.toString(), "--duration", "1h", "--node", "aws:m5.xlarge",
                "--autoscaler", "karpenter", "--quiet");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains(note);
        assertThat(CliRunner.run("replay", "--workload", app.toString(), "--duration", "1h", "--node", "aws:m5.xlarge", "--quiet").out())
                .doesNotContain("capacity-type other than on-demand");
    }

    /**
     * QA 71a F7: --max-pods and Karpenter's VM memory overhead (--os-memory with --overhead karpenter) shape the replay but
     * are the node class's and the controller's settings: the header says where each goes, and says nothing without them.
     */
    @Test
    void theHeaderNamesTheNodeSettingsTheNodePoolCannotState() {
        CliRunner r = CliRunner.run(CliRunner.concat(SHOP, "--node", "aws:m5.2xlarge", "--export", "karpenter", "--max-pods", "110",
                "--overhead", "karpenter", "--os-memory", "5%"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("# Replayed with --max-pods 110 (110 pods a m5.2xlarge): the node class sets it, not the NodePool: "
                + "the EC2NodeClass's\n# spec.kubelet.maxPods; without it Karpenter gives EKS nodes the ENI limit.\n");
        assertThat(r.out()).contains("# Replayed with Karpenter's VM memory overhead at 5%: its controller's VM_MEMORY_OVERHEAD_PERCENT\n");
        CliRunner prefix = CliRunner.run(CliRunner.concat(SHOP, "--node", "aws:m5.2xlarge", "--export", "karpenter", "--max-pods", "prefix"));
        assertThat(prefix.out()).contains("# Replayed with --max-pods prefix (110 pods a m5.2xlarge)")
                .contains("spec.kubelet.maxPods, with the VPC CNI's prefix delegation on (ENABLE_PREFIX_DELEGATION=true)")
                .doesNotContain("VM memory overhead");
        CliRunner plain = CliRunner.run(CliRunner.concat(SHOP, "--node", "aws:m5.2xlarge", "--export", "karpenter"));
        assertThat(plain.out()).doesNotContain("# Replayed with");
    }

    @Test
    void refusesWhatNoNodePoolCanSayBeforeAnyReplay() {
        CliRunner gce = CliRunner.run(CliRunner.concat(SHOP, "--node", "gce:n2-standard-8", "--export", "karpenter"));
        assertThat(gce.exitCode()).isEqualTo(2);
        assertThat(gce.out()).isEmpty();
        assertThat(gce.err()).startsWith("nodesizer: --export: --export karpenter writes a Karpenter NodePool for AWS (EC2NodeClass) or "
                + "Azure (AKS node auto-provisioning, AKSNodeClass) instance types, but n2-standard-8 is a GCE shape, and Karpenter has no "
                + "generally available provider for GCE");
        CliRunner inline = CliRunner.run(CliRunner.concat(SHOP, "--node", "cpu=8,memory=32Gi,price=0.4", "--export", "karpenter"));
        assertThat(inline.exitCode()).isEqualTo(2);
        assertThat(inline.err()).contains("is an inline shape, which names no instance type");
        CliRunner name = CliRunner.run(CliRunner.concat(SHOP, "--node", "aws:m5.2xlarge", "--export", "karpenter", "--export-target",
                "Shop_Pool"));
        assertThat(name.exitCode()).isEqualTo(2);
        assertThat(name.err()).isEqualTo("nodesizer: --export-target: The NodePool's name (Shop_Pool) must be a DNS-1123 subdomain of "
                + "at most 63 characters (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit): the API "
                + "server takes a subdomain, and Karpenter labels each of the NodePool's nodes karpenter.sh/nodepool=NAME, a label value of "
                + "at most 63.\n");
        CliRunner tooLong = CliRunner.run(CliRunner.concat(SHOP, "--node", "aws:m5.2xlarge", "--export", "karpenter", "--export-target",
                "a".repeat(64)));
        assertThat(tooLong.exitCode()).isEqualTo(2);
        CliRunner empty = CliRunner.run(CliRunner.concat(SHOP, "--node", "aws:m5.2xlarge", "--export", "karpenter", "--export-target", ""));
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("The --export-target is empty; name the NodePool.");
        CliRunner reserved = CliRunner.run(CliRunner.concat(SHOP, "--node", "aws:m5.2xlarge,labels=karpenter.sh/team=a", "--export",
                "karpenter"));
        assertThat(reserved.exitCode()).isEqualTo(2);
        assertThat(reserved.err()).contains("The shape's label karpenter.sh/team is in the karpenter.sh domain");
    }
}
