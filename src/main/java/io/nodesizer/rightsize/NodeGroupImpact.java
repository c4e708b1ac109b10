package io.nodesizer.rightsize;

import io.nodesizer.analyze.NodeGroups;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import io.nodesizer.sweep.HaSizing;
import io.nodesizer.sweep.ProgressListener;
import io.nodesizer.sweep.ShapeEvaluator;
import io.nodesizer.sweep.ShapeOptimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the new requests do to a cluster of dedicated node groups, sized group by group: each group's pods (those that
 * select it, and those requesting the GPUs its nodes offer, {@link NodeGroups#needs}) on the best shape as a node of that
 * group (its labels and taints), the pods that run anywhere on the best plain shape, before and after with the same
 * engine; the totals are the sums. One shape for the whole cluster left a group's pods out of both packings (QA 64a F2:
 * 20 pods out, "saving 0.0 %"), and one GPU pod among the pods that run anywhere put them all on GPU machines (QA 66a M1:
 * 13 pods on 2 × g4dn.4xlarge, $2.41/h before and after); GPU pods no node group offers GPUs to are a part of their own.
 *
 * @param parts the pods that run anywhere first (when there are any), then each node group some pod needs, then the GPU
 *              pods no node group offers GPUs to (when there are any)
 * @param notes why the GPU pods are sized apart from the rest, a line per part of them
 */
public record NodeGroupImpact(List<Part> parts, List<String> notes) {
    public NodeGroupImpact {
        parts = List.copyOf(parts);
        notes = List.copyOf(notes);
    }

    /** The name of the part of GPU pods no node group offers GPUs to. */
    public static final String GPU_PODS = "(pods requesting GPUs)";

    /**
     * One node group's sizing.
     *
     * @param group  the node group, or null for the pods a plain candidate admits, or for the GPU pods of no group
     * @param gpus   with no group: the part of the GPU pods no node group offers GPUs to ({@link #GPU_PODS})
     * @param pods   its pods with today's requests
     * @param impact its before and after
     */
    public record Part(NodeGroups.Group group, boolean gpus, long pods, Impact impact) {
        /** The group's name as the report shows it. */
        public String name() {
            return group != null ? group.name() : gpus ? GPU_PODS : "(pods any node admits)";
        }
    }

