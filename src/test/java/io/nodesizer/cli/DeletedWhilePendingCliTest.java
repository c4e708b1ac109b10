package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pods deleted while pending, before a node took them, never ran (QA 59a F1): twenty one-minute jobs of 6 CPU, every half
 * hour, beside a 4-CPU pod that stays, on m5.2xlarge (7.91 CPU). A node comes 3-5 min after it is asked for, after each job
 * is gone: the jobs waited a minute and left. They were reported as a p95 of 1m that met a 2m SLO, and windows recommended
 * the autoscalers that ran none of them.
 */
final class DeletedWhilePendingCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private Path trace() throws Exception {
        StringBuilder csv = new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,"
                + "scheduled_time\nbase,4000,4096,0,0,,LS,Running,0,40000,0\n");
        for (int i = 0; i < 20; i++) {
            long t = 1800L * (i + 1);
            csv.append("job").append(i).append(",6000,8192,0,0,,BE,Running,").append(t).append(',').append(t + 60).append(',').append(t).append('\n');
        }
        Path f = dir.resolve("jobs.csv");
        Files.writeString(f, csv);
        return f;
    }

    @Test
    void podsThatNeverStartAreLeftOutAndTheirWaitIsUnbounded() throws Exception {
        Path trace = trace();
        CliRunner r = CliRunner.run("replay", "--trace", trace.toString(), "--node", "aws:m5.2xlarge", "--autoscaler", "ca", "--max-nodes", "1",
                "--pending-slo", "2m", "-o", "json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode run = JSON.readTree(r.out()).get("ranking").get(0);
        assertThat(run.get("deletedWhilePending").asLong()).isEqualTo(20);
        assertThat(run.get("pendingAtEnd").asLong()).isZero();
        assertThat(run.get("pendingP95Seconds").isNull()).as("20 of 21 never started: the p95 is theirs").isTrue();
        assertThat(run.get("pendingMaxSeconds").asLong()).isEqualTo(60); // the longest wait any pod had: theirs
        assertThat(run.get("pendingPodSeconds").asLong()).isEqualTo(20 * 60); // what they did wait
        assertThat(run.get("meetsPendingSlo").asBoolean()).isFalse();
        assertThat(run.get("deletedWhilePendingByWorkload")).hasSize(20);

        CliRunner text = CliRunner.run("replay", "--trace", trace.toString(), "--node", "aws:m5.2xlarge", "--autoscaler", "ca", "--max-nodes", "1",
                "--pending-slo", "2m", "--quiet");
        assertThat(text.out()).contains("deleted pending").contains("p50 never, p95 never, max 1m")
                .contains("20 pods were deleted while pending, before a node took them")
                .contains("one pod of each of 20 workloads (-o json lists them)");
    }

    @Test
    void windowsPlansWarmNodesForJobsNoReactiveAutoscalerRuns() throws Exception {
        CliRunner r = CliRunner.run("windows", "--trace", trace().toString(), "--node", "aws:m5.2xlarge", "--pending-slo", "2m", "-o", "json",
                "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode plan = JSON.readTree(r.out());
        for (JsonNode a : plan.get("alternatives")) {
            boolean reactive = a.get("name").asText().equals("ca") || a.get("name").asText().equals("karpenter");
            assertThat(a.get("deletedWhilePending").asLong() >= 19).as(a.toString()).isEqualTo(reactive);
            assertThat(a.get("meetsPendingSlo").asBoolean()).as(a.toString()).isEqualTo(!reactive);
        }
        assertThat(plan.get("recommended").asText()).isEqualTo("scheduled+ca"); // warm nodes for the jobs' hours, cheaper than fixed
        assertThat(plan.get("windows")).isNotEmpty();
    }

    /** A capped reactive CA that misses the SLO with no window that helps is not "no windows needed" (QA 59a F2). */
    @Test
    void noWindowThatHelpsIsNotCalledNoWindowsNeeded() throws Exception {
        CliRunner r = CliRunner.run("windows", "--trace", trace().toString(), "--node", "aws:m5.2xlarge", "--pending-slo", "2m",
                "--min-nodes", "1", "--max-nodes", "1", "--quiet"); // the floor is the cap: no hour can be raised
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("no windows needed").contains("no windows: raising the slow hours' minimum did not lessen their pods "
                + "over the SLO (or --max-nodes holds it), so this is reactive CA")
                .contains("Schedule (UTC) for --autoscaler scheduled: none; raising the slow hours' minimum");
    }

    @Test
    void aPodLeavingAtTheInstantItArrivesRanOnlyIfANodeHadRoomForIt() throws Exception {
        // A trace's clock has whole seconds: a job shorter than one arrives and leaves at one instant. Beside a 4-CPU pod
        // that fills one 4-CPU node, the 1-CPU job at 50 had no node: it never ran (it was counted a 0 s wait, QA 59d F6).
        // On an 8-CPU node it ran.
        Path f = dir.resolve("instant.csv");
        Files.writeString(f, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"
                + "base,4000,1024,0,0,,LS,Running,0,1000,0\nblip,1000,1024,0,0,,LS,Running,50,50,50\n");
        for (String[] nodeAndDeleted : new String[][] {{"cpu=4,memory=16Gi,pods=110,price=1", "1"}, {"cpu=8,memory=16Gi,pods=110,price=1", "0"}}) {
            CliRunner r = CliRunner.run("replay", "--trace", f.toString(), "--node", nodeAndDeleted[0], "--overhead", "none", "--autoscaler", "none",
                    "--nodes", "1", "-o", "json", "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode run = JSON.readTree(r.out()).get("ranking").get(0);
            assertThat(run.get("deletedWhilePending").asLong()).as(nodeAndDeleted[0]).isEqualTo(Long.parseLong(nodeAndDeleted[1]));
            assertThat(run.get("pendingP95Seconds").isNull()).as(nodeAndDeleted[0]).isEqualTo(nodeAndDeleted[1].equals("1"));
            assertThat(run.get("pendingPodSeconds").asLong()).isZero();
        }
    }

    @Test
    void compareOfWindowsRunsShowsEachAlternativesPodsDeletedWhilePending() throws Exception {
        // On m5.4xlarge (15.89 CPU) base and a job share one node: nothing waits. On m5.2xlarge ca and karpenter run none of the
        // jobs: compare had no row for that, only a cheaper "ca cost" (QA 59d).
        Path trace = trace();
        Path[] runs = {dir.resolve("big.json"), dir.resolve("small.json")};
        String[] nodes = {"aws:m5.4xlarge", "aws:m5.2xlarge"};
        for (int i = 0; i < 2; i++) {
            CliRunner w = CliRunner.run("windows", "--trace", trace.toString(), "--node", nodes[i], "--pending-slo", "2m", "-o", "json",
                    "--out", runs[i].toString(), "--quiet");
            assertThat(w.exitCode()).as(w.err()).isZero();
        }
        CliRunner c = CliRunner.run("compare", runs[0].toString(), runs[1].toString());
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).containsPattern("ca deleted while pending +0 +20 +\\+20")
                .contains("note: small.json has 20 more pods deleted while pending under ca than big.json: they never ran there")
                .doesNotContain("fixed-for-peak deleted while pending"); // no run of it had one
    }
}
