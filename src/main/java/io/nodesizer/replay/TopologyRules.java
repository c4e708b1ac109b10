package io.nodesizer.replay;

import io.nodesizer.engine.CoLocation;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.ZoneConflicts;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.kube.PodConflicts;

import java.util.Arrays;
import java.util.List;

/**
 * The scheduler's filters that depend on the topology domain of a node and on the pods running in
 * each domain — its zone, or the value of another key its pool's nodes carry — as kube-scheduler
 * applies them:
 * <ul>
 *   <li>hard topology spread over zones (PodTopologySpread with {@code whenUnsatisfiable:
 *   DoNotSchedule}): a pod of group g may go to zone z while
 *   {@code running(g, z) + 1 − min over its domains d of running(g, d) ≤ maxSkew(g)}, where the
 *   domains are the zones with a ready node of a pool its spread's node inclusion policies keep
 *   ({@link SpreadPools}: by default the pools its node affinity admits, tainted or not), and the fewest counts as
 *   0 while there are fewer domains than its {@code minDomains};</li>
 *   <li>required pod anti-affinity on the zone (InterPodAffinity): no pod of a group it repels, or
 *   that repels it, runs in the zone ({@link ZoneConflicts});</li>
 *   <li>required pod affinity on the zone: a pod its terms match runs in the zone, unless none
 *   runs anywhere and the pod matches its own terms ({@link CoLocation}, zone-keyed);</li>
 *   <li>a node selector or required node affinity on the zone label, when the zones have names:
 *   only the zones it admits (per pool, since a term may combine the zone with pool labels);</li>
 *   <li>terms that repel a DaemonSet's pods, which every node runs: no node at all;</li>
 *   <li>required pod affinity and anti-affinity, and hard topology spreads, on other keys, by the
 *   domains of the pools' label values ({@link KeyDomains}).</li>
 * </ul>
 * Counts are flat int arrays at {@code [group * zones + zone]}, kept only for the groups some rule
 * counts; the filter allocates nothing. With one zone (no {@code --zones}) the whole cluster is
 * one zone: a spread there binds only with minDomains above 1 (at most maxSkew pods in the zone), the pod rules do.
 */
final class TopologyRules {
    private final int zones;
    private final int poolCount;
    /** Per group its maxSkew over zones, 0 for a group without a zone spread (all 0 with one zone). */
    private final int[] skew;
    /** Per group the minDomains of its zone spread (1 when unset). */
    private final int[] minDomains;
    /** Per group, whether some rule applies to its pods. */
    private final boolean[] constrained;
    /** Per group, whether a rule other than the spread applies (pod (anti-)affinity on the zone, a zone selector). */
    private final boolean[] bound;
    private final boolean anyBound;
    /** Per group, whether its running pods are counted per zone. */
    private final boolean[] counted;
    /** Per group, why no node admits it (its terms repel a DaemonSet's pods, or theirs it), or null when some may. */
    private final String[] never;
    /** Per (group, pool), at {@code group * pools + pool}, the zones it admits as bits (all for an unpinned group). */
    private final long[] zoneMask;
    /**
     * Per group, whether a hard spread of it over the zones has {@code nodeAffinityPolicy: Ignore}:
     * its domains are then the zones with a ready node of a domain pool, whether or not its own
     * node selector admits the zone (podtopologyspread filtering.go skips only the nodes that fail
     * the inclusion policies), not only those {@link #zoneMask} admits.
     */
    private final boolean[] everyZone;
    /** Zone anti-affinity; null when no group has it. */
    private final ZoneConflicts conflicts;
    /** Zone affinity; null when no group has it. */
    private final CoLocation coLocation;
    /** Per group, whether a pod of it leaving a zone may let pending pods of other groups in (it repels some, or is a target). */
    private final boolean[] unblocks;
    private final int[] running;
    private final int[] domainNodes;
    /** Per pool, the spread groups that may use its nodes (their domains grow and shrink with its ready nodes). */
    private final int[][] groupsOnPool;
    /** Pod (anti-)affinity on other keys, counted after the zone counts; null when no group has such terms. */
    private final KeyDomains keys;
    private final List<Pool> pools;
    /**
     * Hard spreads over the zones whose selector also selects other workloads' pods (the engine's
     * {@link io.nodesizer.engine.SharedSpreads}: a canary counted with its stable pods), checked
     * over the running pods of every group they select; null when none is.
     */
    private final io.nodesizer.engine.SharedSpreads shared;
    /** Per group, whether its pods are counted by a shared spread over the zones. */
    private final boolean[] sharedMember;
    /** Per group and shared zone entry (index / 4), the member groups counted whole: those that run only on the spread's domain pools. */
    private final int[][][] sharedMembers;
    /**
     * Per group and shared zone entry (index / 4), the member groups that may run both on the
     * spread's domain pools and on others (null: none): kube-scheduler counts only their pods on
     * domain nodes, so these are counted per pool ({@link #poolBase}).
     */
    private final int[][][] sharedPartial;
    /** Per group with a spread over the zones, per pool whether its nodes are domains of it (null: none). */
    private final boolean[][] domainPools;
    /**
     * Where the running pods per (group, pool, zone) start in {@link #running}, at
     * {@code poolBase + (group * pools + pool) * zones + zone}, kept for the groups in some
     * {@link #sharedPartial} list; -1 when none is. A what-if move whose pool is not chosen yet
     * (-1) is in the group's zone count only: it counts as on a domain pool.
     */
    private final int poolBase;
    private final boolean[] poolCounted;

