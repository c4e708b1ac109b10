package io.nodesizer.engine;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * kube-scheduler's minMatchNum for the hard topology spreads on the hostname, over the nodes the
 * replay has (and on the fixed nodes of a fleet): per spread, the fewest pods its selector matches on a ready node that counts as one
 * of its domains (kubernetes {@code pkg/scheduler/framework/plugins/podtopologyspread/filtering.go},
 * {@code calPreFilterState}: the nodes that pass {@code nodeAffinityPolicy} — Honor by default: the
 * pod's node selector and required node affinity — and {@code nodeTaintsPolicy} — Ignore by
 * default: taints do not matter — each with its count; 0 while there are fewer such nodes than
 * minDomains). A pod may go to a node while {@code count + selfMatch − fewest ≤ maxSkew}, so on a
 * cluster whose every node already runs one of a spread's pods, maxSkew 1 lets a second pod in
 * anywhere. The packing, which sizes a cluster, takes the fewest as 0 (a node free of them); the
 * replay and the fleet packer know their nodes.
 *
 * <p>A <em>series</em> is one count with its domains: a group's own hostname spread (its
 * {@link DemandTable#caps() cap} then stands above the fewest, unless required anti-affinity with
 * itself caps it at one pod per node, which is absolute), or a group's spread on a shared hostname
 * counter ({@link SharedSpreads#host}). Per series, the ready eligible nodes per count are kept as
 * levels, updated as pods start and stop and nodes become ready or leave, so the fewest is read in
 * constant time. The autoscalers' simulations ask the same floors: the fewest over the ready nodes
 * now, never more than after the moves a scale-down simulates (moving pods in and nodes out only
 * raises it), so those answers stay on the safe side. CA's look at what provisioning nodes will
 * take, and its estimate of new nodes, take the fewest over the ready nodes and those nodes
 * together ({@link #ownWith}, {@link SnapshotFloors}), as CA's snapshot holds them all; a
 * scale-down simulation takes the nodes it removes out (below minDomains the fewest is 0).
 */
public final class HostnameFloors implements ConflictCounts.Floors {
    /** Per spread of a group, the places (pools, or nodes) whose nodes are its domains, by its node inclusion policies. */
    public interface Domains {
        /** @param spread the group's spread, or null for the default policies */
        boolean[] of(PodGroup group, Placement.Spread spread);
    }

    /** Per group, its own series, or -1. */
    private final int[] ownSeries;
    /**
     * Places per pool: a place is a pool's nodes in one zone ({@code pool * zones + zone}, so that a
     * workload kept to some zones counts only their nodes), or 1 (a place is a pool, or one node).
     */
    private final int zones;
    /** Per group, per shared hostname entry (entry index / 3), the series, or -1; null for a group without. */
    private final int[][] sharedSeries;
    /** Per group, the series its pods count in (its own, and those of the shared counters it is a member of); null for none. */
    private final int[][] countedIn;
    /** Per series, per place (a pool of nodes, or one node): whether its nodes are domains of the spread. */
    private final boolean[][] domain;
    /** Per place, the series its nodes are domains of (what a node becoming ready or leaving changes). */
    private final int[][] onPool;
    private final int[] minDomains;
    /** Per series, the group whose own pods it counts, or -1 for a shared counter's series. */
    private final int[] ownGroup;
    /** Per series, the shared hostname counter it counts, or -1 for a group's own series. */
    private final int[] counter;
    /** The running pods per node, own and per shared counter, which the scheduler keeps anyway ({@link #bind}). */
    private ConflictCounts counts;
    /** Per series, per count: the ready domain nodes with that count (grown as counts rise). */
    private final int[][] levels;
    private final int[] nodesIn;
    private final int[] fewest;
    /** Whether some series' floor rose since {@link #takeRose}: pending pods its spreads kept out may fit without freed capacity. */
    private boolean rose;

    private HostnameFloors(int[] ownSeries, int[][] sharedSeries, int[][] countedIn, boolean[][] domain, int[] minDomains,
                           int[] ownGroup, int[] counter, int pools, int zones) {
        this.zones = zones;
        this.ownSeries = ownSeries;
        this.sharedSeries = sharedSeries;
        this.countedIn = countedIn;
        this.domain = domain;
        this.minDomains = minDomains;
        this.ownGroup = ownGroup;
        this.counter = counter;
        int n = domain.length;
        this.onPool = new int[pools][];
        for (int p = 0; p < pools; p++) {
            int k = 0;
            int[] on = new int[n];
            for (int s = 0; s < n; s++) {
                if (domain[s][p]) {
                    on[k++] = s;
                }
            }
            onPool[p] = Arrays.copyOf(on, k);
        }
        this.levels = new int[n][4];
        this.nodesIn = new int[n];
        this.fewest = new int[n];
    }

    /**
     * The floors of the table's hostname spreads over {@code places} places (replay's pools, the
     * fleet's nodes), each spread's domains from {@code domains}; null when no group has one.
     */
    public static HostnameFloors of(DemandTable table, int places, Domains domains, SharedSpreads shared) {
        return of(table, places, 1, domains, shared);
    }

    /**
     * As above over {@code pools} pools each of {@code zones} places (replay's nodes of a pool in one
     * zone: {@code pool * zones + zone}), {@code domains} answering per such place.
     */
    public static HostnameFloors of(DemandTable table, int pools, int zones, Domains domains, SharedSpreads shared) {
        int places = pools * zones;
        int groups = table.groupCount();
        int[][] conflicts = table.conflicts();
        int[] caps = table.caps();
        if (conflicts == null && (shared == null || shared.hostCounters() == 0)) {
            return null; // no hostname rule at all (a trace's 150,000 groups): nothing to build
        }
        int[] own = new int[groups];
        Arrays.fill(own, -1);
        int[][] sharedSeries = new int[groups][];
        List<boolean[]> domain = new ArrayList<>();
        List<Integer> minDomains = new ArrayList<>();
        List<Integer> ownGroup = new ArrayList<>();
        List<Integer> counter = new ArrayList<>();
        List<List<Integer>> counted = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            counted.add(null);
        }
        for (int g = 0; g < groups; g++) {
            PodGroup group = table.group(g);
            if (conflicts == null || conflicts[g] == null || Arrays.binarySearch(conflicts[g], g) < 0 || caps[g] == 0
                    || HostnameSpreads.antiAffinityWithItself(group)) {
                continue; // no own spread cap, or one pod per node whatever the others hold
            }
            Placement.Spread sp = ownHostnameSpread(group, caps[g]);
            if (sp == null) {
                continue;
            }
            own[g] = domain.size();
            domain.add(domains.of(group, sp));
            minDomains.add(sp.minDomains());
            ownGroup.add(g);
            counter.add(-1);
            add(counted, g, own[g]);
        }
        if (shared != null && shared.hostCounters() > 0) {
            List<List<Integer>> onCounter = new ArrayList<>();
            for (int k = 0; k < shared.hostCounters(); k++) {
                onCounter.add(new ArrayList<>());
            }
            for (int g = 0; g < groups; g++) {
                int[] e = shared.host(g);
                if (e == null) {
                    continue;
                }
                for (int i = 0; i < e.length; i += 3) {
                    if (e[i + 1] == 0) {
                        continue;
                    }
                    Placement.Spread sp = sharedHostnameSpread(table.group(g), shared, g, e[i], e[i + 1]);
                    if (sharedSeries[g] == null) {
                        sharedSeries[g] = new int[e.length / 3];
                        Arrays.fill(sharedSeries[g], -1);
                    }
                    sharedSeries[g][i / 3] = domain.size();
                    onCounter.get(e[i]).add(domain.size());
                    domain.add(domains.of(table.group(g), sp));
                    minDomains.add(sp == null ? 1 : sp.minDomains());
                    ownGroup.add(-1);
                    counter.add(e[i]);
                }
            }
            for (int h = 0; h < groups; h++) {
                int[] e = shared.host(h);
                for (int i = 0; e != null && i < e.length; i += 3) {
                    if (e[i + 2] == 1) {
                        for (int s : onCounter.get(e[i])) {
                            add(counted, h, s);
                        }
                    }
                }
            }
        }
        if (domain.isEmpty()) {
            return null;
        }
        int[][] countedIn = new int[groups][];
        for (int g = 0; g < groups; g++) {
            countedIn[g] = counted.get(g) == null ? null : counted.get(g).stream().mapToInt(Integer::intValue).toArray();
        }
        return new HostnameFloors(own, sharedSeries, countedIn, domain.toArray(new boolean[0][]),
                minDomains.stream().mapToInt(Integer::intValue).toArray(), ownGroup.stream().mapToInt(Integer::intValue).toArray(),
                counter.stream().mapToInt(Integer::intValue).toArray(), places, zones);
    }

    /** The counts the floors read: the scheduler's, built with these floors (so bound after both exist). */
    public void bind(ConflictCounts scheduled) {
        this.counts = scheduled;
    }

    /** The pods series {@code s} counts on {@code node} now. */
    private int count(int s, int node) {
        return counter[s] >= 0 ? counts.sharedCount(node, counter[s]) : counts.count(node, ownGroup[s]);
    }

    private static void add(List<List<Integer>> counted, int g, int series) {
        if (counted.get(g) == null) {
            counted.set(g, new ArrayList<>());
        }
        counted.get(g).add(series);
    }

    /** The group's own hard hostname spread whose maxSkew is its cap (the smallest), or null. */
    private static Placement.Spread ownHostnameSpread(PodGroup g, int cap) {
        for (Placement.Spread sp : g.placement().spread()) {
            if (sp.hard() && sp.maxSkew() == cap && PodConflicts.HOSTNAME.equals(sp.term().topologyKey())
                    && PodConflicts.matches(sp.term(), g.placement().namespace(), g.placement())) {
                return sp;
            }
        }
        return null;
    }

    /**
     * The group's shared hard hostname spread on {@code counter} whose maxSkew the entry keeps (the
     * smallest, when several share the counter): its node inclusion policies and minDomains; null
     * when none is found.
     */
    private static Placement.Spread sharedHostnameSpread(PodGroup g, SharedSpreads shared, int index, int counter, int maxSkew) {
        List<Placement.Spread> spreads = g.placement().spread();
        Placement.Spread found = null;
        for (int i = 0; i < spreads.size(); i++) {
            Placement.Spread sp = spreads.get(i);
            if (PodConflicts.HOSTNAME.equals(sp.term().topologyKey()) && shared.counterOf(index, i) == counter
                    && (found == null || sp.maxSkew() == maxSkew && found.maxSkew() != maxSkew)) {
                found = sp;
            }
        }
        return found;
    }

    @Override
    public int own(int group) {
        int s = ownSeries[group];
        return s < 0 ? 0 : floor(s);
    }

    @Override
    public int shared(int group, int entry) {
        int[] s = sharedSeries[group];
        return s == null || s[entry] < 0 ? 0 : floor(s[entry]);
    }

    @Override
    public boolean hasOwn(int group) {
        return ownSeries[group] >= 0;
    }

    /** Whether some floor rose since the last call (a pod started on, or a node left, the fewest's last node); clears it. */
    public boolean takeRose() {
        boolean was = rose;
        rose = false;
        return was;
    }

    /** Whether pods of {@code group} are checked against a floor here (its own hostname spread, or a shared one). */
    public boolean constrains(int group) {
        return ownSeries[group] >= 0 || sharedSeries[group] != null;
    }

    private int floor(int s) {
        return nodesIn[s] < minDomains[s] ? 0 : fewest[s];
    }

    /**
     * Whether nodes of {@code pool} in {@code zone} are domains of group g's own hostname spread
     * (false when it has none); zone -1: not known, a domain in some zone of the pool (the
     * autoscalers' simulations for nodes whose zone they do not track: counting such a node as a
     * domain can only lower the fewest, the safe side).
     */
    public boolean ownDomainIn(int group, int pool, int zone) {
        int s = ownSeries[group];
        return s >= 0 && (zone < 0 ? inPool(s, pool) : domain[s][pool * zones + zone]);
    }

    /** As {@link #ownDomainIn} for group g's shared hostname spread at {@code entry}. */
    public boolean sharedDomainIn(int group, int entry, int pool, int zone) {
        int[] s = sharedSeries[group];
        return s != null && s[entry] >= 0 && (zone < 0 ? inPool(s[entry], pool) : domain[s[entry]][pool * zones + zone]);
    }

    private boolean inPool(int s, int pool) {
        for (int z = 0; z < zones; z++) {
            if (domain[s][pool * zones + z]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The floor of group g's own hostname spread with {@code extra} more domain nodes (an
     * autoscaler's simulated new or upcoming nodes) whose fewest is {@code extraFewest}; as
     * {@link #own} when {@code extra} is 0. A negative {@code extra} is nodes a scale-down removes:
     * 0 when that leaves fewer than minDomains, else the present fewest (removing only raises it).
     */
    public int ownWith(int group, int extra, int extraFewest) {
        int s = ownSeries[group];
        return s < 0 ? 0 : floorWith(s, extra, extraFewest);
    }

    /** As {@link #ownWith} for group g's shared hostname spread at {@code entry}. */
    public int sharedWith(int group, int entry, int extra, int extraFewest) {
        int[] s = sharedSeries[group];
        return s == null || s[entry] < 0 ? 0 : floorWith(s[entry], extra, extraFewest);
    }

    private int floorWith(int s, int extra, int extraFewest) {
        if (extra == 0) {
            return floor(s);
        }
        if (nodesIn[s] + extra < minDomains[s]) {
            return 0;
        }
        if (extra < 0) {
            return floor(s); // nodes leaving only raise the fewest: the present one is on the safe side
        }
        return nodesIn[s] == 0 ? extraFewest : Math.min(fewest[s], extraFewest);
    }

    /**
     * A pod of {@code group} started ({@code delta} 1) or stopped (-1) on {@code node} at
     * {@code place} (its pool, with zones its pool and zone), ready or not; the scheduler's counts already have it.
     */
    public void moved(int node, int place, boolean ready, int group, int delta) {
        int[] in = countedIn[group];
        for (int i = 0; ready && in != null && i < in.length; i++) {
            int s = in[i];
            if (domain[s][place]) {
                int after = count(s, node);
                int was = floor(s);
                leave(s, after - delta);
                join(s, after);
                rose |= floor(s) > was;
            }
        }
    }

    /** {@code node} at {@code place} became ready ({@code delta} 1) or stopped being ready (-1). */
    public void nodeReady(int node, int place, int delta) {
        for (int s : onPool[place]) {
            int c = count(s, node);
            int was = floor(s);
            if (delta > 0) {
                join(s, c);
            } else {
                leave(s, c);
            }
            rose |= floor(s) > was;
        }
    }

    private void join(int s, int count) {
        if (count >= levels[s].length) {
            levels[s] = Arrays.copyOf(levels[s], Math.max(count + 1, levels[s].length * 2));
        }
        levels[s][count]++;
        fewest[s] = nodesIn[s]++ == 0 ? count : Math.min(fewest[s], count);
    }

    private void leave(int s, int count) {
        levels[s][count]--;
        if (--nodesIn[s] == 0) {
            fewest[s] = 0;
            return;
        }
        while (levels[s][fewest[s]] == 0) {
            fewest[s]++; // the fewest only rises when its last node leaves that level
        }
    }

    /**
     * Fails unless each series' counts on the ready nodes given are those of the running pods given
     * ({@code podNode[i]} runs a pod of {@code podGroup[i]}), and its levels and fewest those of
     * these counts (replay's {@code Pods.verify}, which runs after every replay).
     */
    public void verify(int[] podNode, int[] podGroup, int pods, int[] readyNodes, int readyCount, java.util.function.IntUnaryOperator placeOf) {
        // One pass over the pods for every series, keyed (series, node).
        java.util.Map<Long, Integer> recount = new java.util.HashMap<>();
        for (int i = 0; i < pods; i++) {
            int[] in = countedIn[podGroup[i]];
            for (int k = 0; in != null && k < in.length; k++) {
                recount.merge((long) in[k] << 32 | podNode[i], 1, Integer::sum);
            }
        }
        for (int s = 0; s < domain.length; s++) {
            int[] expected = new int[levels[s].length];
            int n = 0;
            for (int i = 0; i < readyCount; i++) {
                int node = readyNodes[i];
                int c = recount.getOrDefault((long) s << 32 | node, 0);
                if (c != count(s, node)) {
                    throw new IllegalStateException("hostname floors: the counts per node are out of step with the running pods");
                }
                if (domain[s][placeOf.applyAsInt(node)]) {
                    if (c >= expected.length) {
                        throw new IllegalStateException("hostname floors: a count above the levels kept");
                    }
                    expected[c]++;
                    n++;
                }
            }
            if (!Arrays.equals(expected, levels[s]) || n != nodesIn[s]) {
                throw new IllegalStateException("hostname floors: the levels are out of step with the ready nodes");
            }
            int low = 0;
            while (n > 0 && expected[low] == 0) {
                low++;
            }
            if (n > 0 && low != fewest[s]) {
                throw new IllegalStateException("hostname floors: the fewest is " + fewest[s] + ", the nodes' is " + low);
            }
        }
    }
}
