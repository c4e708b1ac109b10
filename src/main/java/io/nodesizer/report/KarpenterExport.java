package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.GpuVendors;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.replay.autoscale.Karpenter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code windows --export karpenter}: the NodePool the {@code karpenter} alternative replayed, as a {@code karpenter.sh/v1}
 * object: the shapes' instance types (on-demand, as the replay prices them; their architectures; the zones --zones names),
 * their labels and taints, the disruption settings ({@code consolidationPolicy}, {@code consolidateAfter}, one budget of
 * {@code nodes}), {@code expireAfter} and {@code terminationGracePeriod}, and limits for {@code --max-nodes} nodes. Nothing the
 * replay did not model is added (no scheduled budgets, no spot, no kubelet settings).
 */
public final class KarpenterExport {
    /** Template labels the requirements already state (or Karpenter sets itself), so not repeated as labels. */
    private static final Set<String> REQUIREMENT_KEYS = Set.of("node.kubernetes.io/instance-type", "kubernetes.io/arch",
            "kubernetes.io/os", "topology.kubernetes.io/zone", "topology.kubernetes.io/region", "karpenter.sh/capacity-type",
            "karpenter.sh/nodepool");

    private KarpenterExport() {
    }

    /** The NodePool's node class for a cloud: the provider's API group and kind (its documentation's nodeClassRef). */
    public record NodeClass(String group, String kind, String name) {
        /**
         * AWS: {@code karpenter.k8s.aws/EC2NodeClass}; Azure (AKS node auto-provisioning, the Karpenter provider for AKS):
         * {@code karpenter.azure.com/AKSNodeClass}; both named {@code default}, as their getting-started guides name theirs.
         * Null for any other cloud.
         */
        public static NodeClass of(String cloud) {
            return switch (cloud == null ? "" : cloud) {
                case "aws" -> new NodeClass("karpenter.k8s.aws", "EC2NodeClass", "default");
                case "azure" -> new NodeClass("karpenter.azure.com", "AKSNodeClass", "default");
                default -> null;
            };
        }
    }

    /**
     * Why {@code shape} cannot be written into a NodePool (a message ending in a full stop), or null: Karpenter selects instance
     * types by name, so the shape must be a catalog's (an inline shape names none), of AWS or Azure (GCE has no generally
     * available Karpenter provider: GKE's node auto-provisioning is configured on the cluster, not by NodePool objects).
     */
    public static String whyNot(NodeShape shape) {
        return switch (shape.provider()) {
            case "aws", "azure" -> null;
            case "gce" -> shape.name() + " is a GCE shape, and Karpenter has no generally available provider for GCE (no NodeClass a "
                    + "NodePool could name; GKE scales node pools with its cluster autoscaler and node auto-provisioning instead). "
                    + "The karpenter row replays the model alone there; --export cronjob sets a GKE node pool's limits.";
            case "custom" -> shape.name() + " comes from a catalog file row without a provider, and a NodePool names its cloud's "
                    + "node class (EC2NodeClass, AKSNodeClass). Give the row the provider column aws or azure (review 63 item 6).";
            default -> shape.name() + " is an inline shape, which names no instance type, and a NodePool selects its nodes by "
                    + "instance type (node.kubernetes.io/instance-type). Give the catalog shape it stands for, such as --node "
                    + "aws:m5.2xlarge or azure:Standard_D8s_v5.";
        };
    }

    /**
     * The NodePool named {@code name} for nodes of {@code shapes} (each {@link #whyNot} null, all of one cloud) as {@code
     * settings} replayed them.
     *
     * @param limitNodes the nodes the limits hold ({@code --max-nodes}); null for none (an unlimited NodePool)
     * @param zones      the zones the nodes may take (--zones names), or null
     * @param header     comment lines heading the document (each starting with "# " and ending in a newline)
     */
    public static String render(String name, List<NodeShape> shapes, Karpenter.Settings settings, Integer limitNodes,
                                List<String> zones, String header) {
        return header + ScheduleExport.yaml(List.of(nodePool(name, shapes, settings, limitNodes, zones)));
    }