    private TopologyRules(int zones, int poolCount, int[] skew, int[] minDomains, boolean[] constrained, boolean[] counted, String[] never,
                      long[] zoneMask, ZoneConflicts conflicts, CoLocation coLocation, boolean[] unblocks, int[][] groupsOnPool,
                          KeyDomains keys, List<Pool> pools, io.nodesizer.engine.SharedSpreads shared, boolean[] sharedMember,
                          int[][][] sharedMembers, int[][][] sharedPartial, boolean[][] domainPools, boolean[] everyZone) {
        this.everyZone = everyZone;
        this.shared = shared;
        this.sharedMembers = sharedMembers;
        this.sharedPartial = sharedPartial;
        this.domainPools = domainPools;
        this.sharedMember = sharedMember;
        this.zones = zones;
        this.poolCount = poolCount;
        this.skew = skew;
        this.minDomains = minDomains;
        this.constrained = constrained;
        this.counted = counted;
        this.never = never;
        this.zoneMask = zoneMask;
        this.conflicts = conflicts;
        this.coLocation = coLocation;
        this.unblocks = unblocks;
        this.keys = keys;
        this.pools = pools;
        this.poolCounted = new boolean[skew.length];
        boolean anyPartial = false;
        for (int g = 0; sharedPartial != null && g < skew.length; g++) {
            for (int i = 0; sharedPartial[g] != null && i < sharedPartial[g].length; i++) {
                for (int h : sharedPartial[g][i]) {
                    poolCounted[h] = true;
                    anyPartial = true;
                }
            }
        }
        int base = skew.length * zones + (keys == null ? 0 : keys.size());
        this.poolBase = anyPartial ? base : -1;
        this.running = new int[base + (anyPartial ? skew.length * poolCount * zones : 0)];
        // The zones' ready nodes per group, then those of the spreads on other keys (KeyDomains).
        this.domainNodes = new int[skew.length * zones + (keys == null ? 0 : keys.readySize())];
        this.groupsOnPool = groupsOnPool;
        this.bound = new boolean[skew.length];
        boolean any = false;
        for (int g = 0; g < skew.length; g++) {
            bound[g] = constrained[g] && (never[g] != null || zoneMask(g) != (zones == 64 ? -1L : (1L << zones) - 1) || coLocation != null
                    && coLocation.constrains(g) || conflicts != null && conflicts.repels(g) != null || keys != null && keys.constrains(g));
            any |= bound[g];
        }
        this.anyBound = any;
    }

