package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.PriorityClassSpec;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PriorityClasses in the manifests, resolved into the pods' priorities as the API server's Priority
 * admission plugin does when it creates them (kubernetes {@code plugin/pkg/admission/priority/admission.go},
 * {@code admitPod}): a pod naming a class gets its {@code value} (the two built-in classes first,
 * {@code system-cluster-critical} 2000000000 and {@code system-node-critical} 2000001000, from
 * {@code pkg/apis/scheduling/types.go}); a pod naming none gets the {@code globalDefault} class's
 * value, else 0. The classes are checked as the API server validates them
 * ({@code pkg/apis/scheduling/validation/validation.go} {@code ValidatePriorityClass} and the plugin's
 * {@code validatePriorityClass}): a user class's value at most 1000000000, names beginning
 * {@code system-} reserved for the built-ins, one {@code globalDefault} at most.
 * <p>
 * Where the plugin refuses a pod, this reader departs on purpose:
 * <ul>
 *   <li>a class not in the inputs: charts often name a class installed separately, so the cluster may
 *       well have it. The pods are packed at the priority they write in {@code spec.priority} (a pod
 *       read back from a cluster carries the admitted value), else at the globalDefault's or 0, and
 *       the class is listed as named but not found;</li>
 *   <li>{@code spec.priority} written beside a class of the inputs that gives another value is
 *       refused, as the plugin refuses it ("the integer value of priority must not be provided in pod
 *       spec"; newer releases accept it only when it equals the computed one); written on a pod that
 *       names no class it stands, globalDefault or not (a pod read back from a cluster may predate
 *       the default class: admission runs at creation only).</li>
 * </ul>
 * Pods without containers' spec here (CSV rows, traces) keep their own priority. A DaemonSet's pods are
 * admitted the same way: their template is given the value as {@code spec.priority} (and the class's
 * preemptionPolicy), which {@code pack --fleet} reads when such a pod finds no room on its node and
 * kube-scheduler's preemption may make some ({@code io.nodesizer.fleet.DaemonSetRollout}).
 */
public final class PriorityClasses {
    static final String API_VERSION = "scheduling.k8s.io/v1";
    /** {@code HighestUserDefinablePriority} (kubernetes {@code pkg/apis/scheduling/types.go}). */
    public static final int HIGHEST_USER_DEFINABLE = 1_000_000_000;
    /** The built-in classes ({@code SystemPriorityClasses}: 2 × HighestUserDefinablePriority, and 1000 above it). */
    public static final Map<String, Integer> SYSTEM = Map.of("system-cluster-critical", 2_000_000_000, "system-node-critical", 2_000_001_000);

    private PriorityClasses() {
    }

    /** A PriorityClass object ({@code value} and {@code globalDefault} are top-level fields). */
    static PriorityClassSpec read(YamlNode.Mapping obj, String name, SourceRef ref) {
        if (!(obj.get("value") instanceof YamlNode.Scalar v) || v.isNull()) {
            throw new InputException(obj.at(), "The PriorityClass " + name + " must have a value (an integer, the priority of the pods naming it).");
        }
        int value = int32(obj, "value", "", "The value of PriorityClass " + name);
        boolean globalDefault = Manifests.flag(obj, "globalDefault", "");
        Integer system = SYSTEM.get(name);
        if (name.startsWith("system-")) {
            // A dump of 'kubectl get priorityclasses' holds the built-ins themselves: accepted as they are.
            if (system == null || system != value || globalDefault) {
                throw new InputException(v.at().withField("value"), "The PriorityClass " + name + " must not be defined: names beginning "
                        + "'system-' are reserved for the built-in classes (system-cluster-critical 2000000000, system-node-critical "
                        + "2000001000, neither globalDefault), which the API server refuses to redefine. Maybe rename it.");
            }
        } else if (value > HIGHEST_USER_DEFINABLE) {
            throw new InputException(v.at().withField("value"), "The value of PriorityClass " + name + " (" + value + ") must be at most "
                    + HIGHEST_USER_DEFINABLE + ", the highest a user-defined class may have (the API server refuses more). "
                    + "Maybe name system-cluster-critical if the pods are critical to the cluster.");
        }
        return new PriorityClassSpec(name, value, globalDefault, ref, preemptionPolicy(obj, ""));
    }

    /**
     * {@code preemptionPolicy} of a PriorityClass or a pod spec as written, or null when absent: one of
     * {@code PreemptLowerPriority} and {@code Never}, as the API server validates it.
     */
    static String preemptionPolicy(YamlNode.Mapping parent, String path) {
        String p = Manifests.text(parent, "preemptionPolicy", path);
        if (p == null || p.isEmpty() || p.equals("PreemptLowerPriority") || p.equals(io.nodesizer.model.PodTemplate.NEVER)) {
            return p == null || p.isEmpty() ? null : p;
        }
        YamlNode n = parent.get("preemptionPolicy");
        throw new InputException(n.at().withField(path.isEmpty() ? "preemptionPolicy" : path + ".preemptionPolicy"), "The "
                + (path.isEmpty() ? "" : path + ".") + "preemptionPolicy (" + Manifests.shown(parent, "preemptionPolicy")
                + ") must be PreemptLowerPriority or Never, as the API server accepts.");
    }

    /** {@code spec.priority} of a pod spec as written, or null when absent: an int32. */
    static Integer specPriority(YamlNode.Mapping podSpec, String path) {
        if (podSpec.get("priority") == null || podSpec.get("priority") instanceof YamlNode.Scalar s && s.isNull()) {
            return null;
        }
        return int32(podSpec, "priority", path, "The " + path + ".priority");
    }

    private static int int32(YamlNode.Mapping parent, String key, String path, String what) {
        String t = Manifests.integerText(parent, key, path);
        try {
            return Integer.parseInt(t.strip());
        } catch (NumberFormatException e) {
            YamlNode n = parent.get(key);
            throw new InputException(n.at().withField(path.isEmpty() ? key : path + "." + key), what + " (" + Manifests.shown(parent, key)
                    + ") must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + " (an int32).");
        }
    }

    /** The workload with every pod given its priority (see the class comment), the classes listed. */
    public static Workload apply(Workload w) {
        Map<String, PriorityClassSpec> classes = new TreeMap<>();
        PriorityClassSpec globalDefault = null;
        for (PriorityClassSpec c : w.priorityClasses()) {
            PriorityClassSpec first = classes.putIfAbsent(c.name(), c);
            if (first != null) {
                throw new InputException(SourceLocation.of(c.origin().file(), c.origin().line()), "The PriorityClass '" + c.name()
                        + "' is also defined at " + first.origin() + "; a PriorityClass name is unique in a cluster.");
            }
            if (c.globalDefault()) {
                if (globalDefault != null) {
                    throw new InputException(SourceLocation.of(c.origin().file(), c.origin().line()), "The PriorityClass " + c.name()
                            + " must not be the globalDefault too: " + globalDefault.name() + " at " + globalDefault.origin()
                            + " already is, and the API server allows one default. Maybe set globalDefault: false on one of them.");
                }
                globalDefault = c;
            }
        }
        boolean named = false;
        for (PodGroup g : w.groups()) {
            named |= g.template() != null && (g.template().priorityClassName() != null || g.template().priority() != null);
        }
        for (DaemonSetSpec d : w.daemonSets()) {
            named |= d.template() != null && d.template().priorityClassName() != null;
        }
        if (classes.isEmpty() && !named) {
            return w;
        }
        Resolver r = new Resolver(classes, globalDefault);
        List<PodGroup> groups = new ArrayList<>(w.groups().size());
        for (PodGroup g : w.groups()) {
            groups.add(r.resolve(g, true));
        }
        List<DaemonSetSpec> daemonSets = new ArrayList<>(w.daemonSets().size());
        for (DaemonSetSpec d : w.daemonSets()) {
            daemonSets.add(r.resolve(d));
        }
        List<IgnoredObject> ignored = new ArrayList<>(w.ignored().size() + classes.size());
        for (IgnoredObject o : w.ignored()) {
            // A workload at zero replicas keeps its pods for a ScaledObject or a Rollout to bring back: at their priority.
            ignored.add(o.idle() == null ? o : new IgnoredObject(o.kind(), o.name(), o.origin(), o.reason(), r.resolve(o.idle(), false),
                    o.template()));
        }
        for (PriorityClassSpec c : classes.values()) {
            int n = r.given.getOrDefault(c.name(), 0);
            boolean used = n > 0 || c.globalDefault() && r.defaulted > 0;
            ignored.add(new IgnoredObject("PriorityClass", c.name(), c.origin(), used ? "applied: priority " + c.value()
                    + " went to " + n + " workload" + (n == 1 ? "" : "s") + " naming it"
                    + (c.globalDefault() ? " and to " + r.defaulted + " naming no class (globalDefault)" : "")
                    + ", as the API server's Priority admission gives it"
                    : "not a workload, and no workload names it" + (c.globalDefault() ? " nor goes without a class" : "")));
        }
        for (Map.Entry<String, List<String>> e : r.missing.entrySet()) {
            List<String> who = e.getValue();
            ignored.add(new IgnoredObject("PriorityClass", e.getKey(), r.missingAt.get(e.getKey()), "named by " + who.size() + " workload"
                    + (who.size() == 1 ? "" : "s") + " (" + String.join(", ", who.subList(0, Math.min(3, who.size())))
                    + (who.size() > 3 ? ", …" : "") + ") but not in the inputs: "
                    + (who.size() == 1 ? "its pods are" : "their pods are") + " packed at " + (globalDefault == null ? "priority 0"
                    : "the globalDefault's priority (" + globalDefault.name() + ", " + globalDefault.value() + ")")
                    + " unless they write spec.priority. Maybe add it: kubectl get priorityclass " + e.getKey() + " -o yaml"));
        }
        return new Workload(groups, daemonSets, ignored, w.sources(), w.autoscalers(), w.containerDefaults(), w.runtimeClasses(),
                w.namespaces());
    }

    /** Resolves pods' priorities against the classes of the inputs, counting what went where. */
    private static final class Resolver {
        private final Map<String, PriorityClassSpec> classes;
        private final PriorityClassSpec globalDefault;
        final Map<String, Integer> given = new LinkedHashMap<>();
        final Map<String, List<String>> missing = new TreeMap<>();
        final Map<String, SourceRef> missingAt = new LinkedHashMap<>();
        int defaulted;

        Resolver(Map<String, PriorityClassSpec> classes, PriorityClassSpec globalDefault) {
            this.classes = classes;
            this.globalDefault = globalDefault;
        }

        PodGroup resolve(PodGroup g, boolean count) {
            PodTemplate t = g.template();
            if (t == null) {
                return g; // a CSV row or a trace pod: its own priority
            }
            String className = t.priorityClassName();
            Integer computed;
            String from;
            if (className != null) {
                PriorityClassSpec c = classes.get(className);
                computed = PriorityClasses.SYSTEM.containsKey(className) ? PriorityClasses.SYSTEM.get(className) : c == null ? null : c.value();
                from = "its PriorityClass " + className;
                if (c != null && count) {
                    given.merge(className, 1, Integer::sum);
                }
                if (computed == null && t.priority() == null && count) {
                    missing.computeIfAbsent(className, k -> new ArrayList<>()).add(g.name());
                    missingAt.putIfAbsent(className, g.origin());
                }
            } else if (t.priority() != null) {
                // A pod read back from a cluster that names no class: it may predate the globalDefault class
                // (admission runs at creation only), so the value it carries stands.
                return g.withPriority(t.priority());
            } else {
                computed = globalDefault == null ? null : globalDefault.value();
                from = "the globalDefault PriorityClass " + (globalDefault == null ? "" : globalDefault.name());
                if (globalDefault != null && count) {
                    defaulted++;
                }
            }
            if (computed != null && t.priority() != null && !computed.equals(t.priority())) {
                throw new InputException(SourceLocation.of(g.origin().file(), g.origin().line()), "The API server refuses the pods of "
                        + g.kind() + " " + g.name() + ": their spec.priority (" + t.priority() + ") is not the " + computed + " that " + from
                        + " gives (the Priority admission plugin sets spec.priority itself). Maybe remove spec.priority.");
            }
            int value = computed != null ? computed : t.priority() != null ? t.priority() : globalDefault != null ? globalDefault.value() : 0;
            // Admission copies the class's preemptionPolicy into the pod, refusing one written that differs.
            PriorityClassSpec applied = className != null ? classes.get(className) : globalDefault;
            String policy = applied == null ? null : applied.preemptionPolicy() == null ? "PreemptLowerPriority" : applied.preemptionPolicy();
            if (policy != null && t.preemptionPolicy() != null && !policy.equals(t.preemptionPolicy())) {
                throw new InputException(SourceLocation.of(g.origin().file(), g.origin().line()), "The API server refuses the pods of "
                        + g.kind() + " " + g.name() + ": their spec.preemptionPolicy (" + t.preemptionPolicy() + ") is not the " + policy
                        + " that their PriorityClass " + applied.name() + " gives (the Priority admission plugin sets it itself). "
                        + "Maybe remove spec.preemptionPolicy.");
            }
            PodGroup out = g.withPriority(value);
            return policy == null || policy.equals(t.preemptionPolicy()) ? out : out.withPreemptionPolicy(policy);
        }

        /**
         * A DaemonSet's pods as admission gives them their priority: the template, as each pod the controller creates from it,
         * carries the value in {@code spec.priority} and the class's preemptionPolicy (null when it names no class nor priority
         * and no class is the default: priority 0, PreemptLowerPriority, as admission leaves such a pod).
         */
        DaemonSetSpec resolve(DaemonSetSpec d) {
            if (d.template() == null) {
                return d;
            }
            PodGroup pods = resolve(new PodGroup(d.name(), "DaemonSet", d.request(), 1, false, new PodGroup.Lifetime(0, null), d.origin(),
                    List.of(), d.template(), d.placement()), true);
            PodTemplate t = pods.template().withPriority(pods.priority());
            return t.equals(d.template()) ? d : d.withTemplate(t);
        }
    }
}
