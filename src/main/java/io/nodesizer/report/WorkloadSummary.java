package io.nodesizer.report;

import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.List;

/** What was read: the facts every report prints above its results. */
public record WorkloadSummary(List<String> sources, int groups, long pods, Resources totalRequests,
                              List<String> daemonSets, List<String> ignored, List<String> notes) {

    public WorkloadSummary {
        sources = List.copyOf(sources);
        daemonSets = List.copyOf(daemonSets);
        ignored = List.copyOf(ignored);
        notes = List.copyOf(notes);
    }

    public static WorkloadSummary of(Workload w, List<String> notes) {
        Resources total = Resources.ZERO;
        for (PodGroup g : w.groups()) {
            total = total.plus(g.request().times(g.replicas()));
        }
        List<String> ds = new ArrayList<>();
        for (DaemonSetSpec d : w.daemonSets()) {
            ds.add(d.name() + " (" + Fmt.cpu(d.request().cpuMillis()) + " CPU, " + Fmt.gib(d.request().memoryBytes())
                    + " GiB per node)");
        }
        List<String> ignored = new ArrayList<>();
        for (IgnoredObject o : w.ignored()) {
            ignored.add(o.kind() + " " + o.name() + " (" + o.origin() + "): " + o.reason());
        }
        return new WorkloadSummary(w.sources(), w.groups().size(), w.podCount(), total, ds, ignored, notes);
    }

    /** GiB of memory requested per CPU core requested. */
    public double memoryPerCpuGib() {
        return totalRequests.cpuMillis() == 0 ? Double.NaN
                : (totalRequests.memoryBytes() / (1024.0 * 1024 * 1024)) / (totalRequests.cpuMillis() / 1000.0);
    }

    String oneLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "%,d pods in %,d groups requesting %s CPU, %s GiB memory", pods, groups,
                Fmt.cpu(totalRequests.cpuMillis()), Fmt.gib(totalRequests.memoryBytes())));
        if (totalRequests.gpuMillis() > 0) {
            sb.append(", ").append(Fmt.amount(io.nodesizer.model.Resource.GPU, totalRequests.gpuMillis())).append(" GPU");
        }
        if (!daemonSets.isEmpty()) {
            sb.append("; ").append(daemonSets.size()).append(" DaemonSets");
        }
        return sb.toString();
    }
}
