package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.engine.Amounts;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.fleet.FleetInput;
import io.nodesizer.fleet.FleetPacking;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code pack --fleet}: which of the given nodes the pods use, what is left, what fits nowhere. */
public final class FleetReport {
    private FleetReport() {
    }

    /**
     * @param notes the workload's objects left out or read in part, as {@link WorkloadSummary#asNote} words them (a
     *              ResourceQuota's admission, a LimitRange's defaults, a workload refused): said as pack says them
     */
    public static String render(ReportFormat format, FleetPacking.Result r, WorkloadSummary workload, String fleet, List<String> notes) {
        return render(format, r, workload, fleet, notes, List.of(), List.of());
    }

    /**
     * @param pendingDaemonPods the workload's DaemonSet pods that stay Pending on their nodes (no room there): listed
     *                          after the pods that fit nowhere (CSV, the shapes alone, leaves them to {@link #pendingLines})
     * @param preemptedPods     the running pods kube-scheduler's preemption evicts for them, and where each goes: listed next
     */
    public static String render(ReportFormat format, FleetPacking.Result r, WorkloadSummary workload, String fleet, List<String> notes,
                                List<FleetInput.PendingDaemonPod> pendingDaemonPods, List<FleetInput.PreemptedPod> preemptedPods) {
        int pods = (int) workload.pods();
        String text = table(r, pods, fleet) + pendingLines(pendingDaemonPods, preemptedPods) + notes(notes);
        return switch (format) {
            case JSON -> json(r, workload, fleet, notes, pendingDaemonPods, preemptedPods);
            case MARKDOWN -> "```\n" + text + "```\n";
            case HTML -> HtmlReport.packingPage("nodesizer pack --fleet", "<pre>" + HtmlReport.escape(text) + "</pre>\n");
            case CSV -> csv(r);
            case TABLE -> text;
        };
    }

    /**
     * The DaemonSet pods left Pending, by DaemonSet, with the first nodes and what each lacks, then the pods their preemption
     * evicted, by DaemonSet, with where the first go; empty when none. A new DaemonSet's pod that does not fit is not an error of
     * the run: it is what the cluster will show.
     */
    public static String pendingLines(List<FleetInput.PendingDaemonPod> pending, List<FleetInput.PreemptedPod> preempted) {
        return pendingLines(pending) + preemptedLines(preempted);
    }

    private static String preemptedLines(List<FleetInput.PreemptedPod> preempted) {
        if (preempted.isEmpty()) {
            return "";
        }
        Map<String, List<FleetInput.PreemptedPod>> byDaemonSet = new java.util.LinkedHashMap<>();
        preempted.forEach(p -> byDaemonSet.computeIfAbsent(p.daemonSet(), k -> new ArrayList<>()).add(p));
        Map<FleetInput.PreemptedPod.Outcome, Long> counts = new java.util.EnumMap<>(FleetInput.PreemptedPod.Outcome.class);
        preempted.forEach(p -> counts.merge(p.outcome(), 1L, Long::sum));
        long replaced = counts.getOrDefault(FleetInput.PreemptedPod.Outcome.REPLACED, 0L);
        // A pod its DaemonSet replaces is neither placed again nor lost: its new pod is counted among the DaemonSet's (review 71 #5).
        StringBuilder sb = new StringBuilder("Preempted      ").append(preempted.size()).append(preempted.size() == 1 ? " pod" : " pods")
                .append(" of lower priority evicted for DaemonSet pods without room (kube-scheduler's preemption); ")
                .append(counts.getOrDefault(FleetInput.PreemptedPod.Outcome.MOVED, 0L)).append(" placed again before the new pods, ")
                .append(counts.getOrDefault(FleetInput.PreemptedPod.Outcome.PENDING, 0L) + counts.getOrDefault(FleetInput.PreemptedPod.Outcome.DELETED, 0L))
                .append(" not").append(replaced == 0 ? "" : ", " + replaced + " replaced by " + (replaced == 1 ? "its DaemonSet's new pod"
                        : "their DaemonSets' new pods")).append("\n");
        for (Map.Entry<String, List<FleetInput.PreemptedPod>> e : byDaemonSet.entrySet()) {
            List<FleetInput.PreemptedPod> by = e.getValue();
            sb.append("  ").append(e.getKey()).append(": evicted ").append(by.size()).append(by.size() == 1 ? " pod (" : " pods (");
            for (int i = 0; i < Math.min(3, by.size()); i++) {
                FleetInput.PreemptedPod p = by.get(i);
                sb.append(i == 0 ? "" : "; ").append(p.pod()).append(" (priority ").append(p.priority())
                        .append(p.breaksBudget() ? ", beyond what its PodDisruptionBudget allows" : "").append(") from ").append(p.node())
                        .append(p.movedTo() != null ? " to " + p.movedTo() : ", " + p.why());
            }
            sb.append(by.size() > 3 ? "; and " + (by.size() - 3) + " more)\n" : ")\n");
        }
        return sb.toString();
    }