    static ObjectNode nodePool(String name, List<NodeShape> shapes, Karpenter.Settings settings, Integer limitNodes, List<String> zones) {
        NodeClass nodeClass = NodeClass.of(shapes.get(0).provider());
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        root.put("apiVersion", "karpenter.sh/v1");
        root.put("kind", "NodePool");
        ObjectNode meta = root.putObject("metadata"); // cluster-scoped: no namespace
        meta.put("name", name);
        ScheduleExport.managedLabels(meta, name);

        ObjectNode spec = root.putObject("spec");
        ObjectNode template = spec.putObject("template");
        Map<String, String> nodeLabels = templateLabels(shapes);
        if (!nodeLabels.isEmpty()) {
            ObjectNode l = template.putObject("metadata").putObject("labels");
            nodeLabels.forEach(l::put);
        }
        ObjectNode t = template.putObject("spec");
        ArrayNode requirements = t.putArray("requirements");
        requirement(requirements, "node.kubernetes.io/instance-type", shapes.stream().map(NodeShape::instanceType).toList());
        requirement(requirements, "kubernetes.io/arch", shapes.stream().map(NodeShape::arch).toList());
        requirement(requirements, "karpenter.sh/capacity-type", List.of("on-demand")); // the replay prices on-demand nodes
        if (zones != null) {
            requirement(requirements, "topology.kubernetes.io/zone", zones);
        }
        ObjectNode ref = t.putObject("nodeClassRef");
        ref.put("group", nodeClass.group());
        ref.put("kind", nodeClass.kind());
        ref.put("name", nodeClass.name());
        List<Placement.Taint> taints = taints(shapes);
        if (!taints.isEmpty()) {
            ArrayNode list = t.putArray("taints");
            for (Placement.Taint taint : taints) {
                ObjectNode o = list.addObject();
                o.put("key", taint.key());
                if (!taint.value().isEmpty()) {
                    o.put("value", taint.value());
                }
                o.put("effect", taint.effect());
            }
        }
        t.put("expireAfter", settings.expireAfter() == Karpenter.Settings.NEVER ? "Never" : duration(settings.expireAfter()));
        if (settings.terminationGracePeriod() != Karpenter.Settings.NEVER) {
            // Unset, Karpenter waits for blocked evictions as long as it takes, as the replay does without the option.
            t.put("terminationGracePeriod", duration(settings.terminationGracePeriod()));
        }

        ObjectNode disruption = spec.putObject("disruption");
        disruption.put("consolidationPolicy", settings.consolidation().flagName());
        disruption.put("consolidateAfter", settings.consolidateAfter() == Karpenter.Settings.NEVER ? "Never"
                : duration(settings.consolidateAfter()));
        disruption.putArray("budgets").addObject().put("nodes", settings.budget().toString());

        if (limitNodes != null) {
            ObjectNode limits = spec.putObject("limits");
            long cpu = shapes.stream().mapToLong(s -> s.capacity().cpuMillis()).max().orElseThrow() * limitNodes;
            long memory = shapes.stream().mapToLong(s -> s.capacity().memoryBytes()).max().orElseThrow() * limitNodes;
            limits.put("cpu", cpu % 1000 == 0 ? Long.toString(cpu / 1000) : cpu + "m");
            limits.put("memory", memory(memory));
            for (String resource : GpuVendors.RESOURCES) {
                long gpus = shapes.stream().filter(s -> resource.equals(gpuResource(s))).mapToLong(s -> s.capacity().gpuMillis() / 1000)
                        .max().orElse(0) * limitNodes;
                if (gpus > 0) {
                    limits.put(resource, Long.toString(gpus));
                }
            }
        }
        return root;
    }

    /**
     * The extended resource a shape's device plugin advertises its GPUs as, or null: none for a shape without whole GPUs, or
     * whose vendor has no single resource (Intel's plugin has two).
     */
    static String gpuResource(NodeShape shape) {
        if (shape.capacity().gpuMillis() <= 0 || shape.capacity().gpuMillis() % 1000 != 0) {
            return null;
        }
        List<String> of = GpuVendors.RESOURCES.stream().filter(r -> shape.gpuVendor().equals(GpuVendors.ofResource(r))).toList();
        return of.size() == 1 ? of.get(0) : null;
    }

    private static void requirement(ArrayNode requirements, String key, List<String> values) {
        ObjectNode r = requirements.addObject();
        r.put("key", key);
        r.put("operator", "In");
        ArrayNode v = r.putArray("values");
        new LinkedHashSet<>(values).forEach(v::add);
    }

