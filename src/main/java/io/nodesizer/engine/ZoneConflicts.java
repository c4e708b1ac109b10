package io.nodesizer.engine;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Required pod anti-affinity on the zone (InterPodAffinity's filter with a zone topology key): a
 * pod may not go into a zone that runs a pod its terms match, nor into one that runs a pod whose
 * terms match it. Per group the groups it may not share a zone with, both directions, and which
 * groups own such terms (the packing places those after the rest, {@link RulePacking}).
 */
public final class ZoneConflicts {
    private final int[][] repels;
    private final boolean[] owner;
    private final boolean[] everywhere;
    private final boolean[] everyNode;
    private final boolean any;

    /** What {@link #of} finds for {@code n} groups none of which has required pod anti-affinity, without looking. */
    static ZoneConflicts none(int n) {
        return new ZoneConflicts(new int[n][], new boolean[n], new boolean[n], new boolean[n], false);
    }

    private ZoneConflicts(int[][] repels, boolean[] owner, boolean[] everywhere, boolean[] everyNode, boolean any) {
        this.repels = repels;
        this.owner = owner;
        this.everywhere = everywhere;
        this.everyNode = everyNode;
        this.any = any;
    }

    /** Whether the group's anti-affinity on the hostname repels a DaemonSet's pod, which every node runs, or that pod's terms repel it. */
    public boolean repelledOnEveryNode(int group) {
        return everyNode[group];
    }

    /** Whether the group's terms repel a DaemonSet's pods, which every zone with a node runs, or theirs repel it: it can go nowhere. */
    public boolean repelledEverywhere(int group) {
        return everywhere[group];
    }

    public static ZoneConflicts of(List<PodGroup> groups) {
        return of(groups, List.of());
    }

    /**
     * As {@link #of(List)}, with the pods of DaemonSets, which run on every node: a group whose
     * terms match one of them is repelled by every zone ({@link #repelledEverywhere}).
     */
    public static ZoneConflicts of(List<PodGroup> groups, List<Placement> everywhere) {
        return of(groups, everywhere, PodConflicts::isZone, true);
    }

    /**
     * The groups' required pod anti-affinity on the topology keys {@code onKey} accepts, whose
     * domains this class then stands for ({@link ClusterKeyRules}: keys every node carries alike);
     * {@code hostnameDaemonSets}: also mark the groups whose hostname terms repel a DaemonSet's pods.
     */
    public static ZoneConflicts of(List<PodGroup> groups, List<Placement> everywhere, java.util.function.Predicate<String> onKey,
                            boolean hostnameDaemonSets) {
        int n = groups.size();
        List<TreeSet<Integer>> sets = new ArrayList<>(n);
        for (int g = 0; g < n; g++) {
            sets.add(null);
        }
        boolean[] owner = new boolean[n];
        boolean[] everywhereRepels = new boolean[n];
        boolean[] everyNode = new boolean[n];
        boolean any = false;
        GroupLabelIndex index = null;
        for (int g = 0; g < n; g++) {
            Placement p = groups.get(g).placement();
            for (Placement.PodAffinityTerm term : p.antiAffinity()) {
                if (hostnameDaemonSets && PodConflicts.HOSTNAME.equals(term.topologyKey()) && everywhere.stream()
                        .anyMatch(ds -> PodConflicts.matches(term, p.namespace(), ds))) {
                    // Every node runs the DaemonSet's pod it repels: no node, hence no zone, admits it.
                    owner[g] = true;
                    any = true;
                    everywhereRepels[g] = true;
                    everyNode[g] = true;
                }
                if (!onKey.test(term.topologyKey())) {
                    continue;
                }
                index = index == null ? new GroupLabelIndex(groups) : index;
                owner[g] = true;
                any = true;
                for (Placement ds : everywhere) {
                    everywhereRepels[g] |= PodConflicts.matches(term, p.namespace(), ds);
                }
                for (int h : index.selected(term, p.namespace())) {
                    add(sets, g, h);
                    add(sets, h, g);
                }
            }
        }
        // The other direction: a DaemonSet's own anti-affinity terms, whose pods run on every node
        // (kube-scheduler checks existing pods' terms against the incoming pod too).
        for (Placement ds : everywhere) {
            for (Placement.PodAffinityTerm term : ds.antiAffinity()) {
                boolean hostname = hostnameDaemonSets && PodConflicts.HOSTNAME.equals(term.topologyKey());
                if (!hostname && !onKey.test(term.topologyKey())) {
                    continue;
                }
                for (int g = 0; g < n; g++) {
                    if (PodConflicts.matches(term, ds.namespace(), groups.get(g).placement())) {
                        owner[g] = true;
                        any = true;
                        everywhereRepels[g] = true;
                        everyNode[g] |= hostname;
                    }
                }
            }
        }
        int[][] repels = new int[n][];
        for (int g = 0; g < n; g++) {
            if (sets.get(g) != null) {
                repels[g] = sets.get(g).stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return new ZoneConflicts(repels, owner, everywhereRepels, everyNode, any);
    }

    private static void add(List<TreeSet<Integer>> sets, int a, int b) {
        if (sets.get(a) == null) {
            sets.set(a, new TreeSet<>());
        }
        sets.get(a).add(b);
    }

    /** Whether some group has such terms. */
    public boolean any() {
        return any;
    }

    /** Whether the group's own terms repel pods by zone. */
    public boolean owns(int group) {
        return owner[group];
    }

    /** The groups whose pods a pod of {@code group} may not share a zone with (itself when its replicas repel each other); null for none. */
    public int[] repels(int group) {
        return repels[group];
    }
}