    /**
     * The zone rules of {@code table}'s groups over {@code zones} zones ({@code zoneNames}: their
     * label values, or null when they are only counted and a zone requirement is taken as met), or
     * null when no rule applies.
     */
    static TopologyRules of(DemandTable table, List<Pool> pools, int zones, List<String> zoneNames) {
        return of(table, pools, zones, zoneNames, null);
    }

    /**
     * As above, with the running pods of the groups {@code alsoCounted} marks (null: none) counted per zone too, though no
     * rule here reads them: an autoscaler's own simulation does (Karpenter's preferred pod affinity and anti-affinity on the
     * zone, which kube-scheduler's filters ignore: {@link #count}). With it (even none marked) rules are kept, if only to
     * count them: that simulation asks what-if moves per zone of them.
     */
    static TopologyRules of(DemandTable table, List<Pool> pools, int zones, List<String> zoneNames, boolean[] alsoCounted) {
        int n = table.groupCount();
        io.nodesizer.engine.SharedSpreads shared = zones < 2 ? null : io.nodesizer.engine.SharedSpreads.of(table.groups(), zones);
        shared = shared == null || shared.zoneCounters() == 0 ? null : shared;
        // A shared spread is counted over every pod it selects (below), not as its workload's own count.
        // With one zone a spread over it binds only under minDomains above 1: the fewest counts as 0, so the zone holds at most
        // maxSkew of the pods (PodConflicts.oneDomainCap; QA 51a F1: six ran where one may). The spread's own filter does that.
        int[] spreadSkew = zones < 2 ? PodConflicts.oneDomainCap(table.groups(), true, false) : shared == null ? PodConflicts.zoneSkew(table.groups())
                : PodConflicts.ownZoneSkew(table.groups(), shared::isShared);
        ZoneConflicts zc = table.zoneConflicts();
        CoLocation co = table.zoneCoLocation();
        boolean[] pinned = zoneNames == null ? null : pinned(table, zoneNames);
        KeyDomains keys = KeyDomains.of(table, pools, n * zones);
        boolean extra = alsoCounted != null;
        if (spreadSkew == null && shared == null && !zc.any() && !co.any() && pinned == null && keys == null && !extra) {
            return null;
        }
        int[] skew = spreadSkew == null ? new int[n] : spreadSkew;
        int[] minDomains = PodConflicts.zoneMinDomains(table.groups());
        boolean[] constrained = new boolean[n];
        boolean[] counted = new boolean[n];
        String[] never = new String[n];
        boolean[] unblocks = new boolean[n];
        long all = zones == 64 ? -1L : (1L << zones) - 1;
        long[] zoneMask = new long[n * pools.size()];
        Arrays.fill(zoneMask, all);
        boolean[] sharedMember = new boolean[n];
        for (int g = 0; g < n; g++) {
            if (skew[g] > 0) {
                constrained[g] = counted[g] = true;
            }
            counted[g] |= extra && alsoCounted[g]; // counted, and constrained by nothing here
            int[] e = shared == null ? null : shared.zone(g);
            for (int i = 0; e != null && i < e.length; i += 4) {
                constrained[g] |= e[i + 1] > 0;
                if (e[i + 2] == 1) {
                    // Its pods raise a shared count: arriving (the fewest zone may rise) or leaving, they may let a spreading pod in.
                    counted[g] = sharedMember[g] = unblocks[g] = true;
                }
            }
            if (zc.any() && (zc.repels(g) != null || zc.repelledEverywhere(g))) {
                constrained[g] = true;
                if (zc.repelledEverywhere(g)) {
                    String which = PodConflicts.daemonSetRepelling(table.group(g).placement(), table.daemonSets(), k -> true);
                    never[g] = "required pod anti-affinity keeps it from a DaemonSet's pods (its terms or theirs" + (which == null ? "" : ": " + which)
                            + "), which run on every node; kube-scheduler keeps it Pending, and a new node would run that pod too";
                }
                for (int h : zc.repels(g) == null ? new int[0] : zc.repels(g)) {
                    counted[h] = true;
                    unblocks[h] = true;
                }
            }
            if (co.any() && co.constrains(g)) {
                constrained[g] = true;
                for (int h : co.targets(g)) {
                    counted[h] = true;
                    unblocks[h] = true; // the last target leaving lets a self-matching pod start a series anywhere
                }
            }
            if (keys != null && keys.constrains(g)) {
                constrained[g] = true; // what its pods unblock, KeyDomains says (see unblocks)
            }
            if (pinned != null && pinned[g]) {
                constrained[g] = true;
                for (Pool p : pools) {
                    long mask = 0;
                    for (int z = 0; z < zones; z++) {
                        if (NodeMatching.inZone(table.group(g).placement(), p.shape(), p.labels(), zoneNames.get(z)) == null) {
                            mask |= 1L << z;
                        }
                    }
                    zoneMask[g * pools.size() + p.index()] = mask;
                }
            }
        }
        // A zone is a domain of a group's spread where a ready node of a pool its node inclusion
        // policies keep runs (by default: its node affinity admits the pool, taints aside).
        boolean[][] domainPools = new boolean[n][];
        for (int g = 0; g < n; g++) {
            if (skew[g] > 0 || shared != null && shared.constrainedOnZone(g)) {
                domainPools[g] = SpreadPools.domains(table.group(g), SpreadPools.zoneSpread(table.group(g)), pools);
            }
        }
        // Per group and shared zone entry, the member groups whose pods run on a pool that is one of
        // the spread's domains: kube-scheduler counts only pods on domain nodes, so a member pinned
        // to pools the spreading pod's node affinity excludes counts for nothing, and a member that
        // may use both kinds of pool counts its pods on the domain pools (counted per pool).
        int[][][] sharedMembers = shared == null ? null : new int[n][][];
        int[][][] sharedPartial = shared == null ? null : new int[n][][];
        for (int g = 0; sharedMembers != null && g < n; g++) {
            int[] e = shared.zone(g);
            if (e == null || domainPools[g] == null) {
                continue;
            }
            sharedMembers[g] = new int[e.length / 4][];
            sharedPartial[g] = new int[e.length / 4][];
            for (int i = 0; i < e.length; i += 4) {
                int[] selected = shared.zoneMembers(e[i]);
                int[] kept = new int[selected.length];
                int[] partial = new int[selected.length];
                int k = 0;
                int kp = 0;
                for (int h : selected) {
                    boolean onDomain = false;
                    boolean offDomain = false;
                    for (Pool p : pools) {
                        boolean allows = p.allows(table.group(h));
                        onDomain |= domainPools[g][p.index()] && allows;
                        offDomain |= !domainPools[g][p.index()] && allows;
                    }
                    if (onDomain && offDomain) {
                        partial[kp++] = h;
                    } else if (onDomain) {
                        kept[k++] = h;
                    }
                }
                sharedMembers[g][i / 4] = Arrays.copyOf(kept, k);
                sharedPartial[g][i / 4] = Arrays.copyOf(partial, kp);
            }
        }
        boolean[] everyZone = new boolean[n];
        for (int g = 0; g < n; g++) {
            for (io.nodesizer.model.Placement.Spread sp : table.group(g).placement().spread()) {
                everyZone[g] |= sp.hard() && PodConflicts.isZone(sp.term().topologyKey()) && !sp.honorsNodeAffinity();
            }
        }
        int[][] groupsOnPool = new int[pools.size()][];
        for (Pool p : pools) {
            int[] gs = new int[n];
            int k = 0;
            for (int g = 0; g < n; g++) {
                if (domainPools[g] != null && domainPools[g][p.index()]) {
                    gs[k++] = g;
                }
            }
            groupsOnPool[p.index()] = Arrays.copyOf(gs, k);
        }
        return new TopologyRules(zones, pools.size(), skew, minDomains, constrained, counted, never, zoneMask,
                zc.any() ? zc : null, co.any() ? co : null, unblocks, groupsOnPool, keys, List.copyOf(pools), shared, sharedMember,
                sharedMembers, sharedPartial, domainPools, everyZone);
    }

