package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GroupCounts;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps an upstream score test onto {@link PreferenceScoring}: one pool per upstream node (a
 * {@link NodeShape} with the node's labels and taints), each node's zone label value to a zone index
 * (a node without one gets a zone of its own; without any zone label there is one zone), the existing pods to {@link PodGroup}s counted in
 * {@link GroupCounts}, and the nodes upstream scores (its {@code nodes}, not its {@code failedNodes})
 * to the nodes scored. {@link #score} gives one plugin's normalized scores.
 */
final class ScoreConformanceSupport {
    private static final Resources CAP = new Resources(64_000, 256L << 30, 1000, 0, 0);

    private ScoreConformanceSupport() {
    }

    /** One upstream test: its nodes, pod groups and existing pods. */
    static final class Scenario {
        private final List<PodGroup> groups = new ArrayList<>();
        private final List<NodeShape> shapes = new ArrayList<>();
        private final List<String> zoneValues = new ArrayList<>();
        private final List<Boolean> candidates = new ArrayList<>();
        private final List<int[]> pods = new ArrayList<>();

        /** A group of pods (one upstream owner, or the pods a selector treats alike), by its placement. */
        int group(String name, Placement placement) {
            groups.add(new PodGroup(name, "Deployment", new Resources(100, 1L << 20, 1, 0, 0), 1, false, null,
                    new SourceRef("upstream", groups.size() + 1), List.of(), null, placement));
            return groups.size() - 1;
        }

        /** A node upstream scores ({@code zone} null: no zone label). */
        int node(String name, Map<String, String> labels, List<Placement.Taint> taints, String zone) {
            return addNode(name, labels, taints, zone, true);
        }

        /** A node upstream does not score (a failed node) whose pods still count. */
        int failedNode(String name, Map<String, String> labels, String zone) {
            return addNode(name, labels, List.of(), zone, false);
        }

        private int addNode(String name, Map<String, String> labels, List<Placement.Taint> taints, String zone, boolean candidate) {
            shapes.add(new NodeShape(name, "test", "test", "amd64", CAP, CAP, "none", null, "", labels, taints));
            zoneValues.add(zone);
            candidates.add(candidate);
            return shapes.size() - 1;
        }

        /** {@code count} running pods of {@code group} on {@code node}. */
        Scenario pods(int node, int group, int count) {
            pods.add(new int[]{node, group, count});
            return this;
        }

        /** The plugin's normalized scores (0..100) for a pod of {@code incoming} on the scored nodes, in node order. */
        long[] score(PreferenceScoring.Plugin plugin, int incoming) {
            Map<String, Integer> zoneIndex = new LinkedHashMap<>();
            int[] zoneOf = new int[shapes.size()];
            boolean zoned = zoneValues.stream().anyMatch(z -> z != null);
            for (int i = 0; i < shapes.size(); i++) {
                // Without any zone label there are no zones (one); a node without one among zoned nodes is a zone of its own.
                String z = !zoned ? "" : zoneValues.get(i) != null ? zoneValues.get(i) : "(no zone: " + shapes.get(i).name() + ")";
                zoneOf[i] = zoneIndex.computeIfAbsent(z, k -> zoneIndex.size());
            }
            int zones = zoneIndex.size();
            // No zone label on any node: the scoring's "no zone labels" mode (0 zones), one zone for the counts.
            PreferenceScoring scoring = PreferenceScoring.build(DemandTable.of(groups), shapes, zoned ? zones : 0);
            GroupCounts counts = new GroupCounts(scoring.counted(), zones);
            for (int[] p : pods) {
                counts.add(p[0], zoneOf[p[0]], p[1], p[2]);
            }
            int[] nodes = new int[shapes.size()];
            int n = 0;
            for (int i = 0; i < shapes.size(); i++) {
                if (candidates.get(i)) {
                    nodes[n++] = i;
                }
            }
            PreferenceScoring.NodePlaces places = PreferenceScoring.NodePlaces.of(node -> node, node -> zoneOf[node]);
            return scoring.normalized(plugin, incoming, nodes, n, places, counts);
        }
    }

    static Placement.PodAffinityTerm term(String topologyKey, Placement.Requirement... expressions) {
        return new Placement.PodAffinityTerm(Map.of(), List.of(expressions), List.of(), false, false, topologyKey);
    }

    static Placement.Requirement in(String key, String... values) {
        return new Placement.Requirement(key, Placement.Operator.IN, List.of(values));
    }

    static Placement.Requirement notIn(String key, String... values) {
        return new Placement.Requirement(key, Placement.Operator.NOT_IN, List.of(values));
    }

    static Placement.Requirement exists(String key) {
        return new Placement.Requirement(key, Placement.Operator.EXISTS, List.of());
    }

    static Placement.Requirement doesNotExist(String key) {
        return new Placement.Requirement(key, Placement.Operator.DOES_NOT_EXIST, List.of());
    }
}
