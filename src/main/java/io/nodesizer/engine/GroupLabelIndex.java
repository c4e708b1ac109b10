package io.nodesizer.engine;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The groups of a workload by their pods' labels ("key=value"), so that a pod affinity term is
 * matched only against the groups its selector can select: those carrying its first matchLabels
 * pair, or one of the values of its first In expression (every group otherwise).
 */
final class GroupLabelIndex {
    private final List<PodGroup> groups;
    private final Map<String, List<Integer>> byLabel = new HashMap<>();

    GroupLabelIndex(List<PodGroup> groups) {
        this.groups = groups;
        for (int g = 0; g < groups.size(); g++) {
            for (var e : groups.get(g).placement().podLabels().entrySet()) {
                byLabel.computeIfAbsent(e.getKey() + "=" + e.getValue(), k -> new ArrayList<>()).add(g);
            }
        }
    }

    /** The groups whose pods the term of a pod in {@code namespace} selects, in increasing order. */
    int[] selected(Placement.PodAffinityTerm term, String namespace) {
        List<Integer> out = new ArrayList<>();
        for (int g : candidates(term)) {
            if (PodConflicts.matches(term, namespace, groups.get(g).placement())) {
                out.add(g);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private int[] candidates(Placement.PodAffinityTerm term) {
        if (!term.matchLabels().isEmpty()) {
            var first = term.matchLabels().entrySet().iterator().next();
            return byLabel.getOrDefault(first.getKey() + "=" + first.getValue(), List.of()).stream().mapToInt(Integer::intValue).toArray();
        }
        for (Placement.Requirement r : term.matchExpressions()) {
            if (r.operator() == Placement.Operator.IN) {
                TreeSet<Integer> out = new TreeSet<>();
                for (String v : r.values()) {
                    out.addAll(byLabel.getOrDefault(r.key() + "=" + v, List.of()));
                }
                return out.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return java.util.stream.IntStream.range(0, groups.size()).toArray();
    }
}