    /** Per group whether its node selector or required node affinity names a zone (or the zones' region); null when none does. */
    private static boolean[] pinned(DemandTable table, List<String> zoneNames) {
        boolean[] p = new boolean[table.groupCount()];
        boolean any = false;
        for (int g = 0; g < p.length; g++) {
            p[g] = NodeMatching.namesZone(table.group(g).placement(), zoneNames);
            any |= p[g];
        }
        return any ? p : null;
    }

    /** Whether some rule here applies to the group's pods. */
    boolean constrains(int group) {
        return constrained[group];
    }

    /** Whether a rule other than a spread applies to the group: a new node in a zone it does not admit never takes it. */
    boolean bound(int group) {
        return bound[group];
    }

    /** Whether the group has pod rules on keys whose domains are the pools' label values ({@link KeyDomains}). */
    boolean poolBound(int group) {
        return keys != null && keys.constrains(group);
    }

    /**
     * The pass in which a drain evicts a pod of {@code group} (and the what-if moves place it):
     * 0 for the targets of pod affinity on the zone or another key, 1 for the other bound pods,
     * 2 for the rest. Targets go first so that the pods that follow them find them placed; bound
     * pods before the rest so that the others, which may go anywhere, do not take their room.
     */
    int evictionPass(int group) {
        return isTarget(group) ? 0 : bound[group] ? 1 : 2;
    }

