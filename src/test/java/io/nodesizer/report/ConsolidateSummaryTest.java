package io.nodesizer.report;

import io.nodesizer.consolidate.Consolidation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** consolidate's headline line. */
final class ConsolidateSummaryTest {
    /** QA 52a F8: "2475 pods evicted" beside "$19.75/h": counts grouped as the money is (the README's table writes 2,475). */
    @Test
    void countsAreGroupedAsTheCostBesideThem() {
        Consolidation.Result r = new Consolidation.Result(List.of(), List.of(), 1200, 1100, 25.0, 19.75, 2475, List.of(), List.of("c.json"),
                null, List.of());
        assertThat(ConsolidateReport.summary(r)).startsWith("1,200 → 1,100 worker nodes (0 removed, 0 replaced by cheaper shapes), "
                + "2,475 pods evicted; $25.00/h → $19.75/h");
        Consolidation.Result one = new Consolidation.Result(List.of(), List.of(), 2, 2, 1.0, 1.0, 1, List.of(), List.of("c.json"), null, List.of());
        assertThat(ConsolidateReport.summary(one)).contains("), 1 pod evicted; ");
    }
}
