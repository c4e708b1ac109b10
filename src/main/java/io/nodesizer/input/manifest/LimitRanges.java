package io.nodesizer.input.manifest;

import io.nodesizer.model.ContainerDefaults;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.engine.Amounts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * LimitRanges in the manifests: their container defaults go to the containers of the namespace's
 * pods that set no request, as the API server does when it creates them. kubernetes
 * {@code plugin/pkg/admission/limitranger/admission.go} ({@code defaultContainerResourceRequirements},
 * {@code mergeContainerResources}): for each LimitRange of the pod's namespace, each container (init
 * containers too) that has no request for a resource gets the range's default request for it; a
 * container with a limit and no request already has the limit as its request (API defaulting runs
 * first), so only containers with neither change. Within one LimitRange a later Container item's
 * default overrides an earlier one's; with several LimitRanges in a namespace the first (by name)
 * to give a default wins. Every resource nodesizer packs is defaulted and bounded (cpu, memory,
 * ephemeral-storage, a GPU's device-plugin name: QA 67a F1, where an ephemeral-storage default was
 * dropped); the defaults of the others (hugepages, other extended resources) are named in the report
 * with the containers they reach, not counted.
 */
public final class LimitRanges {
    private LimitRanges() {
    }

    /** The keys of a Container item that give amounts per resource. */
    private static final List<String> AMOUNTS = List.of("defaultRequest", "default", "max", "min");

