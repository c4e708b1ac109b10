package io.nodesizer.input.manifest;

import io.nodesizer.model.ContainerDefaults;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.Resource;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.engine.Amounts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LimitRanges in the manifests: their container defaults go to the containers of the namespace's
 * pods that set no request, as the API server does when it creates them. kubernetes
 * {@code plugin/pkg/admission/limitranger/admission.go} ({@code defaultContainerResourceRequirements},
 * {@code mergeContainerResources}): for each LimitRange of the pod's namespace, each container (init
 * containers too) that has no request for a resource gets the range's default request for it; a
 * container with a limit and no request already has the limit as its request (API defaulting runs
 * first), so only containers with neither change. Within one LimitRange a later Container item's
 * default overrides an earlier one's; with several LimitRanges in a namespace the first (by name)
 * to give a default wins. CPU and memory are modelled (ephemeral-storage and GPU defaults
 * are rare and not applied).
 */
public final class LimitRanges {
    private LimitRanges() {
    }

    /** The defaults of a LimitRange ({@code spec.limits[]} of type Container), or null when it defaults no CPU or memory request. */
    static ContainerDefaults read(YamlNode.Mapping spec, String namespace, String name, SourceRef ref) {
        YamlNode.Sequence limits = Manifests.sequence(spec, "limits", "spec");
        int[] ordinal = {Resource.CPU.ordinal(), Resource.MEMORY.ordinal()};
        long[] request = {-1, -1}; // cpu, memory: the default request (-1: none)
        long[] max = {-1, -1}; // the lowest max of the Container items (each item is enforced)
        long[] min = {-1, -1}; // the highest min
        long[] defaultLimit = {-1, -1}; // the default limit a container without one gets
        long[] ratio = {-1, -1}; // the lowest maxLimitRequestRatio, in thousandths
        for (int i = 0; limits != null && i < limits.items().size(); i++) {
            String path = "spec.limits[" + i + "]";
            YamlNode.Mapping item = Manifests.mapping(limits.items().get(i), path);
            if (!"Container".equals(Manifests.text(item, "type", path))) {
                continue; // Pod and PersistentVolumeClaim ranges default nothing
            }
            // Each of the item's amounts once: per key, CPU and memory (-1 where the item gives none).
            Map<String, long[]> given = new HashMap<>();
            for (String key : List.of("defaultRequest", "default", "max", "min")) {
                YamlNode.Mapping m = Manifests.optionalMapping(item, key, path);
                long[] g = {-1, -1};
                if (m != null) {
                    long[] v = PodSpecRequests.amounts(m, path + "." + key);
                    for (int k = 0; k < 2; k++) {
                        g[k] = m.get(k == 0 ? "cpu" : "memory") != null ? v[ordinal[k]] : -1;
                    }
                }
                given.put(key, g);
            }
            YamlNode.Mapping ratios = Manifests.optionalMapping(item, "maxLimitRequestRatio", path);
            for (int k = 0; ratios != null && k < 2; k++) {
                long v = ratio(ratios, k == 0 ? "cpu" : "memory", path + ".maxLimitRequestRatio");
                if (v >= 0) {
                    ratio[k] = ratio[k] < 0 ? v : Math.min(ratio[k], v); // each item is enforced: the lowest binds
                }
            }
            for (int k = 0; k < 2; k++) {
                // SetDefaults_LimitRangeItem: default <- max; defaultRequest <- default, then <- min.
                long limit = firstGiven(given.get("default")[k], given.get("max")[k]);
                long req = firstGiven(given.get("defaultRequest")[k], firstGiven(limit, given.get("min")[k]));
                // defaultContainerResourceRequirements assigns item by item: a later Container item's default wins.
                if (limit >= 0) {
                    defaultLimit[k] = limit;
                }
                if (req >= 0) {
                    request[k] = req;
                }
                long itemMax = given.get("max")[k];
                long itemMin = given.get("min")[k];
                if (itemMax >= 0) {
                    max[k] = max[k] < 0 ? itemMax : Math.min(max[k], itemMax);
                }
                if (itemMin >= 0) {
                    min[k] = Math.max(min[k], itemMin);
                }
            }
        }
        boolean hasCpu = request[0] >= 0;
        boolean hasMemory = request[1] >= 0;
        // A range with only a ratio defaults nothing but is enforced all the same.
        return hasCpu || hasMemory || ratio[0] >= 0 || ratio[1] >= 0 ? new ContainerDefaults(namespace, name, Math.max(0, request[0]),
                Math.max(0, request[1]), hasCpu, hasMemory, ref, max[0], max[1], min[0], min[1], defaultLimit[0], defaultLimit[1], ratio[0],
                ratio[1]) : null;
    }

