package io.nodesizer.rightsize;

import io.nodesizer.input.usage.SampleBuffer;
import io.nodesizer.input.usage.UsageMetric;
import io.nodesizer.input.usage.UsageSeries;
import io.nodesizer.input.usage.UsageSink;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects usage series as the readers hand them over: each series is reduced to its statistics at
 * once (Commons Math {@link Percentile}, type R-7, as Prometheus computes quantiles) and its samples
 * are let go, so memory holds one series at a time plus one small record per series.
 *
 * <p>A series may come in pieces: one export split by time into several files (Prometheus caps a
 * range query at 11,000 points), or a container whose restart started a new cAdvisor series. Its
 * percentiles are of all its samples together, not the largest of each piece's, so when a series
 * came in more than one piece the readers run again ({@link #joiner}) and only those series' samples
 * are held, joined and reduced; the others are not held at all.
 */
final class UsageProfile implements UsageSink {
    /** A container of a workload. */
    record Key(WorkloadId workload, String container) {
    }

    /** One series, whichever file or files it comes in. */
    private record SeriesKey(UsageMetric metric, String namespace, String pod, String workload, String container) {
        static SeriesKey of(UsageSeries s) {
            return new SeriesKey(s.metric(), s.namespace(), s.pod(), s.workload(), s.container());
        }
    }

    /** A series read: its workload, its statistics (of all its pieces once joined), how many pieces, and whether two overlap in time. */
    private static final class Series {
        final WorkloadId workload;
        final String labels;
        /** Where its first piece starts, for messages. */
        final io.nodesizer.input.SourceLocation at;
        UsageStats stats;
        int pieces = 1;
        boolean overlap;

        Series(WorkloadId workload, String labels, io.nodesizer.input.SourceLocation at, UsageStats stats) {
            this.workload = workload;
            this.labels = labels;
            this.at = at;
            this.stats = stats;
        }
    }

    private final WorkloadIndex index;
    private final double targetPercentile;
    private final Map<SeriesKey, Series> series = new LinkedHashMap<>();
    private final Map<Key, UsageStats> cpu = new HashMap<>();
    private final Map<Key, UsageStats> memory = new HashMap<>();
    /**
     * Per metric and container, the busiest pod's series, whose figure is the container's statistics': the CPU percentile
     * the request comes from, the memory peak.
     */
    private final Map<UsageMetric, Map<Key, Series>> busiest = new java.util.EnumMap<>(UsageMetric.class);
    /** Series no workload claims, by their pod or workload (sorted, so that warnings are stable), counted as {@link #seriesRead}. */
    private final TreeMap<String, Integer> unmatched = new TreeMap<>();
    /** Where the first series no workload claims starts, for an error when none is claimed. */
    private io.nodesizer.input.SourceLocation firstUnmatched;
    /** Series read that a workload claims, counted as {@link #seriesRead}. */
    private long matchedRead;
    /** Containers with a CPU series whose file does not state its unit (plain numbers, read as the contract's cores). */
    private final java.util.Set<Key> cpuUnitInferred = new java.util.HashSet<>();
    /** Container names with usage, per workload. */
    private final Map<WorkloadId, TreeSet<String>> containersOf = new HashMap<>();
    private long seriesRead;
    /** The series counted in {@link #seriesRead} that {@link #series} does not hold: those no workload claims, and empty ones. */
    private final java.util.Set<SeriesKey> keysOnly = new java.util.HashSet<>();
    private boolean finished;

    UsageProfile(WorkloadIndex index, double targetPercentile) {
        this.index = index;
        this.targetPercentile = targetPercentile;
    }

    @Override
    public void accept(UsageSeries s) {
        // A series in pieces (split exports, a restart's new cAdvisor series) is one series, counted once (QA 76a F3: two
        // consecutive exports of 22 series read "44 usage series"): a piece is its series' first when no piece of its key was
        // counted, in {@link #series} or, without statistics to keep there, in {@link #keysOnly}.
        SeriesKey key = SeriesKey.of(s);
        WorkloadId id = s.workload() != null ? index.resolve(new WorkloadId(s.namespace(), s.workload()), s.container())
                : index.byPod(s.namespace(), s.pod());
        if (id == null || !index.knows(id)) {
            String who = s.workload() != null ? s.namespace() + "/" + s.workload() : s.namespace() + "/" + s.pod();
            // Counted as the headline counts series read (QA 64a F15: "307 usage series" above "27 … match no workload").
            if (keysOnly.add(key)) {
                seriesRead++;
                unmatched.merge(who, 1, Integer::sum);
            }
            if (firstUnmatched == null) {
                firstUnmatched = s.at();
            }
            return;
        }
        UsageStats stats = stats(s.samples());
        Series known = series.get(key);
        if (known == null && (stats == null ? keysOnly.add(key) : !keysOnly.contains(key))) {
            seriesRead++;
            matchedRead++;
        }
        if (stats == null) {
            return;
        }
        if (known == null) {
            series.put(key, new Series(id, s.labels(), s.at(), stats));
        } else {
            // Pieces that share more than an instant overlap (the same export twice, a restart's series beside the old one).
            known.overlap |= stats.firstSeconds() < known.stats.lastSeconds() && stats.lastSeconds() > known.stats.firstSeconds();
            known.pieces++;
            known.stats = known.stats.merge(stats); // the span so far; the statistics are those of the joined samples (joiner)
        }
        containersOf.computeIfAbsent(id, k -> new TreeSet<>()).add(s.container());
        if (s.metric() == UsageMetric.CPU && !s.unitStated()) {
            cpuUnitInferred.add(new Key(id, s.container()));
        }
    }

    /** Whether every CPU series of the container states its unit ({@link UsageSeries#unitStated}): its size need not tell it. */
    boolean cpuUnitStated(WorkloadId id, String container) {
        return !cpuUnitInferred.contains(new Key(id, container));
    }

    /** Whether the usage read has samples of both CPU and memory (after {@link #finish}). */
    boolean hasBothMetrics() {
        return !cpu.isEmpty() && !memory.isEmpty();
    }

    /** Whether some series came in more than one piece, so the readers must run again into {@link #joiner}. */
    boolean hasPieces() {
        return series.values().stream().anyMatch(x -> x.pieces > 1);
    }

    /**
     * A sink for a second run of the readers: it holds the samples of the series that came in more
     * than one piece, and when the run is over ({@link #finish}) their statistics are of all their
     * samples together.
     */
    UsageSink joiner() {
        return s -> {
            SeriesKey key = SeriesKey.of(s);
            Series known = series.get(key);
            if (known != null && known.pieces > 1) {
                joined.computeIfAbsent(key, k -> new SampleBuffer()).append(s.samples());
            }
        };
    }

    private final Map<SeriesKey, SampleBuffer> joined = new HashMap<>();

    /** Ends the reading: each joined series' statistics from all its samples, then per workload container the busiest pod's. */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        for (Map.Entry<SeriesKey, SampleBuffer> e : joined.entrySet()) {
            Series s = series.get(e.getKey());
            s.stats = stats(e.getValue());
        }
        joined.clear();
        checkOneForm();
        for (Map.Entry<SeriesKey, Series> e : series.entrySet()) {
            Series s = e.getValue();
            Key key = new Key(s.workload, e.getKey().container());
            (e.getKey().metric() == UsageMetric.CPU ? cpu : memory).merge(key, s.stats, UsageStats::merge);
            UsageMetric metric = e.getKey().metric();
            busiest.computeIfAbsent(metric, m -> new HashMap<>()).merge(key, s, (a, b) -> figure(metric, b) > figure(metric, a) ? b : a);
        }
        // A row's p50, p95, percentile and max are all of one pod, the busiest (QA 64a F21: each was the most over the pods,
        // so a replaced pod's flat history showed as the median beside another pod's p95); pods, samples and span are of all.
        for (Map.Entry<UsageMetric, Map<Key, Series>> m : busiest.entrySet()) {
            Map<Key, UsageStats> all = m.getKey() == UsageMetric.CPU ? cpu : memory;
            m.getValue().forEach((key, s) -> all.computeIfPresent(key, (k, u) -> new UsageStats(u.series(), u.samples(), s.stats.p50(),
                    s.stats.p95(), s.stats.target(), s.stats.max(), u.firstSeconds(), u.lastSeconds())));
        }
    }

    /**
     * Refuses one container's usage given in both forms over the same time: a CSV series (it names the workload) and a
     * Prometheus one (it names the pod) of the same workload container and metric whose spans overlap, the CSV's pod being
     * the Prometheus one's when it has a pod column. The series' keys differ, so they are not pieces of one series: their
     * samples would count twice (pods, samples, --min-samples passed with half the data).
     */
    private void checkOneForm() {
        Map<List<Object>, List<Map.Entry<SeriesKey, Series>>> byContainer = new LinkedHashMap<>();
        for (Map.Entry<SeriesKey, Series> e : series.entrySet()) {
            byContainer.computeIfAbsent(List.of(e.getKey().metric(), e.getValue().workload, e.getKey().container()), k -> new ArrayList<>()).add(e);
        }
        String first = null;
        int twice = 0;
        for (List<Map.Entry<SeriesKey, Series>> all : byContainer.values()) {
            String found = null;
            for (int i = 0; i < all.size() && found == null; i++) {
                for (int j = 0; j < all.size() && found == null; j++) {
                    SeriesKey csv = all.get(i).getKey();
                    SeriesKey prom = all.get(j).getKey();
                    UsageStats a = all.get(i).getValue().stats;
                    UsageStats b = all.get(j).getValue().stats;
                    if (csv.workload() != null && prom.workload() == null && (csv.pod() == null || csv.pod().equals(prom.pod()))
                            && a.firstSeconds() < b.lastSeconds() && a.lastSeconds() > b.firstSeconds()) {
                        Series c = all.get(i).getValue();
                        Series p = all.get(j).getValue();
                        found = c.workload + " container " + csv.container() + " (" + csv.metric().label() + "): " + c.labels + " at "
                                + c.at + " and " + p.labels + " at " + p.at;
                    }
                }
            }
            if (found != null) {
                first = first == null ? found : first;
                twice++;
            }
        }
        if (first != null) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--usage"), "The usage of "
                    + twice + (twice == 1 ? " container" : " containers") + " comes both from the CSV and from the Prometheus "
                    + "exports over the same time, so their samples would count twice (pods, samples, --min-samples); first: " + first
                    + ". Give each container's usage in one form (--usage CSV, or --cpu-usage and --memory-usage), or the two of "
                    + "different times.");
        }
    }

    /** The labels of series whose pieces overlap in time, with their metric, sorted, each once. */
    List<String> overlapping() {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (Map.Entry<SeriesKey, Series> e : series.entrySet()) {
            if (e.getValue().overlap) {
                out.add(e.getValue().labels + " (" + e.getKey().metric().label() + ")");
            }
        }
        return new ArrayList<>(out);
    }

    private UsageStats stats(SampleBuffer samples) {
        if (samples.count() == 0) {
            return null;
        }
        Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        p.setData(samples.values());
        return new UsageStats(1, samples.count(), p.evaluate(50), p.evaluate(95), p.evaluate(targetPercentile), samples.max(),
                samples.firstSeconds(), samples.lastSeconds());
    }

    UsageStats cpu(WorkloadId id, String container) {
        return cpu.get(new Key(id, container));
    }

    /** The figure a container's statistics take from its busiest pod: the CPU percentile, the memory peak. */
    private static double figure(UsageMetric metric, Series s) {
        return metric == UsageMetric.CPU ? s.stats.target() : s.stats.max();
    }

    /** Where a series starts in its file, and its labels as a user would recognise them. */
    record Place(io.nodesizer.input.SourceLocation at, String labels) {
    }

    /**
     * The busiest pod's series of a container for {@code metric} (the one its statistics' figure comes from), for a message
     * about the usage's unit; null when the container has no such usage.
     */
    Place busiest(UsageMetric metric, WorkloadId id, String container) {
        Series s = busiest.getOrDefault(metric, Map.of()).get(new Key(id, container));
        return s == null ? null : new Place(s.at, s.labels);
    }

    UsageStats memory(WorkloadId id, String container) {
        return memory.get(new Key(id, container));
    }

    /** Container names with usage for a workload, sorted. */
    TreeSet<String> containers(WorkloadId id) {
        TreeSet<String> out = containersOf.get(id);
        return out == null ? new TreeSet<>() : new TreeSet<>(out);
    }

    /** Usage keys for containers the workloads do not have, sorted. */
    TreeSet<String> unknownContainers(java.util.function.BiPredicate<WorkloadId, String> known) {
        TreeSet<String> out = new TreeSet<>();
        for (Map<Key, UsageStats> m : java.util.List.of(cpu, memory)) {
            for (Key k : m.keySet()) {
                if (!known.test(k.workload(), k.container())) {
                    out.add(k.workload() + " container " + k.container());
                }
            }
        }
        return out;
    }

    /** Per pod (or workload) no workload claims, its series, counted as {@link #seriesRead} counts them. */
    Map<String, Integer> unmatched() {
        return java.util.Collections.unmodifiableMap(unmatched);
    }

    /** Series read that a workload claims. */
    long matchedRead() {
        return matchedRead;
    }

    /** Where the first series no workload claims starts, or null. */
    io.nodesizer.input.SourceLocation firstUnmatched() {
        return firstUnmatched;
    }

    long seriesRead() {
        return seriesRead;
    }
}