    /**
     * The defaults of a LimitRange ({@code spec.limits[]} of type Container), or null when it defaults no request, enforces
     * no ratio and gives no default of a resource nodesizer does not pack.
     */
    static ContainerDefaults read(YamlNode.Mapping spec, String namespace, String name, SourceRef ref) {
        YamlNode.Sequence limits = Manifests.sequence(spec, "limits", "spec");
        Map<String, Long> request = new TreeMap<>(); // the default request per resource
        Map<String, Long> defaultLimit = new TreeMap<>(); // the default limit a container without one gets
        Map<String, Long> max = new TreeMap<>(); // the lowest max of the Container items (each item is enforced)
        Map<String, Long> min = new TreeMap<>(); // the highest min
        Map<String, Long> ratio = new TreeMap<>(); // the lowest maxLimitRequestRatio, in thousandths
        Map<String, String> unmodelled = new TreeMap<>(); // the defaults of resources not packed, as written
        for (int i = 0; limits != null && i < limits.items().size(); i++) {
            String path = "spec.limits[" + i + "]";
            YamlNode.Mapping item = Manifests.mapping(limits.items().get(i), path);
            if (!"Container".equals(Manifests.text(item, "type", path))) {
                continue; // Pod and PersistentVolumeClaim ranges default nothing
            }
            // Each of the item's amounts once, per key and resource; the others' as written.
            Map<String, Map<String, Long>> given = new HashMap<>();
            Map<String, Map<String, String>> written = new HashMap<>();
            java.util.SortedSet<String> names = new java.util.TreeSet<>();
            java.util.SortedSet<String> others = new java.util.TreeSet<>();
            for (String key : AMOUNTS) {
                given.put(key, new HashMap<>());
                written.put(key, new HashMap<>());
                YamlNode.Mapping m = Manifests.optionalMapping(item, key, path);
                for (Map.Entry<String, YamlNode> e : m == null ? List.<Map.Entry<String, YamlNode>>of() : m.entries().entrySet()) {
                    Resource res = PodSpecRequests.resourceOf(e.getKey());
                    if (res != null) {
                        given.get(key).put(e.getKey(), PodSpecRequests.amount(res, e.getValue(), path + "." + key + "." + e.getKey()));
                        names.add(e.getKey());
                    } else if (e.getValue() instanceof YamlNode.Scalar v && !v.isNull()) {
                        written.get(key).put(e.getKey(), v.shown());
                        others.add(e.getKey());
                    }
                }
            }
            YamlNode.Mapping ratios = Manifests.optionalMapping(item, "maxLimitRequestRatio", path);
            for (String key : ratios == null ? java.util.Set.<String>of() : ratios.entries().keySet()) {
                long v = PodSpecRequests.resourceOf(key) == null ? -1 : ratio(ratios, key, path + ".maxLimitRequestRatio");
                if (v >= 0) {
                    ratio.merge(key, v, Math::min); // each item is enforced: the lowest binds
                }
            }
            for (String k : names) {
                // SetDefaults_LimitRangeItem: default <- max; defaultRequest <- default, then <- min.
                long limit = firstGiven(given, k, "default", "max");
                long req = firstGiven(given, k, "defaultRequest", "default", "max", "min");
                boolean fromMax = !given.get("default").containsKey(k) && given.get("max").containsKey(k);
                if (!PodSpecRequests.overcommitAllowed(k) && (given.get("default").containsKey(k) || fromMax)
                        && given.get("defaultRequest").containsKey(k) && limit != req) {
                    // ValidateLimitRange: "default value … must equal to defaultRequest value … in nvidia.com/gpu" for a resource
                    // that cannot be overcommitted, so such a LimitRange is never created; a default left out is the max by then
                    // (SetDefaults_LimitRangeItem runs before validation: review 67).
                    YamlNode v = Manifests.optionalMapping(item, "defaultRequest", path).get(k);
                    throw new io.nodesizer.input.InputException(v.at().withField(path + ".defaultRequest." + k), "The " + path
                            + ".defaultRequest." + k + " must equal " + path + (fromMax ? ".max." + k + " (default." + k + " is left out, "
                            + "and the API server defaults it to the max)" : ".default." + k) + ", as " + k + " cannot be overcommitted; "
                            + "the API server refuses the LimitRange. Maybe leave defaultRequest out: it defaults to default.");
                }
                // defaultContainerResourceRequirements assigns item by item: a later Container item's default wins.
                if (limit >= 0) {
                    defaultLimit.put(k, limit);
                }
                if (req >= 0) {
                    request.put(k, req);
                }
                long itemMax = firstGiven(given, k, "max");
                long itemMin = firstGiven(given, k, "min");
                if (itemMax >= 0) {
                    max.merge(k, itemMax, Math::min);
                }
                if (itemMin >= 0) {
                    min.merge(k, itemMin, Math::max);
                }
            }
            for (String k : others) {
                for (String key : AMOUNTS) { // the request a container gets, as SetDefaults_LimitRangeItem completes it
                    if (written.get(key).containsKey(k)) {
                        unmodelled.put(k, written.get(key).get(k));
                        break;
                    }
                }
            }
        }
        // A range with only a ratio defaults nothing but is enforced all the same.
        return request.isEmpty() && ratio.isEmpty() && unmodelled.isEmpty() ? null
                : new ContainerDefaults(namespace, name, ref, request, defaultLimit, max, min, ratio, unmodelled);
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

    /** The amount of resource {@code k} under the first of {@code keys} that gives one, or -1. */
    private static long firstGiven(Map<String, Map<String, Long>> given, String k, String... keys) {
        for (String key : keys) {
            Long v = given.get(key).get(k);
            if (v != null) {
                return v;
            }
        }
        return -1;
    }

    /** The workload with every LimitRange's defaults given to the containers of its namespace that set no request. */
    public static Workload apply(Workload w) {
        if (w.containerDefaults().isEmpty()) {
            return w;
        }
        List<ContainerDefaults> ranges = new ArrayList<>(w.containerDefaults());
        ranges.sort(Comparator.comparing(ContainerDefaults::name));
        Reach reach = new Reach(ranges.size());
        List<PodGroup> groups = new ArrayList<>();
        List<IgnoredObject> refused = new ArrayList<>();
        for (PodGroup g : w.groups()) {
            // What the ranges give this workload counts only if it is packed (QA 74 F10: a refused one's containers were counted).
            Reach mine = new Reach(ranges.size());
            PodTemplate t = g.template() == null ? null : defaulted(g.template(), g.placement().namespace(), ranges, mine,
                    g.kind() + " " + g.name());
            String why = refusalInOrder(t != null ? t : g.template(), g.placement().namespace(), ranges);
            if (why != null) {
                refused.add(new IgnoredObject(g.kind(), g.name(), g.origin(), "not packed: " + why + ", so its pods are never created"));
                continue;
            }
            reach.add(mine);
            groups.add(t == null ? g : new PodGroup(g.name(), g.kind(), t.effectiveRequest(), g.replicas(), g.singlePod(), g.lifetime(),
                    g.origin(), g.gpuModels(), t, g.placement(), g.priority()));
        }
        List<DaemonSetSpec> daemonSets = new ArrayList<>();
        for (DaemonSetSpec d : w.daemonSets()) {
            Reach mine = new Reach(ranges.size());
            PodTemplate t = d.template() == null ? null : defaulted(d.template(), d.placement().namespace(), ranges, mine,
                    "DaemonSet " + d.name());
            String why = refusalInOrder(t != null ? t : d.template(), d.placement().namespace(), ranges);
            if (why != null) {
                refused.add(new IgnoredObject("DaemonSet", d.name(), d.origin(), "not counted: " + why + ", so it runs on no node"));
                continue;
            }
            reach.add(mine);
            daemonSets.add(t == null ? d : d.withTemplate(t));
        }
        List<IgnoredObject> ignored = new ArrayList<>(w.ignored());
        ignored.addAll(refused);
        for (int i = 0; i < ranges.size(); i++) {
            ContainerDefaults r = ranges.get(i);
            ignored.add(new IgnoredObject("LimitRange", r.namespace() + "/" + r.name(), r.origin(), applied(r, reach.changed[i],
                    reach.unmodelled.get(i)) + rivals(ranges, i)));
        }
        // The ranges stay with the workload (applied: every container they default has its request now), so that
        // rightsize can check its new requests against them as the API server would.
        return new Workload(groups, daemonSets, ignored, w.sources(), w.autoscalers(), w.containerDefaults(), w.runtimeClasses(),
                w.namespaces());
    }

    /**
     * What the ranges gave, per range: how many containers got a default request nodesizer packs, and for each default of a
     * resource it does not pack, the containers LimitRanger gives it to ("container app of Deployment web").
     */
    private record Reach(int[] changed, List<Map<String, List<String>>> unmodelled) {
        Reach(int ranges) {
            this(new int[ranges], new ArrayList<>());
            for (int i = 0; i < ranges; i++) {
                unmodelled.add(new TreeMap<>());
            }
        }

        /** Adds what {@code other} (one workload's) counted. */
        void add(Reach other) {
            for (int i = 0; i < changed.length; i++) {
                changed[i] += other.changed[i];
                int at = i;
                other.unmodelled.get(i).forEach((k, v) -> unmodelled.get(at).computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            }
        }
    }

    /**
     * Where another range of the same namespace defaults a resource's request otherwise: which of them the API server applies
     * is not determined (LimitRanger takes the namespace's ranges in its informer cache's order; "If two or more LimitRange
     * objects exist in a namespace, it is not deterministic which default value will be applied",
     * kubernetes.io/docs/concepts/policy/limit-range), so the report says which nodesizer took and what the other gives
     * (QA 70a F6: a Deployment without requests was one node or six by the names of its namespace's two ranges).
     */
    private static String rivals(List<ContainerDefaults> byName, int i) {
        ContainerDefaults r = byName.get(i);
        List<String> others = new ArrayList<>();
        for (int j = 0; j < byName.size(); j++) {
            ContainerDefaults o = byName.get(j);
            if (j == i || !o.namespace().equals(r.namespace())) {
                continue;
            }
            List<String> differ = new ArrayList<>();
            o.defaultRequests().forEach((k, v) -> {
                long mine = r.defaultRequest(k);
                if (mine >= 0 && mine != v) {
                    differ.add(amount(k, v));
                }
            });
            if (!differ.isEmpty()) {
                others.add(o.namespace() + "/" + o.name() + " (" + String.join(", ", differ) + ")" + (j < i ? ", first by name, went first" : ""));
            }
        }
        if (others.isEmpty()) {
            return "";
        }
        return "; other default requests for the same containers come from LimitRange " + String.join(" and ", others)
                + ": which range the API server applies is not determined (its LimitRanger takes them in its cache's order),"
                + " nodesizer takes the first by name";
    }

    /** The LimitRange's line in the report: what it defaulted, what it enforces, and the defaults not packed with whom they reach. */
    private static String applied(ContainerDefaults r, int changed, Map<String, List<String>> reached) {
        String ratios = ratios(r);
        List<String> requests = new ArrayList<>();
        r.defaultRequests().forEach((k, v) -> requests.add(amount(k, v)));
        String out = r.defaultRequests().isEmpty()
                ? "applied: it defaults no request" + (r.unmodelled().isEmpty() ? "" : " nodesizer packs") + (ratios.isEmpty() ? "" : "; its maxLimitRequestRatio (" + ratios
                + ") is enforced on the pods of namespace " + r.namespace())
                : "applied: its default requests (" + String.join(", ", requests) + ") went to " + changed + " container"
                + (changed == 1 ? "" : "s") + " without requests in namespace " + r.namespace() + " (of the workloads its namespace's ranges admit)"
                + ", as the API server's LimitRanger gives them"
                + (ratios.isEmpty() ? "" : "; its maxLimitRequestRatio (" + ratios + ") is enforced");
        if (r.unmodelled().isEmpty()) {
            return out;
        }
        // Not packed, so not counted; but never dropped without a word (QA 67a F1).
        List<String> skipped = new ArrayList<>();
        r.unmodelled().forEach((k, v) -> {
            List<String> to = reached.getOrDefault(k, List.of());
            skipped.add(k + " " + v + " (" + (to.isEmpty() ? "no container of the inputs lacks it"
                    : "would reach " + String.join(", ", to.subList(0, Math.min(3, to.size()))) + (to.size() > 3 ? " and " + (to.size() - 3)
                    + " more" : "")) + ")");
        });
        return out + "; its defaults of " + String.join(", ", skipped) + " are not counted: nodesizer does not pack "
                + (r.unmodelled().size() == 1 ? "that resource" : "those resources");
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

    /** The limit of {@code resource} a container without one gets in {@code namespace} (the first range by name that gives one), or -1. */
    public static long defaultLimit(String resource, String namespace, List<ContainerDefaults> ranges) {
        return ranges.stream().filter(r -> r.namespace().equals(namespace))
                .sorted(Comparator.comparing(ContainerDefaults::name))
                .mapToLong(r -> r.defaultLimit(resource))
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

    /**
     * Container {@code c}'s request and limit of {@code resource} ({@code [request, limit]}, 0 where it has none), or null when
     * it names none (no request, and so no limit either). A GPU's count is the container's only when it names no other
     * vendor's GPU resource: the model keeps one GPU count, and a container asking two vendors' GPUs fits no node anyway.
     */
    private static long[] requestAndLimit(PodTemplate.Container c, String resource) {
        Resource res = PodSpecRequests.resourceOf(resource);
        boolean has = switch (res) {
            case CPU -> c.cpuRequest();
            case MEMORY -> c.memoryRequest();
            case GPU -> c.named().contains(resource) && c.named().stream().filter(PodSpecRequests.GPU_RESOURCES::contains).count() == 1;
            default -> c.named().contains(resource);
        };
        return has ? new long[]{c.requests().get(res), c.limits().get(res)} : null;
    }

    private static void refusalsInOrder(PodTemplate t, String namespace, List<ContainerDefaults> ranges, List<String> out) {
        if (t == null) {
            return;
        }
        for (ContainerDefaults r : ranges) {
            if (!r.namespace().equals(namespace)) {
                continue;
            }
            java.util.SortedSet<String> bounded = new java.util.TreeSet<>(r.max().keySet());
            bounded.addAll(r.min().keySet());
            bounded.addAll(r.ratios().keySet());
            for (PodTemplate.Container c : t.containers()) {
                for (String k : bounded) {
                    long max = r.max(k);
                    long min = r.min(k);
                    long[] own = requestAndLimit(c, k);
                    long request = own == null ? 0 : own[0];
                    long limit = own == null ? 0 : own[1];
                    String what = null;
                    if (max >= 0 && own != null && request > max) {
                        what = "requests " + amount(k, request) + ", above";
                    } else if (max >= 0 && limit > max) {
                        what = "has a limit of " + amount(k, limit) + ", above";
                    } else if (min >= 0 && own != null && request < min) {
                        what = "requests " + amount(k, request) + ", below";
                    }
                    if (what != null) {
                        out.add("LimitRange " + r.namespace() + "/" + r.name() + " (" + r.origin() + ") refuses it: container " + c.name() + " "
                                + what + " its " + (what.endsWith("above") ? "max of " + amount(k, max) : "min of " + amount(k, min))
                                + " per container");
                    }
                    String ratio = ratioRefusal(r, c, k, own, namespace, ranges);
                    if (ratio != null) {
                        out.add(ratio);
                    }
                }
            }
        }
        // Within the bounds, a container without a limit gets the first range's default limit (by name,
        // as the defaults go): pod validation then refuses a request above it, or unequal to it for a
        // resource that cannot be overcommitted (a GPU).
        java.util.SortedSet<String> limited = new java.util.TreeSet<>();
        ranges.stream().filter(r -> r.namespace().equals(namespace)).forEach(r -> limited.addAll(r.defaultLimits().keySet()));
        for (String k : limited) {
            for (ContainerDefaults r : ranges) {
                long limit = r.defaultLimit(k);
                if (!r.namespace().equals(namespace) || limit < 0) {
                    continue;
                }
                boolean exact = !PodSpecRequests.overcommitAllowed(k);
                for (PodTemplate.Container c : t.containers()) {
                    long[] own = requestAndLimit(c, k);
                    if (own != null && own[1] == 0 && (exact ? own[0] != limit : own[0] > limit)) {
                        out.add("LimitRange " + r.namespace() + "/" + r.name() + " (" + r.origin() + ") gives container " + c.name()
                                + " a default limit of " + amount(k, limit) + (own[0] > limit ? ", below" : ", unequal to") + " its request of "
                                + amount(k, own[0]) + ", which pod validation refuses" + (exact ? " for a resource that cannot be overcommitted" : ""));
                    }
                }
                break;
            }
        }
    }

    /**
     * Why LimitRanger's {@code limitRequestRatioConstraint} refuses container {@code c} for {@code resource} under range
     * {@code r}, or null: with a ratio, the container needs a request and a limit (its own, else the default limit the
     * namespace's first range by name gives it), neither 0, and the limit at most the ratio times the request, compared
     * in thousandths. {@code own} is the container's request and limit ({@link #requestAndLimit}).
     */
    private static String ratioRefusal(ContainerDefaults r, PodTemplate.Container c, String resource, long[] own, String namespace,
                                       List<ContainerDefaults> ranges) {
        long ratio = r.ratioMillis(resource);
        if (ratio < 0) {
            return null;
        }
        String head = "LimitRange " + r.namespace() + "/" + r.name() + " (" + r.origin() + ") refuses it: container " + c.name() + " ";
        String max = " its maxLimitRequestRatio of " + Amounts.trim(ratio / 1000.0) + " for " + resource;
        long request = own == null ? 0 : own[0];
        long limit = own != null && own[1] > 0 ? own[1] : Math.max(0, defaultLimit(resource, namespace, ranges));
        if (request == 0) {
            return head + "has no " + resource + " request (or 0), which" + max + " needs";
        }
        if (limit == 0) {
            return head + "has no " + resource + " limit (nor a default one), which" + max + " needs";
        }
        // limit / request > ratio / 1000, exactly (memory in bytes times a ratio can pass int64)
        if (java.math.BigInteger.valueOf(limit).multiply(java.math.BigInteger.valueOf(1000))
                .compareTo(java.math.BigInteger.valueOf(ratio).multiply(java.math.BigInteger.valueOf(request))) > 0) {
            long least = java.math.BigInteger.valueOf(limit).multiply(java.math.BigInteger.valueOf(1000))
                    .add(java.math.BigInteger.valueOf(ratio - 1)).divide(java.math.BigInteger.valueOf(ratio)).longValue();
            // Three decimals: 2001m over 500m is 4.002 times, not "4 times … above its ratio of 4". Compared exactly here, where
            // LimitRanger compares float64s: the two differ only for a limit at the ratio to the last bit.
            return head + "has a limit of " + amount(resource, limit) + ", " + Amounts.trim((double) limit / request, 3) + " times its request of "
                    + amount(resource, request) + ", above" + max + " (a request of at least " + amount(resource, least) + " keeps within it)";
        }
        return null;
    }

    /** "cpu 4, memory 2": the range's ratios, or empty. */
    private static String ratios(ContainerDefaults r) {
        List<String> out = new ArrayList<>();
        r.ratios().forEach((k, v) -> out.add(k + " " + Amounts.trim(v / 1000.0)));
        return String.join(", ", out);
    }

    /** "2 CPU", "50 GiB ephemeral-storage", "1 nvidia.com/gpu": an amount of a resource nodesizer packs, by its name. */
    private static String amount(String resource, long v) {
        Resource r = PodSpecRequests.resourceOf(resource);
        return Amounts.format(r, v) + " " + (r == Resource.GPU ? resource : Amounts.unit(r));
    }

    /**
     * The template with the namespace's default requests given to the containers that name none of a resource, or null when
     * none changes; counts in {@code reach} the containers each range defaults, and names those its defaults of resources
     * nodesizer does not pack would reach ({@code owner}: "Deployment web").
     */
    private static PodTemplate defaulted(PodTemplate t, String namespace, List<ContainerDefaults> ranges, Reach reach, String owner) {
        List<PodTemplate.Container> out = new ArrayList<>();
        boolean any = false;
        java.util.Set<String> vendors = new java.util.TreeSet<>(t.gpuVendor().isEmpty() ? List.of() : List.of(t.gpuVendor().split("\\+")));
        for (PodTemplate.Container c : t.containers()) {
            Resources requests = c.requests();
            boolean hasCpu = c.cpuRequest();
            boolean hasMemory = c.memoryRequest();
            java.util.SortedSet<String> named = new java.util.TreeSet<>(c.named());
            for (int i = 0; i < ranges.size(); i++) {
                ContainerDefaults r = ranges.get(i);
                if (!r.namespace().equals(namespace)) {
                    continue;
                }
                boolean used = false;
                for (Map.Entry<String, Long> e : r.defaultRequests().entrySet()) {
                    String k = e.getKey();
                    Resource res = PodSpecRequests.resourceOf(k);
                    boolean has = res == Resource.CPU ? hasCpu : res == Resource.MEMORY ? hasMemory : named.contains(k);
                    if (has) {
                        continue;
                    }
                    // mergeContainerResources: a request the container lacks is set; GPUs of several vendors add up in one count.
                    requests = requests.with(res, res == Resource.GPU ? Math.addExact(requests.get(res), e.getValue()) : e.getValue());
                    hasCpu |= res == Resource.CPU;
                    hasMemory |= res == Resource.MEMORY;
                    if (res != Resource.CPU && res != Resource.MEMORY) {
                        named.add(k);
                    }
                    if (res == Resource.GPU && e.getValue() > 0) {
                        vendors.add(io.nodesizer.model.GpuVendors.ofResource(k));
                    }
                    used = true;
                }
                for (String k : r.unmodelled().keySet()) {
                    if (named.add(k)) {
                        reach.unmodelled.get(i).computeIfAbsent(k, x -> new ArrayList<>()).add("container " + c.name() + " of " + owner);
                    }
                }
                reach.changed[i] += used ? 1 : 0;
            }
            PodTemplate.Container d = new PodTemplate.Container(c.name(), c.role(), requests, c.limits(), hasCpu, hasMemory, named);
            any |= !d.equals(c);
            out.add(d);
        }
        return any ? new PodTemplate(out, t.overhead(), t.runtimeClassName(), io.nodesizer.model.GpuVendors.of(vendors), t.priorityClassName(),
                t.priority(), t.preemptionPolicy(), t.podLevel(), t.eviction()) : null;
    }
}
