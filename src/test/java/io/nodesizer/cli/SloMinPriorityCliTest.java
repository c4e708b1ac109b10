package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --slo-min-priority (default 0): pods below it (over-provisioning placeholders, which wait by design) are left out of the
 * pending figures an SLO is judged on and of fixed-for-peak's packing, and their waits reported apart (QA 70b F13: the
 * 4 placeholders at -20 of workloads/overprovisioning.csv made ca, scheduled+ca and karpenter all miss the SLO, and
 * fixed-for-peak, sized for the placeholders too, was recommended at 2.4 times the cost).
 */
class SloMinPriorityCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode windows(String minPriority) throws Exception {
        CliRunner r = CliRunner.run("windows", "--workload", "workloads/overprovisioning.csv", "--node", "aws:m5.xlarge",
                "--synthetic", "diurnal", "--duration", "2d", "--seed", "3", "--slo-min-priority", minPriority,
                "-o", "json", "--quiet", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static Map<String, JsonNode> byName(JsonNode windows) {
        Map<String, JsonNode> out = new HashMap<>();
        windows.get("alternatives").forEach(a -> out.put(a.get("name").asText(), a));
        return out;
    }

    @Test
    void placeholdersBelowTheMinimumDoNotDecideTheWindowsPlan() throws Exception {
        Map<String, JsonNode> counted = byName(windows("-2147483648"));
        Map<String, JsonNode> apart = byName(windows("0"));
        // Every pod counted: the placeholders' waits miss the SLO for every autoscaler, and fixed-for-peak packs them too.
        assertThat(counted.get("karpenter").get("meetsPendingSlo").asBoolean()).isFalse();
        assertThat(counted.get("scheduled+ca").get("meetsPendingSlo").asBoolean()).isFalse();
        assertThat(counted.get("karpenter").has("sloExcluded")).isFalse();
        // Left out: the real pods' waits meet it, the fixed fleet packs the real pods alone, and it costs less.
        assertThat(apart.get("karpenter").get("meetsPendingSlo").asBoolean()).isTrue();
        assertThat(apart.get("scheduled+ca").get("meetsPendingSlo").asBoolean()).isTrue();
        assertThat(apart.get("fixed-for-peak").get("packedNodes").asInt())
                .isLessThan(counted.get("fixed-for-peak").get("packedNodes").asInt());
        assertThat(apart.get("fixed-for-peak").get("costTotal").asDouble())
                .isLessThan(counted.get("fixed-for-peak").get("costTotal").asDouble());
        // Nothing hidden: the placeholders' waits are said apart, the same demand under every alternative.
        JsonNode x = apart.get("ca").get("sloExcluded");
        assertThat(x.get("minPriority").asInt()).isZero();
        assertThat(x.get("pods").asLong()).isEqualTo(apart.get("karpenter").get("sloExcluded").get("pods").asLong()).isPositive();
        assertThat(x.get("podsDelayed").asLong()).isPositive();
        // The placeholders' own time pending still counts in the pod-hours.
        assertThat(apart.get("ca").get("pendingPodSeconds").asLong()).isEqualTo(counted.get("ca").get("pendingPodSeconds").asLong());
    }

    @Test
    void theWindowsTextSaysWhichPodsWereLeftOut() {
        CliRunner r = CliRunner.run("windows", "--workload", "workloads/overprovisioning.csv", "--node", "aws:m5.xlarge",
                "--synthetic", "diurnal", "--duration", "2d", "--seed", "3", "--quiet", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("left out of pending p95, max, over SLO and fixed-for-peak's packing: 18 pods of priority below "
                + "--slo-min-priority 0").contains("; karpenter 14 waited, the longest 15m18s, 0 pending at the end");
        assertThat(r.out()).contains("* recommended: scheduled+ca");
    }

    /** replay --pending-slo judges the real pods: the placeholders' line says how they waited; the total pod-hours keep them. */
    @Test
    void replayJudgesItsSloWithoutThePlaceholders() throws Exception {
        String[] args = {"replay", "--workload", "workloads/overprovisioning.csv", "--node", "aws:m5.xlarge", "--autoscaler", "karpenter",
                "--synthetic", "diurnal", "--duration", "2d", "--seed", "3", "--pending-slo", "2m", "--quiet", "--reproducible"};
        CliRunner text = CliRunner.run(args);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("left out of the pending figures and the SLO (priority below --slo-min-priority 0: placeholders "
                + "wait by design): 18 pods; 14 waited, the longest 15m18s, 0 still pending at the end");
        String[] json = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("-o", "json"))
                .toArray(String[]::new);
        JsonNode apart = JSON.readTree(CliRunner.run(json).out()); // the best run's figures at the root
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(json), java.util.stream.Stream.of("--slo-min-priority",
                "-2147483648")).toArray(String[]::new);
        JsonNode counted = JSON.readTree(CliRunner.run(all).out());
        assertThat(apart.get("podsDelayed").asLong() + apart.get("sloExcluded").get("podsDelayed").asLong())
                .isEqualTo(counted.get("podsDelayed").asLong());
        assertThat(apart.get("pendingMaxSeconds").asLong()).isLessThan(counted.get("pendingMaxSeconds").asLong());
        assertThat(counted.has("sloExcluded")).isFalse();
    }
}
