package io.nodesizer.engine;

import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;

import java.util.List;

/**
 * The workload's pod groups as primitive arrays, built once per workload and shared by every
 * shape and strategy of a sweep. Pods are numbered globally in input order: group {@code g} owns
 * pods {@code firstPod[g] .. firstPod[g] + replicas[g] - 1}.
 */
public final class DemandTable {
    /** Stride of {@link #demand}: one slot per {@link Resource}. */
    public static final int D = Resource.COUNT;

    private final List<PodGroup> groups;
    private final long[] demand;
    /**
     * Per group, at the offsets of {@link #demand} (stride {@link #D}), the cpu and memory kube-scheduler's scoring counts
     * for one replica ({@link PodGroup#scoringRequest()}); the other columns 0.
     */
    private final long[] scoring;
    private final int[] replicas;
    private final int[] firstPod;
    private final int podCount;
    private final int[][] conflicts;
    private final int[] caps;
    private final int zones;
    private final int[] zoneSkew;
    private final boolean[] zoneFloor;
    /** Per group, at most how many of its pods run in a one-domain cluster under minDomains ({@link io.nodesizer.kube.PodConflicts#oneDomainCap(java.util.List, boolean, boolean)}); null when none. */
    private final int[] domainCap;
    /** Whether this is the flat view of {@link #withOneZone}, whose nodes get their zones after packing. */
    private final boolean zonesAfter;
    /** Hard spreads whose selector also selects other workloads' pods, counted over all of them; null when none. */
    private final SharedSpreads sharedSpreads;
    private final int ruledGroups;
    private final List<String> zoneNames;
    /** Whether some group has required pod affinity, or anti-affinity: without, the rule tables are empty, built without a walk. */
    private final boolean anyAffinity;
    private final boolean anyAntiAffinity;
    private final boolean anySpread;
    /** The pods of the workload's DaemonSets (their namespace and labels): one on every node. */
    private List<io.nodesizer.model.Placement> everywhere = List.of();
    /** The DaemonSets {@link #everywhere} holds the pods of, in the same order. */
    private List<io.nodesizer.model.DaemonSetSpec> daemonSets = List.of();
    /** {@link #runningOn} per list of the DaemonSets that run; sweeps may ask on several threads. */
    private final java.util.concurrent.ConcurrentHashMap<List<io.nodesizer.model.DaemonSetSpec>, DemandTable> running =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Whether nodes of workloads outside this table may be in every zone ({@link #besideNodesInEveryZone}). */
    private boolean othersInEveryZone;
    private volatile boolean[] zonePinned;
    private final Lazy<CoLocation> coLocation = new Lazy<>(this::buildCoLocation);
    private final Lazy<CoLocation> zoneCoLocation = new Lazy<>(this::buildZoneCoLocation);
    private volatile ZoneConflicts zoneConflicts;
    private volatile java.util.Set<String> clusterKeys;
    private final java.util.concurrent.ConcurrentHashMap<java.util.Set<String>, ClusterKeyRules> clusterKeyRules =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Per group, whether rules on other keys apply to it ({@link ClusterKeyRules}); empty when none, built on first use. */
    private volatile boolean[] clusterKeyOwners;
    private final Lazy<DemandClasses> demandClasses = new Lazy<>(this::buildDemandClasses);
    private final Lazy<PlacementClasses> placementClasses = new Lazy<>(this::buildPlacementClasses);
    private final Lazy<GpuKinds> gpuKinds = new Lazy<>(this::buildGpuKinds);
    /** {@link #preferences} per zone count; sweeps may pack shapes on several threads. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, PodPreferences> preferences = new java.util.concurrent.ConcurrentHashMap<>();

    private DemandTable(List<PodGroup> groups, int zones) {
        this(groups, zones, null, false);
    }

    private DemandTable(List<PodGroup> groups, int zones, List<String> zoneNames) {
        this(groups, zones, zoneNames, false);
    }

    /** @param zonesAfter the flat view of {@link #withOneZone}: its nodes get their zones after packing, so no zone spread binds here */
    private DemandTable(List<PodGroup> groups, int zones, List<String> zoneNames, boolean zonesAfter) {
        if (zones < 1) {
            throw new IllegalArgumentException("zones must be at least 1");
        }
        if (zoneNames != null && zoneNames.size() != zones) {
            throw new IllegalArgumentException(zoneNames.size() + " zone names for " + zones + " zones");
        }
        this.zoneNames = zoneNames == null ? null : List.copyOf(zoneNames);
        this.groups = List.copyOf(groups);
        int n = groups.size();
        this.demand = new long[n * D];
        this.scoring = new long[n * D];
        this.replicas = new int[n];
        this.firstPod = new int[n];
        long pods = 0;
        Resource[] resources = Resource.values(); // values() copies the array: once, not per group
        boolean affinity = false;
        boolean antiAffinity = false;
        boolean spread = false;
        for (int g = 0; g < n; g++) {
            PodGroup group = groups.get(g);
            io.nodesizer.model.Placement placement = group.placement();
            if (placement != io.nodesizer.model.Placement.ANY) { // shared by every group without constraints (all of a trace's)
                affinity |= !placement.affinity().isEmpty();
                antiAffinity |= !placement.antiAffinity().isEmpty();
                spread |= !placement.spread().isEmpty();
            }
            Resources r = group.request();
            for (Resource resource : resources) {
                demand[g * D + resource.ordinal()] = r.get(resource);
            }
            Resources scored = group.scoringRequest();
            scoring[g * D + Resource.CPU.ordinal()] = scored.cpuMillis();
            scoring[g * D + Resource.MEMORY.ordinal()] = scored.memoryBytes();
            replicas[g] = group.replicas();
            firstPod[g] = (int) pods;
            pods += group.replicas();
            if (pods > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("The workload has more than " + (Integer.MAX_VALUE - 8)
                        + " pods; nodesizer packs at most that many at once.");
            }
        }
        this.podCount = (int) pods;
        this.anyAffinity = affinity;
        this.anyAntiAffinity = antiAffinity;
        this.anySpread = spread;
        // Conflicts come from anti-affinity and hostname spread only: none without either (no walk of 150,000 groups).
        this.conflicts = antiAffinity || spread ? io.nodesizer.kube.PodConflicts.of(this.groups) : null;
        this.caps = io.nodesizer.kube.PodConflicts.caps(this.groups, conflicts);
        int ruled = 0;
        for (int g = 0; conflicts != null && g < conflicts.length; g++) {
            ruled += conflicts[g] != null ? 1 : 0;
        }
        this.ruledGroups = ruled;
        this.zones = zones;
        // One zone is one domain: every spread over it has skew 0.
        this.sharedSpreads = spread ? SharedSpreads.of(this.groups, zones) : null;
        this.zoneSkew = zones < 2 ? null : sharedSpreads == null ? io.nodesizer.kube.PodConflicts.zoneSkew(this.groups)
                : io.nodesizer.kube.PodConflicts.ownZoneSkew(this.groups, sharedSpreads::isShared);
        this.zoneFloor = zoneSkew == null ? null : io.nodesizer.kube.PodConflicts.zoneFloor(this.groups, zones);
        this.zonesAfter = zonesAfter;
        // In the flat view the one zone is no domain of its own: the zones come after (ZoneBalance), so a zone spread's
        // minDomains caps nothing here (a real one-zone cluster holds maxSkew of its pods; QA 68b F2).
        this.domainCap = spread ? io.nodesizer.kube.PodConflicts.oneDomainCap(this.groups, zones < 2 && !zonesAfter, true) : null;
    }

    /**
     * Per group, at most how many of its pods run in all (0: no such limit) where a hard spread's key makes the cluster one
     * domain and its minDomains is above 1 ({@link io.nodesizer.kube.PodConflicts#oneDomainCap(java.util.List, boolean, boolean)}); null when no group has one.
     * Not to be mutated.
     */
    public int[] domainCap() {
        return domainCap;
    }

    /**
     * Per group, whether it has required pod affinity or anti-affinity terms on a topology key
     * other than the hostname and the zone ({@link ClusterKeyRules}, built per shape); null when
     * none has. Not to be mutated.
     */
    public boolean[] clusterKeyOwners() {
        boolean[] o = clusterKeyOwners;
        if (o == null) {
            o = anyAffinity || anyAntiAffinity || anySpread || daemonSetAntiAffinity() ? ClusterKeyRules.owners(groups, everywhere) : null;
            o = o == null ? new boolean[0] : o;
            clusterKeyOwners = o; // immutable once built; the DaemonSets are set before any rule is asked for
        }
        return o.length == 0 ? null : o;
    }

    private boolean daemonSetAntiAffinity() {
        return everywhere.stream().anyMatch(ds -> !ds.antiAffinity().isEmpty());
    }

    /** The keys other than the hostname and the zone that pod rules use ({@link ClusterKeyRules}), found on first use. */
    java.util.Set<String> clusterKeys() {
        java.util.Set<String> k = clusterKeys;
        if (k == null) {
            k = java.util.Set.copyOf(ClusterKeyRules.keysUsed(groups, everywhere));
            clusterKeys = k; // immutable; the DaemonSets are set before any rule is asked for
        }
        return k;
    }

    /** The rules on those keys for shapes that carry the keys {@code carried}, built once per such set. */
    ClusterKeyRules clusterKeyRules(java.util.Set<String> carried, java.util.function.Supplier<ClusterKeyRules> build) {
        return clusterKeyRules.computeIfAbsent(java.util.Set.copyOf(carried), c -> build.get());
    }

    /** The pods of the workload's DaemonSets (namespace and labels), one on every node. */
    public List<io.nodesizer.model.Placement> daemonSetPods() {
        return everywhere;
    }

    /** The DaemonSets whose pods {@link #daemonSetPods} are, in the same order. */
    public List<io.nodesizer.model.DaemonSetSpec> daemonSets() {
        return daemonSets;
    }

    /**
     * True when where some pod may go depends on where other pods are (required anti-affinity on
     * the hostname, topology spread on the hostname or over zones): only the heuristics model that.
     */
    public boolean placesByOtherPods() {
        return conflicts != null || zoneSkew != null || sharedSpreads != null;
    }

    /**
     * True when some workload spreads over zones: where its next pod may go depends on every
     * zone's count, which only the heuristics model (the pattern method's nodes have no zone).
     */
    public boolean spreadsOverZones() {
        return zoneSkew != null;
    }

    /**
     * How many groups repel pods, are repelled, or are capped per node (required anti-affinity,
     * hostname spread): each is a request type of its own in the pattern method.
     */
    /**
     * The pod side of the scheduler's preference scores for nodes over {@code zones} zones, built on
     * first use and kept: a sweep scores every shape with this table.
     */
    public PodPreferences preferences(int zones) {
        return preferences.computeIfAbsent(zones, z -> PodPreferences.of(groups, z));
    }

    /**
     * The groups by equal demand rows, built on first use and kept: the lower bounds merge equal
     * groups with it, and the decreasing order sorts a trace's ~120 requests instead of its
     * 150,000 groups.
     */
    public DemandClasses demandClasses() {
        return demandClasses.get();
    }

    /** The groups by equal placement, built on first use and kept: a sweep decides each shape's admission per class. */
    public PlacementClasses placementClasses() {
        return placementClasses.get();
    }

    /** The groups requesting GPUs by the models and vendor they ask, built on first use and kept ({@link GpuKinds}). */
    public GpuKinds gpuKinds() {
        return gpuKinds.get();
    }

    /** The groups' required pod affinity on the hostname (co-location), built on first use and kept. */
    public CoLocation coLocation() {
        return coLocation.get();
    }

    /** The groups' required pod affinity on the zone, built on first use and kept. */
    public CoLocation zoneCoLocation() {
        return zoneCoLocation.get();
    }

    private DemandClasses buildDemandClasses() {
        return DemandClasses.of(demand, replicas.length);
    }

    private PlacementClasses buildPlacementClasses() {
        return PlacementClasses.of(groups);
    }

    private GpuKinds buildGpuKinds() {
        return GpuKinds.of(groups);
    }

    private CoLocation buildCoLocation() {
        return anyAffinity ? CoLocation.of(groups, io.nodesizer.kube.PodConflicts.HOSTNAME::equals, everywhere) : CoLocation.none(groups.size());
    }

    private CoLocation buildZoneCoLocation() {
        return anyAffinity ? CoLocation.of(groups, io.nodesizer.kube.PodConflicts::isZone, everywhere) : CoLocation.none(groups.size());
    }

    /** The groups' required pod anti-affinity on the zone, built on first use and kept. */
    public ZoneConflicts zoneConflicts() {
        ZoneConflicts c = zoneConflicts;
        if (c == null) {
            // A DaemonSet's own anti-affinity terms can repel groups that have none.
            c = anyAntiAffinity || daemonSetAntiAffinity() ? ZoneConflicts.of(groups, everywhere) : ZoneConflicts.none(groups.size());
            zoneConflicts = c;
        }
        return c;
    }

    /**
     * Whether some group has a rule that the packing applies after the strategies and that may
     * leave pods unplaced ({@link RulePacking}): required pod affinity on the hostname or the zone,
     * required pod anti-affinity on the zone, a spread over the zones with more minDomains than zones,
     * required pod affinity or anti-affinity on another key ({@link ClusterKeyRules}).
     */
    public boolean placesByRule() {
        return coLocation().any() || zoneCoLocation().any() || zoneConflicts().any() || zoneFloor != null || zonePinned() != null
                || clusterKeyOwners() != null || sharedSpreads != null || domainCap != null;
    }

    /**
     * The hard topology spreads (hostname; zone with zones) whose selector also selects other
     * workloads' pods, or only theirs: counted over every pod they select ({@link SharedSpreads});
     * null when none. Their groups are placed by the rules after the rest ({@link RulePacking}).
     */
    public SharedSpreads sharedSpreads() {
        return sharedSpreads;
    }

    /**
     * Whether some pod may run only in some zones, whatever the nodes there: a spread over the
     * zones, required pod affinity or anti-affinity on the zone, or a selector naming zones.
     * Such pods stay in their zones when a node fails, and losing a zone moves them only where
     * their rules let them go ({@link io.nodesizer.sweep.ZoneSurvival}).
     */
    public boolean tiesPodsToZones() {
        if (zones < 2) {
            return false;
        }
        if (zoneSkew != null || zoneCoLocation().any() || zonePinned() != null || sharesZoneSpread()) {
            return true;
        }
        // A group that repels a DaemonSet's pods (on the hostname or the zone) runs nowhere: it ties nothing.
        ZoneConflicts c = zoneConflicts();
        for (int g = 0; c.any() && g < groups.size(); g++) {
            if (c.owns(g) && !c.repelledEverywhere(g)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The groups that zone rules tie to their zones (a spread over the zones, pod affinity or
     * anti-affinity on the zone, a selector naming zones, a spread over the zones counted over other
     * workloads' pods), with every group such a rule relates them (the groups a shared spread selects too)
     * to — the targets of their zone affinity, the groups their zone anti-affinity keeps apart — and
     * the groups that share nodes with any of these (hostname affinity, either way), until no rule
     * links the rest to them: the rest then has no rule that looks at a zone or at these pods. Mixed
     * pools put them on nodes of their own; {@link PackingEngine#pack} also tries placing them first.
     */
    public java.util.BitSet zoneClosure() {
        return closure(false).tied();
    }

    /**
     * As {@link #zoneClosure()}, also with the groups whose required pod affinity or anti-affinity
     * uses a key other than the hostname and the zone (an instance type, the architecture, a node
     * group's or a user's label) and every group those terms relate them to: mixed pools put them
     * on nodes of their own of one pool, where every node carries the same value of such a key, as
     * in a packing of one shape; the pods of the other pools are in no such rule of theirs.
     */
    public java.util.BitSet mixClosure() {
        return closure(clusterKeyOwners() != null).tied();
    }

    /**
     * The groups of {@link #mixClosure()} split by the rules that link them: per group the index of its part (parts
     * numbered from 0 in the order of their first group), -1 for a group outside the closure. No rule of a group looks at
     * the pods of another part, nor at a zone or key through them, so mixed pools may put each part on nodes of its own
     * of another candidate (a web spread over the zones on a CPU-heavy pool, a database spread over them on a
     * memory-heavy one).
     */
    public int[] mixParts() {
        Closure c = closure(clusterKeyOwners() != null);
        int[] part = new int[groups.size()];
        java.util.Arrays.fill(part, -1);
        int parts = 0;
        java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
        for (int g = c.tied().nextSetBit(0); g >= 0; g = c.tied().nextSetBit(g + 1)) {
            if (part[g] >= 0) {
                continue;
            }
            part[g] = parts;
            todo.add(g);
            while (!todo.isEmpty()) {
                for (int h : c.links().get(todo.pop())) {
                    if (part[h] < 0) {
                        part[h] = parts;
                        todo.add(h);
                    }
                }
            }
            parts++;
        }
        return part;
    }

    /** The groups a closure ties and the rule links between every two groups (both ways). */
    private record Closure(java.util.BitSet tied, java.util.List<java.util.List<Integer>> links) {
    }

    /** Whether some group has a hard topology spread on a key other than the hostname and the zone (its domains differ by pool in a mix). */
    public boolean spreadsOnOtherKeys() {
        return spreadOnOtherKey() != null;
    }

    /** The first group with a hard topology spread on a key other than the hostname and the zone, with that key; null for none. */
    public java.util.Map.Entry<PodGroup, String> spreadOnOtherKey() {
        for (PodGroup g : groups) {
            for (io.nodesizer.model.Placement.Spread s : g.placement().spread()) {
                if (s.hard() && io.nodesizer.kube.PodConflicts.isClusterKey(s.term().topologyKey())) {
                    return java.util.Map.entry(g, s.term().topologyKey());
                }
            }
        }
        return null;
    }

    private Closure closure(boolean otherKeys) {
        DemandTable zoned = this;
        int n = zoned.groupCount();
        java.util.List<java.util.List<Integer>> links = new java.util.ArrayList<>();
        for (int g = 0; g < n; g++) {
            links.add(new java.util.ArrayList<>());
        }
        java.util.BitSet tied = new java.util.BitSet();
        io.nodesizer.engine.SharedSpreads shared = zoned.sharesZoneSpread() ? zoned.sharedSpreads() : null;
        if (shared != null) {
            // A spread over the zones counted over other workloads' pods: the groups it selects count
            // in its zones, so they go with it (and each group linked to them by a hostname count).
            java.util.Map<Long, Integer> first = new java.util.HashMap<>();
            for (int g = 0; g < n; g++) {
                for (int pass = 0; pass < 2; pass++) {
                    int[] e = pass == 0 ? shared.host(g) : shared.zone(g);
                    for (int i = 0; e != null && i < e.length; i += pass == 0 ? 3 : 4) {
                        Integer h = first.putIfAbsent(((long) pass << 32) | e[i], g);
                        if (h != null) {
                            links.get(g).add(h);
                            links.get(h).add(g);
                        }
                    }
                }
            }
        }
        for (int g = 0; g < n; g++) {
            boolean own = zoned.zoneSkew() != null && zoned.zoneSkew()[g] > 0 || zoned.zoneCoLocation().constrains(g)
                    || zoned.zoneConflicts().owns(g) || zoned.zonePinned() != null && zoned.zonePinned()[g]
                    || shared != null && shared.constrainedOnZone(g);
            tied.set(g, own);
            for (int[] related : new int[][]{zoned.zoneCoLocation().targets(g), zoned.coLocation().targets(g),
                    zoned.zoneConflicts().repels(g)}) {
                link(links, g, related);
            }
        }
        if (otherKeys) {
            // Every such key carried (one domain): its terms' relations, whatever a shape carries.
            ClusterKeyRules all = ClusterKeyRules.everywhere(this);
            boolean[] owners = clusterKeyOwners();
            for (int g = 0; g < n; g++) {
                if (owners[g] && all.applies(g)) {
                    tied.set(g);
                }
                link(links, g, all.coLocation().targets(g));
                link(links, g, all.conflicts().repels(g));
            }
        }
        java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
        tied.stream().forEach(todo::add);
        while (!todo.isEmpty()) {
            for (int h : links.get(todo.pop())) {
                if (!tied.get(h)) {
                    tied.set(h);
                    todo.add(h);
                }
            }
        }
        return new Closure(tied, links);
    }

    /** Links group g with each of {@code related} (none when null) both ways. */
    private static void link(java.util.List<java.util.List<Integer>> links, int g, int[] related) {
        for (int h : related == null ? new int[0] : related) {
            if (h >= 0 && h < links.size() && h != g) {
                links.get(g).add(h);
                links.get(h).add(g);
            }
        }
    }

    /** Whether some group has a rule on the zone (as {@link #tiesPodsToZones}); with one zone they bind across the cluster. */
    public boolean hasZoneRules() {
        return zoneSkew != null || zoneCoLocation().any() || zoneConflicts().any() || zonePinned() != null || sharesZoneSpread();
    }

    /** Whether some spread over the zones (with zones) counts other workloads' pods ({@link SharedSpreads}). */
    public boolean sharesZoneSpread() {
        return sharedSpreads != null && sharedSpreads.zoneCounters() > 0;
    }

    public int ruledGroups() {
        return ruledGroups; // asked on every shape a sweep evaluates: counted once
    }

    /** The zones nodes are spread over (1: zones are not modelled). */
    public int zones() {
        return zones;
    }

    /**
     * Per group, the maxSkew of its hard topology spread over zones ({@link
     * io.nodesizer.kube.PodConflicts#zoneSkew}), 0 for a group without; null when no group has
     * one or there is one zone. Not to be mutated.
     */
    public int[] zoneSkew() {
        return zoneSkew;
    }

    /**
     * Per group, whether its spread over the zones asks for more domains than there are zones
     * ({@link io.nodesizer.kube.PodConflicts#zoneFloor}); null when none does. Not to be mutated.
     */
    public boolean[] zoneFloor() {
        return zoneFloor;
    }

    /**
     * Per group, the groups whose pods may not share a node with it (required pod anti-affinity on
     * the hostname; {@link io.nodesizer.kube.PodConflicts}), null for a group without; null when no
     * group has any. Not to be mutated.
     */
    public int[][] conflicts() {
        return conflicts;
    }

    /**
     * For a group in its own conflict list, how many of its pods one node may hold: 1 for required
     * anti-affinity among its replicas, maxSkew for a hostname topology spread
     * ({@link io.nodesizer.kube.PodConflicts#caps}). Null when no group has conflicts; not to be mutated.
     */
    public int[] caps() {
        return caps;
    }

    public static DemandTable of(Workload workload) {
        return new DemandTable(workload.groups(), 1).withDaemonSets(workload);
    }

    /**
     * The same groups (same indices, same DaemonSet pods) over one zone: no spread over the zones
     * binds, minDomains included (the one zone here stands for the zones to come, not for a
     * one-zone cluster, where the fewest would count as 0 and the zone hold maxSkew). The optimizer
     * packs this view when spreads over the zones are the only zone rules, and {@link ZoneBalance}
     * then gives its nodes zones that keep every spread, checked against the real rules.
     */
    public DemandTable withOneZone() {
        DemandTable flat = new DemandTable(groups, 1, null, true);
        flat.everywhere = everywhere;
        flat.daemonSets = daemonSets;
        return flat;
    }

    /** The table with nodes spread over {@code zones} zones, whose spread constraints then bind. */
    public static DemandTable of(Workload workload, int zones) {
        return new DemandTable(workload.groups(), zones).withDaemonSets(workload);
    }

    /** Records the DaemonSets' pods, which pod affinity terms may select (set once, before any rule is built). */
    private DemandTable withDaemonSets(Workload workload) {
        return withDaemonSets(workload.daemonSets());
    }

    private DemandTable withDaemonSets(List<io.nodesizer.model.DaemonSetSpec> specs) {
        this.daemonSets = List.copyOf(specs);
        this.everywhere = daemonSets.stream().map(io.nodesizer.model.DaemonSetSpec::placement).toList();
        return this;
    }

    /** Whether a pod rule may see a DaemonSet's pods: some DaemonSet, and pod affinity or anti-affinity on either side. */
    private boolean daemonSetsInRules() {
        return !daemonSets.isEmpty() && (anyAffinity || anyAntiAffinity || daemonSetAntiAffinity());
    }

    /**
     * The table whose DaemonSet pods ({@link #daemonSetPods}) are those of the DaemonSets that run
     * on the nodes of at least one of {@code shapes} ({@link io.nodesizer.kube.DaemonSetPlacement}):
     * a DaemonSet whose selector, node affinity or tolerations keep it off every such node repels
     * no pod there and satisfies no pod's affinity (a node-exporter for GPU nodes only does not
     * keep a pod asking for its host port off a CPU node). This table when they all run, or when
     * no pod rule can select a DaemonSet's pod and no DaemonSet has anti-affinity (they then do
     * not enter the rules); otherwise one copy per set of running DaemonSets, kept.
     */
    public DemandTable runningOn(java.util.Collection<io.nodesizer.model.NodeShape> shapes) {
        if (!daemonSetsInRules()) {
            return this;
        }
        java.util.Set<String> placed = new java.util.HashSet<>();
        for (io.nodesizer.model.NodeShape shape : shapes) {
            placed.addAll(io.nodesizer.kube.DaemonSetPlacement.on(shape, daemonSets, zoneNames).placed());
        }
        return running(placed);
    }

    /**
     * As {@link #runningOn} for one shape whose {@link io.nodesizer.kube.DaemonSetPlacement.Load} the
     * caller already has: the DaemonSets it names as {@code placed}.
     */
    public DemandTable running(java.util.Collection<String> placed) {
        if (!daemonSetsInRules()) {
            return this;
        }
        List<io.nodesizer.model.DaemonSetSpec> run = daemonSets.stream().filter(d -> placed.contains(d.name())).toList();
        if (run.size() == daemonSets.size()) {
            return this;
        }
        return running.computeIfAbsent(run, r -> {
            DemandTable t = new DemandTable(groups, zones, zoneNames, zonesAfter).withDaemonSets(r);
            t.othersInEveryZone = othersInEveryZone;
            return t;
        });
    }

    /**
     * The table with nodes spread over zones of these names (the values of their
     * {@code topology.kubernetes.io/zone} label): a pod's node selector or required node affinity
     * on the zone then admits only the zones it names ({@link #zonePinned()}).
     */
    public static DemandTable of(Workload workload, List<String> zoneNames) {
        return new DemandTable(workload.groups(), zoneNames.size(), zoneNames).withDaemonSets(workload);
    }

    /**
     * Marks this table as part of a cluster whose other workloads (not in it) may have nodes in
     * every zone, as a mix's zone-tied part beside the rest's pools: a spread over the zones with
     * {@code nodeAffinityPolicy: Ignore} then counts every zone ({@link SpreadDomains}). Set once,
     * before the table is packed; returns this table.
     */
    public DemandTable besideNodesInEveryZone() {
        this.othersInEveryZone = true;
        return this;
    }

    /** Whether {@link #besideNodesInEveryZone} marked this table. */
    boolean othersInEveryZone() {
        return othersInEveryZone;
    }

    /** The zones' label values, or null when they are counted only (every zone requirement then taken as met). */
    public List<String> zoneNames() {
        return zoneNames;
    }

    /**
     * Per group, whether its node selector or required node affinity names a zone (or region)
     * label while the zones have names: it may then go only to the zones whose names it admits
     * ({@link RulePacking}). Null when no group does, or the zones have no names.
     */
    public boolean[] zonePinned() {
        boolean[] p = zonePinned;
        if (p == null) {
            p = new boolean[groups.size()];
            boolean any = false;
            for (int g = 0; zoneNames != null && g < groups.size(); g++) {
                p[g] = io.nodesizer.kube.NodeMatching.namesZone(groups.get(g).placement(), zoneNames);
                any |= p[g];
            }
            p = any ? p : new boolean[0];
            zonePinned = p; // immutable once built
        }
        return p.length == 0 ? null : p;
    }

    public static DemandTable of(List<PodGroup> groups) {
        return new DemandTable(groups, 1);
    }

    public int groupCount() {
        return replicas.length;
    }

    public int podCount() {
        return podCount;
    }

    public PodGroup group(int g) {
        return groups.get(g);
    }

    public List<PodGroup> groups() {
        return groups;
    }

    /**
     * What kube-scheduler's scoring counts of one replica of each group, at the offsets of its demand (group × {@link #D}
     * + the CPU or MEMORY ordinal; the other columns 0): the defaults for containers without a cpu or memory request
     * ({@link PodGroup#scoringRequest()}). Not to be mutated.
     */
    public long[] flatScoring() {
        return scoring;
    }

    /** Demand of one replica of group {@code g} on resource index {@code r}. */
    public long demand(int g, int r) {
        return demand[g * D + r];
    }

    public int replicas(int g) {
        return replicas[g];
    }

    public int firstPod(int g) {
        return firstPod[g];
    }

    /** The group a global pod index belongs to (binary search over {@code firstPod}). */
    public int groupOfPod(int pod) {
        int lo = 0;
        int hi = replicas.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstPod[mid] <= pod) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The name of a global pod index as assignments report it ({@code name-i} for replicas). */
    public String podName(int pod) {
        int g = groupOfPod(pod);
        return groups.get(g).podName(pod - firstPod[g]);
    }
}
