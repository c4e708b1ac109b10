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

    /**
     * QA 55b F8: an 8E node and ten 1E pods (10^19 bytes, past 2^63) ended in an internal error in analyze and, worse, a
     * plan in consolidate (the wrapped sum fitted a c6a.large). Every snapshot reader's command now says which total is
     * past what nodesizer counts, and where, and exits 2.
     */
    @Test
    void snapshotTotalsPastWhatALongCountsFailWithAMessage(@TempDir Path dir) throws Exception {
        StringBuilder items = new StringBuilder("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n");
        items.append("{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"big\"}, \"status\": {\"allocatable\": "
                + "{\"cpu\": \"4\", \"memory\": \"NODE\", \"pods\": \"110\"}}}");
        for (int i = 0; i < 10; i++) {
            items.append(",\n{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p").append(i).append("\", \"namespace\": "
                    + "\"d\", \"ownerReferences\": [{\"kind\": \"ReplicaSet\", \"name\": \"rs\", \"controller\": true}]}, \"spec\": "
                    + "{\"nodeName\": \"big\", \"containers\": [{\"name\": \"c\", \"resources\": {\"requests\": {\"cpu\": \"100m\", "
                    + "\"memory\": \"POD\"}}}]}, \"status\": {\"phase\": \"Running\"}}");
        }
        String cluster = items.append("\n]}\n").toString();
        Path qa = dir.resolve("qa.json");
        Files.writeString(qa, cluster.replace("NODE", "8E").replace("POD", "1E"));
        for (String command : List.of("analyze", "consolidate", "recommend")) {
            CliRunner r = CliRunner.run(command, "--snapshot", qa.toString());
            assertThat(r.exitCode()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).isEqualTo("nodesizer: " + qa + ":2: The nodes' allocatable memory must add up to at most 1Ei "
                    + "(2^60 bytes, the most nodesizer counts); found 8E in all, of which node big has 8E. Maybe a unit is off: E, P "
                    + "and T are 10^18, 10^15 and 10^12 bytes (Gi is 2^30).\n");
        }
        // A node within the limit, the pods past it: the largest pod is named, with its node.
        Path pods = dir.resolve("pods.json");
        Files.writeString(pods, cluster.replace("NODE", "1000Pi").replace("POD", "1000Pi"));
        CliRunner r = CliRunner.run("consolidate", "--snapshot", pods.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("nodesizer: " + pods + ":3: The pods' memory requests must add up to at most 1Ei").contains(
                "found 11.259E in all, of which pod d/p0 (on node big) requests 1.126E.").doesNotContain("Exception");
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