    /** A maxLimitRequestRatio's {@code key} in thousandths, as LimitRanger compares it ({@code MilliValue}), or -1 when not given. */
    private static long ratio(YamlNode.Mapping ratios, String key, String path) {
        YamlNode n = ratios.get(key);
        if (n == null) {
            return -1;
        }
        if (!(n instanceof YamlNode.Scalar s) || s.isNull()) {
            throw new io.nodesizer.input.InputException(n.at().withField(path + "." + key), "The " + path + "." + key + " must be a quantity such as 4 or 1.5.");
        }
        long millis;
        try {
            millis = io.nodesizer.kube.Quantity.parseMillis(s.quantity());
        } catch (io.nodesizer.kube.QuantityFormatException ex) {
            throw new io.nodesizer.input.InputException(s.at().withField(path + "." + key), "The " + path + "." + key + " (" + s.shown() + ") is not a quantity: "
                    + ex.reason() + ".");
        }
        if (millis < 1000) {
            // validateLimitRangeItem: "ratio ... must be greater than or equal to 1" (review 59: 0 advised a 500 CPU request)
            throw new io.nodesizer.input.InputException(s.at().withField(path + "." + key), "The " + path + "." + key + " (" + s.shown()
                    + ") must be at least 1, as the API server requires of a limit-to-request ratio.");
        }
        return millis;
    }

    /** {@code a} when given (>= 0), else {@code b}. */
    private static long firstGiven(long a, long b) {
        return a >= 0 ? a : b;
    }