    /** Whether some group is {@link #bound}. */
    boolean anyBound() {
        return anyBound;
    }

    /** The zones the group's selectors admit on some pool, as bits. */
    private long zoneMask(int group) {
        long m = 0;
        for (int p = 0; p < poolCount; p++) {
            m |= zoneMask[group * poolCount + p];
        }
        return m;
    }

    /** Whether {@code group} spreads over zones (counting its own pods, or a shared spread's), or over another key's values. */
    boolean spreads(int group) {
        return skew[group] > 0 || shared != null && shared.constrainedOnZone(group) || keys != null && keys.spreads(group);
    }

    /**
     * Why no node of any pool, in any zone, ever admits the group's pods, or null: its required
     * anti-affinity selects a DaemonSet's pods (every node runs one), or its node selector or
     * required node affinity admits none of the zones.
     */
    String neverAdmitted(int group, List<String> zoneNames) {
        if (never[group] != null) {
            return never[group];
        }
        // A pool admits it when some zone does and the rules on other keys do: both on the same pool.
        String first = null;
        for (int p = 0; p < poolCount; p++) {
            String onKeys = keys == null ? null : keys.whyNotOn(group, p);
            String why = onKeys != null ? onKeys : zoneMask[group * poolCount + p] == 0
                    ? "its node selector or required node affinity admits none of the zones (" + String.join(", ", zoneNames)
                    + "); kube-scheduler keeps it Pending" : null;
            if (why == null) {
                return null;
            }
            first = first == null ? why : first;
        }
        return first;
    }

    /** Whether a pod of {@code group} leaving a zone may let pending pods of another group in. */
    boolean unblocks(int group) {
        return unblocks[group] || keys != null && keys.unblocks(group);
    }

    /** Whether some group's pod affinity (on the zone or another key) targets other pods. */
    boolean anyTarget() {
        return coLocation != null || keys != null && keys.anyAffinity() || shared != null;
    }

    /** Whether a pod of {@code group} starting in a zone may let pending pods of another group in (a zone affinity target). */
    boolean isTarget(int group) {
        return coLocation != null && coLocation.isTarget(group) || keys != null && keys.isTarget(group)
                || sharedMember != null && sharedMember[group];
    }

    /** A pod of {@code group} starts ({@code delta} 1) or stops (-1) running on a node of {@code pool} in {@code zone}. */
    void podMoved(int group, int pool, int zone, int delta) {
        move(running, group, pool, zone, delta);
    }

    /**
     * Records in {@code counts} (the running counts, or what-if moves from {@link #newMoves()})
     * that a pod of {@code group} starts ({@code delta} 1) or stops (-1) running on a node of
     * {@code pool} (-1: not known yet; the other keys' domains are then not counted) in {@code zone}.
     */
    void move(int[] counts, int group, int pool, int zone, int delta) {
        if (counted[group]) {
            counts[group * zones + zone] += delta;
        }
        if (poolBase >= 0 && pool >= 0 && poolCounted[group]) {
            counts[poolBase + (group * poolCount + pool) * zones + zone] += delta;
        }
        if (keys != null) {
            keys.move(counts, group, pool, delta);
        }
    }

