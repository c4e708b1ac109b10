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

    /**
     * QA 76b F8: savings of 0.67837, 0.504 and 0.28517 were each rounded alone, 0.6784 + 0.504 + 0.2852 = 1.4676 under a headline
     * of $20.948/h → $19.4805/h, saving $1.4675/h. Rounded once over the plan (largest remainder), the column adds up to the
     * headline in the table, the CSV and JSON; a 0.0001 goes to the first of the two equal remainders.
     */
    @Test
    void thePerActionSavingsAddUpToTheHeadline() throws Exception {
        List<Consolidation.Action> actions = new java.util.ArrayList<>();
        double[] savings = {0.67837, 0.504, 0.28517};
        for (int i = 0; i < savings.length; i++) {
            actions.add(new Consolidation.Action(Consolidation.Kind.REMOVE, "n" + i, "x8i.large", savings[i], null, 1, java.util.Map.of("m", 1),
                    savings[i], List.of(), List.of(), java.util.Map.of("shop/p" + i, "m")));
        }
        Consolidation.Result r = new Consolidation.Result(actions, List.of(), 40, 37, 20.948, 20.948 - 1.46754, 3, List.of(),
                List.of("c.json"), null, List.of());
        assertThat(ConsolidateReport.summary(r)).contains("$20.948/h → $19.4805/h, saving $1.4675/h");
        assertThat(ConsolidateReport.shownSavings(r)).containsExactly(0.6784, 0.504, 0.2851);
        String csv = ConsolidateReport.render(ReportFormat.CSV, r);
        assertThat(csv).contains("n0,x8i.large,remove,,1,0.6784,").contains("n1,x8i.large,remove,,1,0.504,")
                .contains("n2,x8i.large,remove,,1,0.2851,").contains("(all workers),,plan,,3,1.4675,");
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(ConsolidateReport.render(ReportFormat.JSON, r));
        BigDecimal sum = BigDecimal.ZERO;
        for (com.fasterxml.jackson.databind.JsonNode a : json.get("actions")) {
            sum = sum.add(a.get("savingPerHour").decimalValue());
        }
        assertThat(sum).isEqualByComparingTo(json.get("savingPerHour").decimalValue());
        assertThat(ConsolidateReport.render(ReportFormat.TABLE, r)).contains("0.2851").doesNotContain("0.2852");
        // A price unknown: each row alone, as there is no headline to add up to.
        Consolidation.Result unpriced = new Consolidation.Result(actions, List.of(), 40, 37, null, null, 3, List.of(), List.of("c.json"),
                null, List.of());
        assertThat(ConsolidateReport.shownSavings(unpriced)).containsExactly(0.6784, 0.504, 0.2852);
    }

    /**
     * QA 76b F7: with a node unpriced, text and Markdown said "lower bound unknown, as the cost after is: …" under the headline
     * and HTML said nothing of the bound. Every format says it; a known bound likewise.
     */
    @Test
    void everyFormatSaysTheBoundOrThatItIsUnknown() {
        Consolidation.Result unknown = new Consolidation.Result(List.of(), List.of(), 3, 3, null, null, 0, List.of(), List.of("c.json"), null,
                List.of());
        Consolidation.Result known = new Consolidation.Result(List.of(), List.of(), 2, 1, 0.192, 0.096, 1, List.of(), List.of("c.json"), 0.02,
                List.of());
        for (ReportFormat f : List.of(ReportFormat.TABLE, ReportFormat.MARKDOWN, ReportFormat.HTML)) {
            assertThat(ConsolidateReport.render(f, unknown)).as(f.name())
                    .contains("lower bound unknown, as the cost after is: a node has no price (the notes name it)");
            assertThat(ConsolidateReport.render(f, known)).as(f.name()).contains("lower bound $0.02/h, gap 380.0 %");
        }
    }
}
