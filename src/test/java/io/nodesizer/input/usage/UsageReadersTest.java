package io.nodesizer.input.usage;

import io.nodesizer.input.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class UsageReadersTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String matrix(String series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + series + "]}}";
    }

    private static final String WEB = "{\"metric\":{\"namespace\":\"shop\",\"pod\":\"web-abc12-xyz98\",\"container\":\"app\"},"
            + "\"values\":[[1700000000,\"0.25\"],[1700000300.5,\"1.5e-01\"],[1700000600,\"0\"]]}";

    @Test
    void aPrometheusMatrixBecomesOneSeriesPerPodAndContainerInMillicores() throws IOException {
        List<UsageSeries> got = new ArrayList<>();
        PrometheusMatrixReader.Result r = PrometheusMatrixReader.read(write("cpu.json", matrix(WEB
                + ",{\"metric\":{\"namespace\":\"shop\",\"pod\":\"web-abc12-xyz98\",\"container\":\"POD\"},\"values\":[[1700000000,\"1\"]]}"
                + ",{\"metric\":{\"namespace\":\"shop\",\"pod\":\"web-abc12-xyz98\",\"container\":\"\"},\"values\":[[1700000000,\"1\"]]}"
                // As Prometheus writes cAdvisor's pod-level cgroup: an empty label is no label (an error before, here)
                + ",{\"metric\":{\"namespace\":\"shop\",\"pod\":\"web-abc12-xyz98\",\"id\":\"/kubepods/burstable/pod1\"},"
                + "\"values\":[[1700000000,\"1\"]]}")),
                "cpu.json", UsageMetric.CPU, got::add);
        assertThat(r.series()).isEqualTo(1);
        assertThat(r.skipped()).isEqualTo(3);
        UsageSeries s = got.get(0);
        assertThat(s.namespace()).isEqualTo("shop");
        assertThat(s.pod()).isEqualTo("web-abc12-xyz98");
        assertThat(s.container()).isEqualTo("app");
        assertThat(s.samples().values()).containsExactly(250.0, 150.0, 0.0);
        assertThat(s.samples().firstSeconds()).isEqualTo(1700000000.0);
        assertThat(s.samples().lastSeconds()).isEqualTo(1700000600.0);
    }

    @Test
    void labelsMayFollowTheValues() throws IOException {
        List<UsageSeries> got = new ArrayList<>();
        PrometheusMatrixReader.read(write("m.json", matrix("{\"values\":[[1,\"1073741824\"]],\"metric\":{\"container\":\"c\",\"pod\":\"p\","
                + "\"namespace\":\"n\"}}")), "m.json", UsageMetric.MEMORY, got::add);
        assertThat(got.get(0).samples().max()).isEqualTo(1073741824.0);
    }

    /**
     * QA 37d finding 3: memory in MiB (as a dashboard exports it) or a CPU rate given as memory, read as bytes, cut every
     * request to the floor; no container's working set is under 1 MiB.
     */
    @Test
    void memoryThatCannotBeBytesIsRefused() throws IOException {
        Path mib = write("m.json", matrix("{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[1,\"1150\"],[2,\"1156\"]]},"
                + "{\"metric\":{\"namespace\":\"n\",\"pod\":\"q\",\"container\":\"c\"},\"values\":[[1,\"300\"]]}"));
        assertThatThrownBy(() -> PrometheusMatrixReader.read(mib, "m.json", UsageMetric.MEMORY, s -> { }))
                .isInstanceOf(InputException.class).hasMessageStartingWith("m.json:1:").hasMessageContaining("at most 1156")
                .hasMessageContaining("pod=p").hasMessageContaining("MiB");
        Path csv = write("u.csv", "timestamp,namespace,workload,container,cpu,memory\n1,shop,web,app,0.25,1153\n2,shop,web,app,0.25,1150\n");
        assertThatThrownBy(() -> UsageCsvReader.read(csv, "u.csv", s -> { })).isInstanceOf(InputException.class)
                .hasMessageStartingWith("u.csv:2").hasMessageContaining("at most 1153");
        // One container of a file may be small; the file's largest is what cannot be under 1 MiB.
        List<UsageSeries> got = new ArrayList<>();
        UsageCsvReader.read(write("ok.csv", "timestamp,namespace,workload,container,cpu,memory\n1,shop,web,app,,900Ki\n1,shop,db,app,,2Gi\n"),
                "ok.csv", got::add);
        assertThat(got).hasSize(2);
    }

    /** A series' own name says which metric it is: a CPU series in a memory file is the files given the wrong way round. */
    @Test
    void aSeriesNamedForTheOtherMetricIsRefused() throws IOException {
        Path p = write("m.json", matrix("{\"metric\":{\"__name__\":\"container_memory_working_set_bytes\",\"namespace\":\"n\",\"pod\":\"p\","
                + "\"container\":\"c\"},\"values\":[[1,\"1073741824\"]]}"));
        assertThatThrownBy(() -> PrometheusMatrixReader.read(p, "m.json", UsageMetric.CPU, s -> { })).isInstanceOf(InputException.class)
                .hasMessageContaining("container_memory_working_set_bytes, a memory metric, in a file given as --cpu-usage");
        assertThat(PrometheusMatrixReader.read(p, "m.json", UsageMetric.MEMORY, s -> { }).series()).isEqualTo(1);
    }

    /** cAdvisor before Kubernetes 1.16 named the labels pod_name and container_name (QA 37d finding 8). */
    @Test
    void cadvisorsOldLabelNamesAreRead() throws IOException {
        List<UsageSeries> got = new ArrayList<>();
        PrometheusMatrixReader.read(write("c.json", matrix("{\"metric\":{\"namespace\":\"n\",\"pod_name\":\"web-1\",\"container_name\":\"app\"},"
                + "\"values\":[[1,\"0.5\"]]},{\"metric\":{\"namespace\":\"n\",\"pod_name\":\"web-1\",\"container_name\":\"POD\"},"
                + "\"values\":[[1,\"0.5\"]]}")), "c.json", UsageMetric.CPU, got::add);
        assertThat(got).singleElement().satisfies(s -> {
            assertThat(s.pod()).isEqualTo("web-1");
            assertThat(s.container()).isEqualTo("app");
        });
    }

    /**
     * Prometheus: warnings are "errors that do not inhibit the request execution"; a Thanos store that did not answer is
     * one, and VictoriaMetrics says isPartial. Samples may be missing: the report must say so (QA 37d finding 7).
     */
    @Test
    void aResponsesWarningsAndPartialFlagComeBack() throws IOException {
        String series = "{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[1,\"0.5\"]]}";
        Path thanos = write("t.json", "{\"status\":\"success\",\"warnings\":[\"PromQL info: ignoring partial response from store a\"],"
                + "\"data\":{\"resultType\":\"matrix\",\"result\":[" + series + "]}}");
        assertThat(PrometheusMatrixReader.read(thanos, "t.json", UsageMetric.CPU, s -> { }).warnings()).singleElement().asString()
                .startsWith("t.json: the query's response carries a warning: PromQL info: ignoring partial response from store a.");
        Path vm = write("v.json", "{\"status\":\"success\",\"isPartial\":true,\"data\":{\"resultType\":\"matrix\",\"result\":["
                + series + "]}}");
        assertThat(PrometheusMatrixReader.read(vm, "v.json", UsageMetric.CPU, s -> { }).warnings()).singleElement().asString()
                .startsWith("v.json is a partial response (isPartial: true)");
        assertThat(PrometheusMatrixReader.read(write("w.json", matrix(series)), "w.json", UsageMetric.CPU, s -> { }).warnings()).isEmpty();
    }

    /** Unix milliseconds (an export converted on the way) read as the CSV reader reads them, not as 1,000 times the hours (QA 51c F1). */
    @Test
    void millisecondTimestampsAreReadAsMilliseconds() throws IOException {
        List<UsageSeries> seconds = new ArrayList<>();
        PrometheusMatrixReader.read(write("s.json", matrix(WEB)), "s.json", UsageMetric.CPU, seconds::add);
        List<UsageSeries> millis = new ArrayList<>();
        PrometheusMatrixReader.read(write("ms.json", matrix(WEB.replace("1700000000,", "1700000000000,").replace("1700000300.5,", "1700000300500,")
                .replace("1700000600,", "1700000600000,"))), "ms.json", UsageMetric.CPU, millis::add);
        assertThat(millis.get(0).samples().firstSeconds()).isEqualTo(seconds.get(0).samples().firstSeconds());
        assertThat(millis.get(0).samples().lastSeconds()).isEqualTo(seconds.get(0).samples().lastSeconds());
    }

    /** Memory usage with the page cache in it is read, with a warning that names the metric the requests should come from (QA 51c F5). */
    @Test
    void memoryUsageWithThePageCacheIsReadWithAWarning() throws IOException {
        String usage = "{\"metric\":{\"__name__\":\"container_memory_usage_bytes\",\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},"
                + "\"values\":[[1,\"1073741824\"],[2,\"1073741824\"]]}";
        List<UsageSeries> got = new ArrayList<>();
        assertThat(PrometheusMatrixReader.read(write("m.json", matrix(usage)), "m.json", UsageMetric.MEMORY, got::add).warnings())
                .singleElement().asString().startsWith("m.json: 1 series is container_memory_usage_bytes, which counts the page cache")
                .contains("container_memory_working_set_bytes");
        assertThat(got).hasSize(1);
        assertThat(PrometheusMatrixReader.read(write("w.json", matrix(usage.replace("container_memory_usage_bytes",
                "container_memory_working_set_bytes"))), "w.json", UsageMetric.MEMORY, s -> { }).warnings()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "status error|{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 5\"}|status 'error' (errorType bad_data): parse error at char 5",
        "vector|{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}|The result type is 'vector'",
        "NaN sample|MATRIX{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[1,\"NaN\"]]}|is NaN",
        "infinite sample|MATRIX{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[1,\"+Inf\"]]}|is +Inf",
        "negative sample|MATRIX{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[1,\"-0.5\"]]}|must not be negative",
        "out of order|MATRIX{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[2,\"1\"],[1,\"1\"]]}|out of order",
        "repeated time, other value|MATRIX{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[2,\"1\"],[2,\"2\"]]}|repeat 2 with another value (2 after 1)",
        "microseconds|MATRIX{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[1764547200000000,\"1\"]]}|(1764547200000000) reads as Unix microseconds",
        "no container label|MATRIX{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\"},\"values\":[[1,\"1\"]]}|no 'container' label",
        "raw counter|MATRIX{\"metric\":{\"__name__\":\"container_cpu_usage_seconds_total\",\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[1,\"1\"]]}|is the counter container_cpu_usage_seconds_total",
        "no pod label|MATRIX{\"metric\":{\"namespace\":\"n\",\"container\":\"c\"},\"values\":[[1,\"1\"]]}|no 'pod' label",
        "instant value|MATRIX{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"value\":[1,\"1\"]}|instant query",
        "not JSON|{\"status\" \"success\"}|not valid JSON",
        "cut short|{\"status\":|The file ends before its JSON does",
        "no status|{\"data\":{\"resultType\":\"matrix\",\"result\":[]}}|no \"status\"",
        "unknown unit|MATRIX{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[1,\"12 cores\"]]}|unknown unit",
    })
    void badPrometheusInputIsAClearError(String name, String json, String expected) throws IOException {
        String text = json.startsWith("MATRIX") ? matrix(json.substring(6)) : json;
        Path p = write("bad.json", text);
        assertThatThrownBy(() -> PrometheusMatrixReader.read(p, "bad.json", UsageMetric.CPU, s -> { }))
                .isInstanceOf(InputException.class).hasMessageStartingWith("bad.json").hasMessageContaining(expected);
    }

    /**
     * An export cut short (an interrupted download) says so wherever the cut falls: inside a timestamp, whose digits
     * read as a whole number smaller than the last, it had been blamed on the order of the samples (QA 51c F1).
     */
    @Test
    void anExportCutShortSaysTheFileEndsWhereverTheCutFalls() throws IOException {
        String whole = matrix(WEB + "," + WEB.replace("web-abc12-xyz98", "web-abc12-qqq11"));
        for (int cut = whole.indexOf("1700000000", whole.indexOf("qqq11")) + 3; cut < whole.length() - 1; cut++) {
            Path p = write("cut.json", whole.substring(0, cut));
            assertThatThrownBy(() -> PrometheusMatrixReader.read(p, "cut.json", UsageMetric.CPU, s -> { }))
                    .as("cut at %d", cut).isInstanceOf(InputException.class).hasMessageStartingWith("cut.json:")
                    .hasMessageContaining("The file ends before its JSON does").hasMessageContaining("cut short")
                    .hasMessageNotContaining("out of order");
        }
        // Jackson's own words about its source and settings stay out (QA 51c F15).
        Path p = write("cut.json", whole.substring(0, whole.length() - 5));
        assertThatThrownBy(() -> PrometheusMatrixReader.read(p, "cut.json", UsageMetric.CPU, s -> { }))
                .hasMessageNotContaining("Source").hasMessageNotContaining("REDACTED").hasMessageNotContaining("StreamReadFeature");
        // Samples out of order in a whole document are still that error.
        Path swapped = write("s.json", matrix(WEB.replace("1700000600", "1700000100")));
        assertThatThrownBy(() -> PrometheusMatrixReader.read(swapped, "s.json", UsageMetric.CPU, s -> { }))
                .hasMessageContaining("out of order");
    }

    @Test
    void errorsNameTheJsonPathAndTheSeries() throws IOException {
        Path p = write("bad.json", matrix(WEB + ",\n{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\n\"values\":[[1,\"1\"],[2,\"NaN\"]]}"));
        assertThatThrownBy(() -> PrometheusMatrixReader.read(p, "bad.json", UsageMetric.CPU, s -> { }))
                .isInstanceOf(InputException.class).hasMessageStartingWith("bad.json:3:")
                .hasMessageContaining("data.result[1].values[1][1]").hasMessageContaining("container=c");
    }

    /** Review 74 #1: microseconds and nanoseconds were read as milliseconds, a run from the year 56 million. */
    @Test
    void timesInMicrosecondsOrNanosecondsAreRefusedNamed() throws IOException {
        for (String[] c : new String[][]{{"1761955800000000", "microseconds"}, {"1761955800000000000", "nanoseconds"}}) {
            Path p = write("u.csv", "timestamp,namespace,workload,container,cpu,memory\n" + c[0] + ",shop,web,app,0.25,1Gi\n");
            assertThatThrownBy(() -> UsageCsvReader.read(p, "u.csv", s -> { })).isInstanceOf(InputException.class)
                    .hasMessageStartingWith("u.csv:2").hasMessageContaining("(" + c[0] + ") reads as Unix " + c[1])
                    .hasMessageContaining("Unix milliseconds such as 1764547200000");
        }
        // The last milliseconds taken: the year 5138.
        assertThat(UsageValues.timestamp("99999999999999", null, "time")).isEqualTo(99999999999.999);
    }

    @Test
    void theCsvTakesCoresQuantitiesAndTimesInEitherForm() throws IOException {
        List<UsageSeries> got = new ArrayList<>();
        int n = UsageCsvReader.read(write("u.csv", "timestamp,namespace,workload,container,cpu,memory\n"
                + "2025-11-01T00:00:00Z,shop,web,app,0.25,512Mi\n"
                + "1761955500,shop,web,app,250m,536870912\n"
                + "1761955800000,shop,web,app,250000000n,\n" // Unix milliseconds, as Grafana exports them
                + "1761955800,shop,cart,app,,1Gi\n"), "u.csv", got::add);
        assertThat(n).isEqualTo(3);
        UsageSeries cpu = got.get(0);
        assertThat(cpu.metric()).isEqualTo(UsageMetric.CPU);
        assertThat(cpu.workload()).isEqualTo("web");
        assertThat(cpu.pod()).isNull();
        assertThat(cpu.samples().values()).containsExactly(250.0, 250.0, 250.0);
        assertThat(cpu.samples().firstSeconds()).isEqualTo(1761955200.0);
        assertThat(cpu.samples().lastSeconds()).isEqualTo(1761955800.0);
        assertThat(got.get(1).samples().values()).containsExactly(536870912.0, 536870912.0);
        assertThat(got.get(2).workload()).isEqualTo("cart");
        assertThat(got.get(2).metric()).isEqualTo(UsageMetric.MEMORY);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown unit|1,shop,web,app,0.5,512MB|u.csv:3:6|unknown unit",
        "cpu in percent|1,shop,web,app,50%,1|u.csv:3:5|unknown unit",
        "negative|1,shop,web,app,-1,1|u.csv:3:5|must not be negative",
        "NaN|1,shop,web,app,NaN,1|u.csv:3:5|is NaN",
        "millicores without m|1,shop,web,app,25000000000,1|u.csv:3:5|implausibly large",
        "bytes as cpu|1,shop,web,app,188418403,1|u.csv:3:5|are the CPU and memory exports swapped (--cpu-usage, --memory-usage)?",
        "beyond a double|1,shop,web,app,1,1e400|u.csv:3:6|implausibly large",
        "bad time|yesterday,shop,web,app,1,1|u.csv:3:1|must be a time",
        "empty workload|1,shop,,app,1,1|u.csv:3:3|workload is empty",
        "no sample|1,shop,web,app,,|u.csv:3|neither a cpu nor a memory",
    })
    void badCsvInputIsAClearError(String name, String rows, String where, String expected) throws IOException {
        Path p = write("u.csv", "timestamp,namespace,workload,container,cpu,memory\n0,shop,other,app,1,1\n" + rows.replace("\\n", "\n") + "\n");
        assertThatThrownBy(() -> UsageCsvReader.read(p, "u.csv", s -> { }))
                .isInstanceOf(InputException.class).hasMessageStartingWith(where + ":").hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotEndWith("?.").doesNotEndWith("..")); // QA 74b F8: "…)?."
    }

    @Test
    void aCsvWithoutAPodColumnSaysWhenItPoolsSeveralPods() throws IOException {
        List<String> notes = new ArrayList<>();
        UsageCsvReader.read(write("u.csv", "timestamp,namespace,workload,container,cpu,memory\n"
                + "60,shop,web,app,0.1,\n60,shop,web,app,1,\n120,shop,web,app,0.1,\n120,shop,web,app,1,\n"
                + "60,shop,cart,app,0.2,\n120,shop,cart,app,0.2,\n"), "u.csv", s -> { }, notes::add);
        assertThat(notes).singleElement().asString().startsWith("u.csv has no pod column and several samples at one time for 1 container "
                + "(shop/web app)").contains("Add a pod column");
        notes.clear();
        UsageCsvReader.read(write("p.csv", "timestamp,namespace,workload,container,pod,cpu,memory\n"
                + "60,shop,web,app,web-a,0.1,\n60,shop,web,app,web-b,1,\n"), "p.csv", s -> { }, notes::add);
        assertThat(notes).isEmpty();
    }

    /**
     * QA 76a F4: without a pod column, a container's rows grouped by pod run through the window once per pod; refused as "two
     * exports concatenated" before, they are that container's pooled samples, whatever their order, with the pooling note.
     */
    @Test
    void aCsvWithoutAPodColumnMayGroupItsRowsByPod() throws IOException {
        List<UsageSeries> grouped = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        UsageCsvReader.read(write("g.csv", "timestamp,namespace,workload,container,cpu,memory\n"
                + "60,shop,web,app,0.1,\n120,shop,web,app,0.2,\n180,shop,web,app,0.3,\n"
                + "60,shop,web,app,1,\n120,shop,web,app,2,\n180,shop,web,app,3,\n"
                + "180,shop,web,app,6,\n120,shop,web,app,5,\n60,shop,web,app,4,\n"), "g.csv", grouped::add, notes::add);
        assertThat(grouped).singleElement().satisfies(s -> {
            assertThat(s.samples().count()).isEqualTo(9);
            assertThat(s.samples().firstSeconds()).isEqualTo(60.0);
            assertThat(s.samples().lastSeconds()).isEqualTo(180.0);
        });
        assertThat(notes).singleElement().asString().startsWith("g.csv has no pod column and several samples at one time for 1 container");
        // Rows that run back in time with no time twice: the note says so, not "several samples at one time" (review 76b #2).
        List<String> backNotes = new ArrayList<>();
        UsageCsvReader.read(write("b.csv", "timestamp,namespace,workload,container,cpu,memory\n"
                + "240,shop,web,app,0.1,\n300,shop,web,app,0.2,\n60,shop,web,app,1,\n120,shop,web,app,2,\n"), "b.csv", s -> { }, backNotes::add);
        assertThat(backNotes).singleElement().asString().startsWith("b.csv has no pod column and its rows run back in time for 1 container");
        // The same export twice runs back to the series' first sample, time and values: refused, not pooled (review 76b #2).
        String once = "60,shop,web,app,0.1,\n120,shop,web,app,0.2,\n180,shop,web,app,0.3,\n";
        Path twice = write("twice.csv", "timestamp,namespace,workload,container,cpu,memory\n" + once + once);
        assertThatThrownBy(() -> UsageCsvReader.read(twice, "twice.csv", s -> { })).isInstanceOf(InputException.class)
                .hasMessageStartingWith("twice.csv:5:1").hasMessageContaining("run back to its first sample (60, the same values)")
                .hasMessageContaining("two exports were concatenated");
        // With a pod column, a pod's rows that turn back in time are still refused.
        Path turned = write("t.csv", "timestamp,namespace,workload,pod,container,cpu,memory\n5,shop,web,w-1,app,1,\n4,shop,web,w-1,app,1,\n"
                + "6,shop,web,w-1,app,1,\n");
        assertThatThrownBy(() -> UsageCsvReader.read(turned, "t.csv", s -> { })).isInstanceOf(InputException.class)
                .hasMessageStartingWith("t.csv:4:1").hasMessageContaining("out of order").hasMessageContaining("within a pod");
    }

    /** QA 76a F8: a Prometheus sample repeated exactly (an HA pair's answers merged) counts once, with a warning, as in the CSV. */
    @Test
    void aPrometheusSampleRepeatedExactlyCountsOnce() throws IOException {
        List<UsageSeries> got = new ArrayList<>();
        PrometheusMatrixReader.Result r = PrometheusMatrixReader.read(write("d.json", matrix("{\"metric\":{\"namespace\":\"n\","
                + "\"pod\":\"p\",\"container\":\"c\"},\"values\":[[1,\"0.5\"],[2,\"0.25\"],[2,\"0.25\"],[3,\"1\"]]}")), "d.json",
                UsageMetric.CPU, got::add);
        assertThat(got.get(0).samples().values()).containsExactly(500.0, 250.0, 1000.0);
        assertThat(r.warnings()).singleElement().asString().startsWith("d.json repeats 1 sample exactly");
    }

    /**
     * QA 76a F2: the two readers decide a time's unit in one place: Prometheus times in microseconds were read as milliseconds
     * (1,000 times the hours, past --min-history) while the CSV refused them.
     */
    @Test
    void bothReadersTakeATimesUnitAlike() throws IOException {
        for (String time : new String[] {"1764547200", "1764547200000", "1764547200000000"}) {
            Path csv = write("t.csv", "timestamp,namespace,workload,pod,container,cpu,memory\n" + time + ",n,w,p,c,1,\n");
            Path json = write("t.json", matrix("{\"metric\":{\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[["
                    + time + ",\"1\"]]}"));
            List<Double> seen = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Runnable read : List.<Runnable>of(
                    () -> UsageCsvReader.read(csv, "t.csv", s -> seen.add(s.samples().firstSeconds())),
                    () -> PrometheusMatrixReader.read(json, "t.json", UsageMetric.CPU, s -> seen.add(s.samples().firstSeconds())))) {
                try {
                    read.run();
                } catch (InputException e) {
                    errors.add(e.getMessage());
                }
            }
            if (time.length() > 14) {
                assertThat(errors).hasSize(2).allMatch(m -> m.contains("reads as Unix microseconds"));
            } else {
                assertThat(errors).isEmpty();
                assertThat(seen).containsExactly(1764547200.0, 1764547200.0);
            }
        }
    }

    /** A file states the CPU unit with a quantity's suffix, or a recording rule's name of a CPU-seconds rate; plain numbers do not. */
    @Test
    void whetherAFileStatesItsCpuUnitIsKept() throws IOException {
        List<UsageSeries> got = new ArrayList<>();
        UsageCsvReader.read(write("u.csv", "timestamp,namespace,workload,container,cpu,memory\n1,shop,web,app,250m,\n2,shop,web,app,250m,\n"
                + "1,shop,cart,app,250m,\n2,shop,cart,app,0.25,\n"), "u.csv", got::add);
        assertThat(got).extracting(UsageSeries::unitStated).containsExactly(true, false);
        got.clear();
        String named = "{\"metric\":{\"__name__\":\"node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate\","
                + "\"namespace\":\"n\",\"pod\":\"p\",\"container\":\"c\"},\"values\":[[1,\"0.5\"]]}";
        PrometheusMatrixReader.read(write("c.json", matrix(named + "," + named.replace("\"__name__\":\"node_namespace_pod_container:"
                + "container_cpu_usage_seconds_total:sum_irate\",", "").replace("\"p\"", "\"q\""))), "c.json", UsageMetric.CPU, got::add);
        assertThat(got).extracting(UsageSeries::unitStated).containsExactly(true, false);
    }

    @Test
    void aCsvWithoutTheRequiredColumnsIsRefused() throws IOException {
        Path p = write("u.csv", "time,namespace,workload,container,cpu,memory\n1,a,b,c,1,1\n");
        assertThatThrownBy(() -> UsageCsvReader.read(p, "u.csv", s -> { })).isInstanceOf(InputException.class)
                .hasMessageContaining("no column 'timestamp'");
    }

    @Test
    void withAPodColumnEachPodIsItsOwnSeriesAndItsTimesMustIncrease() throws IOException {
        List<UsageSeries> got = new ArrayList<>();
        UsageCsvReader.read(write("u.csv", "timestamp,namespace,workload,pod,container,cpu,memory\n"
                + "1,shop,web,web-1,app,1,\n1,shop,web,web-2,app,2,\n2,shop,web,web-1,app,3,\n"), "u.csv", got::add);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).pod()).isEqualTo("web-1");
        assertThat(got.get(0).samples().values()).containsExactly(1000.0, 3000.0);
        Path dup = write("d.csv", "timestamp,namespace,workload,pod,container,cpu,memory\n1,shop,web,web-1,app,1,\n1,shop,web,web-1,app,2,\n");
        assertThatThrownBy(() -> UsageCsvReader.read(dup, "d.csv", s -> { })).hasMessageContaining("out of order");
        // Newest first is a series too (a dashboard's table), read in time order; a row repeated exactly counts once, with a note.
        List<UsageSeries> desc = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        UsageCsvReader.read(write("n.csv", "timestamp,namespace,workload,pod,container,cpu,memory\n"
                + "3,shop,web,web-1,app,3,\n2,shop,web,web-1,app,2,\n2,shop,web,web-1,app,2,\n1,shop,web,web-1,app,1,\n"), "n.csv", desc::add,
                notes::add);
        assertThat(desc.get(0).samples().values()).containsExactly(1000.0, 2000.0, 3000.0);
        assertThat(desc.get(0).samples().rises()).isEqualTo(2);
        assertThat(notes).singleElement().asString().contains("repeats 1 row exactly");
        // Without a pod column, replicas share timestamps.
        List<UsageSeries> pooled = new ArrayList<>();
        UsageCsvReader.read(write("p.csv", "timestamp,namespace,workload,container,cpu,memory\n1,shop,web,app,1,\n1,shop,web,app,2,\n"),
                "p.csv", pooled::add);
        assertThat(pooled.get(0).samples().count()).isEqualTo(2);
    }

    /** The same samples, as Prometheus JSON and as CSV in other spellings, give the same floats. */
    @Test
    void csvAndPrometheusFormsOfTheSameSamplesGiveTheSameValues() throws IOException {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder("timestamp,namespace,workload,pod,container,cpu,memory\n");
        StringBuilder cpu = new StringBuilder();
        StringBuilder mem = new StringBuilder();
        for (int pod = 0; pod < 3; pod++) {
            cpu.append(pod == 0 ? "" : ",").append("{\"metric\":{\"namespace\":\"ns\",\"pod\":\"p").append(pod).append("\",\"container\":\"c\"},\"values\":[");
            mem.append(pod == 0 ? "" : ",").append("{\"metric\":{\"namespace\":\"ns\",\"pod\":\"p").append(pod).append("\",\"container\":\"c\"},\"values\":[");
            for (int i = 0; i < 200; i++) {
                long t = 1_700_000_000L + 60L * i;
                long nanos = random.nextInt(3_000_000) * 1000L + random.nextInt(1000);
                String cores = new java.math.BigDecimal(nanos).movePointLeft(9).toPlainString();
                long bytes = random.nextLong(1L << 20, 8L << 30);
                cpu.append(i == 0 ? "" : ",").append('[').append(t).append(",\"").append(cores).append("\"]");
                mem.append(i == 0 ? "" : ",").append('[').append(t).append(",\"").append(bytes).append("\"]");
                String csvCpu = i % 3 == 0 ? nanos + "n" : i % 3 == 1 ? cores : new java.math.BigDecimal(nanos).movePointLeft(6).toPlainString() + "m";
                String csvMem = bytes % 1024 == 0 ? bytes / 1024 + "Ki" : Long.toString(bytes);
                csv.append(java.time.Instant.ofEpochSecond(t)).append(",ns,w,p").append(pod).append(",c,").append(csvCpu).append(',')
                        .append(csvMem).append('\n');
            }
            cpu.append("]}");
            mem.append("]}");
        }
        List<UsageSeries> fromCsv = new ArrayList<>();
        UsageCsvReader.read(write("u.csv", csv.toString()), "u.csv", fromCsv::add);
        List<UsageSeries> fromProm = new ArrayList<>();
        PrometheusMatrixReader.read(write("cpu.json", matrix(cpu.toString())), "cpu.json", UsageMetric.CPU, fromProm::add);
        PrometheusMatrixReader.read(write("mem.json", matrix(mem.toString())), "mem.json", UsageMetric.MEMORY, fromProm::add);
        for (UsageSeries p : fromProm) {
            UsageSeries c = fromCsv.stream().filter(s -> s.metric() == p.metric() && s.pod().equals(p.pod())).findFirst().orElseThrow();
            assertThat(c.samples().values()).containsExactly(p.samples().values());
            assertThat(c.samples().max()).isEqualTo(p.samples().max());
        }
    }
    /** A CSV row per (pod, sample) with CPU {@code value(pod, i)}, 5 minutes apart. */
    private static String usageCsv(int pods, int samples, java.util.function.BiFunction<Integer, Integer, Double> value) {
        StringBuilder b = new StringBuilder("timestamp,namespace,workload,pod,container,cpu,memory\n");
        for (int i = 0; i < samples; i++) {
            for (int p = 0; p < pods; p++) {
                b.append(1700000000 + 300 * i).append(",shop,web,web-abc12-p").append(p).append(",app,")
                        .append(String.format(java.util.Locale.ROOT, "%.4f", value.apply(p, i))).append(",104857600\n");
            }
        }
        return b.toString();
    }

    /**
     * CPU counters exported without rate() and without a name to say so (a CSV, a sum by that
     * dropped __name__) exit 2; rates that go up and down, and a short ramp in one series (not
     * enough to tell) do not; rising series small enough to be a load ramp are read with a warning.
     */
    @Test
    void cpuCountersWithoutANameAreToldFromRatesByTheirShape() throws IOException {
        // 0.2 cores for 300 s a sample: +60 CPU-seconds each time; pod 1 restarts at sample 6 (its counter starts over).
        Path counters = write("counters.csv", usageCsv(3, 12, (p, i) -> p == 1 && i >= 6 ? 60.0 * (i - 5) : 100_000 + 60.0 * i));
        assertThatThrownBy(() -> UsageCsvReader.read(counters, "counters.csv", s -> { }))
                .isInstanceOf(io.nodesizer.input.InputException.class)
                .hasMessageStartingWith("counters.csv:2: The CPU samples of 3 of the 3 series in counters.csv only rise")
                .hasMessageContaining("up to 100660 cores").hasMessageContaining("rate(container_cpu_usage_seconds_total");
        String json = matrix(IntStream.range(0, 3).mapToObj(p -> "{\"metric\":{\"namespace\":\"shop\",\"pod\":\"web-abc12-p" + p
                + "\",\"container\":\"app\"},\"values\":[" + IntStream.range(0, 10).mapToObj(i -> "[" + (1700000000 + 300 * i) + ",\""
                + (5000 + 60 * i) + "\"]").collect(java.util.stream.Collectors.joining(",")) + "]}").collect(java.util.stream.Collectors.joining(",")));
        assertThatThrownBy(() -> PrometheusMatrixReader.read(write("sum.json", json), "sum.json", UsageMetric.CPU, s -> { }))
                .isInstanceOf(io.nodesizer.input.InputException.class).hasMessageContaining("only rise, sample after sample");
        // Rates: up and down.
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        double[][] rates = new double[3][40];
        for (double[] row : rates) {
            for (int i = 0; i < row.length; i++) {
                row[i] = 0.05 + r.nextDouble() * 0.3;
            }
        }
        List<String> notes = new ArrayList<>();
        assertThat(UsageCsvReader.read(write("rates.csv", usageCsv(3, 40, (p, i) -> rates[p][i])), "rates.csv", s -> { }, notes::add))
                .isEqualTo(6);
        // One pod's load ramping over 10 samples: a counter's shape, but one short series does not tell.
        assertThat(UsageCsvReader.read(write("ramp.csv", usageCsv(1, 10, (p, i) -> 0.1 * (i + 1))), "ramp.csv", s -> { }, notes::add))
                .isEqualTo(2);
        assertThat(notes).isEmpty();
        // Three pods' loads ramping in step, or a counter over a short window: read, with a warning.
        assertThat(UsageCsvReader.read(write("ramps.csv", usageCsv(3, 10, (p, i) -> 0.1 * (i + 1))), "ramps.csv", s -> { }, notes::add))
                .isEqualTo(6);
        assertThat(notes).singleElement().asString().startsWith("The CPU samples of 3 of the 3 series in ramps.csv only rise")
                .contains("If they are container_cpu_usage_seconds_total without rate()");
        // Big containers' real rates ramping from 60 to 71 cores: below what any node has for one container, read with the warning.
        notes.clear();
        assertThat(UsageCsvReader.read(write("big.csv", usageCsv(3, 12, (p, i) -> 60.0 + i)), "big.csv", s -> { }, notes::add)).isEqualTo(6);
        assertThat(notes).singleElement().asString().contains("up to 71 cores");
        // One series 40 samples long that only rises, into CPU-seconds, is refused.
        Path longOne = write("long.csv", usageCsv(1, 40, (p, i) -> 10.0 + 3000 * i));
        assertThatThrownBy(() -> UsageCsvReader.read(longOne, "long.csv", s -> { })).hasMessageContaining("1 of the 1 series");
    }
}