    /**
     * The shapes' own labels ({@code labels=} of --node), which every node of the NodePool carries; the keys the requirements
     * state are left to them. Shapes that give one key two values cannot share a NodePool (exit 2).
     */
    static Map<String, String> templateLabels(List<NodeShape> shapes) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (NodeShape s : shapes) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.labels()).entrySet()) {
                if (REQUIREMENT_KEYS.contains(e.getKey())) {
                    continue;
                }
                String before = out.putIfAbsent(e.getKey(), e.getValue());
                if (before != null && !before.equals(e.getValue())) {
                    throw new InputException(SourceLocation.ofFile("--node"), "The shapes label their nodes " + e.getKey() + "=" + before
                            + " and " + e.getKey() + "=" + e.getValue() + "; one NodePool gives all its nodes the same labels.");
                }
            }
        }
        return out;
    }

    private static List<Placement.Taint> taints(List<NodeShape> shapes) {
        Set<Placement.Taint> out = new LinkedHashSet<>();
        shapes.forEach(s -> out.addAll(s.taints()));
        return new ArrayList<>(out);
    }

    /**
     * Labels of the shapes that Karpenter may refuse in a NodePool's template: those in the karpenter.sh domain (reserved by
     * Karpenter in every release: exit 2), and, as a warning, those in the kubernetes.io and k8s.io domains other than the
     * node.kubernetes.io and node-restriction.kubernetes.io subdomains and kops.k8s.io, which Karpenter v1 releases reserve
     * (RestrictedLabelDomains, LabelDomainExceptions).
     */
    public static List<String> labelWarnings(List<NodeShape> shapes) {
        List<String> warnings = new ArrayList<>();
        for (String key : templateLabels(shapes).keySet()) {
            int slash = key.indexOf('/');
            String domain = slash < 0 ? "" : key.substring(0, slash);
            if (inDomain(domain, "karpenter.sh")) {
                throw new InputException(SourceLocation.ofFile("--node"), "The shape's label " + key + " is in the karpenter.sh domain, "
                        + "which Karpenter reserves: it refuses such a NodePool. Label the nodes under a domain of your own.");
            }
            if ((inDomain(domain, "kubernetes.io") || inDomain(domain, "k8s.io")) && !inDomain(domain, "node.kubernetes.io")
                    && !inDomain(domain, "node-restriction.kubernetes.io") && !inDomain(domain, "kops.k8s.io")) {
                warnings.add("the shape's label " + key + " is in a domain Karpenter v1 releases reserve (kubernetes.io, k8s.io: "
                        + "RestrictedLabelDomains); such a release refuses the NodePool. Check that yours takes it, or label the nodes "
                        + "under node.kubernetes.io or a domain of your own.");
            }
        }
        return warnings;
    }

    private static boolean inDomain(String domain, String of) {
        return domain.equals(of) || domain.endsWith("." + of);
    }

    /** A duration as Karpenter's fields take it ({@code ^([0-9]+(s|m|h))+$}): 0s, 30s, 5m, 1h30m, 720h. */
    static String duration(long seconds) {
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        if (seconds >= 3600) {
            b.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            b.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 > 0) {
            b.append(seconds % 60).append('s');
        }
        return b.toString();
    }

    /** Bytes as a Kubernetes quantity: Gi or Mi where whole, else bytes. */
    static String memory(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "Gi";
        }
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + "Mi" : Long.toString(bytes);
    }

    /**
     * The comment heading the NodePool: what it is (the replayed alternative's cost and pending p95), the node class to point
     * at one's own, where the limits come from, and what needs a recent Karpenter or is Karpenter's controller's rather
     * than the NodePool's.
     */
    public static String header(String name, List<NodeShape> shapes, Karpenter.Settings settings, Integer limitNodes, String replayed,
                                String outside) {
        NodeClass nodeClass = NodeClass.of(shapes.get(0).provider());
        StringBuilder b = new StringBuilder();
        b.append("# nodesizer windows: the karpenter alternative's NodePool as replayed (").append(replayed).append(").\n");
        b.append("# Before applying: nodeClassRef names the ").append(nodeClass.kind()).append(" \"").append(nodeClass.name())
                .append("\"; point it at yours.\n");
        String largest = shapes.stream().max(java.util.Comparator.comparingLong((NodeShape s) -> s.capacity().cpuMillis())
                .thenComparingLong(s -> s.capacity().memoryBytes())).orElseThrow().instanceType();
        if (limitNodes != null) {
            b.append("# limits: --max-nodes ").append(limitNodes).append(" nodes of ").append(largest).append(" by capacity, which ")
                    .append("Karpenter counts against them (allocatable is less);\n# cpu lets exactly that many launch, memory (nominal, "
                            + "above what the kubelet reports) never stops one sooner.\n");
        } else {
            b.append("# No limits: --max-nodes was not given (the replay's 5000 is Kubernetes' largest cluster, no cap of yours), so the\n"
                    + "# NodePool is unlimited, as Karpenter's default; give --max-nodes N for limits of N nodes of ").append(largest)
                    .append(".\n");
        }
        if (settings.consolidation() == Karpenter.Consolidation.BALANCED) {
            b.append("# consolidationPolicy Balanced needs Karpenter 1.14 or later.\n");
        }
        if (settings.batchIdle() != Karpenter.Settings.BATCH_IDLE || settings.batchMax() != Karpenter.Settings.BATCH_MAX) {
            b.append("# Replayed with BATCH_IDLE_DURATION=").append(duration(settings.batchIdle())).append(" and BATCH_MAX_DURATION=")
                    .append(duration(settings.batchMax())).append(": Karpenter's controller settings (its Helm chart's "
                            + "settings.batchIdleDuration, settings.batchMaxDuration), not the NodePool's.\n");
        }
        if (settings.preferencePolicy() != Karpenter.PreferencePolicy.RESPECT) {
            b.append("# Replayed with PREFERENCE_POLICY=").append(settings.preferencePolicy().flagName()).append(": Karpenter's controller "
                    + "setting (its Helm chart's settings.preferencePolicy), not the NodePool's.\n");
        }
        b.append(outside);
        b.append("# A new plan replaces this one: kubectl apply -f FILE (NodePool ").append(name).append(", cluster-scoped).\n");
        return b.toString();
    }

    /**
     * Header lines for the node settings the replay was given that a NodePool cannot state (QA 71a F7), each where Karpenter
     * takes it from instead; empty when none was given.
     *
     * @param maxPods    {@code --max-pods} as given (a count, or {@code prefix}), or null
     * @param vmOverhead {@code --os-memory} given with {@code --overhead karpenter} (its VM memory overhead), or null
     */
    public static String outsideTheNodePool(NodeShape shape, String maxPods, String vmOverhead) {
        StringBuilder b = new StringBuilder();
        if (maxPods != null) {
            boolean aws = shape.provider().equals("aws");
            boolean prefix = maxPods.strip().equalsIgnoreCase("prefix");
            // Karpenter's AWS provider gives a node the ENI-limited max pods unless the EC2NodeClass's kubelet.maxPods says
            // otherwise (aws/karpenter-provider-aws, EC2NodeClass spec.kubelet); prefix delegation is the VPC CNI's setting.
            b.append("# Replayed with --max-pods ").append(maxPods.strip()).append(" (").append(shape.allocatable().pods())
                    .append(" pods a ").append(shape.instanceType()).append("): the node class sets it, not the NodePool: ")
                    .append(aws ? "the EC2NodeClass's\n# spec.kubelet.maxPods" + (prefix ? ", with the VPC CNI's prefix delegation on "
                            + "(ENABLE_PREFIX_DELEGATION=true)" : "") + "; without it Karpenter gives EKS nodes the ENI limit.\n"
                            : "the AKSNodeClass's\n# kubelet settings; without them AKS's own default applies.\n");
        }
        if (vmOverhead != null) {
            b.append("# Replayed with Karpenter's VM memory overhead at ").append(vmOverhead.strip()).append(": its controller's "
                    + "VM_MEMORY_OVERHEAD_PERCENT\n# (Helm settings.vmMemoryOverheadPercent, a fraction, 0.075 by default), not the "
                    + "NodePool's.\n");
        }
        return b.toString();
    }

    /** A replay's cost and pending p95 in words: "$1,234.56, pending p95 45s, meets the 2m SLO". */
    public static String replayed(io.nodesizer.replay.windows.WindowPlanner.Alternative a, long sloSeconds) {
        return (a.result().costTotal() == null ? "cost n/a" : "$" + Fmt.money(a.result().costTotal())) + ", pending p95 "
                + io.nodesizer.replay.Durations.format(a.result().pendingP95Seconds()) + ", "
                + (a.meetsSlo() ? "meets" : "misses") + " the " + io.nodesizer.replay.Durations.format(sloSeconds) + " SLO";
    }
}
