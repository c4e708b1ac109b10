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
        return of(w, notes, null, null);
    }

    /**
     * As above, for packing onto {@code shape} (null: several shapes): a DaemonSet whose selector,
     * node affinity or tolerations keep it off that shape says so rather than showing a cost per node
     * it does not have there ({@code zoneNames}: the nodes' zones when named, else null).
     */
    public static WorkloadSummary of(Workload w, List<String> notes, io.nodesizer.model.NodeShape shape, List<String> zoneNames) {
        // Summed field by field with the same overflow checks as Resources.plus(times(..)): two
        // records per group were most of this pass, which runs interpreted in a cold pack of
        // 150,000 groups (~30 ms); the pod count comes from the same pass.
        long cpu = 0;
        long memory = 0;
        long podSlots = 0;
        long gpu = 0;
        long ephemeral = 0;
        long pods = 0;
        for (PodGroup g : w.groups()) {
            Resources r = g.request();
            int n = g.replicas();
            cpu = Math.addExact(cpu, Math.multiplyExact(r.cpuMillis(), n));
            memory = Math.addExact(memory, Math.multiplyExact(r.memoryBytes(), n));
            podSlots = Math.addExact(podSlots, Math.multiplyExact(r.pods(), n));
            gpu = Math.addExact(gpu, Math.multiplyExact(r.gpuMillis(), n));
            ephemeral = Math.addExact(ephemeral, Math.multiplyExact(r.ephemeralStorageBytes(), n));
            pods += n;
        }
        Resources total = new Resources(cpu, memory, podSlots, gpu, ephemeral);
        List<String> ds = new ArrayList<>();
        List<String> runs = shape == null ? null : io.nodesizer.kube.DaemonSetPlacement.on(shape, w.daemonSets(), zoneNames).placed();
        for (DaemonSetSpec d : w.daemonSets()) {
            boolean off = runs != null && !runs.contains(d.name());
            ds.add(d.name() + " (" + Fmt.cpu(d.request().cpuMillis()) + " CPU, " + Fmt.gib(d.request().memoryBytes())
                    + " GiB per node" + (off ? " where it runs; on no node of " + shape.name() + ": its selector, node affinity or "
                    + "tolerations keep it off" : "") + ")");
        }
        List<String> ignored = new ArrayList<>();
        for (IgnoredObject o : w.ignored()) {
            ignored.add(o.kind() + " " + o.name() + " (" + o.origin() + "): " + o.reason());
        }
        return new WorkloadSummary(w.sources(), w.groups().size(), pods, total, ds, ignored, notes);
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
