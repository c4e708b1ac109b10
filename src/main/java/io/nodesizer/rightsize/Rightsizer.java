package io.nodesizer.rightsize;

import io.nodesizer.input.usage.UsageMetric;
import io.nodesizer.input.usage.UsageSink;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Requests from usage, in the spirit of krr's simple strategy ({@link RightsizeSettings}): for
 * every long-running container (app containers and sidecars; init containers run before the app
 * and keep their requests), the CPU request becomes the busiest pod's usage at the percentile,
 * rounded up to a whole millicore, and the memory request the peak working set plus the headroom,
 * rounded up to a whole MiB; neither goes below its floor. A metric with too little data keeps its
 * request. Then the workload again with the new requests, pod requests recomputed by the
 * scheduler's formula ({@link PodTemplate#effectiveRequest()}), for the same engine to pack.
 */
public final class Rightsizer {
    private static final long MIB = 1L << 20;
    /** A container at or above this share of its limit is flagged as near it. */
    static final double NEAR_LIMIT = 0.9;
    /**
     * CPU usage this many times a container's limit is no usage it can have had (CFS quota), even across a limit lowered
     * within the window: another unit, most likely millicores written as cores (1,000 times the usage).
     */
    static final double OVER_LIMIT = 100;
    /**
     * The largest memory request recommended, 1 PiB: far above any node (the largest instances have
     * tens of TiB), so a container that needs more fits nowhere either way, and sums of a pod's
     * containers stay within a long.
     */
    static final long MAX_MEMORY_REQUEST = 1L << 50;

    private Rightsizer() {
    }

