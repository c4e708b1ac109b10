package io.nodesizer.input.manifest;

import io.nodesizer.engine.Amounts;
import io.nodesizer.input.InputException;
import io.nodesizer.kube.Quantity;
import io.nodesizer.kube.QuantityFormatException;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.Resource;
import io.nodesizer.model.ResourceQuotaSpec;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ResourceQuotas in the manifests: the API server's quota admission refuses a pod whose requests or
 * limits would take its namespace past a quota's {@code spec.hard}, so a workload asking more runs
 * only the pods that fit, and the controller's other creations fail ("exceeded quota"). Kubernetes
 * {@code plugin/pkg/admission/resourcequota} with the pod evaluator
 * ({@code pkg/quota/v1/evaluator/core/pods.go}): a pod counts its requests and limits as the
 * scheduler sums them, overhead included, and one pod; a quota that tracks a container's CPU or
 * memory request or limit refuses a pod with a container that sets none ("must specify"). Applied
 * once every input is read, after the LimitRanges (LimitRanger admits first) and the RuntimeClasses
 * (their overhead counts): workloads in manifest order, each admitting as many replicas as every
 * quota of its namespace still holds, as a cluster created in that order would run. A quota with
 * scopes (which narrow the pods it counts) is listed, not applied; DaemonSets' pods count against
 * quotas too, once per node, which the sizing does not know: not charged.
 */
public final class ResourceQuotas {
    private ResourceQuotas() {
    }

    /** The keys checked, in the order messages name them; the bare names are aliases of the {@code requests.} ones. */
    static final List<String> CHECKED = List.of("pods", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu",
            "limits.memory", "limits.ephemeral-storage");
    private static final Map<String, String> ALIASES = Map.of("cpu", "requests.cpu", "memory", "requests.memory",
            "ephemeral-storage", "requests.ephemeral-storage");

    /** A ResourceQuota object's {@code spec}, in {@code namespace}. */
    static ResourceQuotaSpec read(YamlNode.Mapping obj, String namespace, String name, SourceRef ref) {
        YamlNode.Mapping spec = Manifests.optionalMapping(obj, "spec", "");
        Map<String, Long> hard = new LinkedHashMap<>();
        List<String> unchecked = new ArrayList<>();
        List<String> scopes = new ArrayList<>();
        if (spec != null) {
            YamlNode.Mapping h = Manifests.optionalMapping(spec, "hard", "spec");
            for (Map.Entry<String, YamlNode> e : h == null ? List.<Map.Entry<String, YamlNode>>of() : h.entries().entrySet()) {
                String key = ALIASES.getOrDefault(e.getKey(), e.getKey());
                if (!CHECKED.contains(key)) {
                    unchecked.add(e.getKey());
                    continue;
                }
                long v = amount(key, e.getValue(), "spec.hard." + e.getKey());
                hard.merge(key, v, Math::min); // cpu and requests.cpu both given: each is enforced
            }
            YamlNode.Sequence list = Manifests.sequence(spec, "scopes", "spec");
            for (int i = 0; list != null && i < list.items().size(); i++) {
                if (list.items().get(i) instanceof YamlNode.Scalar s && !s.isNull()) {
                    scopes.add(s.text());
                }
            }
            YamlNode.Mapping selector = Manifests.optionalMapping(spec, "scopeSelector", "spec");
            YamlNode.Sequence exprs = selector == null ? null : Manifests.sequence(selector, "matchExpressions", "spec.scopeSelector");
            for (int i = 0; exprs != null && i < exprs.items().size(); i++) {
                String at = "spec.scopeSelector.matchExpressions[" + i + "]";
                String scope = Manifests.text(Manifests.mapping(exprs.items().get(i), at), "scopeName", at);
                scopes.add(scope == null ? "(unnamed)" : scope);
            }
        }
        return new ResourceQuotaSpec(namespace, name, hard, unchecked, scopes, ref);
    }

