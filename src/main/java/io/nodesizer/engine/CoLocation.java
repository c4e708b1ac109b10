package io.nodesizer.engine;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * Required pod affinity on the hostname (co-location), as InterPodAffinity's filter applies it
 * ({@code satisfyPodAffinity}): a pod with required affinity terms may go only to a node that runs
 * a pod matching <em>all</em> of its terms — one of its target groups — unless no such pod runs
 * anywhere and the pod matches all of its own terms (the first of a series, which may go anywhere).
 * Terms that mix keys come down to their finest key ({@link PodConflicts#affinityKey}): a group
 * with a term on the hostname is constrained here, with the pods matching all of its terms as its
 * targets, whatever keys its other terms use.
 */
public final class CoLocation {
    /** Per group the groups whose pods match all of its terms; null when it has none (or terms on other keys). */
    private final int[][] targets;
    private final boolean[] selfMatch;
    private final boolean[] tracked;
    private final boolean any;

    private CoLocation(int[][] targets, boolean[] selfMatch, boolean[] tracked, boolean any) {
        this.targets = targets;
        this.selfMatch = selfMatch;
        this.tracked = tracked;
        this.any = any;
    }

    /** The co-location rules of these groups on the hostname. */
    public static CoLocation of(List<PodGroup> groups) {
        return of(groups, PodConflicts.HOSTNAME::equals);
    }

    /**
     * The groups' required pod affinity whose terms bind on a topology key {@code onKey} accepts
     * ({@link PodConflicts#affinityOn}: the hostname; or the zone, where "beside" means in the same
     * zone; or keys every node carries alike, where it means anywhere).
     */
    public static CoLocation of(List<PodGroup> groups, java.util.function.Predicate<String> onKey) {
        return of(groups, onKey, List.of());
    }

    /**
     * As {@link #of(List, java.util.function.Predicate)}, with the pods of DaemonSets, which run on
     * every node: a group whose terms a DaemonSet's pod satisfies finds a target beside it on every
     * node (as far as the DaemonSet runs on the shape, which its overhead already assumes) and is
     * not constrained.
     */
    public static CoLocation of(List<PodGroup> groups, java.util.function.Predicate<String> onKey, List<Placement> everywhere) {
        return where(groups, terms -> PodConflicts.affinityOn(terms, onKey), everywhere);
    }

    /**
     * As {@link #of(List, java.util.function.Predicate, List)}, for the groups whose affinity terms
     * {@code binds} accepts: a replay checks each key of terms that mix keys on its own (the
     * targets, matching all the terms, are the same for every key).
     */
    public static CoLocation where(List<PodGroup> groups, java.util.function.Predicate<List<Placement.PodAffinityTerm>> binds,
                                   List<Placement> everywhere) {
        int n = groups.size();
        int[][] targets = new int[n][];
        boolean[] selfMatch = new boolean[n];
        boolean[] tracked = new boolean[n];
        boolean any = false;
        GroupLabelIndex index = null;
        for (int g = 0; g < n; g++) {
            Placement p = groups.get(g).placement();
            if (p.affinity().isEmpty() || !binds.test(p.affinity())) {
                continue;
            }
            if (everywhere.stream().anyMatch(ds -> p.affinity().stream().allMatch(t -> PodConflicts.matches(t, p.namespace(), ds)))) {
                continue; // a DaemonSet's pod is beside it on every node
            }
            index = index == null ? new GroupLabelIndex(groups) : index;
            List<Integer> found = new ArrayList<>();
            for (int h : index.selected(p.affinity().get(0), p.namespace())) {
                boolean all = true;
                for (Placement.PodAffinityTerm t : p.affinity()) {
                    all &= PodConflicts.matches(t, p.namespace(), groups.get(h).placement());
                }
                if (all) {
                    found.add(h);
                    tracked[h] = true;
                    selfMatch[g] |= h == g;
                }
            }
            targets[g] = found.stream().mapToInt(Integer::intValue).toArray();
            any = true;
        }
        return new CoLocation(targets, selfMatch, tracked, any);
    }

    /** What {@link #of} finds for {@code n} groups none of which has required pod affinity, without looking. */
    static CoLocation none(int n) {
        return new CoLocation(new int[n][], new boolean[n], new boolean[n], false);
    }

    /** Whether some group is constrained. */
    public boolean any() {
        return any;
    }

    /** Whether the group's pods need a target beside them. */
    public boolean constrains(int group) {
        return targets[group] != null;
    }

    /** The groups whose pods satisfy the group's terms. */
    public int[] targets(int group) {
        return targets[group];
    }

    /** Whether the group's pods match all of their own terms (the first of a series may go anywhere). */
    public boolean selfMatch(int group) {
        return selfMatch[group];
    }

    /** Whether the group's pods are some group's targets: placing one may let pending pods beside it. */
    public boolean isTarget(int group) {
        return tracked[group];
    }

    /** Which groups' pods must be counted: every target of some group. */
    public boolean[] tracked() {
        return tracked.clone();
    }

    /**
     * Whether a pod of {@code group} may go on a node: with {@code onNode} target pods there, and
     * {@code anywhere} target pods running in the whole cluster (what-if placements included).
     */
    public boolean admits(int group, int onNode, int anywhere) {
        return targets[group] == null || onNode > 0 || anywhere == 0 && selfMatch[group];
    }

    /** The group's target pods on a node, as {@code counts} has them. */
    public int targetsOn(int group, int node, GroupCounts counts) {
        int n = 0;
        for (int h : targets[group]) {
            n += counts.onNode(node, h);
        }
        return n;
    }

    /** The group's target pods anywhere, as {@code counts} has them (one zone: its zone count is the total). */
    public int targetsAnywhere(int group, GroupCounts counts) {
        int n = 0;
        for (int h : targets[group]) {
            n += counts.inZone(0, h);
        }
        return n;
    }
}
