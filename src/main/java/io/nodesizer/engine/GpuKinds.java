package io.nodesizer.engine;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table's groups that request GPUs, by the GPU models and vendor they ask: whether a shape's GPUs serve a group
 * ({@link PodGroup#gpusServedBy}) is the same for every group of a kind, so a sweep asks it once per kind and shape (a GPU
 * trace of 150,000 pods asks a few kinds; per group, a whole-catalog recommend asked it 114 million times, each lower-casing
 * the shape's vendor). Built once per table ({@link DemandTable#gpuKinds()}).
 *
 * @param ofGroup the kind of each group, numbered in order of first appearance, -1 for a group requesting no GPU; not to
 *                be mutated
 * @param kinds   a group of each kind, the first of it
 */
public record GpuKinds(int[] ofGroup, List<PodGroup> kinds) {
    public GpuKinds {
        kinds = List.copyOf(kinds);
    }

    static GpuKinds of(List<PodGroup> groups) {
        Map<String, Map<List<String>, Integer>> index = new HashMap<>(); // by vendor, by models: no key list made per group
        List<PodGroup> kinds = new ArrayList<>();
        int[] ofGroup = new int[groups.size()];
        PodGroup last = null; // the last group requesting GPUs, of kind lastKind: consecutive trace pods alike skip the maps
        int lastKind = -1;
        for (int g = 0; g < ofGroup.length; g++) {
            PodGroup group = groups.get(g);
            if (group.request().gpuMillis() == 0) {
                ofGroup[g] = -1;
                continue;
            }
            if (last != null && last.gpuModels().equals(group.gpuModels()) && last.gpuVendor().equals(group.gpuVendor())) {
                ofGroup[g] = lastKind;
                continue;
            }
            Integer k = index.computeIfAbsent(group.gpuVendor(), v -> new HashMap<>()).putIfAbsent(group.gpuModels(), kinds.size());
            if (k == null) {
                k = kinds.size();
                kinds.add(group);
            }
            ofGroup[g] = k;
            last = group;
            lastKind = k;
        }
        return new GpuKinds(ofGroup, kinds);
    }

    /** Per kind, whether {@code shape}'s GPUs serve its groups (model and vendor). */
    public boolean[] servedBy(NodeShape shape) {
        boolean[] served = new boolean[kinds.size()];
        for (int k = 0; k < served.length; k++) {
            served[k] = kinds.get(k).gpusServedBy(shape);
        }
        return served;
    }

    /** Whether group {@code g} requests no GPU, or {@code served} ({@link #servedBy}) holds for its kind. */
    public boolean served(boolean[] served, int g) {
        return ofGroup[g] < 0 || served[ofGroup[g]];
    }
}