    private static String pendingLines(List<FleetInput.PendingDaemonPod> pending) {
        if (pending.isEmpty()) {
            return "";
        }
        Map<String, List<FleetInput.PendingDaemonPod>> byDaemonSet = new java.util.LinkedHashMap<>();
        pending.forEach(p -> byDaemonSet.computeIfAbsent(p.daemonSet(), k -> new ArrayList<>()).add(p));
        StringBuilder sb = new StringBuilder("Pending        ").append(pending.size()).append(pending.size() == 1 ? " DaemonSet pod" : " DaemonSet pods")
                .append(" on nodes without room for them or whose pods' host ports or anti-affinity keep them out (kube-scheduler leaves them Pending there; they take nothing)\n");
        for (Map.Entry<String, List<FleetInput.PendingDaemonPod>> e : byDaemonSet.entrySet()) {
            List<FleetInput.PendingDaemonPod> on = e.getValue();
            sb.append("  ").append(e.getKey()).append(": does not fit on ").append(on.size()).append(on.size() == 1 ? " node (" : " nodes (");
            for (int i = 0; i < Math.min(3, on.size()); i++) {
                sb.append(i == 0 ? "" : "; ").append(on.get(i).node()).append(": ").append(on.get(i).reason());
            }
            sb.append(on.size() > 3 ? "; and " + (on.size() - 3) + " more)\n" : ")\n");
        }
        return sb.toString();
    }

    private static String notes(List<String> notes) {
        StringBuilder sb = new StringBuilder();
        if (!notes.isEmpty()) {
            sb.append('\n');
            notes.forEach(n -> sb.append(n).append('\n'));
        }
        return sb.toString();
    }

    private static long[] free(FleetPacking.Result r) {
        int d = Resource.COUNT;
        long[] out = new long[d];
        for (int i = 0; i < r.nodes().size(); i++) {
            long[] alloc = r.nodes().get(i).allocatable().toArray();
            long[] loaded = r.nodes().get(i).loaded().toArray();
            for (int k = 0; k < d; k++) {
                out[k] += Math.max(0, alloc[k] - loaded[k] - r.load()[i * d + k]);
            }
        }
        return out;
    }

    /**
     * The free GPUs as whole devices no pod holds, then the pooled free GPU with the slivers shares leave: the pooled figure
     * alone read as GPUs a 1-GPU pod could take (QA 69a F6: 902.47 "GPU free" where at most 786 devices were).
     */
    private static String gpusFree(FleetPacking.Result r, long[] free) {
        long pooled = free[Resource.GPU.ordinal()];
        long whole = r.wholeGpusFree();
        if (pooled == 0) {
            return "0 GPU free";
        }
        return String.format(java.util.Locale.ROOT, "%,d whole GPU%s free", whole, whole == 1 ? "" : "s")
                + (pooled == whole * GpuDevices.UNIT ? "" : " (" + Amounts.format(Resource.GPU, pooled) + " GPU pooled, shares' fragments included)");
    }

