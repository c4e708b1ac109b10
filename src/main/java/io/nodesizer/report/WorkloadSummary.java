package io.nodesizer.report;

import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.List;

/**
 * What was read: the facts every report prints above its results.
 *
 * @param ignored      the objects left out or read only in part, a line each ({@link #ignored(Workload)})
 * @param approximated the workloads packed as an approximation ({@link IgnoredObject#APPROXIMATED}: what they request
 *                     that is not modelled taken as offered by every node), in the lines' shape of {@code ignored}:
 *                     their pods are packed and counted, so they are not among the objects left out
 */
public record WorkloadSummary(List<String> sources, int groups, long pods, Resources totalRequests,
                              List<String> daemonSets, List<String> ignored, List<String> approximated, List<String> notes) {

    public WorkloadSummary {
        sources = List.copyOf(sources);
        daemonSets = List.copyOf(daemonSets);
        ignored = List.copyOf(ignored);
        approximated = List.copyOf(approximated);
        notes = List.copyOf(notes);
    }

    public static WorkloadSummary of(Workload w, List<String> notes) {
        return of(w, notes, List.<io.nodesizer.model.NodeShape>of(), null);
    }

    /**
     * As above, for packing onto {@code shape} (null: several shapes): a DaemonSet whose selector,
     * node affinity or tolerations, or the GPUs it requests, keep it off that shape says so rather than showing a cost per node
     * it does not have there ({@code zoneNames}: the nodes' zones when named, else null).
     */
    public static WorkloadSummary of(Workload w, List<String> notes, io.nodesizer.model.NodeShape shape, List<String> zoneNames) {
        return of(w, notes, shape == null ? List.<io.nodesizer.model.NodeShape>of() : List.of(shape), zoneNames);
    }

    /**
     * As {@link #of(Workload, List, io.nodesizer.model.NodeShape, List)} over the candidate shapes
     * {@code shapes} (recommend's): a DaemonSet that runs on none or only some of them says so.
     */
    public static WorkloadSummary of(Workload w, List<String> notes, List<io.nodesizer.model.NodeShape> shapes, List<String> zoneNames) {
        // Summed field by field with the same overflow checks as Resources.plus(times(..)): two
        // records per group were most of this pass, which runs interpreted in a cold pack of
        // 150,000 groups (~30 ms); the pod count comes from the same pass.
        long cpu = 0;
        long memory = 0;
        long podSlots = 0;
        long gpu = 0;
        long ephemeral = 0;
        long pods = 0;
        MissingRequests missing = new MissingRequests();
        for (PodGroup g : w.groups()) {
            Resources r = g.request();
            int n = g.replicas();
            if (r.cpuMillis() == 0 || r.memoryBytes() == 0) {
                missing.add(g);
            }
            cpu = Math.addExact(cpu, Math.multiplyExact(r.cpuMillis(), n));
            memory = Math.addExact(memory, Math.multiplyExact(r.memoryBytes(), n));
            podSlots = Math.addExact(podSlots, Math.multiplyExact(r.pods(), n));
            gpu = Math.addExact(gpu, Math.multiplyExact(r.gpuMillis(), n));
            ephemeral = Math.addExact(ephemeral, Math.multiplyExact(r.ephemeralStorageBytes(), n));
            pods += n;
        }
        Resources total = new Resources(cpu, memory, podSlots, gpu, ephemeral);
        List<String> ds = new ArrayList<>();
        java.util.Map<String, Integer> runsOn = new java.util.HashMap<>();
        // Per DaemonSet, the zones it runs in on each shape where it runs: "" for every zone, else "zone a" (--zones named).
        java.util.Map<String, java.util.Set<String>> zonesOf = new java.util.HashMap<>();
        for (io.nodesizer.model.NodeShape shape : w.daemonSets().isEmpty() ? List.<io.nodesizer.model.NodeShape>of() : shapes) {
            var load = io.nodesizer.kube.DaemonSetPlacement.on(shape, w.daemonSets(), zoneNames);
            java.util.Map<String, String> some = new java.util.HashMap<>();
            load.zoneOnly().forEach(z -> some.put(z.daemonSet(), z.zones()));
            for (String n : load.placed()) {
                runsOn.merge(n, 1, Integer::sum);
                zonesOf.computeIfAbsent(n, k -> new java.util.TreeSet<>()).add(some.getOrDefault(n, ""));
            }
        }
        for (DaemonSetSpec d : w.daemonSets()) {
            int on = runsOn.getOrDefault(d.name(), 0);
            String where = on == shapes.size() ? "" : on > 0 ? " where it runs: on " + on + " of the " + shapes.size() + " candidates"
                    : " where it runs; on no node of " + (shapes.size() == 1 ? shapes.get(0).name() : "the " + shapes.size() + " candidates")
                    + ": its selector, node affinity or tolerations, or the GPUs it requests, keep it off";
            long g = d.request().gpuMillis();
            ds.add(d.name() + " (" + Fmt.cpu(d.request().cpuMillis()) + " CPU, " + Fmt.gib(d.request().memoryBytes()) + " GiB"
                    + (g > 0 ? ", " + Fmt.amount(io.nodesizer.model.Resource.GPU, g) + (g == 1000 ? " GPU" : " GPUs") : "")
                    + " per node" + perNodeOf(zonesOf.get(d.name())) + where + ")");
        }
        List<String> all = new ArrayList<>(notes);
        all.addAll(missing.notes());
        List<String> ignored = new ArrayList<>();
        List<String> approximated = new ArrayList<>();
        for (String line : ignored(w)) {
            int at = line.indexOf(APPROXIMATED);
            if (at >= 0) {
                approximated.add(line.substring(0, at + 3) + line.substring(at + APPROXIMATED.length()));
            } else {
                ignored.add(line);
            }
        }
        return new WorkloadSummary(w.sources(), w.groups().size(), pods, total, ds, ignored, approximated, all);
    }

    /**
     * "" for a DaemonSet that runs in every zone where it runs ({@code zones}: its zones per shape, "" for all), " of zone a"
     * for one the nodes of some zones only run: its cost is not every node's (pack and recommend's shapes charge it there alone).
     */
    private static String perNodeOf(java.util.Set<String> zones) {
        if (zones == null || zones.equals(java.util.Set.of(""))) {
            return "";
        }
        return zones.size() == 1 ? " of " + zones.iterator().next() : " of the zones it runs in, which differ by shape";
    }

    /** The objects of the inputs left out or read only in part, a line each: kind, name, origin, why. */
    public static List<String> ignored(Workload w) {
        return ignored(w, "packed");
    }

    /**
     * As {@link #ignored(Workload)}, the readers' verb ("not packed: …", "packed, but …", "packed as
     * written …": the readers word reasons for pack and recommend) put as the command's, e.g. "replayed".
     */
    public static List<String> ignored(Workload w, String verb) {
        List<String> ignored = new ArrayList<>();
        for (IgnoredObject o : w.ignored()) {
            if (o.budget() != null && verb.equals("replayed")) {
                continue; // a PodDisruptionBudget: the replay's drain rules read it
            }
            String reason = o.reason();
            if (reason.startsWith("not packed")) {
                reason = "not " + verb + reason.substring("not packed".length());
            } else if (reason.startsWith("packed,") || reason.startsWith("packed ")) {
                reason = verb + reason.substring("packed".length());
            }
            ignored.add(o.kind() + " " + o.name() + " (" + o.origin() + "): " + reason);
        }
        return ignored;
    }

    /**
     * What a line of {@link #ignored} says of its object: left out, applied, or packed with a caveat
     * (the JSON {@code workload} object's {@code ignored}, {@code applied} and {@code warnings}).
     */
    public enum Listed {
        /** Not packed, or read in no part that changes the result: the objects {@code ignored} names in JSON. */
        LEFT_OUT,
        /** No workload, but its effect applied (a PriorityClass, a LimitRange, an autoscaler, a Namespace's labels). */
        APPLIED,
        /** A workload packed with a caveat ("packed, but …", "replayed as written …"), or read as per-node overhead ("read as …"). */
        CAVEAT
    }

    /**
     * Which of {@link Listed} a line of {@link #ignored} (not an approximated one) is: the JSON
     * keeps them apart, as the text does by the word it opens a note with (QA 67a F5: {@code ignored}
     * held the HPAs and LimitRanges applied and the pods packed with a caveat).
     */
    public static Listed listed(String line) {
        if (line.contains(APPLIED)) {
            return Listed.APPLIED;
        }
        for (String verb : CAVEAT_VERBS) {
            if (line.contains("): " + verb + ",") || line.contains("): " + verb + " ")) {
                return Listed.CAVEAT;
            }
        }
        return Listed.LEFT_OUT;
    }

    /**
     * A line of {@link #ignored} as a note says it: "ignored Kind name (origin): why", or for an object that is no workload
     * but whose effect the reader applied (a PriorityClass, a LimitRange, an autoscaler, a Namespace's labels; its reason
     * opens "applied") "applied Kind name (origin): what", for a workload packed as an approximation "approximated Kind
     * name (origin): what is not modelled", or for one taken with a caveat ("packed, but …") the line alone.
     */
    public static String asNote(String line) {
        int at = line.indexOf(APPROXIMATED);
        if (at >= 0) {
            return "approximated " + line.substring(0, at + 3) + line.substring(at + APPROXIMATED.length());
        }
        return switch (listed(line)) {
            case APPLIED -> {
                int a = line.indexOf(APPLIED);
                yield "applied " + line.substring(0, a + 1) + line.substring(a + APPLIED.length());
            }
            // An object packed with a caveat ("packed, but …", "replayed as written …") was not ignored: the line as it is
            // (QA 60b F3: "ignored Deployment a (…): packed, but …" said both).
            case CAVEAT -> line;
            case LEFT_OUT -> "ignored " + line;
        };
    }

    /** The verbs {@link #ignored(Workload, String)} opens a reason with for objects taken with a caveat. */
    private static final List<String> CAVEAT_VERBS = List.of("packed", "replayed", "rightsized",
            // a dump's pod taken as its DaemonSet's per-node overhead, or a static pod every worker runs (review 67)
            "read");

    private static final String APPLIED = "): applied";

    private static final String APPROXIMATED = "): " + IgnoredObject.APPROXIMATED;

    /**
     * Pods that request no CPU or no memory: the scheduler and every packing count 0 for them, so
     * the nodes found hold them only by their pod slots. Charts that ship {@code resources: {}} are
     * common, and a sizing that quietly leaves such pods out is the one that fails in production.
     */
    private static final class MissingRequests {
        private static final String[] WHAT = {"request no CPU and no memory: packed by their pod slots alone",
                "request no memory: packed as using none", "request no CPU: packed as using none"};
        /** {@link #WHAT} of one pod. */
        private static final String[] WHAT_ONE = {"requests no CPU and no memory: packed by its pod slot alone",
                "requests no memory: packed as using none", "requests no CPU: packed as using none"};
        private final long[] pods = new long[3]; // neither, no memory only, no CPU only
        private final List<List<String>> names = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

        void add(PodGroup g) {
            boolean cpu = g.request().cpuMillis() > 0;
            boolean memory = g.request().memoryBytes() > 0;
            int k = !cpu && !memory ? 0 : cpu ? 1 : 2;
            pods[k] += g.replicas();
            names.get(k).add(g.name());
        }

        List<String> notes() {
            List<String> out = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                List<String> n = names.get(k);
                if (!n.isEmpty()) {
                    boolean one = pods[k] == 1;
                    out.add(String.format(java.util.Locale.ROOT, "%,d pod%s of %,d workload%s (%s) %s, as the scheduler counts %s; "
                                    + "if %s some, the nodes found may be too few (rightsize sets requests from usage).",
                            pods[k], one ? "" : "s", n.size(), n.size() == 1 ? "" : "s",
                            String.join(", ", n.subList(0, Math.min(3, n.size()))) + (n.size() > 3 ? ", …" : ""),
                            (one ? WHAT_ONE : WHAT)[k], one ? "it" : "them", one ? "it does use" : "they do use"));
                }
            }
            return out;
        }
    }

    /** GiB of memory requested per CPU core requested. */
    public double memoryPerCpuGib() {
        return totalRequests.cpuMillis() == 0 ? Double.NaN
                : (totalRequests.memoryBytes() / (1024.0 * 1024 * 1024)) / (totalRequests.cpuMillis() / 1000.0);
    }

    String oneLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "%,d pod%s in %,d group%s requesting %s CPU, %s GiB memory", pods, pods == 1 ? "" : "s",
                groups, groups == 1 ? "" : "s", io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.CPU, totalRequests.cpuMillis()),
                io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.MEMORY, totalRequests.memoryBytes())));
        if (totalRequests.gpuMillis() > 0) {
            sb.append(", ").append(io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.GPU, totalRequests.gpuMillis())).append(" GPU");
        }
        if (!daemonSets.isEmpty()) {
            sb.append("; ").append(daemonSets.size()).append(daemonSets.size() == 1 ? " DaemonSet" : " DaemonSets");
        }
        return sb.toString();
    }
}
