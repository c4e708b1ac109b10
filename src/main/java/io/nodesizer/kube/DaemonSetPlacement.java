package io.nodesizer.kube;

import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which DaemonSets run on a node of a given shape, and what they take from it. A DaemonSet runs
 * one pod on every node its {@code nodeSelector} matches. We know the well-known labels a node of
 * a shape carries (kubernetes.io/os, kubernetes.io/arch, node.kubernetes.io/instance-type and
 * their beta aliases, from the kubelet's well-known labels); a selector on any other label cannot
 * be decided from a shape, so such a DaemonSet is assumed to run everywhere (the expensive,
 * safe side) and a note says so. With named zones the zone (and region) labels are decided zone by
 * zone ({@link #on(NodeShape, List, List)}).
 */
public final class DaemonSetPlacement {

    /**
     * The DaemonSet pods on one node of a shape: summed requests (pods = their count), what kube-scheduler's scoring counts
     * of them ({@code scoring}: a node's NonZeroRequested sums every pod's, DaemonSet pods too; {@link
     * DaemonSetSpec#scoringRequest()}), and notes; where the nodes of some named zones run other DaemonSets than others, each
     * zone's ({@link #byZone()}) and the DaemonSets that run in some zones only ({@code zoneOnly}, for the outputs that
     * still charge them on every node to name).
     */
    public record Load(Resources requests, Resources scoring, List<String> placed, List<String> notes, List<Resources> zoneRequests,
                       List<Resources> zoneScoring, List<ZoneOnly> zoneOnly) {
        public Load {
            placed = List.copyOf(placed);
            notes = List.copyOf(notes);
            zoneRequests = List.copyOf(zoneRequests);
            zoneScoring = List.copyOf(zoneScoring);
            zoneOnly = List.copyOf(zoneOnly);
            if (zoneRequests.size() != zoneScoring.size()) {
                throw new IllegalArgumentException(zoneRequests.size() + " zone loads and " + zoneScoring.size() + " zone scorings");
            }
        }

        /** The same load on every node of the shape. */
        public Load(Resources requests, Resources scoring, List<String> placed, List<String> notes) {
            this(requests, scoring, placed, notes, List.of(), List.of(), List.of());
        }

        /**
         * Whether the nodes of some named zones run other DaemonSets than those of others: then {@link #zoneRequests()} holds
         * each zone's load (in the order of {@code --zones}) and {@link #requests()} the DaemonSets that run in some zone, what
         * a node whose zone is not known is charged.
         */
        public boolean byZone() {
            return !zoneRequests.isEmpty();
        }
    }

    /**
     * A DaemonSet that runs on the nodes of some named zones only ({@code zones}: "zone a", "zones a, c"): what a consumer that
     * charges it on every node names ({@link #chargedOnEveryNode}), and the summary line's "per node of zone a".
     */
    public record ZoneOnly(String daemonSet, String zones) {
    }

    /**
     * The note of a consumer that charges the DaemonSets of {@code zoneOnly} on every node although they run in some zones
     * only ({@code who}: "replay charges", {@code why}: what keeps it to one load), or empty when there is none: each such
     * output says it charges more than the cluster runs (the safe side), and why.
     */
    public static java.util.Optional<String> chargedOnEveryNode(java.util.Collection<ZoneOnly> zoneOnly, String who, String why) {
        // One entry per DaemonSet, the first shape's zones (its selector on the zone decides them, whatever the shape).
        Map<String, String> byName = new LinkedHashMap<>();
        zoneOnly.forEach(z -> byName.putIfAbsent(z.daemonSet(), z.zones()));
        if (byName.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> named = new ArrayList<>();
        byName.forEach((name, zones) -> named.add(name + " (" + zones + " only)"));
        return java.util.Optional.of(who + " " + (named.size() == 1 ? "DaemonSet " : "DaemonSets ") + String.join(", ", named)
                + " on every node, the safe side: " + why);
    }

    private DaemonSetPlacement() {
    }

    /** The clause of a note on a label the shape does not give, which the DaemonSet is taken to select (counted where it runs). */
    public static final String NOT_DETERMINED = ", which a node shape does not determine";

    /**
     * Why a DaemonSet that asks for GPUs and runs in some zones only is counted on every node ({@link #on(NodeShape, List, List)}):
     * the notes say so, as the zone's load would otherwise be its.
     */
    private static final String GPUS_EVERYWHERE = " (it requests GPUs, which the DaemonSets take device by device in list order: "
            + "one load on every zone's nodes)";

    public static Map<String, String> labels(NodeShape shape) {
        return NodeLabels.of(shape);
    }

    /**
     * A DaemonSet runs on a node of the shape when its node selector, required node affinity and
     * tolerations admit the node ({@link NodeMatching}). A requirement on a label the shape does
     * not determine (one the user did not give with {@code labels=}, or the zone) is taken as met:
     * counted on every node, the expensive and safe side, and a note says so — except another
     * cloud's own labels ({@link NodeLabels#foreign}) and the Karpenter labels the shape determines
     * ({@link NodeLabels#determines}: GPU labels on a type without GPUs), which the node does not carry.
     */
    public static Load on(NodeShape shape, List<DaemonSetSpec> daemonSets) {
        return on(shape, daemonSets, null);
    }

    /**
     * As {@link #on(NodeShape, List)}, with the nodes in the zones named {@code zoneNames} (null:
     * unnamed): a requirement on the zone label, or on the region the names give ({@link
     * NodeMatching#regionOf}), is then decided zone by zone. Where every zone gives the same answer
     * the DaemonSet is placed by it exactly (one selecting {@code us-east-1} runs on every node of
     * us-east-1a/b/c, one selecting {@code eu-west-1} on none); where the zones differ it runs on
     * the nodes of some zones only, and the load says so zone by zone ({@link Load#zoneRequests()}):
     * Kubernetes' DaemonSet controller creates its pod only on the nodes its selector, affinity and
     * tolerations admit (pkg/controller/daemon {@code NodeShouldRunDaemonPod}), so a node of another
     * zone pays nothing for it. One asking for GPUs stays counted on every node, with a note: the
     * DaemonSets take a node's devices one after another in list order, which one load per zone
     * would have to follow zone by zone.
     */
    public static Load on(NodeShape shape, List<DaemonSetSpec> daemonSets, List<String> zoneNames) {
        return on(shape, daemonSets, zoneNames, List.of());
    }

    /**
     * As {@link #on(NodeShape, List, List)}, with the workload's pods {@code groups}: a label counted
     * as met for a DaemonSet while some of those pods, selecting on it, are left out for lacking it
     * (pods are placed by the labels the shape has) gets a note that says both and how to make them
     * agree (QA 67a F4: one report charged a DaemonSet on accelerator=nvidia and refused the pods that
     * selected it).
     */
    public static Load on(NodeShape shape, List<DaemonSetSpec> daemonSets, List<String> zoneNames,
                          List<io.nodesizer.model.PodGroup> groups) {
        Map<String, String> labels = labels(shape);
        Resources sum = Resources.ZERO;
        Resources scoring = Resources.ZERO;
        int zones = zoneNames == null ? 0 : zoneNames.size();
        // The DaemonSets that run in some zones only: summed per zone, on the nodes of those zones alone.
        Resources[] zoneSum = null;
        Resources[] zoneScoring = null;
        Resources someZones = Resources.ZERO;
        Resources someZonesScoring = Resources.ZERO;
        List<String> placed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<ZoneOnly> zoneOnly = new ArrayList<>();
        for (DaemonSetSpec ds : daemonSets) {
            java.util.Set<String> unknown = new java.util.TreeSet<>();
            for (String key : keys(ds.placement())) {
                // Another cloud's own label (not a node group's, which a recommended pool stands for,
                // as for pods) is known to be absent: a GKE-only DaemonSet runs on no AWS node; so is
                // a Karpenter label the type would carry if it applied (GPU labels on an m5), as for pods.
                if (!labels.containsKey(key) && (NodeMatching.POOL_LABELS.contains(key)
                        || !NodeLabels.foreign(key, shape.provider()) && !NodeLabels.determines(shape, key))) {
                    unknown.add(key);
                }
            }
            boolean[] runsIn = zones == 0 ? null : runsByZone(ds, shape, labels, unknown, zoneNames);
            boolean inSome = runsIn != null && !same(runsIn)
                    // GPUs are taken device by device in list order (withoutItsGpus): a DaemonSet asking some stays on every node.
                    && ds.request().gpuMillis() == 0;
            Boolean inEveryZone = runsIn == null || !same(runsIn) ? null : runsIn[0];
            if (runsIn != null && (inEveryZone != null || inSome)) {
                unknown.retainAll(undecidedByZones(labels, unknown, zoneNames)); // the zone (and region) keys: decided zone by zone
            }
            boolean runs = inSome || (inEveryZone != null ? inEveryZone
                    : NodeMatching.whyNot(ds.placement(), labels, shape.taints(), null, unknown) == null);
            String noGpus = runs ? withoutItsGpus(ds, shape, sum.gpuMillis()) : null;
            if (noGpus != null) {
                notes.add("DaemonSet " + ds.name() + " " + noGpus + ": its pod stays Pending there and takes nothing from the node");
                runs = false;
            }
            if (runs) {
                // Only a DaemonSet that is counted has its undecided labels noted: one a taint, a known label or the
                // shape's GPUs keep off runs on no node of the shape whatever those labels are, and the report says so.
                String where = inSome ? "counted on every node of " + zonesWhere(runsIn, zoneNames) : "counted on every node";
                for (String key : unknown) {
                    boolean zoneKey = NodeMatching.PER_NODE.contains(key) && zoneNames != null;
                    notes.add("DaemonSet " + ds.name() + " selects on label " + key + (zoneKey
                            ? ", which the nodes of some zones of --zones match and others do not" : NOT_DETERMINED)
                            + "; " + where + (zoneKey && runsIn != null && !same(runsIn) ? GPUS_EVERYWHERE : "")
                            + refusedFor(key, groups, labels, shape));
                }
                if (inSome) {
                    if (zoneSum == null) {
                        zoneSum = new Resources[zones];
                        zoneScoring = new Resources[zones];
                        java.util.Arrays.fill(zoneSum, Resources.ZERO);
                        java.util.Arrays.fill(zoneScoring, Resources.ZERO);
                    }
                    for (int z = 0; z < zones; z++) {
                        if (runsIn[z]) {
                            zoneSum[z] = zoneSum[z].plus(ds.request());
                            zoneScoring[z] = zoneScoring[z].plus(ds.scoringRequest());
                        }
                    }
                    someZones = someZones.plus(ds.request());
                    someZonesScoring = someZonesScoring.plus(ds.scoringRequest());
                    zoneOnly.add(new ZoneOnly(ds.name(), zonesWhere(runsIn, zoneNames)));
                    notes.add("DaemonSet " + ds.name() + " runs on the nodes of " + zonesWhere(runsIn, zoneNames)
                            + " only (its node selector or required node affinity on the zone)");
                } else {
                    sum = sum.plus(ds.request());
                    scoring = scoring.plus(ds.scoringRequest());
                }
                placed.add(ds.name());
            }
        }
        if (zoneSum == null) {
            return new Load(sum, scoring, placed, notes);
        }
        List<Resources> perZone = new ArrayList<>();
        List<Resources> perZoneScoring = new ArrayList<>();
        for (int z = 0; z < zones; z++) {
            perZone.add(sum.plus(zoneSum[z]));
            perZoneScoring.add(scoring.plus(zoneScoring[z]));
        }
        // What a node whose zone is not known is charged: every DaemonSet that runs in some zone, as before zones were told apart.
        return new Load(sum.plus(someZones), scoring.plus(someZonesScoring), placed, notes, perZone, perZoneScoring, zoneOnly);
    }

    /**
     * The clause of a DaemonSet's undecided label {@code key} where some of {@code groups} select on
     * it and the shape's labels refuse them, else "".
     */
    private static String refusedFor(String key, List<io.nodesizer.model.PodGroup> groups, Map<String, String> labels, NodeShape shape) {
        List<String> refused = new ArrayList<>();
        long pods = 0;
        for (io.nodesizer.model.PodGroup g : groups) {
            if (g.placement() != null && keys(g.placement()).contains(key)
                    && NodeMatching.whyNot(g.placement(), labels, List.of(), null, java.util.Set.of()) != null) {
                pods += g.replicas();
                if (refused.size() < 3) {
                    refused.add(g.name());
                }
            }
        }
        if (refused.isEmpty()) {
            return "";
        }
        return ", though the workload's " + pods + (pods == 1 ? " pod" : " pods") + " selecting on it (" + String.join(", ", refused)
                + (refused.size() < 3 ? "" : ", …") + ") are left off " + shape.name() + " for want of it: if its nodes carry "
                + key + ", give it to the shape (labels=" + key + "=…) and both run there; if not, neither does";
    }

    /**
     * Why a node of the shape cannot give the DaemonSet's pod the GPUs it requests, or null when it
     * can (or it requests none): fewer GPUs than that, or another vendor's (each vendor's device
     * plugin advertises its own resource, {@link io.nodesizer.model.GpuVendors}). The DaemonSet
     * controller creates its pod on every node its selector, affinity and tolerations admit,
     * whatever the node's resources (kubernetes/kubernetes {@code pkg/controller/daemon}
     * {@code NodeShouldRunDaemonPod}: node affinity and taints only), so such a pod is created and
     * stays Pending, and the node's GPUs stay the workload's.
     */
    private static String withoutItsGpus(DaemonSetSpec ds, NodeShape shape, long takenByOthers) {
        long wanted = ds.request().gpuMillis();
        if (wanted == 0) {
            return null;
        }
        String vendor = ds.template() == null ? "" : ds.template().gpuVendor();
        String otherVendor = io.nodesizer.model.GpuVendors.whyNot(vendor, shape.name(), shape.gpuVendor());
        if (otherVendor != null) {
            return otherVendor;
        }
        long offered = shape.allocatable().gpuMillis();
        if (wanted > offered) {
            return "requests " + gpus(wanted) + " GPU and " + shape.name() + " allocates " + gpus(offered);
        }
        // The DaemonSets before it in the list took their GPUs first: the devices are whole, one pod's each.
        long left = offered - takenByOthers;
        return wanted <= left ? null : "requests " + gpus(wanted) + " GPU and the DaemonSets before it take " + gpus(takenByOthers) + " of "
                + shape.name() + "'s " + gpus(offered);
    }

    private static String gpus(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    /**
     * Per zone of {@code zoneNames}, whether the DaemonSet runs on its nodes, its requirements on the zone and region labels
     * decided by the zone's; null when it names neither ({@code unknown} holds no such key), or the zones decide different
     * keys (a region some names give and others do not), which then stay undecided.
     */
    private static boolean[] runsByZone(DaemonSetSpec ds, NodeShape shape, Map<String, String> labels, java.util.Set<String> unknown,
                                        List<String> zoneNames) {
        java.util.Set<String> perZone = new java.util.TreeSet<>(unknown);
        perZone.retainAll(NodeMatching.PER_NODE);
        if (perZone.isEmpty()) {
            return null;
        }
        boolean[] runs = new boolean[zoneNames.size()];
        java.util.Set<String> decided = null;
        for (int z = 0; z < runs.length; z++) {
            java.util.Set<String> assumed = new java.util.TreeSet<>(unknown);
            Map<String, String> inZone = NodeMatching.zoneLabels(labels, zoneNames.get(z), assumed);
            runs[z] = NodeMatching.whyNot(ds.placement(), inZone, shape.taints(), null, assumed) == null;
            if (decided != null && !decided.equals(assumed)) {
                return null;
            }
            decided = assumed;
        }
        return runs;
    }

    /** The keys of {@code unknown} that the zones' labels leave undecided (the same for every zone: {@link #runsByZone}). */
    private static java.util.Set<String> undecidedByZones(Map<String, String> labels, java.util.Set<String> unknown, List<String> zoneNames) {
        java.util.Set<String> assumed = new java.util.TreeSet<>(unknown);
        NodeMatching.zoneLabels(labels, zoneNames.get(0), assumed);
        return assumed;
    }

    private static boolean same(boolean[] runs) {
        for (boolean r : runs) {
            if (r != runs[0]) {
                return false;
            }
        }
        return true;
    }

    /** "zone us-east-1a", "zones a, c": the zones of {@code runs}. */
    private static String zonesWhere(boolean[] runs, List<String> zoneNames) {
        List<String> in = new ArrayList<>();
        for (int z = 0; z < runs.length; z++) {
            if (runs[z]) {
                in.add(zoneNames.get(z));
            }
        }
        return (in.size() == 1 ? "zone " : "zones ") + String.join(", ", in);
    }

    /** Every label key a placement's selector and required terms name. */
    static java.util.Set<String> keys(io.nodesizer.model.Placement p) {
        java.util.Set<String> out = new java.util.TreeSet<>(p.nodeSelector().keySet());
        if (p.requiredTerms() != null) {
            for (io.nodesizer.model.Placement.Term t : p.requiredTerms()) {
                for (io.nodesizer.model.Placement.Requirement r : t.matchExpressions()) {
                    out.add(r.key());
                }
            }
        }
        return out;
    }
}
