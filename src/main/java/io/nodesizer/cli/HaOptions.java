package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.NodeShape;
import io.nodesizer.sweep.HaSizing;
import picocli.CommandLine.Option;

import java.util.Locale;

/** The production rules {@code recommend} sizes pools by: minimum pool size, failure survival, zones, control plane. */
final class HaOptions {
    @Option(names = "--min-nodes-per-pool", paramLabel = "N", defaultValue = "2",
            description = "Every pool (the single shape's, and each of a mix) runs at least N nodes: the brief's minimum for resilience. "
                    + "1 gives the bare minimum. Default: ${DEFAULT-VALUE}.")
    int minNodesPerPool;

    @Option(names = "--survive", paramLabel = "none|node|zone", defaultValue = "none",
            description = "Keep enough nodes that every pod still fits after losing any one node, or any one zone (with --zones; "
                    + "nodes spread round-robin, or sized per zone by packing without each zone when pods are tied to zones). The "
                    + "headroom's cost is in each shape's cost. Default: ${DEFAULT-VALUE}.")
    String survive;

    @Option(names = "--zones", paramLabel = "N|a,b,c",
            description = "Zones the nodes are spread over, round-robin as managed node groups do: a count or the zone names.")
    String zones;

    @Option(names = "--control-plane", paramLabel = "N:SHAPE",
            description = "A dedicated control plane of N nodes of SHAPE (aws:m5.xlarge, or an inline cpu=…,memory=…,price=…), tainted for "
                    + "workloads; its cost is in every shape's cost.")
    String controlPlane;

    @Option(names = "--control-plane-fee", paramLabel = "USD",
            description = "A managed control plane's fee per hour (e.g. 0.10 for EKS or GKE standard) instead of --control-plane.")
    Double controlPlaneFee;

    /** The rules, validated; {@code shapes} resolves a control-plane shape. */
    HaSizing.Rules rules(ShapeOptions shapes) {
        if (minNodesPerPool < 1) {
            throw new InputException(SourceLocation.ofFile("--min-nodes-per-pool"), "The minimum pool size (" + minNodesPerPool
                    + ") must be at least 1.");
        }
        HaSizing.Survive s = switch (survive.toLowerCase(Locale.ROOT)) {
            case "none" -> HaSizing.Survive.NONE;
            case "node" -> HaSizing.Survive.NODE;
            case "zone" -> HaSizing.Survive.ZONE;
            default -> throw new InputException(SourceLocation.ofFile("--survive"), "The failure to survive (" + survive
                    + ") must be none, node or zone.");
        };
        int zoneCount = zoneCount();
        if (s == HaSizing.Survive.ZONE && zoneCount < 2) {
            throw new InputException(SourceLocation.ofFile("--survive"), "--survive zone needs at least two zones: add --zones 3 "
                    + "(or the zone names, --zones us-east-1a,us-east-1b,us-east-1c).");
        }
        HaSizing.ControlPlane cp = null;
        if (controlPlane != null && controlPlaneFee != null) {
            throw new InputException(SourceLocation.ofFile("--control-plane"), "--control-plane and --control-plane-fee exclude each "
                    + "other: dedicated nodes or a managed fee.");
        }
        if (controlPlane != null) {
            int colon = controlPlane.indexOf(':');
            int count;
            try {
                count = colon < 0 ? -1 : Integer.parseInt(controlPlane.substring(0, colon).trim());
            } catch (NumberFormatException e) {
                count = -1;
            }
            if (count < 1 || count > 100) {
                throw new InputException(SourceLocation.ofFile("--control-plane"), "The control plane (" + controlPlane + ") must be "
                        + "N:SHAPE with N from 1 to 100, e.g. 3:aws:m5.xlarge or 3:cpu=4,memory=16Gi,price=0.19.");
            }
            NodeShape shape;
            try {
                shape = shapes.nodeOptions.shape(controlPlane.substring(colon + 1));
            } catch (InputException e) {
                // The shape parser names --node, whose syntax this shares: say which option it was.
                throw new InputException(SourceLocation.ofFile("--control-plane"), e.problem(), e);
            }
            if (!shape.hasPrice()) {
                throw new InputException(SourceLocation.ofFile("--control-plane"), "The control-plane shape " + shape.name()
                        + " has no price; give price=… for an inline shape, or use a catalog type.");
            }
            cp = new HaSizing.ControlPlane(shape.name(), count, count * shape.pricePerHourUsd());
        } else if (controlPlaneFee != null) {
            if (!(controlPlaneFee >= 0) || controlPlaneFee.isInfinite()) {
                throw new InputException(SourceLocation.ofFile("--control-plane-fee"), "The control-plane fee (" + controlPlaneFee
                        + ") must be a non-negative number of dollars per hour.");
            }
            cp = new HaSizing.ControlPlane(null, 0, controlPlaneFee);
        }
        return new HaSizing.Rules(minNodesPerPool, s, Math.max(1, zoneCount), cp);
    }

