package io.nodesizer.engine;

import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table's groups by equal {@link Placement}: whether a shape's nodes admit a group (node selector, required node
 * affinity, tolerations) is the same for every group of a class, so a sweep asks it once per class and shape. A trace of
 * 150,000 single pods has a handful of placements; asked per group, a whole-catalog recommend asked 130 million times.
 * Built once per table ({@link DemandTable#placementClasses()}).
 *
 * @param ofGroup    the class of each group, numbered in order of first appearance; not to be mutated
 * @param placements each class's placement
 */
public record PlacementClasses(int[] ofGroup, List<Placement> placements) {
    public PlacementClasses {
        placements = List.copyOf(placements);
    }

    static PlacementClasses of(List<PodGroup> groups) {
        Map<Placement, Integer> index = new HashMap<>();
        // Readers share one instance across pods alike (Placement.ANY, GpuProductSelectors' tolerating ones): an instance
        // seen before is classed by identity, without a record hash per pod; a new instance by equality.
        Map<Placement, Integer> seen = new IdentityHashMap<>();
        List<Placement> placements = new ArrayList<>();
        int[] ofGroup = new int[groups.size()];
        Placement last = null;
        for (int g = 0; g < ofGroup.length; g++) {
            Placement p = groups.get(g).placement();
            if (p == last) {
                ofGroup[g] = ofGroup[g - 1];
                continue;
            }
            last = p;
            Integer c = seen.get(p);
            if (c == null) {
                c = index.putIfAbsent(p, placements.size());
                if (c == null) {
                    c = placements.size();
                    placements.add(p);
                }
                seen.put(p, c);
            }
            ofGroup[g] = c;
        }
        return new PlacementClasses(ofGroup, placements);
    }

    /**
     * Per class, whether nodes of {@code shape} with {@code labels} ({@link io.nodesizer.kube.NodeLabels#of}) refuse its
     * pods ({@link io.nodesizer.kube.NodeMatching#onShape}: selector, required node affinity, taints).
     */
    public boolean[] refusedOn(io.nodesizer.model.NodeShape shape, Map<String, String> labels) {
        boolean[] refused = new boolean[placements.size()];
        for (int c = 0; c < refused.length; c++) {
            refused[c] = io.nodesizer.kube.NodeMatching.onShape(placements.get(c), shape, labels) != null;
        }
        return refused;
    }

    /** How many distinct placements. */
    public int count() {
        return placements.size();
    }
}
