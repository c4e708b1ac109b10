package io.nodesizer.input.manifest;

import io.nodesizer.engine.Amounts;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.Resources;
import io.nodesizer.model.RuntimeClassSpec;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RuntimeClasses in the manifests, given to the pods that name them as the API server's RuntimeClass
 * admission plugin does when it creates them (kubernetes {@code plugin/pkg/admission/runtimeclass/
 * admission.go}, {@code setOverhead}, {@code setScheduling}, {@code validateOverhead}):
 * <ul>
 *   <li>{@code overhead.podFixed} becomes the pod's {@code spec.overhead}, which the scheduler adds to
 *       the pod's request; a pod that already sets another overhead is rejected;</li>
 *   <li>{@code scheduling.nodeSelector} is merged into the pod's node selector; a key the pod sets to
 *       another value is rejected (a conflict);</li>
 *   <li>{@code scheduling.tolerations} join the pod's (kubernetes {@code MergeTolerations} also drops
 *       tolerations another one covers, which changes no taint tolerated).</li>
 * </ul>
 * DaemonSet pods get the same. A pod naming a RuntimeClass that is not in the inputs is kept as
 * written and listed: the cluster may have it (GKE Sandbox's {@code gvisor}, Kata), but its overhead
 * and node selector are unknown here. A pod that already carries an overhead (read back from a
 * running cluster, where admission has run) is not listed.
 */
public final class RuntimeClasses {
    /** The apiVersions served with this schema ({@code v1beta1} was removed in Kubernetes 1.25 with the same fields). */
    static final List<String> API_VERSIONS = List.of("node.k8s.io/v1", "node.k8s.io/v1beta1");

    private RuntimeClasses() {
    }

    /** A RuntimeClass object (its {@code overhead} and {@code scheduling} are top-level fields, beside {@code handler}). */
    static RuntimeClassSpec read(YamlNode.Mapping obj, String name, SourceRef ref) {
        Resources overhead = null;
        YamlNode.Mapping o = Manifests.optionalMapping(obj, "overhead", "");
        if (o != null) {
            YamlNode.Mapping podFixed = Manifests.optionalMapping(o, "podFixed", "overhead");
            overhead = podFixed == null ? Resources.ZERO : Resources.of(PodSpecRequests.amounts(podFixed, "overhead.podFixed"));
        }
        YamlNode.Mapping scheduling = Manifests.optionalMapping(obj, "scheduling", "");
        Map<String, String> selector = scheduling == null ? Map.of() : PodPlacement.nodeSelector(scheduling, "scheduling");
        List<Placement.Toleration> tolerations = scheduling == null ? List.of() : PodPlacement.tolerations(scheduling, "scheduling");
        return new RuntimeClassSpec(name, overhead, selector, tolerations, ref);
    }

    /** The workload with every RuntimeClass given to the pods that name it. */
    public static Workload apply(Workload w) {
        Map<String, RuntimeClassSpec> classes = new TreeMap<>();
        for (RuntimeClassSpec c : w.runtimeClasses()) {
            RuntimeClassSpec first = classes.putIfAbsent(c.name(), c);
            if (first != null) {
                throw new InputException(SourceLocation.of(c.origin().file(), c.origin().line()), "The RuntimeClass '" + c.name()
                        + "' is also defined at " + first.origin() + "; a RuntimeClass name is unique in a cluster.");
            }
        }
        boolean named = false;
        for (PodGroup g : w.groups()) {
            // A trace's pods have no template: no supplier made for each of them.
            named |= g.template() != null && named(g.template(), () -> g.kind() + " " + g.name(), g.origin());
        }
        for (DaemonSetSpec d : w.daemonSets()) {
            named |= named(d.template(), () -> "DaemonSet " + d.name(), d.origin());
        }
        if (classes.isEmpty() && !named) {
            return w;
        }
        Map<String, Integer> given = new LinkedHashMap<>();
        Map<String, List<String>> missing = new TreeMap<>();
        Map<String, SourceRef> missingAt = new LinkedHashMap<>();
        List<PodGroup> groups = new ArrayList<>(w.groups().size());
        for (PodGroup g : w.groups()) {
            RuntimeClassSpec c = resolve(g.template(), g.name(), g.origin(), classes, missing, missingAt);
            if (c == null) {
                groups.add(g);
                continue;
            }
            given.merge(c.name(), 1, Integer::sum);
            PodTemplate t = admitted(g.template(), c, g.kind() + " " + g.name(), g.origin());
            Placement p = scheduling(g.placement(), c, g.kind() + " " + g.name(), g.origin(), true);
            groups.add(new PodGroup(g.name(), g.kind(), t.effectiveRequest(), g.replicas(), g.singlePod(), g.lifetime(), g.origin(),
                    g.gpuModels(), t, p, g.priority()));
        }
        List<DaemonSetSpec> daemonSets = new ArrayList<>(w.daemonSets().size());
        for (DaemonSetSpec d : w.daemonSets()) {
            RuntimeClassSpec c = resolve(d.template(), "DaemonSet " + d.name(), d.origin(), classes, missing, missingAt);
            if (c == null) {
                daemonSets.add(d);
                continue;
            }
            given.merge(c.name(), 1, Integer::sum);
            PodTemplate t = admitted(d.template(), c, "DaemonSet " + d.name(), d.origin());
            // The DaemonSet controller picks its nodes by the template alone (NodeShouldRunDaemonPod, before admission):
            // the class's tolerations add no node; its node selector leaves the pods on other nodes Pending, using nothing.
            Placement p = scheduling(d.placement(), c, "DaemonSet " + d.name(), d.origin(), false);
            daemonSets.add(d.withTemplate(t).withPlacement(p));
        }
        List<IgnoredObject> ignored = new ArrayList<>(w.ignored());
        for (RuntimeClassSpec c : classes.values()) {
            int n = given.getOrDefault(c.name(), 0);
            ignored.add(new IgnoredObject("RuntimeClass", c.name(), c.origin(), "applied: " + describe(c) + " went to "
                    + n + " workload" + (n == 1 ? "" : "s") + " naming it (of those the namespaces' ranges admit), as the API server's RuntimeClass "
                    + "admission gives it"));
        }
        for (Map.Entry<String, List<String>> e : missing.entrySet()) {
            List<String> who = e.getValue();
            ignored.add(new IgnoredObject("RuntimeClass", e.getKey(), missingAt.get(e.getKey()), "named by " + who.size() + " workload"
                    + (who.size() == 1 ? "" : "s") + " (" + String.join(", ", who.subList(0, Math.min(3, who.size())))
                    + (who.size() > 3 ? ", …" : "") + ") but not in the inputs: its pod overhead, node selector and tolerations are not applied. "
                    + "Maybe add it: kubectl get runtimeclass " + e.getKey() + " -o yaml"));
        }
        return new Workload(groups, daemonSets, ignored, w.sources(), w.autoscalers(), w.containerDefaults(), List.of(), w.namespaces());
    }

    /**
     * Whether the pod template names a RuntimeClass. One that sets {@code spec.overhead} without
     * naming one is rejected, as RuntimeClass admission's validateOverhead rejects the pods ("Pod
     * Overhead set without corresponding RuntimeClass defined Overhead"): its controller creates none. {@code who} is worded
     * only for the error: a string per group was most of this pass over a 150,000-pod trace.
     */
    private static boolean named(PodTemplate t, java.util.function.Supplier<String> who, SourceRef at) {
        if (t == null) {
            return false;
        }
        if (t.runtimeClassName() == null && !t.overhead().equals(Resources.ZERO)) {
            throw new InputException(SourceLocation.of(at.file(), at.line()), "The API server rejects the pods of " + who.get()
                    + ": they set spec.overhead (" + Amounts.describe(t.overhead()) + ") but name no RuntimeClass, whose overhead.podFixed"
                    + " alone sets it. Maybe remove spec.overhead, or name the RuntimeClass (runtimeClassName) that gives it.");
        }
        return t.runtimeClassName() != null;
    }

    /**
     * The RuntimeClass a pod template names, or null when it names none or one not in the inputs
     * (then listed in {@code missing}, unless the pod already carries an overhead: read back from a
     * running cluster, admission has already given it everything).
     */
    private static RuntimeClassSpec resolve(PodTemplate t, String who, SourceRef at, Map<String, RuntimeClassSpec> classes,
                                            Map<String, List<String>> missing, Map<String, SourceRef> missingAt) {
        if (t == null || t.runtimeClassName() == null) {
            return null;
        }
        RuntimeClassSpec c = classes.get(t.runtimeClassName());
        if (c == null && t.overhead().equals(Resources.ZERO)) {
            missing.computeIfAbsent(t.runtimeClassName(), k -> new ArrayList<>()).add(who);
            missingAt.putIfAbsent(t.runtimeClassName(), at);
        }
        return c;
    }

    /**
     * setOverhead: the class's overhead replaces none; a pod with another overhead is rejected, and
     * validateOverhead rejects a pod that sets one when its class defines none.
     */
    private static PodTemplate admitted(PodTemplate t, RuntimeClassSpec c, String who, SourceRef at) {
        if (c.overhead() == null) {
            if (!t.overhead().equals(Resources.ZERO)) {
                throw new InputException(SourceLocation.of(at.file(), at.line()), "The API server rejects the pods of " + who
                        + ": they set spec.overhead (" + Amounts.describe(t.overhead()) + ") but RuntimeClass '" + c.name()
                        + "', which they name, defines no overhead. Maybe remove spec.overhead.");
            }
            return t;
        }
        if (!t.overhead().equals(Resources.ZERO) && !t.overhead().equals(c.overhead())) {
            throw new InputException(SourceLocation.of(at.file(), at.line()), "The API server rejects the pods of " + who
                    + ": their spec.overhead (" + Amounts.describe(t.overhead()) + ") differs from the overhead.podFixed of RuntimeClass '" + c.name()
                    + "' (" + Amounts.describe(c.overhead()) + "), which it names. Maybe remove spec.overhead: admission sets it from the RuntimeClass.");
        }
        return t.withOverhead(c.overhead());
    }

    /**
     * setScheduling: the class's node selector merged into the pod's (a conflicting value is
     * rejected), its tolerations added when {@code tolerationsToo}.
     */
    private static Placement scheduling(Placement p, RuntimeClassSpec c, String who, SourceRef at, boolean tolerationsToo) {
        if (c.nodeSelector().isEmpty() && (c.tolerations().isEmpty() || !tolerationsToo)) {
            return p;
        }
        Map<String, String> selector = new LinkedHashMap<>(p.nodeSelector());
        for (Map.Entry<String, String> e : c.nodeSelector().entrySet()) {
            String own = selector.get(e.getKey());
            if (own != null && !own.equals(e.getValue())) {
                throw new InputException(SourceLocation.of(at.file(), at.line()), "The API server rejects the pods of " + who
                        + ": RuntimeClass '" + c.name() + "' sets scheduling.nodeSelector[" + e.getKey() + "] = " + e.getValue()
                        + ", but the pod's nodeSelector[" + e.getKey() + "] = " + own + " (a conflict).");
            }
            selector.put(e.getKey(), e.getValue());
        }
        List<Placement.Toleration> tolerations = new ArrayList<>(p.tolerations());
        for (Placement.Toleration t : tolerationsToo ? c.tolerations() : List.<Placement.Toleration>of()) {
            if (!tolerations.contains(t)) {
                tolerations.add(t);
            }
        }
        return p.withNodeSelectorAndTolerations(selector, tolerations);
    }

    private static String describe(RuntimeClassSpec c) {
        List<String> parts = new ArrayList<>();
        if (c.overhead() != null) {
            parts.add("pod overhead " + Amounts.describe(c.overhead()));
        }
        if (!c.nodeSelector().isEmpty()) {
            List<String> pairs = new ArrayList<>();
            c.nodeSelector().forEach((k, v) -> pairs.add(k + "=" + v));
            parts.add("node selector " + String.join(",", pairs));
        }
        if (!c.tolerations().isEmpty()) {
            parts.add(c.tolerations().size() + " toleration" + (c.tolerations().size() == 1 ? "" : "s"));
        }
        return parts.isEmpty() ? "nothing to add (no overhead or scheduling)" : "its " + String.join(", ", parts);
    }
}