    /** The dedicated control plane's node shape (--control-plane N:SHAPE), or null; call after {@link #rules}, which checks it. */
    NodeShape controlPlaneShape(ShapeOptions shapes) {
        return controlPlane == null ? null : shapes.nodeOptions.shape(controlPlane.substring(controlPlane.indexOf(':') + 1));
    }

    /**
     * The workload as kube-scheduler spreads it beside a dedicated control plane: its nodes (tainted
     * node-role.kubernetes.io/control-plane:NoSchedule, with a hostname) are domains of a hard hostname
     * spread whose inclusion policies admit them (nodeTaintsPolicy Ignore, the default, or a toleration
     * of the taint; nodeAffinityPolicy Honor with a selector they meet, or Ignore), and they run none of
     * its pods, so the fewest is 0 and each worker holds at most maxSkew (PodTopologySpread's
     * calPreFilterState). Such a spread is given the fewest-as-0 rule minDomains has (a minDomains no
     * node count reaches); the others are unchanged.
     */
    static io.nodesizer.model.Workload besideControlPlane(io.nodesizer.model.Workload w, NodeShape cp) {
        if (cp == null) {
            return w;
        }
        java.util.Map<String, String> labels = new java.util.HashMap<>(io.nodesizer.kube.NodeLabels.of(cp));
        labels.put("node-role.kubernetes.io/control-plane", "");
        java.util.List<io.nodesizer.model.Placement.Taint> taints = new java.util.ArrayList<>(cp.taints());
        taints.add(new io.nodesizer.model.Placement.Taint("node-role.kubernetes.io/control-plane", null, "NoSchedule"));
        java.util.List<io.nodesizer.model.PodGroup> groups = new java.util.ArrayList<>();
        boolean changed = false;
        for (io.nodesizer.model.PodGroup g : w.groups()) {
            io.nodesizer.model.Placement p = g.placement();
            java.util.List<io.nodesizer.model.Placement.Spread> spreads = new java.util.ArrayList<>();
            boolean any = false;
            for (io.nodesizer.model.Placement.Spread sp : p.spread()) {
                boolean counted = sp.hard() && io.nodesizer.kube.PodConflicts.HOSTNAME.equals(sp.term().topologyKey())
                        && (!sp.honorsNodeAffinity() || io.nodesizer.kube.NodeMatching.whyNot(p.withNodeSelectorAndTolerations(
                                p.nodeSelector(), java.util.List.of(new io.nodesizer.model.Placement.Toleration(null, "Exists", null, null))),
                                labels, java.util.List.of(), null, java.util.Set.of()) == null)
                        && (!sp.honorsNodeTaints() || io.nodesizer.kube.NodeMatching.whyNot(
                                new io.nodesizer.model.Placement(java.util.Map.of(), null, p.tolerations(), p.namespace(), p.podLabels(),
                                        java.util.List.of(), java.util.List.of(), java.util.List.of(), p.preferences()),
                                labels, taints, null, java.util.Set.of()) == null);
                spreads.add(counted ? new io.nodesizer.model.Placement.Spread(sp.maxSkew(), true, sp.term(), Math.max(sp.minDomains(),
                        CONTROL_PLANE_MIN_DOMAINS), sp.honorsNodeAffinity(), sp.honorsNodeTaints(), sp.perRollout()) : sp);
                any |= counted;
            }
            if (any) {
                p = new io.nodesizer.model.Placement(p.nodeSelector(), p.requiredTerms(), p.tolerations(), p.namespace(), p.podLabels(),
                        p.antiAffinity(), p.affinity(), spreads, p.preferences());
                g = new io.nodesizer.model.PodGroup(g.name(), g.kind(), g.request(), g.replicas(), g.singlePod(), g.lifetime(), g.origin(),
                        g.gpuModels(), g.template(), p);
                changed = true;
            }
            groups.add(g);
        }
        return changed ? new io.nodesizer.model.Workload(groups, w.daemonSets(), w.ignored(), w.sources(), w.autoscalers(),
                w.containerDefaults(), w.runtimeClasses(), w.namespaces()) : w;
    }

