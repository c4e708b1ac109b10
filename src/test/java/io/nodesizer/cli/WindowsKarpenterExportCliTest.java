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
