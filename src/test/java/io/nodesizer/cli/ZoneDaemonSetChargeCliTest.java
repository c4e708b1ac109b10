package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DaemonSet kept to zone a of {@code --zones a,b}: pack and recommend's shapes charge it on zone a's nodes alone (fix
 * 78a); each output that still charges it on every node says so, and why, and those that do not stay silent (fix 78e).
 */
final class ZoneDaemonSetChargeCliTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A 1-CPU DaemonSet on zone a's nodes and four 2-CPU pods. */
    private static final String WEB = ZoneDaemonSetCliTest.MANIFEST.formatted("1", "2");

    /** WEB whose pods spread hard over the zones: the rule path packs nodes of one capacity. */
    private static final String SPREAD = spread(WEB);

    private static String spread(String manifest) {
        int at = manifest.lastIndexOf("      containers:");
        return manifest.substring(0, at) + "      topologySpreadConstraints:\n      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, "
                + "whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}\n" + manifest.substring(at);
    }

    private static final String NODE = "cpu=4,memory=16Gi,pods=110";

    private static final String MIXED = "the mixed pools charge DaemonSet agent (zone a only) on every node, the safe side: a pool's nodes "
            + "have one capacity there, where the single shapes charge each on the nodes of its zones alone";

    private static final String REPLAYED = "DaemonSet agent (zone a only) on every node, the safe side: a node group has one DaemonSet "
            + "load in the replay, whatever its nodes' zones (pack charges each on the nodes of its zones alone)";

    private String manifest(String workload) throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, workload);
        return m.toString();
    }

    private static CliRunner ok(String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    @Test
    void packNamesTheZoneAndGivesEachZonesLoadInJson() throws Exception {
        String m = manifest(WEB);
        CliRunner text = ok("pack", "--pods", m, "--node", NODE, "--overhead", "none", "--zones", "a,b", "--quiet");
        assertThat(text.out()).contains("DaemonSet agent (1 CPU, 0.098 GiB per node of zone a)").doesNotContain("on every node");
        JsonNode shape = JSON.readTree(ok("pack", "--pods", m, "--node", NODE, "--overhead", "none", "--zones", "a,b", "--quiet",
                "-o", "json").out()).get("shape");
        assertThat(shape.get("daemonSets").get("cpuMillis").asLong()).isEqualTo(1000); // the heaviest zone's, as before
        assertThat(shape.get("daemonSetsByZone").get("a").get("cpuMillis").asLong()).isEqualTo(1000);
        assertThat(shape.get("daemonSetsByZone").get("b").get("cpuMillis").asLong()).isZero();
        assertThat(shape.get("podAllocatableByZone").get("a").get("cpuMillis").asLong()).isEqualTo(3000);
        assertThat(shape.get("podAllocatableByZone").get("b").get("pods").asLong()).isEqualTo(110);
        // Without named zones the DaemonSet is taken to run everywhere: no zone field, "per node" bare.
        CliRunner one = ok("pack", "--pods", m, "--node", NODE, "--overhead", "none", "--quiet", "-o", "json");
        JsonNode root = JSON.readTree(one.out());
        assertThat(root.get("shape").has("daemonSetsByZone")).isFalse();
        assertThat(root.get("shape").has("podAllocatableByZone")).isFalse();
        assertThat(root.get("workload").get("daemonSets").get(0).asText()).isEqualTo("agent (1 CPU, 0.098 GiB per node)");
    }

    @Test
    void zoneSpreadsChargeEveryNodeAndSaySo() throws Exception {
        String m = manifest(SPREAD);
        CliRunner r = ok("pack", "--pods", m, "--node", NODE, "--overhead", "none", "--zones", "a,b", "--quiet", "-o", "json");
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("workload").get("notes")).extracting(JsonNode::asText).contains("the packing charges DaemonSet agent "
                + "(zone a only) on every node, the safe side: the workload's topology spreads or pod (anti-)affinity on the zone place "
                + "pods on nodes of one capacity");
        assertThat(root.get("shape").has("daemonSetsByZone")).isFalse();
        CliRunner rec = ok("recommend", "--pods", m, "--families", "m5", "--max-cpu", "4", "--zones", "a,b", "--quiet");
        assertThat(rec.out()).contains("note: the packings charge DaemonSet agent (zone a only) on every node");
    }

    @Test
    void recommendSaysTheMixChargesEveryNodeAndItsShapesDoNot() throws Exception {
        String m = manifest(WEB);
        CliRunner mixed = ok("recommend", "--pods", m, "--families", "m5", "--max-cpu", "8", "--zones", "a,b", "--max-pools", "2",
                "--quiet", "-o", "json");
        JsonNode root = JSON.readTree(mixed.out());
        assertThat(root.get("workload").get("notes")).extracting(JsonNode::asText).contains(MIXED);
        assertThat(root.get("workload").get("daemonSets").get(0).asText()).isEqualTo("agent (1 CPU, 0.098 GiB per node of zone a)");
        JsonNode first = root.get("shapes").get(0).get("shape");
        assertThat(first.get("daemonSetsByZone").get("b").get("cpuMillis").asLong()).isZero();
        CliRunner single = ok("recommend", "--pods", m, "--families", "m5", "--max-cpu", "8", "--zones", "a,b", "--quiet");
        assertThat(single.out()).doesNotContain("on every node").contains("per node of zone a");
    }

    @Test
    void replayAndWindowsSayTheyChargeEveryNode() throws Exception {
        String m = manifest(WEB);
        String[] run = {"--workload", m, "--synthetic", "diurnal", "--duration", "1d", "--node", NODE, "--overhead", "none", "--quiet"};
        CliRunner replay = ok(CliRunner.concat(CliRunner.concat(new String[] {"replay"}, run), "--zones", "a,b", "-o", "json"));
        assertThat(JSON.readTree(replay.out()).get("notes")).extracting(JsonNode::asText).contains("replay charges " + REPLAYED);
        CliRunner windows = ok(CliRunner.concat(CliRunner.concat(new String[] {"windows"}, run), "--zones", "a,b"));
        assertThat(windows.out()).contains("note: the replays and the peak's packing charge " + REPLAYED);
        // A zone count names no zone: the selector is taken as met everywhere, not as some zones'.
        CliRunner counted = ok(CliRunner.concat(CliRunner.concat(new String[] {"replay"}, run), "--zones", "2"));
        assertThat(counted.out()).doesNotContain("zone a only");
    }

    @Test
    void aFleetOfAnOpenbNodeListSaysItsNodesCarryNoZone() throws Exception {
        String m = manifest(WEB);
        Path nodes = dir.resolve("nodes.csv");
        Files.writeString(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn1,4000,16384,0,\nn2,4000,16384,0,\n");
        CliRunner r = ok("pack", "--pods", m, "--fleet", nodes.toString(), "--quiet", "-o", "json");
        assertThat(JSON.readTree(r.out()).get("notes")).extracting(JsonNode::asText).containsExactly("DaemonSet agent selects on label "
                + "topology.kubernetes.io/zone, which the nodes of an openb node list do not carry (it gives no labels); counted on "
                + "every node (the safe side)");
        // A DaemonSet without a selector runs on every node: nothing to say.
        Files.writeString(dir.resolve("m.yaml"), WEB.replace("      nodeSelector: {topology.kubernetes.io/zone: a}\n", ""));
        assertThat(JSON.readTree(ok("pack", "--pods", m, "--fleet", nodes.toString(), "--quiet", "-o", "json").out()).get("notes"))
                .isEmpty();
    }

    @Test
    void aDaemonSetAskingForGpusSaysWhyItIsOnEveryNode() throws Exception {
        String m = manifest(WEB);
        Files.writeString(Path.of(m), Files.readString(Path.of(m)).replace("memory: 100Mi}", "memory: 100Mi}, limits: {nvidia.com/gpu: 1}"));
        CliRunner r = ok("pack", "--pods", m, "--node", "cpu=8,memory=32Gi,pods=110,gpu=2", "--overhead", "none", "--zones", "a,b", "--quiet");
        assertThat(r.out()).contains("DaemonSet agent (1 CPU, 0.098 GiB, 1 GPU per node)")
                .contains("note: DaemonSet agent selects on label topology.kubernetes.io/zone, which the nodes of some zones of --zones "
                        + "match and others do not; counted on every node (it requests GPUs, which the DaemonSets take device by device "
                        + "in list order: one load on every zone's nodes)");
    }
}