    /** One {@code spec.hard} amount in the unit the sizing counts: pods, millicores, bytes (rounded up, as MilliValue and Value round). */
    private static long amount(String key, YamlNode node, String path) {
        if (!(node instanceof YamlNode.Scalar s) || s.isNull()) {
            throw new InputException(node.at(), "The value at " + path + " must be a quantity such as 4, 500m or 8Gi.");
        }
        BigDecimal v;
        try {
            v = Quantity.parse(s.quantity());
        } catch (QuantityFormatException e) {
            throw new InputException(s.at().withField(path), "The value at " + path + " (" + s.shown() + ") is not a quantity: "
                    + e.reason() + ".");
        }
        if (v.signum() < 0) {
            throw new InputException(s.at().withField(path), "The value at " + path + " (" + s.shown() + ") must not be negative.");
        }
        BigDecimal base = key.endsWith(".cpu") ? v.movePointRight(3) : v;
        // Quantity.parse takes up to int64 of the base unit; CPU in millicores can pass it: such a hard limit binds nothing.
        return base.min(BigDecimal.valueOf(Long.MAX_VALUE / 4)).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The workload with its groups' replicas cut to what its namespaces' quotas admit, and each quota listed with what it did. */
    public static Workload apply(Workload w) {
        return apply(w, List.of());
    }

    /**
     * As {@link #apply(Workload)}, onto a cluster already running {@code running} (a snapshot's pods, bound or
     * pending, none terminal): the API server charges each new pod on top of the namespace's
     * {@code status.used}, what those pods ask (QA 47c: a namespace already past its CPU quota took six more).
     */
    public static Workload apply(Workload w, List<io.nodesizer.model.ClusterSnapshot.Pod> running) {
        List<ResourceQuotaSpec> quotas = new ArrayList<>();
        List<IgnoredObject> ignored = new ArrayList<>();
        for (IgnoredObject o : w.ignored()) {
            if (o.quota() != null && o.quota().scopes().isEmpty()) {
                quotas.add(o.quota());
            } else {
                ignored.add(o);
            }
        }
        if (quotas.isEmpty()) {
            return w;
        }
        Map<ResourceQuotaSpec, Map<String, Long>> used = new LinkedHashMap<>();
        Map<ResourceQuotaSpec, List<String>> cut = new LinkedHashMap<>();
        Map<ResourceQuotaSpec, Integer> already = new LinkedHashMap<>();
        quotas.forEach(q -> {
            used.put(q, new LinkedHashMap<>());
            cut.put(q, new ArrayList<>());
            already.put(q, 0);
        });
        for (io.nodesizer.model.ClusterSnapshot.Pod p : running) {
            Map<String, Long> perPod = null;
            for (ResourceQuotaSpec q : quotas) {
                if (q.namespace().equals(p.namespace())) {
                    perPod = perPod == null ? usage(p.request(), p.template()) : perPod;
                    perPod.forEach((k, v) -> used.get(q).merge(k, v, Long::sum));
                    already.merge(q, 1, Integer::sum);
                }
            }
        }
        List<PodGroup> groups = new ArrayList<>();
        for (PodGroup g : w.groups()) {
            Map<String, Long> perPod = usage(g);
            int admitted = g.replicas();
            ResourceQuotaSpec binding = null;
            String why = null;
            for (ResourceQuotaSpec q : quotas) {
                if (!q.namespace().equals(g.placement().namespace())) {
                    continue;
                }
                String missing = unspecified(g.template(), q);
                if (missing != null) {
                    admitted = 0;
                    binding = q;
                    why = "a container sets no " + missing + ", which the quota tracks (\"must specify " + missing + "\")";
                    break;
                }
                for (Map.Entry<String, Long> h : q.hard().entrySet()) {
                    long each = perPod.getOrDefault(h.getKey(), 0L);
                    if (each <= 0) {
                        continue;
                    }
                    long left = Math.max(0, h.getValue() - used.get(q).getOrDefault(h.getKey(), 0L));
                    long fits = left / each;
                    if (fits < admitted) {
                        admitted = (int) fits;
                        binding = q;
                        why = h.getKey() + " hard " + show(h.getKey(), h.getValue()) + ", " + show(h.getKey(), left) + " left for it, "
                                + show(h.getKey(), each) + " a pod";
                    }
                }
            }
            for (ResourceQuotaSpec q : quotas) {
                if (q.namespace().equals(g.placement().namespace())) {
                    for (Map.Entry<String, Long> e : perPod.entrySet()) {
                        used.get(q).merge(e.getKey(), e.getValue() * admitted, Long::sum);
                    }
                }
            }
            if (admitted < g.replicas()) {
                cut.get(binding).add(g.kind() + " " + g.name() + " runs " + admitted + " of its " + g.replicas() + " pods (" + why + ")");
                if (admitted == 0) {
                    ignored.add(new IgnoredObject(g.kind(), g.name(), g.origin(), "not packed: ResourceQuota " + binding.fullName()
                            + " admits none of its pods (" + why + "), so the API server refuses every one"));
                    continue;
                }
                groups.add(g.withReplicas(admitted));
            } else {
                groups.add(g);
            }
        }
        for (ResourceQuotaSpec q : quotas) {
            ignored.add(new IgnoredObject("ResourceQuota", q.fullName(), q.origin(), describe(q, used.get(q), cut.get(q), w, already.get(q))));
        }
        return new Workload(groups, w.daemonSets(), ignored, w.sources(), w.autoscalers(), w.containerDefaults(), w.runtimeClasses(),
                w.namespaces(), w.priorityClasses());
    }

    /** What one pod of the group counts against a quota, by checked key. */
    private static Map<String, Long> usage(PodGroup g) {
        return usage(g.request(), g.template());
    }

    /** What one pod of this request (the scheduler's sum, overhead included) and template (null: none known) counts. */
    private static Map<String, Long> usage(io.nodesizer.model.Resources request, PodTemplate template) {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("pods", 1L);
        out.put("requests.cpu", request.cpuMillis());
        out.put("requests.memory", request.memoryBytes());
        out.put("requests.ephemeral-storage", request.ephemeralStorageBytes());
        if (template != null) {
            long[] limits = limits(template);
            out.put("limits.cpu", limits[Resource.CPU.ordinal()]);
            out.put("limits.memory", limits[Resource.MEMORY.ordinal()]);
            out.put("limits.ephemeral-storage", limits[Resource.EPHEMERAL_STORAGE.ordinal()]);
        }
        return out;
    }

    /** The pod's limits as its requests are summed (app containers and sidecars, or an init container's peak), plus the overhead where set. */
    private static long[] limits(PodTemplate t) {
        List<PodTemplate.Container> asLimits = new ArrayList<>();
        for (PodTemplate.Container c : t.containers()) {
            asLimits.add(c.withRequests(c.limits()));
        }
        long[] sum = new PodTemplate(asLimits, io.nodesizer.model.Resources.ZERO).containerRequests().toArray();
        long[] overhead = t.overhead().toArray();
        for (int r = 0; r < sum.length; r++) {
            sum[r] += sum[r] > 0 ? overhead[r] : 0; // PodLimits adds the overhead to the limits set, not to an unlimited resource
        }
        return sum;
    }

    /**
     * The first tracked compute resource a container of the template leaves unset ("requests.cpu",
     * "limits.memory", …), which quota admission refuses; null when every one is set (or the group
     * has no container breakdown: a CSV profile's request is its own).
     */
    private static String unspecified(PodTemplate t, ResourceQuotaSpec q) {
        if (t == null) {
            return null;
        }
        for (PodTemplate.Container c : t.containers()) {
            if (q.hard().containsKey("requests.cpu") && !c.cpuRequest()) {
                return "requests.cpu";
            }
            if (q.hard().containsKey("requests.memory") && !c.memoryRequest()) {
                return "requests.memory";
            }
            if (q.hard().containsKey("limits.cpu") && c.limits().cpuMillis() == 0) {
                return "limits.cpu";
            }
            if (q.hard().containsKey("limits.memory") && c.limits().memoryBytes() == 0) {
                return "limits.memory";
            }
        }
        return null;
    }

    private static String describe(ResourceQuotaSpec q, Map<String, Long> used, List<String> cut, Workload w, int running) {
        List<String> hard = new ArrayList<>();
        for (String key : CHECKED) {
            if (q.hard().containsKey(key)) {
                hard.add(key + " " + show(key, used.getOrDefault(key, 0L)) + " of " + show(key, q.hard().get(key)));
            }
        }
        String s = "applied: " + (hard.isEmpty() ? "it limits nothing the sizing counts" : "the namespace's pods "
                + (running == 0 ? "" : "(" + running + " of them running or pending in the snapshot already, which count first) ")
                + "use " + String.join(", ", hard));
        if (!cut.isEmpty()) {
            s += "; " + String.join("; ", cut) + ", as quota admission refuses the rest (created in the manifests' order)";
        }
        if (!q.unchecked().isEmpty()) {
            s += "; not checked: " + String.join(", ", q.unchecked());
        }
        if (w.daemonSets().stream().anyMatch(d -> d.placement().namespace().equals(q.namespace()))) {
            s += "; the namespace's DaemonSet pods count against it too, once per node, which is not charged here";
        }
        return s;
    }

    private static String show(String key, long v) {
        if (key.equals("pods")) {
            return Long.toString(v);
        }
        return key.endsWith(".cpu") ? Amounts.format(Resource.CPU, v) + " CPU" : Amounts.format(Resource.MEMORY, v) + " GiB";
    }
}