    /**
     * @param containers one row per workload container, workloads in input order
     * @param before     the workload as read
     * @param after      the same workload with the recommended requests
     * @param warnings   what the user should know: unmatched series, workloads without usage, …
     * @param seriesRead usage series read (CPU and memory counted apart)
     */
    public record Result(List<ContainerAdvice> containers, Workload before, Workload after, List<String> warnings, long seriesRead) {
        public Result {
            containers = List.copyOf(containers);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param snapshot the cluster the workload came from (its pods name their workloads), or null
     * @param reading  runs the usage readers into the sink it is given
     */
    public static Result run(Workload workload, ClusterSnapshot snapshot, RightsizeSettings settings, Consumer<UsageSink> reading) {
        WorkloadIndex index = WorkloadIndex.of(workload, snapshot);
        UsageProfile usage = new UsageProfile(index, settings.cpuPercentile());
        reading.accept(usage);
        if (usage.hasPieces()) {
            reading.accept(usage.joiner()); // a series in several pieces: its samples joined, its percentiles of them all
        }
        usage.finish();
        checkSomeMatch(usage, index, workload.ignored());
        List<ContainerAdvice> advice = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> noUsage = new ArrayList<>();
        List<String> partlyNoUsage = new ArrayList<>();
        List<PodGroup> afterGroups = new ArrayList<>();
        Map<PodGroup, PodGroup> replaced = new java.util.IdentityHashMap<>();
        for (Map.Entry<WorkloadId, List<PodGroup>> e : index.groups().entrySet()) {
            WorkloadId id = e.getKey();
            List<PodGroup> groups = e.getValue();
            PodGroup first = groups.get(0);
            int replicas = groups.stream().mapToInt(PodGroup::replicas).sum();
            boolean anyUsage = false;
            if (first.template() != null) {
                // Pods of several templates (a rollout in progress, a VPA's per-pod requests): the row is the newest template's,
                // the one a patch of the workload changes; every pod's usage sizes it, and the totals count each pod at its own.
                WorkloadIndex.Newest newest = groups.size() == 1 ? null : index.newest(id, groups);
                PodGroup shown = newest == null ? first : newest.group();
                List<ContainerAdvice> rows = adviseTemplate(id, first.kind(), shown.template(), first.placement().namespace(), replicas,
                        usage, index, settings, workload.containerDefaults(), warnings);
                if (newest != null) {
                    rows.replaceAll(a -> a.withShares(shares(groups, a.container())));
                    String note = index.templatesNote(id, groups, newest);
                    if (note != null) {
                        warnings.add(note);
                    }
                }
                anyUsage = rows.stream().anyMatch(a -> !a.has(ContainerAdvice.Flag.NO_USAGE));
                partly(id, rows, partlyNoUsage);
                advice.addAll(rows);
                if (shown.template().podLevel() != null) {
                    warnings.add(podLevelWarning(id, shown.template(), applyTemplate(shown.template(), rows)));
                }
                // As --patches leaves the pods, limits too: a limit raised to its new request, or a Guaranteed pod's set to it,
                // counts against a quota's limits.* (QA 64a F11: 4 × 1035Mi under a 4Gi limits.memory quota was not checked).
                for (PodGroup g : groups) {
                    replaced.put(g, g.withTemplate(patched(g.template(), rows)));
                }
            } else {
                TreeSet<String> names = usage.containers(id);
                boolean perContainer = names.size() > 1;
                if (perContainer) {
                    warnings.add(id + " has one request per pod in " + first.origin().file() + " but usage names containers "
                            + String.join(", ", names) + "; give its manifests or a snapshot to rightsize it per container. It keeps its request.");
                    names.clear();
                }
                String name = names.isEmpty() ? "(pod)" : names.first();
                Resources r = first.request();
                ContainerAdvice a = advise(id, first.kind(), name, replicas, r.cpuMillis(), r.memoryBytes(), 0, 0,
                        names.isEmpty() ? null : usage.cpu(id, name), names.isEmpty() ? null : usage.memory(id, name), settings,
                        usage.hasBothMetrics(), false);
                advice.add(a);
                anyUsage = perContainer || !a.has(ContainerAdvice.Flag.NO_USAGE); // with usage per container, the warning above says why it is not used
                for (PodGroup g : groups) {
                    Resources req = g.request();
                    replaced.put(g, g.withRequest(req.with(Resource.CPU, a.cpuFromUsage() ? a.recommendedCpuMillis() : req.cpuMillis())
                            .with(Resource.MEMORY, a.memoryFromUsage() ? a.recommendedMemoryBytes() : req.memoryBytes())));
                }
            }
            if (!anyUsage) {
                noUsage.add(id.toString());
            }
        }
        for (PodGroup g : workload.groups()) {
            afterGroups.add(replaced.getOrDefault(g, g));
        }
        // DaemonSets: one pod per node, so their requests cost every node (replicas 0 in the advice: "per node").
        Map<DaemonSetSpec, DaemonSetSpec> daemonSets = new java.util.IdentityHashMap<>();
        List<String> templateless = new ArrayList<>();
        for (Map.Entry<WorkloadId, DaemonSetSpec> e : index.daemonSets().entrySet()) {
            WorkloadId id = e.getKey();
            DaemonSetSpec ds = e.getValue();
            if (ds.template() == null) {
                if (!usage.containers(id).isEmpty()) {
                    templateless.add(id.toString());
                }
                continue;
            }
            List<ContainerAdvice> rows = adviseTemplate(id, "DaemonSet", ds.template(), ds.placement().namespace(), 0, usage, index, settings,
                    workload.containerDefaults(), warnings);
            advice.addAll(rows);
            if (rows.stream().allMatch(a -> a.has(ContainerAdvice.Flag.NO_USAGE))) {
                noUsage.add(id.toString());
            }
            partly(id, rows, partlyNoUsage);
            daemonSets.put(ds, ds.withTemplate(patched(ds.template(), rows)));
        }
        if (!templateless.isEmpty()) {
            warnings.add("DaemonSets without a container breakdown keep their requests: " + list(templateless) + ".");
        }
        List<DaemonSetSpec> afterDaemonSets = new ArrayList<>();
        for (DaemonSetSpec ds : workload.daemonSets()) {
            afterDaemonSets.add(daemonSets.getOrDefault(ds, ds));
        }
        Workload after = new Workload(afterGroups, afterDaemonSets, workload.ignored(), workload.sources(), workload.autoscalers());
        advice = flagAutoscaled(advice, workload.autoscalers(), warnings);
        warnGuaranteed(advice, warnings);
        checkCpuUnit(advice, settings, usage, warnings);
        checkCpuUnitWithoutLimits(advice, settings, usage);
        checkCpuAgainstNodes(advice, snapshot, settings, usage);
        warnCpuAboveRequests(advice, settings, usage, warnings);
        checkCpuAboveLimit(advice, warnings);
        checkMemoryUnit(advice, usage);
        checkMemoryLimits(advice, warnings);
        warn(warnings, usage, index, noUsage, workload.ignored());
        if (!partlyNoUsage.isEmpty()) {
            // A sidecar without a series usually means the export's container filter dropped it (QA 64a F26: envoy's rows
            // were flagged no-usage, the warning named only the workloads with no usage at all).
            warnings.add(partlyNoUsage.size() + (partlyNoUsage.size() == 1 ? " workload has" : " workloads have") + " containers without "
                    + "usage, which keep their requests: " + list(partlyNoUsage) + "; check that the export's container filter keeps them.");
        }
        return new Result(advice, workload, after, warnings, usage.seriesRead());
    }

    /** Adds "ns/name (c1, c2)" to {@code out} when some but not all of the workload's containers have no usage. */
    private static void partly(WorkloadId id, List<ContainerAdvice> rows, List<String> out) {
        List<String> none = rows.stream().filter(a -> a.has(ContainerAdvice.Flag.NO_USAGE)).map(ContainerAdvice::container).toList();
        if (!none.isEmpty() && none.size() < rows.size()) {
            out.add(id + " (" + String.join(", ", none) + ")");
        }
    }

    /** The pods of each group whose template has the long-running container, with its requests there. */
    private static List<ContainerAdvice.Share> shares(List<PodGroup> groups, String container) {
        List<ContainerAdvice.Share> out = new ArrayList<>();
        for (PodGroup g : groups) {
            PodTemplate.Container c = g.template() == null ? null : g.template().container(container);
            if (c != null && c.longRunning()) {
                out.add(new ContainerAdvice.Share(g.replicas(), c.cpuRequest() ? c.requests().cpuMillis() : null,
                        c.memoryRequest() ? c.requests().memoryBytes() : null));
            }
        }
        return out;
    }

    /**
     * Rows of workloads a HorizontalPodAutoscaler scales on the utilisation of a resource whose
     * request changes get the {@code hpa} flag, and a warning names them (krr skips such workloads
     * by default; here they are rightsized and flagged).
     */
    private static List<ContainerAdvice> flagAutoscaled(List<ContainerAdvice> advice, List<io.nodesizer.model.Autoscaling> hpas,
                                                        List<String> warnings) {
        if (hpas.isEmpty()) {
            return advice;
        }
        List<ContainerAdvice> out = new ArrayList<>(advice.size());
        java.util.TreeSet<String> named = new java.util.TreeSet<>();
        for (ContainerAdvice a : advice) {
            boolean flagged = false;
            for (io.nodesizer.model.Autoscaling h : hpas) {
                if (h.refused() != null || !h.namespace().equals(a.workload().namespace()) || !h.targetName().equals(a.workload().objectName())
                        || h.targetKind() != null && !h.targetKind().equals(a.kind())) {
                    continue;
                }
                boolean cpuChanges = h.scalesOn("cpu", a.container()) && a.changesCpu();
                boolean memChanges = h.scalesOn("memory", a.container()) && a.changesMemory();
                if (cpuChanges || memChanges) {
                    flagged = true;
                    named.add(a.workload() + " (" + (h.keda() ? "ScaledObject " : "HPA ") + h.name()
                            + " on " + String.join(", ", h.utilization()) + ")");
                }
            }
            if (flagged) {
                a = a.withFlag(ContainerAdvice.Flag.HPA);
            }
            out.add(a);
        }
        if (!named.isEmpty()) {
            warnings.add("A HorizontalPodAutoscaler scales these on the utilisation of a request that changes (usage / request), so "
                    + "it will scale at other loads; review its target: " + String.join(", ", named) + ".");
        }
        return out;
    }

    /**
     * One row per long-running container (app containers and sidecars). A container without a limit
     * has the one its namespace's LimitRange gives it at admission. When the range would refuse the
     * pods with the new requests and limits raised to them ({@code --patches} raises a limit below
     * its new request), the rows that change get {@link ContainerAdvice.Flag#LIMIT_RANGE} and a
     * warning says why.
     */
    private static List<ContainerAdvice> adviseTemplate(WorkloadId id, String kind, PodTemplate template, String namespace, int replicas,
                                                        UsageProfile usage, WorkloadIndex index, RightsizeSettings settings,
                                                        List<io.nodesizer.model.ContainerDefaults> ranges, List<String> warnings) {
        List<ContainerAdvice> rows = new ArrayList<>();
        for (PodTemplate.Container c : template.containers()) {
            if (c.longRunning()) {
                List<String> killed = index.oomKilled(id, c.name());
                ContainerAdvice a = advise(id, kind, c.name(), replicas, c.cpuRequest() ? c.requests().cpuMillis() : null,
                        c.memoryRequest() ? c.requests().memoryBytes() : null, limit(c, Resource.CPU, namespace, ranges),
                        limit(c, Resource.MEMORY, namespace, ranges), usage.cpu(id, c.name()), usage.memory(id, c.name()), settings,
                        usage.hasBothMetrics(), !killed.isEmpty());
                if (!killed.isEmpty()) {
                    warnings.add(oomWarning(a, killed));
                }
                rows.add(a);
            }
        }
        if (guaranteed(template) && rows.stream().anyMatch(a -> a.changesCpu() || a.changesMemory())) {
            rows.replaceAll(a -> a.changesCpu() || a.changesMemory() ? a.withFlag(ContainerAdvice.Flag.GUARANTEED) : a);
        }
        if (ranges.isEmpty()) {
            return rows;
        }
        // Each container's change on its own, as --patches applies them one kubectl command at a time (the template as
        // read is admitted: one the ranges refuse was left out when it was read). A recommendation outside the ranges is
        // first brought within them, as the VPA caps its recommendations to the LimitRange's min and max (QA 64a F13: it was
        // kept at today's request, a saving of 0 where 500m / 128Mi is admitted); what still cannot be met is named, all of it.
        List<ContainerAdvice> out = new ArrayList<>(rows.size());
        for (ContainerAdvice a : rows) {
            if (a.changesCpu() || a.changesMemory()) {
                PodTemplate.Container c = template.container(a.container());
                List<String> moved = new ArrayList<>();
                Long cpu = within(a, c, Resource.CPU, a.cpuFromUsage() ? a.recommendedCpuMillis() : null, namespace, ranges, moved);
                Long memory = within(a, c, Resource.MEMORY, a.memoryFromUsage() ? a.recommendedMemoryBytes() : null, namespace, ranges, moved);
                if (!moved.isEmpty()) {
                    a = a.withRecommended(cpu != null ? cpu : a.recommendedCpuMillis(), memory != null ? memory : a.recommendedMemoryBytes());
                    warnings.add("The recommended requests of " + id + " container " + a.container() + " are brought within the namespace's "
                            + "LimitRanges, as the VPA caps its recommendations: " + String.join("; ", moved) + ".");
                }
            }
            List<String> refused = a.changesCpu() || a.changesMemory()
                    ? io.nodesizer.input.manifest.LimitRanges.refusals(patched(template, List.of(a)), namespace, ranges) : List.of();
            if (!refused.isEmpty()) {
                warnings.add("The recommended requests of " + id + " container " + a.container() + " would not be admitted: "
                        + String.join("; and ", refused) + ". Change the LimitRange first, or keep the requests; --patches leaves them as a comment.");
            }
            out.add(!refused.isEmpty() ? a.withFlag(ContainerAdvice.Flag.LIMIT_RANGE) : a);
        }
        return out;
    }

    /**
     * The recommended request of {@code res} brought within the namespace's LimitRanges, or null when it is not decided by usage
     * or no range moves it (and {@code moved} says what moved it): at least each range's {@code min}, and the limit as it stays
     * over {@code maxLimitRequestRatio}; at most each range's {@code max} (a request above the limit, the default one
     * included, has the limit raised to it by --patches). When no request meets both ends it is left as it is, for the refusal to name.
     */
    private static Long within(ContainerAdvice a, PodTemplate.Container c, Resource res, Long recommended, String namespace,
                               List<io.nodesizer.model.ContainerDefaults> ranges, List<String> moved) {
        if (recommended == null || c == null) {
            return null;
        }
        long own = c.limits().get(res);
        long limit = own > 0 ? own : Math.max(0, io.nodesizer.input.manifest.LimitRanges.defaultLimit(res.kubernetesName(), namespace, ranges));
        long lower = 0;
        long upper = Long.MAX_VALUE;
        String lowerWhy = null;
        String upperWhy = null;
        for (io.nodesizer.model.ContainerDefaults r : ranges) {
            if (!r.namespace().equals(namespace)) {
                continue;
            }
            String name = "LimitRange " + r.namespace() + "/" + r.name();
            long min = r.min(res.kubernetesName());
            long max = r.max(res.kubernetesName());
            if (min > lower) {
                lower = min;
                lowerWhy = "the min of " + name;
            }
            if (max >= 0 && max < upper) {
                upper = max;
                upperWhy = "the max of " + name;
            }
            // The limit stays unless the new request passes it (then --patches raises it to the request, a ratio of 1), or the
            // pods are Guaranteed (their limits follow the requests).
            long ratio = r.ratioMillis(res.kubernetesName());
            if (ratio > 0 && limit > 0 && !a.has(ContainerAdvice.Flag.GUARANTEED)) {
                long least = java.math.BigInteger.valueOf(limit).multiply(java.math.BigInteger.valueOf(1000))
                        .add(java.math.BigInteger.valueOf(ratio - 1)).divide(java.math.BigInteger.valueOf(ratio)).longValue();
                if (least > lower) {
                    lower = least;
                    lowerWhy = "its limit of " + amount(res, limit) + " over the maxLimitRequestRatio " + io.nodesizer.engine.Amounts.trim(ratio / 1000.0)
                            + " of " + name;
                }
            }
        }
        if (lower > upper || recommended >= lower && recommended <= upper) {
            return null;
        }
        long to = Math.min(Math.max(recommended, lower), upper);
        moved.add(res.name().toLowerCase(java.util.Locale.ROOT) + " " + amount(res, recommended) + " → " + amount(res, to) + " ("
                + (to == lower ? lowerWhy : upperWhy) + ")");
        return to;
    }

    /** "500m", "128Mi" as a patch writes them (memory not in whole MiB with its decimals). */
    private static String amount(Resource r, long v) {
        return r == Resource.CPU ? v + "m" : v % MIB == 0 ? v / MIB + "Mi" : mebibytes(v);
    }

    /** One warning naming the workloads whose Guaranteed pods' limits the patches set ({@link ContainerAdvice.Flag#GUARANTEED}). */
    private static void warnGuaranteed(List<ContainerAdvice> advice, List<String> warnings) {
        java.util.Set<String> named = new java.util.LinkedHashSet<>();
        advice.stream().filter(a -> a.has(ContainerAdvice.Flag.GUARANTEED)).forEach(a -> named.add(a.workload().toString()));
        if (!named.isEmpty()) {
            // A count and the first names, as the other warnings give them: every name made one line of 7,226 characters on a
            // real cluster (QA 76a F5); the rows' guaranteed flag names them all.
            warnings.add("The pods of " + (named.size() == 1 ? named.iterator().next() + " are" : named.size() + " workloads ("
                    + list(new ArrayList<>(named)) + ") are each")
                    + " Guaranteed (every container's requests equal its limits): --patches sets the limits to the new requests too, so "
                    + "that they stay Guaranteed (requests alone make them Burstable: evicted before Guaranteed pods under node pressure, "
                    + "and no exclusive CPUs under the static CPU manager, which also needs a whole number of CPUs); a CPU limit at the "
                    + "new request throttles the container above it." + (named.size() > 1 ? " Their rows are flagged guaranteed." : ""));
        }
    }

    /**
     * Whether the pods of {@code template} are Guaranteed: every container, init containers too, has CPU and memory limits
     * and requests equal to them (a limit alone became the request at admission).
     */
    static boolean guaranteed(PodTemplate template) {
        for (PodTemplate.Container c : template.containers()) {
            for (Resource r : List.of(Resource.CPU, Resource.MEMORY)) {
                if (c.limits().get(r) <= 0 || c.requests().get(r) != c.limits().get(r)) {
                    return false;
                }
            }
        }
        return !template.containers().isEmpty();
    }

    /** The container's limit of {@code res}, or the one its namespace's LimitRange gives a container without one (0: none). */
    private static long limit(PodTemplate.Container c, Resource res, String namespace, List<io.nodesizer.model.ContainerDefaults> ranges) {
        long own = c.limits().get(res);
        return own > 0 ? own : Math.max(0, io.nodesizer.input.manifest.LimitRanges.defaultLimit(res.kubernetesName(), namespace, ranges));
    }

    /** What the user should set at pod level: the scheduler counts those requests, not the containers'. */
    private static String podLevelWarning(WorkloadId id, PodTemplate before, PodTemplate after) {
        PodTemplate.PodLevel b = before.podLevel();
        PodTemplate.PodLevel a = after.podLevel();
        List<String> set = new ArrayList<>();
        if (b.cpuMillis() != null) {
            set.add("cpu " + b.cpuMillis() + "m -> " + a.cpuMillis() + "m");
        }
        if (b.memoryBytes() != null) {
            set.add("memory " + (b.memoryBytes() + MIB - 1) / MIB + "Mi -> " + (a.memoryBytes() + MIB - 1) / MIB + "Mi");
        }
        return id + " sets pod-level requests (spec.resources), which the scheduler counts in place of its containers': the packing "
                + "after takes them as its recommended container requests summed where usage decided every long-running container's, "
                + "else as today or raised to that sum (" + String.join(", ", set) + "); set spec.resources.requests to match, as --patches does not.";
    }

    /**
     * The template as {@code --patches} leaves it: the new requests, each limit below its new request raised to it, and a
     * Guaranteed pod's limits set to its new requests.
     */
    private static PodTemplate patched(PodTemplate template, List<ContainerAdvice> rows) {
        PodTemplate t = applyTemplate(template, rows);
        for (ContainerAdvice a : rows) {
            PodTemplate.Container c = t.container(a.container());
            if (c == null || a.has(ContainerAdvice.Flag.LIMIT_RANGE)) {
                continue; // as applyTemplate: not in this template, or the change waits for the range
            }
            Resources limits = c.limits();
            if (a.setsCpuLimit()) {
                limits = limits.with(Resource.CPU, a.recommendedCpuMillis());
            }
            if (a.setsMemoryLimit()) {
                limits = limits.with(Resource.MEMORY, a.recommendedMemoryBytes());
            }
            t = t.with(new PodTemplate.Container(c.name(), c.role(), c.requests(), limits, c.cpuRequest(), c.memoryRequest(), c.named()));
        }
        return t;
    }

    /**
     * The template with each advised container's new requests, except those a LimitRange would refuse
     * ({@link ContainerAdvice.Flag#LIMIT_RANGE}): they cannot be applied as the range stands, so the
     * packing after, and the saving, keep today's.
     */
    private static PodTemplate applyTemplate(PodTemplate template, List<ContainerAdvice> rows) {
        PodTemplate t = template;
        for (ContainerAdvice a : rows) {
            PodTemplate.Container c = t.container(a.container());
            if (c == null || a.has(ContainerAdvice.Flag.LIMIT_RANGE)) {
                continue; // the other template of a rollout lacks this container, or the change waits for the range
            }
            // Only what usage decided changes; anything else keeps this template's own request (the
            // templates of a rollout in progress may differ).
            Resources req = c.requests();
            long cpu = a.cpuFromUsage() ? a.recommendedCpuMillis() : req.cpuMillis();
            long mem = a.memoryFromUsage() ? a.recommendedMemoryBytes() : req.memoryBytes();
            t = t.with(new PodTemplate.Container(c.name(), c.role(), req.with(Resource.CPU, cpu).with(Resource.MEMORY, mem), c.limits(),
                    c.cpuRequest() || a.cpuFromUsage(), c.memoryRequest() || a.memoryFromUsage(), c.named()));
        }
        return t.podLevel() == null ? t : t.withPodLevel(podLevelAfter(t, rows));
    }

    /**
     * A pod's pod-level requests ({@code spec.resources}, which the scheduler counts in place of its
     * containers') after the advice: for each resource, the new containers' requests summed when usage
     * decided it for every long-running container, else today's, raised to that sum where the advice
     * went above it (the API server refuses a pod-level request below the containers').
     */
    private static PodTemplate.PodLevel podLevelAfter(PodTemplate t, List<ContainerAdvice> rows) {
        PodTemplate.PodLevel now = t.podLevel();
        Resources sum = t.containerRequests();
        Long cpu = now.cpuMillis() == null ? null : decidedForAll(t, rows, true) ? sum.cpuMillis()
                : Math.max(now.cpuMillis(), sum.cpuMillis());
        Long memory = now.memoryBytes() == null ? null : decidedForAll(t, rows, false) ? sum.memoryBytes()
                : Math.max(now.memoryBytes(), sum.memoryBytes());
        return new PodTemplate.PodLevel(cpu, memory);
    }

    /** Whether usage decided the CPU ({@code cpu}) or memory request of every long-running container of the template. */
    private static boolean decidedForAll(PodTemplate t, List<ContainerAdvice> rows, boolean cpu) {
        for (PodTemplate.Container c : t.containers()) {
            if (c.longRunning() && rows.stream().noneMatch(a -> a.container().equals(c.name()) && !a.has(ContainerAdvice.Flag.LIMIT_RANGE)
                    && (cpu ? a.cpuFromUsage() : a.memoryFromUsage()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * CPU usage far above a container's CPU limit, which the CFS quota keeps it at: on most of the limited containers, the
     * usage is in another unit (QA 49a M1: a dashboard's millicores read as cores gave 757 cores against a limit of 1, and
     * patches asking for 757055m), and the run exits 2; on a few, their limits are not what the usage ran under (lowered
     * within the window, or not enforced: {@code cpuCFSQuota: false}), and a warning names them.
     */
    private static void checkCpuUnit(List<ContainerAdvice> advice, RightsizeSettings s, UsageProfile usage, List<String> warnings) {
        List<ContainerAdvice> limited = advice.stream().filter(a -> a.cpu() != null && a.limitCpuMillis() != null
                && a.limitCpuMillis() > 0).toList();
        List<ContainerAdvice> over = limited.stream().filter(a -> a.cpu().target() > OVER_LIMIT * a.limitCpuMillis()).toList();
        if (over.isEmpty()) {
            return;
        }
        ContainerAdvice a = over.get(0);
        // The busiest pod's series, which gave the figure: where it is, so that of several exports the one in another unit is named (QA 51c F2).
        UsageProfile.Place place = usage.busiest(UsageMetric.CPU, a.workload(), a.container());
        io.nodesizer.input.SourceLocation at = place == null ? null : place.at();
        String labels = place == null ? null : place.labels();
        String first = a.workload() + " container " + a.container() + " uses " + io.nodesizer.engine.Amounts.formatGrouped(Resource.CPU,
                ceil(a.cpu().target())) + " cores (its busiest pod's p" + io.nodesizer.engine.Amounts.trim(s.cpuPercentile())
                + (labels == null ? "" : ", series " + labels) + "), "
                + Math.round(a.cpu().target() / a.limitCpuMillis()) + " times its CPU limit of " + io.nodesizer.engine.Amounts.format(
                Resource.CPU, a.limitCpuMillis());
        if (2 * over.size() > limited.size()) {
            java.util.TreeSet<String> files = new java.util.TreeSet<>();
            for (ContainerAdvice o : over) {
                UsageProfile.Place l = usage.busiest(UsageMetric.CPU, o.workload(), o.container());
                if (l != null) {
                    files.add(l.at().file());
                }
            }
            String where = files.size() > 1 ? " The series so far above their limits are in " + String.join(", ", files) + "." : "";
            throw new io.nodesizer.input.InputException(at != null ? at : io.nodesizer.input.SourceLocation.ofFile("CPU usage"),
                    over.size() + " of the " + limited.size() + " containers with a CPU limit use over " + (int) OVER_LIMIT + " times it ("
                    + first + "), which the CFS quota never lets a container pass; expected CPU in cores (0.25): an export in "
                    + "millicores (a dashboard's) is to be divided by 1000, and cumulative CPU seconds "
                    + "(container_cpu_usage_seconds_total without rate()) to be given as a rate." + where);
        }
        warnings.add(over.size() + (over.size() == 1 ? " container uses" : " containers use") + " over " + (int) OVER_LIMIT
                + " times its CPU limit (" + first + "), which the CFS quota would not let it: its limit was not what it ran under "
                + "(lowered within the window, or not enforced, cpuCFSQuota: false), or its usage is of another container.");
    }

    /**
     * CPU usage far above the requests on most containers without a CPU limit (where {@link #checkCpuUnit} has no quota to go
     * by): over {@link #OVER_REQUEST} times the request and at least {@link #MANY_CORES} cores. A millicore export read as
     * cores is a thousand times the usage (QA 59b: 381 cores for a container requesting 1, exit 0, and a patch asking for
     * 381034m); a cluster whose containers mostly burst to a hundred times their requests and past 4 cores is not one to
     * trust the export of. The run exits 2 at the first one's series.
     */
    private static void checkCpuUnitWithoutLimits(List<ContainerAdvice> advice, RightsizeSettings s, UsageProfile usage) {
        List<ContainerAdvice> unlimited = advice.stream().filter(a -> a.cpu() != null && a.requestCpuMillis() != null
                && a.requestCpuMillis() >= 10 && (a.limitCpuMillis() == null || a.limitCpuMillis() <= 0)).toList();
        List<ContainerAdvice> over = unlimited.stream().filter(a -> a.cpu().target() > OVER_REQUEST * a.requestCpuMillis()
                && a.cpu().target() >= MANY_CORES).toList();
        if (over.isEmpty() || 2 * over.size() <= unlimited.size()) {
            return;
        }
        ContainerAdvice a = over.get(0);
        UsageProfile.Place place = usage.busiest(UsageMetric.CPU, a.workload(), a.container());
        io.nodesizer.input.SourceLocation at = place == null ? null : place.at();
        throw new io.nodesizer.input.InputException(at != null ? at : io.nodesizer.input.SourceLocation.ofFile("CPU usage"),
                over.size() + " of the " + unlimited.size() + " containers without a CPU limit use over " + (int) OVER_REQUEST
                + " times their request and " + (int) (MANY_CORES / 1000) + " cores or more (" + a.workload() + " container " + a.container()
                + " uses " + io.nodesizer.engine.Amounts.formatGrouped(Resource.CPU, ceil(a.cpu().target())) + " cores, its busiest pod's p"
                + io.nodesizer.engine.Amounts.trim(s.cpuPercentile()) + (place == null || place.labels() == null ? "" : ", series " + place.labels())
                + ", against a request of " + io.nodesizer.engine.Amounts.format(Resource.CPU, a.requestCpuMillis()) + " CPU"
                + "): expected CPU in cores (0.25); an export in millicores (a dashboard's) is to be divided by 1000, and cumulative CPU "
                + "seconds (container_cpu_usage_seconds_total without rate()) to be given as a rate.");
    }

    /**
     * CPU usage that no node of the cluster could give one container: with a snapshot, a container's busiest pod's percentile
     * above {@link #OVER_NODE} times the CPU capacity of the snapshot's largest node. This needs no limit and no request, so
     * it holds for an over-provisioned cluster, where a unit read 100 or 1,000 times too large stays far from the limits and
     * the requests (QA 76a F1: percent of a core read as cores, "+384 %" and exit 0): in percent, any container using more
     * than a hundredth of the largest node (0.16 cores beside 16-core nodes) passes it, and the busiest containers of a
     * cluster do. The run exits 2 at the first one's series.
     */
    private static void checkCpuAgainstNodes(List<ContainerAdvice> advice, ClusterSnapshot snapshot, RightsizeSettings s, UsageProfile usage) {
        ClusterSnapshot.Node largest = snapshot == null ? null : snapshot.nodes().stream().filter(n -> n.capacity().cpuMillis() > 0)
                .max(java.util.Comparator.comparingLong(n -> n.capacity().cpuMillis())).orElse(null);
        if (largest == null) {
            return;
        }
        long millicores = largest.capacity().cpuMillis();
        List<ContainerAdvice> over = advice.stream().filter(a -> a.cpu() != null && a.cpu().target() > OVER_NODE * millicores).toList();
        if (over.isEmpty()) {
            return;
        }
        ContainerAdvice a = over.stream().max(java.util.Comparator.comparingDouble(o -> o.cpu().target())).orElseThrow();
        UsageProfile.Place place = usage.busiest(UsageMetric.CPU, a.workload(), a.container());
        throw new io.nodesizer.input.InputException(place != null ? place.at() : io.nodesizer.input.SourceLocation.ofFile("CPU usage"),
                over.size() + (over.size() == 1 ? " container uses" : " containers use") + " more than " + (int) OVER_NODE + " times the CPU of "
                + "the snapshot's largest node (" + largest.name() + ", " + io.nodesizer.engine.Amounts.format(Resource.CPU, millicores) + " CPU), "
                + "which no container can have used on it (" + a.workload() + " container " + a.container() + ": "
                + io.nodesizer.engine.Amounts.formatGrouped(Resource.CPU, ceil(a.cpu().target())) + " cores at its busiest pod's p"
                + io.nodesizer.engine.Amounts.trim(s.cpuPercentile()) + (place == null || place.labels() == null ? "" : ", series " + place.labels()) + "); expected CPU in cores (0.25): "
                + "an export in percent of a core (a \"CPU %\" panel) reads 100 times the usage and one in millicores (a dashboard's) "
                + "1,000 times; divide it. Or the snapshot is of another cluster than the usage.");
    }

    /** How many times the largest node's CPU a container's usage may read before {@link #checkCpuAgainstNodes} refuses it (nodes replaced by smaller ones within the window). */
    static final double OVER_NODE = 2;

    /**
     * CPU usage above the requests on most containers without a CPU limit, where the file does not state the unit: a warning,
     * as an under-requested cluster (a LimitRange's small default request) reads the same. An export in percent of a core, or
     * in millicores, of an over-provisioned cluster whose containers use a few percent of their requests passes
     * {@link #checkCpuUnitWithoutLimits} (QA 76a F1: every container at 48 times its request, "+4,733 %", exit 0), and without
     * a snapshot no node capacity bounds it ({@link #checkCpuAgainstNodes}); in a cluster the usage is read right, most
     * containers use less than their requests.
     */
    private static void warnCpuAboveRequests(List<ContainerAdvice> advice, RightsizeSettings s, UsageProfile usage, List<String> warnings) {
        List<ContainerAdvice> unlimited = advice.stream().filter(a -> a.cpu() != null && a.requestCpuMillis() != null
                && a.requestCpuMillis() >= 10 && (a.limitCpuMillis() == null || a.limitCpuMillis() <= 0)
                && !usage.cpuUnitStated(a.workload(), a.container())).toList();
        List<ContainerAdvice> over = unlimited.stream().filter(a -> a.cpu().target() > ABOVE_REQUEST * a.requestCpuMillis()).toList();
        if (over.isEmpty() || 2 * over.size() <= unlimited.size()) {
            return;
        }
        double[] ratios = unlimited.stream().mapToDouble(a -> a.cpu().target() / a.requestCpuMillis()).sorted().toArray();
        double median = ratios.length % 2 == 1 ? ratios[ratios.length / 2] : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
        ContainerAdvice a = over.get(0);
        warnings.add(over.size() + " of the " + unlimited.size() + " containers without a CPU limit use over " + (int) ABOVE_REQUEST
                + " times their CPU request at their busiest pod's p" + io.nodesizer.engine.Amounts.trim(s.cpuPercentile()) + " (the median "
                + io.nodesizer.engine.Amounts.trim(median, median < 10 ? 1 : 0) + " times; " + a.workload() + " container " + a.container() + ": "
                + io.nodesizer.engine.Amounts.format(Resource.CPU, ceil(a.cpu().target())) + " against " + io.nodesizer.engine.Amounts.format(
                Resource.CPU, a.requestCpuMillis()) + " CPU). CPU usage is read in cores: an export in percent of a core (a \"CPU %\" panel) "
                + "reads 100 times the usage and one in millicores (a dashboard's) 1,000 times, and the new requests would be as much too "
                + "large; divide it, or give quantities with their unit (250m). If the requests really are this far below the usage, "
                + "these containers are under-requested (flagged cpu-above-request).");
    }

    /** How far above its request most containers without a limit must run for {@link #warnCpuAboveRequests} to doubt the unit. */
    static final double ABOVE_REQUEST = 3;

    /** How far above its request a container without a limit must run for {@link #checkCpuUnitWithoutLimits} to doubt the unit. */
    static final double OVER_REQUEST = 100;
    /**
     * And at least this many millicores: a small request bursting a hundredfold to a few cores is plausible (review 59: a 10m
     * request bursting to 4 cores would have stopped the run); most containers at 16 cores and more, far above their requests,
     * is a unit.
     */
    static final double MANY_CORES = 16000;

    /**
     * CPU usage above the container's CPU limit, under {@link #OVER_LIMIT} times it: the CFS quota keeps a container at its
     * limit, so its limit was not what it ran under, or the usage is in another unit (millicores as cores on a container that
     * uses under a tenth of its limit); a warning names them (QA 51c F2: "CPU 33 near its 4 limit" asked for 33 CPUs)
     * ({@link ContainerAdvice#cpuAboveLimit}).
     */
    private static void checkCpuAboveLimit(List<ContainerAdvice> advice, List<String> warnings) {
        List<ContainerAdvice> above = advice.stream().filter(a -> a.cpuAboveLimit() && a.cpu().target() <= OVER_LIMIT * a.limitCpuMillis())
                .toList();
        if (above.isEmpty()) {
            return;
        }
        ContainerAdvice a = above.get(0);
        warnings.add(above.size() + (above.size() == 1 ? " container's" : " containers'") + " CPU usage is above its CPU limit ("
                + a.workload() + " container " + a.container() + ": " + io.nodesizer.engine.Amounts.format(Resource.CPU, ceil(a.cpu().target()))
                + " against " + io.nodesizer.engine.Amounts.format(Resource.CPU, a.limitCpuMillis()) + " CPU), which the CFS quota does not "
                + "let it pass: the limit was not what it ran under (raised within the window, or not enforced), or the export is in "
                + "another unit (millicores written as cores: divide by 1000).");
    }

    /**
     * Memory usage far below the requests on most containers that ask for a fair amount: an export in another unit (KiB, from
     * a dashboard's "/ 1024" or metrics-server's Ki quantities without the suffix) read as bytes, which the file's own check
     * (its largest sample under 1 MiB) lets through when one container is large (QA 51c F11: elasticsearch's 9 GiB read as
     * 9 MiB, and every request went to the floor, 16Gi → 100Mi). A working set under 1/1000 of its request on most containers (a KiB export of any container using under its request reads below it)
     * that request 64 MiB or more is not an over-provisioned cluster but a unit: the run exits 2 at the first one's series.
     */
    private static void checkMemoryUnit(List<ContainerAdvice> advice, UsageProfile usage) {
        List<ContainerAdvice> sized = advice.stream().filter(a -> a.memory() != null && a.requestMemoryBytes() != null
                && a.requestMemoryBytes() >= 64L << 20).toList();
        List<ContainerAdvice> tiny = sized.stream().filter(a -> a.memory().max() * MEMORY_UNDER < a.requestMemoryBytes()).toList();
        if (tiny.isEmpty() || 2 * tiny.size() <= sized.size()) {
            return;
        }
        ContainerAdvice a = tiny.get(0);
        UsageProfile.Place place = usage.busiest(UsageMetric.MEMORY, a.workload(), a.container());
        io.nodesizer.input.SourceLocation at = place == null ? null : place.at();
        throw new io.nodesizer.input.InputException(at != null ? at : io.nodesizer.input.SourceLocation.ofFile("memory usage"),
                tiny.size() + " of the " + sized.size() + " containers that request 64 MiB or more peak below 1/" + (int) MEMORY_UNDER
                + " of their request (" + a.workload() + " container " + a.container() + " peaks at " + mebibytes(a.memory().max())
                + " against a request of " + mebibytes(a.requestMemoryBytes()) + "): expected the working set in bytes; an export in KiB (a \"/ 1024\" in the "
                + "query, Ki quantities without their suffix) reads 1,024 times small and would cut every request to the floor.");
    }

    /** Bytes in MiB for a message, with up to two decimals and grouped: "9.21 MiB", "16,384 MiB". */
    private static String mebibytes(double bytes) {
        return io.nodesizer.engine.Amounts.group(io.nodesizer.engine.Amounts.trim(bytes / (1 << 20), 2)) + " MiB";
    }

    /** How far below its request most containers' memory peaks may be before the usage is taken for another unit ({@link #checkMemoryUnit}). */
    static final double MEMORY_UNDER = 1000;

    /**
     * A working set above its container's memory limit, which the kernel OOM-kills at (cAdvisor's working set is usage less
     * inactive file pages, and usage is capped at the limit): the limit was not what the container ran under (raised within
     * the window), or the series is not that container's (summed over a pod's containers). The new request comes from the
     * usage all the same, so a warning names them (QA 51c F6: 500Gi was "near its 1.5Gi limit"; {@link ContainerAdvice#memoryAboveLimit}).
     */
    private static void checkMemoryLimits(List<ContainerAdvice> advice, List<String> warnings) {
        List<ContainerAdvice> over = advice.stream().filter(ContainerAdvice::memoryAboveLimit).toList();
        if (over.isEmpty()) {
            return;
        }
        ContainerAdvice a = over.get(0);
        warnings.add(over.size() + (over.size() == 1 ? " container's" : " containers'") + " memory peak is above its memory limit ("
                + a.workload() + " container " + a.container() + ": " + mebibytes(a.memory().max()) + " against "
                + mebibytes(a.limitMemoryBytes()) + "), which a working set cannot pass (the kernel OOM-kills at the limit): the limit was not what it ran under "
                + "(changed within the window), or the series is not this container's alone (summed over the pod's containers?).");
    }

    /**
     * @param bothMetrics whether the usage read has samples of both metrics: then a container with samples of one and none
     *                    of the other has too little data for the other (a run given only --cpu-usage does not)
     */
    static ContainerAdvice advise(WorkloadId id, String kind, String container, int replicas, Long requestCpu, Long requestMemory,
                                  long limitCpu, long limitMemory, UsageStats cpu, UsageStats memory, RightsizeSettings s,
                                  boolean bothMetrics, boolean oomKilled) {
        List<ContainerAdvice.Flag> flags = new ArrayList<>();
        if (oomKilled) {
            flags.add(ContainerAdvice.Flag.OOM_KILLED);
        }
        if (cpu == null && memory == null) {
            flags.add(ContainerAdvice.Flag.NO_USAGE);
        }
        boolean cpuEnough = enough(cpu, s);
        boolean memoryEnough = enough(memory, s);
        // A metric with no sample at all is one with fewer than the minimum too (QA 49a M3: CPU samples and an empty memory
        // column kept the memory request without a word), unless neither has any (no-usage says that).
        if (cpu != null && !cpuEnough || memory != null && !memoryEnough || bothMetrics && (cpu == null) != (memory == null)) {
            flags.add(ContainerAdvice.Flag.LITTLE_DATA);
        }
        if (requestCpu == null) {
            flags.add(ContainerAdvice.Flag.NO_CPU_REQUEST);
        }
        if (requestMemory == null) {
            flags.add(ContainerAdvice.Flag.NO_MEMORY_REQUEST);
        }
        if (cpu != null && requestCpu != null && cpu.target() > requestCpu) {
            flags.add(ContainerAdvice.Flag.CPU_ABOVE_REQUEST);
        }
        if (memory != null && requestMemory != null && memory.max() > requestMemory) {
            flags.add(ContainerAdvice.Flag.MEMORY_ABOVE_REQUEST);
        }
        if (cpu != null && limitCpu > 0 && cpu.target() >= NEAR_LIMIT * limitCpu) {
            flags.add(ContainerAdvice.Flag.CPU_NEAR_LIMIT);
        }
        if (memory != null && limitMemory > 0 && memory.max() >= NEAR_LIMIT * limitMemory) {
            flags.add(ContainerAdvice.Flag.MEMORY_NEAR_LIMIT);
        }
        // Long.valueOf on purpose: a conditional of long and a null Long would unbox the null.
        Long newCpu = cpuEnough ? Long.valueOf(Math.max(ceil(cpu.target()), s.minCpuMillis())) : requestCpu;
        // In whole MiB, and at most MAX_MEMORY_REQUEST: a peak near the largest sample the readers take, times the largest
        // headroom, is beyond a long, and a pod's containers are summed.
        Long newMemory = memoryEnough
                ? Long.valueOf(Math.max(Math.min(ceil(memory.max() * (1 + s.memoryHeadroomPercent() / 100) / MIB), MAX_MEMORY_REQUEST / MIB) * MIB,
                s.minMemoryBytes()))
                : requestMemory;
        long bumped = oomKilled ? oomBump(limitMemory, requestMemory, memory) : 0;
        if (bumped > 0) {
            newMemory = Math.max(newMemory == null ? 0 : newMemory, bumped);
        }
        if (newCpu != null && limitCpu > 0 && newCpu > limitCpu || newMemory != null && limitMemory > 0 && newMemory > limitMemory) {
            flags.add(ContainerAdvice.Flag.REQUEST_ABOVE_LIMIT);
        }
        return new ContainerAdvice(id, kind, container, replicas, requestCpu, requestMemory, limitCpu > 0 ? limitCpu : null,
                limitMemory > 0 ? limitMemory : null, cpu, memory, newCpu, newMemory, flags, cpuEnough, memoryEnough || bumped > 0, List.of());
    }

    /** The VPA recommender's OOM bump: 20 % more memory than the container had when killed, and at least 100 MiB more. */
    static final double OOM_BUMP_RATIO = 1.2;
    static final long OOM_MIN_BUMP = 100 * MIB;

    /**
     * The memory an OOM-killed container needs at least, in whole MiB: the VPA recommender's bump
     * ({@code max(m + 100 MiB, 1.2 m)}, vertical-pod-autoscaler {@code model.OOMBumpUpRatio}, {@code OOMMinBumpUp}) of what it
     * reached when killed: its memory limit, where the kernel kills it (the samples, minutes apart, missed that peak); without a
     * limit the node ran short, and the most it is known to have used is its peak or request. 0 when nothing is known.
     */
    private static long oomBump(long limitMemory, Long requestMemory, UsageStats memory) {
        double reached = oomBase(limitMemory, requestMemory, memory).bytes();
        if (reached <= 0) {
            return 0;
        }
        double needed = Math.min(Math.max(reached + OOM_MIN_BUMP, reached * OOM_BUMP_RATIO), MAX_MEMORY_REQUEST);
        return ceil(needed / MIB) * MIB;
    }

    /** What {@link #oomBump} bumps: the memory an OOM-killed container is known to have reached, and its words for the warning. */
    record OomBase(double bytes, String words) {
    }

    /**
     * The larger of the usage peak and the memory limit (where the kernel kills it) or, without a limit, the request: the
     * base {@link #oomBump} bumps, named as it is (QA c F5: a peak above the limit was bumped and the limit named).
     */
    static OomBase oomBase(long limitMemory, Long requestMemory, UsageStats memory) {
        double peak = memory == null ? 0 : memory.max();
        double known = limitMemory > 0 ? limitMemory : requestMemory == null ? 0 : requestMemory;
        String knownWords = limitMemory > 0 ? "its " + mebibytes(known) + " limit" : requestMemory == null ? null
                : "its " + mebibytes(known) + " request";
        if (peak > known) {
            return new OomBase(peak, "its " + mebibytes(peak) + " usage peak" + (knownWords == null ? "" : " (above " + knownWords + ")")
                    + (limitMemory > 0 ? "" : ", the most it is known to have used"));
        }
        return new OomBase(known, knownWords == null ? null : knownWords
                + (limitMemory > 0 ? ", where the kernel killed it" : ", the most it is known to have used"));
    }

    /** Why an OOM-killed container's memory is not cut: its pods, and what it is set to. */
    static String oomWarning(ContainerAdvice a, List<String> killed) {
        OomBase base = oomBase(a.limitMemoryBytes() == null ? 0 : a.limitMemoryBytes(), a.requestMemoryBytes(), a.memory());
        String killedIn = a.workload() + " container " + a.container() + " was OOM-killed (" + io.nodesizer.model.NameLists.firstOf(killed, 3)
                + " in the snapshot's status)";
        if (base.words() == null) {
            return killedIn + ": no memory limit, request or usage of it is known, so there is nothing to bump as the VPA recommender "
                    + "does after an OOM; give it a memory request.";
        }
        return killedIn + ": its memory is set to at least 20 % (and 100Mi) above " + base.words()
                + ", as the VPA recommender bumps it after an OOM"
                + (a.recommendedMemoryBytes() != null ? " (" + mebibytes(a.recommendedMemoryBytes()) + ")" : "")
                + "; the usage samples, minutes apart, missed the peak that killed it.";
    }

    private static boolean enough(UsageStats u, RightsizeSettings s) {
        return u != null && u.samples() >= s.minSamples() && u.spanSeconds() >= s.minHistorySeconds();
    }

    /** Rounds up, forgiving the last bits of float noise (250.0000000001 millicores is 250). */
    private static long ceil(double v) {
        return (long) Math.ceil(v - 1e-6);
    }

    /**
     * Usage of which not one series maps to a workload is of another cluster, or relabelled (namespaces renamed): the run would
     * keep every request and report a saving of 0 (QA 64a F15), so it exits 2 naming the namespaces on each side. Series of
     * workloads listed as ignored (a LimitRange refused them) are not that.
     */
    private static void checkSomeMatch(UsageProfile usage, WorkloadIndex index, List<io.nodesizer.model.IgnoredObject> ignored) {
        if (usage.seriesRead() == 0 || usage.matchedRead() > 0) {
            return;
        }
        List<String> leftOut = leftOut(ignored);
        TreeSet<String> inUsage = new TreeSet<>();
        for (String who : usage.unmatched().keySet()) {
            if (leftOut.stream().anyMatch(n -> who.equals(n) || who.startsWith(n + "-"))) {
                return;
            }
            inUsage.add(who.substring(0, who.indexOf('/')));
        }
        TreeSet<String> inWorkload = new TreeSet<>();
        index.groups().keySet().forEach(id -> inWorkload.add(id.namespace()));
        index.daemonSets().keySet().forEach(id -> inWorkload.add(id.namespace()));
        io.nodesizer.input.SourceLocation at = usage.firstUnmatched();
        throw new io.nodesizer.input.InputException(at != null ? at : io.nodesizer.input.SourceLocation.ofFile("usage"),
                "None of the " + usage.seriesRead() + " usage series matches a workload (namespaces in the usage: "
                        + list(new ArrayList<>(inUsage)) + "; in the workloads: " + list(new ArrayList<>(inWorkload))
                        + "): expected the usage of the same cluster, with its namespaces and workload or pod names as they are; "
                        + "usage of another cluster, or a relabelled export, would change no request.");
    }

    /** The names ("namespace/name") of the workloads the readers left out (listed as ignored, "not packed: …"). */
    private static List<String> leftOut(List<io.nodesizer.model.IgnoredObject> ignored) {
        return ignored.stream().filter(o -> o.reason().startsWith("not packed")).map(io.nodesizer.model.IgnoredObject::name).toList();
    }

    private static void warn(List<String> warnings, UsageProfile usage, WorkloadIndex index, List<String> noUsage,
                             List<io.nodesizer.model.IgnoredObject> ignored) {
        if (!usage.unmatched().isEmpty()) {
            // Series of a workload the readers left out (a LimitRange refuses it, a suspended CronJob, …: listed as ignored)
            // are said to be its, not to match no workload (QA 64a F13: cart's series "matched no workload").
            List<String> leftOut = leftOut(ignored);
            List<String> names = new ArrayList<>();
            List<String> ofIgnored = new ArrayList<>();
            int total = 0;
            int totalIgnored = 0;
            for (Map.Entry<String, Integer> e : usage.unmatched().entrySet()) {
                String who = e.getKey();
                if (leftOut.stream().anyMatch(n -> who.equals(n) || who.startsWith(n + "-"))) {
                    totalIgnored += e.getValue();
                    ofIgnored.add(who);
                } else {
                    total += e.getValue();
                    names.add(who);
                }
            }
            if (total > 0) {
                warnings.add(total + (total == 1 ? " usage series matches" : " usage series match") + " no workload and "
                        + (total == 1 ? "is" : "are") + " left out: " + list(names) + ".");
            }
            if (totalIgnored > 0) {
                warnings.add(totalIgnored + (totalIgnored == 1 ? " usage series belongs" : " usage series belong") + " to workloads "
                        + "listed as ignored (not rightsized) and " + (totalIgnored == 1 ? "is" : "are") + " left out: " + list(ofIgnored) + ".");
            }
        }
        List<String> overlapping = usage.overlapping();
        if (!overlapping.isEmpty()) {
            warnings.add(overlapping.size() + (overlapping.size() == 1 ? " usage series comes" : " usage series come")
                    + " in pieces that overlap in time, and their samples were taken together: " + list(overlapping)
                    + ". A restarted container's old and new series overlap for a few samples (the old one until it goes stale), "
                    + "which counts those samples twice and matters little; more than that, the same export given twice (give it "
                    + "once) or split exports that do not cover consecutive times.");
        }
        TreeSet<String> unknown = usage.unknownContainers(index::hasContainer);
        if (!unknown.isEmpty()) {
            warnings.add("Usage names containers the workloads do not have (left out): " + list(new ArrayList<>(unknown)) + ".");
        }
        if (!noUsage.isEmpty()) {
            warnings.add(noUsage.size() + (noUsage.size() == 1 ? " workload has" : " workloads have") + " no usage and keep"
                    + (noUsage.size() == 1 ? "s its" : " their") + " requests: " + list(noUsage) + ".");
        }
    }

    private static String list(List<String> names) {
        return io.nodesizer.model.NameLists.firstOf(names, 10);
    }
}
