package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * windows' fixed-for-peak alternative: the peak packing's count, grown one node at a time while the
 * fixed cluster's replay leaves pods pending (FixedForPeak), so that "fixed for peak" never leaves
 * a pod waiting for room; a count that holds is kept as it is.
 */
class FixedForPeakCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * workloads/manifests/spread-mix: 40 web pods spread evenly over nodes and zones (hard, maxSkew
     * 1), 6 db pods one per node, 60 plain batch pods. The packing evens the web spread out at the
     * peak; the scheduler, placing pods as they come and go, cannot, and the packed count leaves pods
     * pending for hours.
     */
    @Test
    void aPackedCountThatLeavesPodsPendingGrowsUntilNothingPends() throws Exception {
        String mix = "workloads/manifests/spread-mix";
        String[] windows = {"windows", "--workload", mix, "--synthetic", "diurnal", "--node", "aws:m5.2xlarge",
                "--duration", "2d", "-o", "json", "--reproducible", "--quiet"};
        CliRunner w = CliRunner.run(windows);
        assertThat(w.exitCode()).as(w.err()).isZero();
        JsonNode fixed = fixedForPeak(w.out());
        int packed = fixed.get("packedNodes").asInt();
        int added = fixed.get("addedNodes").asInt();

        // The packed count alone leaves pods pending: what the alternative showed before it grew.
        CliRunner atPacked = CliRunner.run("replay", "--workload", mix, "--synthetic", "diurnal", "--node", "aws:m5.2xlarge",
                "--duration", "2d", "--autoscaler", "none", "--nodes", String.valueOf(packed), "-o", "json", "--quiet");
        assertThat(atPacked.exitCode()).as(atPacked.err()).isZero();
        assertThat(JSON.readTree(atPacked.out()).get("pendingPodSeconds").asDouble()).isPositive();

        assertThat(added).isPositive();
        assertThat(fixed.get("peakNodes").asInt()).isEqualTo(packed + added);
        assertThat(fixed.get("pendingPodSeconds").asLong()).isZero();
        assertThat(fixed.get("pendingAtEnd").asLong()).isZero();
        assertThat(fixed.get("description").asText()).isEqualTo((packed + added) + " nodes all the time (peak packs on " + packed
                + "; " + added + " added until the replay left nothing pending)");
        // Same seed, same growth.
        assertThat(CliRunner.run(windows).out()).isEqualTo(w.out());
    }

    /** workloads/manifests/zones over 3 zones: the zone-aware packing's 6 nodes hold, and no node is added. */
    @Test
    void aPackedCountThatHoldsIsKept() throws Exception {
        CliRunner w = CliRunner.run("windows", "--workload", "workloads/manifests/zones", "--synthetic", "diurnal",
                "--node", "aws:m5.2xlarge", "--zones", "3", "--duration", "2d", "-o", "json", "--quiet");
        assertThat(w.exitCode()).as(w.err()).isZero();
        JsonNode fixed = fixedForPeak(w.out());
        assertThat(fixed.get("packedNodes").asInt()).isEqualTo(6);
        assertThat(fixed.get("addedNodes").asInt()).isZero();
        assertThat(fixed.get("peakNodes").asInt()).isEqualTo(6);
        assertThat(fixed.get("pendingPodSeconds").asLong()).isZero();
        assertThat(fixed.get("description").asText()).isEqualTo("6 nodes all the time (pack at the demand's peak)");
    }

    /**
     * Cache pods that must sit beside one of 4 api pods (one per node) pend on c5.xlarge whatever
     * the node count: the cap's nodes do not clear them, so the packed count is kept and the
     * description says so.
     */
    @Test
    void pendingThatNoNodeCountClearsKeepsThePackedCount() throws Exception {
        CliRunner w = CliRunner.run("windows", "--workload", "workloads/manifests/colocation", "--node", "aws:c5.xlarge",
                "--duration", "1d", "-o", "json", "--quiet");
        assertThat(w.exitCode()).as(w.err()).isZero();
        JsonNode fixed = fixedForPeak(w.out());
        int packed = fixed.get("packedNodes").asInt();
        assertThat(fixed.get("addedNodes").asInt()).isZero();
        assertThat(fixed.get("peakNodes").asInt()).isEqualTo(packed);
        assertThat(fixed.get("pendingPodSeconds").asLong()).isPositive();
        assertThat(fixed.get("description").asText()).endsWith("(pack at the demand's peak; 20 more still left pods pending)");
    }

    /** A count given with --nodes is replayed as given: not a packing, so no packed or added count. */
    @Test
    void aGivenCountIsNotGrown() throws Exception {
        CliRunner w = CliRunner.run("windows", "--workload", "workloads/manifests/zones", "--synthetic", "diurnal",
                "--node", "aws:m5.2xlarge", "--zones", "3", "--duration", "2d", "--nodes", "5", "-o", "json", "--quiet");
        assertThat(w.exitCode()).as(w.err()).isZero();
        JsonNode fixed = fixedForPeak(w.out());
        assertThat(fixed.get("peakNodes").asInt()).isEqualTo(5);
        assertThat(fixed.get("packedNodes").isNull()).isTrue();
        assertThat(fixed.get("addedNodes").isNull()).isTrue();
        assertThat(fixed.get("description").asText()).isEqualTo("5 nodes all the time (the count given)");
    }

    private static JsonNode fixedForPeak(String json) throws Exception {
        JsonNode first = JSON.readTree(json).get("alternatives").get(0);
        assertThat(first.get("name").asText()).isEqualTo("fixed-for-peak");
        return first;
    }
}
