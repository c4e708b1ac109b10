package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What a catalog sweep takes by default follows the workload and what the types really cost (QA 39a findings 2 and 4). */
class CatalogDefaultsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String deployment(String name, String nodeSelector) {
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + "}\nspec:\n  replicas: 4\n  selector: {matchLabels: {app: " + name
                + "}}\n  template:\n    metadata: {labels: {app: " + name + "}}\n    spec:\n" + (nodeSelector == null ? "" : "      nodeSelector: {"
                + nodeSelector + "}\n") + "      containers:\n      - name: c\n        image: x\n        resources: {requests: {cpu: \"1\", memory: 2Gi}}\n";
    }

    private static JsonNode recommend(Path file, String... extra) throws Exception {
        String[] args = new String[5 + extra.length];
        System.arraycopy(new String[] {"recommend", "--pods", file.toString(), "-o", "json"}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    /** QA 62 item 6: an empty family list counted as families named (the default exclusions lifted) and filtered nothing. */
    @Test
    void anEmptyFamilyListIsRefused() {
        for (String empty : new String[] {"", ",", " , "}) {
            CliRunner r = CliRunner.run("recommend", "--pods", "workloads/shop.csv", "--families", empty, "--quiet");
            assertThat(r.exitCode()).as(empty).isEqualTo(2);
            assertThat(r.err()).contains("--families: The family list").contains("names no family");
        }
    }

    @Test
    void theArchitectureFollowsThePods(@TempDir Path dir) throws Exception {
        Path arm = dir.resolve("arm.yaml");
        Files.writeString(arm, deployment("web", "kubernetes.io/arch: arm64"));
        JsonNode armOnly = recommend(arm, "--families", "m6g,m6i");
        assertThat(armOnly.get("candidates").asText()).contains("arch arm64");
        assertThat(armOnly.at("/shapes/0/shape/arch").asText()).isEqualTo("arm64");
        assertThat(armOnly.at("/shapes/0/unschedulable").size()).isZero();
        // Pods of both kinds: both architectures are candidates.
        Path both = dir.resolve("both.yaml");
        Files.writeString(both, deployment("web", "kubernetes.io/arch: arm64") + "---\n" + deployment("legacy", "kubernetes.io/arch: amd64"));
        JsonNode mixed = recommend(both, "--families", "m6g,m6i");
        assertThat(mixed.get("candidates").asText()).doesNotContain("arch amd64").doesNotContain("arch arm64");
        assertThat(mixed.get("shapes").findValuesAsText("arch")).contains("amd64", "arm64");
        // A selector on another label says nothing of the architecture; --arch still wins when given.
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, deployment("web", "pool: web"));
        assertThat(recommend(other, "--families", "m6g,m6i").get("candidates").asText()).contains("arch amd64");
        assertThat(recommend(arm, "--families", "m6g,m6i", "--arch", "amd64").get("candidates").asText()).contains("arch amd64");
    }

    @Test
    void burstableTypesAreLeftOutUnlessNamed(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small.yaml");
        Files.writeString(small, deployment("api", null));
        JsonNode swept = recommend(small, "--max-cpu", "4");
        assertThat(swept.get("candidates").asText()).contains("not burstable");
        for (JsonNode s : swept.get("shapes")) {
            assertThat(s.at("/shape/family").asText()).as(s.at("/shape/name").asText()).doesNotMatch("t\\d+[a-z]*");
        }
        JsonNode named = recommend(small, "--families", "t3a,m6a");
        assertThat(named.get("candidates").asText()).doesNotContain("not burstable");
        assertThat(named.get("shapes").findValuesAsText("family")).contains("t3a");
        assertThat(recommend(small, "--max-cpu", "4", "--burstable", "include").get("shapes").findValuesAsText("family")).contains("t3a");
        CliRunner bad = CliRunner.run("recommend", "--pods", small.toString(), "--burstable", "maybe");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--burstable: The burstable mode (maybe) must be exclude or include.");
    }

    /** QA 55b F6: AWS's previous-generation families (m3, c3, r3, i2) are candidates only when asked for or named. */
    @Test
    void previousGenerationTypesAreLeftOutUnlessAskedForOrNamed(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small.yaml");
        Files.writeString(small, deployment("api", null));
        java.util.Set<String> previous = java.util.Set.of("m3", "c3", "r3", "i2");
        JsonNode swept = recommend(small);
        assertThat(swept.get("candidates").asText()).contains("current generation");
        assertThat(swept.get("shapes").findValuesAsText("family")).doesNotContainAnyElementsOf(previous);
        assertThat(recommend(small, "--previous-generation", "include").get("shapes").findValuesAsText("family"))
                .containsAll(previous);
        JsonNode named = recommend(small, "--families", "m3,m5");
        assertThat(named.get("candidates").asText()).doesNotContain("current generation");
        assertThat(named.get("shapes").findValuesAsText("family")).contains("m3", "m5");
        CliRunner bad = CliRunner.run("recommend", "--pods", small.toString(), "--previous-generation", "old");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--previous-generation: The previous-generation mode (old) must be exclude or include.");
    }

    /** QA 75a item 7: an openb node list given as --catalog is named as one, with pack --fleet, where 'sn' was "not known". */
    @Test
    void anOpenbNodeListAsTheCatalogIsNamed(@TempDir Path dir) throws Exception {
        Path small = Files.writeString(dir.resolve("small.yaml"), deployment("api", null));
        Path nodes = Files.writeString(dir.resolve("openb_node_list_gpu_node.csv"),
                "sn,cpu_milli,memory_mib,gpu,model\nopenb-node-0227,64000,262144,2,P100\n");
        CliRunner r = CliRunner.run("recommend", "--pods", small.toString(), "--catalog", nodes.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("nodesizer: --catalog: " + nodes + ":1: This is an openb node list (sn,cpu_milli,memory_mib,gpu,model: one row "
                + "per node of the cluster), not a catalog of node shapes; give it to pack --fleet (to pack onto those nodes), and a "
                + "catalog (aws, gce, azure, or a CSV of columns name,vcpu,memory_mib,…) to --catalog.\n");
    }

    /** QA 57a F3: catalog filters beside --node shapes without --catalog filtered nothing, without a word. */
    @Test
    void catalogFiltersWithoutACatalogSweptExitTwo(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small.yaml");
        Files.writeString(small, deployment("api", null));
        CliRunner r = CliRunner.run("recommend", "--pods", small.toString(), "--families", "m5", "--max-cpu", "2", "--node",
                "cpu=4,memory=16Gi,price=0.1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--families: --families, --max-cpu filter a catalog's types, and with --node or --generic shapes "
                + "alone no catalog is swept. Add --catalog aws");
        for (String[] filter : new String[][] {{"--arch", "arm64"}, {"--gpu", "only"}, {"--burstable", "include"}}) {
            CliRunner alone = CliRunner.run("recommend", "--pods", small.toString(), filter[0], filter[1], "--node", "cpu=4,memory=16Gi,price=0.1");
            assertThat(alone.exitCode()).as(filter[0]).isEqualTo(2);
            assertThat(alone.err()).as(filter[0]).contains(filter[0] + ": " + filter[0] + " filters a catalog's types");
        }
        JsonNode both = recommend(small, "--families", "m5", "--node", "cpu=4,memory=16Gi,price=0.1", "--catalog", "aws");
        assertThat(both.get("shapes").findValuesAsText("family")).contains("m5");
        assertThat(both.get("shapes").size()).isGreaterThan(1);
    }

    /** Three small pods: a workload every size fits. */
    private static Path tinyProfile(Path dir) throws Exception {
        Path tiny = dir.resolve("tiny.csv");
        Files.writeString(tiny, "name,cpu,memory,replicas\nweb,200m,256Mi,3\n");
        return tiny;
    }

    @Test
    void aksSweepsLeaveOutTheSizesAksRefusesForNodePools(@TempDir Path dir) throws Exception {
        // QA 53c F4: 1-vCPU sizes (Standard_A1_v2, F1, …) ranked #1 for a small workload; AKS refuses them as node pools.
        Path tiny = tinyProfile(dir);
        JsonNode swept = recommend(tiny, "--catalog", "azure", "--max-cpu", "2");
        assertThat(swept.get("candidates").asText()).contains("AKS node sizes (2+ vCPU, 2+ GiB)");
        for (JsonNode s : swept.get("shapes")) {
            assertThat(s.at("/shape/capacity/cpuMillis").asLong()).as(s.at("/shape/name").asText()).isGreaterThanOrEqualTo(2000);
            assertThat(s.at("/shape/capacity/memoryBytes").asLong()).isGreaterThanOrEqualTo(2L << 30);
        }
        // Plain Azure VMs (no AKS reservation) keep them; a size named with --node is packed with a note.
        assertThat(recommend(tiny, "--catalog", "azure", "--max-cpu", "1", "--overhead", "none").get("shapes").size()).isPositive();
        CliRunner named = CliRunner.run("pack", "--pods", tiny.toString(), "--node", "azure:Standard_A1_v2");
        assertThat(named.exitCode()).isZero();
        assertThat(named.out()).contains("Standard_A1_v2: AKS refuses node pools of sizes with fewer than 2 vCPUs");
        CliRunner none = CliRunner.run("recommend", "--pods", tiny.toString(), "--catalog", "azure", "--max-cpu", "1");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("which AKS refuses for node pools");
    }

    @Test
    void theCandidatesLineNamesWhosePricesTheRankingUses(@TempDir Path dir) throws Exception {
        Path tiny = tinyProfile(dir);
        assertThat(recommend(tiny, "--families", "m5").get("candidates").asText()).endsWith("us-east-1 on-demand Linux prices of 2026-07-20");
        // QA 53c F7: a catalog of one's own with rows of two regions ranks them together, and says so.
        Path catalog = dir.resolve("regions.csv");
        Files.writeString(catalog, "provider,name,vcpu,memory_mib,max_pods_eni,price_per_hour_usd,region\n"
                + "aws,m5.large,2,8192,29,0.096,us-east-1\naws,m5.large,2,8192,29,0.107,eu-west-1\n");
        assertThat(recommend(tiny, "--catalog", catalog.toString()).get("candidates").asText())
                .contains("prices of 2 regions ranked together (eu-west-1, us-east-1): give one region's rows to compare like with like");
    }

    @Test
    void anAzureHpcSizeThatWinsIsNamedAsOne(@TempDir Path dir) throws Exception {
        // QA 53c F9: HB120rs_v2 (InfiniBand, its own quota) is the cheapest per core in eastus and wins general rankings.
        Path cpu = dir.resolve("cpu.csv");
        Files.writeString(cpu, "name,cpu,memory,replicas\napi,1500m,1Gi,120\n");
        JsonNode swept = recommend(cpu, "--catalog", "azure");
        assertThat(swept.at("/shapes/0/shape/family").asText()).startsWith("HB");
        assertThat(swept.at("/workload/notes").toString()).contains("is an Azure HPC size").contains("the best other shape is Standard_");
        assertThat(recommend(cpu, "--catalog", "azure", "--families", "Dals_v6").at("/workload/notes").toString())
                .doesNotContain("HPC size");
    }
}
