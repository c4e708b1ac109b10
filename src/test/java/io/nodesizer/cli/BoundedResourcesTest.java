package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Large inputs: a 1M-pod trace packs in a 1 GB heap; beyond the documented limit, a clear message. */
final class BoundedResourcesTest {

    @Test
    void aMillionPodTraceIsReadPackedAndVerifiedWithin1GbOfHeap(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("openb_pod_list_1m.csv");
        SplittableRandom random = new SplittableRandom(1);
        try (BufferedWriter w = Files.newBufferedWriter(trace, StandardCharsets.UTF_8)) {
            w.write("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n");
            for (int i = 0; i < 1_000_000; i++) {
                int gpus = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
                int gpuMilli = gpus == 1 ? 100 + random.nextInt(901) : 1000;
                w.write("pod-" + i + "," + (500 + random.nextInt(15_500)) + "," + (1024 + random.nextInt(63 * 1024)) + "," + gpus + ","
                        + (gpus == 0 ? 0 : gpuMilli) + ",,LS,Running," + i + "," + (i + 3600) + "," + i + "\n");
            }
        }
        Path out = dir.resolve("out.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "pack", "--pods", trace.toString(), "--node", "cpu=96,memory=768Gi,pods=110,gpu=8", "--overhead", "none",
                "-o", "json", "--out", out.toString(), "--quiet"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("log.txt"))).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertThat(root.get("pods").asInt()).isEqualTo(1_000_000);
        assertThat(root.get("nodes").asInt()).isGreaterThanOrEqualTo(root.get("lowerBound").asInt());
    }

    /** A snapshot is streamed item by item: 60,000 pods (~90 MB of JSON) are analysed in a 128 MiB heap. */
    @Test
    void aLargeSnapshotIsStreamedWithinASmallHeap(@TempDir Path dir) throws Exception {
        Path snapshot = dir.resolve("cluster.json");
        try (BufferedWriter w = Files.newBufferedWriter(snapshot, StandardCharsets.UTF_8)) {
            w.write("{\"apiVersion\": \"v1\", \"items\": [\n");
            for (int i = 0; i < 1200; i++) {
                w.write("{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"node-" + i + "\", \"labels\": "
                        + "{\"node.kubernetes.io/instance-type\": \"m5.4xlarge\", \"kubernetes.io/arch\": \"amd64\"}}, \"spec\": {}, "
                        + "\"status\": {\"allocatable\": {\"cpu\": \"15890m\", \"memory\": \"64006028Ki\", \"pods\": \"234\"}}},\n");
            }
            for (int j = 0; j < 60_000; j++) {
                int d = j / 50;
                w.write("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"web" + d + "-abc12-x" + j + "\", "
                        + "\"namespace\": \"ns" + d % 40 + "\", \"labels\": {\"app\": \"web" + d + "\", \"pod-template-hash\": \"abc12\"}, "
                        + "\"ownerReferences\": [{\"kind\": \"ReplicaSet\", \"name\": \"web" + d + "-abc12\", \"controller\": true}], "
                        + "\"annotations\": {\"note\": \"" + "x".repeat(600) + "\"}}, "
                        + "\"spec\": {\"nodeName\": \"node-" + j % 1200 + "\", \"containers\": [{\"name\": \"app\", \"image\": \"nginx\", "
                        + "\"resources\": {\"requests\": {\"cpu\": \"100m\", \"memory\": \"256Mi\"}}}]}, "
                        + "\"status\": {\"phase\": \"Running\"}}" + (j + 1 < 60_000 ? "," : "") + "\n");
            }
            w.write("], \"kind\": \"List\", \"metadata\": {}}\n");
        }
        Path out = dir.resolve("out.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "analyze", "--snapshot", snapshot.toString(), "-o", "json", "--out", out.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("log.txt"))).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertThat(root.get("nodes")).hasSize(1200);
        assertThat(root.get("nodes").get(0).get("pods").asInt()).isEqualTo(50);
    }

    @Test
    void workloadsBeyondTheLimitFailWithAMessage(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("huge.csv");
        Files.writeString(csv, "name,cpu,memory,replicas\na,100m,128Mi,3000000\nb,100m,128Mi,3000000\n");
        CliRunner r = CliRunner.run("pack", "--pods", csv.toString(), "--node", "cpu=8,memory=32Gi");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("nodesizer: " + csv + ": The inputs hold 6,000,000 pods; nodesizer packs at most 5,000,000 in one run."
                + " Maybe lower the replicas or split the workload.\n");
    }
}