    static String table(FleetPacking.Result r, int pods, String fleet) {
        // Thousands grouped, nouns agreeing, as the other human reports write them (QA 70a F8: "on 1438 nodes", "on 1 nodes").
        StringBuilder sb = new StringBuilder("nodesizer pack --fleet ").append(fleet).append(": ")
                .append(Fmt.count(r.nodes().size(), "node", "nodes")).append("\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, int[]> e : r.byShape().entrySet()) {
            rows.add(List.of(e.getKey(), String.format(java.util.Locale.ROOT, "%,d", e.getValue()[0]),
                    String.format(java.util.Locale.ROOT, "%,d", e.getValue()[1])));
        }
        sb.append(new TextTable(List.of(TextTable.Column.left("shape"), TextTable.Column.right("nodes"),
                TextTable.Column.right("used")), rows).renderAligned()).append('\n');
        long[] free = free(r);
        sb.append("placed         ").append(String.format(java.util.Locale.ROOT, "%,d", r.placedPods())).append(" of ")
                .append(Fmt.count(pods, "pod", "pods")).append(" on ").append(Fmt.count(r.nodesUsed(), "node", "nodes"))
                .append('\n');
        // Every packing gives its bound and gap (QA 78c F6): here of the nodes used, for the pods placed.
        sb.append("lower bound    ").append(Fmt.count(r.nodesUsedBound(), "node", "nodes"))
                .append(String.format(java.util.Locale.ROOT, " for the pods placed (the fewest of the roomiest nodes holding their requests), "
                        + "gap %.1f %%", r.gapPercent())).append('\n');
        sb.append("left over      ").append(Fmt.cpu(free[Resource.CPU.ordinal()])).append(" CPU, ")
                .append(Fmt.gib(free[Resource.MEMORY.ordinal()])).append(" GiB memory, ")
                .append(gpusFree(r, free)).append('\n');
        int unplaced = r.unplaced().stream().mapToInt(FleetPacking.Unplaced::pods).sum();
        sb.append("fit nowhere    ").append(Fmt.count(unplaced, "pod", "pods")).append('\n');
        // Grouped by reason, with a few pod names each (-o json lists every group).
        Map<String, List<String>> byReason = new java.util.LinkedHashMap<>();
        Map<String, Integer> count = new java.util.HashMap<>();
        for (FleetPacking.Unplaced u : r.unplaced()) {
            byReason.computeIfAbsent(u.reason(), k -> new ArrayList<>()).add(u.group().name());
            count.merge(u.reason(), u.pods(), Integer::sum);
        }
        for (Map.Entry<String, List<String>> e : byReason.entrySet()) {
            List<String> names = e.getValue();
            sb.append("  ").append(count.get(e.getKey())).append(" × ").append(e.getKey()).append(" (")
                    .append(String.join(", ", names.subList(0, Math.min(3, names.size())))).append(names.size() > 3 ? ", …" : "")
                    .append(")\n");
        }
        return sb.toString();
    }

    private static String csv(FleetPacking.Result r) {
        // Through the table's CSV writer: a fleet's shape names are the user's (quotes, commas, a leading "=").
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, int[]> e : r.byShape().entrySet()) {
            rows.add(List.of(e.getKey(), Integer.toString(e.getValue()[0]), Integer.toString(e.getValue()[1])));
        }
        return new TextTable(List.of(TextTable.Column.left("shape"), TextTable.Column.right("nodes"), TextTable.Column.right("used")),
                rows).renderCsv();
    }

    private static String json(FleetPacking.Result r, WorkloadSummary workload, String fleet, List<String> notes,
                               List<FleetInput.PendingDaemonPod> pendingDaemonPods, List<FleetInput.PreemptedPod> preemptedPods) {
        ObjectNode root = JsonTrees.reportRoot("pack-fleet");
        // What was packed, as pack's report says it: compare tells runs of other workloads apart by it (QA 57a F4).
        root.set("workload", JsonTrees.workload(workload));
        root.put("fleet", fleet);
        root.put("pods", workload.pods());
        root.put("placed", r.placedPods());
        root.put("nodes", r.nodes().size());
        root.put("nodesUsed", r.nodesUsed());
        root.put("lowerBound", r.nodesUsedBound());
        root.put("gapPercent", Fmt.round(r.gapPercent(), 2));
        ArrayNode shapes = root.putArray("shapes");
        for (Map.Entry<String, int[]> e : r.byShape().entrySet()) {
            shapes.addObject().put("shape", e.getKey()).put("nodes", e.getValue()[0]).put("used", e.getValue()[1]);
        }
        ObjectNode leftOver = JsonTrees.resources(io.nodesizer.model.Resources.of(free(r)));
        leftOver.put("gpus", r.wholeGpusFree()); // whole devices free, not the pooled gpuMillis rounded up (QA 69a F6)
        root.set("leftOver", leftOver);
        ArrayNode unplaced = root.putArray("unplaced");
        for (FleetPacking.Unplaced u : r.unplaced()) {
            unplaced.addObject().put("group", u.group().name()).put("pods", u.pods()).put("reason", u.reason());
        }
        ArrayNode pendingDaemon = root.putArray("pendingDaemonSetPods");
        for (FleetInput.PendingDaemonPod p : pendingDaemonPods) {
            pendingDaemon.addObject().put("daemonSet", p.daemonSet()).put("node", p.node()).put("reason", p.reason());
        }
        ArrayNode preempted = root.putArray("preemptedPods");
        for (FleetInput.PreemptedPod p : preemptedPods) {
            ObjectNode o = preempted.addObject().put("pod", p.pod()).put("priority", p.priority()).put("daemonSet", p.daemonSet())
                    .put("node", p.node()).put("outcome", p.outcome().json()).put("movedTo", p.movedTo()).put("breaksBudget", p.breaksBudget());
            if (p.why() != null) {
                o.put("why", p.why());
            }
        }
        ArrayNode said = root.putArray("notes");
        notes.forEach(said::add);
        return JsonTrees.write(root);
    }
}
