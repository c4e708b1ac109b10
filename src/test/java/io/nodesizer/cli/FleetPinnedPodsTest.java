package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pack --fleet} onto a snapshot where one workload may use only some nodes: six 4-CPU nodes,
 * two per zone, zone a first in fleet order. The unpinned web pods are larger, so largest first they
 * came first and filled zone a, and the ledger pods pinned there (nodeSelector on the zone) found no
 * room although zones b and c had room for every web pod: 0 of 8 placed (1 of 8 with a hostname
 * spread). The ledger pods may use a strict subset of the fleet, so a second packing takes them
 * first; it places every pod, so it is kept.
 */
final class FleetPinnedPodsTest {
    @TempDir
    Path dir;

    /** A 4-CPU node in the zone. */
    private static String node(String name, String zone) {
        return FleetRunningPodsTest.node(name, zone).replace("\"cpu\":\"8\",\"memory\":\"32Gi\"", "\"cpu\":\"4\",\"memory\":\"16Gi\"")
                .replace("m5.2xlarge", "m5.xlarge");
    }

    private Path snapshot() throws Exception {
        Path s = dir.resolve("cluster.json");
        Files.writeString(s, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + String.join(",", List.of(
                node("a0", "us-east-1a"), node("a1", "us-east-1a"), node("b0", "us-east-1b"), node("b1", "us-east-1b"),
                node("c0", "us-east-1c"), node("c1", "us-east-1c"))) + "]}");
        return s;
    }

    private static String deployment(String name, int replicas, String cpu, String spec) {
        return FleetRunningPodsTest.deployment(name, replicas, spec).replace("cpu: 500m", "cpu: " + cpu);
    }

    private static final String PINNED = """
                  nodeSelector: {topology.kubernetes.io/zone: us-east-1a}
            """;

    private static final String SPREAD = """
                  topologySpreadConstraints:
                  - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule,
                     labelSelector: {matchLabels: {app: ledger}}}
            """;

    /** Workload name → node → pods there ("" for the pods left out), from an --assignments file. */
    private Map<String, Map<String, Integer>> pack(String manifests) throws Exception {
        Path m = dir.resolve("new.yaml");
        Files.writeString(m, manifests);
        Path out = dir.resolve("a.csv");
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--fleet", snapshot().toString(), "--assignments", out.toString(),
                "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, Map<String, Integer>> on = new TreeMap<>();
        List<String> lines = Files.readAllLines(out);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            String workload = f[0].substring(f[0].indexOf('/') + 1, f[0].lastIndexOf('-'));
            on.computeIfAbsent(workload, k -> new TreeMap<>()).merge(f[1], 1, Integer::sum);
        }
        return on;
    }

    @Test
    void podsPinnedToAZoneGoBeforeTheUnpinnedOnesThatWouldFillIt() throws Exception {
        Map<String, Map<String, Integer>> on = pack(deployment("web", 12, "1", "") + "---\n" + deployment("ledger", 8, "900m", PINNED));
        assertThat(on.get("ledger")).containsExactlyInAnyOrderEntriesOf(Map.of("a0", 4, "a1", 4));
        assertThat(on.get("web")).doesNotContainKeys("", "a0", "a1");
        assertThat(on.get("web").values()).containsOnly(4);
    }

    /**
     * With a hostname spread (maxSkew 1) over the zone's nodes the pinned pods even out over a0 and
     * a1: largest first, web filled a0 and half of a1, and a1 could take one ledger pod before the
     * empty a0 held it to maxSkew.
     */
    @Test
    void pinnedPodsWithAHostnameSpreadEvenOutOverTheirZone() throws Exception {
        Map<String, Map<String, Integer>> on = pack(deployment("web", 6, "1", "") + "---\n"
                + deployment("ledger", 8, "900m", PINNED + SPREAD));
        assertThat(on.get("ledger")).containsExactlyInAnyOrderEntriesOf(Map.of("a0", 4, "a1", 4));
        assertThat(on.get("web")).doesNotContainKey("");
    }
}