    /** A node of {@code pool} in {@code zone} became ready ({@code delta} 1) or stopped being ready (-1). */
    void nodeReady(int pool, int zone, int delta) {
        for (int g : groupsOnPool[pool]) {
            if (everyZone[g] || (zoneMask[g * poolCount + pool] >>> zone & 1) != 0) {
                domainNodes[g * zones + zone] += delta; // nodeAffinityPolicy Honor: only zones its affinity admits are domains
            }
        }
        if (keys != null) {
            keys.nodeReady(domainNodes, skew.length * zones, pool, delta);
        }
    }

    /**
     * Whether a pod of {@code group} may go to a node of {@code pool} in {@code zone}. The zone
     * itself counts as a domain of its spread: it is one for a ready node of a pool the group may
     * use, and a provisioning node's zone becomes one when the node is ready, so the autoscalers
     * ask the same question of it.
     */
    boolean admits(int group, int pool, int zone) {
        return admits(group, pool, zone, null);
    }

    /**
     * As {@link #admits(int, int, int)}, with the running counts changed by {@code moved} (same
     * layout; null for none): an autoscaler's what-if placements and the pods they would move away.
     */
    boolean admits(int group, int pool, int zone, int[] moved) {
        return admits(group, pool, zone, moved, false);
    }

    /**
     * As {@link #admits(int, int, int, int[])}; with {@code claim}, as Karpenter's scheduler asks it of a new NodeClaim: the
     * domains of a spread over the zones are every zone its pods' node affinity admits, with or without a ready node
     * (topology.go: a TopologyGroup's domains are the universe of the key's values the NodePools offer, filtered by the
     * pod's requirements, {@code domainMinCount}), where kube-scheduler takes only the zones with a ready node.
     */
    boolean admits(int group, int pool, int zone, int[] moved, boolean claim) {
        if (!constrained[group]) {
            return true;
        }
        if (never[group] != null || (zoneMask[group * poolCount + pool] >>> zone & 1) == 0) {
            return false;
        }
        if (keys != null && !keys.admits(group, pool, running, moved, domainNodes, skew.length * zones)) {
            return false;
        }
        if (conflicts != null && conflicts.repels(group) != null) {
            for (int h : conflicts.repels(group)) {
                if (running(h * zones + zone, moved) > 0) {
                    return false;
                }
            }
        }
        if (coLocation != null && coLocation.constrains(group)) {
            int here = 0;
            int anywhere = 0;
            for (int h : coLocation.targets(group)) {
                for (int z = 0; z < zones; z++) {
                    int c = running(h * zones + z, moved);
                    anywhere += c;
                    here += z == zone ? c : 0;
                }
            }
            if (!coLocation.admits(group, here, anywhere)) {
                return false;
            }
        }
        if (shared != null && !sharedAdmits(group, zone, moved)) {
            return false;
        }
        int s = skew[group];
        if (s == 0) {
            return true;
        }
        int b = group * zones;
        int own = running(b + zone, moved);
        int min = own;
        int domains = 0;
        long claimDomains = claim ? everyZone[group] ? -1L : zoneMask(group) : 0;
        for (int z = 0; z < zones; z++) {
            if (claim ? (claimDomains >>> z & 1) != 0 : domainNodes[b + z] > 0) {
                domains++;
                min = Math.min(min, running(b + z, moved));
            }
        }
        if (domains < minDomains[group]) {
            min = 0; // fewer eligible domains than minDomains: the scheduler takes the fewest as 0
        }
        return own + 1 - min <= s;
    }