    /** The workload with every LimitRange's defaults given to the containers of its namespace that set no request. */
    public static Workload apply(Workload w) {
        if (w.containerDefaults().isEmpty()) {
            return w;
        }
        List<ContainerDefaults> ranges = new ArrayList<>(w.containerDefaults());
        ranges.sort(Comparator.comparing(ContainerDefaults::name));
        int[] changed = new int[ranges.size()];
        List<PodGroup> groups = new ArrayList<>();
        List<IgnoredObject> refused = new ArrayList<>();
        for (PodGroup g : w.groups()) {
            PodTemplate t = g.template() == null ? null : defaulted(g.template(), g.placement().namespace(), ranges, changed);
            String why = refusalInOrder(t != null ? t : g.template(), g.placement().namespace(), ranges);
            if (why != null) {
                refused.add(new IgnoredObject(g.kind(), g.name(), g.origin(), "not packed: " + why + ", so its pods are never created"));
                continue;
            }
            groups.add(t == null ? g : new PodGroup(g.name(), g.kind(), t.effectiveRequest(), g.replicas(), g.singlePod(), g.lifetime(),
                    g.origin(), g.gpuModels(), t, g.placement(), g.priority()));
        }
        List<DaemonSetSpec> daemonSets = new ArrayList<>();
        for (DaemonSetSpec d : w.daemonSets()) {
            PodTemplate t = d.template() == null ? null : defaulted(d.template(), d.placement().namespace(), ranges, changed);
            String why = refusalInOrder(t != null ? t : d.template(), d.placement().namespace(), ranges);
            if (why != null) {
                refused.add(new IgnoredObject("DaemonSet", d.name(), d.origin(), "not counted: " + why + ", so it runs on no node"));
                continue;
            }
            daemonSets.add(t == null ? d : new DaemonSetSpec(d.name(), t.effectiveRequest(), d.nodeSelector(), d.origin(), t, d.placement()));
        }
        List<IgnoredObject> ignored = new ArrayList<>(w.ignored());
        ignored.addAll(refused);
        for (int i = 0; i < ranges.size(); i++) {
            ContainerDefaults r = ranges.get(i);
            String ratios = ratios(r);
            ignored.add(new IgnoredObject("LimitRange", r.namespace() + "/" + r.name(), r.origin(), !r.cpu() && !r.memory()
                    ? "applied: it defaults no request; its maxLimitRequestRatio (" + ratios + ") is enforced on the pods of namespace " + r.namespace()
                    : "applied: its default requests ("
                    + (r.cpu() ? Amounts.format(Resource.CPU, r.cpuMillis()) + " " + Amounts.unit(Resource.CPU) : "") + (r.cpu() && r.memory() ? ", " : "")
                    + (r.memory() ? Amounts.format(Resource.MEMORY, r.memoryBytes()) + " " + Amounts.unit(Resource.MEMORY) : "") + ") went to " + changed[i]
                    + " container" + (changed[i] == 1 ? "" : "s") + " without requests in namespace " + r.namespace()
                    + ", as the API server's LimitRanger gives them" + (ratios.isEmpty() ? "" : "; its maxLimitRequestRatio (" + ratios + ") is enforced")));
        }
        // The ranges stay with the workload (applied: every container they default has its request now), so that
        // rightsize can check its new requests against them as the API server would.
        return new Workload(groups, daemonSets, ignored, w.sources(), w.autoscalers(), w.containerDefaults(), w.runtimeClasses(),
                w.namespaces());
    }

