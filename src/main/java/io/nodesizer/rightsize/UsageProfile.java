package io.nodesizer.rightsize;

import io.nodesizer.input.usage.SampleBuffer;
import io.nodesizer.input.usage.UsageMetric;
import io.nodesizer.input.usage.UsageSeries;
import io.nodesizer.input.usage.UsageSink;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects usage series as the readers hand them over: each series is reduced to its statistics at
 * once (Commons Math {@link Percentile}, type R-7, as Prometheus computes quantiles) and its samples
 * are let go, so memory holds one series at a time plus one small record per container.
 */
final class UsageProfile implements UsageSink {
    /** A container of a workload. */
    record Key(WorkloadId workload, String container) {
    }

    private final WorkloadIndex index;
    private final double targetPercentile;
    private final Map<Key, UsageStats> cpu = new HashMap<>();
    private final Map<Key, UsageStats> memory = new HashMap<>();
    /** Series no workload claims, by their labels (sorted, so that warnings are stable). */
    private final TreeMap<String, Integer> unmatched = new TreeMap<>();
    /** Container names with usage, per workload. */
    private final Map<WorkloadId, TreeSet<String>> containersOf = new HashMap<>();
    private long seriesRead;

    UsageProfile(WorkloadIndex index, double targetPercentile) {
        this.index = index;
        this.targetPercentile = targetPercentile;
    }

    @Override
    public void accept(UsageSeries s) {
        seriesRead++;
        WorkloadId id = s.workload() != null ? index.resolve(new WorkloadId(s.namespace(), s.workload()), s.container())
                : index.byPod(s.namespace(), s.pod());
        if (id == null || !index.knows(id)) {
            String who = s.workload() != null ? s.namespace() + "/" + s.workload() : s.namespace() + "/" + s.pod();
            unmatched.merge(who, 1, Integer::sum);
            return;
        }
        UsageStats stats = stats(s.samples());
        if (stats == null) {
            return;
        }
        (s.metric() == UsageMetric.CPU ? cpu : memory).merge(new Key(id, s.container()), stats, UsageStats::merge);
        containersOf.computeIfAbsent(id, k -> new TreeSet<>()).add(s.container());
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

    Map<String, Integer> unmatched() {
        return unmatched;
    }

    long seriesRead() {
        return seriesRead;
    }
}
