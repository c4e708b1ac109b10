package io.nodesizer.input.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus HTTP API {@code query_range} response ({@code /api/v1/query_range}): {@code
 * {"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {labels},
 * "values": [[unixSeconds, "value"], …]}, …]}}}. Read as a stream, one series at a time: a series'
 * samples go to the sink as soon as its object closes, so a month of samples for ten thousand
 * containers never sits in memory at once.
 *
 * <p>Each series needs the labels {@code namespace}, {@code pod} and {@code container}. Series with
 * {@code container=""} (or no container label, as Prometheus writes an empty one) or {@code container="POD"} are
 * cAdvisor's pod-level cgroup and pause container; they would count a pod twice and are skipped (counted in
 * {@link Result#skipped()}), unless the file has no series per container at all (an error). A CPU series that is
 * still the counter ({@code __name__} ending in {@code _total}: rate() drops the name) is an error, as is a series
 * whose name says it is the other metric, and a memory file whose largest sample is under 1 MiB (not bytes). cAdvisor's
 * label names before Kubernetes 1.16 ({@code pod_name}, {@code container_name}) are read where the new ones are
 * absent. The response's {@code warnings} and {@code infos} (a Thanos store that did not answer) and VictoriaMetrics'
 * {@code isPartial} come back in {@link Result#warnings()}.
 * Errors: {@code status: error} (with Prometheus' errorType and message), a result that is not a
 * {@code matrix}, a missing label, a NaN, infinite or negative sample, timestamps that do not
 * increase within a series: each with the JSON path, the line and column, and the series' labels.
 */
public final class PrometheusMatrixReader {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private PrometheusMatrixReader() {
    }

    /**
     * @param series   series handed to the sink
     * @param skipped  pod-level series ({@code container=""} or {@code "POD"}) left out
     * @param histogramOnly series that carried native histograms and no float samples, left out
     */
    public record Result(int series, int skipped, int histogramOnly, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }

        public Result(int series, int skipped, int histogramOnly) {
            this(series, skipped, histogramOnly, List.of());
        }
    }

    /** cAdvisor's memory usage with the page cache in it: not the working set that --memory-usage asks for. */
    static final String PAGE_CACHE_METRIC = "container_memory_usage_bytes";

    public static Result read(Path given, String displayName, UsageMetric metric, UsageSink sink) {
        // A pipe (--cpu-usage <(curl …)): its copy, read once per run (rightsize may read the usage twice).
        Path file = io.nodesizer.input.RunInputs.file(given, displayName);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, Files.size(file), displayName, metric, sink);
        } catch (IOException e) {
            throw io.nodesizer.input.Unreadable.file(displayName, e);
        }
    }

    public static Result read(InputStream in, String file, UsageMetric metric, UsageSink sink) {
        return read(in, -1, file, metric, sink);
    }

    /** @param size the stream's length in bytes, or -1 when not known: an error at its very end is a file cut short */
    private static Result read(InputStream in, long size, String file, UsageMetric metric, UsageSink sink) {
        try (JsonParser p = JSON.createParser(in)) {
            try {
                return new Reading(p, file, metric, sink).document();
            } catch (InputException e) {
                // A file cut short mid-number (an interrupted download) ends in a token that reads as whole, and the
                // sample checks would blame it ("out of order"): a document that does not close is the error to name
                // (QA 51c F1). Only on this path is the rest read, token by token, to its end.
                while (p.nextToken() != null) {
                    p.skipChildren();
                }
                throw e;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String m = io.nodesizer.input.JacksonMessages.plain(e.getOriginalMessage());
            // Cut inside a number ("1700000300.") Jackson finds a malformed number, not the end: at the last byte it is the end.
            boolean cut = e instanceof com.fasterxml.jackson.core.io.JsonEOFException
                    || size > 0 && l != null && l.getByteOffset() >= size - 1;
            String problem = cut
                    ? "The file ends before its JSON does (" + m + "): was the "
                            + "export cut short? Expected a whole Prometheus query_range response such as curl …/api/v1/query_range writes."
                    : "The file is not valid JSON (" + m + "); expected a Prometheus "
                            + "query_range response such as curl …/api/v1/query_range writes.";
            throw new InputException(SourceLocation.of(file, l == null ? 0 : Math.max(0, l.getLineNr()), l == null ? 0 : Math.max(0, l.getColumnNr()), null),
                    problem);
        } catch (IOException e) {
            throw io.nodesizer.input.Unreadable.file(file, e);
        }
    }

    /** One pass over one document. */
    private static final class Reading {
        private final JsonParser p;
        private final String file;
        private final UsageMetric metric;
        private final UsageSink sink;
        private int series;
        private int skipped;
        private int histogramOnly;
        private boolean sawResult;
        /** Series without a container label (cAdvisor's pod-level cgroup: Prometheus drops an empty label), and the first one's error. */
        private int noContainer;
        private InputException firstNoContainer;
        /** The largest memory sample handed on, and its series: a file in MiB is not bytes ({@link UsageValues#requireBytes}). */
        private double largest = Double.NEGATIVE_INFINITY;
        /** The CPU series' shapes: a file of counters without a name to say so ({@link CpuCounters}). */
        private final CpuCounters counters = new CpuCounters();
        private UsageSeries largestSeries;
        /** The response's warnings and infos (Prometheus: "errors that do not inhibit the request execution"; Thanos: a store that did not answer). */
        private final List<String> warnings = new ArrayList<>();
        /** VictoriaMetrics' {@code isPartial}: some storage nodes did not answer. */
        private boolean partial;
        /** Memory series named {@link #PAGE_CACHE_METRIC}. */
        private int pageCacheSeries;
        /** Samples given twice in a row, at one time with one value: each read once. */
        private long repeated;

        Reading(JsonParser p, String file, UsageMetric metric, UsageSink sink) {
            this.p = p;
            this.file = file;
            this.metric = metric;
            this.sink = sink;
        }

        private SourceLocation here(String path) {
            JsonLocation l = p.currentTokenLocation();
            return SourceLocation.of(file, Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()), path);
        }

        private InputException error(String path, String problem) {
            return new InputException(here(path), problem);
        }

        Result document() throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error("(document)", "Expected a Prometheus API response, a JSON object with \"status\" and \"data\"; found "
                        + describe(p.currentToken()) + ".");
            }
            String status = null;
            String errorType = null;
            String errorText = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "status" -> status = text(value, "status");
                    case "errorType" -> errorType = text(value, "errorType");
                    case "error" -> errorText = text(value, "error");
                    case "data" -> {
                        if (value == JsonToken.VALUE_NULL) {
                            continue;
                        }
                        data(value);
                    }
                    case "warnings", "infos" -> strings(value, field);
                    case "isPartial" -> partial = value == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
            if (status == null) {
                throw new InputException(SourceLocation.ofFile(file), "The response has no \"status\"; expected the JSON that "
                        + "Prometheus' /api/v1/query_range returns ({\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",…}}).");
            }
            if (!status.equals("success")) {
                throw new InputException(SourceLocation.of(file, 1, 0, "status"), "The Prometheus response has status '" + status + "'"
                        + (errorType != null ? " (errorType " + errorType + ")" : "") + (errorText != null ? ": " + errorText : "")
                        + ". Fix the query and export it again.");
            }
            if (!sawResult) {
                throw new InputException(SourceLocation.ofFile(file), "The response has no data.result; expected a matrix of series.");
            }
            if (series == 0 && firstNoContainer != null) {
                throw firstNoContainer; // no series per container at all: an export summed by pod, not a raw one's pod-level series
            }
            if (metric == UsageMetric.MEMORY && largestSeries != null) {
                UsageValues.requireBytes(largest, largestSeries.at(), largestSeries.labels());
            }
            String counted = counters.check(file);
            List<String> said = new ArrayList<>();
            if (counted != null) {
                said.add(counted);
            }
            if (pageCacheSeries > 0) {
                said.add(file + ": " + pageCacheSeries + (pageCacheSeries == 1 ? " series is " : " series are ") + PAGE_CACHE_METRIC
                        + ", which counts the page cache the kernel reclaims under pressure (often gigabytes for a database or a log "
                        + "shipper), so the memory requests come out high; the working set (container_memory_working_set_bytes) is "
                        + "what the OOM killer and the kubelet's eviction go by, and what --memory-usage expects.");
            }
            if (repeated > 0) {
                said.add(file + " repeats " + String.format(java.util.Locale.ROOT, "%,d", repeated) + (repeated == 1 ? " sample" : " samples")
                        + " exactly (a series' sample at one time, twice: two Prometheus replicas' answers merged?): each is counted once.");
            }
            if (partial) {
                said.add(file + " is a partial response (isPartial: true): some storage did not answer, so samples may be missing and "
                        + "percentiles and peaks read low. Export it again when every store answers.");
            }
            if (!warnings.isEmpty()) {
                said.add(file + ": the query's response carries " + (warnings.size() == 1 ? "a warning" : warnings.size() + " warnings") + ": "
                        + String.join("; ", warnings.subList(0, Math.min(3, warnings.size()))) + (warnings.size() > 3 ? "; …" : "")
                        + ". Where a store did not answer, samples are missing and percentiles and peaks read low.");
            }
            return new Result(series, skipped + noContainer, histogramOnly, said);
        }

        /** An array of strings ({@code warnings}, {@code infos}), kept; anything else there is skipped. */
        private void strings(JsonToken start, String field) throws IOException {
            if (start != JsonToken.START_ARRAY) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == JsonToken.VALUE_STRING && !p.getText().isBlank()) {
                    warnings.add(p.getText().strip());
                } else {
                    p.skipChildren();
                }
            }
        }

        private String text(JsonToken t, String path) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                throw error(path, "The \"" + path + "\" must be a string; found " + describe(t) + ".");
            }
            return p.getText();
        }

        private void data(JsonToken start) throws IOException {
            if (start != JsonToken.START_OBJECT) {
                throw error("data", "The \"data\" must be an object with resultType and result; found " + describe(start) + ".");
            }
            String resultType = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("resultType")) {
                    resultType = text(value, "data.resultType");
                    if (!resultType.equals("matrix")) {
                        throw error("data.resultType", "The result type is '" + resultType + "'; expected 'matrix', what a range query "
                                + "returns. " + (resultType.equals("vector") ? "This is an instant query's answer: call /api/v1/query_range "
                                + "with start, end and step (see the README's PromQL)." : "Export the usage with /api/v1/query_range."));
                    }
                } else if (field.equals("result")) {
                    sawResult = true;
                    if (value != JsonToken.START_ARRAY) {
                        throw error("data.result", "The data.result must be an array of series; found " + describe(value) + ".");
                    }
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        series(i++);
                    }
                } else {
                    p.skipChildren();
                }
            }
        }

        private void series(int index) throws IOException {
            String path = "data.result[" + index + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw error(path, "Each series must be an object with \"metric\" and \"values\"; found " + describe(p.currentToken()) + ".");
            }
            SourceLocation start = here(path);
            Map<String, String> labels = null;
            SampleBuffer samples = new SampleBuffer();
            boolean values = false;
            boolean histograms = false;
            // Values may come before the labels (JSON keeps no order); their errors then name the path only.
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "metric" -> {
                        labels = labels(value, path + ".metric");
                        checkName(labels, start, path); // before the values: a memory series read as cores is "implausibly large"
                    }
                    case "values" -> {
                        values = true;
                        values(value, path + ".values", samples, labels);
                    }
                    case "value" -> throw error(path + ".value", "The series has a single \"value\": this is an instant query's vector, not "
                            + "a range. Export with /api/v1/query_range (see the README's PromQL).");
                    case "histograms" -> {
                        histograms = true;
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            if (labels == null) {
                throw new InputException(start, "The series at " + path + " has no \"metric\" labels; expected namespace, pod and container.");
            }
            // cAdvisor named these pod_name and container_name before Kubernetes 1.16.
            String container = labels.getOrDefault("container", labels.get("container_name"));
            String namespace = require(labels, "namespace", start, path);
            String pod = labels.containsKey("pod") || !labels.containsKey("pod_name") ? require(labels, "pod", start, path)
                    : require(labels, "pod_name", start, path);
            if (container == null) {
                // Prometheus writes no empty label: cAdvisor's pod-level cgroup (container="") comes without one. Skipped
                // like container="" when the file has series per container; an error when it has none (a sum by pod).
                noContainer++;
                if (firstNoContainer == null) {
                    firstNoContainer = new InputException(start.withField(path + ".metric"), "The series " + labels + " at " + path
                            + " has no 'container' label; export per container: sum by (namespace, pod, container) (…), see the README's PromQL.");
                }
                return;
            }
            if (container.isEmpty() || container.equals("POD")) {
                skipped++;
                return;
            }
            if ((!values || samples.count() == 0) && histograms) {
                histogramOnly++;
                return;
            }
            series++;
            UsageSeries s = new UsageSeries(metric, namespace, pod, null, container, samples, start, coresByName(labels));
            if (samples.count() > 0 && samples.max() > largest) {
                largest = samples.max();
                largestSeries = s;
            }
            if (metric == UsageMetric.CPU) {
                counters.add(s);
            }
            sink.accept(s);
        }

        /**
         * A series whose {@code __name__} (rate() drops it) says it is the other metric, or CPU's raw counter; memory series of
         * {@link #PAGE_CACHE_METRIC} are counted for a warning (QA 51c F5: read as the working set without a word).
         */
        private void checkName(Map<String, String> labels, SourceLocation start, String path) {
            String name = labels.get("__name__");
            if (metric == UsageMetric.MEMORY && PAGE_CACHE_METRIC.equals(name)) {
                pageCacheSeries++;
            }
            UsageMetric named = name == null ? null : name.contains("cpu") ? UsageMetric.CPU : name.contains("memory") ? UsageMetric.MEMORY : null;
            if (named != null && named != metric) {
                throw new InputException(start.withField(path + ".metric"), "The series at " + path + " is " + name + ", a "
                        + (named == UsageMetric.CPU ? "CPU" : "memory") + " metric, in a file given as " + (metric == UsageMetric.CPU
                        ? "--cpu-usage" : "--memory-usage") + "; give it as " + (named == UsageMetric.CPU ? "--cpu-usage" : "--memory-usage") + ".");
            }
            if (metric == UsageMetric.CPU && name != null && name.endsWith("_total")) {
                throw new InputException(start.withField(path + ".metric"), "The series at " + path + " is the counter " + name
                        + " (CPU seconds since the container started), not a rate of cores; export rate(" + name + "[5m]) or "
                        + "irate(…), see the README's PromQL.");
            }
        }

        /**
         * Whether the series' name says it is a rate of CPU seconds, that is cores: a recording rule keeps its name
         * ({@code node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate}, kube-prometheus'), while rate()
         * and any arithmetic, such as a "* 1000" to millicores, drop it.
         */
        private boolean coresByName(Map<String, String> labels) {
            String name = labels.get("__name__");
            return metric == UsageMetric.CPU && name != null && name.contains("cpu_usage_seconds") && !name.endsWith("_total");
        }

        private String require(Map<String, String> labels, String name, SourceLocation start, String path) {
            String v = labels.get(name);
            if (v == null || v.isEmpty()) {
                throw new InputException(start.withField(path + ".metric"), "The series " + labels + " at " + path + " has no '" + name
                        + "' label; expected namespace, pod and container (sum by (namespace, pod, container), see the README's PromQL).");
            }
            return v;
        }

        private Map<String, String> labels(JsonToken start, String path) throws IOException {
            if (start != JsonToken.START_OBJECT) {
                throw error(path, "The \"metric\" must be an object of labels; found " + describe(start) + ".");
            }
            Map<String, String> out = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v != JsonToken.VALUE_STRING) {
                    throw error(path + "." + name, "The label " + name + " must be a string; found " + describe(v) + ".");
                }
                out.put(name, p.getText());
            }
            return out;
        }

        private void values(JsonToken start, String path, SampleBuffer samples, Map<String, String> labels) throws IOException {
            if (start != JsonToken.START_ARRAY) {
                throw error(path, "The \"values\" must be an array of [time, \"value\"] pairs; found " + describe(start) + ".");
            }
            String series = labels == null ? "the series" : "the series " + labels;
            double last = Double.NEGATIVE_INFINITY;
            double lastValue = Double.NaN;
            String lastText = null;
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String at = path + "[" + i + "]";
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw error(at, "Each sample must be a [time, \"value\"] pair; found " + describe(p.currentToken()) + ".");
                }
                JsonToken t = p.nextToken();
                if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                    throw error(at + "[0]", "The sample time must be a number of Unix seconds; found " + describe(t) + ".");
                }
                // Prometheus writes seconds; milliseconds (an export converted on the way, as Grafana writes them) are read
                // as the CSV reader reads them (QA 51c: they counted 1,000 times the hours and passed --min-history), and finer
                // units are refused as it refuses them (QA 76a F2), by the same code.
                double time = UsageValues.unixSeconds(p.getDoubleValue(), false, problem -> error(at + "[0]", "The sample time of "
                        + series + " (" + text() + ") " + problem));
                if (time < last) {
                    throw error(at + "[0]", "The timestamps of " + series + " are out of order: " + fmt(time) + " after " + fmt(last)
                            + "; expected them increasing, as Prometheus returns them. Maybe two exports were concatenated.");
                }
                JsonToken v = p.nextToken();
                if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_NUMBER_INT) {
                    throw error(at + "[1]", "The sample value must be a string such as \"0.25\"; found " + describe(v) + ".");
                }
                double value = UsageValues.sample(p.getText(), metric, here(at + "[1]"), "sample " + at + "[1]", series);
                if (time == last) {
                    // One time twice. The same sample again is two answers merged without dedup (an HA pair of Prometheus
                    // replicas, a federation): counted once, as the CSV reader counts a repeated row (QA 76a F8); another value
                    // at that time is not one series.
                    if (value != lastValue) {
                        throw error(at + "[0]", "The timestamps of " + series + " repeat " + fmt(time) + " with another value ("
                                + p.getText() + " after " + lastText + "); expected each time once, increasing, as Prometheus returns "
                                + "them. Maybe the series of two pods or containers were merged under one set of labels.");
                    }
                    repeated++;
                } else {
                    samples.add(time, value);
                }
                last = time;
                lastValue = value;
                lastText = p.getText();
                if (p.nextToken() != JsonToken.END_ARRAY) {
                    throw error(at, "Each sample must be a [time, \"value\"] pair of two elements.");
                }
                i++;
            }
        }

        /** The current token's text, for a message (the reader's own IOException is not one). */
        private String text() {
            try {
                return p.getText();
            } catch (IOException e) {
                return "?";
            }
        }

        private static String fmt(double seconds) {
            return seconds == Double.NEGATIVE_INFINITY ? "the start" : java.math.BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
        }

        private static String describe(JsonToken t) {
            if (t == null) {
                return "the end of the file";
            }
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> t.toString();
            };
        }
    }
}