    /**
     * Sized per node group when some pod of {@code before} needs one of {@code groups}, or when GPU pods run beside pods
     * requesting none; null otherwise (one shape for all then, {@link Impact#of}).
     */
    public static NodeGroupImpact of(NodeGroups groups, Workload before, Workload after, List<NodeShape> shapes,
                                     List<PackingStrategies> strategies, long seed, int threads, ProgressListener progress,
                                     ShapeEvaluator.OptimizeMode mode, ShapeOptimizer.Settings settings, HaSizing.Rules rules) {
        Map<String, NodeGroups.Group> needs = groups.needs(before, shapes);
        Set<String> gpusApart = NodeGroups.gpusApart(before, needs);
        List<PodGroup> anywhere = before.groups().stream().filter(g -> !needs.containsKey(g.name()) && !gpusApart.contains(g.name())).toList();
        if (needs.isEmpty() && (gpusApart.isEmpty() || anywhere.isEmpty())) {
            return null; // one part: every pod runs anywhere, or every pod requests GPUs no group offers
        }
        List<Part> parts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!anywhere.isEmpty()) {
            parts.add(new Part(null, false, count(anywhere), Impact.of(before.withGroups(anywhere), only(after, names(anywhere)), shapes,
                    strategies, seed, threads, progress, mode, settings, rules)));
        }
        for (NodeGroups.Group group : needs.values().stream().distinct().toList()) {
            List<PodGroup> mine = before.groups().stream().filter(g -> group.equals(needs.get(g.name()))).toList();
            parts.add(new Part(group, false, count(mine), Impact.of(before.withGroups(mine), only(after, names(mine)), group.variants(shapes),
                    strategies, seed, threads, progress, mode, settings, rules)));
            if (group.windows()) {
                notes.add(group.priceCaveat());
            }
            List<PodGroup> gpu = mine.stream().filter(g -> g.request().gpuMillis() > 0).toList();
            if (!gpu.isEmpty()) {
                notes.add(pods(gpu) + " sized with node group " + group.name() + ", whose nodes offer the GPUs (" + group.describeGpus()
                        + "), on shapes as its nodes: one shape for GPU pods and the pods that run anywhere would have to carry GPUs, and"
                        + " would size those on GPU machines");
            }
        }
        if (!gpusApart.isEmpty()) {
            List<PodGroup> gpu = before.groups().stream().filter(g -> gpusApart.contains(g.name())).toList();
            parts.add(new Part(null, true, count(gpu), Impact.of(before.withGroups(gpu), only(after, gpusApart), shapes, strategies, seed,
                    threads, progress, mode, settings, rules)));
            notes.add(pods(gpu) + " sized apart, as " + GPU_PODS + ", on the best shape with the GPUs: " + (groups.groups().isEmpty()
                    ? "" : "no node group of the snapshot offers GPUs of their vendor and model, and ") + "one shape for GPU pods and the "
                    + "pods that run anywhere would size those on GPU machines");
        }
        return new NodeGroupImpact(parts, notes);
    }

    /** "1 pod requesting GPUs (ml/train-0) is", "3 pods requesting GPUs (ml/train, ml/infer) are": the first four workloads. */
    private static String pods(List<PodGroup> gpu) {
        long n = count(gpu);
        List<String> names = gpu.stream().map(PodGroup::name).distinct().toList();
        return n + (n == 1 ? " pod" : " pods") + " requesting GPUs (" + String.join(", ", names.subList(0, Math.min(4, names.size())))
                + (names.size() > 4 ? ", … " + (names.size() - 4) + " more" : "") + (n == 1 ? ") is" : ") are");
    }

    private static Set<String> names(List<PodGroup> groups) {
        Set<String> out = new java.util.HashSet<>();
        groups.forEach(g -> out.add(g.name()));
        return out;
    }

    private static long count(List<PodGroup> groups) {
        return groups.stream().mapToLong(PodGroup::replicas).sum();
    }

    /** {@code w} with only the pod groups named. */
    private static Workload only(Workload w, Set<String> names) {
        return w.withGroups(w.groups().stream().filter(g -> names.contains(g.name())).toList());
    }

    public int nodesBefore() {
        return parts.stream().mapToInt(p -> p.impact().before().nodes()).sum();
    }

    public int nodesAfter() {
        return parts.stream().mapToInt(p -> p.impact().after().nodes()).sum();
    }

    /** Today's cost summed over the groups; null when a shape has no price. */
    public Double costPerHourBefore() {
        return costPerHour(Impact::before);
    }

    /** The cost after summed over the groups; null when a shape has no price. */
    public Double costPerHourAfter() {
        return costPerHour(Impact::after);
    }

    /** The cost per hour of one side of every group's impact, summed; null when a shape has no price. */
    private Double costPerHour(java.util.function.Function<Impact, io.nodesizer.sweep.ShapeEvaluation> side) {
        double sum = 0;
        for (Part p : parts) {
            Double cost = side.apply(p.impact()).billedPerHour(); // a part that holds no pod bills $0: not "no price"
            if (cost == null) {
                return null;
            }
            sum += cost;
        }
        return sum;
    }

    /** Pods the new requests leave out that today's place, over all groups ({@link Impact#podsLeftOut}). */
    public int podsLeftOut() {
        return parts.stream().mapToInt(p -> p.impact().podsLeftOut()).sum();
    }

    /** Pods today's requests leave out, over all groups. */
    public int unschedulableBefore() {
        return parts.stream().mapToInt(p -> p.impact().before().unschedulableCount()).sum();
    }

    public int unschedulableAfter() {
        return parts.stream().mapToInt(p -> p.impact().after().unschedulableCount()).sum();
    }

    /** Before minus after over all groups; null when a price is unknown or the new requests leave pods out (as {@link Impact#savingPerHour}). */
    public Double savingPerHour() {
        Double b = costPerHourBefore();
        Double a = costPerHourAfter();
        return b == null || a == null || podsLeftOut() > 0 ? null : b - a;
    }

    /** The groups' warnings ({@link Impact#leftOutTodayWarning}, {@link Impact#leftOutWarning}), each named by its group. */
    public List<String> warnings(boolean snapshot) {
        List<String> out = new ArrayList<>();
        for (Part p : parts) {
            for (String w : java.util.Arrays.asList(p.impact().leftOutTodayWarning(snapshot ? Impact.Candidates.NODE_GROUP : Impact.Candidates.GIVEN), p.impact().leftOutWarning())) {
                if (w != null) {
                    out.add("Node group " + p.name() + ": " + w);
                }
            }
        }
        return out;
    }
}
