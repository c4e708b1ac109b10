package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.TemplateRef;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Argo Rollouts that take their pod template from a Deployment or ReplicaSet
 * ({@code spec.workloadRef}, Argo's way to migrate a Deployment without copying its template),
 * resolved once every input is read, since the Deployment is often in another file. The Rollout
 * runs its own {@code spec.replicas} of the referenced template (argo-rollouts
 * {@code rollout/templateref.go}). A Deployment runs its own replicas beside it unless
 * {@code workloadRef.scaleDown} is {@code onsuccess} or {@code progressively}, with which Argo
 * scales it to zero once the Rollout is healthy ({@code docs/features/specification.md};
 * {@code rollout/scale_utils.go} scales Deployments only); with {@code never}, the default, or any
 * other value, and for a ReplicaSet, it keeps running until someone scales it down. Canary and
 * blue-green extra pods during an update are not counted, as for Rollouts with a template.
 */
public final class ArgoRollouts {
    /** The kinds a workloadRef may name whose template nodesizer reads (Argo also takes a PodTemplate, which it does not). */
    private static final Set<String> KINDS = Set.of("Deployment", "ReplicaSet");

    private ArgoRollouts() {
    }

    /**
     * The Rollout {@code fullName} of namespace {@code namespace} as an object listed until
     * {@link #resolve} finds what its {@code workloadRef} names; a reference without a kind or a
     * name is an error with its line, as Argo cannot resolve it either.
     */
    static IgnoredObject reference(String kind, String fullName, String namespace, YamlNode.Mapping spec, YamlNode.Mapping workloadRef,
                                   SourceRef origin) {
        String targetKind = Manifests.text(workloadRef, "kind", "spec.workloadRef");
        String targetName = Manifests.text(workloadRef, "name", "spec.workloadRef");
        if (targetKind == null || targetKind.isBlank() || targetName == null || targetName.isBlank()) {
            throw new InputException(workloadRef.at(), "The Rollout's spec.workloadRef needs kind and name (the Deployment or "
                    + "ReplicaSet whose pod template it runs); found " + (targetKind == null || targetKind.isBlank() ? "no kind" : "kind "
                    + targetKind) + " and " + (targetName == null || targetName.isBlank() ? "no name" : "name " + targetName) + ".");
        }
        String scaleDown = Manifests.text(workloadRef, "scaleDown", "spec.workloadRef");
        String apiVersion = Manifests.text(workloadRef, "apiVersion", "spec.workloadRef");
        int replicas = Manifests.integer(spec, "replicas", "spec", 1);
        // Argo scales down only a Deployment (rollout/scale_utils.go fetches Deployments), whatever the kind named.
        TemplateRef ref = new TemplateRef(targetKind, ManifestReader.fullName(namespace, targetName), replicas,
                targetKind.equals("Deployment") && ("onsuccess".equals(scaleDown) || "progressively".equals(scaleDown)), scaleDown);
        // Argo looks the object up in its API group (rollout/templateref.go): apps for both kinds read here.
        boolean apps = apiVersion == null || apiVersion.startsWith("apps/");
        return new IgnoredObject(kind, fullName, origin, "not packed: its spec.workloadRef names " + describe(ref)
                + (apiVersion == null ? "" : " (" + apiVersion + ")") + ", which is not among the inputs"
                + (KINDS.contains(targetKind) && apps ? "" : " (nodesizer reads the template of an apps/v1 Deployment or ReplicaSet)"),
                null, apps ? ref : null);
    }

    /**
     * The workload with each Rollout that refers to a template packed as a group of its own, and
     * each referenced workload that Argo scales down left out; every change listed.
     */
    public static Workload resolve(Workload w) {
        if (w.ignored().stream().noneMatch(o -> o.template() != null)) {
            return w;
        }
        List<PodGroup> groups = new ArrayList<>(w.groups());
        List<IgnoredObject> ignored = new ArrayList<>();
        // Per referenced workload among the groups read: the Rollouts running its template, and
        // whether one of them has Argo scale it down.
        java.util.Map<Integer, List<String>> referredBy = new java.util.TreeMap<>();
        java.util.Map<Integer, String> scaledDownBy = new java.util.TreeMap<>(); // in input order, as the groups were
        for (IgnoredObject o : w.ignored()) {
            TemplateRef ref = o.template();
            PodGroup source = null;
            int at = -1;
            if (ref != null && KINDS.contains(ref.targetKind())) {
                at = indexOf(w.groups(), ref);
                source = at >= 0 ? w.groups().get(at) : idle(w.ignored(), ref);
            }
            if (source == null) {
                ignored.add(o); // not a reference, or one that names nothing among the inputs (its entry says so)
                continue;
            }
            PodGroup rollout = new PodGroup(o.name(), o.kind(), source.request(), Math.max(ref.replicas(), 1), false, null, o.origin(),
                    source.gpuModels(), source.template(), source.placement(), source.priority());
            if (ref.replicas() == 0) {
                ignored.add(new IgnoredObject(o.kind(), o.name(), o.origin(), "scaled to zero (spec.replicas: 0); its pods would come from "
                        + describe(ref) + " (spec.workloadRef)", rollout));
            } else {
                groups.add(rollout);
            }
            if (at < 0) {
                continue; // the referenced workload is at zero replicas already, and listed so
            }
            if (ref.scalesTargetDown()) {
                scaledDownBy.putIfAbsent(at, o.name() + " (scaleDown: " + ref.scaleDown() + ")");
            } else if (ref.replicas() > 0) {
                referredBy.computeIfAbsent(at, k -> new ArrayList<>()).add(o.name() + " (" + (ref.scaleDown() == null ? "no scaleDown"
                        : "scaleDown: " + ref.scaleDown()) + ")");
            }
        }
        scaledDownBy.forEach((i, by) -> {
            // Left out as a workload at zero: an HPA on it is then off, a ScaledObject brings it back.
            PodGroup g = w.groups().get(i);
            ignored.add(new IgnoredObject(g.kind(), g.name(), g.origin(), "not packed: Argo Rollout " + by + " runs its template "
                    + "(spec.workloadRef) and scales it to zero once healthy; its own replicas run only until then", g.withReplicas(1)));
            groups.set(i, null);
        });
        referredBy.forEach((i, by) -> {
            if (!scaledDownBy.containsKey(i)) {
                PodGroup g = w.groups().get(i);
                ignored.add(new IgnoredObject(g.kind(), g.name(), g.origin(), "packed as written beside Argo Rollout" + (by.size() == 1 ? " " : "s ")
                        + String.join(", ", by) + ", which run" + (by.size() == 1 ? "s" : "") + " its template (spec.workloadRef): Argo scales "
                        + (g.kind().equals("Deployment") ? "a Deployment down only with scaleDown onsuccess or progressively"
                        : "no ReplicaSet down") + ", so both run until it is scaled to zero by hand"));
            }
        });
        groups.removeIf(java.util.Objects::isNull);
        return new Workload(groups, w.daemonSets(), ignored, w.sources(), w.autoscalers(), w.containerDefaults(), w.runtimeClasses(),
                w.namespaces());
    }

    private static String describe(TemplateRef ref) {
        return ref.targetKind() + " " + ref.targetName();
    }

    /** Where the referenced workload stands among the groups read, or -1. */
    private static int indexOf(List<PodGroup> groups, TemplateRef ref) {
        for (int i = 0; i < groups.size(); i++) {
            PodGroup g = groups.get(i);
            if (g.kind().equals(ref.targetKind()) && g.name().equals(ref.targetName())) {
                return i;
            }
        }
        return -1;
    }

    /** The pods of the referenced workload when it was left out at zero replicas, or null. */
    private static PodGroup idle(List<IgnoredObject> ignored, TemplateRef ref) {
        int at = ManifestReader.idleAt(ignored, ref.targetKind(), ref.targetName());
        return at < 0 ? null : ignored.get(at).idle();
    }
}