    /**
     * The group's shared spreads over the zones: kube-scheduler's PodTopologySpread filter with the
     * counts of every pod each selector matches — {@code matched(zone) + selfMatch − fewest ≤
     * maxSkew}, the fewest over the group's domains (the zones with a ready node it may use, and
     * this one), 0 while there are fewer than its minDomains.
     */
    private boolean sharedAdmits(int group, int zone, int[] moved) {
        int[] e = shared.zone(group);
        int b = group * zones;
        for (int i = 0; e != null && i < e.length; i += 4) {
            if (e[i + 1] == 0) {
                continue; // counted here, not checked: the group has no such spread of its own
            }
            int[] members = sharedMembers[group][i / 4];
            int[] partial = sharedPartial[group][i / 4];
            boolean[] onDomain = domainPools[group];
            int here = matched(members, zone, moved) + matchedOnDomains(partial, onDomain, zone, moved);
            int min = here;
            int domains = 0;
            for (int z = 0; z < zones; z++) {
                if (domainNodes[b + z] > 0) {
                    domains++;
                    min = z == zone ? min : Math.min(min, matched(members, z, moved) + matchedOnDomains(partial, onDomain, z, moved));
                }
            }
            if (domains < shared.zoneMinDomains(group, e[i])) {
                min = 0;
            }
            if (here + e[i + 2] - min > e[i + 1]) {
                return false;
            }
        }
        return true;
    }

    /** Running pods of the {@code members} groups in {@code zone}, with the what-if moves. */
    private int matched(int[] members, int zone, int[] moved) {
        int c = 0;
        for (int h : members) {
            c += running(h * zones + zone, moved);
        }
        return c;
    }

    /**
     * Running pods of the {@code partial} groups in {@code zone} on the pools {@code onDomain} marks,
     * with the what-if moves; a move whose pool was not chosen yet (in the zone count, in no pool's)
     * counts as on a domain pool.
     */
    private int matchedOnDomains(int[] partial, boolean[] onDomain, int zone, int[] moved) {
        int c = 0;
        for (int h : partial) {
            int unattributed = running(h * zones + zone, moved);
            for (int p = 0; p < poolCount; p++) {
                int onPool = running(poolBase + (h * poolCount + p) * zones + zone, moved);
                unattributed -= onPool;
                c += onDomain[p] ? onPool : 0;
            }
            c += unattributed;
        }
        return c;
    }

    private int running(int i, int[] moved) {
        return moved == null ? running[i] : running[i] + moved[i];
    }

    /** The group's running pods in {@code zone} as its own hard zone spread counts them, with the what-if moves {@code moved} (null: none); 0 without one. */
    int runningIn(int group, int zone, int[] moved) {
        return skew[group] > 0 ? running(group * zones + zone, moved) : 0;
    }

    /**
     * The running pods of {@code group} in {@code zone}, with the what-if moves {@code moved} (null: none); 0 for a group not
     * counted per zone (no rule here or of {@code alsoCounted} selects it).
     */
    int count(int group, int zone, int[] moved) {
        return counted[group] ? running(group * zones + zone, moved) : 0;
    }

    /** A zeroed what-if change of the running counts for {@link #admits(int, int, int, int[])}; index with {@link #slot}. */
    int[] newMoves() {
        return new int[running.length];
    }


    /**
     * Checks the counts against the running pods and ready nodes re-derived from scratch
     * ({@code running} and {@code domainNodes} built with {@link #copyShape()}). Not checked: the
     * rules themselves. The scheduler checks them only when it places a pod (as kube-scheduler
     * does), and pods leaving or nodes going away may legitimately skew a spread later;
     * {@link Pods#place} asserts them at every placement instead.
     */
    void verify(TopologyRules derived) {
        if (!Arrays.equals(running, derived.running)) {
            throw new IllegalStateException("the zone rules' running pods per zone are out of step with the running pods");
        }
        if (!Arrays.equals(domainNodes, derived.domainNodes)) {
            throw new IllegalStateException("the zone spread's ready nodes per zone are out of step with the ready nodes");
        }
    }

    /** Empty counts over the same groups, zones and pools, for {@link #verify}. */
    TopologyRules copyShape() {
        return new TopologyRules(zones, poolCount, skew, minDomains, constrained, counted, never, zoneMask, conflicts, coLocation, unblocks,
                groupsOnPool, keys, pools, shared, sharedMember, sharedMembers, sharedPartial, domainPools, everyZone);
    }
}
