package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rightsize and recommend {@code --snapshot} on a cluster of dedicated node groups (QA 64a F2): a general group, a
 * {@code workload=memory} group and a {@code workload=compute} group, both tainted, whose pods select them. One catalog
 * shape carries neither group's labels, so their pods were out of before and after and the saving read 0 %.
 */
final class RightsizeNodeGroupsSnapshotTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] QUICK = {"--families", "m5,r5,c5", "--strategies", "ffd", "--quiet", "--reproducible"};

    @TempDir
    Path dir;
    private Path snapshot;
    private Path cpu;
    private Path memory;

    /** web: 4 pods anywhere; db: 2 on the memory group; enc: 2 on the compute group; all using a tenth of their requests. */
    @BeforeEach
    void cluster() throws Exception {
        List<String> items = new ArrayList<>();
        String[][] nodes = {{"g1", "m5.xlarge", "general", ""}, {"g2", "m5.xlarge", "general", ""}, {"m1", "r5.xlarge", "memory", "memory"},
                {"m2", "r5.xlarge", "memory", "memory"}, {"c1", "c5.xlarge", "compute", "compute"}, {"c2", "c5.xlarge", "compute", "compute"}};
        for (String[] n : nodes) {
            items.add("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + n[0] + "\",\"labels\":{"
                    + "\"node.kubernetes.io/instance-type\":\"" + n[1] + "\",\"eks.amazonaws.com/nodegroup\":\"" + n[2] + "\","
                    + (n[3].isEmpty() ? "" : "\"workload\":\"" + n[3] + "\",")
                    + "\"topology.kubernetes.io/zone\":\"us-east-1a\",\"kubernetes.io/arch\":\"amd64\",\"kubernetes.io/os\":\"linux\"}},"
                    + "\"spec\":{" + (n[3].isEmpty() ? "" : "\"taints\":[{\"key\":\"workload\",\"value\":\"" + n[3] + "\",\"effect\":\"NoSchedule\"}]")
                    + "},\"status\":{\"capacity\":{\"cpu\":\"4\",\"memory\":\"31Gi\",\"pods\":\"58\"},"
                    + "\"allocatable\":{\"cpu\":\"3920m\",\"memory\":\"29Gi\",\"pods\":\"58\"}}}");
        }
        StringBuilder cpuSeries = new StringBuilder();
        StringBuilder memSeries = new StringBuilder();
        // name, replicas, CPU millis, memory GiB, node group selected (none: runs anywhere), nodes it runs on
        Object[][] workloads = {{"web", 4, 1000, 2, "", "g1"}, {"db", 2, 1500, 12, "memory", "m1"}, {"enc", 2, 3000, 2, "compute", "c1"}};
        for (Object[] w : workloads) {
            String group = (String) w[4];
            for (int i = 0; i < (int) w[1]; i++) {
                String pod = w[0] + "-5d8f-" + (char) ('a' + i);
                items.add("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + pod + "\",\"namespace\":\"shop\","
                        + "\"labels\":{\"app\":\"" + w[0] + "\",\"pod-template-hash\":\"5d8f\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\","
                        + "\"kind\":\"ReplicaSet\",\"name\":\"" + w[0] + "-5d8f\",\"controller\":true,\"uid\":\"" + w[0] + "\"}]},"
                        + "\"spec\":{\"nodeName\":\"" + w[5] + "\",\"containers\":[{\"name\":\"app\",\"image\":\"x\",\"resources\":{\"requests\":"
                        + "{\"cpu\":\"" + w[2] + "m\",\"memory\":\"" + w[3] + "Gi\"}}}]"
                        + (group.isEmpty() ? "" : ",\"nodeSelector\":{\"workload\":\"" + group + "\"},\"tolerations\":[{\"key\":\"workload\","
                        + "\"operator\":\"Equal\",\"value\":\"" + group + "\",\"effect\":\"NoSchedule\"}]")
                        + "},\"status\":{\"phase\":\"Running\"}}");
                series(cpuSeries, pod, Double.toString((int) w[2] / 10000.0));
                series(memSeries, pod, Long.toString(((long) (int) w[3] << 30) / 10));
            }
        }
        snapshot = dir.resolve("groups.json");
        Files.writeString(snapshot, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + String.join(",", items) + "]}");
        cpu = dir.resolve("cpu.json");
        Files.writeString(cpu, matrix(cpuSeries));
        memory = dir.resolve("memory.json");
        Files.writeString(memory, matrix(memSeries));
    }

    /** A Prometheus matrix series of 150 samples, 2 minutes apart, of {@code value} for container app of shop/{@code pod}. */
    static void series(StringBuilder sb, String pod, String value) {
        sb.append(sb.isEmpty() ? "" : ",").append("{\"metric\":{\"namespace\":\"shop\",\"pod\":\"").append(pod)
                .append("\",\"container\":\"app\"},\"values\":[");
        for (int i = 0; i < 150; i++) {
            sb.append(i == 0 ? "" : ",").append("[").append(1_700_000_000L + 120L * i).append(",\"").append(value).append("\"]");
        }
        sb.append("]}");
    }

    static String matrix(StringBuilder series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + series + "]}}";
    }

    private String[] args(String... head) {
        List<String> out = new ArrayList<>(List.of(head));
        out.addAll(List.of(QUICK));
        return out.toArray(String[]::new);
    }

    @Test
    void rightsizeSizesEachNodeGroupOnShapesCarryingItsLabelsAndTaints() throws Exception {
        CliRunner r = CliRunner.run(args("rightsize", "--snapshot", snapshot.toString(), "--cpu-usage", cpu.toString(), "--memory-usage",
                memory.toString(), "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        // Every pod placed before and after (one shape for all left db and enc out of both: 4 pods, "saving 0.0 %").
        assertThat(root.path("before").path("unschedulable")).isEmpty();
        assertThat(root.path("after").path("unschedulable")).isEmpty();
        JsonNode groups = root.get("nodeGroups");
        assertThat(groups).hasSize(3);
        assertThat(groups.get(0).get("group").isNull()).isTrue();
        assertThat(groups.get(0).get("pods").asInt()).isEqualTo(4);
        assertThat(groups.get(1).get("group").asText()).isEqualTo("memory");
        assertThat(groups.get(1).get("pods").asInt()).isEqualTo(2);
        assertThat(groups.get(1).get("labels").get("workload").asText()).isEqualTo("memory");
        assertThat(groups.get(1).get("taints").get(0).asText()).isEqualTo("workload=memory:NoSchedule");
        assertThat(groups.get(1).get("before").get("shape").get("name").asText()).endsWith(" [workload=memory]");
        assertThat(groups.get(2).get("group").asText()).isEqualTo("compute");
        assertThat(groups.get(2).get("after").get("shape").get("name").asText()).endsWith(" [workload=compute]");
        // The totals are the groups' sums, and the saving is theirs: a tenth of the requests is used.
        double before = 0;
        int nodes = 0;
        for (JsonNode g : groups) {
            before += g.get("before").get("costPerHour").asDouble();
            nodes += g.get("before").get("nodes").asInt();
        }
        assertThat(root.get("before").get("costPerHour").asDouble()).isCloseTo(before, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(root.get("before").get("nodes").asInt()).isEqualTo(nodes);
        assertThat(root.get("savingPercent").asDouble()).isGreaterThan(10);
        assertThat(root.get("warnings")).extracting(JsonNode::asText).noneMatch(w -> w.contains("labels="));
    }

    @Test
    void theTextShowsALinePerNodeGroupAndTheTotal() {
        CliRunner r = CliRunner.run(args("rightsize", "--snapshot", snapshot.toString(), "--cpu-usage", cpu.toString(), "--memory-usage",
                memory.toString()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("node group").contains("(pods any node admits)").containsPattern("\\nmemory +2 +r5")
                .containsPattern("\\ntotal +8 ").contains("sized per node group").containsPattern("saving: \\$[0-9.]+/h")
                .doesNotContain("Even with today's requests");
        // The HTML cost chart counts node groups without the general pool of pods any node admits (review 63 item 11).
        CliRunner html = CliRunner.run(args("rightsize", "--snapshot", snapshot.toString(), "--cpu-usage", cpu.toString(), "--memory-usage",
                memory.toString(), "-o", "html"));
        assertThat(html.exitCode()).as(html.err()).isZero();
        assertThat(html.out()).containsPattern("nodes in 2 node groups and the general pool").doesNotContain("3 node groups");
    }

    @Test
    void recommendMixesAPoolPerNodeGroup() {
        CliRunner r = CliRunner.run(args("recommend", "--snapshot", snapshot.toString(), "--max-pools", "3"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        // The mix's table alone (the notes below may say what the snapshot's odd nodes leave out of a type's sizing).
        String mix = r.out().substring(r.out().indexOf("Mixed pools"), r.out().indexOf("Fewer-larger"));
        assertThat(mix).contains("[workload=memory]").contains("[workload=compute]").doesNotContain("left out");
        // No single shape holds both groups' pods: the baseline line says so, and compares today's cluster with the mix.
        assertThat(r.out()).containsPattern("today's cluster: 6 nodes, [^\\n]*; no single shape compares: the best, [^\\n]*, leaves \\d+ pods? "
                + "out; the mix of pools below places every pod and would cost [0-9.]+ % less");
        assertThat(r.out()).contains("each shape also as a node of node group memory (eks.amazonaws.com/nodegroup=memory, workload=memory, "
                + "taint workload=memory:NoSchedule)");
    }

    /**
     * QA 78c F3: a Windows node group's candidates are the catalog's shapes at on-demand Linux prices, without the licence
     * that analyze and consolidate leave such nodes unpriced for; rightsize and recommend priced the group so without a word.
     * The caveat names the group whether or not its pods select the os label (enc selects workload=compute alone).
     */
    @Test
    void aWindowsNodeGroupSaysItsPricesAreLinuxOnes() throws Exception {
        Path windows = dir.resolve("windows.json");
        String cluster = Files.readString(snapshot);
        for (String n : List.of("c1", "c2")) {
            int at = cluster.indexOf("\"name\":\"" + n + "\"");
            int os = cluster.indexOf("\"kubernetes.io/os\":\"linux\"", at);
            cluster = cluster.substring(0, os) + "\"kubernetes.io/os\":\"windows\"" + cluster.substring(os + "\"kubernetes.io/os\":\"linux\"".length());
        }
        Files.writeString(windows, cluster);
        String caveat = "node group compute runs Windows (kubernetes.io/os=windows): its candidates are priced at the catalog's on-demand "
                + "Linux prices, without the Windows licence";
        CliRunner r = CliRunner.run(args("rightsize", "--snapshot", windows.toString(), "--cpu-usage", cpu.toString(), "--memory-usage",
                memory.toString(), "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("warnings")).extracting(JsonNode::asText).anyMatch(w -> w.contains(caveat))
                .noneMatch(w -> w.contains("node group memory runs Windows"));
        assertThat(root.get("nodeGroups").get(2).get("labels").get("kubernetes.io/os").asText()).isEqualTo("windows");
        CliRunner rec = CliRunner.run(args("recommend", "--snapshot", windows.toString()));
        assertThat(rec.exitCode()).as(rec.err()).isZero();
        assertThat(rec.out()).contains(caveat);
        // Linux groups say nothing of it.
        CliRunner linux = CliRunner.run(args("recommend", "--snapshot", snapshot.toString()));
        assertThat(linux.out()).doesNotContain("runs Windows");
    }

    @Test
    void aPodNoNodeGroupAdmitsIsReportedWithoutAdviceThatCannotHelp() throws Exception {
        // A Pending pod selecting disk=ssd, which no node of the cluster carries: no group holds it, and a --node with labels
        // would be one more shape for every pod, not a fix (QA 64a F2: the warning promised one).
        String cluster = Files.readString(snapshot);
        String pending = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"ssd\",\"namespace\":\"shop\"},"
                + "\"spec\":{\"nodeSelector\":{\"disk\":\"ssd\"},\"containers\":[{\"name\":\"app\",\"image\":\"x\",\"resources\":"
                + "{\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}}]},\"status\":{\"phase\":\"Pending\"}}";
        Path withSsd = dir.resolve("ssd.json");
        Files.writeString(withSsd, cluster.replace("\"items\":[", "\"items\":[" + pending + ","));
        CliRunner r = CliRunner.run(args("rightsize", "--snapshot", withSsd.toString(), "--cpu-usage", cpu.toString(), "--memory-usage",
                memory.toString(), "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("nodeGroups")).hasSize(3); // db and enc still sized on their groups' shapes
        assertThat(root.get("before").get("unschedulable")).hasSize(1);
        // The totals count and group their pods left out as a shape's object does.
        assertThat(root.get("before").get("unschedulableCount").asInt()).isOne();
        assertThat(root.get("before").get("unschedulableListed").asInt()).isOne();
        assertThat(root.get("before").get("unschedulableReasons")).singleElement()
                .satisfies(x -> assertThat(x.get("examples")).extracting(JsonNode::asText).containsExactly("shop/ssd"));
        assertThat(root.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith("Node group (pods any node admits): Even with today's requests") && w.contains("shop/ssd")
                        && w.contains("match no node group of the snapshot either"))
                .noneMatch(w -> w.contains("labels="));
    }
}
