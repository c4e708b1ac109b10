package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * windows checks the SLO on more draws than the plan's own (QA 48b): a schedule pruned until its p95 was one slow pod
 * under the SLO on seed 1 missed it on seeds 2, 3 and 4 with the very same demand (only the provisioning delays and the
 * scheduler's ties drawn again). The plan is now raised where it misses on some draw, and the schedule it writes holds
 * on those draws when replayed by hand.
 */
final class WindowsDrawsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static final String[] RUN = {"--synthetic", "diurnal", "--noise", "0", "--provision-delay", "4m", "--node", "aws:m5.2xlarge",
        "--quiet"};

    private static String[] args(String command, String... extra) {
        String[] out = new String[1 + RUN.length + extra.length];
        out[0] = command;
        System.arraycopy(RUN, 0, out, 1, RUN.length);
        System.arraycopy(extra, 0, out, 1 + RUN.length, extra.length);
        return out;
    }

    @Test
    void theScheduleMeetsTheSloOnEveryDrawItWasCheckedOn() throws Exception {
        Path schedule = dir.resolve("s.yaml");
        CliRunner w = CliRunner.run(args("windows", "--pending-slo", "2m", "--schedule-out", schedule.toString(), "-o", "json"));
        assertThat(w.exitCode()).as(w.err()).isZero();
        JsonNode plan = JSON.readTree(w.out());
        for (JsonNode a : plan.get("alternatives")) {
            assertThat(a.get("draws").asInt()).isEqualTo(5);
            assertThat(a.get("pendingP95SecondsByDraw")).hasSize(5);
            assertThat(a.get("meetsPendingSlo").asBoolean()).as(a.toString()).isEqualTo(a.get("drawsMeetingSlo").asInt() == 5);
            // Pods over the SLO: none where no pod waited as long, some where the longest wait is beyond it.
            // (a maximum of null: a pod deleted while pending never started, and is over the SLO)
            assertThat(a.get("podsOverSlo").asLong() > 0).as(a.toString())
                    .isEqualTo(a.get("pendingMaxSeconds").isNull() || a.get("pendingMaxSeconds").asLong() > 120);
            if (a.get("name").asText().equals("scheduled+ca")) {
                assertThat(a.get("meetsPendingSlo").asBoolean()).isTrue();
                for (JsonNode p95 : a.get("pendingP95SecondsByDraw")) {
                    assertThat(p95.asLong()).isLessThanOrEqualTo(120);
                }
            }
        }
        for (int seed = 2; seed <= 5; seed++) {
            CliRunner r = CliRunner.run(args("replay", "--autoscaler", "scheduled", "--schedule", schedule.toString(), "--min-nodes", "0",
                    "--max-nodes", "5000", "--seed", String.valueOf(seed), "-o", "json", "--reproducible"));
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode result = JSON.readTree(r.out());
            assertThat(result.get("pendingP95Seconds").asLong()).as("seed %d", seed).isLessThanOrEqualTo(120);
        }
        // The plan's draw alone: no other draw replayed, and the table says nothing of draws.
        CliRunner one = CliRunner.run(args("windows", "--pending-slo", "2m", "--check-draws", "0"));
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(one.out()).doesNotContain("SLO checked on").contains("over SLO");
        CliRunner bad = CliRunner.run(args("windows", "--check-draws", "-1"));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--check-draws").contains("must be from 0 to 20");
    }

    /**
     * With noise the draws' demand differs: each window's max comes from the peaks of every draw, so the schedule written
     * holds on each draw when replayed by hand (review 48: a max from the plan's draw alone bound on seed 5, p95 250 s).
     */
    @Test
    void withNoiseTheWrittenScheduleHoldsOnEveryDrawItsMaxesIncluded() throws Exception {
        Path schedule = dir.resolve("noisy.yaml");
        String[] noisy = {"windows", "--synthetic", "diurnal", "--noise", "0.4", "--seed", "3", "--provision-delay", "4m", "--node",
            "aws:m5.2xlarge", "--quiet", "--pending-slo", "2m", "--schedule-out", schedule.toString(), "-o", "json"};
        CliRunner w = CliRunner.run(noisy);
        assertThat(w.exitCode()).as(w.err()).isZero();
        JsonNode plan = JSON.readTree(w.out());
        assertThat(plan.get("recommended").asText()).isEqualTo("scheduled+ca");
        for (int seed = 4; seed <= 7; seed++) {
            CliRunner r = CliRunner.run("replay", "--synthetic", "diurnal", "--noise", "0.4", "--provision-delay", "4m", "--node",
                    "aws:m5.2xlarge", "--quiet", "--autoscaler", "scheduled", "--schedule", schedule.toString(), "--min-nodes", "0",
                    "--max-nodes", "5000", "--seed", String.valueOf(seed), "-o", "json", "--reproducible");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(JSON.readTree(r.out()).get("pendingP95Seconds").asLong()).as("seed %d", seed).isLessThanOrEqualTo(120);
        }
    }

    @Test
    void podsThatFitNoNodeAreCountedAndNamed() throws Exception {
        CliRunner w = CliRunner.run(args("windows", "--check-draws", "0"));
        assertThat(w.exitCode()).as(w.err()).isZero();
        // The bundled shop's postgres-primary (8 CPU) and ml-ranker-training (16 CPU) fit no m5.2xlarge.
        assertThat(w.out()).contains("unsched").contains("warning: 2 pods fit no m5.2xlarge node and never run under any alternative")
                .contains("needs 16 CPU; m5.2xlarge allocatable is 7.91 CPU");
    }

    /** A trace's times have no date: the report says which start its weekdays and hours assume (QA 48b F3). */
    @Test
    void aTraceWithoutAStartSaysWhatItsWeekdaysAssume() throws Exception {
        Path trace = dir.resolve("t.csv");
        java.nio.file.Files.writeString(trace, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
                + "deletion_time,scheduled_time\np0,3000,1024,0,0,,BE,Running,0,7200,0\np1,3000,1024,0,0,,BE,Running,3600,10000,0\n");
        String[] base = {"windows", "--trace", trace.toString(), "--node", "cpu=4,memory=16Gi,pods=110,price=1", "--quiet", "--check-draws", "0"};
        CliRunner assumed = CliRunner.run(base);
        assertThat(assumed.exitCode()).as(assumed.err()).isZero();
        assertThat(assumed.out()).contains("time 0 is taken as 2026-01-05T00:00:00Z (a Monday; --start sets it)");
        String[] started = java.util.Arrays.copyOf(base, base.length + 2);
        started[base.length] = "--start";
        started[base.length + 1] = "2026-03-02T00:00Z";
        CliRunner given = CliRunner.run(started);
        assertThat(given.exitCode()).as(given.err()).isZero();
        assertThat(given.out()).doesNotContain("time 0 is taken as");
    }
}