    /** A minDomains no packing's node count reaches: the fewest always counts as 0. */
    static final int CONTROL_PLANE_MIN_DOMAINS = 1_000_000_000;

    /**
     * The note for the workloads {@link #besideControlPlane} changed (those of {@code changed} whose
     * hostname spread it gave {@link #CONTROL_PLANE_MIN_DOMAINS}), or empty: why they take at most
     * maxSkew pods per worker, and how a manifest avoids it.
     */
    static java.util.Optional<String> controlPlaneSpreadNote(io.nodesizer.model.Workload changed) {
        java.util.List<String> names = changed.groups().stream().filter(g -> g.placement().spread().stream()
                .anyMatch(sp -> sp.minDomains() == CONTROL_PLANE_MIN_DOMAINS)).map(io.nodesizer.model.PodGroup::name).toList();
        if (names.isEmpty()) {
            return java.util.Optional.empty();
        }
        // A spread under Honor counts the control plane only for a pod that tolerates its taint (QA 49c F7: the note told
        // such a pod to set the Honor it had); that pod may also run there, which the sizing does not count on.
        java.util.List<String> tolerating = changed.groups().stream().filter(g -> g.placement().spread().stream()
                .anyMatch(sp -> sp.minDomains() == CONTROL_PLANE_MIN_DOMAINS && sp.honorsNodeTaints()))
                .map(io.nodesizer.model.PodGroup::name).toList();
        return java.util.Optional.of("hostname topology spread beside the dedicated control plane: its nodes are domains of the spread of "
                + io.nodesizer.model.NameLists.firstOf(names, 3) + " (" + (tolerating.isEmpty() ? ""
                : io.nodesizer.model.NameLists.firstOf(tolerating, 3) + " tolerate" + (tolerating.size() == 1 ? "s" : "")
                + " the control plane's taint, so even nodeTaintsPolicy Honor counts them; otherwise ") + "nodeTaintsPolicy Ignore, the "
                + "default, counts tainted nodes) and run none of their pods, so kube-scheduler takes the fewest as 0 and each worker holds "
                + "at most maxSkew of them; nodeTaintsPolicy: Honor without that toleration (or a node selector the control plane does "
                + "not meet) lifts that" + (tolerating.isEmpty() ? "" : "; a pod that tolerates the taint may also be scheduled onto the "
                + "control plane, which this sizing does not count on"));
    }

    int zoneCount() {
        return zones == null ? 1 : zoneNames(zones).size();
    }

    /**
     * The zone names a {@code --zones} value gives (the nodes' zone label values, which node
     * selectors and affinity on the zone are matched against); null for a count or none.
     */
    static java.util.List<String> labelledZones(String zones) {
        return zones == null || zones.trim().matches("\\d{1,9}") ? null : zoneNames(zones);
    }

    /** The zone names of a {@code --zones} value: the names given, or zone-1 … zone-N for a count; null when not given. */
    static java.util.List<String> zoneNames(String zones) {
        if (zones == null) {
            return null;
        }
        String z = zones.trim();
        if (z.matches("\\d{1,9}")) {
            int n = Integer.parseInt(z);
            if (n < 1 || n > 64) {
                throw new InputException(SourceLocation.ofFile("--zones"), "The zone count (" + z + ") must be from 1 to 64.");
            }
            java.util.List<String> out = new java.util.ArrayList<>();
            for (int i = 1; i <= n; i++) {
                out.add("zone-" + i);
            }
            return out;
        }
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (String name : z.split(",", -1)) {
            // A zone name is the value of the nodes' topology.kubernetes.io/zone label: a label value ("-1" is not one).
            if (name.isBlank() || !names.add(name.trim()) || name.trim().matches("\\d+")
                    || !io.nodesizer.kube.NodeMatching.LABEL_VALUE.matcher(name.trim()).matches()) {
                throw new InputException(SourceLocation.ofFile("--zones"), "The zones (" + zones + ") must be a count or distinct "
                        + "comma-separated names, e.g. us-east-1a,us-east-1b,us-east-1c.");
            }
        }
        if (names.size() > 64) {
            // Zones are kept in a byte per node and counted in a 64-bit mask by the spread scores.
            throw new InputException(SourceLocation.ofFile("--zones"), "The zones (" + names.size() + " names) must be at most 64.");
        }
        return java.util.List.copyOf(names);
    }
}