    /**
     * Why the namespace's LimitRanges refuse a pod of {@code t} as {@link #apply} refuses one read
     * (a request or limit outside a range's min/max, a request above the default limit a container
     * without a limit gets), or null when they admit it.
     */
    public static String refusal(PodTemplate t, String namespace, List<ContainerDefaults> ranges) {
        List<String> all = refusals(t, namespace, ranges);
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * Every reason the namespace's LimitRanges refuse a pod of {@code t} ({@link #refusal} gives the first), so that a user
     * fixing one is not refused again for the next (QA 64a F13: the CPU ratio was named, the memory min under it was not).
     */
    public static List<String> refusals(PodTemplate t, String namespace, List<ContainerDefaults> ranges) {
        List<ContainerDefaults> byName = new ArrayList<>(ranges);
        byName.sort(Comparator.comparing(ContainerDefaults::name));
        List<String> out = new ArrayList<>();
        refusalsInOrder(t, namespace, byName, out);
        return out;
    }

    /** The limit of {@code res} a container without one gets in {@code namespace} (the first range by name that gives one), or -1. */
    public static long defaultLimit(Resource res, String namespace, List<ContainerDefaults> ranges) {
        return ranges.stream().filter(r -> r.namespace().equals(namespace))
                .sorted(Comparator.comparing(ContainerDefaults::name))
                .mapToLong(r -> res == Resource.CPU ? r.defaultLimitCpuMillis() : r.defaultLimitMemoryBytes())
                .filter(v -> v >= 0).findFirst().orElse(-1);
    }

    /**
     * Why LimitRanger refuses a pod of {@code t} in {@code namespace} (plugin/pkg/admission/limitranger,
     * {@code minConstraint}/{@code maxConstraint} per Container item: a request or a limit below the
     * min or above the max), or null when it admits it or there is no container breakdown to check.
     */
    private static String refusalInOrder(PodTemplate t, String namespace, List<ContainerDefaults> ranges) {
        List<String> out = new ArrayList<>();
        refusalsInOrder(t, namespace, ranges, out);
        return out.isEmpty() ? null : out.get(0);
    }

    private static void refusalsInOrder(PodTemplate t, String namespace, List<ContainerDefaults> ranges, List<String> out) {
        if (t == null) {
            return;
        }
        for (ContainerDefaults r : ranges) {
            if (!r.namespace().equals(namespace)) {
                continue;
            }
            for (PodTemplate.Container c : t.containers()) {
                for (Resource res : List.of(Resource.CPU, Resource.MEMORY)) {
                    long max = res == Resource.CPU ? r.maxCpuMillis() : r.maxMemoryBytes();
                    long min = res == Resource.CPU ? r.minCpuMillis() : r.minMemoryBytes();
                    long request = c.requests().get(res);
                    long limit = c.limits().get(res);
                    boolean hasRequest = res == Resource.CPU ? c.cpuRequest() : c.memoryRequest();
                    String what = null;
                    if (max >= 0 && hasRequest && request > max) {
                        what = "requests " + amount(res, request) + ", above";
                    } else if (max >= 0 && limit > max) {
                        what = "has a limit of " + amount(res, limit) + ", above";
                    } else if (min >= 0 && hasRequest && request < min) {
                        what = "requests " + amount(res, request) + ", below";
                    }
                    if (what != null) {
                        out.add("LimitRange " + r.namespace() + "/" + r.name() + " (" + r.origin() + ") refuses it: container " + c.name() + " "
                                + what + " its " + (what.endsWith("above") ? "max of " + amount(res, max) : "min of " + amount(res, min))
                                + " per container");
                    }
                    String ratio = ratioRefusal(r, c, res, namespace, ranges);
                    if (ratio != null) {
                        out.add(ratio);
                    }
                }
            }
        }
        // Within the bounds, a container without a limit gets the first range's default limit (by name,
        // as the defaults go): pod validation then refuses a request above it.
        for (Resource res : List.of(Resource.CPU, Resource.MEMORY)) {
            for (ContainerDefaults r : ranges) {
                long limit = res == Resource.CPU ? r.defaultLimitCpuMillis() : r.defaultLimitMemoryBytes();
                if (!r.namespace().equals(namespace) || limit < 0) {
                    continue;
                }
                for (PodTemplate.Container c : t.containers()) {
                    boolean hasRequest = res == Resource.CPU ? c.cpuRequest() : c.memoryRequest();
                    if (hasRequest && c.limits().get(res) == 0 && c.requests().get(res) > limit) {
                        out.add("LimitRange " + r.namespace() + "/" + r.name() + " (" + r.origin() + ") gives container " + c.name()
                                + " a default limit of " + amount(res, limit) + ", below its request of " + amount(res, c.requests().get(res))
                                + ", which pod validation refuses");
                    }
                }
                break;
            }
        }
    }

    /**
     * Why LimitRanger's {@code limitRequestRatioConstraint} refuses container {@code c} for {@code res} under range {@code r}, or
     * null: with a ratio, the container needs a request and a limit (its own, else the default limit the namespace's first
     * range by name gives it), neither 0, and the limit at most the ratio times the request, compared in thousandths.
     */
    private static String ratioRefusal(ContainerDefaults r, PodTemplate.Container c, Resource res, String namespace,
                                       List<ContainerDefaults> ranges) {
        long ratio = r.ratioMillis(res);
        if (ratio < 0) {
            return null;
        }
        String head = "LimitRange " + r.namespace() + "/" + r.name() + " (" + r.origin() + ") refuses it: container " + c.name() + " ";
        String max = " its maxLimitRequestRatio of " + Amounts.trim(ratio / 1000.0) + " for " + res.name().toLowerCase(java.util.Locale.ROOT);
        boolean hasRequest = res == Resource.CPU ? c.cpuRequest() : c.memoryRequest();
        long request = c.requests().get(res);
        long limit = c.limits().get(res) > 0 ? c.limits().get(res) : Math.max(0, defaultLimit(res, namespace, ranges));
        if (!hasRequest || request == 0) {
            return head + "has no " + res.name().toLowerCase(java.util.Locale.ROOT) + " request (or 0), which" + max + " needs";
        }
        if (limit == 0) {
            return head + "has no " + res.name().toLowerCase(java.util.Locale.ROOT) + " limit (nor a default one), which" + max + " needs";
        }
        // limit / request > ratio / 1000, exactly (memory in bytes times a ratio can pass int64)
        if (java.math.BigInteger.valueOf(limit).multiply(java.math.BigInteger.valueOf(1000))
                .compareTo(java.math.BigInteger.valueOf(ratio).multiply(java.math.BigInteger.valueOf(request))) > 0) {
            long least = java.math.BigInteger.valueOf(limit).multiply(java.math.BigInteger.valueOf(1000))
                    .add(java.math.BigInteger.valueOf(ratio - 1)).divide(java.math.BigInteger.valueOf(ratio)).longValue();
            // Three decimals: 2001m over 500m is 4.002 times, not "4 times … above its ratio of 4". Compared exactly here, where
            // LimitRanger compares float64s: the two differ only for a limit at the ratio to the last bit.
            return head + "has a limit of " + amount(res, limit) + ", " + Amounts.trim((double) limit / request, 3) + " times its request of "
                    + amount(res, request) + ", above" + max + " (a request of at least " + amount(res, least) + " keeps within it)";
        }
        return null;
    }

    /** "cpu 4, memory 2": the range's ratios, or empty. */
    private static String ratios(ContainerDefaults r) {
        List<String> out = new ArrayList<>();
        for (Resource res : List.of(Resource.CPU, Resource.MEMORY)) {
            if (r.ratioMillis(res) >= 0) {
                out.add(res.name().toLowerCase(java.util.Locale.ROOT) + " " + Amounts.trim(r.ratioMillis(res) / 1000.0));
            }
        }
        return String.join(", ", out);
    }

    private static String amount(Resource r, long v) {
        return Amounts.format(r, v) + " " + Amounts.unit(r);
    }

    /** The template with the namespace's defaults given to containers without a CPU or memory request, or null when none changes. */
    private static PodTemplate defaulted(PodTemplate t, String namespace, List<ContainerDefaults> ranges, int[] changed) {
        List<PodTemplate.Container> out = new ArrayList<>();
        boolean any = false;
        for (PodTemplate.Container c : t.containers()) {
            long cpu = c.requests().cpuMillis();
            long memory = c.requests().memoryBytes();
            boolean hasCpu = c.cpuRequest();
            boolean hasMemory = c.memoryRequest();
            for (int i = 0; i < ranges.size(); i++) {
                ContainerDefaults r = ranges.get(i);
                if (!r.namespace().equals(namespace)) {
                    continue;
                }
                boolean used = false;
                if (!hasCpu && r.cpu()) {
                    cpu = r.cpuMillis();
                    hasCpu = true;
                    used = true;
                }
                if (!hasMemory && r.memory()) {
                    memory = r.memoryBytes();
                    hasMemory = true;
                    used = true;
                }
                changed[i] += used ? 1 : 0;
            }
            if (hasCpu != c.cpuRequest() || hasMemory != c.memoryRequest()) {
                any = true;
                out.add(new PodTemplate.Container(c.name(), c.role(), c.requests().with(Resource.CPU, cpu).with(Resource.MEMORY, memory),
                        c.limits(), hasCpu, hasMemory));
            } else {
                out.add(c);
            }
        }
        return any ? new PodTemplate(out, t.overhead(), t.runtimeClassName(), t.gpuVendor(), t.priorityClassName(), t.priority(), t.preemptionPolicy(),
                t.podLevel(), t.eviction()) : null;
    }
}
