package io.nodesizer.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Production sizing on top of a packing, the brief's HA rules: every pool runs at least
 * {@code minNodes} nodes; with {@code survive node} there are enough nodes that every pod still
 * fits after any one node is lost; with {@code survive zone}, after any one zone is lost, the
 * nodes being spread round-robin over the zones as managed node groups spread them; and a
 * control plane (dedicated nodes or a managed fee) is part of the cost.
 *
 * <p>Nodes of a pool are identical, so "still fits" is checked by the packing itself: the same
 * engine placed every pod on {@code packed} nodes, so any {@code packed} surviving nodes hold them
 * again. Losing one node leaves {@code n - 1}; losing a zone leaves {@code n - ceil(n / zones)}
 * (round-robin puts at most that many in one zone). The smallest {@code n} that leaves
 * {@code packed} is taken. Pods tied to their zones (a spread over the zones, pod affinity or
 * anti-affinity on the zone, selectors naming zones: {@link
 * io.nodesizer.engine.DemandTable#tiesPodsToZones}) change both: surviving a node then takes a
 * spare node in every zone, and surviving a zone is sized zone by zone from a packing without
 * each zone ({@link ZoneSurvival}). Pods pinned to one zone by their volumes are not modelled.
 */
public final class HaSizing {
    private HaSizing() {
    }

    public enum Survive {
        NONE, NODE, ZONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Dedicated control-plane nodes ({@code shape} × {@code nodes}) or a managed fee ({@code shape} null). */
    public record ControlPlane(String shape, int nodes, double costPerHour) {
    }

    /**
     * @param minNodes     every pool runs at least this many nodes (when it runs any pod)
     * @param zones        zones the nodes are spread over (1 when not given)
     * @param controlPlane null when none is given
     */
    public record Rules(int minNodes, Survive survive, int zones, ControlPlane controlPlane, boolean zoneTied) {
        public static final Rules BARE = new Rules(1, Survive.NONE, 1, null);

        /**
         * @param zoneTied some pods are tied to their zones ({@link
         *                 io.nodesizer.engine.DemandTable#tiesPodsToZones}): surviving a node takes
         *                 one spare node in every zone, and surviving a zone is sized per zone
         *                 ({@link ZoneSurvival})
         */
        public Rules {
            if (minNodes < 1 || zones < 1) {
                throw new IllegalArgumentException("minNodes and zones must be at least 1");
            }
            if (survive == Survive.ZONE && zones < 2) {
                throw new IllegalArgumentException("surviving a zone needs at least two zones");
            }
        }

        /** The same rules for a workload whose pods are (or are not) tied to zones. */
        public Rules withZoneTied(boolean tied) {
            return new Rules(minNodes, survive, zones, controlPlane, tied && zones > 1);
        }

        public Rules(int minNodes, Survive survive, int zones, ControlPlane controlPlane) {
            this(minNodes, survive, zones, controlPlane, false);
        }

        /** In words, for reports; empty for the bare packing. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (minNodes > 1) {
                parts.add("at least " + minNodes + " nodes per pool");
            }
            if (survive == Survive.NODE && zoneTied) {
                parts.add("every pod still fits after losing any one node (a spare node in each of the " + zones
                        + " zones that run pods tied to their zones by a spread, pod affinity or a selector: they stay in them; "
                        + "none where the zone's other nodes take a lost node's such pods, more where a node holds more of a hostname "
                        + "spread than its maxSkew)");
            } else if (survive == Survive.NODE) {
                parts.add("every pod still fits after losing any one node");
            } else if (survive == Survive.ZONE && zoneTied) {
                parts.add("every pod still fits after losing any one of " + zones + " zones (nodes per zone as a packing without "
                        + "each zone needs them, for pods tied to their zones)");
            } else if (survive == Survive.ZONE) {
                parts.add("every pod still fits after losing any one of " + zones + " zones (nodes spread round-robin)");
            }
            if (controlPlane != null) {
                parts.add(controlPlane.shape() == null ? String.format(Locale.ROOT, "a managed control plane at $%.4f/h", controlPlane.costPerHour())
                        : String.format(Locale.ROOT, "a control plane of %d × %s ($%.4f/h)", controlPlane.nodes(), controlPlane.shape(),
                        controlPlane.costPerHour()));
            }
            return String.join("; ", parts);
        }

        public boolean bare() {
            return minNodes == 1 && survive == Survive.NONE && controlPlane == null;
        }
    }

    /**
     * How a shape's node count was sized.
     *
     * @param packedNodes the packing's nodes
     * @param nodes       the nodes to run
     */
    public record Sized(int packedNodes, int nodes, Rules rules, List<Integer> nodesPerZone, int podsLeftOutAfterZoneLoss,
                        int zonesLeftBound, int zoneLossesUnchecked) {
        /**
         * @param nodesPerZone             per zone the nodes to run, when sized zone by zone
         *                                 ({@link ZoneSurvival}); null when spread round-robin
         * @param podsLeftOutAfterZoneLoss pods whose rules admit no other zone when theirs is lost
         *                                 (no node count re-places them)
         * @param zonesLeftBound           a lower bound on the nodes the zones left need after a zone's
         *                                 loss ({@link ZoneSurvival.Need#zonesLeftBound}); -1: the packing's
         *                                 bound, every pod surviving
         * @param zoneLossesUnchecked      zones whose loss, played on the cluster as it runs, did not pass the
         *                                 verifier ({@link ZoneSurvival.Need#uncheckedLosses}): not known to be survived
         */
        public Sized {
            nodesPerZone = nodesPerZone == null ? null : List.copyOf(nodesPerZone);
        }

        public Sized(int packedNodes, int nodes, Rules rules) {
            this(packedNodes, nodes, rules, null, 0, -1, 0);
        }

        public ControlPlane controlPlane() {
            return rules.controlPlane();
        }

        /**
         * The nodes per zone: as sized zone by zone ({@link #nodesPerZone}), else, for a workload no pod of which is
         * tied to its zone, round-robin as the nodes open (node i in zone i mod zones); null with one zone, and for
         * tied pods not sized zone by zone (their packing opened nodes where they must run: six pods pinned to zone a
         * are not [2, 2, 2]; review 50).
         */
        public List<Integer> zoneCounts() {
            if (nodesPerZone != null || rules.zones() < 2 || rules.zoneTied()) {
                return nodesPerZone;
            }
            List<Integer> out = new ArrayList<>();
            for (int z = 0; z < rules.zones(); z++) {
                out.add(nodes / rules.zones() + (z < nodes % rules.zones() ? 1 : 0));
            }
            return out;
        }

        /** Whether the report gives podsLeftOutAfterZoneLoss and zoneLossesUnchecked: zones counted, sized to survive a zone's loss. */
        public boolean zoneLossReported() {
            return zoneCounts() != null && rules.survive() == Survive.ZONE;
        }
    }

    /** The nodes to run for a packing of {@code packed} nodes. */
    public static int nodes(int packed, Rules rules) {
        if (packed == 0) {
            return 0;
        }
        int n = packed;
        switch (rules.survive()) {
            // With pods tied to zones each zone's such pods stay in it, and the packing holds them
            // on that zone's nodes: a spare node in every zone leaves each zone its packed count
            // after any loss (one spare overall could leave a zone short, with its pods nowhere to
            // go). Where the packing is known, ZoneSurvival.spareNodes puts spares only in the
            // zones that hold tied pods, and not where the zone's other nodes take a lost node's.
            case NODE -> n = packed + (rules.zoneTied() ? rules.zones() : 1);
            case ZONE -> {
                while (n - (n + rules.zones() - 1) / rules.zones() < packed) {
                    n++;
                }
            }
            default -> {
            }
        }
        return Math.max(n, rules.minNodes());
    }

    /**
     * The fewest nodes any layout of the shape can run under the rules, from the packing's lower
     * bound {@code bound} (no packing of the pods on this shape has fewer nodes): the HA sizing's
     * own bound, which its gap is measured against. Surviving any one node leaves {@code n - 1}
     * nodes that hold every pod again, so {@code n - 1 >= bound}. Surviving any one of {@code z}
     * zones loses a zone of at least {@code ceil(n / z)} nodes (some zone holds that many, however
     * they are laid out), and what is left holds what the zones left must run: every pod
     * ({@code bound}) or, for pods tied to their zones, what the packings without a zone hold
     * ({@code zonesLeftBound}, the least over the zones lost). Tied pods and hostname spreads can
     * ask more (a spare per zone); the bound does not claim that, so it holds for every layout.
     *
     * @param packed         the packing's nodes (0: nothing runs, nothing to bound)
     * @param zonesLeftBound -1 when every pod must run in the zones left
     */
    public static int lowerBound(int bound, int packed, int zonesLeftBound, Rules rules) {
        if (packed == 0) {
            return 0;
        }
        Rules plain = rules.withZoneTied(false);
        int n = switch (rules.survive()) {
            case NODE -> nodes(bound, plain);
            case ZONE -> Math.max(bound, nodes(zonesLeftBound < 0 ? bound : zonesLeftBound, plain));
            case NONE -> bound;
        };
        return Math.max(n, rules.minNodes());
    }

    /** Every evaluation sized by the rules, ranked again (cost order can change). */
    public static List<ShapeEvaluation> apply(List<ShapeEvaluation> ranked, Rules rules) {
        return apply(ranked, rules, null);
    }

    /**
     * Every evaluation sized by the rules, ranked again; {@code zoneNeeds} gives what surviving a
     * zone needs per shape when the rules say {@code survive zone} for pods tied to zones (else null).
     */
    public static List<ShapeEvaluation> apply(List<ShapeEvaluation> ranked, Rules rules,
                                              java.util.function.Function<ShapeEvaluation, ZoneSurvival.Need> zoneNeeds) {
        if (rules.bare()) {
            return ranked;
        }
        boolean byZone = rules.survive() != Survive.NONE && rules.zoneTied();
        if (byZone && zoneNeeds == null) {
            throw new IllegalArgumentException("surviving a failure with pods tied to zones is sized per zone: give the needs");
        }
        List<ShapeEvaluation> out = new ArrayList<>(ranked.size());
        for (ShapeEvaluation e : ranked) {
            Sized sized;
            if (byZone && e.packedNodes() > 0) {
                ZoneSurvival.Need need = zoneNeeds.apply(e);
                List<Integer> perZone = atLeast(need.nodesPerZone(), rules.minNodes());
                sized = new Sized(e.packedNodes(), perZone.stream().mapToInt(Integer::intValue).sum(), rules, perZone, need.podsLeftOut(),
                        need.zonesLeftBound(), need.uncheckedLosses());
            } else {
                sized = new Sized(e.packedNodes(), nodes(e.packedNodes(), rules), rules);
            }
            out.add(e.withSizing(sized));
        }
        out.sort(ShapeSweep.RANKING);
        return out;
    }

    /** Nodes per zone raised, the fewest first, until they add up to at least {@code min}. */
    static List<Integer> atLeast(List<Integer> perZone, int min) {
        int[] k = perZone.stream().mapToInt(Integer::intValue).toArray();
        int sum = java.util.Arrays.stream(k).sum();
        while (sum < min) {
            int fewest = 0;
            for (int z = 1; z < k.length; z++) {
                fewest = k[z] < k[fewest] ? z : fewest;
            }
            k[fewest]++;
            sum++;
        }
        return java.util.Arrays.stream(k).boxed().toList();
    }
}
