package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --slo-min-priority N: pods below it (over-provisioning placeholders, which wait by design) are left out of the
 * pending figures an SLO is judged on and of fixed-for-peak's packing, and their waits reported apart (QA 70b F13: the
 * 4 placeholders at -20 of workloads/overprovisioning.csv made ca, scheduled+ca and karpenter all miss the SLO, and
 * fixed-for-peak, sized for the placeholders too, was recommended at 2.4 times the cost). Not given, every pod counts
 * and a note names the pods below 0 (review 71 #3: a default of 0 left real batch work at -5 out, and windows recommended
 * fixed-for-peak at 0 nodes for it).
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
    void everyPodCountsUnlessTheMinimumIsGivenAndANoteSaysWhichRunBelowZero() throws Exception {
        CliRunner r = CliRunner.run("windows", "--workload", "workloads/overprovisioning.csv", "--node", "aws:m5.xlarge",
                "--synthetic", "diurnal", "--duration", "2d", "--seed", "3", "-o", "json", "--quiet", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, JsonNode> plain = byName(JSON.readTree(r.out()));
        assertThat(plain.get("karpenter").has("sloExcluded")).isFalse();
        assertThat(plain.get("karpenter").get("meetsPendingSlo").asBoolean()).isEqualTo(byName(windows("-2147483648"))
                .get("karpenter").get("meetsPendingSlo").asBoolean());
        assertThat(r.out()).contains("4 pods of overprovisioning (-20) run below priority 0 and count in the pending figures and the SLO; if "
                + "they are over-provisioning placeholders, which real pods preempt and which then wait by design, --slo-min-priority 0 "
                + "leaves them out");
        // Real work below 0 and nothing else: counted by default (no note about leaving it out of anything but the option),
        // and a minimum above every pod's priority exits 2 before any replay.
        java.nio.file.Path batch = java.nio.file.Files.createTempFile("batch", ".csv");
        java.nio.file.Files.writeString(batch, "name,cpu,memory,replicas,priority\nbatch,1,1Gi,4,-5\n");
        CliRunner counted = CliRunner.run("windows", "--workload", batch.toString(), "--node", "aws:m5.xlarge", "--synthetic", "diurnal",
                "--duration", "2d", "--quiet", "--reproducible");
        assertThat(counted.exitCode()).as(counted.err()).isZero();
        assertThat(counted.out()).doesNotContain("fixed-for-peak *    0.00").contains("run below priority 0 and count");
        CliRunner refused = CliRunner.run("replay", "--workload", batch.toString(), "--node", "aws:m5.xlarge", "--synthetic", "diurnal",
                "--duration", "2d", "--slo-min-priority", "0", "--quiet");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("--slo-min-priority 0 leaves every pod of the workload out of the pending figures and the SLO: "
                + "the highest priority among them is -5").doesNotContain("Exception");
        assertThat(refused.out()).isEmpty();
    }

    @Test
    void theWindowsTextSaysWhichPodsWereLeftOut() {
        CliRunner r = CliRunner.run("windows", "--workload", "workloads/overprovisioning.csv", "--node", "aws:m5.xlarge",
                "--synthetic", "diurnal", "--duration", "2d", "--seed", "3", "--slo-min-priority", "0", "--quiet", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("left out of pending p95, max, over SLO and fixed-for-peak's packing: 18 pods of priority below "
                + "--slo-min-priority 0").contains("; karpenter 14 waited, the longest 15m18s, 0 pending at the end");
        assertThat(r.out()).contains("* recommended: scheduled+ca");
    }

    /** replay --pending-slo judges the real pods: the placeholders' line says how they waited; the total pod-hours keep them. */
    @Test
    void replayJudgesItsSloWithoutThePlaceholders() throws Exception {
        String[] args = {"replay", "--workload", "workloads/overprovisioning.csv", "--node", "aws:m5.xlarge", "--autoscaler", "karpenter",
                "--synthetic", "diurnal", "--duration", "2d", "--seed", "3", "--pending-slo", "2m", "--slo-min-priority", "0", "--quiet",
                "--reproducible"};
        CliRunner text = CliRunner.run(args);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("left out of the pending figures and the SLO (priority below --slo-min-priority 0: placeholders "
                + "wait by design): 18 pods; 14 waited, ").contains(" pod-hours, the longest 15m18s, 0 still pending at the end");
        // QA 71a F6: the pod-hours beside "N of M pods waited" are every pod's; the line says how much is the placeholders'.
        assertThat(text.out()).containsPattern("pending: \\d+ of \\d+ pods waited; [0-9.]+ pod-hours, [0-9.]+ of them the left-out "
                + "pods' \\(below\\) \\(");
        String[] json = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("-o", "json"))
                .toArray(String[]::new);
        JsonNode apart = JSON.readTree(CliRunner.run(json).out()); // the best run's figures at the root
        String[] all = java.util.Arrays.stream(json).map(a -> a.equals("0") ? "-2147483648" : a).toArray(String[]::new);
        JsonNode counted = JSON.readTree(CliRunner.run(all).out());
        assertThat(apart.get("podsDelayed").asLong() + apart.get("sloExcluded").get("podsDelayed").asLong())
                .isEqualTo(counted.get("podsDelayed").asLong());
        assertThat(apart.get("pendingMaxSeconds").asLong()).isLessThan(counted.get("pendingMaxSeconds").asLong());
        assertThat(counted.has("sloExcluded")).isFalse();
        long theirs = apart.get("sloExcluded").get("pendingPodSeconds").asLong();
        assertThat(theirs).isPositive().isLessThanOrEqualTo(apart.get("pendingPodSeconds").asLong());
        assertThat(apart.get("pendingPodSeconds").asLong()).isEqualTo(counted.get("pendingPodSeconds").asLong());
    }
}
