package io.nodesizer.kube;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler's inter-pod filters, for pods moved onto the running nodes of a snapshot
 * (consolidation, and analyze's "if this node failed"), on any topology key the nodes carry
 * (the hostname, the zone, any node label):
 * <ul>
 *   <li>InterPodAffinity, required anti-affinity: a pod may not join a node whose domain (the
 *       nodes with the same value of the term's key) runs a pod its terms match, nor one whose
 *       domain runs a pod whose terms match it;</li>
 *   <li>InterPodAffinity, required affinity: for each term, the node's domain must run a pod that
 *       matches all of the pod's affinity terms, unless no pod anywhere does and the pod matches
 *       them itself (the first of a series); a node without one of the keys is refused;</li>
 *   <li>PodTopologySpread, {@code DoNotSchedule}: the node's domain then holds at most maxSkew more
 *       of the selected pods (of the pod's namespace, not being deleted) than the domain with the
 *       fewest, counting only eligible nodes: open, and per the constraint's node inclusion
 *       policies admitting the pod's node selector and required affinity ({@code nodeAffinityPolicy}
 *       Honor, the default) and tolerated ({@code nodeTaintsPolicy} Honor; by default taints are
 *       ignored); fewer domains than minDomains make the fewest 0; a node without the key is refused.</li>
 * </ul>
 * The hostname is the node's {@code kubernetes.io/hostname} label, or its name where a
 * hand-written snapshot has no such label. Unlike packing onto fresh nodes, the running cluster
 * already holds such pods, so these checks use their real placement, not per-node caps.
 */
public final class PodTopologyRules {
    private final List<ClusterSnapshot.Node> nodes;
    private final boolean active;
    /** Some pod has required anti-affinity: every pod must then be checked against it (the filter is symmetric). */
    private final boolean anyAntiAffinity;
    /** The keys other than the hostname that some pod's rule uses: domains that span nodes. */
    private final java.util.Set<String> sharedKeys = new java.util.TreeSet<>();

    /**
     * @param pods  every pod of the snapshot (the rules are active when some pod has one)
     * @param nodes the nodes, in the order of the per-node pod lists the checks are given
     */
    public PodTopologyRules(List<ClusterSnapshot.Pod> pods, List<ClusterSnapshot.Node> nodes) {
        this.nodes = nodes;
        boolean any = false;
        boolean anti = false;
        for (ClusterSnapshot.Pod p : pods) {
            anti |= !p.placement().antiAffinity().isEmpty();
            for (String key : keys(p.placement())) {
                any = true;
                if (!PodConflicts.HOSTNAME.equals(key)) {
                    sharedKeys.add(key);
                }
            }
        }
        this.active = any;
        this.anyAntiAffinity = anti;
    }

    /** Whether the pod has a hard spread, so its checks need the open nodes (those that count as domains); null may be passed otherwise. */
    public static boolean needsDomains(ClusterSnapshot.Pod pod) {
        return pod.placement().spread().stream().anyMatch(Placement.Spread::hard);
    }

    /** Whether the pod has a required term or a hard spread (asked on every check: no list is built). */
    private static boolean hasRules(ClusterSnapshot.Pod pod) {
        Placement p = pod.placement();
        return !p.antiAffinity().isEmpty() || !p.affinity().isEmpty() || needsDomains(pod);
    }

    /** Whether any pod of the snapshot has such a rule: without one every check passes and no pod lists are kept. */
    public boolean active() {
        return active;
    }

    /** Node k's domain for a key: its label's value (for the hostname, its name when unlabelled), or null. */
    private String domain(int k, String key) {
        ClusterSnapshot.Node n = nodes.get(k);
        String v = n.labels().get(key);
        return v == null && PodConflicts.HOSTNAME.equals(key) ? n.name() : v;
    }

    /**
     * Whether {@code pod} may join node {@code j}, the pods of each node being {@code onNode}, with
     * {@code open} the nodes that may count as spread domains (each constraint's node inclusion
     * policies then choose among them). Callers ask for
     * one pod over many nodes in a row: what the pod's checks need from the whole cluster (the
     * domains that hold pods its terms match, the pods whose anti-affinity could bar it, the spread
     * counts) is gathered once per pod, lists and open nodes, and reused while those are the
     * same objects; the callers change the lists only between pods.
     */
    public boolean admits(ClusterSnapshot.Pod pod, int j, List<List<ClusterSnapshot.Pod>> onNode, boolean[] open) {
        if (!active || !anyAntiAffinity && !hasRules(pod)) {
            return true; // nothing bars a pod without rules where no pod repels others
        }
        Context c = context(pod, onNode, open);
        return antiAffinityRefusal(pod, j, c) == null && affinityAllows(pod, j, c) && spreadAllows(pod, j, c);
    }

    /**
     * Which of kube-scheduler's inter-pod filters keeps {@code pod} off node {@code j} (as {@link
     * #admits}): {@link #EXISTING_ANTI_AFFINITY} (a running pod's terms), "required pod anti-affinity" (its own), "host port TCP 8080" (a port a pod
     * on the node holds: kube-scheduler's NodePorts filter, which the host port's anti-affinity term stands for here),
     * "required pod affinity", "topology spread", or null when none does.
     */
    public String refusedBy(ClusterSnapshot.Pod pod, int j, List<List<ClusterSnapshot.Pod>> onNode, boolean[] open) {
        if (!active || !anyAntiAffinity && !hasRules(pod)) {
            return null;
        }
        Context c = context(pod, onNode, open);
        String anti = antiAffinityRefusal(pod, j, c);
        return anti != null ? anti : !affinityAllows(pod, j, c) ? "required pod affinity" : !spreadAllows(pod, j, c) ? "topology spread" : null;
    }

    /**
     * As {@link #refusedBy}, for callers that ask each pod about one node (the DaemonSet roll-out: every node's own pod):
     * what node {@code j} needs is read from per-domain counts kept up to date as the lists change (the domains whose pods
     * a term matches, the running pods' anti-affinity terms per domain, a spread's selected pods per eligible domain and
     * the fewest), not gathered over every node for each pod, which made a roll-out over n nodes take n² steps (issue 15:
     * 5,000 nodes, a DaemonSet with a host port, seconds in {@code context}). The same answer as {@link #refusedBy}
     * ({@code PodTopologyRulesTest}); {@code open} must keep its contents between the calls that pass it.
     */
    public String refusedAt(ClusterSnapshot.Pod pod, int j, List<List<ClusterSnapshot.Pod>> onNode, boolean[] open) {
        if (!active || !anyAntiAffinity && !hasRules(pod)) {
            return null;
        }
        classes(onNode);
        Placement p = pod.placement();
        String ns = pod.namespace();
        // InterPodAffinity: the pod's own anti-affinity terms, then the running pods' terms that match it (satisfyPodAntiAffinity
        // before satisfyExistingPodsAntiAffinity), as antiAffinityRefusal orders them.
        List<Placement.PodAffinityTerm> anti = p.antiAffinity();
        for (Placement.PodAffinityTerm t : anti) {
            DomainCounts c = counts(List.of("anti", t, ns), () -> new DomainCounts(q -> PodConflicts.matches(t, ns, q.placement()),
                    domainIds(t.topologyKey()), null, false));
            int d = c.domainOf[j];
            if (d >= 0 && c.perDomain[d] > 0) {
                return antiAffinityRule(t);
            }
        }
        int own = labels.of(pod);
        for (int id = 0; id < termNodes.size(); id++) {
            if (!termNodes.get(id).isEmpty() && terms.matchesId(id, own)) {
                Placement.PodAffinityTerm t = terms.term.get(id);
                int d = domainIds(t.topologyKey())[j];
                if (d >= 0 && termDomainCount.get(id)[d] > 0) {
                    return PodConflicts.hostPort(t) != null ? antiAffinityRule(t) : EXISTING_ANTI_AFFINITY;
                }
            }
        }
        List<Placement.PodAffinityTerm> affinity = p.affinity();
        if (!affinity.isEmpty()) {
            boolean all = true;
            boolean counted = false;
            for (int i = 0; i < affinity.size(); i++) {
                int term = i;
                DomainCounts c = counts(List.of("affinity", affinity, ns, i), () -> new DomainCounts(q -> matchesAll(affinity, ns, q),
                        domainIds(affinity.get(term).topologyKey()), null, false));
                counted |= c.total > 0; // a node with the key runs a pod matching every term
                int d = c.domainOf[j];
                if (d < 0) {
                    return "required pod affinity"; // all topology labels must exist on the node
                }
                all &= c.perDomain[d] > 0;
            }
            if (!all && (counted || !matchesAll(affinity, ns, pod))) {
                return "required pod affinity";
            }
        }
        List<Placement.Spread> spread = p.spread();
        for (int i = 0; i < spread.size(); i++) {
            Placement.Spread s = spread.get(i);
            if (!s.hard()) {
                continue;
            }
            int[] ids = domainIds(s.term().topologyKey());
            if (ids[j] < 0) {
                return "topology spread";
            }
            String pin = s.honorsNodeAffinity() ? p.pinnedNode() : null;
            if (pin != null) {
                // A pod pinned to one node by name (a DaemonSet's): with nodeAffinityPolicy Honor only that node is eligible,
                // its domain counts that node's pods alone, and the fewest is that count (one domain) unless minDomains binds.
                // The same answer as the counts over every node, without counts kept per pinned placement (one per node).
                boolean eligible = pin.equals(nodes.get(j).name()) && open[j] && hasAllSpreadKeys(pod, j) && included(s, pod, j);
                int here = 0;
                for (ClusterSnapshot.Pod q : eligible ? onNode.get(j) : List.<ClusterSnapshot.Pod>of()) {
                    here += !q.terminating() && q.namespace().equals(ns) && PodConflicts.matches(s.term(), ns, q.placement()) ? 1 : 0;
                }
                int fewest = !eligible || s.minDomains() > 1 ? 0 : here;
                if (here + (PodConflicts.matches(s.term(), ns, p) ? 1 : 0) - fewest > s.maxSkew()) {
                    return "topology spread";
                }
                continue;
            }
            int at = i;
            DomainCounts c = counts(new SpreadKey(p, i, open, ns), () -> new DomainCounts(q -> !q.terminating() && q.namespace().equals(ns)
                    && PodConflicts.matches(s.term(), ns, q.placement()), ids, k -> open[k] && hasAllSpreadKeys(pod, k)
                    && included(spread.get(at), pod, k), true));
            int fewest = c.domains == 0 || c.domains < s.minDomains() ? 0 : c.fewest();
            int self = PodConflicts.matches(s.term(), ns, p) ? 1 : 0;
            if (c.perDomain[ids[j]] + self - fewest > s.maxSkew()) {
                return "topology spread";
            }
        }
        return null;
    }

    /** A spread's counts are per pod placement (its keys and node inclusion policies), constraint, open nodes and namespace. */
    private record SpreadKey(Placement placement, int index, boolean[] open, String namespace) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SpreadKey k && k.placement == placement && k.index == index && k.open == open && k.namespace.equals(namespace);
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(placement) * 31 + index) * 31 + System.identityHashCode(open);
        }
    }

    /** Per topology key, each node's domain as a number (−1 without the key), and how many domains: the nodes never change. */
    private final Map<String, int[]> domainIds = new HashMap<>();

    private int[] domainIds(String key) {
        int[] ids = domainIds.get(key);
        if (ids == null) {
            Map<String, Integer> seen = new HashMap<>();
            ids = new int[nodes.size()];
            for (int k = 0; k < ids.length; k++) {
                String v = domain(k, key);
                ids[k] = v == null ? -1 : seen.computeIfAbsent(v, x -> seen.size());
            }
            domainIds.put(key, ids);
        }
        return ids;
    }

    /** The single-node checks' counts, by what they count; each kept up to date from the change log when next read. */
    private final Map<Object, DomainCounts> domainCounts = new HashMap<>();
    /** The nodes re-indexed (in order) since the counts were last all brought up to date; kept only while some counts exist. */
    private int[] changeLog = new int[64];
    private int changes;

    private DomainCounts counts(Object key, java.util.function.Supplier<DomainCounts> create) {
        DomainCounts c = domainCounts.get(key);
        if (c == null) {
            c = create.get();
            domainCounts.put(key, c);
        } else {
            c.catchUp();
        }
        return c;
    }

    private void logChange(int k) {
        if (domainCounts.isEmpty()) {
            return;
        }
        if (changes == changeLog.length) {
            if (changes >= 1 << 16) {
                domainCounts.values().forEach(DomainCounts::catchUp); // all counts current: the log can start again
                domainCounts.values().forEach(c -> c.seen = 0);
                changes = 0;
            } else {
                changeLog = java.util.Arrays.copyOf(changeLog, 2 * changes);
            }
        }
        changeLog[changes++] = k;
    }

    /**
     * The pods of the label classes a test selects, per domain of a key, over the nodes a test admits (all when null), with
     * their total and, when asked for, the fewest over the domains that have such nodes (a spread's minMatchNum). Built over
     * every node once, then each node the class index re-indexes is counted again: O(1) per node changed.
     */
    private final class DomainCounts {
        private final java.util.function.Predicate<ClusterSnapshot.Pod> selects;
        private boolean[] matching = new boolean[0];
        /** Per node, its domain, or −1 when it lacks the key or is not counted. */
        final int[] domainOf;
        private final int[] perNode;
        final int[] perDomain;
        /** The domains' counts as a multiset (count → domains), for the fewest; null when not asked for. */
        private final java.util.TreeMap<Integer, Integer> sums;
        /** How many domains have a counted node. */
        final int domains;
        int total;
        int seen;

        DomainCounts(java.util.function.Predicate<ClusterSnapshot.Pod> selects, int[] keyDomains, java.util.function.IntPredicate counted,
                     boolean fewest) {
            this.selects = selects;
            int n = keyDomains.length;
            domainOf = new int[n];
            perNode = new int[n];
            int most = -1;
            for (int k = 0; k < n; k++) {
                domainOf[k] = keyDomains[k] >= 0 && (counted == null || counted.test(k)) ? keyDomains[k] : -1;
                most = Math.max(most, keyDomains[k]);
            }
            perDomain = new int[most + 1];
            boolean[] has = new boolean[most + 1];
            extend();
            int distinct = 0;
            for (int k = 0; k < n; k++) {
                int d = domainOf[k];
                if (d >= 0) {
                    perNode[k] = classIndex.count(k, matching);
                    perDomain[d] += perNode[k];
                    total += perNode[k];
                    distinct += has[d] ? 0 : 1;
                    has[d] = true;
                }
            }
            domains = distinct;
            sums = fewest ? new java.util.TreeMap<>() : null;
            if (fewest) {
                for (int d = 0; d < has.length; d++) {
                    if (has[d]) {
                        sums.merge(perDomain[d], 1, Integer::sum);
                    }
                }
            }
            seen = changes;
        }

        /** The selection for the label classes met since. */
        private void extend() {
            int known = labels.representative.size();
            if (matching.length < known) {
                int from = matching.length;
                matching = java.util.Arrays.copyOf(matching, known);
                for (int c = from; c < known; c++) {
                    matching[c] = selects.test(labels.representative.get(c));
                }
            }
        }

        void catchUp() {
            if (seen == changes) {
                return;
            }
            extend();
            for (int i = seen; i < changes; i++) {
                int k = changeLog[i];
                int d = domainOf[k];
                if (d < 0) {
                    continue;
                }
                int now = classIndex.count(k, matching);
                int delta = now - perNode[k];
                if (delta != 0) {
                    if (sums != null) {
                        sums.merge(perDomain[d], -1, (a, b) -> a + b == 0 ? null : a + b);
                        sums.merge(perDomain[d] + delta, 1, Integer::sum);
                    }
                    perDomain[d] += delta;
                    total += delta;
                    perNode[k] = now;
                }
            }
            seen = changes;
        }

        int fewest() {
            return sums.firstKey();
        }
    }

    /** What one pod's checks need from the cluster: computed once for a pod, its lists and its open nodes. */
    private record Context(ClusterSnapshot.Pod pod, List<List<ClusterSnapshot.Pod>> onNode, boolean[] open,
                           List<java.util.Set<String>> antiDomains, List<int[]> repellers,
                           List<java.util.Set<String>> affinityDomains, boolean affinityCounted, List<Map<String, Integer>> spreadCounts) {
    }

    private Context cached;

    /**
     * Drops what was gathered for the last pod checked: a caller that adds pods to the lists and
     * then checks that same pod again (a pod retried once others were placed) must call this
     * after changing the lists, since the gathering is reused while the pod and the lists are the
     * same objects.
     */
    public void listsChanged() {
        cached = null;
    }

    private final LabelClasses labels = new LabelClasses();
    private final TermMatches terms = new TermMatches();

    /**
     * Pods by what selectors read of them: namespace, labels, and whether they are being deleted.
     * Replicas share a class, so a selector is matched once per class (a few hundred in a
     * 30,000-pod snapshot), not once per pod: matching every pod for every moved pod was most of
     * analyze's time on 1,000 nodes with anti-affinity (25 s).
     */
    private static final class LabelClasses {
        private final Map<ClusterSnapshot.Pod, Integer> byPod = new java.util.IdentityHashMap<>();
        private final Map<List<Object>, Integer> ids = new HashMap<>();
        private final List<ClusterSnapshot.Pod> representative = new java.util.ArrayList<>();

        int of(ClusterSnapshot.Pod q) {
            Integer c = byPod.get(q);
            if (c == null) {
                List<Object> key = java.util.Arrays.asList(q.namespace(), q.placement().namespace(), q.placement().podLabels(), q.terminating());
                c = ids.get(key);
                if (c == null) {
                    c = representative.size();
                    ids.put(key, c);
                    representative.add(q);
                }
                byPod.put(q, c);
            }
            return c;
        }

        /** Per class known so far, whether its pods pass the test (the same for every pod of a class). */
        boolean[] matching(java.util.function.Predicate<ClusterSnapshot.Pod> test) {
            boolean[] out = new boolean[representative.size()];
            for (int c = 0; c < out.length; c++) {
                out[c] = test.test(representative.get(c));
            }
            return out;
        }
    }

    /** Whether an existing pod's anti-affinity term matches a label class: remembered per distinct term and class. */
    private final class TermMatches {
        private final Map<List<Object>, Integer> ids = new HashMap<>();
        private final Map<ClusterSnapshot.Pod, int[]> byPod = new java.util.IdentityHashMap<>();
        private final List<Placement.PodAffinityTerm> term = new java.util.ArrayList<>();
        private final List<String> namespace = new java.util.ArrayList<>();
        private final List<byte[]> memo = new java.util.ArrayList<>(); // per term: 0 not known, 1 no, 2 yes, per class

        /** The ids of the pod's anti-affinity terms, in order (a term with the pod's namespace is one id across pods). */
        int[] idsOf(ClusterSnapshot.Pod q) {
            int[] own = byPod.get(q);
            if (own == null) {
                List<Placement.PodAffinityTerm> anti = q.placement().antiAffinity();
                own = new int[anti.size()];
                for (int a = 0; a < own.length; a++) {
                    List<Object> key = java.util.Arrays.asList(anti.get(a), q.namespace());
                    Integer id = ids.get(key);
                    if (id == null) {
                        id = term.size();
                        ids.put(key, id);
                        term.add(anti.get(a));
                        namespace.add(q.namespace());
                        memo.add(new byte[0]);
                    }
                    own[a] = id;
                }
                byPod.put(q, own);
            }
            return own;
        }

        /** Whether term {@code id} matches label class {@code cls}. */
        boolean matchesId(int id, int cls) {
            byte[] known = memo.get(id);
            if (cls >= known.length) {
                known = java.util.Arrays.copyOf(known, Math.max(cls + 1, 2 * known.length));
                memo.set(id, known);
            }
            if (known[cls] == 0) {
                known[cls] = PodConflicts.matches(term.get(id), namespace.get(id), labels.representative.get(cls).placement()) ? (byte) 2 : 1;
            }
            return known[cls] == 2;
        }
    }

    /** Per node, the label classes its pods fall in, with how many pods of each. */
    private static final class ClassIndex {
        int[][] ids = new int[0][];
        int[][] counts = new int[0][];
        int[] distinct = new int[0];

        boolean runsAny(int k, boolean[] matching) {
            int[] id = ids[k];
            for (int i = 0; i < distinct[k]; i++) {
                if (matching[id[i]]) {
                    return true;
                }
            }
            return false;
        }

        int count(int k, boolean[] matching) {
            int n = 0;
            int[] id = ids[k];
            for (int i = 0; i < distinct[k]; i++) {
                if (matching[id[i]]) {
                    n += counts[k][i];
                }
            }
            return n;
        }

        void add(int k, int c) {
            int at = 0;
            while (at < distinct[k] && ids[k][at] != c) {
                at++;
            }
            if (at == distinct[k]) {
                if (at == ids[k].length) {
                    ids[k] = java.util.Arrays.copyOf(ids[k], Math.max(4, 2 * at));
                    counts[k] = java.util.Arrays.copyOf(counts[k], ids[k].length);
                }
                ids[k][at] = c;
                counts[k][at] = 0;
                distinct[k]++;
            }
            counts[k][at]++;
        }
    }

    /** Per node, the label classes of its list's pods and the pods with an anti-affinity term; kept per list object and size. */
    private final ClassIndex classIndex = new ClassIndex();
    private final List<List<ClusterSnapshot.Pod>> antiIndex = new java.util.ArrayList<>();
    /**
     * Per anti-affinity term id ({@link TermMatches}), how many pods with it each node runs, and the
     * nodes where that is above 0: a pod's repellers are read from the few distinct terms that match
     * it rather than from every pod with a term (at 5,000 nodes with 10 % of workloads repelling,
     * scanning ~15,000 such pods for every moved pod was three quarters of consolidate's time).
     */
    private final List<int[]> termCount = new java.util.ArrayList<>();
    private final List<java.util.BitSet> termNodes = new java.util.ArrayList<>();

    /** Counts (+1 or −1) the anti-affinity terms of pod q on node k of an n-node index. */
    private void countTerms(ClusterSnapshot.Pod q, int k, int n, int delta) {
        for (int id : terms.idsOf(q)) {
            while (termCount.size() <= id) {
                int[] domains = domainIds(terms.term.get(termCount.size()).topologyKey());
                termCount.add(new int[n]);
                termNodes.add(new java.util.BitSet(n));
                termDomainCount.add(new int[java.util.Arrays.stream(domains).max().orElse(-1) + 1]);
            }
            int c = termCount.get(id)[k] += delta;
            termNodes.get(id).set(k, c > 0);
            int d = domainIds(terms.term.get(id).topologyKey())[k];
            if (d >= 0) {
                termDomainCount.get(id)[d] += delta;
            }
        }
    }

    /** Per anti-affinity term id, how many pods with it each domain of its key runs (the single-node checks read it). */
    private final List<int[]> termDomainCount = new java.util.ArrayList<>();
    private final List<List<ClusterSnapshot.Pod>> indexedList = new java.util.ArrayList<>();
    private int[] indexedSize = new int[0];

    /**
     * Where node k's list still starts with the pods indexed from it before: the count of those
     * pods, else 0. Callers only add pods to a list, or replace it (often by a copy, as a trial
     * move does), between checks, so a copy is recognised by its elements and costs no re-index.
     */
    private static int indexedPrefix(List<ClusterSnapshot.Pod> before, int size, List<ClusterSnapshot.Pod> now) {
        if (before == null || now.size() < size) {
            return 0;
        }
        if (before != now) {
            for (int i = 0; i < size; i++) {
                if (before.get(i) != now.get(i)) {
                    return 0;
                }
            }
        }
        return size;
    }

    /** The label classes on each node's list, with the anti-affinity pods beside them, updated where a list changed. */
    private ClassIndex classes(List<List<ClusterSnapshot.Pod>> onNode) {
        int n = onNode.size();
        if (indexedSize.length != n) {
            classIndex.ids = new int[n][0];
            classIndex.counts = new int[n][0];
            classIndex.distinct = new int[n];
            antiIndex.clear();
            termCount.clear();
            termNodes.clear();
            termDomainCount.clear();
            domainCounts.clear();
            changes = 0;
            indexedList.clear();
            for (int k = 0; k < n; k++) {
                antiIndex.add(new java.util.ArrayList<>());
                indexedList.add(null);
            }
            indexedSize = new int[n];
            changed.clear();
            for (int k = 0; k < n; k++) {
                index(k, onNode.get(k), n);
            }
        } else if (tracked) {
            for (int k = changed.nextSetBit(0); k >= 0; k = changed.nextSetBit(k + 1)) {
                index(k, onNode.get(k), n);
            }
        } else {
            for (int k = 0; k < n; k++) {
                index(k, onNode.get(k), n);
            }
        }
        changed.clear();
        return classIndex;
    }

    /** Node k's list {@code l} indexed where it changed since it was last (the pods appended, or all of them). */
    private void index(int k, List<ClusterSnapshot.Pod> l, int n) {
        if (indexedList.get(k) == l && indexedSize[k] == l.size()) {
            return;
        }
        int from = indexedPrefix(indexedList.get(k), indexedSize[k], l);
        if (from == 0) {
            classIndex.distinct[k] = 0;
            for (ClusterSnapshot.Pod q : antiIndex.get(k)) {
                countTerms(q, k, n, -1);
            }
            antiIndex.get(k).clear();
        }
        for (int i = from; i < l.size(); i++) {
            ClusterSnapshot.Pod q = l.get(i);
            classIndex.add(k, labels.of(q));
            if (!q.placement().antiAffinity().isEmpty()) {
                antiIndex.get(k).add(q);
                countTerms(q, k, n, 1);
            }
        }
        indexedList.set(k, l);
        indexedSize[k] = l.size();
        logChange(k);
    }

    /** Whether the caller says which lists it changes ({@link #changed}): the checks then look at those only. */
    private boolean tracked;
    /** The nodes whose lists the caller changed since the last check, when {@link #tracked}. */
    private final java.util.BitSet changed = new java.util.BitSet();

    /**
     * From now on the caller names every node whose list it changes, or replaces, by {@link #changed} before the next
     * check: a check then looks at those lists only, not at every node's (a caller asking one node per pod, as the
     * DaemonSet roll-out does, would otherwise pay a pass over every node's list for each check).
     */
    public void trackChanges() {
        tracked = true;
    }

    /**
     * Node k's list was changed or replaced since the last check (see {@link #trackChanges}): it is indexed afresh, whatever
     * the change. The untracked checks tell a change by the list object and its length, which the roll-out's preemption
     * defeats: a victim tried for a reprieve, refused and taken off, then the next one appended leaves the same list at the
     * same length (the refused one stayed in the index, and every later pod was refused and evicted beside it: 2,874
     * evictions too many on a generated 1,000-node snapshot); a list taken apart and put back whole is read as pods appended
     * (the pods first in it lost from the index, so the next DaemonSet passed a host port the node's pods hold).
     */
    public void changed(int k) {
        changed.set(k);
        if (k < indexedList.size()) {
            indexedList.set(k, null); // no prefix kept
        }
    }


    private Context context(ClusterSnapshot.Pod pod, List<List<ClusterSnapshot.Pod>> onNode, boolean[] open) {
        if (cached != null && cached.pod() == pod && cached.onNode() == onNode && cached.open() == open) {
            return cached;
        }
        Placement p = pod.placement();
        ClassIndex index = classes(onNode);
        // Domains (per anti-affinity term of the pod) that run a pod the term matches: the term is
        // matched once per label class, and each node is looked at through the classes it runs.
        List<java.util.Set<String>> antiDomains = new java.util.ArrayList<>();
        for (Placement.PodAffinityTerm t : p.antiAffinity()) {
            boolean[] matching = labels.matching(c -> PodConflicts.matches(t, pod.namespace(), c.placement()));
            java.util.Set<String> d = new java.util.HashSet<>();
            for (int k = 0; k < nodes.size(); k++) {
                String v = domain(k, t.topologyKey());
                if (v != null && !d.contains(v) && index.runsAny(k, matching)) {
                    d.add(v);
                }
            }
            antiDomains.add(d);
        }
        // Existing pods' anti-affinity terms that match this pod, with the nodes that run them (the
        // symmetric check): per distinct term, from the nodes the term is counted on.
        List<int[]> repellers = new java.util.ArrayList<>();
        int own = labels.of(pod);
        for (int id = 0; id < termNodes.size(); id++) {
            java.util.BitSet at = termNodes.get(id);
            if (!at.isEmpty() && terms.matchesId(id, own)) {
                for (int k = at.nextSetBit(0); k >= 0; k = at.nextSetBit(k + 1)) {
                    repellers.add(new int[] {k, id});
                }
            }
        }
        // Domains (per affinity term) that run a pod matching all of the pod's affinity terms.
        List<java.util.Set<String>> affinityDomains = new java.util.ArrayList<>();
        boolean counted = false;
        for (int i = 0; i < p.affinity().size(); i++) {
            affinityDomains.add(new java.util.HashSet<>());
        }
        if (!p.affinity().isEmpty()) {
            boolean[] matching = labels.matching(c -> matchesAll(p.affinity(), pod.namespace(), c));
            for (int k = 0; k < nodes.size(); k++) {
                if (index.runsAny(k, matching)) {
                    for (int i = 0; i < p.affinity().size(); i++) {
                        String v = domain(k, p.affinity().get(i).topologyKey());
                        if (v != null) {
                            counted = true;
                            affinityDomains.get(i).add(v);
                        }
                    }
                }
            }
        }
        List<Map<String, Integer>> spreadCounts = new java.util.ArrayList<>();
        for (Placement.Spread s : p.spread()) {
            spreadCounts.add(s.hard() ? counts(s, pod, index, open) : Map.of());
        }
        cached = new Context(pod, onNode, open, antiDomains, repellers, affinityDomains, counted, spreadCounts);
        return cached;
    }

    /**
     * Null where the anti-affinity terms admit node j, else which refuses it: "host port TCP 8080" for the term a host
     * port stands for (QA 61a F3: a port held on the node read as anti-affinity the pod does not have), else "required
     * pod anti-affinity".
     */
    /** How {@link #refusedBy} names a host port the node's pods hold: "host port TCP 8080". */
    public static final String HOST_PORT = "host port ";

    /** "host port TCP 8080" for the term a host port stands for, else "required pod anti-affinity". */
    private static String antiAffinityRule(Placement.PodAffinityTerm t) {
        String port = PodConflicts.hostPort(t);
        return port == null ? "required pod anti-affinity" : HOST_PORT + port;
    }

    /**
     * How {@link #refusedBy} names a running pod's required anti-affinity that keeps the pod out (kube-scheduler's
     * "node(s) didn't satisfy existing pods anti-affinity rules"), apart from the pod's own terms ("node(s) didn't match pod
     * anti-affinity rules"): QA 68b F5, a pod without any rule was told "its required pod anti-affinity".
     */
    public static final String EXISTING_ANTI_AFFINITY = "required pod anti-affinity of a running pod";

    private String antiAffinityRefusal(ClusterSnapshot.Pod pod, int j, Context c) {
        // The pod's own terms first, then the running pods' (symmetric: their terms keep this pod out of their domains), as
        // InterPodAffinity's Filter checks satisfyPodAntiAffinity before satisfyExistingPodsAntiAffinity (filtering.go).
        List<Placement.PodAffinityTerm> terms = pod.placement().antiAffinity();
        for (int i = 0; i < terms.size(); i++) {
            String v = domain(j, terms.get(i).topologyKey());
            if (v != null && c.antiDomains().get(i).contains(v)) {
                return antiAffinityRule(terms.get(i));
            }
        }
        for (int r = 0; r < c.repellers().size(); r++) {
            int k = c.repellers().get(r)[0];
            Placement.PodAffinityTerm t = this.terms.term.get(c.repellers().get(r)[1]);
            String v = domain(k, t.topologyKey());
            if (v != null && v.equals(domain(j, t.topologyKey()))) {
                return PodConflicts.hostPort(t) != null ? antiAffinityRule(t) : EXISTING_ANTI_AFFINITY;
            }
        }
        return null;
    }

    /**
     * As InterPodAffinity's {@code satisfyPodAffinity}: only existing pods that match every one of
     * the pod's required affinity terms count; each term needs such a pod in node j's domain of
     * its key; a node without one of the keys is refused. The first pod of a series (no existing
     * pod matches all the terms, and the pod matches all of its own) may go on any node that has
     * the keys.
     */
    private boolean affinityAllows(ClusterSnapshot.Pod pod, int j, Context c) {
        List<Placement.PodAffinityTerm> terms = pod.placement().affinity();
        if (terms.isEmpty()) {
            return true;
        }
        boolean all = true;
        for (int i = 0; i < terms.size(); i++) {
            String v = domain(j, terms.get(i).topologyKey());
            if (v == null) {
                return false; // all topology labels must exist on the node
            }
            all &= c.affinityDomains().get(i).contains(v);
        }
        return all || !c.affinityCounted() && matchesAll(terms, pod.namespace(), pod);
    }

    private static boolean matchesAll(List<Placement.PodAffinityTerm> terms, String namespace, ClusterSnapshot.Pod q) {
        for (Placement.PodAffinityTerm t : terms) {
            if (!PodConflicts.matches(t, namespace, q.placement())) {
                return false;
            }
        }
        return true;
    }

    private boolean spreadAllows(ClusterSnapshot.Pod pod, int j, Context c) {
        List<Placement.Spread> spread = pod.placement().spread();
        for (int i = 0; i < spread.size(); i++) {
            Placement.Spread s = spread.get(i);
            if (!s.hard()) {
                continue;
            }
            String v = domain(j, s.term().topologyKey());
            if (v == null) {
                return false; // a node without the key is refused (UnschedulableAndUnresolvable upstream)
            }
            Map<String, Integer> perDomain = c.spreadCounts().get(i);
            int here = perDomain.getOrDefault(v, 0);
            int fewest = perDomain.isEmpty() || perDomain.size() < s.minDomains() ? 0
                    : perDomain.values().stream().mapToInt(Integer::intValue).min().orElse(0);
            int self = PodConflicts.matches(s.term(), pod.namespace(), pod.placement()) ? 1 : 0;
            if (here + self - fewest > s.maxSkew()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Selected pods per domain of the constraint's key, over the open nodes that carry the keys
     * of all the pod's hard constraints (upstream's {@code nodeLabelsMatchSpreadConstraints}) and
     * that the constraint's node inclusion policies admit ({@code matchNodeInclusionPolicies});
     * every such domain is listed.
     */
    private Map<String, Integer> counts(Placement.Spread s, ClusterSnapshot.Pod pod, ClassIndex index, boolean[] open) {
        // Pods of the pod's namespace that the selector selects, not being deleted: per label class.
        boolean[] selected = labels.matching(c -> !c.terminating() && c.namespace().equals(pod.namespace())
                && PodConflicts.matches(s.term(), pod.namespace(), c.placement()));
        Map<String, Integer> perDomain = new HashMap<>();
        String key = s.term().topologyKey();
        for (int k = 0; k < nodes.size(); k++) {
            String v = open[k] && hasAllSpreadKeys(pod, k) && included(s, pod, k) ? domain(k, key) : null;
            if (v != null) {
                perDomain.merge(v, index.count(k, selected), Integer::sum);
            }
        }
        return perDomain;
    }

    /** Whether node k counts for the constraint: its node affinity policy and node taints policy. */
    private boolean included(Placement.Spread s, ClusterSnapshot.Pod pod, int k) {
        ClusterSnapshot.Node n = nodes.get(k);
        return NodeMatching.inSpreadDomain(s, pod.placement(), n.labels(), n.schedulingTaints(), n.name());
    }

    private boolean hasAllSpreadKeys(ClusterSnapshot.Pod pod, int k) {
        for (Placement.Spread s : pod.placement().spread()) {
            if (s.hard() && domain(k, s.term().topologyKey()) == null) {
                return false;
            }
        }
        return true;
    }

    /** Pods of {@code pod}'s namespace among {@code on} that the constraint's selector selects (pods being deleted do not count). */
    private static int count(Placement.Spread s, ClusterSnapshot.Pod pod, List<ClusterSnapshot.Pod> on) {
        int n = 0;
        for (ClusterSnapshot.Pod q : on) {
            if (!q.terminating() && q.namespace().equals(pod.namespace()) && PodConflicts.matches(s.term(), pod.namespace(), q.placement())) {
                n++;
            }
        }
        return n;
    }

    /**
     * Whether the pods of the {@code group}'s nodes may all run on one new node in the first one's
     * place, the {@code open} other nodes keeping theirs. A merge keeps the first node's labels, so
     * the others' pods change domain on every key where they differ; where any pod's rule uses such a key (its
     * own, or another pod's anti-affinity or spread that could now count them) the merge is
     * refused. Otherwise only the hostname changes: no two of the pods may repel each other there,
     * and for every hard hostname spread the new node may hold at most maxSkew more of the
     * selected pods than the eligible node with the fewest (eligible for that pod: open and
     * admitted by the constraint's node inclusion policies). Affinity on the hostname holds: each pod keeps the
     * pods it had beside it.
     */
    public boolean mayShare(List<ClusterSnapshot.Pod> pods, int[] group, List<List<ClusterSnapshot.Pod>> onNode, boolean[] open) {
        if (!active) {
            return true;
        }
        for (String key : sharedKeys) {
            for (int i : group) {
                if (!java.util.Objects.equals(domain(group[0], key), domain(i, key))) {
                    return false;
                }
            }
        }
        for (int i = 0; i < pods.size(); i++) {
            for (int k = i + 1; k < pods.size(); k++) {
                if (repelOnHostname(pods.get(i), pods.get(k))) {
                    return false;
                }
            }
        }
        for (ClusterSnapshot.Pod pod : pods) {
            for (Placement.Spread s : pod.placement().spread()) {
                if (s.hard() && PodConflicts.HOSTNAME.equals(s.term().topologyKey())) {
                    int merged = count(s, pod, pods);
                    Map<String, Integer> others = counts(s, pod, classes(onNode), open);
                    int fewest = others.size() + 1 < s.minDomains() ? 0
                            : Math.min(merged, others.values().stream().mapToInt(Integer::intValue).min().orElse(merged));
                    if (merged - fewest > s.maxSkew()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Every topology key of a pod's required terms and hard spread. */
    private static List<String> keys(Placement p) {
        List<String> out = new java.util.ArrayList<>();
        p.antiAffinity().forEach(t -> out.add(t.topologyKey()));
        p.affinity().forEach(t -> out.add(t.topologyKey()));
        p.spread().stream().filter(Placement.Spread::hard).forEach(s -> out.add(s.term().topologyKey()));
        return out;
    }

    /** Whether a and b may not share a node: a required anti-affinity term on the hostname of either matches the other. */
    public static boolean repelOnHostname(ClusterSnapshot.Pod a, ClusterSnapshot.Pod b) {
        return matchesOnHostname(a, b) || matchesOnHostname(b, a);
    }

    private static boolean matchesOnHostname(ClusterSnapshot.Pod from, ClusterSnapshot.Pod other) {
        for (Placement.PodAffinityTerm t : from.placement().antiAffinity()) {
            if (PodConflicts.HOSTNAME.equals(t.topologyKey()) && PodConflicts.matches(t, from.namespace(), other.placement())) {
                return true;
            }
        }
        return false;
    }
}
