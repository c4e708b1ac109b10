package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 73b F6: windows plans the min and max of the windows given with --window or --schedule, taking their days and times;
 * a min= or max= given there that the plan changes is warned of, naming the value given, the value used and why (min=3
 * became 26 without a word).
 */
class WindowsGivenLimitsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SHOP = {"windows", "--workload", "workloads/shop.csv", "--demand", "workloads/shop-demand.csv", "--node",
        "aws:m5.2xlarge", "--pending-slo", "2m", "--quiet", "-o", "json"};

    private static JsonNode window(JsonNode plan, String days, String from) {
        for (JsonNode w : plan.get("windows")) {
            if (w.get("days").asText().equals(days) && w.get("from").asText().equals(from)) {
                return w;
            }
        }
        throw new AssertionError("no window " + days + " " + from + " in " + plan.get("windows"));
    }

    @Test
    void aReplacedMinAndMaxAreWarnedOfWithTheValuesUsed() throws Exception {
        CliRunner r = CliRunner.run(CliRunner.concat(SHOP, "--window", "Fri 07:00-09:00 min=3", "--window", "Fri 09:00-15:00 max=50",
                "--window", "Sat 10:00-11:00"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode plan = JSON.readTree(r.out());
        int morning = window(plan, "Fri", "07:00").get("min").asInt();
        assertThat(morning).isNotEqualTo(3);
        assertThat(window(plan, "Fri", "09:00").has("max")).isFalse();
        assertThat(r.err()).contains("nodesizer: warning: --window: in the window Fri 07:00-09:00 min=3, windows replaces min=3 by "
                + morning + ", the largest minimum the replays needed in its hours to hold the SLO (at least --min-nodes): it plans "
                + "every window's min and max, taking only the days and times given; replay --autoscaler scheduled --window "
                + "'Fri 07:00-09:00 min=3' replays your values as given");
        assertThat(r.err()).contains("--window: in the window Fri 09:00-15:00 max=50, windows replaces max=50 by none, so the group's "
                + "--max-nodes (5000) holds there (windows sets a max only with --headroom)");
        // A window given without limits has nothing replaced.
        assertThat(r.err()).doesNotContain("Sat 10:00-11:00");
    }

    @Test
    void aScheduleFilesLimitsAreWarnedOfAtTheirLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "windows:\n- {days: Fri, from: \"07:00\", to: \"09:00\", min: 3}\n");
        CliRunner r = CliRunner.run(CliRunner.concat(SHOP, "--schedule", file.toString()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        int used = window(JSON.readTree(r.out()), "Fri", "07:00").get("min").asInt();
        assertThat(r.err()).contains("s.yaml:2").contains("in the window Fri 07:00-09:00 min=3, windows replaces min=3 by " + used + ",");
    }

    /** A value the plan keeps is not replaced: no warning. */
    @Test
    void aValueThePlanKeepsIsNotWarnedOf() throws Exception {
        CliRunner first = CliRunner.run(CliRunner.concat(SHOP, "--window", "Fri 07:00-09:00"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        int used = window(JSON.readTree(first.out()), "Fri", "07:00").get("min").asInt();
        CliRunner same = CliRunner.run(CliRunner.concat(SHOP, "--window", "Fri 07:00-09:00 min=" + used));
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.err()).doesNotContain("windows replaces");
    }
}
