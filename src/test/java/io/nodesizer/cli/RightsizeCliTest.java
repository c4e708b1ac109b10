package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nodesizer.cli.CliRunner.concat;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code nodesizer rightsize} end to end, on the bundled sample (workloads/rightsize). */
final class RightsizeCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PODS = "workloads/rightsize/shop.yaml";
    private static final String CSV = "workloads/rightsize/usage.csv";
    private static final String CPU = "workloads/rightsize/cpu.json";
    private static final String MEMORY = "workloads/rightsize/memory.json";
    /** A small candidate set keeps the packing quick; the sweep itself is tested elsewhere. */
    private static final String[] SHAPES = {"--families", "m5", "--strategies", "ffd", "--quiet", "--reproducible"};

    @TempDir
    Path dir;

    private static String[] args(String... head) {
        String[] out = new String[head.length + SHAPES.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(SHAPES, 0, out, head.length, SHAPES.length);
        return out;
    }

    @Test
    void theJsonCarriesTheContractFieldsAndBeforeAndAfter() throws Exception {
        CliRunner r = CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        JsonNode web = root.get("containers").get(0);
        for (String field : List.of("namespace", "workload", "container", "request", "usage", "recommended", "flags")) {
            assertThat(web.has(field)).as(field).isTrue();
        }
        assertThat(web.get("workload").asText()).isEqualTo("web");
        assertThat(web.get("request").get("cpuMillis").asLong()).isEqualTo(1000);
        for (String stat : List.of("p50", "p95", "max")) {
            assertThat(web.get("usage").get("cpuMillis").has(stat)).isTrue();
            assertThat(web.get("usage").get("memoryBytes").has(stat)).isTrue();
        }
        // krr's rule on the sample: CPU = ceil(busiest pod's p95), memory = ceil_MiB(peak × 1.15)
        double p95 = web.get("usage").get("cpuMillis").get("p95").asDouble();
        assertThat(web.get("usage").get("cpuMillis").get("atPercentile").asDouble()).isEqualTo(p95); // --cpu-percentile 95 by default
        assertThat(web.get("recommended").get("cpuMillis").asLong()).isEqualTo((long) Math.ceil(p95 - 1e-6));
        long peak = web.get("usage").get("memoryBytes").get("max").asLong();
        assertThat(web.get("recommended").get("memoryBytes").asLong()).isBetween((long) (peak * 1.15), (long) (peak * 1.15) + (1 << 20));
        JsonNode worker = find(root, "worker");
        assertThat(worker.get("request").has("cpuMillis")).isFalse(); // absent fields when no request
        assertThat(worker.get("flags")).extracting(JsonNode::asText).contains("no-cpu-request", "no-memory-request");
        assertThat(find(root, "cart").get("flags")).extracting(JsonNode::asText).contains("memory-above-request", "request-above-limit");
        assertThat(find(root, "checkout").get("flags")).extracting(JsonNode::asText).containsExactly("no-usage");
        for (String side : List.of("before", "after")) {
            JsonNode s = root.get(side);
            assertThat(s.get("shape").get("name").asText()).startsWith("m5.");
            assertThat(s.get("nodes").asInt()).isPositive();
            assertThat(s.get("costPerHour").asDouble()).isPositive();
            assertThat(s.get("lowerBound").asInt()).isLessThanOrEqualTo(s.get("nodes").asInt());
        }
        assertThat(root.get("after").get("costPerHour").asDouble()).isLessThan(root.get("before").get("costPerHour").asDouble());
        assertThat(root.get("warnings")).extracting(JsonNode::asText).anyMatch(w -> w.contains("shop/legacy-api"));
        assertThat(r.err()).contains("warning: 2 usage series match no workload");
    }

    /**
     * CPU written in millicores without the suffix (a dashboard's unit) reads as a thousand times the usage: far above a
     * container's CPU limit, which the CFS quota never lets it pass; an error naming the unit, not requests of hundreds of
     * cores and patches asking for them (QA 49a M1).
     */
    @Test
    void cpuUsageFarAboveItsLimitIsAnotherUnit() throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(Path.of(CSV));
        StringBuilder milli = new StringBuilder();
        for (String line : lines) {
            String[] f = line.split(",", -1);
            boolean sample = f.length == 7 && !line.startsWith("#") && !line.startsWith("timestamp");
            milli.append(sample ? String.join(",", f[0], f[1], f[2], f[3], f[4],
                    java.math.BigDecimal.valueOf(Double.parseDouble(f[5]) * 1000).toPlainString(), f[6]) : line).append('\n');
        }
        Path file = java.nio.file.Files.writeString(dir.resolve("millicores.csv"), milli);
        Path script = dir.resolve("patch.sh");
        CliRunner r = CliRunner.run(args("rightsize", "--pods", PODS, "--usage", file.toString(), "--patches", script.toString()));
        assertThat(r.exitCode()).isEqualTo(2);
        // The place of the busiest pod's series: of several exports, the one in another unit (QA 51c F2).
        assertThat(r.err()).containsPattern("millicores\\.csv:\\d+: 1 of the 1 containers with a CPU limit use over 100 times it \\(shop/cart container app")
                .contains("which the CFS quota never lets a container pass").contains("in millicores").doesNotContain("Exception");
        assertThat(script).doesNotExist();
    }

    private static JsonNode find(JsonNode root, String workload) {
        for (JsonNode c : root.get("containers")) {
            if (c.get("workload").asText().equals(workload)) {
                return c;
            }
        }
        throw new AssertionError(workload);
    }

    @Test
    void csvAndPrometheusInputsOfTheSameSamplesGiveTheSameResult() throws Exception {
        JsonNode csv = JSON.readTree(CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "-o", "json")).out());
        JsonNode prom = JSON.readTree(CliRunner.run(args("rightsize", "--pods", PODS, "--cpu-usage", CPU, "--memory-usage", MEMORY,
                "-o", "json")).out());
        assertThat(prom.get("containers")).isEqualTo(csv.get("containers"));
        assertThat(prom.get("before")).isEqualTo(csv.get("before"));
        assertThat(prom.get("after")).isEqualTo(csv.get("after"));
    }

    /**
     * The HTML chart of requests over all replicas draws the DaemonSet's container as its per-node
     * amount times the nodes before and after (4 × m5a.2xlarge → 6 × m5a.xlarge: 200m × 4 → 35m × 6 =
     * 0.21 cores); it drew 0 → 0, its replicas being unknown. Labels carry the namespace. JSON
     * inputs list the --pods file before the usage (only the usage was listed).
     */
    @Test
    void theDaemonSetIsDrawnPerNodeTimesNodesAndTheInputsListThePods() throws Exception {
        CliRunner html = CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "-o", "html"));
        assertThat(html.exitCode()).as(html.err()).isZero();
        String cpu = html.out().substring(html.out().indexOf("data-chart=\"cpu-requests\""));
        assertThat(cpu).contains("\"logging/log-shipper fluent-bit (DaemonSet: per node × 4 → 6 nodes)\" ]", "\"shop/web app\"");
        assertThat(cpu.replaceAll("\\s", "")).contains("\"data\":[6.0,1.5,2.0,12.0,0.0,1.0,1.0,0.8]",
                "\"data\":[2.964,0.408,2.612,4.26,1.72,1.0,1.0,0.21]");
        JsonNode json = JSON.readTree(CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "-o", "json")).out());
        assertThat(json.get("inputs").toString()).isEqualTo("[\"" + PODS + "\",\"" + CSV + "\"]");
    }

    /**
     * Before and after are sized as recommend sizes for production (QA 47b: a one-node "before"
     * halved the saving recommend plans with): at least two nodes a pool by default, the bare
     * packings with --min-nodes-per-pool 1, and 0 is an input error.
     */
    @Test
    void beforeAndAfterAreSizedAsRecommendSizesThem() throws Exception {
        JsonNode sized = JSON.readTree(CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "-o", "json")).out());
        assertThat(sized.get("settings").get("minNodesPerPool").asInt()).isEqualTo(2);
        assertThat(sized.get("before").get("nodes").asInt()).isGreaterThanOrEqualTo(2);
        JsonNode recommended = JSON.readTree(CliRunner.run(args("recommend", "--pods", PODS, "-o", "json")).out());
        assertThat(sized.get("before").get("shape").get("name").asText())
                .isEqualTo(recommended.get("shapes").get(0).get("shape").get("name").asText());
        JsonNode bare = JSON.readTree(CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "--min-nodes-per-pool", "1",
                "-o", "json")).out());
        assertThat(bare.get("settings").get("minNodesPerPool").asInt()).isEqualTo(1);
        assertThat(bare.get("before").has("headroomNodes")).isFalse();
        CliRunner zero = CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "--min-nodes-per-pool", "0"));
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--min-nodes-per-pool: The minimum pool size (0) must be at least 1.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"table", "markdown", "csv", "html"})
    void everyFormatRenders(String format) {
        CliRunner r = CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "-o", format));
        assertThat(r.exitCode()).as(r.err()).isZero();
        switch (format) {
            case "csv" -> assertThat(r.out()).startsWith("namespace,workload,kind,container,replicas,requestCpuMillis")
                    .contains("shop,worker,Deployment,worker,5,,,");
            // The risk lists the text formats have (QA 53a F4: HTML had neither).
            case "html" -> assertThat(r.out()).startsWith("<!DOCTYPE html>").contains("data-chart=\"cpu-requests\"").doesNotContain("<script src")
                    .contains("<h2>No request: 1 container</h2>").contains("<li>shop/worker worker: no CPU request");
            default -> assertThat(r.out()).contains("shop/cart").contains("No request: 1 container").contains("saving: $")
                    .contains("Using more than requested");
        }
    }

    @Test
    void patchesAreKubectlCommandsForTheChangedContainers() throws Exception {
        Path script = dir.resolve("patch.sh");
        CliRunner r = CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "--patches", script.toString(), "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode web = JSON.readTree(r.out()).get("containers").get(0);
        String text = Files.readString(script);
        assertThat(text).startsWith("#!/bin/sh").contains("kubectl set resources deployment/web -n shop -c app --requests=cpu="
                + web.get("recommended").get("cpuMillis").asLong() + "m,memory=" + (web.get("recommended").get("memoryBytes").asLong() >> 20) + "Mi\n");
        assertThat(text).contains("statefulset/search -n shop -c elasticsearch");
        assertThat(text).containsPattern("deployment/cart -n shop -c app --requests=cpu=\\d+m,memory=\\d+Mi --limits=memory=\\d+Mi");
        assertThat(text).doesNotContain("checkout").doesNotContain("report"); // unchanged
    }

    @Test
    void aContainerTheSnapshotShowsOomKilledIsNotCut() throws Exception {
        // cache-0 (12Gi request, no limit) restarted after an OOM kill; its samples peak at 6Gi, which alone would give 7,066Mi.
        JsonNode cluster = JSON.readTree(Path.of("workloads/snapshot/cluster.json").toFile());
        for (JsonNode item : cluster.get("items")) {
            if (item.path("metadata").path("name").asText().equals("cache-0")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) item.get("status")).set("containerStatuses", JSON.readTree(
                        "[{\"name\": \"app\", \"restartCount\": 2, \"state\": {\"running\": {}},"
                                + " \"lastState\": {\"terminated\": {\"reason\": \"OOMKilled\", \"exitCode\": 137}}}]"));
            }
        }
        String snapshot = JSON.writeValueAsString(cluster);
        assertThat(snapshot).contains("OOMKilled");
        Path snap = dir.resolve("oom.json");
        Files.writeString(snap, snapshot);
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            values.append(i == 0 ? "" : ",").append("[").append(1_700_000_000L + 120L * i).append(",\"").append(6L << 30).append("\"]");
        }
        Path memory = dir.resolve("memory.json");
        Files.writeString(memory, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
                + "{\"namespace\":\"shop\",\"pod\":\"cache-0\",\"container\":\"app\"},\"values\":[" + values + "]}]}}");
        CliRunner r = CliRunner.run(args("rightsize", "--snapshot", snap.toString(), "--memory-usage", memory.toString(), "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode cache = find(JSON.readTree(r.out()), "cache");
        // No limit: the most it is known to have used is its 12Gi request; 12,288 MiB x 1.2 = 14,745.6 -> 14,746 MiB.
        assertThat(cache.get("recommended").get("memoryBytes").asLong()).isEqualTo(14_746L << 20);
        assertThat(cache.get("flags")).extracting(JsonNode::asText).contains("oom-killed");
        assertThat(JSON.readTree(r.out()).get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith("shop/cache container app was OOM-killed (cache-0 (2 restarts) in the snapshot's status)"));
    }

    @Test
    void aSnapshotMapsPodsThroughTheirOwnersAndOldPodsByName() throws Exception {
        StringBuilder series = new StringBuilder();
        // storefront-7d9f-a is in the snapshot (ReplicaSet storefront-7d9f, hash 7d9f: Deployment storefront);
        // storefront-6b5c-zzzzz is a pod of an earlier ReplicaSet, long gone, matched by the Deployment naming rule.
        for (String pod : List.of("storefront-7d9f-a", "storefront-6b5c-zzzzz", "cache-0")) {
            series.append(series.isEmpty() ? "" : ",").append("{\"metric\":{\"namespace\":\"shop\",\"pod\":\"").append(pod)
                    .append("\",\"container\":\"app\"},\"values\":[");
            for (int i = 0; i < 150; i++) {
                series.append(i == 0 ? "" : ",").append("[").append(1_700_000_000L + 120L * i).append(",\"")
                        .append(pod.startsWith("storefront-6b5c") ? "0.4" : "0.2").append("\"]");
            }
            series.append("]}");
        }
        Path cpu = dir.resolve("cpu.json");
        Files.writeString(cpu, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + series + "]}}");
        CliRunner r = CliRunner.run(args("rightsize", "--snapshot", "workloads/snapshot/cluster.json", "--cpu-usage", cpu.toString(), "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        // The cluster's own instance types are sized with the allocatable its nodes report, as recommend and consolidate do.
        assertThat(root.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith("m5.xlarge is sized with the allocatable its 2 nodes in the snapshot report"));
        JsonNode storefront = find(root, "storefront");
        assertThat(storefront.get("kind").asText()).isEqualTo("Deployment");
        assertThat(storefront.get("usage").get("cpuMillis").get("pods").asInt()).isEqualTo(2);
        assertThat(storefront.get("recommended").get("cpuMillis").asLong()).isEqualTo(400); // the busiest pod's
        assertThat(find(root, "cache").get("kind").asText()).isEqualTo("StatefulSet");
        assertThat(root.get("warnings")).extracting(JsonNode::asText).noneMatch(w -> w.contains("match no workload"));
    }

    /**
     * QA 76a F1: CPU in percent of a core (a "CPU %" panel) of an over-provisioned cluster without CPU limits: storefront uses
     * 0.2 of its 1.5 CPU, read as 20 cores, 13 times its request, which no limit or request check refuses; but the snapshot's
     * largest node has 4 CPUs, and no container uses more than its node has. The same usage in cores passes.
     */
    @Test
    void cpuAboveTheSnapshotsLargestNodeIsAnotherUnit() throws Exception {
        for (String value : List.of("20", "0.2")) {
            Path cpu = dir.resolve("cpu-" + value + ".json");
            Files.writeString(cpu, matrix(150, Double.parseDouble(value), "storefront-7d9f-a", "storefront-7d9f-b"));
            CliRunner r = CliRunner.run(args("rightsize", "--snapshot", "workloads/snapshot/cluster.json", "--cpu-usage", cpu.toString()));
            if (value.equals("20")) {
                assertThat(r.exitCode()).isEqualTo(2);
                assertThat(r.err()).containsPattern("cpu-20\\.json:1:\\d+: 1 container uses more than 2 times the CPU of the snapshot's "
                        + "largest node \\(ip-10-0-\\d-\\d+\\.ec2\\.internal, 4 CPU\\)").contains("shop/storefront container app: 20 cores")
                        .contains("percent of a core").doesNotContain("Exception");
            } else {
                assertThat(r.exitCode()).as(r.err()).isZero();
            }
        }
    }

    /** A Prometheus query_range response: per pod of namespace shop, container app, {@code n} samples 120 s apart at {@code value}. */
    /**
     * Memory in KiB read as bytes (a dashboard's "/ 1024"): a 6 GiB working set reads as 6 MiB, above the file's own 1 MiB
     * check, and every request went to the floor (QA 51c F11). Most containers peaking under 1/1000 of their request exit 2 at
     * the series; the same usage in bytes passes.
     */
    @Test
    void memoryInKibibytesIsAnotherUnit() throws Exception {
        Path pods = deployment("search", 3, "2", "8Gi");
        Path kib = dir.resolve("kib.json");
        Files.writeString(kib, matrix(200, 6.0 * (1L << 20), "search-7d9fbb5c8-x2k9p", "search-7d9fbb5c8-b4kzt"));
        CliRunner r = CliRunner.run(args("rightsize", "--pods", pods.toString(), "--memory-usage", kib.toString()));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).containsPattern("kib\\.json:1:\\d+: 1 of the 1 containers that request 64 MiB or more peak below 1/1000 of their request")
                .contains("an export in KiB").doesNotContain("Exception");
        Path bytes = dir.resolve("bytes.json");
        Files.writeString(bytes, matrix(200, 6.0 * (1L << 30), "search-7d9fbb5c8-x2k9p", "search-7d9fbb5c8-b4kzt"));
        assertThat(CliRunner.run(args("rightsize", "--pods", pods.toString(), "--memory-usage", bytes.toString())).exitCode()).isZero();
    }

    /** A query that matched nothing ("result": []) is said, not taken for a complete export (QA 51c F3). */
    @Test
    void anExportWithNoSeriesIsSaid() throws Exception {
        Path pods = deployment("search", 3, "2", "8Gi");
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, matrix(1, 0));
        Path memory = dir.resolve("memory.json");
        Files.writeString(memory, matrix(200, 6.0 * (1L << 30), "search-7d9fbb5c8-x2k9p"));
        CliRunner r = CliRunner.run(args("rightsize", "--pods", pods.toString(), "--cpu-usage", empty.toString(), "--memory-usage",
                memory.toString(), "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith(empty + " has no series") && w.contains("changes no CPU request"));
    }

    private static String matrix(int n, double value, String... pods) {
        StringBuilder series = new StringBuilder();
        for (String pod : pods) {
            series.append(series.isEmpty() ? "" : ",").append("{\"metric\":{\"namespace\":\"shop\",\"pod\":\"").append(pod)
                    .append("\",\"container\":\"app\"},\"values\":[");
            for (int i = 0; i < n; i++) {
                series.append(i == 0 ? "" : ",").append("[").append(1_700_000_000L + 120L * i).append(",\"").append(value).append("\"]");
            }
            series.append("]}");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + series + "]}}";
    }

    private Path deployment(String name, int replicas, String cpu, String memory) throws Exception {
        Path pods = dir.resolve(name + ".yaml");
        Files.writeString(pods, String.join("\n", "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: " + name + ", namespace: shop}",
                "spec:", "  replicas: " + replicas, "  selector: {matchLabels: {app: x}}", "  template:", "    metadata: {labels: {app: x}}", "    spec:", "      containers:", "      - name: app",
                "        resources: {requests: {cpu: " + cpu + ", memory: " + memory + "}}", ""));
        return pods;
    }

    /**
     * Review 63 item 1: a pod a rule leaves out (a zone spread whose minDomains 3 no single zone meets) was told to allow
     * larger shapes, as if it were too large; it is told its reason says what would place it.
     */
    @Test
    void aPodARuleLeavesOutIsNotToldToAllowLargerShapes() throws Exception {
        Path pods = deployment("search", 3, "2", "6Gi");
        Files.writeString(pods, Files.readString(pods) + String.join("\n", "---", "apiVersion: apps/v1", "kind: Deployment",
                "metadata: {name: spread, namespace: data}", "spec:", "  replicas: 2", "  selector: {matchLabels: {app: s}}", "  template:",
                "    metadata: {labels: {app: s}}", "    spec:", "      topologySpreadConstraints:", "      - {maxSkew: 1, minDomains: 3, "
                + "topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: s}}}",
                "      containers:", "      - name: app", "        resources: {requests: {cpu: 500m, memory: 1Gi}}", ""));
        Path memory = dir.resolve("memory.json");
        Files.writeString(memory, matrix(200, 3.0 * (1L << 30), "search-7d9fbb5c8-x2k9p", "search-7d9fbb5c8-b4kzt", "search-7d9fbb5c8-wq9v2"));
        CliRunner r = CliRunner.run("rightsize", "--pods", pods.toString(), "--memory-usage", memory.toString(), "--families", "m5",
                "--strategies", "ffd", "--quiet", "--reproducible", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("warnings")).extracting(JsonNode::asText).anyMatch(w -> w.startsWith("Even with today's requests ")
                && w.contains("data/spread: ") && w.contains("their reasons say what would place them") && !w.contains("allow larger shapes"));
    }

    /**
     * QA 61a F4: a pod no candidate takes even with today's requests (its node selector names a label no shape carries) is out of
     * before and after alike; a warning names it and says the saving is of a cluster without it (only "unsched 1" said so).
     */
    @Test
    void aPodLeftOutEvenTodayIsNamedInAWarning() throws Exception {
        Path pods = deployment("search", 3, "2", "6Gi");
        Files.writeString(pods, Files.readString(pods) + String.join("\n", "---", "apiVersion: apps/v1", "kind: Deployment",
                "metadata: {name: redis, namespace: data}", "spec:", "  replicas: 1", "  selector: {matchLabels: {app: r}}", "  template:",
                "    metadata: {labels: {app: r}}", "    spec:", "      nodeSelector: {workload: memory}", "      containers:", "      - name: redis",
                "        resources: {requests: {cpu: 500m, memory: 1Gi}}", ""));
        Path memory = dir.resolve("memory.json");
        Files.writeString(memory, matrix(200, 3.0 * (1L << 30), "search-7d9fbb5c8-x2k9p", "search-7d9fbb5c8-b4kzt", "search-7d9fbb5c8-wq9v2"));
        CliRunner r = CliRunner.run("rightsize", "--pods", pods.toString(), "--memory-usage", memory.toString(), "--families", "m5",
                "--strategies", "ffd", "--quiet", "--reproducible", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("warnings")).extracting(JsonNode::asText).anyMatch(w -> w.startsWith("Even with today's requests "
                + "no candidate shape places every pod") && w.contains("leaves 1 pod out (data/redis: ") && w.contains("workload=memory"));
    }

    @Test
    void newRequestsThatNoShapeHoldsClaimNoSaving() throws Exception {
        // The peak working set is 9 GiB, so the new request (10.35 GiB) is above every c5 up to 4 vCPUs (c5.xlarge: ~7 GiB):
        // the packing after leaves the pods out and is cheaper for it, which is not a saving.
        Path pods = deployment("search", 3, "2", "6Gi");
        Path memory = dir.resolve("memory.json");
        Files.writeString(memory, matrix(200, 9.0 * (1L << 30), "search-7d9fbb5c8-x2k9p", "search-7d9fbb5c8-b4kzt", "search-7d9fbb5c8-wq9v2"));
        String[] head = {"rightsize", "--pods", pods.toString(), "--memory-usage", memory.toString(), "--families", "c5", "--max-cpu", "4",
                "--strategies", "ffd", "--quiet", "--reproducible"};
        CliRunner r = CliRunner.run(concat(head, "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("after").get("unschedulable")).hasSize(3);
        // No node holds them: no cost for the workload (it was 0.0, which compare read as -100 %: review 49 L5).
        assertThat(root.get("after").get("nodes").asInt()).isZero();
        assertThat(root.get("after").get("costPerMonth").isNull()).isTrue();
        assertThat(root.get("before").get("costPerMonth").isNull()).isFalse();
        assertThat(root.get("savingPerHour").isNull()).isTrue();
        assertThat(root.get("savingPercent").isNull()).isTrue();
        assertThat(root.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.contains("no candidate shape places every pod") && w.contains("leaves 3 pods out") && w.contains("search"));
        CliRunner table = CliRunner.run(head);
        assertThat(table.out()).contains("no saving claimed: with the new requests 3 pods are left out; no candidate shape holds any pod after")
                .doesNotContain("saving: $");
        // No node and every pod left out is not "$0.00/h" (QA 37d finding 9).
        assertThat(table.out().lines().filter(l -> l.startsWith("after (recommended requests)")).findFirst().orElseThrow())
                .contains("–").doesNotContain("0.00");
        // Nor a $0 bar in the HTML's cost chart beside the table's "–" (QA 51c F4).
        CliRunner html = CliRunner.run(concat(head, "-o", "html"));
        assertThat(html.out()).contains("after: no candidate shape holds the pods (3 left out)").containsPattern("\"data\" : \\[ [0-9.]+, null ]");
        // Where the shapes hold the new requests, the saving is there as before.
        CliRunner larger = CliRunner.run(concat(new String[] {"rightsize", "--pods", pods.toString(), "--memory-usage", memory.toString(),
                "--families", "c5", "--strategies", "ffd", "--quiet", "--reproducible"}, "-o", "json"));
        assertThat(JSON.readTree(larger.out()).get("savingPerHour").isNull()).isFalse();
    }

    /**
     * The quota after counts the limits the patch raises (QA 64a F11): hungry's peak of 900Mi asks 1035Mi over its 1Gi limit,
     * which --patches raises to 1035Mi; four such pods pass a 4Gi limits.memory quota, so the fourth is refused.
     */
    @Test
    void aQuotaCountsTheLimitsThePatchRaises() throws Exception {
        Path pods = dir.resolve("gq.yaml");
        Files.writeString(pods, """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: q, namespace: pay}
                spec:
                  hard: {limits.memory: 4Gi}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: hungry, namespace: pay}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: hungry}}
                  template:
                    metadata: {labels: {app: hungry}}
                    spec:
                      containers:
                        - name: app
                          image: x
                          resources: {requests: {cpu: 100m, memory: 512Mi}, limits: {memory: 1Gi}}
                """);
        CliRunner r = CliRunner.run(args("rightsize", "--pods", pods.toString(), "--usage", flatUsage("pay", "hungry", 4, "app", 0.05,
                900L << 20).toString(), "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(find(root, "hungry").get("recommended").get("memoryBytes").asLong()).isEqualTo(1035L << 20);
        assertThat(root.get("before").get("pods").asInt()).isEqualTo(4);
        assertThat(root.get("after").get("pods").asInt()).isEqualTo(3);
        assertThat(root.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith("With the recommended requests the ResourceQuotas admit 1 pod fewer than today"))
                .anyMatch(w -> w.startsWith("with the recommended requests: applied ResourceQuota pay/q") && w.contains("pay/hungry runs 3 of its 4 pods"));
    }

    /**
     * A recommendation outside the namespace's LimitRange is brought within it, as the VPA caps its recommendations (QA 64a
     * F13): web uses 50m / 60Mi under a min of 50m / 128Mi and a CPU maxLimitRequestRatio of 4 over its 2 CPU limit, so it
     * gets 500m / 128Mi (it was kept at 1 CPU / 1Gi, a saving of 0); cart, refused by the range as read, has its series
     * said to be of a workload left out, not to match no workload.
     */
    @Test
    void aLimitRangeBringsTheRecommendationWithinIt() throws Exception {
        Path pods = dir.resolve("lr.yaml");
        Files.writeString(pods, """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: caps, namespace: shop}
                spec:
                  limits:
                    - type: Container
                      min: {cpu: 50m, memory: 128Mi}
                      maxLimitRequestRatio: {cpu: "4"}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 6
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: app
                          image: x
                          resources: {requests: {cpu: "1", memory: 1Gi}, limits: {cpu: "2", memory: 2Gi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: cart, namespace: shop}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: cart}}
                  template:
                    metadata: {labels: {app: cart}}
                    spec:
                      containers:
                        - name: app
                          image: x
                          resources: {requests: {cpu: 500m, memory: 512Mi}}
                """);
        Path web = flatUsage("shop", "web", 6, "app", 0.05, 60L << 20);
        Path usage = dir.resolve("usage.csv");
        Files.writeString(usage, Files.readString(web) + Files.readString(flatUsage("shop", "cart", 1, "app", 0.05, 60L << 20))
                .lines().skip(1).map(l -> l + "\n").reduce("", String::concat));
        CliRunner r = CliRunner.run(args("rightsize", "--pods", pods.toString(), "--usage", usage.toString(), "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        JsonNode row = find(root, "web");
        assertThat(row.get("recommended").get("cpuMillis").asLong()).isEqualTo(500);
        assertThat(row.get("recommended").get("memoryBytes").asLong()).isEqualTo(128L << 20);
        assertThat(row.get("flags")).extracting(JsonNode::asText).doesNotContain("limit-range");
        assertThat(root.get("savingPercent").asDouble()).isPositive();
        assertThat(root.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.contains("shop/web container app are brought within the namespace's LimitRanges")
                        && w.contains("cpu 50m → 500m (its limit of 2000m over the maxLimitRequestRatio 4 of LimitRange shop/caps)")
                        && w.contains("memory 100Mi → 128Mi (the min of LimitRange shop/caps)"))
                .anyMatch(w -> w.startsWith("2 usage series belong to workloads listed as ignored") && w.contains("shop/cart"))
                .noneMatch(w -> w.contains("match no workload"));
    }

    /**
     * Usage of which not one series maps to a workload (another cluster's, namespaces renamed) exits 2 naming the namespaces on
     * both sides, as it would keep every request and claim a saving of 0 (QA 64a F15); series that match no workload beside
     * others that do are counted as the headline counts them, per pod and metric (it said 307 above, 27 in the warning).
     */
    @Test
    void usageMatchingNoWorkloadAtAllIsAnInputError() throws Exception {
        Path renamed = dir.resolve("renamed.csv");
        Files.writeString(renamed, Files.readString(Path.of(CSV)).replace(",shop,", ",prod,").replace(",logging,", ",prod2,"));
        CliRunner r = CliRunner.run(args("rightsize", "--pods", PODS, "--usage", renamed.toString()));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(renamed + ":").contains("None of the")
                .contains("namespaces in the usage: prod, prod2; in the workloads: logging, shop").doesNotContain("Exception");
        Path more = dir.resolve("more.csv");
        Files.writeString(more, Files.readString(Path.of(CSV)) + Files.readString(flatUsage("other", "x", 2, "app", 0.1, 100L << 20))
                .lines().skip(1).map(l -> l + "\n").reduce("", String::concat));
        JsonNode root = JSON.readTree(CliRunner.run(args("rightsize", "--pods", PODS, "--usage", more.toString(), "-o", "json")).out());
        assertThat(root.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith("6 usage series match no workload and are left out: other/x, shop/legacy-api."));
    }

    /**
     * A workload whose sidecar has no usage series is named in a warning (QA 64a F26: envoy's row was flagged no-usage, the
     * warning named only shop/checkout, whose containers have none at all).
     */
    @Test
    void aSidecarWithoutUsageIsNamed() throws Exception {
        Path noEnvoy = dir.resolve("noenvoy.csv");
        Files.writeString(noEnvoy, Files.readString(Path.of(CSV)).lines().filter(l -> !l.contains(",envoy,")).map(l -> l + "\n")
                .reduce("", String::concat));
        JsonNode root = JSON.readTree(CliRunner.run(args("rightsize", "--pods", PODS, "--usage", noEnvoy.toString(), "-o", "json")).out());
        assertThat(root.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith("1 workload has containers without usage, which keep their requests: shop/web (envoy)"))
                .anyMatch(w -> w.startsWith("1 workload has no usage and keeps its requests: shop/checkout."));
    }

    /** A day of flat usage at 5-minute steps for {@code pods} pods of one workload container, as a usage CSV in the test's directory. */
    private Path flatUsage(String namespace, String workload, int pods, String container, double cores, long bytes) throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,namespace,workload,pod,container,cpu,memory\n");
        for (int i = 0; i < 300; i++) {
            for (int p = 0; p < pods; p++) {
                csv.append(1764547200 + 300L * i).append(',').append(namespace).append(',').append(workload).append(',').append(workload)
                        .append('-').append(p).append(',').append(container).append(',').append(cores).append(',').append(bytes).append('\n');
            }
        }
        Path usage = dir.resolve(namespace + "-" + workload + "-" + container + ".csv");
        Files.writeString(usage, csv);
        return usage;
    }

    /**
     * What the readers leave out or apply is in the report, as pack and recommend list it (QA 51c F8: a LimitRange that refuses
     * web, search, report and checkout made them vanish, their usage "matching no workload"); and a ResourceQuota that admits
     * fewer pods with the new requests claims no saving (QA 51c F9: 10 pods before against 9 after, "saving $0.00").
     */
    @Test
    void workloadsLeftOutAndQuotasThatAdmitFewerAreSaid() throws Exception {
        String shop = Files.readString(Path.of("workloads/rightsize/shop.yaml"));
        Path limited = dir.resolve("lr.yaml");
        Files.writeString(limited, shop + "\n---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: caps, namespace: shop}\n"
                + "spec:\n  limits:\n  - type: Container\n    max: {memory: 800Mi}\n");
        JsonNode lr = JSON.readTree(CliRunner.run(args("rightsize", "--pods", limited.toString(), "--usage", CSV, "-o", "json")).out());
        assertThat(lr.get("warnings")).extracting(JsonNode::asText).anyMatch(w -> w.startsWith("ignored StatefulSet shop/search (")
                && w.contains("not rightsized: LimitRange shop/caps"));
        Path quota = dir.resolve("q.yaml");
        Files.writeString(quota, shop + "\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: shop}\n"
                + "spec:\n  hard: {requests.cpu: \"14\", requests.memory: 40Gi}\n");
        CliRunner r = CliRunner.run(args("rightsize", "--pods", quota.toString(), "--usage", CSV, "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode q = JSON.readTree(r.out());
        assertThat(q.get("after").get("pods").asInt()).isLessThan(q.get("before").get("pods").asInt());
        assertThat(q.get("savingPerHour").isNull()).isTrue();
        assertThat(q.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith("With the recommended requests the ResourceQuotas admit 1 pod fewer than today"))
                .anyMatch(w -> w.startsWith("with the recommended requests: applied ResourceQuota shop/q") && w.contains("shop/cart runs 3 of its 4 pods"));
    }

    /**
     * The saving is the difference of the costs as each output writes them: before − after on the page (QA 51c F3: GCE's
     * 5-decimal prices gave $782.63 − $587.01 beside "saving $195.63", and JSON had no monthly saving).
     */
    @Test
    void theSavingIsTheDifferenceOfTheCostsAsWritten() throws Exception {
        String[] head = {"rightsize", "--pods", "workloads/rightsize/shop.yaml", "--cpu-usage", CPU, "--memory-usage", MEMORY, "--catalog", "gce",
                "--families", "n2,n2d,e2", "--min-nodes-per-pool", "1", "--strategies", "ffd", "--quiet", "--reproducible"};
        JsonNode root = JSON.readTree(CliRunner.run(concat(head, "-o", "json")).out());
        java.math.BigDecimal hourly = root.get("before").get("costPerHour").decimalValue().subtract(root.get("after").get("costPerHour").decimalValue());
        java.math.BigDecimal monthly = root.get("before").get("costPerMonth").decimalValue()
                .subtract(root.get("after").get("costPerMonth").decimalValue());
        assertThat(root.get("savingPerHour").decimalValue()).isEqualByComparingTo(hourly);
        assertThat(root.get("savingPerMonth").decimalValue()).isEqualByComparingTo(monthly);
        String table = CliRunner.run(head).out();
        java.util.function.Function<String, String[]> row = label -> table.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow()
                .trim().split("\\s{2,}");
        String[] before = row.apply("before");
        String[] after = row.apply("after (recommended requests)");
        java.math.BigDecimal shownHourly = new java.math.BigDecimal(before[6]).subtract(new java.math.BigDecimal(after[6]));
        java.math.BigDecimal shownMonthly = new java.math.BigDecimal(before[7].replace(",", "")).subtract(new java.math.BigDecimal(after[7].replace(",", "")));
        assertThat(table).contains("saving: $" + shownHourly.toPlainString() + "/h, $" + String.format(java.util.Locale.ROOT, "%,.2f", shownMonthly) + "/month");
        assertThat(monthly.setScale(2, java.math.RoundingMode.HALF_UP)).isEqualByComparingTo(shownMonthly);
    }

    /**
     * QA 61a F8: a memory request cut from 3Gi to 3071Mi read "3Gi → 3Gi, -0%" while JSON and the patch said 3071Mi, and a p95
     * of "1.09" stood beside a new request of "1089m": a change rounding would hide is shown exactly, and a row's CPU in one unit.
     */
    @Test
    void aChangeRoundingWouldHideIsShownExactlyAndARowsCpuInOneUnit() throws Exception {
        Path pods = dir.resolve("api.yaml");
        Files.writeString(pods, String.join("\n", "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: api, namespace: shop}",
                "spec:", "  replicas: 2", "  selector: {matchLabels: {app: api}}", "  template:", "    metadata: {labels: {app: api}}",
                "    spec:", "      containers:", "      - name: app", "        resources: {requests: {cpu: '2', memory: 3Gi}}", ""));
        StringBuilder usage = new StringBuilder("timestamp,namespace,workload,pod,container,cpu,memory\n");
        for (int i = 0; i < 200; i++) {
            // p95 1088.5m, so 1089m; a peak of 2670Mi + 15 % is 3070.5Mi, so 3071Mi.
            usage.append(1764547200 + 300 * i).append(",shop,api,api-a,app,").append(i % 2 == 1 ? "1.0885" : "0.9").append(',')
                    .append(i == 5 ? 2670L << 20 : 2000000000L).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("usage.csv"), usage);
        CliRunner r = CliRunner.run(args("rightsize", "--pods", pods.toString(), "--usage", csv.toString(), "--patches",
                dir.resolve("p.sh").toString()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("p.sh"))).contains("--requests=cpu=1089m,memory=3071Mi");
        String row = r.out().lines().filter(l -> l.startsWith("shop/api")).findFirst().orElseThrow();
        assertThat(row.trim().split("\\s{2,}")).containsSubsequence("2000m", "994m / 1089m / 1089m", "1089m", "-46%", "3Gi")
                .containsSubsequence("3071Mi", "-0.03%");
        assertThat(r.out()).contains("memory 6 → 5.998 GiB (-0.03%)");
    }

    @Test
    void theTotalsSayWhatTheSchedulerCountsWhenAnInitContainerHoldsThePodsRequest() throws Exception {
        // The app goes 1 CPU -> 100m, but the init container's 2 CPU is what each pod asks of a node before and after.
        Path pods = dir.resolve("init.yaml");
        Files.writeString(pods, String.join("\n", "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: api, namespace: shop}",
                "spec:", "  replicas: 6", "  selector: {matchLabels: {app: x}}", "  template:", "    metadata: {labels: {app: x}}", "    spec:", "      initContainers:", "      - name: warm",
                "        resources: {requests: {cpu: '2', memory: 1Gi}}", "      containers:", "      - name: app",
                "        resources: {requests: {cpu: '1', memory: 1Gi}}", ""));
        Path cpu = dir.resolve("cpu.json");
        Files.writeString(cpu, matrix(200, 0.1, "api-7d9fbb5c8-x2k9p"));
        CliRunner r = CliRunner.run(new String[] {"rightsize", "--pods", pods.toString(), "--cpu-usage", cpu.toString(), "--families", "m5",
                "--strategies", "ffd", "--quiet", "--reproducible"});
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("requests over all replicas: CPU 6 → 0.6 cores (-90%)")
                .contains("pods as the scheduler counts them (with init containers and overhead): CPU 12 → 12 cores (0%)");
    }

    /** A recommendation above the range's max is capped at it, the patch live (QA 64a F13). */
    @Test
    void aRecommendationAboveALimitRangesMaxIsCappedAtIt() throws Exception {
        Path pods = dir.resolve("lr.yaml");
        Files.writeString(pods, String.join("\n", "apiVersion: v1", "kind: LimitRange", "metadata: {name: defaults, namespace: shop}",
                "spec:", "  limits:", "  - type: Container", "    max: {cpu: '1', memory: 1Gi}", "---",
                "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web, namespace: shop}", "spec:", "  replicas: 2",
                "  selector: {matchLabels: {app: x}}", "  template:", "    metadata: {labels: {app: x}}", "    spec:", "      containers:", "      - name: app",
                "        resources: {requests: {cpu: 200m, memory: 200Mi}, limits: {cpu: '1', memory: 1Gi}}", ""));
        Path cpu = dir.resolve("cpu.json");
        Files.writeString(cpu, matrix(200, 1.5, "web-7d9fbb5c8-x2k9p"));
        Path script = dir.resolve("patch.sh");
        CliRunner r = CliRunner.run(new String[] {"rightsize", "--pods", pods.toString(), "--cpu-usage", cpu.toString(), "--patches",
                script.toString(), "--families", "m5", "--strategies", "ffd", "--quiet", "--reproducible", "-o", "json"});
        assertThat(r.exitCode()).as(r.err()).isZero();
        // 1500m is above the range's max of 1 CPU: capped at it as the VPA caps (QA 64a F13; it was kept at 200m, the patch a comment).
        JsonNode row = JSON.readTree(r.out()).get("containers").get(0);
        assertThat(row.get("flags")).extracting(JsonNode::asText).doesNotContain("limit-range", "request-above-limit");
        assertThat(row.get("recommended").get("cpuMillis").asLong()).isEqualTo(1000);
        assertThat(Files.readString(script)).contains("\nkubectl set resources deployment/web -n shop -c app --requests=cpu=1000m")
                .doesNotContain("--limits");
    }

    /** rightsize of {@code pods} with CPU usage {@code cpu}, writing its patches to {@code script}, on m5 with FFD. */
    private static CliRunner withPatches(Path pods, Path cpu, Path script) {
        return CliRunner.run(new String[] {"rightsize", "--pods", pods.toString(), "--cpu-usage", cpu.toString(), "--patches",
            script.toString(), "--families", "m5", "--strategies", "ffd", "--quiet", "--reproducible"});
    }

    /** One Deployment of shop, web, with the containers' YAML given, behind {@code head} (documents of its own). */
    private Path web(String head, String... containers) throws Exception {
        Path pods = dir.resolve("web.yaml");
        StringBuilder yaml = new StringBuilder(head);
        yaml.append(String.join("\n", "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web, namespace: shop}", "spec:", "  replicas: 2",
                "  selector: {matchLabels: {app: x}}", "  template:", "    metadata: {labels: {app: x}}", "    spec:", "      containers:", ""));
        for (String c : containers) {
            yaml.append("      - ").append(c).append('\n');
        }
        Files.writeString(pods, yaml);
        return pods;
    }

    /**
     * A LimitRange's maxLimitRequestRatio refuses a new request its limit is too many times (QA 59b F1: 2 CPU over 100m against a
     * ratio of 4 was patched live, and a saving claimed): the request is raised to the least the ratio admits, as the VPA caps
     * its recommendations into the range (QA 64a F13: it was kept at today's, a saving of 0), and the patch sets that.
     */
    @Test
    void aLimitToRequestRatioRaisesTheRequestWithinIt() throws Exception {
        Path pods = web("apiVersion: v1\nkind: LimitRange\nmetadata: {name: ratio, namespace: shop}\nspec:\n  limits:\n  - type: Container\n"
                + "    maxLimitRequestRatio: {cpu: '4'}\n---\n", "{name: app, resources: {requests: {cpu: '1', memory: 1Gi}, limits: {cpu: '2', memory: 1Gi}}}");
        Path cpu = dir.resolve("cpu.json");
        Files.writeString(cpu, matrix(200, 0.1, "web-7d9fbb5c8-x2k9p"));
        Path script = dir.resolve("patch.sh");
        CliRunner r = withPatches(pods, cpu, script);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("limit-range").contains("requests over all replicas: CPU 2 → 1 cores (-50%)")
                .contains("cpu 100m → 500m (its limit of 2000m over the maxLimitRequestRatio 4 of LimitRange shop/ratio)");
        assertThat(Files.readString(script)).contains("\nkubectl set resources deployment/web -n shop -c app --requests=cpu=500m");
    }

    /** CPU in millicores read as cores on containers without a limit: no CFS quota to go by, the requests tell (QA 59b F2). */
    @Test
    void cpuUsageFarAboveTheRequestsWithoutLimitsIsAnotherUnit() throws Exception {
        Path pods = deployment("api", 2, "500m", "1Gi");
        Path cpu = dir.resolve("cpu.json");
        Files.writeString(cpu, matrix(200, 381.034, "api-6b7c8d9f5b-aaaaa", "api-6b7c8d9f5b-bbbbb"));
        Path script = dir.resolve("patch.sh");
        CliRunner r = CliRunner.run(new String[] {"rightsize", "--pods", pods.toString(), "--cpu-usage", cpu.toString(), "--patches",
                script.toString(), "--families", "m5", "--strategies", "ffd", "--quiet"});
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("cpu.json").contains("1 of the 1 containers without a CPU limit use over 100 times their request")
                .contains("against a request of 0.5 CPU").contains("divided by 1000");
        assertThat(script).doesNotExist();
        // A tenth of that is plausible for a container bursting without a limit: no error.
        // (A pod named as a ReplicaSet names them: "aaaaa" is no suffix of one, and matched nothing, which now exits 2.)
        Files.writeString(cpu, matrix(200, 3.81, "api-6b7c8d9f5b-bbbbb"));
        assertThat(CliRunner.run(new String[] {"rightsize", "--pods", pods.toString(), "--cpu-usage", cpu.toString(), "--families", "m5",
                "--strategies", "ffd", "--quiet"}).exitCode()).isZero();
    }

    /**
     * A ContainerResource metric, or a KEDA cpu trigger's containerName, reads one container's request: that container's rows
     * are flagged, not the others' (QA 59b F3, review 59).
     */
    @Test
    void anHpaOnOneContainersRequestFlagsThatContainer() throws Exception {
        String hpa = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec:\n"
                + "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 6\n  metrics:\n"
                + "  - type: ContainerResource\n    containerResource: {name: cpu, container: %s, target: {type: Utilization, averageUtilization: 70}}\n---\n";
        // KEDA's cpu and memory triggers name one container by metadata.containerName (its HPA then has a ContainerResource metric).
        String keda = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: web, namespace: shop}\nspec:\n"
                + "  scaleTargetRef: {name: web}\n  minReplicaCount: 2\n  maxReplicaCount: 6\n  triggers:\n"
                + "  - type: cpu\n    metricType: Utilization\n    metadata: {value: '70', containerName: %s}\n---\n";
        Path cpu = dir.resolve("cpu.json");
        Files.writeString(cpu, matrix(200, 0.1, "web-7d9fbb5c8-x2k9p"));
        for (String[] scalerAndWatched : new String[][] {{hpa, "app"}, {hpa, "side"}, {keda, "app"}, {keda, "side"}}) {
            String watched = scalerAndWatched[1];
            Path pods = web(scalerAndWatched[0].formatted(watched), "{name: app, resources: {requests: {cpu: '1', memory: 1Gi}}}",
                    "{name: side, resources: {requests: {cpu: 100m, memory: 64Mi}}}");
            CliRunner r = CliRunner.run(new String[] {"rightsize", "--pods", pods.toString(), "--cpu-usage", cpu.toString(), "--families", "m5",
                    "--strategies", "ffd", "--quiet", "--reproducible", "-o", "json"});
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode app = JSON.readTree(r.out()).get("containers").get(0);
            assertThat(app.get("container").asText()).isEqualTo("app");
            assertThat(app.get("flags").toString().contains("\"hpa\"")).as(scalerAndWatched[0].substring(0, 30) + watched)
                    .isEqualTo(watched.equals("app"));
        }
    }

    /** Guaranteed pods stay Guaranteed: the patch sets the limits to the new requests (QA 59b F4: requests alone made them Burstable). */
    @Test
    void guaranteedPodsArePatchedWithLimitsEqualToTheNewRequests() throws Exception {
        Path pods = web("", "{name: app, resources: {requests: {cpu: '1', memory: 1Gi}, limits: {cpu: '1', memory: 1Gi}}}");
        Path cpu = dir.resolve("cpu.json");
        Files.writeString(cpu, matrix(200, 0.2, "web-7d9fbb5c8-x2k9p"));
        Path script = dir.resolve("patch.sh");
        CliRunner r = withPatches(pods, cpu, script);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("guaranteed").contains("The pods of shop/web are Guaranteed");
        assertThat(Files.readString(script)).contains("kubectl set resources deployment/web -n shop -c app --requests=cpu=200m --limits=cpu=200m\n");
        // Burstable pods (a limit above the request) keep their limits.
        Path burstable = web("", "{name: app, resources: {requests: {cpu: '1', memory: 1Gi}, limits: {cpu: '2', memory: 1Gi}}}");
        CliRunner b = withPatches(burstable, cpu, script);
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(Files.readString(script)).contains("--requests=cpu=200m\n").doesNotContain("--limits");
    }

    /** A usage CSV of a header alone is said, as an empty Prometheus answer is (QA 59b F7). */
    @Test
    void aUsageCsvWithNoRowsIsSaid() throws Exception {
        Path usage = dir.resolve("empty.csv");
        Files.writeString(usage, "timestamp,namespace,workload,container,cpu,memory\n");
        CliRunner r = CliRunner.run(new String[] {"rightsize", "--pods", PODS, "--usage", usage.toString(), "--families", "m5", "--strategies",
                "ffd", "--quiet", "--reproducible"});
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("empty.csv has no usage rows (a header alone: its export matched nothing), so it changes no request");
    }

    @Test
    void theCpuPercentileTheRequestsComeFromIsShown() throws Exception {
        CliRunner r = CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "--cpu-percentile", "99"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("CPU p50 / p99 / max").doesNotContain("CPU p50 / p95 / max");
        JsonNode web = JSON.readTree(CliRunner.run(args("rightsize", "--pods", PODS, "--usage", CSV, "--cpu-percentile", "99", "-o", "json"))
                .out()).get("containers").get(0);
        assertThat(web.get("usage").get("cpuMillis").get("atPercentile").asDouble())
                .isGreaterThanOrEqualTo(web.get("usage").get("cpuMillis").get("p95").asDouble());
        assertThat(web.get("recommended").get("cpuMillis").asLong())
                .isEqualTo((long) Math.ceil(web.get("usage").get("cpuMillis").get("atPercentile").asDouble() - 1e-6));
    }

    @Test
    void totalsOfTheLargestRequestsOverManyReplicasDoNotOverflow() throws Exception {
        // The 1 PiB cap x 10,000 replicas is beyond a long: the total is 10,485,760,000 GiB, not a negative number.
        Path pods = deployment("web", 10_000, "2", "1Gi");
        Path memory = dir.resolve("memory.json");
        Files.writeString(memory, matrix(200, 1e18, "web-7d9fbb5c8-x2k9p"));
        CliRunner r = CliRunner.run(new String[] {"rightsize", "--pods", pods.toString(), "--memory-usage", memory.toString(),
                "--memory-headroom", "1000", "--families", "m5", "--max-cpu", "8", "--strategies", "ffd", "--quiet", "--reproducible"});
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("memory 10000 → 10485760000 GiB (+104857500%)");
    }

    @Test
    void badInputExitsTwoWithTheFileAndNothingWritten() throws Exception {
        Path out = dir.resolve("report.json");
        Path err = dir.resolve("error.json");
        Files.writeString(err, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\"\"}");
        CliRunner r = CliRunner.run(args("rightsize", "--pods", PODS, "--cpu-usage", err.toString(), "--out", out.toString()));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(err.toString()).contains("errorType bad_data").doesNotContain("\tat ");
        assertThat(out).doesNotExist();
        record Case(String[] args, String message) {
        }
        for (Case c : List.of(
                new Case(new String[] {"rightsize", "--pods", PODS}, "Give the usage"),
                new Case(new String[] {"rightsize", "--usage", CSV}, "Give the workloads"),
                new Case(new String[] {"rightsize", "--pods", PODS, "--usage", "no-such.csv"}, "no-such.csv"),
                // QA 66b L3: a directory was said not to exist.
                new Case(new String[] {"rightsize", "--pods", PODS, "--usage", "workloads/rightsize"},
                        "workloads/rightsize: Expected a usage file; found a directory."),
                new Case(new String[] {"rightsize", "--pods", PODS, "--cpu-usage", "no-such.json"},
                        "no-such.json: The usage file does not exist (relative paths are read from the working directory "),
                new Case(new String[] {"rightsize", "--pods", PODS, "--usage", CSV, "--cpu-percentile", "0"}, "must be above 0"),
                new Case(new String[] {"rightsize", "--pods", PODS, "--usage", CSV, "--memory-headroom", "-5"}, "from 0 to 1000"),
                new Case(new String[] {"rightsize", "--pods", PODS, "--usage", CSV, "--min-cpu-request", "ten"}, "--min-cpu-request"),
                new Case(new String[] {"rightsize", "--pods", PODS, "--usage", CSV, "--snapshot", "workloads/snapshot/cluster.json"},
                        "exclude each other"),
                new Case(new String[] {"rightsize", "--pods", PODS, "--usage", CSV, "--patches", "no-such-dir/p.sh"}, "does not exist"),
                new Case(new String[] {"rightsize", "--pods", PODS, "--usage", CSV, "--patches", "r.json", "--out", "r.json"},
                        "name the same file"),
                new Case(new String[] {"rightsize", "--pods", PODS, "--usage", CSV, "--patches", CSV}, "would replace what it was made from"))) {
            CliRunner bad = CliRunner.run(c.args());
            assertThat(bad.exitCode()).as(String.join(" ", c.args())).isEqualTo(2);
            assertThat(bad.err()).contains(c.message()).doesNotContain("\tat ");
        }
    }

    @Test
    void aJobsAdviceIsACommentInThePatches(@TempDir java.nio.file.Path dir) throws Exception {
        // A Job's pod template is immutable: 'kubectl set resources job/…' is refused, and under set -e it stopped the script.
        java.nio.file.Path pods = dir.resolve("job.yaml");
        java.nio.file.Files.writeString(pods, """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: train, namespace: ml}
                spec:
                  template: {spec: {restartPolicy: Never, containers: [{name: t, resources: {requests: {cpu: "2", memory: 4Gi}}}]}}
                """);
        StringBuilder csv = new StringBuilder("timestamp,namespace,workload,pod,container,cpu,memory\n");
        for (int i = 0; i < 200; i++) {
            csv.append(1764547200 + 300 * i).append(",ml,train,train-x2k9p,t,0.5,").append(1L << 30).append('\n');
        }
        java.nio.file.Path usage = dir.resolve("u.csv");
        java.nio.file.Files.writeString(usage, csv);
        java.nio.file.Path script = dir.resolve("p.sh");
        CliRunner r = CliRunner.run("rightsize", "--pods", pods.toString(), "--usage", usage.toString(), "--patches", script.toString(),
                "--families", "m5", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String text = java.nio.file.Files.readString(script);
        assertThat(text).contains("# Job ml/train: its pod template cannot change once the Job is created")
                .contains("# kubectl set resources job/train -n ml -c t --requests=");
        assertThat(text.lines().filter(l -> l.startsWith("kubectl"))).isEmpty();
    }

    /** QA 62b F12: a Prometheus response given to --usage failed with the CSV parser's words; it names the options that take it. */
    @Test
    void aPrometheusResponseGivenAsUsageCsvNamesTheOptionsThatTakeIt() {
        CliRunner r = CliRunner.run("rightsize", "--pods", "workloads/rightsize/shop.yaml", "--usage", CPU);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(CPU + ": The usage file is JSON, not a CSV of timestamp,namespace,workload,container,cpu,memory: "
                + "a Prometheus query_range response goes to --cpu-usage or --memory-usage").doesNotContain("Unexpected character");
    }
}
