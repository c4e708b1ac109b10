package io.nodesizer.analyze;

import io.nodesizer.kube.NodeLabels;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.GpuModels;
import io.nodesizer.model.GpuVendors;
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
    /** NVIDIA GPU feature discovery's label of a node's GPU board, which names its model. */
    private static final String GPU_PRODUCT = io.nodesizer.input.manifest.GpuProductSelectors.KEY;
    /** The label of a Windows node, whose price the bundled catalogs (on-demand Linux) leave out the licence of. */
    private static final String WINDOWS = "kubernetes.io/os=windows";

    public NodeGroups {
        groups = List.copyOf(groups);
    }

    /**
     * One node group: the labels that matter for placement (the group label itself, and those some pod's node selector
     * or required node affinity names) and the taints every one of its nodes carries, autoscaler and lifecycle taints aside.
     */
    public record Group(String name, Map<String, String> labels, List<Placement.Taint> taints, int nodes, int gpuNodes, List<Gpu> gpus) {
        public Group {
            labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
            taints = List.copyOf(taints);
            gpus = List.copyOf(gpus);
        }

        /** A group of no GPU nodes. */
        public Group(String name, Map<String, String> labels, List<Placement.Taint> taints, int nodes) {
            this(name, labels, taints, nodes, 0, List.of());
        }

        /**
         * Whether a node of the group offers the GPUs {@code g} requests: its vendor's device-plugin resource, and its model
         * when the pod pins one (GPU feature discovery's product label). A pod requesting none is served by any group.
         */
        public boolean servesGpus(PodGroup g) {
            return g.request().gpuMillis() == 0
                    || gpus.stream().anyMatch(x -> GpuVendors.allows(g.gpuVendor(), x.vendor()) && GpuModels.allows(g.gpuModels(), x.model()));
        }

        /**
         * {@code plain} as nodes of this group ({@link #on}). A group whose every node has GPUs (a GPU node group) gets only
         * the shapes whose GPUs are of a vendor it has: its nodes are GPU machines, and a CPU-only variant would double the
         * candidates for nothing; all of {@code plain} when no shape has them (its pods are then left out with their reason).
         */
        public List<NodeShape> variants(List<NodeShape> plain) {
            List<NodeShape> from = plain;
            if (gpuNodes > 0 && gpuNodes == nodes) {
                List<NodeShape> gpu = plain.stream().filter(s -> s.allocatable().gpuMillis() > 0
                        && gpus.stream().anyMatch(x -> GpuVendors.allows(x.vendor(), s.gpuVendor()))).toList();
                from = gpu.isEmpty() ? plain : gpu;
            }
            return from.stream().map(this::on).toList();
        }

        /**
         * Whether its nodes run Windows: its candidates are the catalog's shapes at their on-demand Linux prices, without the
         * Windows licence, which {@code analyze} and {@code consolidate} leave such nodes unpriced for.
         */
        public boolean windows() {
            return "windows".equals(labels.get("kubernetes.io/os"));
        }

        /**
         * The caveat a Windows group's sizing carries (QA 78c F3: rightsize and recommend priced a Windows group's nodes at
         * Linux prices without a word, where analyze and consolidate call them unpriced); "" for another group.
         */
        public String priceCaveat() {
            return !windows() ? "" : "node group " + name + " runs Windows (" + WINDOWS + "): its candidates are priced at the catalog's "
                    + "on-demand Linux prices, without the Windows licence (which analyze and consolidate leave its nodes unpriced for), "
                    + "so their cost, and a saving on them, reads low";
        }

        /** Its nodes' GPUs for a report: "nvidia T4", "nvidia T4, nvidia A10G"; "" for none. */
        public String describeGpus() {
            return String.join(", ", gpus.stream().map(x -> (x.vendor().isEmpty() ? "GPU" : x.vendor()) + (x.model().isEmpty() ? "" : " " + x.model()))
                    .distinct().toList());
        }

        /**
         * How its candidates are told apart from the catalog's: the labels pods select ("workload=memory"), the group
         * label left out when others say it; the group's name when it has no other, or only the os and arch every node
         * has (a GPU group its taint and GPUs single out: "node group gpu, kubernetes.io/arch=amd64").
         */
        public String tag() {
            List<String> own = new ArrayList<>();
            labels.forEach((k, v) -> {
                if (!NodeMatching.POOL_LABELS.contains(k)) {
                    own.add(k + "=" + v);
                }
            });
            if (own.stream().allMatch(l -> l.startsWith("kubernetes.io/arch=") || l.startsWith("kubernetes.io/os="))) {
                own.add(0, "node group " + name);
            }
            return String.join(", ", own);
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
     * The GPUs of a group's nodes: whose device plugin serves them ({@link GpuVendors}, "" none named) and their model from
     * GPU feature discovery's product label ({@link GpuModels#fromProductLabel}; "" when the node has no such label).
     */
    public record Gpu(String vendor, String model) {
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
                boolean windows = WINDOWS.equals(k + "=" + v); // kept whatever the pods select: it decides the group's price (windows())
                if ((named.contains(k) || windows) && !NodeLabels.fromInstanceType(k) && nodes.stream().allMatch(n -> v.equals(n.labels().get(k)))) {
                    labels.put(k, v);
                }
            });
            List<Placement.Taint> taints = nodes.get(0).taints().stream()
                    .filter(t -> !passing(t) && nodes.stream().allMatch(n -> n.taints().contains(t))).toList();
            List<ClusterSnapshot.Node> withGpus = nodes.stream().filter(n -> n.allocatable().gpuMillis() > 0).toList();
            List<Gpu> gpus = withGpus.stream().map(n -> new Gpu(n.gpuVendor(), GpuModels.fromProductLabel(n.labels().get(GPU_PRODUCT))))
                    .distinct().toList();
            out.add(new Group(pool, labels, taints, nodes.size(), withGpus.size(), gpus));
        });
        return new NodeGroups(out);
    }

    /**
     * Per pod group of {@code w} that belongs to a node group, the group: a pod requesting GPUs, to the first group by name
     * whose nodes offer them ({@link Group#servesGpus}) and admit it (its node selector, required node affinity and
     * tolerations), as kube-scheduler can place it nowhere else whatever its selector says; any other pod, when no
     * {@code plain} candidate admits it, to the first group whose nodes do. Pods a plain candidate admits, those no group
     * admits, and GPU pods no group offers GPUs to are not in the map (the first run anywhere; the second stay out, with
     * their reason; the third are sized apart, {@link #gpusApart}). In the order of {@code w}'s groups.
     */
    public Map<String, Group> needs(Workload w, List<NodeShape> plain) {
        List<Map<String, String>> plainLabels = plain.stream().map(NodeLabels::of).toList();
        // Each group's nodes of the plain shapes, with their labels: built once, at the first pod group that asks.
        Map<Group, List<Map.Entry<NodeShape, Map<String, String>>>> nodesOf = new java.util.IdentityHashMap<>();
        Map<String, Group> out = new LinkedHashMap<>();
        for (PodGroup g : w.groups()) {
            boolean gpus = g.request().gpuMillis() > 0;
            boolean anywhere = false;
            for (int i = 0; i < plain.size() && !anywhere && !gpus; i++) {
                anywhere = NodeMatching.onShape(g.placement(), plain.get(i), plainLabels.get(i)) == null;
            }
            if (anywhere) {
                continue;
            }
            for (Group group : groups) {
                if (!group.servesGpus(g)) {
                    continue;
                }
                List<Map.Entry<NodeShape, Map<String, String>>> nodes = nodesOf.computeIfAbsent(group,
                        k -> k.variants(plain).stream().map(s -> Map.entry(s, NodeLabels.of(s))).toList());
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
     * The pod groups of {@code w} requesting GPUs that no node group offers them to ({@link #needs} has them not): sized
     * apart from the pods that run anywhere, since the one best shape of a part that holds a GPU pod must have GPUs, and
     * every CPU pod beside it would be sized on GPU machines (QA 66a M1: 12 CPU pods on 2 × g4dn.4xlarge, before and after).
     */
    public static java.util.Set<String> gpusApart(Workload w, Map<String, Group> needs) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (PodGroup g : w.groups()) {
            if (g.request().gpuMillis() > 0 && !needs.containsKey(g.name())) {
                out.add(g.name());
            }
        }
        return out;
    }

    /**
     * The candidates for {@code w} on a cluster of these groups: {@code plain}, then each plain shape as a node of every
     * group some pod needs ({@link #needs}; of a GPU node group, its GPU shapes: {@link Group#variants}), so that a mix of
     * pools can hold each group's pods; {@code plain} itself when no pod needs a group. {@code describe} gets a line per group added.
     */
    public List<NodeShape> withVariants(Workload w, List<NodeShape> plain, List<String> describe) {
        List<Group> needed = needs(w, plain).values().stream().distinct().toList();
        if (needed.isEmpty()) {
            return plain;
        }
        List<NodeShape> out = new ArrayList<>(plain);
        for (Group group : needed) {
            List<NodeShape> variants = group.variants(plain);
            out.addAll(variants);
            boolean gpu = group.gpuNodes() > 0;
            // A group of nodes with no labels or taints of their own (a snapshot without node-group labels) is described by its GPUs alone.
            String what = java.util.stream.Stream.of(group.describe(), gpu ? "GPUs " + group.describeGpus() : "")
                    .filter(x -> !x.isEmpty()).collect(java.util.stream.Collectors.joining(", "));
            describe.add("each " + (variants.size() < plain.size() ? "GPU " : "") + "shape also as a node of node group " + group.name()
                    + (what.isEmpty() ? "" : " (" + what + ")") + ", named \"… [" + group.tag()
                    + "]\", for the pods that " + (gpu ? "request its GPUs or select it" : "select it")
                    + (group.windows() ? " (" + group.priceCaveat() + ")" : ""));
        }
        return out;
    }
}
