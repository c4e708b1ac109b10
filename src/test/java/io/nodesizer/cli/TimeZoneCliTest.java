package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.nodesizer.cli.CliRunner.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * --time-zone: windows, schedules, the synthetic day, times without an offset and the exports are local times of
 * the zone, daylight saving included.
 */
class TimeZoneCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WINDOWS = {"windows", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node",
        "aws:m5.2xlarge", "--pending-slo", "2m", "--min-nodes", "1", "--max-nodes", "40", "--quiet", "--reproducible"};

    private static CliRunner ok(String[] base, String... extra) {
        List<String> args = new ArrayList<>(List.of(base));
        args.addAll(List.of(extra));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    /**
     * A zone without daylight saving shifts every time of the run by its offset (the default start is its Monday
     * 00:00, the synthetic peak its 14:00), so the plan in its local times is the UTC plan exactly.
     */
    @Test
    void aFixedOffsetZoneGivesTheUtcPlanInItsLocalTimes() throws Exception {
        ObjectNode utc = (ObjectNode) JSON.readTree(ok(WINDOWS, "-o", "json").out());
        ObjectNode kolkata = (ObjectNode) JSON.readTree(ok(WINDOWS, "-o", "json", "--time-zone", "Asia/Kolkata").out());
        assertThat(utc.get("timeZone").asText()).isEqualTo("UTC");
        assertThat(kolkata.get("timeZone").asText()).isEqualTo("Asia/Kolkata");
        assertThat(kolkata.get("inputs").asText()).contains("peak 14:00 Asia/Kolkata");
        assertThat(utc.get("windows")).isNotEmpty();
        // The start is the same local Monday 00:00, a different instant (written as UTC).
        assertThat(utc.get("start").asText()).isEqualTo("2026-01-05T00:00:00Z");
        assertThat(kolkata.get("start").asText()).isEqualTo("2026-01-04T18:30:00Z");
        for (ObjectNode o : List.of(utc, kolkata)) {
            o.remove(List.of("timeZone", "inputs", "start"));
        }
        assertThat(kolkata).isEqualTo(utc);
    }

    /** What windows writes replays to its own figures, across a daylight-saving change, in the same zone only. */
    @Test
    void aScheduleFileCarriesItsZoneAndReplaysToThePlan(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        String[] span = {"--time-zone", "America/New_York", "--start", "2026-03-02", "--duration", "14d"};
        List<String> args = new ArrayList<>(List.of(span));
        args.addAll(List.of("-o", "json", "--schedule-out", file.toString()));
        JsonNode plan = JSON.readTree(ok(WINDOWS, args.toArray(String[]::new)).out());
        String yaml = Files.readString(file);
        assertThat(yaml).contains("--time-zone America/New_York").contains("timeZone: \"America/New_York\"");
        double planned = 0;
        for (JsonNode a : plan.get("alternatives")) {
            if (a.get("name").asText().equals("scheduled+ca")) {
                planned = a.get("costTotal").asDouble();
            }
        }
        assertThat(planned).isPositive();
        String[] replay = {"replay", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "aws:m5.2xlarge",
            "--autoscaler", "scheduled", "--schedule", file.toString(), "--min-nodes", "1", "--max-nodes", "40", "--quiet", "--reproducible",
            "-o", "json", "--start", "2026-03-02", "--duration", "14d"};
        CliRunner wrongZone = CliRunner.run(replay);
        assertThat(wrongZone.exitCode()).isEqualTo(2);
        assertThat(wrongZone.err()).contains("s.yaml:").contains("The schedule's windows are times of America/New_York, and this run's "
                + "are of UTC (no --time-zone); give --time-zone America/New_York");
        JsonNode replayed = JSON.readTree(ok(replay, "--time-zone", "America/New_York").out());
        assertThat(replayed.get("costTotal").asDouble()).isEqualTo(planned);
    }

    /** A schedule planned in UTC says so: replayed under another --time-zone its windows would move by the zones' difference (QA 70a F7). */
    @Test
    void aSchedulePlannedInUtcIsRefusedInAnotherZone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("u.yaml");
        ok(WINDOWS, "--duration", "2d", "-o", "json", "--schedule-out", file.toString());
        assertThat(Files.readString(file)).contains("timeZone: \"UTC\"");
        String[] replay = {"replay", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "aws:m5.2xlarge",
            "--autoscaler", "scheduled", "--schedule", file.toString(), "--min-nodes", "1", "--max-nodes", "40", "--quiet",
            "-o", "json", "--duration", "2d"};
        CliRunner elsewhere = CliRunner.run(java.util.stream.Stream.concat(java.util.Arrays.stream(replay),
                java.util.stream.Stream.of("--time-zone", "America/Los_Angeles")).toArray(String[]::new));
        assertThat(elsewhere.exitCode()).isEqualTo(2);
        assertThat(elsewhere.err()).contains("u.yaml:").contains("The schedule's windows are times of UTC, and this run's are of "
                + "America/Los_Angeles (--time-zone); give --time-zone UTC, or the windows in America/Los_Angeles.");
        ok(replay); // and read as planned without one
        ok(replay, "--time-zone", "UTC"); // the zone the error names (QA 73b F8: it named "Z")
    }

    /**
     * replay's HTML charts label their time as windows' do: local weekday and time of --time-zone (UTC without it) from
     * the start, with New York's spring change (2026-03-08 07:00 UTC, 6d2h after the start) moving the later labels by an hour.
     */
    @Test
    void replayChartsAreInTheZonesLocalTime() throws Exception {
        String[] replay = {"replay", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "aws:m5.2xlarge",
            "--start", "2026-03-02", "--duration", "7d", "-o", "html", "--quiet", "--reproducible"};
        for (String chart : List.of("nodes", "cpu", "memory")) {
            JsonNode x = chartAxis(ok(replay, "--time-zone", "America/New_York").out(), chart);
            assertThat(x.get("title").get("text").asText()).isEqualTo("time (America/New_York)");
            assertThat(x.get("nsFormat").asText()).isEqualTo("weektime");
            assertThat(x.get("nsOffset").asLong()).isZero(); // Monday 00:00 local
            assertThat(x.get("nsMonday").asLong()).isEqualTo(java.time.LocalDate.parse("2026-03-02").toEpochDay());
            assertThat(x.get("nsShifts").toString()).isEqualTo("[{\"at\":" + (6 * 86400 + 2 * 3600) + ",\"delta\":3600}]");
        }
        // The heading gives the start in the zone's local time too, as the charts read it; in UTC only the instant.
        String[] text = {"replay", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "aws:m5.2xlarge",
            "--start", "2026-03-02", "--duration", "1d", "--quiet", "--reproducible"};
        assertThat(ok(text, "--time-zone", "America/New_York").out())
                .startsWith("nodesizer replay: 289 pods over 1d from 2026-03-02T05:00:00Z (Mon 2026-03-02 00:00 America/New_York)\n");
        assertThat(ok(text).out()).startsWith("nodesizer replay: 289 pods over 1d from 2026-03-02T00:00:00Z\n");
        JsonNode utc = chartAxis(ok(replay).out(), "nodes");
        assertThat(utc.get("title").get("text").asText()).isEqualTo("time (UTC)");
        assertThat(utc.get("nsOffset").asLong()).isZero();
        assertThat(utc.has("nsShifts")).isFalse();
    }

    /** The x axis of chart {@code id} in an HTML report, as its configuration writes it. */
    private static JsonNode chartAxis(String html, String id) throws Exception {
        String open = "<script type=\"application/json\" id=\"chart-" + id + "-config\">";
        int from = html.indexOf(open);
        assertThat(from).as("chart " + id).isNotNegative();
        from += open.length();
        return JSON.readTree(html.substring(from, html.indexOf("</script>", from))).at("/options/scales/x");
    }

    @Test
    void exportsNameTheZoneAsIanaDoes() throws Exception {
        String[] span = {"--time-zone", "Europe/Berlin", "--export-target", "ng"};
        JsonNode asg = JSON.readTree(ok(WINDOWS, concat(span, "--export", "aws-asg")).out());
        assertThat(asg.at("/ScheduledUpdateGroupActions/0/TimeZone").asText()).isEqualTo("Europe/Berlin");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode job = yaml.readerFor(JsonNode.class).<JsonNode>readValues(ok(WINDOWS, concat(span, "--export", "cronjob")).out()).readAll()
                .get(1); // after the ServiceAccount
        assertThat(job.at("/spec/timeZone").asText()).isEqualTo("Europe/Berlin");
        List<JsonNode> keda = yaml.readerFor(JsonNode.class).<JsonNode>readValues(
                ok(WINDOWS, "--time-zone", "Europe/Berlin", "--export", "keda-cron").out()).readAll();
        assertThat(keda.get(2).at("/spec/triggers/0/metadata/timezone").asText()).isEqualTo("Europe/Berlin");
        // UTC stays as it was written.
        JsonNode utc = JSON.readTree(ok(WINDOWS, "--export", "aws-asg", "--export-target", "ng").out());
        assertThat(utc.at("/ScheduledUpdateGroupActions/0/TimeZone").asText()).isEqualTo("Etc/UTC");
    }

    @Test
    void timesWithoutAnOffsetAreLocal() throws Exception {
        String[] replay = {"replay", "--workload", "workloads/shop.csv", "--node", "aws:m5.2xlarge", "--duration", "1h", "-o", "json",
            "--quiet", "--reproducible", "--start", "2026-07-06T09:00"};
        assertThat(JSON.readTree(ok(replay).out()).get("start").asText()).isEqualTo("2026-07-06T09:00:00Z");
        assertThat(JSON.readTree(ok(replay, "--time-zone", "Europe/Berlin").out()).get("start").asText()).isEqualTo("2026-07-06T07:00:00Z");
    }

    @Test
    void whatCannotBeHonouredExits2() {
        CliRunner unknown = CliRunner.run(concat(WINDOWS, "--time-zone", "Mars/Base"));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--time-zone: The time zone (Mars/Base) must be an IANA time zone");
        String[] azure = {"windows", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "azure:Standard_D8s_v5",
            "--pending-slo", "2m", "--min-nodes", "1", "--max-nodes", "40", "--quiet", "--time-zone", "Europe/Berlin", "--export",
            "azure-vmss"};
        // Azure's profiles name Windows zones: an IANA zone is given as CLDR maps it; a fixed offset has none.
        String[] fixed = azure.clone();
        fixed[fixed.length - 3] = "+05:30";
        CliRunner vmss = CliRunner.run(fixed);
        assertThat(vmss.exitCode()).isEqualTo(2);
        assertThat(vmss.err()).contains("--time-zone: --export azure-vmss writes Azure Monitor autoscale profiles, which name Windows time zones")
                .contains("the Unicode CLDR maps +05:30 to none");
        assertThat(vmss.out()).isEmpty();
    }

    /**
     * The CronJob, AWS and KEDA exports name the zone for the tz database (QA 74b F1: +05:30 was written as such, and the API
     * server, AWS and KEDA refuse it): a whole-hour offset is its Etc/GMT zone, sign reversed; another offset exits 2.
     */
    @Test
    void offsetZonesAreExportedAsTheirEtcNameOrRefused() throws Exception {
        for (String format : List.of("cronjob", "aws-asg", "keda-cron")) {
            CliRunner half = CliRunner.run(concat(WINDOWS, "--time-zone", "+05:30", "--export", format, "--export-target", "ng"));
            assertThat(half.exitCode()).as(format).isEqualTo(2);
            assertThat(half.err()).contains("--time-zone: --export " + format + " names the plan's zone in ")
                    .contains("(+05:00 is Etc/GMT-5); +05:30 is neither. Give an IANA zone").doesNotContain("Exception");
            assertThat(half.out()).isEmpty();
        }
        var yaml = new ObjectMapper(new YAMLFactory());
        String cron = ok(WINDOWS, "--time-zone", "+05:00", "--export", "cronjob", "--export-target", "ng").out();
        List<String> zones = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(cron)) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d.at("/kind").asText().equals("CronJob")) {
                    zones.add(d.at("/spec/timeZone").asText());
                }
            });
        }
        assertThat(zones).isNotEmpty().containsOnly("Etc/GMT-5");
        JsonNode west = JSON.readTree(ok(WINDOWS, "--time-zone", "-03:00", "--export", "aws-asg", "--export-target", "ng").out());
        assertThat(west.at("/ScheduledUpdateGroupActions/0/TimeZone").asText()).isEqualTo("Etc/GMT+3");
        // The same plan: UTC-3 as an offset and as its tz name give the same actions.
        assertThat(west).isEqualTo(JSON.readTree(ok(WINDOWS, "--time-zone", "Etc/GMT+3", "--export", "aws-asg", "--export-target", "ng").out()));
    }

    /** The names the tz database has: IANA IDs as given, whole-hour offsets from UTC+14 to UTC-12 as Etc/GMT∓N. */
    @Test
    void ianaNamesOfZones() {
        java.util.function.Function<String, String> of = z -> io.nodesizer.replay.autoscale.WeekClock.of(java.time.ZoneId.of(z))
                .ianaName();
        List<String> given = List.of("Europe/Berlin", "UTC", "+00:00", "+14:00", "-12:00", "UTC+05:00");
        assertThat(given.stream().map(of).toList())
                .containsExactly("Europe/Berlin", "Etc/UTC", "Etc/UTC", "Etc/GMT-14", "Etc/GMT+12", "Etc/GMT-5");
        // No tz database zone has a half-hour offset, or one beyond UTC-12.
        assertThat(java.util.stream.Stream.of("+05:30", "-13:00").map(of)).containsOnlyNulls();
    }

    /** The HTML's bands are scheduled+ca's windows, whichever alternative is recommended (QA 74b F10: "the recommended schedule's"). */
    @Test
    void theHtmlBandsNameTheScheduleTheyShow() {
        String html = ok(WINDOWS, "-o", "html").out();
        assertThat(html).contains("Shaded bands: the windows of scheduled+ca's schedule (UTC) with their node limits.")
                .doesNotContain("recommended schedule");
    }

    /** azure-vmss in a zone: each profile's recurrence names its Windows zone, and its hours are the windows' local ones. */
    @Test
    void azureProfilesNameTheWindowsZone() throws Exception {
        String[] azure = {"windows", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "azure:Standard_D8s_v5",
            "--pending-slo", "2m", "--min-nodes", "1", "--max-nodes", "40", "--quiet", "--reproducible", "--time-zone", "Europe/Berlin",
            "--window", "Mon-Fri 08:00-18:00 min=0", "--export", "azure-vmss"};
        JsonNode profiles = JSON.readTree(ok(azure).out()).get("profiles");
        assertThat(profiles).hasSize(10);
        for (JsonNode p : profiles) {
            JsonNode schedule = p.at("/recurrence/schedule");
            assertThat(schedule.get("timeZone").asText()).isEqualTo("W. Europe Standard Time");
            assertThat(schedule.get("hours").get(0).asInt()).isIn(8, 18);
            assertThat(schedule.get("minutes").get(0).asInt()).isZero();
        }
    }

    /**
     * A planned window whose lead starts in the hour the spring change skips starts late that day, or not at all: the report
     * says so (QA 59a F3: Sun 02:50-04:00 in Europe/Berlin for a spike at 03:00 CEST on 2026-03-29, replayed as if unplanned).
     */
    @Test
    void aWindowStartingInTheSpringGapIsNoted(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("p.csv");
        Files.writeString(profile, "name,cpu,memory,replicas\nweb,500m,1Gi,4\nbatch,2,4Gi,1\n");
        Path demand = dir.resolve("d.csv");
        // A spike at 03:00 CEST, then a larger one at 04:00: the window for the first starts in the gap and does not run that
        // day; the second's helps its pods. (With the first spike alone no window lessened a slow pod, and none is planned.)
        Files.writeString(demand, "time,workload,replicas\n2026-03-23T00:00Z,web,4\n2026-03-23T00:00Z,batch,0\n2026-03-29T01:00Z,batch,30\n"
                + "2026-03-29T02:00Z,batch,60\n2026-03-29T03:00Z,batch,0\n2026-03-29T23:00Z,batch,0\n");
        CliRunner r = CliRunner.run("windows", "--workload", profile.toString(), "--demand", demand.toString(), "--node", "aws:m5.2xlarge",
                "--pending-slo", "2m", "--time-zone", "Europe/Berlin", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("note: the window Sun 02:50-03:50 starts at 02:50, which Europe/Berlin skips on 2026-03-29 (the clocks "
                + "move forward at 02:00): it does not run that day (it ends before its shifted start)");
        // In UTC no time is skipped: no such note.
        CliRunner utc = CliRunner.run("windows", "--workload", profile.toString(), "--demand", demand.toString(), "--node", "aws:m5.2xlarge",
                "--pending-slo", "2m", "--quiet");
        assertThat(utc.out()).doesNotContain("skips (the clocks");
    }

    /**
     * An export whose change the spring change skips, or two of whose changes the autumn change repeats, does not do what the
     * replay did (robfig/cron v3 skips a time in the gap and fires a repeated one twice): a warning says so (QA 74b F2).
     */
    @Test
    void exportsWarnWhereCronDoesNotFollowThePlanOverAChange() {
        CliRunner r = CliRunner.run("windows", "--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--node", "aws:m5.2xlarge",
                "--min-nodes", "2", "--max-nodes", "60", "--time-zone", "Europe/Berlin", "--start", "2026-03-23", "--duration", "7d",
                "--surge", "3x@2026-03-29T03:30/3h", "--window", "Sun 02:30-06:30", "--export", "cronjob", "--export-target", "g",
                "--quiet", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: the change at Sun 02:30 (min ").contains("falls in the hour Europe/Berlin skips on "
                + "2026-03-29; the plan applied it at 03:30, but the CronJob controller, which computes schedules with robfig/cron v3, "
                + "skips a time in the gap");
        var clock = io.nodesizer.replay.autoscale.WeekClock.of(java.time.ZoneId.of("Europe/Berlin"));
        var cron = io.nodesizer.report.ScheduleExport.Format.CRONJOB;
        var keda = io.nodesizer.report.ScheduleExport.Format.KEDA_CRON;
        java.time.Instant autumn = java.time.Instant.parse("2026-10-18T22:00:00Z"); // Mon 2026-10-19 00:00 CEST
        var two = List.of(new io.nodesizer.report.ScheduleExport.Change(6, 120, 5, 9), new io.nodesizer.report.ScheduleExport.Change(6, 150, 2, 9));
        assertThat(io.nodesizer.report.ScheduleExport.daylightSavingWarnings(cron, two, clock, autumn, 7 * 86400)).singleElement()
                .asString().startsWith("the changes at 02:00, 02:30 on 2026-10-25 fall in the hour Europe/Berlin repeats")
                .contains("runs each again at its second occurrence");
        // One change in the repeated hour runs twice with the same limits: the same for a CronJob, not for KEDA's start or end.
        var one = List.of(two.get(0), new io.nodesizer.report.ScheduleExport.Change(6, 300, 2, 9));
        assertThat(io.nodesizer.report.ScheduleExport.daylightSavingWarnings(cron, one, clock, autumn, 7 * 86400)).isEmpty();
        assertThat(io.nodesizer.report.ScheduleExport.daylightSavingWarnings(keda, one, clock, autumn, 7 * 86400)).hasSize(1);
        // A week without a change: nothing.
        assertThat(io.nodesizer.report.ScheduleExport.daylightSavingWarnings(cron, two, clock, java.time.Instant.parse("2026-10-25T23:00:00Z"), 6 * 86400)).isEmpty();
    }

    /** The gap note's edges (review 59): a start at the gap's first minute is on time; a window wholly in the gap does not run. */
    @Test
    void theGapNoteKnowsItsEdges() {
        var clock = io.nodesizer.replay.autoscale.WeekClock.of(java.time.ZoneId.of("Europe/Berlin"));
        java.time.Instant monday = java.time.Instant.parse("2026-03-22T23:00:00Z"); // Mon 2026-03-23 00:00 CET
        int sunday = 1 << 6;
        var s = new io.nodesizer.replay.autoscale.Schedule(List.of(new io.nodesizer.replay.autoscale.Schedule.Window(sunday, 120, 240, 3, null),
                new io.nodesizer.replay.autoscale.Schedule.Window(sunday, 130, 170, 3, null),
                new io.nodesizer.replay.autoscale.Schedule.Window(sunday, 150, 240, 3, null)));
        List<String> notes = WindowsCommand.skippedStarts(s, clock, monday, 7 * 86400);
        assertThat(notes).hasSize(2);
        assertThat(notes.get(0)).startsWith("the window Sun 02:10-02:50 starts at 02:10").endsWith("it does not run that day (it ends before its "
                + "shifted start)");
        assertThat(notes.get(1)).startsWith("the window Sun 02:30-04:00").contains("takes effect at 03:30, 30 min after the change");
        assertThat(WindowsCommand.skippedStarts(s, io.nodesizer.replay.autoscale.WeekClock.UTC, monday, 7 * 86400)).isEmpty();
    }
}
