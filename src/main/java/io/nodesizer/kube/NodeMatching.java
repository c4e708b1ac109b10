package io.nodesizer.kube;

import io.nodesizer.model.Placement;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a pod may run on a node, by its labels and taints, as kube-scheduler's filter plugins
 * decide it (pkg/scheduler/framework/plugins/nodeaffinity and tainttoleration, with
 * k8s.io/component-helpers/scheduling/corev1 for the selector and toleration semantics):
 * <ul>
 * <li>{@code nodeSelector}: every pair is a label of the node;</li>
 * <li>required node affinity: at least one term matches; a term matches when all its
 * expressions and fields do, and a term with neither matches nothing. {@code In}: the label
 * exists with one of the values; {@code NotIn}: it does not exist or has none of them;
 * {@code Exists} / {@code DoesNotExist}; {@code Gt} / {@code Lt}: the label and the single value
 * both parse as integers and compare so. Fields: {@code metadata.name} against the node name;</li>
 * <li>taints: every NoSchedule and NoExecute taint is tolerated (PreferNoSchedule only scores). A
 * toleration matches a taint when its effect is empty or equal, its key is empty or equal, and
 * with operator Exists, or Equal (the default) and equal values. A NoExecute taint tolerated only for
 * {@code tolerationSeconds} is not: kube-scheduler's filter lets the pod on, but the taint manager evicts
 * it once they pass (kube-controller-manager's taint eviction, {@code getMinTolerationTime}), so the node
 * is no place to plan it on or move it to (QA 61a F6: consolidate moved a pod onto a node it tolerated
 * for 60 s, and the default 300 s tolerations of not-ready and unreachable made such nodes room).</li>
 * </ul>
 * For a node shape, some labels differ from node to node of one pool (zone, region), and some name
 * the pool itself ({@link #POOL_LABELS}): requirements on these {@code assumed} keys are taken as
 * satisfiable (the pool can have a node there, or is that pool).
 */
public final class NodeMatching {
    /** Labels a shape does not determine: each node of a pool may carry another value. */
    public static final Set<String> PER_NODE = Set.of("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone",
            "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region");

    /**
     * Labels that name the node group or capacity type a node belongs to (EKS, eksctl, Karpenter,
     * GKE, AKS). A recommended pool takes that role, so a pod selecting its node group is taken as
     * satisfiable on any shape, unless the shape declares the label itself ({@code labels=}).
     */
    public static final Set<String> POOL_LABELS = Set.of("eks.amazonaws.com/nodegroup", "eks.amazonaws.com/capacityType",
            "alpha.eksctl.io/nodegroup-name", "karpenter.sh/nodepool", "karpenter.sh/provisioner-name", "karpenter.sh/capacity-type",
            "cloud.google.com/gke-nodepool", "cloud.google.com/gke-spot", "cloud.google.com/gke-preemptible",
            "kubernetes.azure.com/agentpool", "kubernetes.azure.com/scalesetpriority", "node.kubernetes.io/lifecycle");

    /**
     * The labels the clouds give GPU node pools for their accelerator (GKE's {@code cloud.google.com/gke-accelerator}, AKS's
     * {@code kubernetes.azure.com/accelerator}, the {@code k8s.amazonaws.com/accelerator} EKS GPU node groups carry for the
     * Cluster Autoscaler): taken as met on a shape with GPUs, as the pool labels are, since the pool is given its own.
     */
    public static final Set<String> ACCELERATOR_LABELS = Set.of("cloud.google.com/gke-accelerator", "kubernetes.azure.com/accelerator",
            "k8s.amazonaws.com/accelerator");

    /** A label key: an optional DNS-subdomain prefix and "/", then a name of up to 63 characters. */
    public static final java.util.regex.Pattern LABEL_KEY = java.util.regex.Pattern.compile(
            "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    /** A label value: empty, or up to 63 characters starting and ending alphanumeric. */
    public static final java.util.regex.Pattern LABEL_VALUE = java.util.regex.Pattern.compile(
            "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private NodeMatching() {
    }

    /**
     * Why a pod with {@code placement} cannot run on the node, or null when it can.
     *
     * @param nodeName the node's name for {@code matchFields}; null for a node not created yet (matches no name)
     * @param assumed  label keys whose requirements are taken as satisfied
     */
    public static String whyNot(Placement placement, Map<String, String> labels, List<Placement.Taint> taints, String nodeName,
                                Set<String> assumed) {
        // The taint first: kube-scheduler's filters run in the profile's order, TaintToleration before NodeAffinity
        // (pkg/scheduler/apis/config/v1/default_plugins.go), and the first that fails is the node's reason in its "0/N nodes
        // are available" (QA 69b F5: a pod whose selector and toleration both missed the tainted nodes was told of its selector,
        // and fixing that alone leaves it Pending on the taint).
        Placement.Taint t = untolerated(placement.tolerations(), taints);
        if (t != null) {
            Long seconds = temporarily(placement.tolerations(), t);
            return "the node has the taint " + t + ", which the pod " + (seconds == null ? "does not tolerate"
                    : "tolerates only for " + Math.max(0, seconds) + " s, its tolerationSeconds, after which the taint manager evicts it");
        }
        for (Map.Entry<String, String> e : placement.nodeSelector().entrySet()) {
            if (assumed.contains(e.getKey())) {
                continue;
            }
            String v = labels.get(e.getKey());
            if (!e.getValue().equals(v)) {
                return "its nodeSelector needs " + e.getKey() + "=" + e.getValue() + (v == null ? absent(e.getKey(), labels)
                        : "; the node has " + e.getKey() + "=" + v);
            }
        }
        if (placement.requiredTerms() != null && !matchesTerms(placement.requiredTerms(), labels, nodeName, assumed)) {
            return "its required node affinity is not met by the node's " + matchedOn(placement.requiredTerms()) + " ("
                    + describe(placement.requiredTerms()) + has(placement.requiredTerms(), labels, nodeName) + ")";
        }
        return null;
    }

    /**
     * Why a node lacks {@code key}: "no such label", but Karpenter's GPU memory on a GPU type it labels (its GPU count is
     * there) is a value the catalog lacks, not one Karpenter leaves out (it sets all four GPU labels on a GPU type,
     * karpenter-provider-aws instancetype/types.go): said so, not called absent (QA 69a F2).
     */
    private static String absent(String key, Map<String, String> labels) {
        if (key.equals("karpenter.k8s.aws/instance-gpu-memory") && labels.containsKey("karpenter.k8s.aws/instance-gpu-count")) {
            return "; Karpenter sets it on this GPU type from EC2's GPU memory, which the bundled catalog lacks, so it is not known "
                    + "here (karpenter.k8s.aws/instance-gpu-name selects the GPU model)";
        }
        return "; the node has no such label";
    }

    /** The zone label keys (the region is not one: one cluster runs in one region). */
    public static final Set<String> ZONE_KEYS = Set.of("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone");

    /** The region label keys. */
    public static final Set<String> REGION_KEYS = Set.of("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region");

    /** AWS: region, then a letter (us-east-1a, us-gov-west-1a) or a local or Wavelength zone's suffix (us-west-2-lax-1a). */
    private static final java.util.regex.Pattern AWS_ZONE = java.util.regex.Pattern.compile(
            "((?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov|-iso[a-z]?)?-[a-z]+-\\d+)(?:[a-z]|-[a-z0-9-]*[a-z0-9])");
    /** GCE: region (a continent, a dash, a word ending in digits), a dash and a letter (us-central1-a). */
    private static final java.util.regex.Pattern GCE_ZONE = java.util.regex.Pattern.compile(
            "((?:us|europe|asia|australia|northamerica|southamerica|me|africa)-[a-z]+\\d+)-[a-z]");
    /** AKS: region, a dash and the zone's number (eastus-1, westeurope-3). */
    private static final java.util.regex.Pattern AKS_ZONE = java.util.regex.Pattern.compile("([a-z]+\\d?)-([1-3])");
    /**
     * Azure regions with availability zones (learn.microsoft.com, "Azure regions with availability
     * zone support"): an AKS zone name is read only with one of these, so that names of one's own
     * such as {@code zone-1} give no region.
     */
    private static final Set<String> AZURE_REGIONS = Set.of("eastus", "eastus2", "westus2", "westus3", "centralus", "southcentralus",
            "northcentralus", "westcentralus", "canadacentral", "brazilsouth", "mexicocentral", "northeurope", "westeurope", "uksouth",
            "francecentral", "germanywestcentral", "italynorth", "norwayeast", "polandcentral", "spaincentral", "swedencentral",
            "switzerlandnorth", "austriaeast", "belgiumcentral", "denmarkeast", "australiaeast", "centralindia", "eastasia", "japaneast",
            "japanwest", "koreacentral", "southeastasia", "newzealandnorth", "indonesiacentral", "malaysiawest", "israelcentral",
            "qatarcentral", "uaenorth", "southafricanorth", "chilecentral", "usgovvirginia", "chinanorth3");

    /**
     * The region of the zone named {@code zone}, by the providers' zone names (the value of the
     * nodes' {@code topology.kubernetes.io/zone}): AWS {@code us-east-1a} and local zones such as
     * {@code us-west-2-lax-1a} are in {@code us-east-1} / {@code us-west-2}, GCE {@code
     * us-central1-a} in {@code us-central1}, AKS {@code eastus-1} in {@code eastus} (a known Azure
     * region). Null for a name in none of these forms, such as {@code zone-1} or {@code my-zone-1a}
     * (the region is then taken as met, as without zone names).
     */
    public static String regionOf(String zone) {
        for (java.util.regex.Pattern p : List.of(AWS_ZONE, GCE_ZONE, AKS_ZONE)) {
            java.util.regex.Matcher m = p.matcher(zone);
            if (m.matches() && (p != AKS_ZONE || AZURE_REGIONS.contains(m.group(1)))) {
                return m.group(1);
            }
        }
        return null;
    }

    /**
     * Whether the pod's node selector or a required node affinity term has a requirement on the
     * zone label, or its requirements on the region label refuse some zone's region ({@link
     * #regionOf}): it may then go only to the zones it admits. A region requirement every zone
     * meets (most: one cluster, one region) ties the pod to no zone, and is met on every node.
     */
    public static boolean namesZone(Placement placement, List<String> zoneNames) {
        for (String key : placement.nodeSelector().keySet()) {
            if (ZONE_KEYS.contains(key)) {
                return true;
            }
        }
        if (placement.requiredTerms() != null) {
            for (Placement.Term t : placement.requiredTerms()) {
                for (Placement.Requirement r : t.matchExpressions()) {
                    if (ZONE_KEYS.contains(r.key())) {
                        return true;
                    }
                }
            }
        }
        return zoneNames != null && zoneNames.stream().anyMatch(z -> regionRefuses(placement, regionOf(z)));
    }

    /**
     * Whether the placement's requirements on the region labels alone rule out a node in {@code
     * region} (null: unknown, never): a node selector on another region, or every required term
     * with a region requirement the region fails.
     */
    private static boolean regionRefuses(Placement placement, String region) {
        if (region == null) {
            return false;
        }
        for (Map.Entry<String, String> e : placement.nodeSelector().entrySet()) {
            if (REGION_KEYS.contains(e.getKey()) && !e.getValue().equals(region)) {
                return true;
            }
        }
        if (placement.requiredTerms() == null || placement.requiredTerms().isEmpty()) {
            return false;
        }
        for (Placement.Term t : placement.requiredTerms()) {
            boolean fails = false;
            for (Placement.Requirement r : t.matchExpressions()) {
                if (REGION_KEYS.contains(r.key()) && !matches(r, Map.of(r.key(), region))) {
                    fails = true;
                }
            }
            if (!fails) {
                return false; // this term's region requirements (if any) admit it: the other keys decide, per shape
            }
        }
        return true;
    }

    /**
     * Why a pod with {@code placement} cannot run on a node of {@code shape} in the zone named
     * {@code zone} (both zone labels carry it, and both region labels its region when the name
     * gives it, {@link #regionOf}; otherwise the region is taken as met), or null.
     */
    public static String inZone(Placement placement, io.nodesizer.model.NodeShape shape, Map<String, String> labels, String zone) {
        Set<String> assumed = new java.util.HashSet<>(assumedOn(shape)); // zoneLabels takes the zone keys out of it
        return whyNot(placement, zoneLabels(labels, zone, assumed), shape.taints(), null, assumed);
    }

    /** The labels of a node in the zone named {@code zone}, its zone (and region) keys then no longer in {@code assumed}. */
    public static Map<String, String> zoneLabels(Map<String, String> labels, String zone, Set<String> assumed) {
        Map<String, String> withZone = new java.util.HashMap<>(labels);
        for (String key : ZONE_KEYS) {
            withZone.put(key, zone);
        }
        assumed.removeAll(ZONE_KEYS);
        String region = regionOf(zone);
        if (region != null) {
            for (String key : REGION_KEYS) {
                withZone.put(key, region);
            }
            assumed.removeAll(REGION_KEYS);
        }
        return withZone;
    }

    /**
     * Whether a node counts as a domain of the pod's topology spread {@code s} (null: the default
     * policies), by its node inclusion policies as kube-scheduler's PodTopologySpread has them
     * (kubernetes {@code pkg/scheduler/framework/plugins/podtopologyspread/common.go}):
     * {@code nodeAffinityPolicy: Honor} (the default) leaves out a node the pod's node selector or
     * required node affinity refuses, {@code nodeTaintsPolicy: Honor} (default Ignore) a node with a
     * taint the pod does not tolerate.
     *
     * @param nodeName the node's name for {@code matchFields}; null for a node not created yet
     */
    public static boolean inSpreadDomain(Placement.Spread s, Placement placement, Map<String, String> labels, List<Placement.Taint> taints,
                                         String nodeName) {
        return inSpreadDomain(s, placement, labels, taints, nodeName, Set.of());
    }

    /** As {@link #inSpreadDomain(Placement.Spread, Placement, Map, List, String)}, for a node of {@code shape} with these labels. */
    public static boolean inSpreadDomain(Placement.Spread s, Placement placement, io.nodesizer.model.NodeShape shape, Map<String, String> labels) {
        return inSpreadDomain(s, placement, labels, shape.taints(), null, assumedOn(shape));
    }

    /**
     * As {@link #inSpreadDomain(Placement.Spread, Placement, io.nodesizer.model.NodeShape, Map)}, for a
     * node in the zone named {@code zone}: a node selector or required node affinity on the zone
     * then decides (nodeAffinityPolicy Honor), where it is otherwise taken as met.
     */
    public static boolean inSpreadDomainInZone(Placement.Spread s, Placement placement, io.nodesizer.model.NodeShape shape,
                                               Map<String, String> labels, String zone) {
        Set<String> assumed = new java.util.HashSet<>(assumedOn(shape)); // zoneLabels takes the zone keys out of it
        return inSpreadDomain(s, placement, zoneLabels(labels, zone, assumed), shape.taints(), null, assumed);
    }

    private static boolean inSpreadDomain(Placement.Spread s, Placement placement, Map<String, String> labels, List<Placement.Taint> taints,
                                          String nodeName, Set<String> assumed) {
        boolean honorAffinity = s == null || s.honorsNodeAffinity();
        boolean honorTaints = s != null && s.honorsNodeTaints();
        if (honorAffinity && !placement.isAny() && whyNot(placement, labels, List.of(), nodeName, assumed) != null) {
            return false; // no taints given: only the selector and the affinity decide here
        }
        return !honorTaints || untolerated(placement.tolerations(), taints) == null;
    }

    /** {@link #assumedOn} of a shape that declares none of the pool labels: the per-node keys and the pool labels. */
    private static final Set<String> ASSUMED = union(PER_NODE, POOL_LABELS);
    /** {@link #assumedOn} of a GPU shape that declares none of the pool or accelerator labels. */
    private static final Set<String> ASSUMED_GPU = union(ASSUMED, ACCELERATOR_LABELS);

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /**
     * The label keys a node of {@code shape} is taken to satisfy: the per-node ones, and the pool labels it does not declare
     * (unmodifiable). Asked per pod group and shape (a whole-catalog recommend of 150,000 pods asks it 130 million times):
     * a shape that declares none of those labels, as the catalogs' do, gets a constant set, not a new one.
     */
    private static Set<String> assumedOn(io.nodesizer.model.NodeShape shape) {
        Set<String> all = shape.capacity().gpuMillis() > 0 ? ASSUMED_GPU : ASSUMED;
        boolean declares = false;
        for (String key : shape.labels().keySet()) {
            if (all.contains(key) && !PER_NODE.contains(key)) {
                declares = true;
                break;
            }
        }
        if (!declares) {
            return all;
        }
        Set<String> assumed = new java.util.HashSet<>(all);
        assumed.removeIf(key -> !PER_NODE.contains(key) && shape.labels().containsKey(key));
        return Set.copyOf(assumed);
    }

    /**
     * Why a pod with {@code placement} cannot run on a node of {@code shape} whose labels are
     * {@code labels} ({@link NodeLabels#of}), or null; zone and region requirements are taken as met.
     */
    public static String onShape(Placement placement, io.nodesizer.model.NodeShape shape, Map<String, String> labels) {
        if (placement.isAny() && shape.taints().isEmpty()) {
            return null;
        }
        String why = whyNot(placement, labels, shape.taints(), null, assumedOn(shape));
        return why == null ? null : "cannot run on " + shape.name() + ": " + why;
    }

    /**
     * {@link #whyNot} for a node that exists (its own name and labels; nothing assumed), with the
     * quick answer for a pod without node constraints on an untainted node.
     */
    public static String onNode(Placement placement, Map<String, String> labels, List<Placement.Taint> taints, String nodeName) {
        if (placement.isAny() && taints.isEmpty()) {
            return null;
        }
        return whyNot(placement, labels, taints, nodeName, Set.of());
    }

    public static boolean matchesTerms(List<Placement.Term> terms, Map<String, String> labels, String nodeName, Set<String> assumed) {
        for (Placement.Term term : terms) {
            if (matches(term, labels, nodeName, assumed)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a node of {@code shape} with {@code labels} ({@link NodeLabels#of}) meets the required node-affinity {@code term}. */
    public static boolean termOnShape(Placement.Term term, io.nodesizer.model.NodeShape shape, Map<String, String> labels) {
        return matches(term, labels, null, assumedOn(shape));
    }

    /**
     * As {@link #termOnShape}, for a node of {@code shape} in the zone named {@code zone}: the term's requirements on the zone
     * (and region) labels are asked of that zone, not taken as met ({@link #zoneLabels}).
     */
    public static boolean termInZone(Placement.Term term, io.nodesizer.model.NodeShape shape, Map<String, String> labels, String zone) {
        Set<String> assumed = new java.util.HashSet<>(assumedOn(shape));
        return matches(term, zoneLabels(labels, zone, assumed), null, assumed);
    }

    static boolean matches(Placement.Term term, Map<String, String> labels, String nodeName, Set<String> assumed) {
        if (term.matchExpressions().isEmpty() && term.matchFields().isEmpty()) {
            return false;
        }
        // As component-helpers' LazyErrorNodeSelector: a term with a requirement that does not
        // parse (a bad key or value, values where the operator takes none) matches nothing.
        for (Placement.Requirement r : term.matchExpressions()) {
            if (!valid(r)) {
                return false;
            }
        }
        for (Placement.Requirement r : term.matchFields()) {
            if (!r.key().equals("metadata.name") || r.values().size() != 1
                    || r.operator() != Placement.Operator.IN && r.operator() != Placement.Operator.NOT_IN) {
                return false;
            }
        }
        for (Placement.Requirement r : term.matchExpressions()) {
            if (!assumed.contains(r.key()) && !matches(r, labels)) {
                return false;
            }
        }
        for (Placement.Requirement r : term.matchFields()) {
            if (!r.key().equals("metadata.name")) {
                return false; // the only field the API allows
            }
            if (!matches(r, nodeName == null ? Map.of() : Map.of("metadata.name", nodeName))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a label requirement is one labels.NewRequirement accepts. */
    static boolean valid(Placement.Requirement r) {
        if (!LABEL_KEY.matcher(r.key()).matches()) {
            return false;
        }
        for (String v : r.values()) {
            if (!LABEL_VALUE.matcher(v).matches()) {
                return false;
            }
        }
        return switch (r.operator()) {
            case IN, NOT_IN -> !r.values().isEmpty();
            case EXISTS, DOES_NOT_EXIST -> r.values().isEmpty();
            case GT, LT -> r.values().size() == 1 && parse(r.values().get(0)) != null;
        };
    }

    /** One requirement against a label set (k8s.io/apimachinery labels.Requirement.Matches). */
    public static boolean matches(Placement.Requirement r, Map<String, String> labels) {
        String v = labels.get(r.key());
        return switch (r.operator()) {
            case IN -> v != null && r.values().contains(v);
            case NOT_IN -> v == null || !r.values().contains(v);
            case EXISTS -> v != null;
            case DOES_NOT_EXIST -> v == null;
            case GT, LT -> {
                if (v == null || r.values().size() != 1) {
                    yield false;
                }
                Long have = parse(v);
                Long want = parse(r.values().get(0));
                yield have != null && want != null && (r.operator() == Placement.Operator.GT ? have > want : have < want);
            }
        };
    }

    private static Long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The first NoSchedule or NoExecute taint no toleration matches, or null. */
    public static Placement.Taint untolerated(List<Placement.Toleration> tolerations, List<Placement.Taint> taints) {
        for (Placement.Taint taint : taints) {
            if ((taint.effect().equals("NoSchedule") || taint.effect().equals("NoExecute")) && !tolerated(tolerations, taint)) {
                return taint;
            }
        }
        return null;
    }

    /**
     * Whether some toleration tolerates the taint ({@code TolerationsTolerateTaint}) for good: a NoExecute taint is tolerated
     * as the taint manager reads it, by the first toleration in the pod's order that matches it ({@code getMatchingTolerations}),
     * and only while that one has no tolerationSeconds (see the class comment).
     */
    public static boolean tolerated(List<Placement.Toleration> tolerations, Placement.Taint taint) {
        Placement.Toleration t = firstMatching(tolerations, taint);
        return t != null && (t.seconds() == null || !taint.effect().equals("NoExecute"));
    }

    /** The tolerationSeconds of the toleration the taint manager takes for a NoExecute taint (the first that matches); null when none or for ever. */
    static Long temporarily(List<Placement.Toleration> tolerations, Placement.Taint taint) {
        Placement.Toleration t = firstMatching(tolerations, taint);
        return t == null || !taint.effect().equals("NoExecute") ? null : t.seconds();
    }

    /** The first toleration in the pod's order that matches the taint ({@code getMatchingTolerations}), or null. */
    private static Placement.Toleration firstMatching(List<Placement.Toleration> tolerations, Placement.Taint taint) {
        for (Placement.Toleration t : tolerations) {
            if (tolerates(t, taint)) {
                return t;
            }
        }
        return null;
    }

    /** k8s.io/api core/v1 Toleration.ToleratesTaint. */
    public static boolean tolerates(Placement.Toleration t, Placement.Taint taint) {
        if (!t.effect().isEmpty() && !t.effect().equals(taint.effect())) {
            return false;
        }
        if (!t.key().isEmpty() && !t.key().equals(taint.key())) {
            return false;
        }
        return switch (t.operator()) {
            case "Equal" -> t.value().equals(taint.value());
            case "Exists" -> true;
            default -> false;
        };
    }

    /**
     * What the terms test of a node: its labels (matchExpressions), its fields (matchFields: metadata.name) or both (QA 61a F10:
     * "matches no label of the node (metadata.name In [n1])" for a matchFields term).
     */
    private static String matchedOn(List<Placement.Term> terms) {
        boolean labels = terms.stream().anyMatch(t -> !t.matchExpressions().isEmpty());
        boolean fields = terms.stream().anyMatch(t -> !t.matchFields().isEmpty());
        return labels && fields ? "labels and fields" : fields ? "fields" : "labels";
    }

    /**
     * What the node has of the keys the terms name, as {@code "; the node has gen=18, no disk label"}, and its name for a
     * matchFields term (QA 68b F7: "matches no label" read as if the labels were missing where one expression failed).
     */
    private static String has(List<Placement.Term> terms, Map<String, String> labels, String nodeName) {
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        boolean fields = false;
        for (Placement.Term t : terms) {
            t.matchExpressions().forEach(r -> keys.add(r.key()));
            fields |= !t.matchFields().isEmpty();
        }
        List<String> parts = new java.util.ArrayList<>();
        for (String k : keys) {
            parts.add(labels.containsKey(k) ? k + "=" + labels.get(k) : "no " + k + " label");
        }
        if (fields && nodeName != null) {
            parts.add("metadata.name=" + nodeName);
        }
        return parts.isEmpty() ? "" : "; the node has " + String.join(", ", parts);
    }

    static String describe(List<Placement.Term> terms) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < terms.size(); i++) {
            if (i > 0) {
                sb.append(" or ");
            }
            List<String> parts = new java.util.ArrayList<>();
            for (Placement.Requirement r : terms.get(i).matchExpressions()) {
                parts.add(r.key() + " " + r.operator().api() + (r.values().isEmpty() ? "" : " " + r.values()));
            }
            for (Placement.Requirement r : terms.get(i).matchFields()) {
                parts.add(r.key() + " " + r.operator().api() + " " + r.values());
            }
            sb.append(parts.isEmpty() ? "an empty term" : String.join(" and ", parts));
        }
        return sb.toString();
    }

    /** The label keys the placement's node selector and required node affinity terms name. */
    public static java.util.Set<String> keysNamed(Placement placement) {
        java.util.Set<String> keys = new java.util.HashSet<>(placement.nodeSelector().keySet());
        if (placement.requiredTerms() != null) {
            placement.requiredTerms().forEach(t -> t.matchExpressions().forEach(r -> keys.add(r.key())));
        }
        return keys;
    }
}
