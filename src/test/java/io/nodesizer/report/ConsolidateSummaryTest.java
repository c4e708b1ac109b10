package io.nodesizer.report;

import io.nodesizer.consolidate.Consolidation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * QA 61a F9: two m6i.large of $0.096 of which one goes read "$0.19/h → $0.10/h, saving $0.10/h": before − after on the
     * page is the saving on it, with the decimals that takes, and the CSV's plan row writes its dollars as the page does.
     */
    @Test
    void beforeLessAfterAsWrittenIsTheSavingAsWritten() {
        Consolidation.Result r = new Consolidation.Result(List.of(), List.of(), 2, 1, 0.192, 0.096, 1, List.of(), List.of("c.json"), 0.02,
                List.of());
        assertThat(ConsolidateReport.summary(r)).endsWith("$0.192/h → $0.096/h, saving $0.096/h ($70.08/month, 50.0%)");
        assertThat(ConsolidateReport.render(ReportFormat.CSV, r)).contains("\"cost after $0.096/h; lower bound $0.02/h, gap 380.0 %\"");
        Random random = new Random(61);
        Pattern costs = Pattern.compile("\\$([0-9.,]+)/h → \\$([0-9.,]+)/h, saving \\$([0-9.,]+)/h");
        for (int i = 0; i < 1000; i++) {
            double before = Math.round(random.nextDouble() * 1e5) / 1e4;
            double after = Math.round(random.nextDouble() * before * 1e4) / 1e4;
            Matcher m = costs.matcher(ConsolidateReport.summary(new Consolidation.Result(List.of(), List.of(), 2, 1, before, after, 1, List.of(),
                    List.of("c.json"), null, List.of())));
            assertThat(m.find()).isTrue();
            BigDecimal shown = new BigDecimal(m.group(1).replace(",", "")).subtract(new BigDecimal(m.group(2).replace(",", "")));
            assertThat(shown).as("%s − %s", before, after).isEqualByComparingTo(new BigDecimal(m.group(3).replace(",", "")));
        }
    }

    /**
     * QA 73 F8: the same three m5.xlarge read "$0.576/h" in a plan that repacked them and "$0.58/h → $0.58/h" in one that kept
     * them, beside "0.4230" in the table and "$0.0390/h" in a note: every $/h of the report to four decimals, trailing zeros
     * dropped down to cents.
     */
    @Test
    void everyHourlyFigureFollowsOneRule() {
        Consolidation.Result kept = new Consolidation.Result(List.of(), List.of(), 3, 3, 0.576, 0.576, 0, List.of(), List.of("c.json"), 0.576,
                List.of());
        assertThat(ConsolidateReport.summary(kept)).endsWith("$0.576/h → $0.576/h, saving $0.00/h ($0.00/month, 0.0%)");
        assertThat(ConsolidateReport.bound(kept)).isEqualTo("lower bound $0.576/h, gap 0.0 %");
        assertThat(io.nodesizer.model.PerHour.format(0.423)).isEqualTo("0.423");
        assertThat(io.nodesizer.model.PerHour.format(0.0765)).isEqualTo("0.0765");
        assertThat(io.nodesizer.model.PerHour.format(0.5)).isEqualTo("0.50");
        assertThat(io.nodesizer.model.PerHour.format(1234.5)).isEqualTo("1,234.50");
        assertThat(io.nodesizer.model.PerHour.format(0.123456)).isEqualTo("0.1235");
    }
}
