package io.nodesizer.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay line's breakdown of the pods deleted while pending: by workload, most first; for a trace's pods, how many. */
final class DeletedByWorkloadTest {
    @Test
    void workloadsMostFirstThenHowManyMore() {
        Map<String, Long> by = new LinkedHashMap<>();
        by.put("web", 3L);
        by.put("batch", 12L);
        assertThat(ReplayReport.deletedByWorkload(by)).isEqualTo(", by workload: batch 12, web 3");
        for (int i = 0; i < 5; i++) {
            by.put("w" + i, 1L);
        }
        assertThat(ReplayReport.deletedByWorkload(by))
                .isEqualTo(", by workload: batch 12, web 3, w0 1, w1 1, w2 1 and 2 more workloads (-o json lists them)");
    }

    @Test
    void aTracesPodsOfAWorkloadEachAreCountedNotNamed() {
        Map<String, Long> by = new LinkedHashMap<>();
        for (int i = 0; i < 3551; i++) {
            by.put("openb-pod-" + i, 1L);
        }
        assertThat(ReplayReport.deletedByWorkload(by)).isEqualTo(", one pod of each of 3,551 workloads (-o json lists them)");
        // up to five are named
        assertThat(ReplayReport.deletedByWorkload(Map.of("job0", 1L))).isEqualTo(", by workload: job0 1");
    }
}
