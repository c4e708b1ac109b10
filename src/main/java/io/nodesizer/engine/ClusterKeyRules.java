package io.nodesizer.engine;

import io.nodesizer.kube.NodeLabels;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Required pod affinity and anti-affinity on a topology key other than the hostname and the zone
 * ({@link PodConflicts#isClusterKey}: the instance type, the architecture, the region, a node
 * group's or a user's label), as InterPodAffinity's filter applies it to one packing. Every node
 * of one shape carries the same value of such a key, so the whole cluster is one domain:
 * <ul>
 * <li>anti-affinity: while a pod runs anywhere that the terms match (or whose terms match the
 * pod), no node admits it; a workload whose terms select itself runs one pod. On a key the shape
 * does not carry, the term binds nothing: the scheduler lets a node without the key pass.</li>
 * <li>affinity: a pod the terms select runs anywhere, or none does and the pod matches its own
 * terms (the first of a series). On a key the shape does not carry, no node passes: the
 * scheduler requires every term's key on the node — also for terms that mix such a key with the
 * hostname or the zone, which then decide where the pod goes ({@link PodConflicts#affinityKey}).</li>
 * <li>topology spread with {@code whenUnsatisfiable: DoNotSchedule}: one domain has no skew, so it
 * binds nothing, unless its minDomains is above 1: then the fewest counts as 0 and the cluster holds
 * at most maxSkew of its pods ({@link DemandTable#domainCap()}, placed by {@link RulePacking}); on a
 * key the shape does not carry, no node passes (PodTopologySpread's filter rejects a node without the key).</li>
 * </ul>
 * The region and the node group labels ({@link NodeMatching#PER_NODE}, {@link
 * NodeMatching#POOL_LABELS}) count as carried: a managed node has them.
 */
public final class ClusterKeyRules {
    private final ZoneConflicts conflicts;
    private final CoLocation co;
    /** Per group, a key of its required affinity that no node carries; null for the others. */
    private final String[] uncarried;
    /** Per group, a key of its hard topology spread that no node carries; null for the others. */
    private final String[] uncarriedSpread;
    /** Per group, the key of its first term on such a key, for the reasons. */
    private final String[] keyOf;

    /** Per group, whether it has terms of its own on such keys, or a DaemonSet's terms select it. */
    private final boolean[] owns;

    private ClusterKeyRules(ZoneConflicts conflicts, CoLocation co, String[] uncarried, String[] uncarriedSpread, String[] keyOf,
                            boolean[] owns) {
        this.owns = owns;
        this.conflicts = conflicts;
        this.co = co;
        this.uncarried = uncarried;
        this.uncarriedSpread = uncarriedSpread;
        this.keyOf = keyOf;
    }

    /**
     * Per group, whether it has required pod (anti-)affinity terms or a hard spread on such keys,
     * or a DaemonSet's anti-affinity terms on such a key select it ({@code everywhere}: the
     * DaemonSets' pods); null when none has.
     */
    static boolean[] owners(List<PodGroup> groups, List<Placement> everywhere) {
        boolean[] own = new boolean[groups.size()];
        boolean any = false;
        for (int g = 0; g < own.length; g++) {
            Placement p = groups.get(g).placement();
            for (Placement ds : everywhere) {
                own[g] |= ds.antiAffinity().stream().anyMatch(t -> PodConflicts.isClusterKey(t.topologyKey())
                        && PodConflicts.matches(t, ds.namespace(), p));
            }
            own[g] |= p.antiAffinity().stream().anyMatch(t -> PodConflicts.isClusterKey(t.topologyKey()))
                    || p.affinity().stream().anyMatch(t -> PodConflicts.isClusterKey(t.topologyKey())) // mixed keys too: the key must be on the node
                    || p.spread().stream().anyMatch(s -> s.hard() && PodConflicts.isClusterKey(s.term().topologyKey()));
            any |= own[g];
        }
        return any ? own : null;
    }

    /** The keys other than the hostname and the zone that the groups' (and DaemonSets') pod rules use. */
    static java.util.Set<String> keysUsed(List<PodGroup> groups, List<Placement> everywhere) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        java.util.function.Consumer<Placement> add = p -> {
            java.util.stream.Stream.concat(p.antiAffinity().stream(), p.affinity().stream()).map(Placement.PodAffinityTerm::topologyKey)
                    .filter(PodConflicts::isClusterKey).forEach(keys::add);
            p.spread().stream().map(s -> s.term().topologyKey()).filter(PodConflicts::isClusterKey).forEach(keys::add);
        };
        groups.forEach(g -> add.accept(g.placement()));
        everywhere.forEach(add);
        return keys;
    }

    /**
     * The rules of {@code table}'s groups on nodes of {@code shape}; null when no group has such
     * terms. They depend on the shape only through which of the keys it carries, so the table keeps
     * them per such set: a packing asks several times, and the shapes of a sweep share them.
     */
    public static ClusterKeyRules of(DemandTable table, NodeShape shape) {
        if (table.clusterKeyOwners() == null) {
            return null;
        }
        Map<String, String> labels = NodeLabels.of(shape);
        java.util.Set<String> carried = new java.util.TreeSet<>();
        for (String key : table.clusterKeys()) {
            if (NodeLabels.topologyValue(labels, key, shape.name()) != null) {
                carried.add(key);
            }
        }
        return table.clusterKeyRules(carried, () -> build(table, carried::contains));
    }

    /** The rules with every such key carried by every node (one domain): which groups their terms relate. */
    static ClusterKeyRules everywhere(DemandTable table) {
        return build(table, k -> true);
    }

    /** The rules with the keys {@code carried} accepts carried by every node (one domain), the others by none. */
    private static ClusterKeyRules build(DemandTable table, java.util.function.Predicate<String> carried) {
        List<PodGroup> groups = table.groups();
        ZoneConflicts conflicts = ZoneConflicts.of(groups, table.daemonSetPods(), carried, false);
        CoLocation co = CoLocation.of(groups, PodConflicts::isClusterKey, table.daemonSetPods());
        String[] uncarried = new String[groups.size()];
        String[] keyOf = new String[groups.size()];
        String[] uncarriedSpread = new String[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            Placement p = groups.get(g).placement();
            for (Placement.Spread s : p.spread()) {
                if (s.hard() && PodConflicts.isClusterKey(s.term().topologyKey()) && !carried.test(s.term().topologyKey())) {
                    uncarriedSpread[g] = s.term().topologyKey();
                }
            }
            for (Placement.PodAffinityTerm t : p.antiAffinity()) {
                if (keyOf[g] == null && carried.test(t.topologyKey())) {
                    keyOf[g] = t.topologyKey();
                }
            }
            for (Placement ds : table.daemonSetPods()) {
                for (Placement.PodAffinityTerm t : ds.antiAffinity()) {
                    if (keyOf[g] == null && carried.test(t.topologyKey()) && PodConflicts.matches(t, ds.namespace(), p)) {
                        keyOf[g] = t.topologyKey();
                    }
                }
            }
            // Every term's key must be on the node, also where a finer key of terms that mix keys
            // decides (CoLocation on the hostname or the zone): a term on a key the shape does not
            // carry admits no node.
            for (Placement.PodAffinityTerm t : p.affinity()) {
                if (PodConflicts.isClusterKey(t.topologyKey())) {
                    keyOf[g] = keyOf[g] == null ? t.topologyKey() : keyOf[g];
                    if (!carried.test(t.topologyKey())) {
                        uncarried[g] = t.topologyKey();
                    }
                }
            }
        }
        return new ClusterKeyRules(conflicts, co, uncarried, uncarriedSpread, keyOf, table.clusterKeyOwners());
    }

    /** The anti-affinity on carried keys: per group the groups it may not share the cluster with. */
    public ZoneConflicts conflicts() {
        return conflicts;
    }

    /** The affinity whose terms are all on such keys. */
    public CoLocation coLocation() {
        return co;
    }

    /** Whether a rule here applies to the group (its own terms, or it is repelled by another's). */
    public boolean applies(int group) {
        return conflicts.repels(group) != null || conflicts.repelledEverywhere(group) || co.constrains(group) || uncarried[group] != null
                || uncarriedSpread[group] != null;
    }

    /**
     * Whether a rule here can leave a pod of the group out, so that the packing places it after the
     * rest: its own terms bind (they select pods, on a key the shape carries; or an affinity or
     * spread names a key it does not), or a DaemonSet's terms repel it. A group merely repelled by
     * another's terms is placed with the rest: the other one is then checked against it.
     */
    public boolean appliesOwn(int group) {
        return owns[group] && applies(group);
    }

    /** Whether some group's rules here can leave its pods out ({@link #appliesOwn}). */
    public boolean anyApplies() {
        for (int g = 0; g < owns.length; g++) {
            if (appliesOwn(g)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the group's own anti-affinity terms repel its own pods here: one pod runs at a time. */
    public boolean oneInCluster(int group) {
        int[] r = conflicts.repels(group);
        return r != null && java.util.Arrays.binarySearch(r, group) >= 0;
    }

    /** Whether the group's required affinity or hard spread names a key no node carries: no node ever admits it. */
    public boolean uncarried(int group) {
        return uncarried[group] != null || uncarriedSpread[group] != null;
    }

    /** Whether a pod of {@code group} may go on any node, with {@code placed} saying which groups have pods placed anywhere. */
    public boolean admits(int group, IntPredicate placed) {
        if (uncarried[group] != null || uncarriedSpread[group] != null || conflicts.repelledEverywhere(group)) {
            return false;
        }
        int[] repels = conflicts.repels(group);
        if (repels != null) {
            for (int h : repels) {
                if (placed.test(h)) {
                    return false;
                }
            }
        }
        if (co.constrains(group)) {
            for (int h : co.targets(group)) {
                if (placed.test(h)) {
                    return true;
                }
            }
            return co.selfMatch(group); // none placed: the first of a series, if it matches its own terms
        }
        return true;
    }

    /** Why no node admits a pod of {@code group} now ({@link #admits} is false), naming groups with {@code names}. */
    public String reason(int group, IntPredicate placed, java.util.function.Function<int[], String> names, NodeShape shape) {
        String key = keyOf[group];
        if (uncarriedSpread[group] != null) {
            return "topology spread (DoNotSchedule) on topology key " + uncarriedSpread[group] + ": no node of " + shape.name()
                    + " carries that label, and kube-scheduler's PodTopologySpread filter rejects a node without it; it keeps it Pending";
        }
        if (uncarried[group] != null) {
            return "required pod affinity on topology key " + uncarried[group] + ": no node of " + shape.name() + " carries that label, "
                    + "and kube-scheduler admits a pod only on a node with every key of its terms; it keeps it Pending";
        }
        if (conflicts.repelledEverywhere(group)) {
            return "required pod anti-affinity on topology key " + key + " keeps it from a DaemonSet's pods (its terms or theirs), which run on every node, and every "
                    + "node of " + shape.name() + " carries the same " + key + "; kube-scheduler keeps it Pending";
        }
        int[] repels = conflicts.repels(group);
        if (repels != null) {
            for (int h : repels) {
                if (placed.test(h)) {
                    return "required pod anti-affinity on topology key " + key + ": every node of " + shape.name() + " carries the same "
                            + key + ", so the whole cluster is one domain, and it runs a pod it repels or that repels it ("
                            + names.apply(repels) + "); kube-scheduler keeps it Pending, and no new node would take it";
                }
            }
        }
        String targets = names.apply(co.targets(group));
        return "required pod affinity on topology key " + key + ": " + (targets.isEmpty() ? "no pod of the workload matches its terms"
                : "no pod its terms select (" + targets + ") is placed") + (co.selfMatch(group) ? "" : " and it does not match them itself")
                + ", so kube-scheduler keeps it Pending";
    }
}
