package io.nodesizer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sweep reads each run's JSON report as it is written and keeps it thin: the figures it takes from
 * the thin tree are those of the whole report, for every command, however the text is cut into writes.
 */
class ThinJsonWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String run(String args) {
        StringWriter out = new StringWriter();
        int code = io.nodesizer.cli.Main.run((args + " -o json --reproducible --quiet").split(" "), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertThat(code).as(args).isZero();
        return out.toString();
    }

    private static JsonNode thin(String text, int chunk) {
        ThinJsonWriter w = new ThinJsonWriter();
        for (int at = 0; at < text.length(); at += chunk) {
            w.write(text.toCharArray(), at, Math.min(chunk, text.length() - at));
        }
        return w.tree();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "pack --pods workloads/shop.csv --node aws:m5.large --strategy ffd",
        "recommend --pods workloads/shop.csv --catalog aws --families m6i,g6 --strategies ffd --max-pools 2",
        "replay --synthetic diurnal --node aws:m5.4xlarge --duration 2d",
        "windows --workload workloads/shop.csv --demand workloads/shop-demand.csv --node aws:m5.2xlarge",
        "rightsize --pods workloads/rightsize/shop.yaml --usage workloads/rightsize/usage.csv"})
    void theFiguresOfTheThinReportAreThoseOfTheWholeOne(String args) throws Exception {
        String text = run(args);
        JsonNode whole = JSON.readTree(text);
        for (int chunk : new int[]{7, 8192, text.length()}) {
            JsonNode thin = thin(text, chunk);
            assertThat(thin).as("%s in writes of %d", args, chunk).isNotNull();
            assertThat(SweepReport.digest(thin)).as("%s in writes of %d", args, chunk).isEqualTo(SweepReport.digest(whole));
            assertThat(thin.toString().length()).isLessThanOrEqualTo(whole.toString().length());
        }
    }

    @Test
    void theListsOfPodsLeftOutAndOfNodesBecomeTheirCounts() throws Exception {
        String text = run("pack --pods workloads/shop.csv --node aws:m5.large --strategy ffd");
        JsonNode whole = JSON.readTree(text);
        JsonNode thin = thin(text, 100);
        assertThat(whole.path("unschedulable").size()).isPositive();
        assertThat(thin.path("unschedulable").isNumber()).isTrue();
        assertThat(thin.path("unschedulable").asLong()).isEqualTo(whole.path("unschedulable").size());
        assertThat(thin.path("nodeLoads").asLong()).isEqualTo(whole.path("nodeLoads").size()).isPositive();
        assertThat(thin.path("shape")).isEqualTo(whole.path("shape"));
        assertThat(thin.path("lowerBounds")).isEqualTo(whole.path("lowerBounds"));
    }

    @Test
    void entriesThatSayHowManyPodsCountThatMany() {
        JsonNode thin = thin("{\"unschedulable\": [{\"group\": \"a\", \"pods\": 3}, {\"group\": \"b\", \"replicas\": 2}, {\"pod\": \"c\"}],"
                + " \"timeline\": [1, 2, 3, [4]], \"rest\": [1, {\"x\": [2]}]}", 3);
        assertThat(thin.path("unschedulable").asLong()).isEqualTo(6);
        assertThat(thin.path("timeline").asLong()).isEqualTo(4);
        assertThat(thin.path("rest").toString()).isEqualTo("[1,{\"x\":[2]}]");
    }

    @Test
    void aCharacterBeyondTheBasicPlaneCutBetweenWritesArrivesWhole() {
        String text = "{\"name\": \"\uD83D\uDE00 \u00e9\", \"unschedulable\": [{\"pod\": \"a\uD83D\uDE00\", \"reason\": \"r\"}]}";
        JsonNode thin = thin(text, 1);
        assertThat(thin.path("name").asText()).isEqualTo("\uD83D\uDE00 \u00e9");
        assertThat(thin.path("unschedulable").asLong()).isEqualTo(1);
    }

    @Test
    void whatFollowsTheFirstValueIsNotReadAsObjectMapperDoesNot() throws Exception {
        String text = "{\"command\": \"pack\", \"nodes\": 3}\n{ not read";
        assertThat(thin(text, 5)).isEqualTo(JSON.readTree(text));
        assertThat(thin("42", 1).asInt()).isEqualTo(42);
        // In one write, the first value and more than the encoder's buffer after it.
        String longTail = "{\"a\": 1}" + " ".repeat(40_000) + "x";
        assertThat(thin(longTail, longTail.length())).isEqualTo(JSON.readTree("{\"a\": 1}"));
    }

    @Test
    void whyTheOutputIsNotJsonAndOnWhichLine() {
        ThinJsonWriter w = new ThinJsonWriter();
        String text = "{\"a\": 1,\n \"b\": oops}";
        w.write(text.toCharArray(), 0, text.length());
        assertThat(w.tree()).isNull();
        assertThat(w.error()).isNotNull();
        assertThat(w.error().getLocation().getLineNr()).isEqualTo(2);
    }

    @Test
    void outputThatIsNotJsonHasNoTreeAndKeepsItsBeginning() {
        ThinJsonWriter w = new ThinJsonWriter();
        w.write("nodesizer pack: 5 pods\n".toCharArray(), 0, 23);
        assertThat(w.tree()).isNull();
        assertThat(w.head()).isEqualTo("nodesizer pack: 5 pods\n");
        ThinJsonWriter big = new ThinJsonWriter();
        char[] x = new char[ThinJsonWriter.KEPT + 10];
        java.util.Arrays.fill(x, 'x');
        big.write(x, 0, x.length);
        assertThat(big.head()).hasSize(ThinJsonWriter.KEPT + 1).endsWith("x…");
        ThinJsonWriter cut = new ThinJsonWriter();
        cut.write("{\"a\": [1, 2".toCharArray(), 0, 11);
        assertThat(cut.tree()).as("a report cut short").isNull();
    }
}
