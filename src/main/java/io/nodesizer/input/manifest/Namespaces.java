package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.NamespaceSpec;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Namespace objects in the manifests, whose labels resolve the {@code namespaceSelector} of pod
 * (anti-)affinity terms as kube-scheduler does (framework {@code AffinityTerm}: a term takes the
 * pods of the namespaces it names and of those its selector selects; {@code
 * GetNamespaceLabelsSnapshot} reads the namespaces' labels). Every namespace carries
 * {@code kubernetes.io/metadata.name: <name>} (the API server sets it since Kubernetes 1.22), so
 * a namespace without an object (one the inputs' pods run in, or {@code default} and the
 * {@code kube-} ones, which every cluster has) is known by that label alone.
 *
 * <p>A term whose selector selects a namespace of the inputs' pods, or not, only by labels its
 * missing object would give is left as every namespace (the conservative reading it had before
 * namespaces' labels were read), and noted with those namespaces; every other term gets the
 * explicit list of namespaces it takes, and the engine, replay and the verifiers match it as any
 * term with {@code namespaces}.
 */
public final class Namespaces {
    /** The namespaces every cluster has, whether or not the inputs hold their objects. */
    static final List<String> BUILT_IN = List.of("default", "kube-node-lease", "kube-public", "kube-system");

    private Namespaces() {
    }

    /** The workload with its terms' namespaceSelectors resolved and its Namespace objects listed. */
    public static Workload apply(Workload w) {
        Map<String, NamespaceSpec> objects = byName(w.namespaces());
        boolean selectors = false;
        for (PodGroup g : w.groups()) {
            selectors |= g.placement() != Placement.ANY && hasSelector(g.placement());
        }
        for (DaemonSetSpec d : w.daemonSets()) {
            selectors |= hasSelector(d.placement());
        }
        if (objects.isEmpty() && !selectors) {
            return w; // most inputs: nothing to resolve or list, read in one pass over the groups
        }
        Set<String> podNamespaces = new TreeSet<>();
        if (selectors) {
            w.groups().forEach(g -> podNamespaces.add(g.placement().namespace()));
            w.daemonSets().forEach(d -> podNamespaces.add(d.placement().namespace()));
        }
        Resolver r = new Resolver(objects, podNamespaces, false);
        List<PodGroup> groups = new ArrayList<>(w.groups().size());
        for (PodGroup g : w.groups()) {
            Placement p = r.resolve(g.placement());
            groups.add(p == g.placement() ? g : new PodGroup(g.name(), g.kind(), g.request(), g.replicas(), g.singlePod(), g.lifetime(),
                    g.origin(), g.gpuModels(), g.template(), p, g.priority()));
        }
        List<DaemonSetSpec> daemonSets = new ArrayList<>(w.daemonSets().size());
        for (DaemonSetSpec d : w.daemonSets()) {
            Placement p = r.resolve(d.placement());
            daemonSets.add(p == d.placement() ? d : d.withPlacement(p));
        }
        List<IgnoredObject> ignored = new ArrayList<>(w.ignored());
        for (NamespaceSpec n : objects.values()) {
            int k = r.selecting.getOrDefault(n.name(), 0);
            List<String> labels = new ArrayList<>();
            n.labels().forEach((key, v) -> labels.add(key + "=" + v));
            ignored.add(new IgnoredObject("Namespace", n.name(), n.origin(), "applied: its labels ("
                    + String.join(", ", labels) + ") decide which pod (anti-)affinity namespaceSelectors select it; " + k + " of the "
                    + "inputs' terms " + (k == 1 ? "does" : "do")));
        }
        return new Workload(groups, daemonSets, ignored, w.sources(), w.autoscalers(), w.containerDefaults(), w.runtimeClasses(),
                List.of());
    }

    /**
     * A cluster snapshot's pods with their terms' namespaceSelectors resolved against the snapshot's
     * Namespace objects ({@code kubectl get namespaces}), as {@link #apply} resolves manifests', except
     * that the objects are taken as every namespace of the cluster: one a pod runs in without an
     * object has no label but its name, as kube-scheduler's namespace lister would have it (in a
     * live cluster a pod's namespace exists). The pods unchanged when the snapshot has no Namespace
     * (a selector with labels then stays every namespace).
     */
    public static List<ClusterSnapshot.Pod> apply(List<ClusterSnapshot.Pod> pods, List<NamespaceSpec> namespaces) {
        if (namespaces.isEmpty()) {
            return pods;
        }
        Set<String> podNamespaces = new TreeSet<>();
        pods.forEach(q -> podNamespaces.add(q.placement().namespace()));
        Resolver r = new Resolver(byName(namespaces), podNamespaces, true);
        List<ClusterSnapshot.Pod> out = new ArrayList<>(pods.size());
        for (ClusterSnapshot.Pod q : pods) {
            Placement p = r.resolve(q.placement());
            out.add(p == q.placement() ? q : q.withPlacement(p));
        }
        return out;
    }

    /** The Namespace objects by name; one name defined twice with different labels is an error. */
    private static Map<String, NamespaceSpec> byName(List<NamespaceSpec> namespaces) {
        Map<String, NamespaceSpec> objects = new TreeMap<>();
        for (NamespaceSpec n : namespaces) {
            NamespaceSpec first = objects.putIfAbsent(n.name(), n);
            if (first != null && !first.labels().equals(n.labels())) {
                throw new InputException(SourceLocation.of(n.origin().file(), n.origin().line()), "The Namespace '" + n.name()
                        + "' is also defined at " + first.origin() + " with other labels; a namespace name is unique in a cluster.");
            }
        }
        return objects;
    }

    private static boolean hasSelector(Placement p) {
        for (Placement.PodAffinityTerm t : p.affinity()) {
            if (t.namespaceSelector() != null) {
                return true;
            }
        }
        for (Placement.PodAffinityTerm t : p.antiAffinity()) {
            if (t.namespaceSelector() != null) {
                return true;
            }
        }
        for (Placement.WeightedPodTerm t : p.preferences().affinity()) {
            if (t.term().namespaceSelector() != null) {
                return true;
            }
        }
        for (Placement.WeightedPodTerm t : p.preferences().antiAffinity()) {
            if (t.term().namespaceSelector() != null) {
                return true;
            }
        }
        return false;
    }

    /** Resolves terms against the known namespaces; counts, per Namespace object, the terms that select it. */
    private static final class Resolver {
        private final Map<String, NamespaceSpec> objects;
        private final Set<String> podNamespaces;
        private final boolean complete;
        private final Set<String> known = new TreeSet<>();
        final Map<String, Integer> selecting = new LinkedHashMap<>();
        private final Map<Placement.PodAffinityTerm, Placement.PodAffinityTerm> done = new java.util.HashMap<>();
        private final Map<Placement.PodAffinityTerm, List<String>> selectedObjectsOf = new java.util.HashMap<>();

        /**
         * @param complete the objects are every namespace there is (a snapshot's {@code kubectl get namespaces}): one
         *                 without an object has no label but its name, as the scheduler's namespace lister sees it
         */
        Resolver(Map<String, NamespaceSpec> objects, Set<String> podNamespaces, boolean complete) {
            this.objects = objects;
            this.podNamespaces = podNamespaces;
            this.complete = complete;
            known.addAll(objects.keySet());
            known.addAll(podNamespaces);
            known.addAll(BUILT_IN);
        }

        /** The placement with its terms' selectors resolved; itself when it has no labelled namespaceSelector. */
        Placement resolve(Placement p) {
            return p == Placement.ANY || !hasSelector(p) ? p : placement(p);
        }

        Placement placement(Placement p) {
            List<Placement.PodAffinityTerm> affinity = p.affinity().stream().map(this::term).toList();
            List<Placement.PodAffinityTerm> anti = p.antiAffinity().stream().map(this::term).toList();
            Placement.Preferences pref = p.preferences();
            Placement.Preferences newPref = new Placement.Preferences(pref.nodeTerms(),
                    pref.affinity().stream().map(t -> new Placement.WeightedPodTerm(t.weight(), term(t.term()))).toList(),
                    pref.antiAffinity().stream().map(t -> new Placement.WeightedPodTerm(t.weight(), term(t.term()))).toList(),
                    pref.systemSpread());
            return new Placement(p.nodeSelector(), p.requiredTerms(), p.tolerations(), p.namespace(), p.podLabels(), anti, affinity,
                    p.spread(), newPref);
        }

        /** The term with its namespaceSelector resolved, or left as every namespace with the namespaces whose labels are missing. */
        Placement.PodAffinityTerm term(Placement.PodAffinityTerm t) {
            if (t.namespaceSelector() == null || !t.namespaceSelectorLabels()) {
                return t;
            }
            Placement.PodAffinityTerm cached = done.get(t);
            if (cached != null) {
                selectedObjectsOf.get(t).forEach(ns -> selecting.merge(ns, 1, Integer::sum));
                return cached;
            }
            Placement.NamespaceSelector s = t.namespaceSelector();
            Set<String> selected = new TreeSet<>(t.namespaces());
            Set<String> decided = new TreeSet<>();
            List<String> missing = new ArrayList<>();
            List<String> selectedObjects = new ArrayList<>();
            for (String ns : known) {
                NamespaceSpec o = objects.get(ns);
                Boolean in = o != null ? s.selects(o.labels(), true)
                        : s.selects(Map.of(Placement.NamespaceSelector.NAME_LABEL, ns), complete);
                if (in == null) {
                    if (podNamespaces.contains(ns) && !t.namespaces().contains(ns)) {
                        missing.add(ns);
                    }
                    continue;
                }
                decided.add(ns);
                if (in) {
                    selected.add(ns);
                    if (o != null) {
                        selectedObjects.add(ns);
                    }
                }
            }
            Placement.PodAffinityTerm out;
            if (missing.isEmpty()) {
                decided.addAll(t.namespaces());
                out = t.resolved(List.copyOf(selected), decided);
            } else {
                out = t.unresolved(missing);
                selectedObjects.clear();
            }
            done.put(t, out);
            selectedObjectsOf.put(t, selectedObjects);
            selectedObjects.forEach(ns -> selecting.merge(ns, 1, Integer::sum));
            return out;
        }
    }
}
