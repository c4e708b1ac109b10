package io.nodesizer.analyze;

import io.nodesizer.kube.NodeLabels;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A running cluster's node groups as the scheduler tells them apart: per group ({@link ClusterSnapshot.Node#pool}: the
 * EKS, GKE, AKS or Karpenter pool label) the labels its pods can select and the taints that keep other pods off. A
 * catalog candidate carries none of them, so a pod that selects a dedicated group ({@code nodeSelector workload=memory})
 * fits no candidate (QA 64a F2: 20 of a cluster's pods were out of rightsize's before and after, "saving 0.0 %");
 * {@link Group#on} gives a candidate that group's labels and taints, as consolidate's replacements keep theirs.
 *
 * @param groups the worker groups in name order, each with the labels and taints all its nodes share
 */
public record NodeGroups(List<Group> groups) {
    public NodeGroups {
        groups = List.copyOf(groups);
    }

    /**
     * One node group: the labels that matter for placement (the group label itself, and those some pod's node selector
     * or required node affinity names) and the taints every one of its nodes carries, autoscaler and lifecycle taints aside.
     */
    public record Group(String name, Map<String, String> labels, List<Placement.Taint> taints, int nodes) {
        public Group {
            labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
            taints = List.copyOf(taints);
        }

        /**
         * How its candidates are told apart from the catalog's: the labels pods select ("workload=memory"), the group
         * label left out when others say it; the group's name when it has no other.
         */
        public String tag() {
            List<String> own = new ArrayList<>();
            labels.forEach((k, v) -> {
                if (!NodeMatching.POOL_LABELS.contains(k)) {
                    own.add(k + "=" + v);
                }
            });
            return own.isEmpty() ? "node group " + name : String.join(", ", own);
        }

        /** Its labels and taints as a report line: "workload=memory; taint workload=memory:NoSchedule". */
        public String describe() {
            List<String> parts = new ArrayList<>();
            labels.forEach((k, v) -> parts.add(k + "=" + v));
            taints.forEach(t -> parts.add("taint " + t));
            return String.join(", ", parts);
        }

        /** {@code shape} as a node of this group: its labels and taints added, named "r6i.xlarge [workload=memory]". */
        public NodeShape on(NodeShape shape) {
            return NodeLabels.renamed(shape.withLabelsAndTaints(labels, taints), shape.name() + " [" + tag() + "]");
        }
    }

    /**
     * Taints a node carries for a while, not as its group's: the node lifecycle controller's ({@code node.kubernetes.io/…}:
     * not-ready, unschedulable, pressure), the cloud controller's until it initialises the node, and the autoscalers' while
     * they delete it ({@link ClusterSnapshot.Node#deletedBy}) or mark it a candidate.
     */
    private static boolean passing(Placement.Taint t) {
        return t.key().startsWith("node.kubernetes.io/") || t.key().equals("node.cloudprovider.kubernetes.io/uninitialized")
                || t.key().equals("ToBeDeletedByClusterAutoscaler") || t.key().equals("DeletionCandidateOfClusterAutoscaler")
                || t.key().startsWith("karpenter.sh/disrupt");
    }

    /**
     * The worker node groups of {@code snapshot} (control-plane nodes and capacity billed per pod aside), each with the
     * labels and taints all its nodes share: of the labels, the group label and those the pods of {@code w} name in a node
     * selector or required node affinity; the instance-type, per-node (hostname, zone, region) labels never.
     */
    public static NodeGroups of(ClusterSnapshot snapshot, Workload w) {
        Set<String> named = new java.util.HashSet<>(NodeMatching.POOL_LABELS);
        for (PodGroup g : w.groups()) {
            named.addAll(NodeMatching.keysNamed(g.placement()));
        }
        named.removeAll(NodeMatching.PER_NODE);
        named.remove("kubernetes.io/hostname");
        Map<String, List<ClusterSnapshot.Node>> byPool = new TreeMap<>();
        for (ClusterSnapshot.Node n : snapshot.nodes()) {
            if (!n.controlPlane() && !n.billedPerPod()) {
                byPool.computeIfAbsent(n.pool(), k -> new ArrayList<>()).add(n);
            }
        }
        List<Group> out = new ArrayList<>();
        byPool.forEach((pool, nodes) -> {
            Map<String, String> labels = new LinkedHashMap<>();
            nodes.get(0).labels().forEach((k, v) -> {
                if (named.contains(k) && !NodeLabels.fromInstanceType(k) && nodes.stream().allMatch(n -> v.equals(n.labels().get(k)))) {
                    labels.put(k, v);
                }
            });
            List<Placement.Taint> taints = nodes.get(0).taints().stream()
                    .filter(t -> !passing(t) && nodes.stream().allMatch(n -> n.taints().contains(t))).toList();
            out.add(new Group(pool, labels, taints, nodes.size()));
        });
        return new NodeGroups(out);
    }

    /**
     * Per pod group of {@code w} that no {@code plain} candidate admits (its node selector, required node affinity or
     * tolerations), the node group whose nodes do: the first by name when several do. Pods a plain candidate admits, and
     * those no group admits either, are not in the map (the first run anywhere; the second stay out, with their reason).
     * In the order of {@code w}'s groups.
     */
    public Map<String, Group> needs(Workload w, List<NodeShape> plain) {
        List<Map<String, String>> plainLabels = plain.stream().map(NodeLabels::of).toList();
        // Each group's nodes of the plain shapes, with their labels: built once, at the first pod group that asks.
        Map<Group, List<Map.Entry<NodeShape, Map<String, String>>>> nodesOf = new java.util.IdentityHashMap<>();
        Map<String, Group> out = new LinkedHashMap<>();
        for (PodGroup g : w.groups()) {
            boolean anywhere = false;
            for (int i = 0; i < plain.size() && !anywhere; i++) {
                anywhere = NodeMatching.onShape(g.placement(), plain.get(i), plainLabels.get(i)) == null;
            }
            if (anywhere) {
                continue;
            }
            for (Group group : groups) {
                List<Map.Entry<NodeShape, Map<String, String>>> nodes = nodesOf.computeIfAbsent(group,
                        k -> plain.stream().map(k::on).map(s -> Map.entry(s, NodeLabels.of(s))).toList());
                // Labels and taints only: whether a node of the group admits the pod's placement.
                if (nodes.stream().anyMatch(e -> NodeMatching.onShape(g.placement(), e.getKey(), e.getValue()) == null)) {
                    out.put(g.name(), group);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The candidates for {@code w} on a cluster of these groups: {@code plain}, then each plain shape as a node of every
     * group some pod needs ({@link #needs}), so that a mix of pools can hold each group's pods; {@code plain} itself when
     * no pod needs a group. {@code describe} gets a line per group added.
     */
    public List<NodeShape> withVariants(Workload w, List<NodeShape> plain, List<String> describe) {
        List<Group> needed = needs(w, plain).values().stream().distinct().toList();
        if (needed.isEmpty()) {
            return plain;
        }
        List<NodeShape> out = new ArrayList<>(plain);
        for (Group group : needed) {
            plain.forEach(s -> out.add(group.on(s)));
            describe.add("each shape also as a node of node group " + group.name() + " (" + group.describe() + "), named \"… ["
                    + group.tag() + "]\", for the pods that select it");
        }
        return out;
    }
}
