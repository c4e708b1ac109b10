package io.nodesizer.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ClusterSnapshot.Pod#workload()}: the owner chain as the controllers name their objects. */
final class PodWorkloadTest {
    private static ClusterSnapshot.Pod jobPod(String job, Instant started) {
        return new ClusterSnapshot.Pod("batch", job + "-x7k2p", Resources.ZERO, "n", "Running", "Job", job, new SourceRef("s.json", 1),
                null, null, Placement.ANY, true, false, null, null, 0, started);
    }

    /** cronjob controller's getJobName: {@code <cronjob>-<scheduled time in minutes since the epoch>}. */
    @Test
    void aJobNamedForItsScheduledMinuteBelongsToTheCronJob() {
        Instant started = Instant.parse("2026-12-02T03:00:20Z");
        long minute = Instant.parse("2026-12-02T03:00:00Z").getEpochSecond() / 60;
        assertThat(jobPod("backup-" + minute, started).workload()).isEqualTo(new ClusterSnapshot.WorkloadRef("batch", "CronJob", "backup"));
        assertThat(jobPod("backup-" + minute, null).workload().kind()).isEqualTo("CronJob");
    }

    /** QA 37d finding 5: a date stamp is 8 digits too, but as minutes it is 2008, before any CronJob ran. */
    @Test
    void aJobNamedWithADateIsItsOwnWorkload() {
        Instant started = Instant.parse("2024-12-01T10:00:00Z");
        assertThat(jobPod("migrate-20241201", started).workload()).isEqualTo(new ClusterSnapshot.WorkloadRef("batch", "Job", "migrate-20241201"));
        assertThat(jobPod("migrate-20241201", null).workload().kind()).isEqualTo("Job");
        assertThat(jobPod("report-202412011030", started).workload().kind()).isEqualTo("Job");
    }

    /** A minute after the pod started cannot have been the Job's schedule: the Job comes first. */
    @Test
    void aMinuteAfterThePodStartedIsNotASchedule() {
        Instant started = Instant.parse("2026-01-01T00:00:00Z");
        long later = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() / 60;
        assertThat(jobPod("etl-" + later, started).workload().kind()).isEqualTo("Job");
        assertThat(jobPod("etl-" + later, null).workload().kind()).isEqualTo("CronJob");
    }
}
