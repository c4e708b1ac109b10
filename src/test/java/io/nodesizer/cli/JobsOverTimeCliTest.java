package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 73b F2: over time a Job's pods are min(parallelism, completions) whatever the load, as --growth and --surge leave them;
 * --synthetic scaled them with its curve. And the replay says that a Job's completion and a CronJob's schedule are not replayed.
 */
class JobsOverTimeCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: etl, namespace: d}
            spec:
              parallelism: 3
              completions: 6
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: x, resources: {requests: {cpu: "2", memory: 1Gi}}}]
            """;

    private static final String CRON_JOB = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly, namespace: d}
            spec:
              schedule: "0 2 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: c, image: x, resources: {requests: {cpu: "2", memory: 1Gi}}}]
            """;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: d}
            spec:
              replicas: 10
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: c, image: x, resources: {requests: {cpu: "2", memory: 1Gi}}}]
            """;

    private static JsonNode replay(Path dir, String... more) throws Exception {
        String[] base = {"replay", "--workload", dir.toString(), "--node", "cpu=2,memory=16Gi,pods=110,price=1", "--overhead", "none",
            "-o", "json", "--quiet", "--reproducible"};
        CliRunner r = CliRunner.run(CliRunner.concat(base, more));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void theSyntheticCurveLeavesAJobsPodsAsTheyAre(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("j.yaml"), JOB);
        JsonNode root = replay(dir, "--synthetic", "diurnal", "--duration", "1d");
        // Three pods of 2 CPUs on 2-CPU nodes all day: the curve's night (0.3 of the peak) made it one pod and one node.
        assertThat(root.get("podsArrived").asInt()).isEqualTo(3);
        assertThat(root.get("peakNodes").asInt()).isEqualTo(3);
        assertThat(root.get("scaleDowns").asInt()).isZero();
        assertThat(root.get("nodeHours").asDouble()).isEqualTo(72.0);
        assertThat(root.get("notes").toString()).contains("Job d/etl (").contains("replayed, but its completion is not: its 3 pods are "
                + "present the whole run, and no load (--synthetic, --growth, --surge) scales them");
    }

    @Test
    void aDeploymentBesideAJobStillFollowsTheCurve(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("j.yaml"), JOB + "---\n" + DEPLOYMENT);
        JsonNode root = replay(dir, "--synthetic", "diurnal", "--duration", "1d");
        assertThat(root.get("scaleDowns").asInt()).isPositive();
        // The Deployment's 10 pods at the peak fall to 3 at night and come back: more arrivals than the 13 pods at the peak.
        assertThat(root.get("podsArrived").asInt()).isGreaterThan(13);
        assertThat(root.get("peakNodes").asInt()).isLessThanOrEqualTo(13);
    }

    @Test
    void aCronJobsScheduleIsSaidNotToBeReplayed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("j.yaml"), CRON_JOB);
        JsonNode root = replay(dir, "--duration", "1d");
        assertThat(root.get("nodeHours").asDouble()).isEqualTo(24.0);
        assertThat(root.get("notes").toString()).contains("CronJob d/nightly (").contains("replayed, but its schedule is not: its 1 pod is "
                + "present the whole run, as one run that never ends");
    }

    /** A demand file's rows for a Job replay its runs: no note that its pods are present the whole run. */
    @Test
    void aJobTheDemandFileDrivesHasNoNote(@TempDir Path dir) throws Exception {
        Path manifests = Files.createDirectory(dir.resolve("m"));
        Files.writeString(manifests.resolve("j.yaml"), JOB);
        Path demand = dir.resolve("d.csv");
        Files.writeString(demand, "time,workload,replicas\n2026-01-05T00:00Z,d/etl,0\n+1h,d/etl,3\n+2h,d/etl,0\n");
        JsonNode root = replay(manifests, "--demand", demand.toString(), "--duration", "4h");
        assertThat(root.path("notes").toString()).doesNotContain("d/etl");
        assertThat(root.get("podsArrived").asInt()).isEqualTo(3);
    }
}
