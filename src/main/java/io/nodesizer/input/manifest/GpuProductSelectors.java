package io.nodesizer.input.manifest;

import io.nodesizer.model.GpuModels;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPU pod pinned to a GPU model by NVIDIA GPU feature discovery's label ({@code nvidia.com/gpu.product:
 * NVIDIA-A100-SXM4-40GB}, the commonest pin in real manifests) asks for that model: the requirement becomes the
 * group's GPU model ({@link GpuModels#fromProductLabel}: A100), matched against a shape's model as a trace's
 * {@code gpu_spec} is, where a node shape carries no such label (the operator puts it on each node from its own
 * device) and the pod was refused on every catalog type. A running node's model comes from the same label, so a
 * fleet keeps the pin. Read from the node selector, and from a required node affinity of one term with {@code In}
 * on the key; anything else (NotIn, several terms) stays a label requirement.
 *
 * <p>And a GPU pod tolerates the taint named for its GPU resource ({@code nvidia.com/gpu:NoSchedule}, what GKE puts on
 * every GPU node pool and GPU node groups commonly carry): the ExtendedResourceToleration admission plugin, which GKE and
 * EKS (since 1.19) run, adds {@code {key: <resource>, operator: Exists, effect: NoSchedule}} for every extended resource a
 * pod requests (kubernetes plugin/pkg/admission/extendedresourcetoleration); manifests written for GKE carry none.
 */
public final class GpuProductSelectors {
    public static final String KEY = "nvidia.com/gpu.product";

    private GpuProductSelectors() {
    }

    public static Workload apply(Workload w) {
        List<PodGroup> out = null;
        Map<Placement, Map<String, Placement>> tolerating = new java.util.IdentityHashMap<>();
        for (int i = 0; i < w.groups().size(); i++) {
            PodGroup g = w.groups().get(i);
            PodGroup got = apply(g, tolerating);
            if (got != g && out == null) {
                out = new ArrayList<>(w.groups().subList(0, i));
            }
            if (out != null) {
                out.add(got);
            }
        }
        return out == null ? w : w.withGroups(out);
    }

    /**
     * {@code g} with a NoSchedule toleration of each GPU resource name of its vendor it does not tolerate yet; of every
     * vendor's for a pod whose GPUs name no vendor (a CSV profile's row): it runs on any vendor's GPUs, asking there for
     * the resource that node's device plugin offers, which the admission plugin then tolerates. {@code tolerating}: the
     * placements made so far, per placement instance and vendor: pods that shared one placement instance share the
     * tolerating one, as the readers share theirs ({@link Placement#ANY}), so that the
     * tables that class pods by placement find them alike by identity (a new placement per GPU pod of a 150,000-pod trace
     * was a record hash per pod in each of them).
     */
    private static PodGroup tolerateOwnResources(PodGroup g, Map<Placement, Map<String, Placement>> tolerating) {
        // get/put rather than computeIfAbsent: no lambda made per GPU pod of a trace (the second lookup misses once per placement)
        Map<String, Placement> byVendor = tolerating.get(g.placement());
        if (byVendor == null) {
            byVendor = new java.util.HashMap<>();
            tolerating.put(g.placement(), byVendor);
        }
        String vendor = g.gpuVendor();
        Placement p = byVendor.get(vendor);
        if (p == null) {
            p = tolerating(g.placement(), vendor);
            byVendor.put(vendor, p);
        }
        return p == g.placement() ? g : new PodGroup(g.name(), g.kind(), g.request(), g.replicas(), g.singlePod(), g.lifetime(),
                g.origin(), g.gpuModels(), g.template(), p, g.priority());
    }

    /** {@code placement} with a NoSchedule toleration of each GPU resource of {@code vendor} (of every vendor's for ""). */
    private static Placement tolerating(Placement placement, String vendor) {
        List<Placement.Toleration> tolerations = new ArrayList<>(placement.tolerations());
        for (String resource : io.nodesizer.model.GpuVendors.RESOURCES) {
            if (!vendor.isEmpty() && !vendor.equals(io.nodesizer.model.GpuVendors.ofResource(resource))) {
                continue;
            }
            Placement.Toleration t = new Placement.Toleration(resource, "Exists", "", "NoSchedule");
            if (!tolerations.contains(t)) {
                tolerations.add(t);
            }
        }
        return tolerations.size() == placement.tolerations().size() ? placement
                : placement.withNodeSelectorAndTolerations(placement.nodeSelector(), tolerations);
    }

    private static PodGroup apply(PodGroup g, Map<Placement, Map<String, Placement>> tolerating) {
        if (g.request().gpuMillis() == 0) {
            return g;
        }
        g = tolerateOwnResources(g, tolerating);
        Placement p = g.placement();
        if (!p.nodeSelector().containsKey(KEY) && p.requiredTerms() == null) {
            return g; // no pin to a product: most GPU pods (every trace's)
        }
        List<String> models = new ArrayList<>();
        Map<String, String> selector = p.nodeSelector();
        if (selector.containsKey(KEY)) {
            models.add(GpuModels.fromProductLabel(selector.get(KEY)));
            selector = new LinkedHashMap<>(selector);
            selector.remove(KEY);
        }
        List<Placement.Term> terms = p.requiredTerms();
        if (terms != null && terms.size() == 1) {
            Placement.Term t = terms.get(0);
            List<Placement.Requirement> kept = new ArrayList<>();
            for (Placement.Requirement r : t.matchExpressions()) {
                if (r.key().equals(KEY) && r.operator() == Placement.Operator.IN) {
                    List<String> these = r.values().stream().map(GpuModels::fromProductLabel).distinct().toList();
                    if (models.isEmpty()) {
                        models.addAll(these);
                    } else {
                        models.retainAll(these); // both must hold
                    }
                } else {
                    kept.add(r);
                }
            }
            if (kept.size() != t.matchExpressions().size()) {
                terms = kept.isEmpty() && t.matchFields().isEmpty() ? null : List.of(new Placement.Term(kept, t.matchFields()));
            }
        }
        if (models.isEmpty() && selector == p.nodeSelector() && terms == p.requiredTerms()) {
            return g;
        }
        if (!g.gpuModels().isEmpty()) {
            models.retainAll(g.gpuModels().stream().map(GpuModels::fromProductLabel).toList());
        }
        Placement placed = new Placement(selector, terms, p.tolerations(), p.namespace(), p.podLabels(), p.antiAffinity(), p.affinity(),
                p.spread(), p.preferences());
        return new PodGroup(g.name(), g.kind(), g.request(), g.replicas(), g.singlePod(), g.lifetime(), g.origin(),
                models.isEmpty() ? List.of("(none)") : List.copyOf(models), g.template(), placed, g.priority());
    }
}
