package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.nodesizer.cli.CliRunner.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 62c F7: a trace's deletion times are absolute, so a short job that waits for a node leaves while pending and its work
 * is gone. --deletions after-start runs each pod as long as it ran in the trace (deletion_time less scheduled_time) from
 * when the replay starts it.
 */
class TraceRuntimesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * One 4-CPU node, fixed; first holds it from 0 to 100 s; second asks for it at 10 s and ran 50 s in the trace (scheduled
     * at 10, deleted at 60). At its deletion time it leaves while pending, never having run; after its start it runs from
     * 100 s to 150 s, having waited 90 s.
     */
    @Test
    void aJobThatWaitsStillRunsItsRunTime() throws Exception {
        Path trace = dir.resolve("jobs.csv");
        Files.writeString(trace, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                first,4000,1024,0,0,,LS,Succeeded,0,100,0
                second,4000,1024,0,0,,LS,Succeeded,10,60,10
                """);
        JsonNode absolute = replay(trace);
        assertThat(absolute.get("deletedWhilePending").asLong()).isEqualTo(1);
        JsonNode afterStart = replay(trace, "--deletions", "after-start");
        assertThat(afterStart.get("deletedWhilePending").asLong()).isZero();
        assertThat(afterStart.get("pendingMaxSeconds").asLong()).isEqualTo(90);
        assertThat(afterStart.get("pendingAtEnd").asLong()).isZero();
        assertThat(afterStart.get("pendingPodSeconds").asDouble()).isEqualTo(90.0);
        // A trace without scheduled_time counts the run time from the creation time.
        Path bare = dir.resolve("bare.csv");
        Files.writeString(bare, Files.readString(trace).replace(",scheduled_time", "").replace(",0\n", "\n").replace(",10\n", "\n"));
        assertThat(replay(bare, "--deletions", "after-start").get("pendingMaxSeconds").asLong()).isEqualTo(90);
        CliRunner text = CliRunner.run("replay", "--trace", trace.toString(), "--node", "cpu=4,memory=16Gi,price=1", "--overhead", "none",
                "--autoscaler", "none", "--nodes", "1", "--duration", "200s", "--deletions", "after-start", "--quiet");
        assertThat(text.out()).contains("2 pods arriving at their times and running as long as in the trace from when they start");
    }

    /**
     * QA 68c F3: a scheduled_time outside the pod's life (after its deletion, before its creation) is counted from creation,
     * as the README says, and said in one note naming how many and the first; only under --deletions after-start, the one
     * reader of the column.
     */
    @Test
    void startsOutsideThePodsLifeAreNoted() throws Exception {
        Path trace = dir.resolve("outside.csv");
        Files.writeString(trace, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                ok,1000,1024,0,0,,LS,Running,0,150,50
                late,1000,1024,0,0,,LS,Running,10,100,150
                early,1000,1024,0,0,,LS,Running,20,100,5
                """);
        JsonNode afterStart = replay(trace, "--deletions", "after-start");
        assertThat(afterStart.get("notes").toString()).contains("pods late, early (" + trace + ":3): replayed, but 2 pods' scheduled_time "
                + "lies outside their life (the first, late: 150, creation_time 10 to deletion_time 100): --deletions after-start "
                + "counts their runs from creation_time, as for a pod the traced cluster never started");
        assertThat(String.valueOf(replay(trace).get("notes"))).doesNotContain("scheduled_time");
        Files.writeString(trace, Files.readString(trace).replace("early,1000,1024,0,0,,LS,Running,20,100,5\n", ""));
        assertThat(replay(trace, "--deletions", "after-start").get("notes").toString()).contains("pod late (" + trace + ":3): replayed, "
                + "but its scheduled_time 150 lies outside its life (creation_time 10 to deletion_time 100)");
    }

    @Test
    void afterStartIsForTracesAndOtherValuesAreRefused() {
        CliRunner workload = CliRunner.run("replay", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "aws:m5.2xlarge",
                "--deletions", "after-start");
        assertThat(workload.exitCode()).isEqualTo(2);
        assertThat(workload.err()).contains("--deletions after-start replays a --trace's pods for their run times");
        // A trace whose pods have no deletion times (openb's multigpu lists): no run times to keep (QA 63b F8).
        Path untimed = dir.resolve("untimed.csv");
        try {
            java.nio.file.Files.writeString(untimed, "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,1000,1024,0,0\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CliRunner noTimes = CliRunner.run("replay", "--trace", untimed.toString(), "--node", "aws:m5.2xlarge", "--duration", "1h",
                "--deletions", "after-start");
        assertThat(noTimes.exitCode()).isEqualTo(2);
        assertThat(noTimes.err()).contains("has no deletion times: its pods stay to the end either way");
        CliRunner bad = CliRunner.run("replay", "--trace", "x.csv", "--node", "aws:m5.2xlarge", "--deletions", "relative");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("The deletions (relative) must be absolute or after-start.");
    }

    /**
     * QA 63b F2: a pod arriving 10 s before the end of a cut trace is pending at the end under any autoscaler, no node could
     * come in time: it is reported, not counted as left out (the ranking's first key) nor against the SLO. One that waited
     * longer than a provisioning delay and a minute still is.
     */
    @Test
    void aPodArrivingJustBeforeTheEndIsNotLeftOut() throws Exception {
        Path trace = dir.resolve("late.csv");
        Files.writeString(trace, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                first,4000,1024,0,0,,LS,Running,0,,0
                late,4000,1024,0,0,,LS,Pending,290,,
                """);
        String[] ca = {"replay", "--trace", trace.toString(), "--node", "cpu=4,memory=16Gi,price=1", "--overhead", "none",
                "--autoscaler", "ca", "--pending-slo", "2m", "-o", "json", "--quiet"};
        CliRunner cut = CliRunner.run(concat(ca, "--duration", "300s"));
        assertThat(cut.exitCode()).as(cut.err()).isZero();
        JsonNode r = JSON.readTree(cut.out());
        assertThat(r.get("pendingAtEnd").asLong()).isEqualTo(1);
        assertThat(r.get("pendingAtEndRecent").asLong()).isEqualTo(1);
        assertThat(r.get("meetsPendingSlo").asBoolean()).isTrue();
        // A fixed count adds no node: only the minute counts, and 290 s of waiting is no late arrival.
        CliRunner fixed = CliRunner.run("replay", "--trace", trace.toString(), "--node", "cpu=4,memory=16Gi,price=1", "--overhead", "none",
                "--autoscaler", "none", "--nodes", "1", "--duration", "600s", "--pending-slo", "2m", "-o", "json", "--quiet");
        JsonNode f = JSON.readTree(fixed.out());
        assertThat(f.get("pendingAtEnd").asLong()).isEqualTo(1);
        assertThat(f.get("pendingAtEndRecent").asLong()).isZero();
        assertThat(f.get("meetsPendingSlo").asBoolean()).isFalse();
    }

    /**
     * QA 73b F1: the pods pending at the end that arrived too late for any node are out of the pending percentiles and the
     * longest wait too, not only out of the SLO's pending-at-end test: two 3-CPU pods arriving 5 minutes before the end
     * (a 6-minute provisioning delay) made the 4-CPU shape's p95 and max 5m, "missed" under a 1m SLO, and ranked the
     * 12-CPU shape at 3.2 times the price first. The pod that ran waited 0 s: p95 0, the SLO met, the cheap shape first.
     */
    @Test
    void podsTooLateForAnyNodeAreOutOfThePendingPercentiles() throws Exception {
        Path workload = dir.resolve("w4.csv");
        Files.writeString(workload, "name,cpu,memory,replicas\nx,3,1Gi,2\n");
        Path demand = dir.resolve("d7.csv");
        Files.writeString(demand, "time,workload,replicas\n2026-01-05T00:00Z,x,1\n+1h55m,x,3\n");
        CliRunner run = CliRunner.run("replay", "--workload", workload.toString(), "--demand", demand.toString(),
                "--node", "cpu=4,memory=16Gi,pods=110,price=1", "--node", "cpu=12,memory=16Gi,pods=110,price=3.5", "--overhead", "none",
                "--autoscaler", "ca", "--duration", "2h", "--pending-slo", "1m", "--provision-delay", "6m", "-o", "json", "--quiet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = JSON.readTree(run.out());
        JsonNode first = r.get("ranking").get(0);
        assertThat(first.get("pendingAtEnd").asLong()).isEqualTo(2);
        assertThat(first.get("pendingAtEndRecent").asLong()).isEqualTo(2);
        assertThat(first.get("pendingP95Seconds").asLong()).isZero();
        assertThat(first.get("pendingMaxSeconds").asLong()).isZero();
        assertThat(first.get("meetsPendingSlo").asBoolean()).isTrue();
        // The 4-CPU shape ($2.16) ranks first, before the 12-CPU one ($7.00) that holds all three pods.
        assertThat(first.get("costTotal").asDouble()).isEqualTo(2.1611);
        assertThat(r.get("ranking").get(1).get("costTotal").asDouble()).isEqualTo(7.0);
    }

    /**
     * QA 73b F1 follow-up: windows' pods over the SLO per hour (podsOverSlo, and the hours it raises) leave out the pods whose
     * wait the run's end cut short, as the percentiles do (Replay.waitCutByTheEnd): the two 3-CPU pods arriving 5 minutes
     * before the end had waited 5m against a 1m SLO, so each alternative counted them over it and windows raised their hour.
     */
    @Test
    void podsTooLateForAnyNodeAreNotSlowInWindows() throws Exception {
        Path workload = dir.resolve("w5.csv");
        Files.writeString(workload, "name,cpu,memory,replicas\nx,3,1Gi,2\n");
        Path demand = dir.resolve("d8.csv");
        Files.writeString(demand, "time,workload,replicas\n2026-01-05T00:00Z,x,1\n+1h55m,x,3\n");
        CliRunner run = CliRunner.run("windows", "--workload", workload.toString(), "--demand", demand.toString(),
                "--node", "cpu=4,memory=16Gi,pods=110,price=1", "--overhead", "none", "--duration", "2h", "--pending-slo", "1m",
                "--provision-delay", "6m", "--check-draws", "0", "-o", "json", "--quiet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode plan = JSON.readTree(run.out());
        for (JsonNode a : plan.get("alternatives")) {
            String name = a.get("name").asText();
            if (a.get("pendingAtEnd").asLong() > 0) {
                assertThat(a.get("pendingAtEndRecent").asLong()).as(name).isEqualTo(a.get("pendingAtEnd").asLong());
            }
            assertThat(a.get("podsOverSlo").asLong()).as(name).isZero();
            assertThat(a.get("meetsPendingSlo").asBoolean()).as(name).isTrue();
        }
        // No hour had a slow pod: no window is planned; reactive CA's two pods pending at the end are the late ones (the
        // README's table showed them "2 (66.7 %)" over the SLO beside a p95 of 0 s).
        assertThat(plan.get("windows")).isEmpty();
        JsonNode ca = plan.get("alternatives").get(1);
        assertThat(ca.get("name").asText()).isEqualTo("ca");
        assertThat(ca.get("pendingAtEndRecent").asLong()).isEqualTo(2);
    }

    /**
     * The run ends at the trace's last event, so work a slower autoscaler delayed past it was not billed. base holds one
     * 4-CPU node to the end (3600 s, still running when the trace was taken); job (4 CPU) arrives at 3000 and ran 500 s. With
     * a 1-minute provisioning delay it runs 3070..3570 on a second node requested at 3010: 3600 + 590 node-seconds. With
     * 10 minutes it starts at 3600, as the trace ends: it ran by 3600 before too, nothing pending at the end, the same 4190
     * node-seconds as the fast run. Now the run goes on until job has run (4100), its nodes billed: 4100 + 1090.
     */
    @Test
    void aSlowerProvisioningDelayIsBilledForTheWorkItDelaysPastTheEnd() throws Exception {
        Path trace = dir.resolve("late-job.csv");
        Files.writeString(trace, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                base,4000,1024,0,0,,LS,Running,0,3600,0
                job,4000,1024,0,0,,LS,Succeeded,3000,3500,3000
                """);
        String[] ca = {"replay", "--trace", trace.toString(), "--node", "cpu=4,memory=16Gi,price=1", "--overhead", "none",
                "--autoscaler", "ca", "--deletions", "after-start", "-o", "json", "--quiet"};
        JsonNode fast = JSON.readTree(CliRunner.run(concat(ca, "--provision-delay", "1m")).out());
        JsonNode slow = JSON.readTree(CliRunner.run(concat(ca, "--provision-delay", "10m")).out());
        JsonNode f = fast.get("ranking").get(0);
        JsonNode s = slow.get("ranking").get(0);
        assertThat(f.get("overtimeSeconds").asLong()).isZero();
        assertThat(fast.get("durationSeconds").asLong()).isEqualTo(3600);
        assertThat(f.get("nodeHours").asDouble()).isEqualTo(Math.round((3600 + 590) / 3600.0 * 1e4) / 1e4);
        assertThat(s.get("overtimeSeconds").asLong()).isEqualTo(500);
        assertThat(slow.get("durationSeconds").asLong()).isEqualTo(4100);
        assertThat(s.get("nodeHours").asDouble()).isEqualTo(Math.round((4100 + 1090) / 3600.0 * 1e4) / 1e4);
        assertThat(s.get("unrunPodSeconds").asLong()).isZero();
        assertThat(s.get("costTotal").asDouble()).isGreaterThan(f.get("costTotal").asDouble());
        // The text's heading gives the trace's span, the same whatever a row's overtime; its overtime line says the rest.
        String table = CliRunner.run(java.util.Arrays.stream(concat(ca, "--provision-delay", "10m"))
                .map(a -> a.equals("json") ? "table" : a).toArray(String[]::new)).out();
        assertThat(table).contains("over 1h from").contains("the run went on 8m20s past the trace's end");
        // Under absolute deletions nothing runs on: the fields are not there.
        JsonNode absolute = JSON.readTree(CliRunner.run("replay", "--trace", trace.toString(), "--node", "cpu=4,memory=16Gi,price=1",
                "--overhead", "none", "--autoscaler", "ca", "--provision-delay", "10m", "-o", "json", "--quiet").out());
        assertThat(absolute.get("durationSeconds").asLong()).isEqualTo(3600);
        assertThat(absolute.get("ranking").get(0).has("overtimeSeconds")).isFalse();
    }

    /**
     * QA 77f F1: the trace's last instant is always some pod's deletion, and a pod deleted then counted as still running
     * when the trace was taken, whatever its phase. Ten Succeeded jobs of 1 CPU, 0..600 s, on 4-CPU nodes from a cold
     * start: CA's loop at 10 s (all pods under 2 s old at 0) asks for 3 nodes, ready at 250 s with a 4-minute delay, and the
     * jobs run 250..850. They held nothing open: the run stopped at 600 with 250 s of each job's work not run, and reported
     * that as 0 unrun seconds. Now the run goes on to 850, the nodes billed from 10 to 850; as Running pods (the trace
     * taken while they ran) they still hold nothing open.
     */
    @Test
    void finishedJobsDeletedAtTheTracesLastInstantHoldTheRunOpen() throws Exception {
        StringBuilder rows = new StringBuilder(
                "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n");
        for (int i = 0; i < 10; i++) {
            rows.append("j").append(i).append(",1000,1024,0,0,,LS,Succeeded,0,600,0\n");
        }
        Path trace = dir.resolve("finished.csv");
        Files.writeString(trace, rows);
        String[] ca = {"replay", "--trace", trace.toString(), "--node", "cpu=4,memory=16Gi,price=1", "--overhead", "none",
                "--autoscaler", "ca", "--cold-start", "--provision-delay", "4m", "--deletions", "after-start", "-o", "json", "--quiet"};
        JsonNode finished = JSON.readTree(CliRunner.run(ca).out());
        assertThat(finished.get("pendingMaxSeconds").asLong()).isEqualTo(250);
        assertThat(finished.get("overtimeSeconds").asLong()).isEqualTo(250);
        assertThat(finished.get("durationSeconds").asLong()).isEqualTo(850);
        assertThat(finished.get("unrunPodSeconds").asLong()).isZero();
        assertThat(finished.get("nodeHours").asDouble()).isEqualTo(Math.round(3 * 840 / 3600.0 * 1e4) / 1e4);
        Files.writeString(trace, rows.toString().replace("Succeeded", "Running"));
        JsonNode running = JSON.readTree(CliRunner.run(ca).out());
        assertThat(running.get("overtimeSeconds").asLong()).isZero();
        assertThat(running.get("durationSeconds").asLong()).isEqualTo(600);
    }

    private JsonNode replay(Path trace, String... more) throws Exception {
        String[] base = {"replay", "--trace", trace.toString(), "--node", "cpu=4,memory=16Gi,price=1", "--overhead", "none", "--autoscaler",
                "none", "--nodes", "1", "--duration", "200s", "-o", "json", "--quiet"};
        CliRunner r = CliRunner.run(concat(base, more));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }
}
