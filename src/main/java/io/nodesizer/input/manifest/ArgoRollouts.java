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
import java.util.TreeSet;

/**
 * Argo Rollouts that take their pod template from a Deployment or ReplicaSet
 * ({@code spec.workloadRef}, Argo's way to migrate a Deployment without copying its template),
 * resolved once every input is read, since the Deployment is often in another file. The Rollout
 * runs its own {@code spec.replicas} of the referenced template (argo-rollouts
 * {@code rollout/templateref.go}). The Deployment runs its own replicas beside it unless
 * {@code workloadRef.scaleDown} is {@code onsuccess} or {@code progressively}, with which Argo
 * scales it to zero once the Rollout is healthy ({@code docs/features/specification.md}); with
 * {@code never}, the default, it keeps running until someone scales it down. Canary and
 * blue-green extra pods during an update are not counted, as for Rollouts with a template.
 */
public final class ArgoRollouts {
    /** The kinds a workloadRef may name whose template nodesizer reads (Argo also takes a PodTemplate, which it does not). */
    private static final Set<String> KINDS = Set.of("Deployment", "ReplicaSet");
    /** Argo's values of workloadRef.scaleDown (compared as written, lower case). */
    private static final Set<String> SCALE_DOWN = Set.of("never", "onsuccess", "progressively");

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
        int replicas = Manifests.integer(spec, "replicas", "spec", 1);
        TemplateRef ref = new TemplateRef(targetKind, ManifestReader.fullName(namespace, targetName), replicas,
                "onsuccess".equals(scaleDown) || "progressively".equals(scaleDown), scaleDown);
        return new IgnoredObject(kind, fullName, origin, "not packed: its spec.workloadRef names " + describe(ref)
                + ", which is not among the inputs" + (KINDS.contains(targetKind) ? "" : " (nodesizer reads the template of a "
                + "Deployment or a ReplicaSet)"), null, ref);
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
        List<IgnoredObject> notes = new ArrayList<>();
        Set<Integer> scaledDown = new TreeSet<>();
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
                    source.gpuModels(), source.template(), source.placement());
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
                if (scaledDown.add(at)) {
                    notes.add(new IgnoredObject(source.kind(), source.name(), source.origin(), "not packed: Argo Rollout " + o.name()
                            + " runs its template (spec.workloadRef) and scales it to zero once healthy (scaleDown: " + ref.scaleDown()
                            + "); its " + source.replicas() + " replica" + (source.replicas() == 1 ? "" : "s") + " run only until then"));
                }
            } else {
                notes.add(new IgnoredObject(source.kind(), source.name(), source.origin(), "packed at its " + source.replicas()
                        + " replica" + (source.replicas() == 1 ? "" : "s") + " beside Argo Rollout " + o.name() + ", which runs its "
                        + "template (spec.workloadRef): " + (ref.scaleDown() == null ? "scaleDown is never by default"
                        : SCALE_DOWN.contains(ref.scaleDown()) ? "scaleDown: never" : "Argo reads scaleDown '" + ref.scaleDown()
                        + "' as never (it takes never, onsuccess or progressively)") + ", so the Deployment runs until scaled to zero "
                        + "by hand"));
            }
        }
        List<PodGroup> kept = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            if (!scaledDown.contains(i)) {
                kept.add(groups.get(i));
            }
        }
        ignored.addAll(notes);
        return new Workload(kept, w.daemonSets(), ignored, w.sources(), w.autoscalers(), w.containerDefaults(), w.runtimeClasses(),
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
        for (IgnoredObject o : ignored) {
            if (o.idle() != null && o.kind().equals(ref.targetKind()) && o.name().equals(ref.targetName())) {
                return o.idle();
            }
        }
        return null;
    }
}
