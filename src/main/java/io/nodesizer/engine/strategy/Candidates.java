package io.nodesizer.engine.strategy;

import java.util.SplittableRandom;

/**
 * The nodes being scored for one pod with their scores so far, in the order the scheduler met them:
 * the preference plugins normalize over all of them before one is chosen. Reused pod after pod.
 */
public final class Candidates {
    int[] nodes = new int[64];
    long[] scores = new long[64];
    int size;

    public void clear() {
        size = 0;
    }

    public void add(int node, long score) {
        if (size == nodes.length) {
            nodes = java.util.Arrays.copyOf(nodes, size * 2);
            scores = java.util.Arrays.copyOf(scores, size * 2);
        }
        nodes[size] = node;
        scores[size++] = score;
    }

    public int size() {
        return size;
    }

    public int node(int i) {
        return nodes[i];
    }

    public long score(int i) {
        return scores[i];
    }

    /** Offers every node in the order met, so that ties fall as they would in one pass. */
    public void offerAll(HighestScore selection, SplittableRandom random) {
        for (int i = 0; i < size; i++) {
            selection.offer(nodes[i], scores[i], random);
        }
    }

    /** The preference plugins' scores added to these totals. */
    public void addPreferences(PreferenceScoring preferences, int group, PreferenceScoring.NodePlaces places, io.nodesizer.engine.GroupCounts counts) {
        preferences.addTo(group, nodes, size, scores, places, counts);
    }

    /**
     * TaintToleration for a pod that no other preference plugin scores here, once a candidate has Cluster Autoscaler's soft
     * taint ({@code softTainted}): {@code gap} added to every candidate without it (the same count of the shapes' own
     * PreferNoSchedule taints on every node, so the normalization leaves that between the two kinds).
     */
    public void addSoftTaintGap(java.util.function.IntPredicate softTainted, long gap) {
        boolean any = false;
        for (int i = 0; i < size && !any; i++) {
            any = softTainted.test(nodes[i]);
        }
        for (int i = 0; i < size && any; i++) {
            scores[i] += softTainted.test(nodes[i]) ? 0 : gap;
        }
    }

    /** As above, with Cluster Autoscaler's soft taint on the nodes {@code softTainted} holds (null: none; {@link PreferenceScoring#addTo}). */
    public void addPreferences(PreferenceScoring preferences, int group, PreferenceScoring.NodePlaces places, io.nodesizer.engine.GroupCounts counts,
                               java.util.function.IntPredicate softTainted) {
        preferences.addTo(group, nodes, size, scores, places, counts, softTainted);
    }
}
