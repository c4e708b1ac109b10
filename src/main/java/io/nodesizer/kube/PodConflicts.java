package io.nodesizer.kube;

import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which pod groups may not share a node, from their required pod anti-affinity on
 * {@code kubernetes.io/hostname}, as kube-scheduler's InterPodAffinity filter decides it: a pod
 * may not go on a node that runs a pod its terms match, nor on one that runs a pod whose terms
 * match it (existing pods' anti-affinity is symmetric). A term matches a pod when the pod is in
 * one of the term's namespaces (the term's own pod's namespace by default; every namespace with
 * {@code namespaceSelector: {}}) and its labels satisfy the term's selector
 * ({@code matchLabels} and {@code matchExpressions}, ANDed; an empty selector matches every pod).
 * A group whose terms match its own labels keeps at most one replica per node.
 *
 * <p>Anti-affinity on the zone and other keys, and required pod affinity on any keys (terms that
 * mix keys by {@link #affinityKey}), are the engine's (ZoneConflicts, CoLocation, ClusterKeyRules);
 * a namespace selector with labels is resolved to namespaces from the inputs' Namespace objects
 * (io.nodesizer.input.manifest.Namespaces), else taken as every namespace; {@link #notes} says what
 * the packing does with each.
 */
public final class PodConflicts {
    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String ZONE = "topology.kubernetes.io/zone";
    /** The zone label before Kubernetes 1.17, still set by kubelets and read by the scheduler. */
    public static final String BETA_ZONE = "failure-domain.beta.kubernetes.io/zone";

    /** The label that stands for a host port (protocol and number, e.g. {@code tcp-9100}) a pod holds on its node. */
    public static final String HOST_PORT_LABEL = "nodesizer.io/host-port-";

    /**
     * Which DaemonSet's pods keep a pod with {@code pod}'s placement off the nodes they run on, by a
     * required anti-affinity term on a topology key {@code onKey} accepts, the pod's or theirs
     * (kube-scheduler checks both), worded for a reason: "host port TCP 9100, which DaemonSet
     * monitoring/node-exporter's pods hold" (the term a host port stands for), "DaemonSet
     * logging/fluentd's pods, which its terms repel" or "... whose terms repel it"; null when none does.
     */
    public static String daemonSetRepelling(Placement pod, List<io.nodesizer.model.DaemonSetSpec> daemonSets,
                                            java.util.function.Predicate<String> onKey) {
        for (io.nodesizer.model.DaemonSetSpec ds : daemonSets) {
            for (Placement.PodAffinityTerm t : pod.antiAffinity()) {
                if (onKey.test(t.topologyKey()) && matches(t, pod.namespace(), ds.placement())) {
                    String port = hostPort(t);
                    return port != null ? "host port " + port + ", which DaemonSet " + ds.name() + "'s pods hold"
                            : "DaemonSet " + ds.name() + "'s pods, which its terms repel";
                }
            }
            for (Placement.PodAffinityTerm t : ds.placement().antiAffinity()) {
                if (onKey.test(t.topologyKey()) && matches(t, ds.placement().namespace(), pod)) {
                    return "DaemonSet " + ds.name() + "'s pods, whose terms repel it";
                }
            }
        }
        return null;
    }

    /** "TCP 9100" for the anti-affinity term a host port stands for, else null. */
    public static String hostPort(Placement.PodAffinityTerm t) {
        if (!t.matchLabels().isEmpty() || t.matchExpressions().size() != 1 || !t.matchExpressions().get(0).key().startsWith(HOST_PORT_LABEL)) {
            return null;
        }
        String p = t.matchExpressions().get(0).key().substring(HOST_PORT_LABEL.length());
        int dash = p.indexOf('-');
        return dash < 0 ? null : p.substring(0, dash).toUpperCase(java.util.Locale.ROOT) + " " + p.substring(dash + 1);
    }

    /** Whether a topology key is the node's zone. */
    public static boolean isZone(String key) {
        return ZONE.equals(key) || BETA_ZONE.equals(key);
    }

    /**
     * Whether a topology key is neither the hostname nor a zone key: the instance type, the
     * architecture, the region, a node group's or a user's label. Every node of one shape carries
     * the same value of it, so within one packing the whole cluster is one domain of such a key.
     */
    public static boolean isClusterKey(String key) {
        return !HOSTNAME.equals(key) && !isZone(key);
    }

    private PodConflicts() {
    }

    /**
     * The topology key a pod's required affinity terms come down to within one packing: the
     * hostname when a term uses it, else the zone key of the first term on the zone, else null
     * (every term on a key every node of a shape carries alike, {@link #isClusterKey}).
     *
     * <p>Why one key is enough: InterPodAffinity counts an existing pod only when it matches
     * <em>all</em> of the incoming pod's affinity terms, and then toward every term's (key, value)
     * of its node; a node passes when it carries every term's key and each term's count there is
     * positive, or, when no pod anywhere matches all the terms, the pod matches them itself
     * (kubernetes/kubernetes {@code pkg/scheduler/framework/plugins/interpodaffinity/filtering.go}
     * at 53f1b9d6f8de259644c05a25aa7ac8c6a67258e2: {@code updateWithAffinityTerms},
     * {@code podMatchesAllAffinityTerms}, {@code satisfyPodAffinity}; the terms as parsed in
     * {@code pkg/scheduler/framework/types.go} at f899a310e19fe200bd65d3b94205abcc7dd967b1,
     * {@code getAffinityTerms}). The targets are thus one set for every term: a target on the node
     * also sits in the node's zone and, in one packing, in the one domain of every other key. So the
     * finest key decides, with targets that match all the terms, and the other keys only have to be
     * on the node (a key the shape does not carry admits no node, {@code ClusterKeyRules}).
     */
    public static String affinityKey(List<Placement.PodAffinityTerm> terms) {
        String zone = null;
        for (Placement.PodAffinityTerm t : terms) {
            if (HOSTNAME.equals(t.topologyKey())) {
                return HOSTNAME;
            }
            zone = zone == null && isZone(t.topologyKey()) ? t.topologyKey() : zone;
        }
        return zone;
    }

    /**
     * Whether required affinity {@code terms} bind, in one packing, on a key {@code onKey} accepts:
     * their {@link #affinityKey} does, or, with every term on a key the shape's nodes carry alike,
     * every term's key does.
     */
    public static boolean affinityOn(List<Placement.PodAffinityTerm> terms, java.util.function.Predicate<String> onKey) {
        if (terms.isEmpty()) {
            return false;
        }
        String key = affinityKey(terms);
        return key != null ? onKey.test(key) : terms.stream().allMatch(t -> onKey.test(t.topologyKey()));
    }

    /**
     * Per group, the groups it may not share a node with (itself included when its replicas repel
     * each other), ascending; null for a group without conflicts. Null overall when no group has any.
     */
    public static int[][] of(List<PodGroup> groups) {
        int n = groups.size();
        List<Integer> withTerms = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            if (!groups.get(g).placement().antiAffinity().isEmpty() || spreadCap(groups.get(g)) > 0) {
                withTerms.add(g);
            }
        }
        if (withTerms.isEmpty()) {
            return null;
        }
        List<TreeSet<Integer>> sets = new ArrayList<>(n);
        for (int g = 0; g < n; g++) {
            sets.add(null);
        }
        boolean any = false;
        for (int g : withTerms) {
            Placement p = groups.get(g).placement();
            if (spreadCap(groups.get(g)) > 0) { // at most maxSkew of its own replicas per node: counted as a self-conflict with a cap
                add(sets, g, g);
                any = true;
            }
            for (Placement.PodAffinityTerm term : p.antiAffinity()) {
                if (!HOSTNAME.equals(term.topologyKey())) {
                    continue;
                }
                for (int h = 0; h < n; h++) {
                    if (matches(term, p.namespace(), groups.get(h).placement())) {
                        add(sets, g, h);
                        add(sets, h, g);
                        any = true;
                    }
                }
            }
        }
        if (!any) {
            return null;
        }
        int[][] out = new int[n][];
        for (int g = 0; g < n; g++) {
            if (sets.get(g) != null) {
                out[g] = sets.get(g).stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return out;
    }

    /**
     * Per group, how many of its own replicas one node may hold when it is in its own conflict list
     * ({@link #of}): 1 when its replicas repel each other (required anti-affinity on the hostname),
     * else the smallest maxSkew of its hard topology spread constraints on the hostname that select
     * its own pods; 0 for a group without such a limit. Null when no group has conflicts.
     *
     * <p>Why maxSkew per node: kube-scheduler admits a pod where (pods on the node + 1) − (fewest on
     * any eligible node) ≤ maxSkew, and a cluster that grows by adding nodes has nodes without the
     * group, so the fewest is 0 and each node holds at most maxSkew. It is exact while the group has
     * no more than nodes × maxSkew replicas, and conservative for a group larger than that (there the
     * scheduler would allow maxSkew above an even spread).
     */
    public static int[] caps(List<PodGroup> groups, int[][] conflicts) {
        if (conflicts == null) {
            return null;
        }
        int[] caps = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            if (conflicts[g] == null || java.util.Arrays.binarySearch(conflicts[g], g) < 0) {
                continue;
            }
            int cap = spreadCap(groups.get(g));
            for (Placement.PodAffinityTerm term : groups.get(g).placement().antiAffinity()) {
                if (HOSTNAME.equals(term.topologyKey()) && matches(term, groups.get(g).placement().namespace(), groups.get(g).placement())) {
                    cap = 1;
                }
            }
            caps[g] = cap == 0 ? 1 : cap;
        }
        return caps;
    }

    /** The smallest maxSkew of the group's hard hostname spread constraints that select its own pods, or 0. */
    static int spreadCap(PodGroup group) {
        return ownSpreadSkew(group, HOSTNAME::equals);
    }

    /** The smallest maxSkew of the group's hard spread constraints on a key {@code onKey} accepts that select its own pods, or 0. */
    private static int ownSpreadSkew(PodGroup group, java.util.function.Predicate<String> onKey) {
        int skew = 0;
        Placement p = group.placement();
        for (Placement.Spread s : p.spread()) {
            if (s.hard() && onKey.test(s.term().topologyKey()) && matches(s.term(), p.namespace(), p)) {
                skew = skew == 0 ? s.maxSkew() : Math.min(skew, s.maxSkew());
            }
        }
        return skew;
    }

    /**
     * Per group, the smallest maxSkew of its hard (DoNotSchedule) topology spread constraints on
     * the zone whose selector matches its own pods; 0 for a group without. Null when no group has
     * one.
     *
     * <p>PodTopologySpread admits a pod into zone z when (pods of the selector in z + 1) − (the
     * fewest in any eligible zone) ≤ maxSkew. Every zone of {@code --zones} counts as eligible:
     * the pools are spread over all of them, as managed node groups are, so each zone holds nodes
     * (the scheduler counts a zone only once some node carries its label; a cluster that has not
     * yet grown into a zone would allow more skew there).
     */
    public static int[] zoneSkew(List<PodGroup> groups) {
        int[] skew = new int[groups.size()];
        boolean any = false;
        for (int g = 0; g < groups.size(); g++) {
            skew[g] = ownSpreadSkew(groups.get(g), PodConflicts::isZone);
            any |= skew[g] > 0;
        }
        return any ? skew : null;
    }

    /**
     * As {@link #zoneSkew(List)}, without the spreads {@code shared} names (group, index in its
     * spread list): those whose selector also selects other workloads' pods, counted over every
     * pod they select (the engine's SharedSpreads), where a workload's own count would both miss
     * pods and refuse placements the scheduler makes.
     */
    public static int[] ownZoneSkew(List<PodGroup> groups, java.util.function.BiPredicate<Integer, Integer> shared) {
        int[] skew = new int[groups.size()];
        boolean any = false;
        for (int g = 0; g < groups.size(); g++) {
            Placement p = groups.get(g).placement();
            for (int i = 0; i < p.spread().size(); i++) {
                Placement.Spread s = p.spread().get(i);
                if (s.hard() && isZone(s.term().topologyKey()) && matches(s.term(), p.namespace(), p) && !shared.test(g, i)) {
                    skew[g] = skew[g] == 0 ? s.maxSkew() : Math.min(skew[g], s.maxSkew());
                }
            }
            any |= skew[g] > 0;
        }
        return any ? skew : null;
    }

    /** Whether spread sp of group g (not narrowed to its rollout) also selects another group's pods. */
    public static boolean selectsOthers(Placement.Spread sp, int g, List<PodGroup> groups) {
        if (sp.perRollout()) {
            return false; // its own rollout's pods only
        }
        String ns = groups.get(g).placement().namespace();
        for (int h = 0; h < groups.size(); h++) {
            if (h != g && matches(sp.term(), ns, groups.get(h).placement())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Per group, the largest minDomains of its hard topology spreads over the zones that select its
     * own pods (1 when unset): while fewer zones than this are eligible domains, PodTopologySpread
     * counts the fewest as 0. The replay counts the eligible zones as its nodes become ready.
     */
    public static int[] zoneMinDomains(List<PodGroup> groups) {
        int[] min = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            min[g] = zoneMinDomains(groups.get(g).placement());
        }
        return min;
    }

    /** As {@link #zoneMinDomains(List)}, for one pod's placement. */
    public static int zoneMinDomains(Placement p) {
        int most = 1;
        for (Placement.Spread s : p.spread()) {
            if (s.hard() && isZone(s.term().topologyKey()) && matches(s.term(), p.namespace(), p)) {
                most = Math.max(most, s.minDomains());
            }
        }
        return most;
    }

    /**
     * Per group, how many of its pods a hard topology spread lets run in all when its key makes the cluster one domain (the
     * zone with fewer than two zones, or a key every node of a shape carries alike: {@link #isClusterKey}) and its
     * {@code minDomains} is above 1: PodTopologySpread's filter then takes the global minimum as 0
     * (podtopologyspread/filtering.go, {@code minMatchNum}: fewer domains than minDomains), so the one domain holds at most
     * maxSkew pods the spread selects (QA 51a F1: all six ran on one node of one zone). Only spreads whose selector matches
     * the group's own pods and no other workload's; 0 where none binds; null when no group has such a spread. Without
     * {@code clusterKeys} only the zone's spreads (the replay counts the values of other keys as domains of their own,
     * {@code KeyDomains}, minDomains included).
     *
     * @param oneZone whether the nodes are in one zone, which is then one domain of the zone's spreads (not for the
     *                optimizer's flat view of a workload over several zones, whose nodes get their zones after packing)
     */
    public static int[] oneDomainCap(List<PodGroup> groups, boolean oneZone, boolean clusterKeys) {
        int[] cap = new int[groups.size()];
        boolean any = false;
        for (int g = 0; g < groups.size(); g++) {
            Placement p = groups.get(g).placement();
            for (Placement.Spread s : p.spread()) {
                String key = s.term().topologyKey();
                if (s.hard() && s.minDomains() > 1 && (isZone(key) && oneZone || clusterKeys && isClusterKey(key)) && matches(s.term(), p.namespace(), p)
                        && !selectsOthers(s, g, groups)) {
                    cap[g] = cap[g] == 0 ? s.maxSkew() : Math.min(cap[g], s.maxSkew());
                    any = true;
                }
            }
        }
        return any ? cap : null;
    }

    /**
     * Per group, whether one of its hard topology spreads over the zones that select its own pods
     * asks for more domains ({@code minDomains}) than the {@code zones} there are: PodTopologySpread
     * then counts the fewest as 0, so each zone holds at most maxSkew of its pods and the rest stay
     * Pending. Null when no group has one (or with fewer than two zones, where the spread over the
     * zones is not modelled).
     */
    public static boolean[] zoneFloor(List<PodGroup> groups, int zones) {
        if (zones < 2) {
            return null;
        }
        boolean[] floor = new boolean[groups.size()];
        boolean any = false;
        for (int g = 0; g < groups.size(); g++) {
            Placement p = groups.get(g).placement();
            for (Placement.Spread s : p.spread()) {
                if (s.hard() && isZone(s.term().topologyKey()) && s.minDomains() > zones && matches(s.term(), p.namespace(), p)
                        && !selectsOthers(s, g, groups)) {
                    floor[g] = true;
                    any = true;
                }
            }
        }
        return any ? floor : null;
    }

    private static void add(List<TreeSet<Integer>> sets, int a, int b) {
        if (sets.get(a) == null) {
            sets.set(a, new TreeSet<>());
        }
        sets.get(a).add(b);
    }

    /** Whether a term of a pod in {@code ownNamespace} matches a pod with {@code other}'s namespace and labels. */
    public static boolean matches(Placement.PodAffinityTerm term, String ownNamespace, Placement other) {
        boolean inNamespace = term.allNamespaces() || term.namespaceSelectorLabels()
                || (term.namespaceSelector() != null ? resolvedIn(term, other.namespace())
                : term.namespaces().isEmpty() ? ownNamespace.equals(other.namespace()) : term.namespaces().contains(other.namespace()));
        if (!inNamespace) {
            return false;
        }
        for (var e : term.matchLabels().entrySet()) {
            if (!e.getValue().equals(other.podLabels().get(e.getKey()))) {
                return false;
            }
        }
        for (Placement.Requirement r : term.matchExpressions()) {
            if (!NodeMatching.matches(r, other.podLabels())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a term with a resolved namespaceSelector takes pods of {@code namespace}: one it lists; one
     * it was resolved for and does not list is out; another (a cluster snapshot's pod) is in unless its
     * name alone rules it out (its other labels are unknown, so it may be selected).
     */
    private static boolean resolvedIn(Placement.PodAffinityTerm term, String namespace) {
        if (term.namespaces().contains(namespace)) {
            return true;
        }
        if (term.namespaceSelector().decided().contains(namespace)) {
            return false;
        }
        return term.namespaceSelector().selects(java.util.Map.of(Placement.NamespaceSelector.NAME_LABEL, namespace), false) != Boolean.FALSE;
    }

    /** How the packing treats a preference. */
    private static final String SCORED_ONLY = "the scheduler profiles (kube-default, kube-bin-packing, and replay unless --scoring) "
            + "score it on the hostname and zone; the other strategies pack as if it were absent";

    /** What the packing does not model about these groups' pod (anti-)affinity, one line each (one zone). */
    public static List<String> notes(List<PodGroup> groups) {
        return notes(groups, 1);
    }

    /** As {@link #notes(List)}, for nodes spread over {@code zones} zones. */
    public static List<String> notes(List<PodGroup> groups, int zones) {
        TreeSet<String> out = new TreeSet<>();
        for (PodGroup g : groups) {
            if (!g.placement().hasPodRulesOrPreferences()) {
                continue; // no rule to note: most groups of a trace (150,000 of them), skipped without the checks below
            }
            if (!g.placement().affinity().isEmpty()) {
                List<String> keys = g.placement().affinity().stream().map(Placement.PodAffinityTerm::topologyKey).distinct().toList();
                if (keys.stream().allMatch(HOSTNAME::equals)) {
                    out.add("required pod affinity (co-location) of " + g.name() + ": its pods go only to a node that runs a pod its terms "
                            + "select (the first of a series anywhere, when it matches them itself); the packing places such workloads and "
                            + "their targets after the rest, each target pod where the pods waiting for it have room, and reports pods that "
                            + "find no room beside a target as unschedulable (they would stay Pending); the optimizer packs the other "
                            + "workloads and the rule places these after it; mixed pools put them, with their targets, on nodes of their own of "
                            + "one pool");
                } else if (keys.stream().allMatch(PodConflicts::isZone)) {
                    out.add("required pod affinity on the zone of " + g.name() + ": its pods go only into a zone that runs a pod its terms "
                            + "select (new nodes open there), placed before or after the rest, whichever packs tighter (after the optimizer); mixed pools put it, with "
                            + "its targets, on nodes of their own of one pool");
                } else if (keys.stream().allMatch(PodConflicts::isClusterKey)) {
                    out.add("required pod affinity on topology key " + String.join(", ", keys) + " (" + g.name() + "): every node of a "
                            + "shape carries the same value, so the whole cluster is one domain: its pods run once a pod its terms select "
                            + "runs anywhere (or as the first of a series); on a key the shape does not carry no node admits them "
                            + "(unschedulable); mixed pools put it, with its targets, on nodes of their own of one pool");
                } else {
                    String key = affinityKey(g.placement().affinity());
                    List<String> other = keys.stream().filter(PodConflicts::isClusterKey).toList();
                    out.add("required pod affinity of " + g.name() + " whose terms mix topology keys (" + String.join(", ", keys) + "): "
                            + "kube-scheduler counts only pods that match all of its terms, and needs one in the node's domain of every "
                            + "key (and every key on the node); in one packing that is affinity on its finest key, "
                            + key + ", with those pods as targets"
                            + (HOSTNAME.equals(key) ? " (one beside it), placed as the hostname rule is" : ", placed as the zone rule is")
                            + (other.isEmpty() ? "" : "; a node must also carry " + String.join(", ", other) + ", so a shape without it admits it nowhere")
                            + "; replay checks each key's term over the same targets");
                }
            }
            for (Placement.PodAffinityTerm t : g.placement().affinity()) {
                if (t.namespaceSelectorLabels()) {
                    out.add("a pod affinity namespaceSelector with labels (" + g.name() + ") is taken as every namespace, "
                            + unresolvedWhy(t) + ": a pod of another namespace counts as its target");
                }
            }
            for (Placement.Spread sp : g.placement().spread()) {
                String key = sp.term().topologyKey();
                if (!sp.hard()) {
                    out.add("topology spread with whenUnsatisfiable: ScheduleAnyway (" + g.name() + ") is a preference: " + SCORED_ONLY);
                } else if (isZone(key) && zones < 2 && sp.minDomains() > 1) {
                    out.add("topology spread on " + key + " (" + g.name() + ") with minDomains " + sp.minDomains() + " and the nodes in one "
                            + "zone: kube-scheduler counts the fewest as 0 below minDomains zones, so the one zone holds at most maxSkew ("
                            + sp.maxSkew() + ") of the pods it selects and the rest stay Pending"
                            + (selectsOthers(sp, groups.indexOf(g), groups) ? " (its selector also matches other workloads' pods, which the packing "
                            + "does not count here: a departure)" : "") + "; give --zones N to spread nodes over N zones");
                } else if (isZone(key) && zones < 2) {
                    out.add("topology spread on " + key + " (" + g.name() + ") has one domain (the nodes are in one zone): give --zones N "
                            + "to spread nodes over N zones and the pods by their maxSkew");
                } else if (isZone(key) && !matches(sp.term(), g.placement().namespace(), g.placement()) && !selectsAny(sp, g, groups)) {
                    out.add("a zone topology spread of " + g.name() + " whose selector matches no pod of the workload binds nothing: "
                            + "the count stays 0");
                } else if (isZone(key) && sp.minDomains() > zones) {
                    out.add("zone topology spread of " + g.name() + " with minDomains " + sp.minDomains() + " above the " + zones
                            + " zones: the scheduler then counts the fewest as 0, so each zone holds at most maxSkew; the packing places "
                            + "it after the rest and reports further replicas as unschedulable (they would stay Pending)");
                } else if (isZone(key)) {
                    out.add("zone topology spread (DoNotSchedule): a pod goes to a zone only while that zone then holds at most "
                            + "maxSkew more of its workload than the zone with the fewest; every zone of --zones counts (for a workload pinned to some, only those its node selector admits, or with nodeAffinityPolicy Ignore those some workload admits, where a node may open), and new nodes "
                            + "open in the zone the pod needs (as the cluster autoscaler scales that zone's node group)");
                } else if (!HOSTNAME.equals(key)) {
                    out.add("topology spread (DoNotSchedule) on " + key + " (" + g.name() + "): on a shape whose nodes carry " + key
                            + " (e.g. with labels=), every node carries the same value, one domain with no skew, so it binds nothing; on a "
                            + "shape whose nodes do not carry it, no node admits its pods (unschedulable: kube-scheduler keeps them Pending); "
                            + "replay with several shapes does not model its skew across them");
                } else if (!matches(sp.term(), g.placement().namespace(), g.placement()) && !selectsAny(sp, g, groups)) {
                    out.add("a hostname topology spread of " + g.name() + " whose selector matches no pod of the workload binds nothing: "
                            + "the count stays 0");
                } else {
                    out.add("hostname topology spread (DoNotSchedule): kube-scheduler lets a node hold at most maxSkew more pods its "
                            + "selector matches than the node with the fewest, so the packing spreads such a workload evenly over its "
                            + "nodes before the rest fills them (40 replicas with maxSkew 1 on 3 nodes: 14/13/13), or keeps at most "
                            + "maxSkew per node where that packs as tight (where pod rules place it, they keep the same rule over the "
                            + "nodes there); at most maxSkew per node also where its selector matches other workloads' pods (unless they "
                            + "spread evenly together), where pod rules place it and it spreads over the zones too (a workload kept to "
                            + "some named zones spreads over their nodes; kept to one zone, that zone alone is its zone spread's "
                            + "domain and it spreads evenly there), in mixed pools (not on a pool whose workload's spread has no "
                            + "domain on the other pools: nodeTaintsPolicy: Honor leaves out a pool tainted against it, "
                            + "nodeAffinityPolicy: Honor one its node selector refuses) and in the optimizer's patterns and moves "
                            + "(the optimizer then also packs with a floor of the workload under every node and up to maxSkew more); replay takes the fewest over its nodes, as kube-scheduler does");
                }
            }
            Placement.Preferences pref = g.placement().preferences();
            if (!pref.nodeTerms().isEmpty() || !pref.affinity().isEmpty() || !pref.antiAffinity().isEmpty()) {
                out.add("preferred node or pod (anti-)affinity (" + g.name() + ") is a preference: " + SCORED_ONLY);
            }
            for (Placement.PodAffinityTerm t : g.placement().antiAffinity()) {
                if (isZone(t.topologyKey())) {
                    out.add("required pod anti-affinity on the zone (" + t.topologyKey() + ", " + g.name() + "): its pods go only into zones that run no pod it "
                            + "repels or that repels it, placed before or after the rest, whichever packs tighter; pods for which no zone is left are unschedulable (they "
                            + "would stay Pending)" + (zones < 2 ? "; the nodes are in one zone: give --zones N to spread them over N" : "")
                            + "; the optimizer packs the rest before them; mixed pools put them, with the pods they repel, on nodes of "
                            + "their own of one pool");
                } else if (!HOSTNAME.equals(t.topologyKey())) {
                    out.add("required pod anti-affinity on topology key " + t.topologyKey() + " (" + g.name() + "): every node of a shape "
                            + "carries the same value, so the whole cluster is one domain: while a pod it repels (or that repels it) runs, "
                            + "its pods are unschedulable (one pod of a workload that repels itself); on a key the shape does not carry "
                            + "the term binds nothing (kube-scheduler lets a node without the key pass); mixed pools put it, with the pods it repels, on nodes of their own of one pool");
                }
                if (t.namespaceSelectorLabels()) {
                    out.add("a pod anti-affinity namespaceSelector with labels (" + g.name() + ") is taken as every namespace, "
                            + unresolvedWhy(t) + ": it repels the pods its labelSelector matches in any namespace");
                }
            }
        }
        sharedSpreadNote(groups, zones).ifPresent(out::add);
        return List.copyOf(out);
    }

    /** Why a term's namespaceSelector with labels was not resolved to namespaces. */
    private static String unresolvedWhy(Placement.PodAffinityTerm t) {
        List<String> missing = t.namespaceSelector() == null ? List.of() : t.namespaceSelector().missing();
        if (missing.isEmpty()) {
            return "since it was not matched against Namespace objects (a cluster snapshot's are not read)";
        }
        String names = String.join(", ", missing.subList(0, Math.min(5, missing.size()))) + (missing.size() > 5 ? ", …" : "");
        String list = String.join(" ", missing.subList(0, Math.min(5, missing.size())));
        return missing.size() == 1
                ? "since the inputs' pods run in namespace " + names + ", which has no Namespace object, and its labels other than "
                + "kubernetes.io/metadata.name decide whether the selector takes it (add it: kubectl get namespace " + list + " -o yaml)"
                : "since the inputs' pods run in namespaces " + names + ", which have no Namespace object, and their labels other than "
                + "kubernetes.io/metadata.name decide whether the selector takes them (add them: kubectl get namespace " + list + " -o yaml)";
    }

    /** Whether spread sp of g selects the pods of some group (its own or another's). */
    private static boolean selectsAny(Placement.Spread sp, PodGroup g, List<PodGroup> groups) {
        for (PodGroup h : groups) {
            if (matches(sp.term(), g.placement().namespace(), h.placement())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether spread sp of g is one the packing counts: hard, on the hostname (or the zone with
     * zones), and not narrowed to g's own rollout by {@code matchLabelKeys: [pod-template-hash]}
     * (then g's own pods are all it counts).
     */
    private static boolean binds(Placement.Spread sp, int zones) {
        String key = sp.term().topologyKey();
        return sp.hard() && !sp.perRollout() && (HOSTNAME.equals(key) || isZone(key) && zones > 1);
    }

    /** Above this many spread × group checks the shared-selector note is not worked out (a trace's pods have no spreads). */
    private static final long SHARED_SPREAD_CHECKS = 20_000_000L;

    /**
     * The hard spreads (on the hostname, or on the zone with zones) whose selector also selects
     * other workloads' pods, or only theirs, named ("web-stable also selects web-canary"); empty
     * when there are none.
     */
    public static List<String> sharedSpreads(List<PodGroup> groups, int zones) {
        List<PodGroup> spreading = new ArrayList<>();
        for (PodGroup g : groups) {
            if (g.placement().spread().isEmpty()) {
                continue; // no spread: all of a trace's 150,000 groups, skipped without an iterator each
            }
            for (Placement.Spread sp : g.placement().spread()) {
                if (binds(sp, zones)) {
                    spreading.add(g);
                    break;
                }
            }
        }
        if (spreading.isEmpty() || (long) spreading.size() * groups.size() > SHARED_SPREAD_CHECKS) {
            return List.of();
        }
        List<String> shared = new ArrayList<>();
        for (PodGroup g : spreading) {
            java.util.Set<String> others = new java.util.TreeSet<>();
            boolean notOwn = false;
            for (Placement.Spread sp : g.placement().spread()) {
                if (!binds(sp, zones)) {
                    continue; // a soft spread, a zone spread over one zone, or one narrowed to its rollout
                }
                boolean any = false;
                for (PodGroup h : groups) {
                    if (h != g && h.placement() != Placement.ANY && matches(sp.term(), g.placement().namespace(), h.placement())) {
                        others.add(h.name());
                        any = true;
                    }
                }
                notOwn |= any && !matches(sp.term(), g.placement().namespace(), g.placement());
            }
            if (!others.isEmpty()) {
                shared.add(g.name() + " also selects " + String.join(", ", others.stream().limit(3).toList())
                        + (others.size() > 3 ? " and " + (others.size() - 3) + " more" : "") + (notOwn ? " (not its own pods)" : ""));
            }
        }
        return shared;
    }

    /**
     * The note for the hard spreads whose selector also selects other workloads' pods: counted over
     * every pod they select, as kube-scheduler counts them, with the packing's assumptions.
     */
    static java.util.Optional<String> sharedSpreadNote(List<PodGroup> groups, int zones) {
        List<String> shared = sharedSpreads(groups, zones);
        if (shared.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("topology spread whose selector also selects other workloads' pods (" + String.join("; ",
                shared.subList(0, Math.min(3, shared.size()))) + (shared.size() > 3 ? "; …" : "") + "): counted over every pod the "
                + "selector matches, as kube-scheduler counts them; the spreading workloads are placed after the pods they select "
                + "(or before them, those pods then kept within maxSkew where a spreading pod runs, whichever needs fewer nodes), "
                + "and a spreading workload that another's spread selects is also kept within that spread's maxSkew (conservative: "
                + "the scheduler checks only the incoming pod's spreads); replay and windows count them over the running pods; pack "
                + "--fleet onto an openb node list refuses it");
    }
}
