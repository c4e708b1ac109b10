package io.nodesizer.report;

import io.nodesizer.model.Resources;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Today's cluster as recommend --snapshot states it. */
final class RecommendBaselineTest {
    /** QA c F2: nodes an autoscaler is deleting are left out of today's nodes and cost, and the line says how many. */
    @Test
    void nodesBeingDeletedAreSaidToBeLeftOut() {
        // 2 m5.xlarge at $0.192/h stay: $0.384/h, × 730 h = $280.32/month.
        RecommendReport.Baseline b = new RecommendReport.Baseline(2, 0.384, List.of(), 0, Resources.ZERO, 2);
        assertThat(b.line(List.of())).isEqualTo("today's cluster: 2 nodes, not counting 2 that an autoscaler is deleting, $0.38/h "
                + "($280.32/month)");
        assertThat(new RecommendReport.Baseline(2, 0.384, List.of()).line(List.of())).isEqualTo("today's cluster: 2 nodes, $0.38/h ($280.32/month)");
    }
}
