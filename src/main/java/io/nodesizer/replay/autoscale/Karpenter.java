package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.model.Resource;
import io.nodesizer.replay.Cluster;
import io.nodesizer.replay.EvictionRetry;
import io.nodesizer.replay.Pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code karpenter}: one NodePool whose instance types are all the run's shapes (karpenter.sh
 * concepts: scheduling, disruption).
 * <ul>
 * <li><b>Provisioning.</b> Pending pods that ready and launching nodes cannot take are batched:
 * the batch closes {@code batchIdle} after the last new pending pod, or {@code batchMax} after it
 * opened ({@code BATCH_IDLE_DURATION} 1s, {@code BATCH_MAX_DURATION} 10s). Pods, by decreasing CPU
 * then memory, go into new NodeClaims: a pod tries the claims fewest pods first and joins the first for which some
 * instance type still holds all its pods, else opens a claim; each claim launches the cheapest type that holds
 * its pods, by Karpenter's estimate of the type ({@link #estimate}). Which pending pods the ready and launching
 * nodes take is asked in the same order.</li>
 * <li><b>Consolidation</b> (every {@code pollPeriod}, only when no node is launching and no pod is
 * pending that the provisioner may still launch for: {@link #quiet}). Empty nodes whose pods last changed {@code consolidateAfter} ago are deleted. With
 * {@code WhenEmptyOrUnderutilized}, candidate nodes (the highest price per rescheduled pod first,
 * Karpenter's {@code SavingsRatio}) are then tried several at
 * once (multi-node consolidation: the longest run of the first ones, found by binary search, whose
 * pods fit on the other nodes, or whose leftovers fit on one cheaper new node; {@link #multiNode}),
 * else one at a time: delete it if its pods fit on the other nodes; otherwise replace it with the
 * cheapest cheaper type that holds the pods they cannot take. With {@code Balanced} (v1.14) a move
 * is made only when its share of the NodePool's cost saved is at least half its share of the
 * NodePool's disruption cost ({@link #balancedApproves}). Both run Karpenter's scheduling
 * simulation ({@link #simulateRemoval}); a replaced node is drained once the new one is ready. One command
 * per pass; it waits 15 s ({@code consolidationTTL}), is validated against the cluster then and
 * carried out or dropped, and the controller goes on at once, if the cluster is still quiet: a new
 * pass after a command carried out, the next method after a dropped one; a pass that finds nothing
 * polls again a poll period later. A move after whose drain a node had to be launched for one of its pods (kube-scheduler
 * placed them otherwise than the simulation) is not made again from the same state ({@link #undone}).</li>
 * <li><b>Disruption budget</b> ({@code spec.disruption.budgets}, default {@code nodes: 10%}): the
 * NodePool's initialized nodes times the percentage, rounded up, less the nodes being drained and
 * those waiting for their replacement, is how many more nodes a poll may disrupt; empty nodes beyond
 * it wait, and no replacement or deletion starts at 0 (karpenter disruption helpers,
 * {@code BuildDisruptionBudgetMapping}).</li>
 * <li><b>Expiration</b> ({@code expireAfter}, default 720h): a node that old is drained at once,
 * whatever the budget, with no node launched first ({@link #expire}).</li>
 * <li><b>Termination</b>: every drain evicts through the eviction API, so a pod whose PodDisruptionBudget allows no
 * eviction now stays on the cordoned node and is tried again (the eviction queue's backoff, 100 ms doubling to
 * 10 s) until it may go, or until the NodePool's {@code terminationGracePeriod}, when it is deleted
 * ({@link EvictionRetry#karpenter}).</li>
 * <li><b>Preferences</b> ({@code --preference-policy}, default Respect): its scheduler requires the pods' preferred pod affinity
 * and anti-affinity on the hostname and the zone, ScheduleAnyway hostname spreads and heaviest preferred node term in provisioning and in
 * consolidation's simulation, relaxing them in upstream's order where no node or claim can meet them
 * ({@link KarpenterPreferences}). Under either policy it requires a toleration of the pools' PreferNoSchedule taints until its
 * last relaxation step adds one.</li>
 * </ul>
 * Not modelled: spot, budgets' schedules and reasons, drift, the time limits of the consolidation
 * searches (a replay's candidates are bounded by count instead), ScheduleAnyway spreads on keys other than the hostname and
 * preferred pod (anti-)affinity on keys other than the hostname and the zone (ignored, as kube-scheduler's filters ignore
 * them), and the first-term reading of OR'd required
 * node-affinity terms on existing nodes (new claims have it: {@link #claimAdmits}).
 */
public final class Karpenter implements Autoscaler {
    private static final int D = DemandTable.D;
    private static final int GPU = io.nodesizer.model.Resource.GPU.ordinal();
    /** Candidates tried per consolidation poll; Karpenter bounds its search by time instead. */
    private static final int MAX_CANDIDATES = 50;

    public enum Consolidation {
        WHEN_EMPTY("WhenEmpty"), WHEN_EMPTY_OR_UNDERUTILIZED("WhenEmptyOrUnderutilized"),
        /** v1.14: as WhenEmptyOrUnderutilized, each move scored against the disruption it causes ({@code balancedApproves}). */
        BALANCED("Balanced");

        private final String flag;

        Consolidation(String flag) {
            this.flag = flag;
        }

        public String flagName() {
            return flag;
        }

        public static Consolidation byName(String name) {
            for (Consolidation c : values()) {
                if (c.flag.equalsIgnoreCase(name)) {
                    return c;
                }
            }
            return null;
        }
    }

    /**
     * The controller's {@code --preference-policy} ({@code PREFERENCE_POLICY}, pkg/operator/options/options.go): Respect, the
     * default, makes its scheduler treat preferences as required and relax them one at a time when a pod cannot schedule
     * ({@link KarpenterPreferences}); Ignore drops them (scheduler.go {@code IgnorePreferences}).
     */
    public enum PreferencePolicy {
        RESPECT("Respect"), IGNORE("Ignore");

        private final String flag;

        PreferencePolicy(String flag) {
            this.flag = flag;
        }

        public String flagName() {
            return flag;
        }

        /** The policy of that name, as upstream spells it (case-sensitive there; any case here), or null. */
        public static PreferencePolicy byName(String name) {
            for (PreferencePolicy p : values()) {
                if (p.flag.equalsIgnoreCase(name.trim())) {
                    return p;
                }
            }
            return null;
        }
    }

    /**
     * @param batchIdle        {@code BATCH_IDLE_DURATION}, default 1s
     * @param batchMax         {@code BATCH_MAX_DURATION}, default 10s
     * @param consolidation    {@code spec.disruption.consolidationPolicy}, default WhenEmptyOrUnderutilized
     * @param consolidateAfter {@code spec.disruption.consolidateAfter}, default 0s; {@link #NEVER} for {@code Never}, which no
     *                         node's pods ever outlast: no node is consolidatable
     * @param pollPeriod       how often disruption is evaluated, 10s
     * @param maxNodes         a node-count limit standing in for the NodePool's resource limits
     * @param budget           {@code spec.disruption.budgets[].nodes}, default 10%
     * @param expireAfter      {@code spec.template.spec.expireAfter} in seconds, default 720h;
     *                         {@link #NEVER} for {@code Never}
     * @param terminationGracePeriod {@code spec.template.spec.terminationGracePeriod} in seconds: how long a draining node
     *                         waits for pods that PodDisruptionBudgets keep before deleting them; {@link #NEVER} (the
     *                         default, unset) waits as long as it takes ({@link EvictionRetry})
     * @param preferencePolicy the controller's {@code --preference-policy}, default Respect
     */
    public record Settings(long batchIdle, long batchMax, Consolidation consolidation, long consolidateAfter,
                           long pollPeriod, int maxNodes, Budget budget, long expireAfter, long terminationGracePeriod,
                           PreferencePolicy preferencePolicy) {
        public static final long BATCH_IDLE = 1;
        public static final long BATCH_MAX = 10;
        public static final long POLL_PERIOD = 10;
        /** Karpenter v1's default {@code expireAfter}: 720h. */
        public static final long EXPIRE_AFTER = 720 * 3600;
        /** {@code expireAfter: Never}. */
        public static final long NEVER = Long.MAX_VALUE;

        public Settings {
            if (batchIdle < 0 || batchMax < batchIdle || consolidateAfter < 0 || pollPeriod < 1 || maxNodes < 0 || budget == null
                    || expireAfter < 1 || terminationGracePeriod < 0 || preferencePolicy == null) {
                throw new IllegalArgumentException("Invalid Karpenter settings: " + this);
            }
        }

        /** With Karpenter's default preferencePolicy, Respect. */
        public Settings(long batchIdle, long batchMax, Consolidation consolidation, long consolidateAfter, long pollPeriod, int maxNodes,
                        Budget budget, long expireAfter, long terminationGracePeriod) {
            this(batchIdle, batchMax, consolidation, consolidateAfter, pollPeriod, maxNodes, budget, expireAfter, terminationGracePeriod,
                    PreferencePolicy.RESPECT);
        }

        /** Without a terminationGracePeriod (Karpenter's default): drains wait for PodDisruptionBudgets as long as it takes. */
        public Settings(long batchIdle, long batchMax, Consolidation consolidation, long consolidateAfter, long pollPeriod, int maxNodes,
                        Budget budget, long expireAfter) {
            this(batchIdle, batchMax, consolidation, consolidateAfter, pollPeriod, maxNodes, budget, expireAfter, NEVER);
        }

        /** How this NodePool's drains retry evictions that PodDisruptionBudgets refuse. */
        public EvictionRetry evictionRetry() {
            return EvictionRetry.karpenter(terminationGracePeriod == NEVER ? EvictionRetry.NEVER : terminationGracePeriod);
        }

        /** With Karpenter's default expireAfter ({@link #EXPIRE_AFTER}). */
        public Settings(long batchIdle, long batchMax, Consolidation consolidation, long consolidateAfter, long pollPeriod, int maxNodes,
                        Budget budget) {
            this(batchIdle, batchMax, consolidation, consolidateAfter, pollPeriod, maxNodes, budget, EXPIRE_AFTER);
        }

        /** With Karpenter's default disruption budget ({@link Budget#DEFAULT}) and expireAfter. */
        public Settings(long batchIdle, long batchMax, Consolidation consolidation, long consolidateAfter, long pollPeriod, int maxNodes) {
            this(batchIdle, batchMax, consolidation, consolidateAfter, pollPeriod, maxNodes, Budget.DEFAULT);
        }

        public static Settings defaults(int maxNodes) {
            return new Settings(BATCH_IDLE, BATCH_MAX, Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 0, POLL_PERIOD, maxNodes, Budget.DEFAULT);
        }
    }

    /**
     * A NodePool's disruption budget: {@code nodes} at once, a count or a percentage of its nodes.
     *
     * @param nodes   the count, or the percentage when {@code percent}
     * @param percent whether {@code nodes} is a percentage
     */
    public record Budget(int nodes, boolean percent) {
        /** Karpenter's budget when a NodePool names none. */
        public static final Budget DEFAULT = new Budget(10, true);

        public Budget {
            if (nodes < 0 || percent && nodes > 100) {
                throw new IllegalArgumentException("Invalid disruption budget: " + nodes + (percent ? "%" : ""));
            }
        }

        /**
         * How many of {@code total} nodes may be disrupted at once: a percentage rounded up, as
         * Kubernetes scales maxUnavailable ({@code intstr.GetScaledValueFromIntOrPercent}, round up).
         */
        public int allowed(int total) {
            return percent ? (int) ((nodes * (long) total + 99) / 100) : nodes;
        }

        /** Parses "10%" or "5"; null when {@code text} is neither. */
        public static Budget parse(String text) {
            String t = text.trim();
            boolean pct = t.endsWith("%");
            String digits = pct ? t.substring(0, t.length() - 1).trim() : t;
            if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
                return null;
            }
            int n = Integer.parseInt(digits);
            return pct && n > 100 ? null : new Budget(n, pct);
        }

        @Override
        public String toString() {
            return nodes + (percent ? "%" : "");
        }
    }

    private final Settings settings;
    private final int[][] scratch = {new int[64]};
    private long batchStart = -1;
    /** The cluster version the last consolidation poll saw and found nothing to do in. */
    private long consolidatedVersion = -1;
    private boolean uncovered;
    /**
     * The cluster version at the end of a launch that requested nothing (-1: none): until the cluster
     * changes, the pods it left uncovered open no batch. Upstream each such pod's reconcile triggers the
     * provisioner again every few seconds, and each simulation finds the same nothing; opening batches
     * for them would only make a later launch's timing depend on when those loops ran (with idle loops
     * skipped, a change then found no batch open that a loop every poll period had opened).
     */
    private long fruitlessVersion = -1;
    /** {old node, its replacement} while the replacement launches. */
    private final List<int[]> replacements = new ArrayList<>();
    /**
     * Consolidation moves that kube-scheduler undid, by {@link #moveKey}: after the move's drain a pod of its candidates
     * that the simulation had placed on a remaining node found no room, and a node was launched for it. Karpenter's
     * simulation places first fit over the nodes in name order, and kube-scheduler scores (it spreads by default), so
     * the two can disagree; the move is then not made again from the same state. Upstream the name order has nothing
     * to do with a node's age, and a node launched for such a pod sorts before or after the one the simulation chose
     * at random; here nodes go in the order they were requested, so the same old node came first every time and the
     * same move was made from the same state forever (QA 65b F1: 5,093 launches for 18 pods, 4 of them moving between
     * two g4dn nodes every few minutes for months, while kube-scheduler put the one the simulation gave a g5.48xlarge
     * beside them).
     */
    private final java.util.Set<Long> undone = new java.util.HashSet<>();

    /** A consolidation move carried out ({@link #moveKey} {@code key}): its candidates' pods, sorted, and when. */
    private record Move(long key, int[] pods, long at) {
    }

    /** The last moves carried out, newest last; a launch for one of their pods marks them {@link #undone}. */
    private final java.util.ArrayDeque<Move> moves = new java.util.ArrayDeque<>();
    private static final int MOVES_KEPT = 8;
    /** The pods the last {@link #simulateRemoval} tried to place, as sort keys; with {@link #simDest}, its {@link #moveKey}. */
    private long[] simPods;

    /**
     * Karpenter's {@code consolidationTTL}: a consolidation command waits this long, is validated
     * against the cluster then (its nodes still candidates within the budget, the simulation still
     * saying the same), and is carried out or dropped.
     */
    static final long VALIDATION_WAIT = 15;
    /** Emptiness: the empty nodes, deleted. */
    private static final int EMPTY = 0;
    /** Single- or multi-node consolidation: the nodes deleted together, or replaced together by one node of {@code pool} (-1: none). */
    private static final int REMOVE = 1;
    /**
     * Multi-node consolidation's batch: {@code maxParallel}, "a maximum batch of 100 NodeClaims";
     * its binary search then tries up to that many plus one nodes at once ({@code candidates[0:mid+1]}
     * with mid up to 100), which this model keeps.
     */
    static final int MULTI_BATCH = 100;

    /**
     * A consolidation command waiting for its validation at {@code due}: the empty nodes, or (REMOVE)
     * one or more nodes to delete, or to replace by one node of {@code pool}, whose type was one of
     * {@code options} (per pool; null otherwise).
     */
    private record Command(int kind, int[] nodes, int pool, long due, boolean[] options) {
        Command(int kind, int[] nodes, int pool, long due) {
            this(kind, nodes, pool, due, null);
        }
    }

    /** The command waiting for validation; null when none. */
    private Command command;
    /**
     * The disruption controller's polls fall on this time plus whole poll periods: after a pass that
     * found nothing it requeues a poll period later, after a command it goes on at once (below).
     */
    private long pollAnchor;
    /** Karpenter's disruption methods, in the order a pass tries them. */
    private static final int EMPTINESS = 0;
    private static final int MULTI_NODE = 1;
    private static final int SINGLE_NODE = 2;

    public Karpenter(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "karpenter";
    }

    /**
     * A note naming the workloads with preferences that Karpenter's {@code preferencePolicy: Respect} treats as required but this
     * model does not ({@link KarpenterPreferences}: preferred pod affinity or anti-affinity on keys other than the hostname and
     * the zone, ScheduleAnyway spreads on keys other than the hostname), which its simulation then ignores as kube-scheduler's
     * filters do; null when none has one, or under {@code Ignore}, which drops them all as the replay does.
     */
    public static String preferencesNote(List<io.nodesizer.model.PodGroup> groups, PreferencePolicy policy) {
        if (policy == PreferencePolicy.IGNORE) {
            return null;
        }
        List<String> named = new ArrayList<>();
        for (io.nodesizer.model.PodGroup g : groups) {
            io.nodesizer.model.Placement p = g.placement();
            io.nodesizer.model.Placement.Preferences pref = p.preferences();
            String host = io.nodesizer.kube.PodConflicts.HOSTNAME;
            java.util.function.Predicate<io.nodesizer.model.Placement.WeightedPodTerm> otherKey = t -> !host.equals(t.term().topologyKey())
                    && !io.nodesizer.kube.PodConflicts.isZone(t.term().topologyKey());
            if (pref.affinity().stream().anyMatch(otherKey) || pref.antiAffinity().stream().anyMatch(otherKey)
                    || p.spread().stream().anyMatch(s -> !s.hard() && !host.equals(s.term().topologyKey()))) {
                named.add(g.name());
            }
        }
        if (named.isEmpty()) {
            return null;
        }
        return "preferred pod affinities or anti-affinities on keys other than the hostname and the zone, or ScheduleAnyway spreads on "
                + "keys other than the hostname (" + String.join(", ", named.subList(0, Math.min(3, named.size()))) + (named.size() > 3 ? ", …" : "")
                + "), are replayed as kube-scheduler filters them, ignored, where Karpenter's default preferencePolicy Respect treats "
                + "them as required when it launches and consolidates (its preferred pod affinities and anti-affinities on the hostname "
                + "and the zone, ScheduleAnyway spreads on the hostname and preferred node affinities it does follow), so its launches "
                + "and consolidation there may differ";
    }

    /**
     * Under Respect, the groups some preferred pod affinity or anti-affinity term on the zone selects: Karpenter's simulation
     * counts them per zone (its TopologyGroups count every selected pod: topology.go {@code countDomains}), which
     * kube-scheduler's filters do not ({@link KarpenterPreferences#zoneTargets}).
     */
    @Override
    public boolean[] zoneCounted(List<io.nodesizer.model.PodGroup> groups) {
        return settings.preferencePolicy() == PreferencePolicy.RESPECT ? KarpenterPreferences.zoneTargets(groups) : null;
    }

    @Override
    public String keepsNode(io.nodesizer.model.PodGroup group) {
        return DrainRules.karpenter(group);
    }

    @Override
    public String atLimit(Cluster cluster, int pod) {
        List<io.nodesizer.model.Placement.Term> terms = cluster.group(cluster.offset(pod) / D).placement().requiredTerms();
        boolean claimless = terms != null && terms.size() > 1 && preferences(cluster).claimless(cluster.offset(pod) / D);
        // Review 74 #2: a pod no type holds by the estimate runs out of relaxation steps too, whatever its terms: the estimate
        // is the reason then, asked of every type kube-scheduler would admit it to, as no one term's admits it.
        if (!heldByAType(cluster, pod, !claimless)) {
            // Some type's real allocatable holds it (else it would be unschedulable, not pending), none by Karpenter's estimate.
            return "no instance type holds it by Karpenter's estimate of the types, though a node's kubelet would"
                    + estimateShortfall(cluster, pod) + ": Karpenter launches no NodeClaim for it";
        }
        if (claimless) {
            // Review 73 #1: the types an earlier term admits were refused while it stood (a PreferNoSchedule taint, a
            // preferred node term), and Relax drops the term before it relaxes those.
            return "no instance type meets its last OR'd required node-affinity term, the one Karpenter's scheduler keeps once it "
                    + "has dropped the others, which it does before it relaxes preferences or tolerates PreferNoSchedule taints "
                    + "(preferences.go Relax): Karpenter launches no NodeClaim for it";
        }
        // The launch loop's own test: no claim past the limit, whatever shape it would be.
        int max = settings.maxNodes();
        return activeNodes(cluster) >= max ? "the NodePool is at its limit of " + max + (max == 1 ? " node" : " nodes") + " (--max-nodes)"
                : null;
    }

    /**
     * What keeps the cheapest type whose node would hold {@code pod} from holding it by Karpenter's estimate, as
     * "; <resource>: ..." per resource short (review 71b #8c): the pod's request, what
     * the estimate leaves for pods and of what (the type's memory less its VM overhead, kube-reserved for its ENI max pods, the
     * 100 MiB eviction threshold, the DaemonSets), and what the kubelet leaves; empty when no type's node holds it either.
     */
    private String estimateShortfall(Cluster cluster, int pod) {
        long[] demand = cluster.demand();
        int o = cluster.offset(pod);
        long[] row = Arrays.copyOfRange(demand, o, o + D);
        int best = -1;
        for (Pool p : cluster.pools()) {
            if (cluster.allowedOn(pod, p.index()) && fits(p.podCapacity(), row) && devicesHold(p, withGpu(new long[0], row[GPU]))
                    && (best < 0 || cheapest(cluster.pools(), onlyTwo(cluster, best, p.index()), Double.MAX_VALUE) == p.index())) {
                best = p.index();
            }
        }
        if (best < 0) {
            return "";
        }
        Pool p = cluster.pools().get(best);
        long[] est = estimate(cluster, p);
        long[] real = p.podCapacity();
        StringBuilder sb = new StringBuilder();
        for (Resource r : Resource.values()) {
            int i = r.ordinal();
            if (row[i] <= est[i]) {
                continue;
            }
            sb.append("; ").append(r.kubernetesName()).append(": it requests ").append(amount(r, row[i])).append(", Karpenter's estimate of ")
                    .append(p.name()).append(" leaves ").append(amount(r, est[i]));
            if (r == Resource.MEMORY && "eks".equals(p.shape().reservation())) {
                long mem = p.shape().capacity().memoryBytes();
                long kubeReserved = io.nodesizer.kube.provider.KarpenterReservation.kubeReservedMemoryBytes(p.shape());
                sb.append(" (its ").append(amount(r, mem)).append(" less the ")
                        .append(amount(r, io.nodesizer.kube.provider.KarpenterReservation.vmOverheadBytes(p.shape())))
                        .append("arm64".equals(p.shape().arch()) ? " VM overhead, 64 MiB Graviton CMA and 7.5 %" : " VM overhead, 7.5 %")
                        .append(" VM_MEMORY_OVERHEAD_PERCENT, kube-reserved ")
                        .append(amount(r, kubeReserved)).append(" for ").append(((kubeReserved >> 20) - 255) / 11)
                        .append(" pods (the max pods nodeadm reserves for), the 100 MiB eviction threshold")
                        .append(p.daemonSetLoad().toArray()[i] > 0 ? " and the DaemonSets' " + amount(r, p.daemonSetLoad().toArray()[i]) : "")
                        .append(")");
            }
            sb.append(" where its kubelet leaves ").append(amount(r, real[i]));
        }
        return sb.toString();
    }

    /** A mask of the pools with only {@code a} and {@code b} set (to pick the cheaper by {@link #cheapest}). */
    private static boolean[] onlyTwo(Cluster cluster, int a, int b) {
        boolean[] ok = new boolean[cluster.pools().size()];
        ok[a] = true;
        ok[b] = true;
        return ok;
    }

    /** {@code value} of {@code r} for a reason: memory and storage in MiB or GiB, CPU and GPUs in cores, pods as a count. */
    private static String amount(Resource r, long value) {
        return switch (r) {
            case MEMORY, EPHEMERAL_STORAGE -> value >= 1L << 30 ? String.format(java.util.Locale.ROOT, "%.2f GiB", value / (double) (1L << 30))
                    : (value >> 20) + " MiB";
            case CPU, GPU -> String.format(java.util.Locale.ROOT, "%.3f", value / 1000.0).replaceAll("\\.?0+$", "") + (r == Resource.CPU ? " CPU" : " GPU");
            case PODS -> value + " pods";
        };
    }

    /**
     * The nodes the NodePool's limit counts against a launch: launching and ready ones, less those being deleted (draining,
     * or waiting for their replacement). Upstream's provisioner builds its scheduler from {@code nodes.Active()}, the nodes
     * not marked for deletion (provisioner.go {@code Schedule}), and the scheduler's remaining resources are the limit less
     * those nodes' ({@code calculateExistingNodeClaims}); {@code Create} refuses only a NodePool whose usage already exceeds
     * the limit (its status counts every node until it is gone: {@link #launch} checks that too). So at the limit an expiring or consolidated node's replacement launches at once (QA 71a F16: with
     * {@code --max-nodes 1} an expired node's two pods waited 91 s for its deletion and a new node).
     */
    private int activeNodes(Cluster cluster) {
        return cluster.readyNodes() + cluster.provisioningNodes() - awaitingReplacement(cluster);
    }

    /** The ready nodes marked for deletion that wait for their replacement to be ready. */
    private int awaitingReplacement(Cluster cluster) {
        int count = 0;
        for (int[] pair : replacements) {
            count += cluster.state(pair[0]) == Cluster.READY ? 1 : 0;
        }
        return count;
    }

    @Override
    public long period() {
        return settings.pollPeriod();
    }

    @Override
    public void tick(Cluster cluster) {
        long now = cluster.now();
        finishReplacements(cluster);
        expire(cluster, now);
        int[] helped = cluster.newZoneMoves(); // null without zone rules
        int[][] coMoved = new int[1][];
        // The provisioner schedules the pods still on nodes being deleted with the pending ones
        // (provisioner.go Schedule: nodes.Deleting().ReschedulablePods), so pods a budget holds on a
        // draining node get a node before they are evicted when the others cannot take them.
        // Which of them the ready and in-flight nodes take is tried in the order the claims were planned in (Scheduler.Solve
        // queues all its pods by decreasing CPU, then memory, and tries the existing and in-flight nodes first): in the
        // pending queue's order, small pods queued first took the room the claims had planned for a large one, which then
        // opened another claim (QA 71a F3: a third node at 3 s, deleted empty a minute later; the result hung on row order).
        int deleting = cluster.podsOnHeldDrains(deletingScratch);
        // The nodes' what-if stays open for the launch plan, which asks them again after relaxing a pod (launch's Retry).
        Headroom room = ClusterAutoscaler.roomIfAsked(cluster, deleting, true); // review 71b #3: min 0 in provisioning too
        try {
            int[] pods = ClusterAutoscaler.unhelpedPending(cluster, scratch, helped, null, coMoved, Integer.MIN_VALUE, // Karpenter has no expendable pods
                    deletingScratch[0], deleting, nominations, false, queueRanks(cluster),
                    inFlightShortfall(cluster), // review 71b #2: an in-flight claim offers Karpenter's estimate
                    preferences(cluster).any() ? preferences(cluster) : null, noNewClaim(cluster), room); // preferencePolicy Respect
            uncovered = pods.length > 0 && cluster.version() != fruitlessVersion;
            if (!uncovered) {
                batchStart = -1;
            } else {
                if (batchStart < 0) {
                    batchStart = now;
                }
                if (now >= batchClose(cluster) || cluster.warm()) {
                    long before = cluster.version();
                    launch(cluster, pods, helped, coMoved, room);
                    fruitlessVersion = cluster.version() == before ? before : -1;
                    batchStart = -1;
                    uncovered = false;
                }
            }
        } finally {
            if (room != null) {
                room.close();
            }
        }
        if (command != null) {
            if (now >= command.due()) {
                Command c = command;
                command = null;
                boolean done = validateAndRun(cluster, c);
                // The controller goes on at once (upstream's Reconcile): after a command it requeues
                // immediately, after a dropped one it tries the next method in the same pass; a pass
                // that then finds nothing requeues a poll period later.
                pollAnchor = now;
                int next = done ? EMPTINESS : c.kind() == EMPTY ? MULTI_NODE : c.nodes().length > 1 ? SINGLE_NODE : SINGLE_NODE + 1;
                consolidatedVersion = -1;
                // Asked again after the command: a drain leaves its pods pending, a replacement
                // launches, and the model's passes wait for a quiet cluster (upstream's simulation
                // would reschedule those pods; not modelled).
                if (quiet(cluster) && next <= SINGLE_NODE) {
                    poll(cluster, next);
                }
            }
        } else if (quiet(cluster) && Math.floorMod(now - pollAnchor, settings.pollPeriod()) == 0) {
            poll(cluster, EMPTINESS);
        }
    }

    /**
     * Whether the disruption passes run: no node is launching, and no pod is pending that the provisioner may still
     * launch for. Pods pending though the provisioner's last try at this very state launched nothing for them (the
     * NodePool at its limit) do not keep the passes from running; they are in their simulation ({@link #simulateRemoval}),
     * as upstream's takes every pending pod in, and those no type holds are left aside ({@code AllNonPendingPodsScheduled}).
     */
    private boolean quiet(Cluster cluster) {
        return cluster.provisioningNodes() == 0 && nothingToLaunchFor(cluster);
    }

    /** Whether no pod is pending, or the provisioner's last try, at this very state, launched nothing for those that are. */
    private boolean nothingToLaunchFor(Cluster cluster) {
        return cluster.pendingCount() == 0 || fruitlessVersion == cluster.version();
    }

    /**
     * A disruption pass from method {@code from} on; a whole one (from emptiness) that found nothing
     * looks again only once something changed. One that began at a later method, after a command was
     * dropped, did not look at this state with the earlier methods: the next poll does (upstream's
     * controller requeues after the polling period and starts from emptiness again).
     */
    private void poll(Cluster cluster, int from) {
        long before = cluster.version();
        lastPoll = cluster.now();
        consolidate(cluster, from);
        consolidatedVersion = from == EMPTINESS && command == null && cluster.version() == before ? before : -1;
    }

    /** When the last disruption pass ran (Long.MIN_VALUE: none yet). */
    private long lastPoll = Long.MIN_VALUE;

    /** The first poll at or after {@code from} and after {@code lastTick}. */
    private long nextPoll(long from, long lastTick) {
        return pollAnchor + Autoscaler.nextGrid(from - pollAnchor, lastTick - pollAnchor, settings.pollPeriod());
    }

    /**
     * The lowest-numbered node that may still expire: nodes are numbered in the order they were
     * requested, so the oldest live one is the first not yet draining or gone.
     */
    private int oldest;

    /** {@link #oldest}, moved past the nodes draining or gone (they never come back). */
    private int oldestLive(Cluster cluster) {
        while (oldest < cluster.nodeCount() && (cluster.state(oldest) == Cluster.DRAINING || cluster.state(oldest) == Cluster.REMOVED)) {
            oldest++;
        }
        return oldest < cluster.nodeCount() ? oldest : -1;
    }

    /**
     * Expiration ({@code expireAfter}, v1's forceful disruption): a node whose NodeClaim was created
     * expireAfter ago is drained, whatever the disruption budget, with no replacement launched
     * first: its pods go pending and are provisioned for (those PodDisruptionBudgets keep once they let them go).
     */
    private void expire(Cluster cluster, long now) {
        if (settings.expireAfter() == Settings.NEVER) {
            return;
        }
        for (int node = oldestLive(cluster); node >= 0 && cluster.requestedAt(node) + settings.expireAfter() <= now; node = oldestLive(cluster)) {
            if (!moves.isEmpty()) {
                int[] pods = Arrays.copyOf(scratch[0], cluster.podsOnNode(node, scratch));
                Arrays.sort(pods);
                forgetMoves(pods);
            }
            cluster.drain(node, settings.evictionRetry(), queueRanks(cluster));
        }
    }

    private long batchClose(Cluster cluster) {
        long lastAdded = Math.max(cluster.lastPendingAdded(), batchStart);
        return Math.min(lastAdded + settings.batchIdle(), batchStart + settings.batchMax());
    }

    @Override
    public long nextTick(Cluster cluster, long lastTick, boolean changed) {
        long now = cluster.now();
        long next = Long.MAX_VALUE;
        if (uncovered && batchStart >= 0) {
            next = Math.max(batchClose(cluster), lastTick + 1);
        }
        if (changed && (cluster.pendingCount() > 0 || cluster.heldDrains() > 0)) {
            // (The pods held on draining nodes are provisioned for too: tick.)
            next = Math.min(next, Math.max(now, lastTick + 1));
        }
        if (changed && replacing()) {
            // A replacement that became ready has its old node drained at once (Karpenter's
            // orchestration queue waits for it, not for a poll), whether or not other nodes launch.
            next = Math.min(next, Math.max(now, lastTick + 1));
        }
        if (command != null) {
            next = Math.min(next, Math.max(command.due(), lastTick + 1));
        } else if (quiet(cluster) && cluster.version() != consolidatedVersion) {
            // Consolidation has not looked at this state yet: the next poll must.
            next = Math.min(next, nextPoll(now, lastTick));
        }
        int old = settings.expireAfter() == Settings.NEVER ? -1 : oldestLive(cluster);
        if (old >= 0) {
            // The oldest live node expires first (expire()).
            next = Math.min(next, Math.max(cluster.requestedAt(old) + settings.expireAfter(), lastTick + 1));
        }
        if (settings.consolidateAfter() > 0 && settings.consolidateAfter() != Settings.NEVER && nothingToLaunchFor(cluster)) {
            long deadline = Long.MAX_VALUE;
            for (int li = 0; li < cluster.liveCount(); li++) {
                int node = cluster.liveNode(li);
                // A node that became consolidatable after the last pass looked: the first poll from then on
                // must look again, even once that time has passed (a loop run every period meanwhile, off the
                // poll grid, must not lose it).
                if (cluster.state(node) == Cluster.READY && cluster.lastPodChange(node) + settings.consolidateAfter() > lastPoll) {
                    deadline = Math.min(deadline, cluster.lastPodChange(node) + settings.consolidateAfter());
                }
            }
            if (deadline != Long.MAX_VALUE) {
                next = Math.min(next, nextPoll(deadline, lastTick));
            }
        }
        return next;
    }

    // ------------------------------------------------------------------ provisioning

    /**
     * Plans claims for {@code pods}; {@code helped}: the pods the upcoming nodes take per (group, zone), or null without zone rules;
     * {@code coMovedOut[0]}: per group the targets of its hostname pod affinity that the ready and upcoming nodes take, or null;
     * {@code nodes}: the ready and upcoming nodes' what-if that left {@code pods} over, asked again for a pod relaxed here, and
     * closed before the claims are requested.
     */
    private void launch(Cluster cluster, int[] pods, int[] helped, int[][] coMovedOut, Headroom nodes) {
        markUndone(cluster, pods);
        long[] demand = cluster.demand();
        long[] order = inQueueOrder(cluster, pods, pods.length);
        List<Pool> pools = cluster.pools();
        List<long[]> sums = new ArrayList<>();
        List<long[]> gpus = new ArrayList<>(); // per virtual node, the GPU requests of its pods
        List<boolean[]> candidates = new ArrayList<>();
        io.nodesizer.engine.ConflictCounts onVirtual = new io.nodesizer.engine.ConflictCounts(cluster.conflicts(), cluster.caps(), cluster.sharedSpreads());
        // Required pod affinity: beside a target pod on the same claim, or anywhere as the first of a series.
        io.nodesizer.engine.CoLocation co = cluster.coLocation();
        io.nodesizer.engine.GroupCounts coVirtual = co == null ? null : new io.nodesizer.engine.GroupCounts(co.tracked(), 1);
        // Zones. A claim's zone is fixed by the first of its pods with a zone rule, as Karpenter's scheduler tightens a
        // NodeClaim's requirements with each pod it adds (topology.go AddRequirements): for a pod bound to zones (pod affinity
        // or anti-affinity on the zone, a zone selector), the zone with the fewest live nodes among those its requirements
        // admit; for a pod with a hard zone spread, a zone the spread admits where its pods are fewest
        // (topologygroup.go nextDomainTopologySpread: count + self - min <= maxSkew, the lowest count; ties here go to the
        // fewest nodes, then the first zone). One claim for such a pod, in a zone that takes it: launched in the round-robin
        // zone instead, a claim that landed where the spread refused the pod left it pending, and the next loop launched
        // another in the next zone (QA 68a F1: 4 claims for one api pod after each consolidation drain). Later pods with zone
        // rules join a claim only where their rules admit its zone; pods without join any. With pods bound to zones every
        // claim gets a zone when it opens (the fewest live nodes); otherwise a claim no pod with a zone rule fixed is left
        // to its pool to balance. Only a zone fixed is counted in the spreads (upstream Record: "we can only record the
        // domain if we know the specific domain we land in").
        int zones = cluster.zones();
        int[] zoneMoves = helped; // null when no zone rule applies
        boolean everyZoned = zoneMoves != null && cluster.hasZoneBoundPods();
        List<Integer> claimZone = new ArrayList<>(); // -1: not fixed (the pool balances its zones)
        // Per claim, the zones (bits) its zone requirement still admits, 0 while it has none: a kept preferred term on the zone
        // narrows a claim to the zones it admits (topology.go AddRequirements: nextDomainAffinity, nextDomainAntiAffinity), and
        // one zone left fixes it; a zone fixed otherwise is its one bit. Upstream records a pod on a claim of several zones in
        // all of them for the anti-affinities that select it, in none for the affinities (Record), and on a claim with no zone
        // requirement in none (KarpenterPreferences.plannedIn).
        List<Long> claimZones = new ArrayList<>();
        long[] prefZones = new long[pools.size()]; // per pool, the zones a pod's kept preferred terms on the zone admit
        int[] claimOf = zoneMoves == null || everyZoned ? null : new int[order.length]; // per pod in order, its claim (-1: none yet)
        // Per claim its pool once fixed (-1: chosen at launch, the cheapest that fits): a claim opened
        // by a pod with rules on keys whose values differ by pool is of the cheapest pool admitting it.
        List<Integer> fixedPool = new ArrayList<>();
        int[] zoneLoad = new int[zones];
        for (int z = 0; z < zones && zoneMoves != null; z++) {
            for (Pool p : pools) {
                zoneLoad[z] += cluster.liveIn(p.index(), z);
            }
        }
        boolean[] fitting = new boolean[pools.size()];
        // The claims in the order a pod tries them: upstream's Scheduler.add sorts its new NodeClaims by how many pods they
        // hold, fewest first, before each pod (scheduler.go: sort.Slice(s.newNodeClaims, len(Pods) ascending), then
        // addToInflightNode takes the first that can add it). The sort is in place, so ties keep the order the last sort left;
        // an insertion sort keeps that here: stable, as Go's sort.Slice is for up to 12 claims (it sorts those by insertion);
        // above 12 upstream's pdqsort breaks ties in an order of its own, not modelled (review 71b #7): ties only decide which
        // of two equally full claims a pod tries first.
        int[] tryOrder = new int[8];
        int[] podsIn = new int[8];
        // Karpenter's preferences (Respect): per claim the groups of its pods, one entry a pod, when a group has them kept.
        KarpenterPreferences prefs = preferences(cluster).any() ? preferences(cluster) : null;
        List<int[]> groupsIn = new ArrayList<>();
        // How many claims the NodePool's limit lets this plan make: upstream's scheduler subtracts each new claim from the
        // NodePool's remaining resources, and a pod no claim can take past it fails its add (a plan once opened claims past
        // the limit, never launched, which the later pods still joined).
        int room = cluster.billedNodes() > settings.maxNodes() ? 0 : Math.max(0, settings.maxNodes() - activeNodes(cluster));
        // The pod being tried again after a relaxation (Retry.pod, -1: none): its add failed (no claim took it and no new claim could be
        // made: the NodePool's limit, no zone or pool admitting it), and upstream relaxes it one step (preferences.go: the
        // first of its OR'd required terms, then its preferences a term at a time, then a toleration of PreferNoSchedule
        // taints) and tries the claims again (review 71b #8b: the next term was never tried). Retry.term: the required term it
        // now meets (-1: the one it launches with, firstTermPools); Retry.step: its preferences' relaxation step. The ready and
        // in-flight nodes were asked a step at a time already when no claim could be made at all (tick), and by any term, as
        // kube-scheduler asks them; a pod failing because this plan's own claims filled the NodePool's limit is asked of them
        // again at each step it is relaxed to, before the claims, as upstream's add asks the existing and in-flight nodes
        // first (review 73 #2), on the nodes' what-if that left it over (nodes: the pods it placed keep their room, those queued
        // after this one too, where upstream places them after it).
        Retry retry = new Retry(nodes, zoneMoves, coMovedOut);
        for (int i = 0; i < order.length; i++) {
            int[] coMoved = coMovedOut[0]; // a relaxed pod a node took may be a target
            int pod = (int) order[i];
            int step = pod == retry.pod ? retry.step : 0;
            int term = pod == retry.pod ? retry.term : -1;
            byPodCount(tryOrder, podsIn, sums.size());
            int o = cluster.offset(pod);
            if (claimOf != null) {
                claimOf[i] = -1;
            }
            boolean placed = false;
            boolean zoneRuled = zoneMoves != null && (cluster.zoneBound(pod) || cluster.zoneConstrains(o / D));
            // Karpenter's preferences on the zone, required until relaxed (Respect): they narrow a claim's zones, not fix them.
            boolean prefZoned = zoneMoves != null && prefs != null && prefs.zoneRuled(o / D, step);
            // Pod rules on keys whose values differ by pool (instance type, family) need the claim's
            // pool known: such a pod joins only a claim whose pool is fixed, or opens one of the
            // cheapest pool that admits it.
            boolean poolRuled = zoneMoves != null && cluster.poolBound(pod);
            boolean coLocated = co != null && co.constrains(o / D);
            // Targets the ready and in-flight nodes take count too: the pod is then no first of a series.
            int anywhere = coLocated ? cluster.coTargetsAnywhere(o / D) + co.targetsAnywhere(o / D, coVirtual)
                    + (coMoved == null ? 0 : coMoved[o / D]) : 0;
            for (int t = 0; t < sums.size() && !placed; t++) {
                int c = tryOrder[t];
                if (poolRuled && fixedPool.get(c) < 0) {
                    continue;
                }
                if (!onVirtual.admits(c, o / D)) {
                    continue; // required anti-affinity keeps it off this new node
                }
                if (coLocated && !co.admits(o / D, co.targetsOn(o / D, c, coVirtual), anywhere)) {
                    continue;
                }
                if (prefs != null && prefs.constrains(o / D) && !prefs.admitsBeside(o / D, groupsIn.get(c), podsIn[c], step)) {
                    continue; // a preferred anti-affinity or ScheduleAnyway spread on the hostname, required here
                }
                long[] sum = sums.get(c);
                boolean[] ok = candidates.get(c);
                long[] withPod = withGpu(gpus.get(c), demand[o + GPU]);
                for (Pool p : pools) {
                    fitting[p.index()] = ok[p.index()] && claimAdmits(cluster, pod, p.index(), term, step) && holds(estimate(cluster, p), sum, demand, o)
                            && devicesHold(p, withPod);
                }
                long within = claimZones.get(c);
                long allowed = within == 0 ? -1L : within; // the zones it may take the claim to
                if (prefZoned) {
                    allowed = narrowByPreferences(cluster, prefs, o / D, step, zoneMoves, fitting, allowed, prefZones);
                    if (allowed == 0) {
                        continue; // no zone the claim may still land in meets its kept preferences on the zone
                    }
                }
                int zone = claimZone.get(c);
                if (zoneRuled && zone < 0) {
                    zone = ruledZone(cluster, pod, fitting, zoneLoad, zoneMoves, allowed); // the pod fixes the claim's zone
                    if (zone < 0) {
                        continue;
                    }
                }
                boolean any = false;
                for (Pool p : pools) {
                    if (fitting[p.index()] && (!zoneRuled || cluster.claimAdmitsIn(p.index(), zone, pod, zoneMoves))) {
                        any = true;
                        break;
                    }
                }
                if (any) {
                    if (zone != claimZone.get(c)) {
                        claimZone.set(c, zone);
                        zoneLoad[zone]++;
                        for (int j = 0; j < i; j++) {
                            if (claimOf[j] == c) {
                                cluster.zoneMoveIn(zoneMoves, (int) order[j], fixedPool.get(c), zone, 1); // its pods so far count there now
                            }
                        }
                    } else if (zone < 0 && prefZoned && Long.bitCount(allowed) == 1) {
                        // Its preferences leave the claim one zone: fixed now. The pods already on it were recorded as they joined
                        // (upstream's Record, at each add, with the claim's requirements then).
                        zone = Long.numberOfTrailingZeros(allowed);
                        claimZone.set(c, zone);
                        zoneLoad[zone]++;
                    }
                    long narrowed = zone >= 0 ? 1L << zone : prefZoned ? allowed : within;
                    claimZones.set(c, narrowed);
                    for (int r = 0; r < D; r++) {
                        sum[r] += demand[o + r];
                    }
                    gpus.set(c, withPod);
                    for (Pool p : pools) {
                        ok[p.index()] &= fits(estimate(cluster, p), sum) && devicesHold(p, withPod) && claimAdmits(cluster, pod, p.index(), term, step)
                                && (!zoneRuled || cluster.claimAdmitsIn(p.index(), zone, pod, zoneMoves))
                                && (!prefZoned || (prefZones[p.index()] & narrowed) != 0);
                    }
                    if (prefs != null) {
                        int[] gs = groupsIn.get(c);
                        if (podsIn[c] == gs.length) {
                            groupsIn.set(c, gs = Arrays.copyOf(gs, gs.length * 2));
                        }
                        gs[podsIn[c]] = o / D;
                        prefs.planned(o / D, 1); // a target anywhere now, for the preferred pod affinities
                    }
                    onVirtual.add(c, o / D, 1);
                    if (coVirtual != null) {
                        coVirtual.add(c, 0, o / D, 1);
                    }
                    if (zoneMoves != null && zone >= 0) {
                        cluster.zoneMoveIn(zoneMoves, pod, fixedPool.get(c), zone, 1); // -1: the pool is chosen later
                    } else if (prefs != null && Long.bitCount(narrowed) > 1) {
                        prefs.plannedIn(o / D, narrowed);
                    }
                    if (claimOf != null) {
                        claimOf[i] = c;
                    }
                    podsIn[c]++;
                    placed = true;
                }
            }
            if (!placed && coLocated && !co.admits(o / D, 0, anywhere)) {
                continue; // a new claim would hold no target beside it: it stays pending, as Karpenter's simulation has it
            }
            if (!placed && prefs != null && !prefs.newClaimMeets(o / D, step)) {
                // A kept preferred pod affinity whose targets run or are placed somewhere, none on a node or claim that takes the
                // pod: a new claim holds none either (nextDomainAffinity), so add fails and the pod is relaxed, its affinity terms
                // first, and asked of the nodes and claims again, before any new claim is made for it.
                if (retry.relaxes(cluster, pod, term, step)) {
                    i--;
                }
                continue;
            }
            boolean failed = !placed && candidates.size() >= room; // the NodePool's limit: no new claim, its add fails
            if (failed) {
                if (retry.relaxes(cluster, pod, term, step)) {
                    i--;
                }
                continue;
            }
            if (!placed) {
                long[] sum = new long[D];
                System.arraycopy(demand, o, sum, 0, D);
                long[] own = withGpu(new long[0], demand[o + GPU]);
                boolean[] ok = new boolean[pools.size()];
                boolean any = false;
                for (Pool p : pools) {
                    ok[p.index()] = fits(estimate(cluster, p), sum) && devicesHold(p, own) && claimAdmits(cluster, pod, p.index(), term, step);
                    any |= ok[p.index()];
                }
                if (!any) {
                    // No type holds it by Karpenter's estimate: no claim, which would only have shifted the zone balance of
                    // the batch's other claims around a node never launched (review 71b #6). It stays pending, or tries its
                    // next term. (Its preferences, kept only where a type meets them, are not why: KarpenterPreferences.)
                    if (retry.relaxes(cluster, pod, term, step)) {
                        i--;
                    }
                    continue;
                }
                long allowed = -1L;
                if (prefZoned) {
                    allowed = narrowByPreferences(cluster, prefs, o / D, step, zoneMoves, ok, allowed, prefZones);
                    if (allowed == 0) {
                        // No zone meets its kept preferences on the zone (a new claim's zone is any the NodePool offers): add
                        // fails, and the pod is relaxed and asked of the nodes and claims again.
                        if (retry.relaxes(cluster, pod, term, step)) {
                            i--;
                        }
                        continue;
                    }
                }
                int zone = zoneRuled ? ruledZone(cluster, pod, ok, zoneLoad, zoneMoves, allowed)
                        : everyZoned ? Cluster.fewestIn(zoneLoad, 0, zones, allowed)
                        : prefZoned && Long.bitCount(allowed) == 1 ? Long.numberOfTrailingZeros(allowed) : -1;
                if (zoneRuled && zone < 0) {
                    if (retry.relaxes(cluster, pod, term, step)) { // no zone admits it: it stays pending, or is relaxed
                        i--;
                    }
                    continue;
                }
                for (Pool p : pools) {
                    // Only the pools whose nodes in that zone admit it (a zone selector can depend on pool labels).
                    ok[p.index()] &= (!zoneRuled || cluster.claimAdmitsIn(p.index(), zone, pod, zoneMoves))
                            && (!prefZoned || zone < 0 || (prefZones[p.index()] >>> zone & 1) != 0);
                }
                oneNodePool(cluster, ok);
                int pool = -1;
                if (poolRuled) {
                    pool = cheapest(pools, ok, Double.MAX_VALUE);
                    if (pool < 0) {
                        if (retry.relaxes(cluster, pod, term, step)) { // no pool admits it there
                            i--;
                        }
                        continue;
                    }
                    java.util.Arrays.fill(ok, false);
                    ok[pool] = true; // the claim's pool is fixed: pods that join it must fit that pool
                }
                if (zone >= 0) {
                    zoneLoad[zone]++;
                    cluster.zoneMoveIn(zoneMoves, pod, pool, zone, 1); // pool -1: chosen later, no pool-keyed rule counts it
                } else if (prefZoned && Long.bitCount(allowed) > 1) {
                    prefs.plannedIn(o / D, allowed);
                }
                if (claimOf != null) {
                    claimOf[i] = candidates.size();
                }
                if (candidates.size() == tryOrder.length) {
                    tryOrder = Arrays.copyOf(tryOrder, tryOrder.length * 2);
                    podsIn = Arrays.copyOf(podsIn, podsIn.length * 2);
                }
                tryOrder[candidates.size()] = candidates.size(); // tried last until the next sort
                podsIn[candidates.size()] = 1;
                claimZone.add(zone);
                claimZones.add(zone >= 0 ? 1L << zone : prefZoned ? allowed : 0L);
                fixedPool.add(pool);
                if (prefs != null) {
                    int[] gs = new int[4];
                    gs[0] = o / D;
                    groupsIn.add(gs);
                    prefs.planned(o / D, 1);
                }
                sums.add(sum);
                gpus.add(own);
                onVirtual.add(candidates.size(), o / D, 1);
                if (coVirtual != null) {
                    coVirtual.add(candidates.size(), 0, o / D, 1);
                }
                candidates.add(ok);
            }
        }
        nodes.close(); // the cluster changes now
        int live = activeNodes(cluster);
        if (cluster.billedNodes() > settings.maxNodes()) {
            // Create refuses every claim while the NodePool's usage exceeds its limit: its status counts each node until it is
            // gone, deleting ones too (provisioner.go Create, ExceededBy); the plan's own count leaves those out (review 71b #9:
            // a third node ran under --max-nodes 1 while an expiring one and its draining predecessor were both still there).
            return;
        }
        for (int c = 0; c < candidates.size(); c++) {
            if (live >= settings.maxNodes()) {
                break;
            }
            int cheapest = cheapest(pools, candidates.get(c), Double.MAX_VALUE);
            if (cheapest >= 0) {
                // A claim no zone rule fixed: the pool balances its nodes over the zones itself, within those its preferences
                // left it when they narrowed it (the cloud provider launches in one of the requirement's zones).
                int zone = claimZone.get(c);
                long within = claimZones.get(c);
                cluster.requestNode(cheapest, zone >= 0 || within == 0 ? zone : balancedWithin(cluster, cheapest, within));
                live++;
            }
        }
    }

    /**
     * Narrows a claim's pools {@code ok}, as it opens, to one NodePool: those whose taints are the same set as the cheapest's
     * (the type the claim would launch for its first pod alone). Upstream a NodeClaim is made from one NodePool's template
     * and carries its taints whatever instance type it launches (scheduler.go {@code addToNewNodeClaim}, one {@code
     * NodeClaimTemplate} a claim), and a pod joins it only if it tolerates them ({@code nodeclaim.go} {@code CanAdd}: {@code
     * Taints(n.Spec.Taints).ToleratesPod}, every effect). This run's NodePool stands for one per taint set of its shapes (a
     * shape's taints are a NodePool's, not an instance type's); they have no names or weights, so the cheapest stands for
     * upstream's weight-then-name order. Without it a claim opened by a pod tolerating m's taint took a pod that does not and
     * narrowed to the untainted types (review 73 #4: an xl for both, where upstream launches an m and an xl).
     */
    private void oneNodePool(Cluster cluster, boolean[] ok) {
        int[] taintSet = taintSets(cluster);
        if (taintSet == null) {
            return; // every shape has the same taints: one NodePool
        }
        int first = cheapest(cluster.pools(), ok, Double.MAX_VALUE);
        for (int p = 0; first >= 0 && p < ok.length; p++) {
            ok[p] &= taintSet[p] == taintSet[first];
        }
    }

    /** Per pool the index of the first pool with the same set of taints; null when all pools have the same set. */
    private int[] taintSets(Cluster cluster) {
        if (taintSetsCluster != cluster) {
            taintSetsCluster = cluster;
            List<Pool> pools = cluster.pools();
            int[] set = new int[pools.size()];
            boolean several = false;
            for (Pool p : pools) {
                java.util.Set<io.nodesizer.model.Placement.Taint> own = java.util.Set.copyOf(p.shape().taints());
                int q = 0;
                while (!java.util.Set.copyOf(pools.get(q).shape().taints()).equals(own)) {
                    q++; // ends at p itself at the latest
                }
                set[p.index()] = q;
                several |= q != 0;
            }
            taintSetsOf = several ? set : null;
        }
        return taintSetsOf;
    }

    private int[] taintSetsOf;
    private Cluster taintSetsCluster;

    /** Sorts {@code order[0..n)} (claim numbers) by {@code pods} per claim, fewest first; ties keep their order (insertion sort). */
    static void byPodCount(int[] order, int[] pods, int n) {
        for (int i = 1; i < n; i++) {
            int c = order[i];
            int j = i - 1;
            for (; j >= 0 && pods[order[j]] > pods[c]; j--) {
                order[j + 1] = order[j];
            }
            order[j + 1] = c;
        }
    }

    /**
     * The zone a claim gets for {@code pod}, whose zone rules decide it, on one of the pools {@code ok} marks: of the zones
     * its rules admit, the one where its group's pods (those the running and planned nodes hold, {@code zoneMoves}) are
     * fewest, as Karpenter's {@code nextDomainTopologySpread} picks the lowest count its spread admits (0 for a pod without
     * a zone spread), then the fewest live and planned nodes ({@code zoneLoad}), then the first; -1 when none admits it.
     */
    private static int ruledZone(Cluster cluster, int pod, boolean[] ok, int[] zoneLoad, int[] zoneMoves, long allowed) {
        int best = -1;
        int bestCount = 0;
        for (int z = 0; z < cluster.zones(); z++) {
            if ((allowed >>> z & 1) == 0 || !zoneAdmits(cluster, ok, z, pod, zoneMoves)) {
                continue;
            }
            int count = cluster.zoneRunning(pod, z, zoneMoves);
            if (best < 0 || count < bestCount || count == bestCount && zoneLoad[z] < zoneLoad[best]) {
                best = z;
                bestCount = count;
            }
        }
        return best;
    }

    /**
     * Narrows the pools {@code ok} to those where a claim for a pod of {@code group} at relaxation {@code step} meets its kept
     * preferred terms on the zone in one of the zones {@code allowed} (bits) ({@link KarpenterPreferences#zonesAdmitted}, per pool
     * into {@code prefZones}); returns the zones some pool left meets them in (0: none).
     */
    private static long narrowByPreferences(Cluster cluster, KarpenterPreferences prefs, int group, int step, int[] zoneMoves, boolean[] ok,
                                            long allowed, long[] prefZones) {
        long out = 0;
        for (int p = 0; p < ok.length; p++) {
            prefZones[p] = ok[p] ? prefs.zonesAdmitted(group, p, step, zoneMoves) : 0;
            ok[p] &= (prefZones[p] & allowed) != 0;
            out |= prefZones[p] & allowed;
        }
        return out;
    }

    /** Of the zones {@code within} (bits), the one with the fewest live nodes of {@code pool}, the first of those on a tie. */
    private static int balancedWithin(Cluster cluster, int pool, long within) {
        int best = -1;
        for (int z = 0; z < cluster.zones(); z++) {
            if ((within >>> z & 1) != 0 && (best < 0 || cluster.liveIn(pool, z) < cluster.liveIn(pool, best))) {
                best = z;
            }
        }
        return best;
    }

    /** Whether the pod's zone rules admit {@code zone} on a node of one of the claim's pools ({@code ok}). */
    private static boolean zoneAdmits(Cluster cluster, boolean[] ok, int zone, int pod, int[] zoneMoves) {
        for (int p = 0; p < ok.length; p++) {
            if (ok[p] && cluster.claimAdmitsIn(p, zone, pod, zoneMoves)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks {@link #undone} the moves one of whose evicted pods is among {@code pods}, pending since the move and launched
     * for, or preempted a pod among them since the move: with a lower-priority pod in the way, the evicted pod kube-scheduler
     * placed otherwise than the simulation evicts it rather than wait, and the launch is for the victim (QA 70a F4: an
     * overprovisioning placeholder evicted 240 times in two days, a launch each time, the move made again and again).
     */
    private void markUndone(Cluster cluster, int[] pods) {
        for (java.util.Iterator<Move> it = moves.iterator(); it.hasNext(); ) {
            Move m = it.next();
            for (int pod : pods) {
                int by = cluster.preemptorOf(pod);
                if ((Arrays.binarySearch(m.pods(), pod) >= 0 || by >= 0 && Arrays.binarySearch(m.pods(), by) >= 0)
                        && cluster.pendingSince(pod) >= m.at()) {
                    undone.add(m.key());
                    it.remove();
                    break;
                }
            }
        }
    }

    /** Remembers a move carried out now from the state of the last {@link #simulateRemoval}: the pods on {@code nodes}. */
    private void carriedOut(Cluster cluster, int[] nodes) {
        int count = 0;
        for (int node : nodes) {
            count += cluster.podsOn(node);
        }
        int[] pods = new int[count];
        int k = 0;
        for (int node : nodes) {
            int m = cluster.podsOnNode(node, scratch);
            System.arraycopy(scratch[0], 0, pods, k, m);
            k += m;
        }
        Arrays.sort(pods);
        forgetMoves(pods);
        if (moves.size() == MOVES_KEPT) {
            moves.removeFirst();
        }
        moves.addLast(new Move(moveKey(cluster), pods, cluster.now()));
    }

    /**
     * Forgets the moves that evicted one of {@code pods} (sorted), which are evicted again now: a launch for them
     * from now on is the new disruption's doing.
     */
    private void forgetMoves(int[] pods) {
        moves.removeIf(m -> {
            for (int pod : m.pods()) {
                if (Arrays.binarySearch(pods, pod) >= 0) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * The key of the move the last {@link #simulateRemoval} tried, taken before the cluster changes: the pods it placed
     * (the candidates', the pending ones and those on nodes being deleted) with the pods of each node it put one on and
     * that node's pool. Node numbers are left out: the loop made the same move between new nodes. Pods count by their
     * group, not their number: the pods of one group are alike (requests, rules), and after the move the pod left
     * pending is not always the same one. Under a zone spread the loop put back a different replica each time (the
     * scheduler's largest-first order met the drained pods, and one of them found its zone full), so a key by pod
     * number never repeated and the move was made again after each launch (QA 68a F1). Under zone rules the key also
     * holds how many pods of each moved group run in each zone: the move was undone at those counts (a zone full for the
     * spread then), and at other counts it may hold, so a key by groups alone vetoed it for the rest of the replay, every
     * night of a week once undone on the first (review 69 #3).
     */
    private long moveKey(Cluster cluster) {
        long key = 0x9E3779B97F4A7C15L;
        int zones = cluster.zones();
        int counted = 0;
        for (long k : simPods) {
            int group = cluster.offset((int) k) / D;
            key += mix(group);
            if (zones > 1 && !seenGroup(group, counted)) {
                seenGroups[counted++] = group;
                long z = mix(~group);
                for (int zone = 0; zone < zones; zone++) {
                    z = mix(z + cluster.zoneRunning((int) k, zone, null)); // 0 in every zone for a group no zone rule counts
                }
                key += z;
            }
        }
        Arrays.sort(simDest, 0, simDests);
        for (int i = 0; i < simDests; i++) {
            if (i > 0 && simDest[i] == simDest[i - 1]) {
                continue;
            }
            int m = cluster.podsOnNode(simDest[i], scratch);
            long on = mix(-1 - cluster.pool(simDest[i]));
            for (int j = 0; j < m; j++) {
                on += mix(cluster.offset(scratch[0][j]) / D);
            }
            key += mix(on);
        }
        return key == 0 ? 1 : key;
    }

    /** The groups {@link #moveKey} has counted per zone so far, in {@code seenGroups[0..counted)}. */
    private int[] seenGroups = new int[8];

    /** Whether {@code group} is among the first {@code counted} of {@link #seenGroups}, which grows to hold one more. */
    private boolean seenGroup(int group, int counted) {
        for (int i = 0; i < counted; i++) {
            if (seenGroups[i] == group) {
                return true;
            }
        }
        if (counted == seenGroups.length) {
            seenGroups = Arrays.copyOf(seenGroups, counted * 2);
        }
        return false;
    }

    /** A 64-bit mix of {@code x} (SplitMix64's finalizer). */
    private static long mix(long x) {
        long z = x * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static boolean holds(long[] cap, long[] sum, long[] demand, int offset) {
        for (int r = 0; r < D; r++) {
            if (sum[r] + demand[offset + r] > cap[r]) {
                return false;
            }
        }
        return true;
    }

    /**
     * What Karpenter takes a new node of {@code p} to offer pods: its instance type's estimate
     * ({@link io.nodesizer.kube.provider.KarpenterReservation#estimatedAllocatable}) less the DaemonSets. Claims are planned,
     * and consolidation's replacements chosen, with it; the nodes once ready hold what their real allocatable holds, as
     * upstream's scheduler takes a registered node's reported allocatable (QA 71a F1: a 29 GiB pod was given an m5.2xlarge,
     * whose real 29.8 GiB holds it but whose estimate, 28.6 GiB, does not).
     */
    /**
     * Per pool, what its node's real allocatable holds beyond Karpenter's estimate ({@link #estimate}), or null where it holds
     * no more: a node still launching offers the estimate alone (review 71b #2: a pod arriving while a claim launched was
     * counted on room Karpenter does not believe in, and no second claim launched).
     */
    private long[][] inFlightShortfall(Cluster cluster) {
        estimate(cluster, cluster.pools().get(0)); // the per-cluster cache, built with the estimates
        return shortfall;
    }

    private long[] estimate(Cluster cluster, Pool p) {
        if (estimatesCluster != cluster) {
            estimatesCluster = cluster;
            estimates = new long[cluster.pools().size()][];
            long[][] less = new long[cluster.pools().size()][];
            boolean any = false;
            for (Pool q : cluster.pools()) {
                long[] est = Pool.podCapacity(io.nodesizer.kube.provider.KarpenterReservation.estimatedAllocatable(q.shape()),
                        q.daemonSetLoad());
                estimates[q.index()] = est;
                long[] real = q.podCapacity();
                long[] over = new long[real.length];
                boolean some = false;
                for (int r = 0; r < real.length; r++) {
                    over[r] = Math.max(0, real[r] - est[r]);
                    some |= over[r] > 0;
                }
                less[q.index()] = some ? over : null;
                any |= some;
            }
            shortfall = any ? less : null;
        }
        return estimates[p.index()];
    }

    /** Per cluster: each pool's {@link #estimate}, and what its real allocatable holds beyond it ({@link #inFlightShortfall}). */
    private long[][] estimates;
    private long[][] shortfall;
    private Cluster estimatesCluster;

    /**
     * Whether a new claim of {@code pool} may take {@code pod}, as Karpenter reads the pod's rules: its node selector,
     * affinity and tolerations admit the pool, and of several OR'd required node-affinity terms the pool meets the first
     * that some type can meet with the pod alone. Karpenter's scheduler keeps only the first term as the pod's requirements
     * and removes it for the next only when the pod cannot schedule at all (pkg/scheduling/requirements.go
     * {@code newPodRequirements}: "Select first requirement. An outer loop will iteratively remove OR requirements if
     * unsatisfiable"; preferences.go {@code removeRequiredNodeAffinityTerm}); kube-scheduler takes any term (QA 71a F15: a
     * pod requiring {@code size In [l]} or {@code size In [m]} got a medium, where Karpenter launches a large).
     */
    private boolean claimAdmits(Cluster cluster, int pod, int pool) {
        return claimAdmits(cluster, pod, pool, -1, 0);
    }

    /**
     * As above with the pod's OR'd required terms relaxed to {@code term} (-1: the one it launches with, {@link
     * #firstTermPools}): a claim must meet that one ({@link #relaxation}); and with its preferences at relaxation {@code step}
     * (0: the one it launches at, {@link KarpenterPreferences}): the claim meets the preferred node term kept there, and
     * until upstream's last step (preferences.go {@code toleratePreferNoScheduleTaints}) a pool whose PreferNoSchedule taint
     * the pod does not tolerate does not take it, as {@code Taints.ToleratesPod} asks every effect.
     */
    private boolean claimAdmits(Cluster cluster, int pod, int pool, int term, int step) {
        if (!cluster.allowedOn(pod, pool)) {
            return false;
        }
        int g = cluster.offset(pod) / D;
        if (term >= 0) {
            io.nodesizer.model.PodGroup group = cluster.group(g);
            Pool p = cluster.pools().get(pool);
            if (!io.nodesizer.kube.NodeMatching.termOnShape(group.placement().requiredTerms().get(term), p.shape(), p.labels())) {
                return false;
            }
        } else {
            boolean[] only = firstTermPools(cluster)[g];
            if (only != null && !only[pool]) {
                return false;
            }
        }
        KarpenterPreferences prefs = preferences(cluster);
        return prefs.poolAdmits(g, pool, step) && prefs.tolerates(g, pool, step);
    }

    /**
     * The pod a launch plan tries again after relaxing it one step, with the required term it meets and its preferences' step;
     * first asked of the ready and in-flight nodes at that step ({@code room}), as upstream's {@code add} asks {@code
     * addToExistingNode} before the claims after every {@code Relax} (review 73 #2: it asked the plan's claims alone).
     */
    private final class Retry {
        private final Headroom room;
        private final int[] zoneMoves;
        private final int[][] coMoved;
        int pod = -1;
        int term = -1;
        int step;

        Retry(Headroom room, int[] zoneMoves, int[][] coMoved) {
            this.room = room;
            this.zoneMoves = zoneMoves;
            this.coMoved = coMoved;
        }

        /**
         * Relaxes {@code pod}, whose add failed at {@code term} and {@code step} ({@link #relaxation}); whether it is to be tried
         * on the claims again: not when nothing is left to relax, nor when a node takes it at its new step. The nodes are
         * asked only when a preference was relaxed: they admit any OR'd required term already (kube-scheduler's reading), and
         * their room only shrinks within a plan.
         */
        boolean relaxes(Cluster cluster, int pod, int term, int step) {
            int[] next = relaxation(cluster, pod, term, step);
            if (next == null) {
                return false;
            }
            this.pod = pod;
            this.term = next[0];
            this.step = next[1];
            int slot = next[1] != step ? room.placeAt(pod, next[1]) : -1;
            if (slot < 0) {
                return true;
            }
            if (cluster.state(slot) == Cluster.READY) {
                nominations.add(pod, slot);
            }
            if (zoneMoves != null) {
                cluster.zoneMove(zoneMoves, pod, slot, 1); // the zone rules count it where the node is
            }
            if (coMoved[0] != null) {
                coMoved[0] = room.coMovedAnywhere(); // it may be a target of another pod's affinity
            }
            this.pod = -1;
            return false;
        }
    }

    /**
     * The next relaxation of a pod whose add failed at required term {@code term} (-1: the one it launched with) and at its
     * preferences' relaxation {@code step}, as {@code {term, step}}; null when nothing is left to relax. Upstream's order
     * (preferences.go {@code Relax}): the first of several OR'd required terms goes while more than one is left, so the next
     * term is tried, then the preferences a term at a time, then, last and only when some NodePool has a PreferNoSchedule
     * taint, a toleration of them all ({@link KarpenterPreferences}); under Ignore too, whose scheduler relaxes alike
     * (scheduler.go {@code trySchedule} asks no policy).
     */
    private int[] relaxation(Cluster cluster, int pod, int term, int step) {
        int g = cluster.offset(pod) / D;
        List<io.nodesizer.model.Placement.Term> terms = cluster.group(g).placement().requiredTerms();
        KarpenterPreferences prefs = preferences(cluster);
        int at = term >= 0 ? term : prefs.requiredTerm(g);
        if (terms != null && at < terms.size() - 1) {
            return new int[]{at + 1, step};
        }
        return step < prefs.lastStep(g) ? new int[]{term, step + 1} : null;
    }

    /**
     * Per group with several OR'd required node-affinity terms, the pools of the one a claim meets: the first that a type
     * holding the pod alone meets, or, under Respect, the one upstream's relaxation reaches first with the pod's preferred
     * node term ({@link KarpenterPreferences#requiredTerm}); null: no such choice. No pool at all (every entry false) for a
     * group no pool admits at any step ({@link KarpenterPreferences#claimless}): upstream drops the OR'd terms but the last
     * for good before it relaxes anything else, so a pool that only an earlier term admitted, refused then by a
     * PreferNoSchedule taint or a preferred node term, is no choice once those are relaxed; the pod stays pending.
     */
    private boolean[][] firstTermPools(Cluster cluster) {
        if (termsCluster != cluster) {
            termsCluster = cluster;
            int groups = cluster.demand().length / D;
            termPools = new boolean[groups][];
            KarpenterPreferences prefs = preferences(cluster);
            for (int g = 0; g < groups; g++) {
                if (prefs.claimless(g)) {
                    termPools[g] = new boolean[cluster.pools().size()]; // no pool: upstream's relaxation ran out, no claim
                    continue;
                }
                io.nodesizer.model.PodGroup group = cluster.group(g);
                List<io.nodesizer.model.Placement.Term> terms = group.placement().requiredTerms();
                if (terms == null || terms.size() < 2) {
                    continue;
                }
                int t = prefs.requiredTerm(g);
                boolean[] ok = new boolean[cluster.pools().size()];
                boolean any = false;
                for (Pool p : cluster.pools()) {
                    ok[p.index()] = p.allows(group) && io.nodesizer.kube.NodeMatching.termOnShape(terms.get(t), p.shape(), p.labels())
                            && holdsAlone(cluster, g, p);
                    any |= ok[p.index()];
                }
                termPools[g] = any ? ok : null;
            }
        }
        return termPools;
    }

    /** Whether a new node of {@code p} holds one pod of group {@code g} by Karpenter's estimate: its requests, its GPUs on the devices. */
    private boolean holdsAlone(Cluster cluster, int g, Pool p) {
        long[] row = Arrays.copyOfRange(cluster.demand(), g * D, g * D + D);
        return fits(estimate(cluster, p), row) && devicesHold(p, withGpu(new long[0], row[GPU]));
    }

    /** The groups' preferences as the policy has Karpenter's scheduler require them, per cluster. */
    private KarpenterPreferences preferences(Cluster cluster) {
        if (preferencesCluster != cluster) {
            preferencesCluster = cluster;
            prefs = KarpenterPreferences.of(cluster, settings.preferencePolicy() == PreferencePolicy.RESPECT,
                    (g, p) -> holdsAlone(cluster, g, p));
        }
        return prefs;
    }

    private KarpenterPreferences prefs;
    private Cluster preferencesCluster;

    /**
     * Whether no new claim can be made now: the NodePool at its limit (its active nodes, or its billed ones beyond it:
     * {@link #launch}). Upstream's add then fails for every pod the nodes and claims cannot take, and it relaxes them.
     */
    private boolean noNewClaim(Cluster cluster) {
        return activeNodes(cluster) >= settings.maxNodes() || cluster.billedNodes() > settings.maxNodes();
    }

    private boolean[][] termPools;
    private Cluster termsCluster;

    /** The GPU requests plus one more (unchanged when the pod has no GPUs). */
    private static long[] withGpu(long[] requests, long g) {
        if (g <= 0) {
            return requests;
        }
        long[] out = java.util.Arrays.copyOf(requests, requests.length + 1);
        out[requests.length] = g;
        return out;
    }

    /** Whether a node of the pool gives these GPU requests devices ({@link GpuDevices#assign}). */
    private static boolean devicesHold(Pool p, long[] requests) {
        return requests.length == 0 || GpuDevices.assign(requests, p.gpuDevices()) != null;
    }

    private static boolean fits(long[] cap, long[] sum) {
        for (int r = 0; r < D; r++) {
            if (sum[r] > cap[r]) {
                return false;
            }
        }
        return true;
    }

    /** The cheapest allowed pool below {@code below} per hour (unpriced last, then smaller CPU, then index), or -1. */
    private static int cheapest(List<Pool> pools, boolean[] ok, double below) {
        int best = -1;
        for (Pool p : pools) {
            if (!ok[p.index()]) {
                continue;
            }
            double price = Double.isNaN(p.pricePerHour()) ? Double.MAX_VALUE : p.pricePerHour();
            if (price >= below) {
                continue;
            }
            if (best < 0) {
                best = p.index();
                continue;
            }
            Pool b = pools.get(best);
            double bp = Double.isNaN(b.pricePerHour()) ? Double.MAX_VALUE : b.pricePerHour();
            int cpu = Resource.CPU.ordinal();
            if (price < bp || (price == bp && p.podCapacity()[cpu] < b.podCapacity()[cpu])) {
                best = p.index();
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ consolidation

    private void finishReplacements(Cluster cluster) {
        List<Integer> replaced = new ArrayList<>(); // drained together: one command's nodes, their pods in one queue order
        replacements.removeIf(pair -> {
            int old = pair[0];
            int repl = pair[1];
            byte s = cluster.state(repl);
            if (cluster.state(old) != Cluster.READY) {
                return true; // the old node went another way (emptied and deleted); the new one just serves
            }
            if (s == Cluster.READY) {
                replaced.add(old);
                return true;
            }
            return s != Cluster.PROVISIONING;
        });
        if (!replaced.isEmpty()) {
            cluster.drainAll(replaced.stream().mapToInt(Integer::intValue).toArray(), settings.evictionRetry(), queueRanks(cluster));
        }
    }

    private boolean replacing() {
        return !replacements.isEmpty();
    }

    /** One pass of the disruption methods from {@code from} on ({@link #EMPTINESS}...): the first command found waits for its validation. */
    private void consolidate(Cluster cluster, int from) {
        long now = cluster.now();
        int allowed = allowedDisruptions(cluster);
        int[] empty = new int[Math.max(0, allowed)];
        int emptyCount = 0;
        for (int li = 0; li < cluster.liveCount() && emptyCount < allowed && from <= EMPTINESS; li++) {
            int node = cluster.liveNode(li);
            if (emptyCandidate(cluster, node, now)) {
                empty[emptyCount++] = node;
            }
        }
        if (emptyCount > 0) {
            command = new Command(EMPTY, Arrays.copyOf(empty, emptyCount), -1, now + VALIDATION_WAIT);
            return;
        }
        if (allowed == 0 || settings.consolidation() == Consolidation.WHEN_EMPTY || replacing()) {
            return;
        }
        if (settings.consolidation() == Consolidation.BALANCED) {
            poolTotals(cluster);
        }
        int[] ranked = fewestPodsFirst(cluster, now, Math.max(MAX_CANDIDATES, Math.min(allowed, MULTI_BATCH + 1)));
        if (plainCluster != cluster) {
            plainCluster = cluster;
            // Preferences Karpenter requires say where pods may go too: no plain moves then.
            plain = cluster.amountsAlone() && !preferences(cluster).any() ? new PlainMoves(cluster, null) : null;
        }
        command = from <= MULTI_NODE ? multiNode(cluster, ranked, allowed, now) : null;
        if (command != null) {
            return;
        }
        // Single-node consolidation: the candidates one at a time, the first that can go.
        for (int i = 0; i < Math.min(ranked.length, MAX_CANDIDATES); i++) {
            if (!canPassThreshold(cluster, ranked[i])) {
                continue;
            }
            command = removal(cluster, new int[]{ranked[i]}, 1, now + VALIDATION_WAIT);
            if (command != null) {
                return;
            }
        }
    }

    /**
     * Whether {@code node} is an empty consolidation candidate: ready, no pods, none started or stopped for consolidateAfter,
     * no DaemonSet's do-not-disrupt pods on it.
     */
    private boolean emptyCandidate(Cluster cluster, int node, long now) {
        // A DaemonSet's do-not-disrupt pods keep an empty node too (ValidatePodsDisruptable lets DaemonSet pods block).
        return consolidatable(cluster, node, now) && cluster.podsOn(node) == 0 && !nominated(node)
                && keptByDaemonSets(cluster)[cluster.pool(node)] == 0;
    }

    /** The pods this tick's provisioner simulation placed on ready nodes (pending ones, and those on nodes being deleted). */
    private final SnapshotPods nominations = new SnapshotPods();

    /**
     * Whether the provisioner's simulation of this tick placed a pod on {@code node}: such a node is
     * nominated for it ({@code Cluster.NominateNodeForPod}) and no disruption candidate ("state node
     * is nominated for a pending pod"), so a node that the pods held on a draining node are to move
     * to is not consolidated away under them while they wait. Upstream's nomination lasts a window
     * (twice the batch's max duration, at least 10 s) renewed at each provisioning pass; here it holds
     * exactly while the tick's simulation puts a pod there, which every disruption pass follows, so
     * that it does not depend on how often the replay ticks. (Disruption passes run when nothing is
     * pending: then only the held pods' placements are in the list.)
     */
    private boolean nominated(int node) {
        return nominations.on(node);
    }

    /** Whether {@code node} is ready and its pods have not started or stopped for consolidateAfter (upstream's Consolidatable condition). */
    private boolean consolidatable(Cluster cluster, int node, long now) {
        return cluster.state(node) == Cluster.READY && now - cluster.lastPodChange(node) >= settings.consolidateAfter();
    }

    /**
     * Carries out {@code c} if it still holds after the wait, as Karpenter's validators check it
     * ({@code EmptinessValidator}, {@code ConsolidationValidator}): every node still a candidate
     * (still empty for empty nodes) and within the disruption budget as it is now, and for the
     * others the simulation saying the same ({@link #validateAndRunRemoval}). Otherwise the command
     * is dropped. Returns whether it was carried out.
     */
    private boolean validateAndRun(Cluster cluster, Command c) {
        long now = cluster.now();
        if (c.nodes().length > allowedDisruptions(cluster)) {
            return false;
        }
        if (c.kind() == EMPTY) {
            for (int node : c.nodes()) {
                if (!emptyCandidate(cluster, node, now)) {
                    return false;
                }
            }
            cluster.drainAll(c.nodes(), settings.evictionRetry(), queueRanks(cluster));
            return true;
        }
        return validateAndRunRemoval(cluster, c, now);
    }

    /**
     * A single- or multi-node command after its wait, as the {@code ConsolidationValidator} checks it: every
     * node still consolidatable (ready, its pods unchanged for consolidateAfter; one that emptied
     * meanwhile still is), and the simulation of removing them all again saying the same: no new node
     * for a deletion; for a replacement exactly one, of which every type the command could launch is
     * still one that holds the pods left ({@code instanceTypesAreSubset}). Then the nodes are drained,
     * or the replacement is launched and they are drained once it is ready.
     */
    private boolean validateAndRunRemoval(Cluster cluster, Command c, long now) {
        if (replacing()) {
            return false;
        }
        for (int node : c.nodes()) {
            if (!consolidatable(cluster, node, now)) {
                return false;
            }
        }
        int left = simulateRemoval(cluster, c.nodes(), c.nodes().length, null);
        if (c.pool() < 0) {
            if (left == 0) {
                carriedOut(cluster, c.nodes());
                cluster.drainAll(c.nodes(), settings.evictionRetry(), queueRanks(cluster));
            }
            return left == 0;
        }
        boolean[] holding = left == 0 ? null : holdingPools(cluster, leftPods, left, c.nodes());
        if (holding == null) {
            return false;
        }
        for (int p = 0; p < holding.length; p++) {
            if (c.options()[p] && !holding[p]) {
                return false;
            }
        }
        carriedOut(cluster, c.nodes());
        int replacement = cluster.requestNode(c.pool(), replacementZone(cluster, c.nodes(), c.pool()));
        for (int node : c.nodes()) {
            replacements.add(new int[]{node, replacement});
        }
        return true;
    }

    /**
     * Karpenter's multi-node consolidation ({@code MultiNodeConsolidation}, tried after the empty
     * nodes and before single-node consolidation): of the candidates in order, as many as the
     * disruption budget allows, at most {@link #MULTI_BATCH}, a binary search over how many of the
     * first ones can go at once ({@code firstNConsolidationOption}: from 2 up; a prefix that can is
     * kept and a longer one tried, else a shorter one). A prefix can go when its pods all fit on the
     * other ready nodes (delete them all), or those left over fit on one new node of a type that
     * costs less than the prefix together and, when it is the type of one of the prefix's nodes, less
     * than that node ({@code filterOutSameInstanceType}: else deleting the others alone would do);
     * the longest such prefix is the command, or null when none of two or more nodes can.
     */
    private Command multiNode(Cluster cluster, int[] ranked, int allowed, long now) {
        int disruptable = Math.min(ranked.length, allowed);
        if (disruptable < 2) {
            return null;
        }
        int lo = 1;
        int hi = Math.min(disruptable, MULTI_BATCH);
        if (disruptable <= hi) {
            hi = disruptable - 1;
        }
        Command saved = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Command c = removal(cluster, ranked, mid + 1, now + VALIDATION_WAIT);
            if (c != null) {
                saved = c;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return saved;
    }

    /** The multi-node command that removes {@code nodes[0..n)} ({@link #multiNode}), or null when they cannot go together. */
    private Command removal(Cluster cluster, int[] nodes, int n, long due) {
        int left = simulateRemoval(cluster, nodes, n, replaceable(cluster, nodes, n));
        if (left < 0 || !undone.isEmpty() && undone.contains(moveKey(cluster))) {
            return null;
        }
        int[] these = Arrays.copyOf(nodes, n);
        if (left == 0) {
            return approved(cluster, nodes, n, -1) ? new Command(REMOVE, these, -1, due) : null;
        }
        boolean[] options = holdingPools(cluster, leftPods, left, these);
        if (options == null) {
            return null;
        }
        List<Pool> pools = cluster.pools();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += pools.get(cluster.pool(nodes[i])).pricePerHour();
        }
        if (Double.isNaN(total)) {
            return null; // a node without a price: no cheaper replacement can be told
        }
        // filterOutSameInstanceType: among the cheaper types, one of the nodes' own caps the price.
        double cap = total;
        for (int i = 0; i < n; i++) {
            double own = pools.get(cluster.pool(nodes[i])).pricePerHour();
            if (options[cluster.pool(nodes[i])] && own < total) {
                cap = Math.min(cap, own);
            }
        }
        for (Pool p : pools) {
            options[p.index()] &= !Double.isNaN(p.pricePerHour()) && p.pricePerHour() < cap;
        }
        int pool = cheapest(pools, options, Double.MAX_VALUE);
        return pool < 0 || !approved(cluster, nodes, n, pool) ? null : new Command(REMOVE, these, pool, due, options);
    }

    /** Balanced approves a move whose ratio (below) is at least 1/k, k = 2 ({@code BalancedK}). */
    private static final int BALANCED_K = 2;
    /**
     * The NodePool's totals for Balanced, taken at the start of a pass ({@code computeNodePoolTotals}):
     * the price of every live node (launching and draining ones too, as {@code ClusterCost} tracks
     * its NodeClaims; an unknown price counts 0), and their disruption costs, 1 a node plus each pod's eviction cost (1 without priorities)
     * ({@code PerNodeBaseDisruptionCost} and {@code EvictionCost} of a pod without priority or
     * deletion cost).
     */
    private double poolCost;
    private double poolDisruption;

    private void poolTotals(Cluster cluster) {
        poolCost = 0;
        poolDisruption = 0;
        for (int li = 0; li < cluster.liveCount(); li++) {
            int node = cluster.liveNode(li);
            poolCost += priceOf(cluster, node);
            poolDisruption += disruptionOf(cluster, node);
        }
    }

    /** {@code node}'s price per hour, 0 when unknown (upstream's {@code resolveNodePrice}). */
    private static double priceOf(Cluster cluster, int node) {
        return poolPrice(cluster, cluster.pool(node));
    }

    /**
     * {@code node}'s rescheduling cost ({@code RescheduleDisruptionCost}): 1 for the node and each pod's
     * eviction cost, at least 0; without priorities every pod's is 1.
     */
    private double disruptionOf(Cluster cluster, int node) {
        if (!cluster.hasPriorities()) {
            return 1 + cluster.podsOn(node);
        }
        int n = cluster.podsOnNode(node, costScratch);
        double cost = 1;
        for (int i = 0; i < n; i++) {
            cost += Math.max(0, evictionCost(cluster.priority(costScratch[0][i])));
        }
        return cost;
    }

    private final int[][] costScratch = {new int[16]};

    /**
     * Karpenter's {@code EvictionCost} of a pod of {@code priority} (pkg/utils/disruption): 1 plus its
     * priority over 2^25, within [-10, 10] (a system-critical pod 10, ordinary priorities about 1; the
     * pod-deletion-cost annotation's term is not read). Upstream sums only the positive ones.
     */
    public static double evictionCost(int priority) {
        return Math.max(-10, Math.min(10, 1 + priority / (double) (1 << 25)));
    }

    /** The price per hour of a node of {@code pool}, 0 when unknown. */
    private static double poolPrice(Cluster cluster, int pool) {
        double price = cluster.pools().get(pool).pricePerHour();
        return Double.isNaN(price) ? 0 : price;
    }

    /**
     * Upstream's {@code CanPassThreshold}, tried before a single node's simulation: whether deleting
     * {@code node} outright, the best any move of it can score, would pass; always without Balanced
     * or when the pool's cost is unknown.
     */
    private boolean canPassThreshold(Cluster cluster, int node) {
        return poolCost <= 0 || approved(cluster, new int[]{node}, 1, -1);
    }

    /**
     * Whether the move that removes {@code nodes[0..n)} and launches a node of {@code pool} (-1:
     * none) passes: every move does unless the policy is Balanced ({@code EvaluateBalancedMove}).
     */
    private boolean approved(Cluster cluster, int[] nodes, int n, int pool) {
        if (settings.consolidation() != Consolidation.BALANCED) {
            return true;
        }
        double savings = 0;
        double disruption = 0;
        for (int i = 0; i < n; i++) {
            savings += priceOf(cluster, nodes[i]);
            disruption += disruptionOf(cluster, nodes[i]);
        }
        if (pool >= 0) {
            savings -= poolPrice(cluster, pool);
        }
        return balancedApproves(savings, disruption);
    }

    /**
     * Balanced's test ({@code ScoreMove}): the share of the NodePool's cost saved over the share of
     * its disruption cost caused is at least 1/k; nothing passes when the totals are 0 or the move
     * saves nothing.
     */
    private boolean balancedApproves(double savings, double disruption) {
        if (poolCost <= 0 || poolDisruption <= 0 || savings <= 0) {
            return false;
        }
        double disrupted = disruption / poolDisruption;
        return disrupted == 0 || (savings / poolCost) / disrupted >= 1.0 / BALANCED_K;
    }

    /** The pods {@link #simulateRemoval} left over (the first of its count). */
    private int[] leftPods = new int[16];

    /**
     * {@code pods[0..n)} in the provisioner's queue order (decreasing CPU, then memory, then pod
     * number), as sort keys: the group's {@link Cluster#largestFirstRanks} in the high half, the pod in the low.
     */
    private long[] inQueueOrder(Cluster cluster, int[] pods, int n) {
        int[] queueRank = queueRanks(cluster);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (long) queueRank[cluster.offset(pods[i]) / D] << 32 | pods[i];
        }
        Arrays.sort(keys);
        return keys;
    }

    /**
     * Karpenter's pod queue, by group: {@link Cluster#largestFirstRanks}. A drain evicts its pods in this order too: the scheduler's queue then meets
     * them as the simulation placed them, largest first. Met newest-placed first, the small pods took the room the
     * simulation gave the large ones, which went Pending, a node was launched for them and consolidated away again
     * (QA 57b F1: 969 launches in a day for 8 pods that never changed, 2 now; 300 openb GPU pods on g5.12xlarge 43,762
     * launches, 78 now).
     */
    private static int[] queueRanks(Cluster cluster) {
        return cluster.largestFirstRanks();
    }


    /**
     * Karpenter's scheduling simulation of removing {@code nodes[0..n)} together
     * ({@code SimulateScheduling}): the nodes leave first, then their pods, in the provisioner's
     * queue order (decreasing CPU, then memory, then pod number), each go first fit onto the other
     * ready nodes, with every rule the cluster has. Returns how many no node takes; they are the
     * first of {@link #leftPods}, in queue order. With {@code possible} (per pool, whether a
     * replacement could be of it; {@link #replaceable}) it gives up, returning -1, once no such pool
     * holds the pods left over so far: more can only be left over. With a single shape no pool can
     * replace several nodes of it, and a try ends at its first pod left over.
     */
    private int simulateRemoval(Cluster cluster, int[] nodes, int n, boolean[] possible) {
        // The pods still on nodes being deleted go with the candidates' (SimulateScheduling: deletingNodePods), and so do the
        // pending pods (GetPendingPods): one the other nodes cannot take needs the replacement, which turns a deletion into a
        // replacement that must be cheaper. A pending pod no type holds is left aside, as upstream's AllNonPendingPodsScheduled
        // does (one the NodePool's limit held back opened a claim there: review 60).
        int deleting = cluster.podsOnHeldDrains(deletingScratch);
        int pending = cluster.pendingCount() == 0 ? 0 : cluster.pendingPods(pendingScratch);
        int held = 0;
        for (int i = 0; i < pending; i++) {
            if (heldByAType(cluster, pendingScratch[0][i], true)) {
                pendingScratch[0][held++] = pendingScratch[0][i];
            }
        }
        int total = deleting + held;
        for (int i = 0; i < n; i++) {
            total += cluster.podsOn(nodes[i]);
        }
        int[] pods = new int[total];
        System.arraycopy(deletingScratch[0], 0, pods, 0, deleting);
        System.arraycopy(pendingScratch[0], 0, pods, deleting, held);
        int k = deleting + held;
        for (int i = 0; i < n; i++) {
            int m = cluster.podsOnNode(nodes[i], scratch);
            System.arraycopy(scratch[0], 0, pods, k, m);
            k += m;
        }
        long[] keys = inQueueOrder(cluster, pods, total);
        if (leftPods.length < total) {
            leftPods = new int[Math.max(total, leftPods.length * 2)];
        }
        int left = -1;
        if (plain != null) {
            beginPlain(cluster);
            try {
                for (int i = 0; i < n; i++) {
                    plain.remove(nodes[i]);
                }
                simDests = 0;
                left = leftOver(cluster, keys, pod -> placedOn(plain.placeAnywhere(cluster.offset(pod))), copy(possible), n > 1);
            } finally {
                plain.end();
            }
            if (!cluster.checks()) {
                simPods = keys;
                return left;
            }
        }
        // With every rule (and, with the checks on, to confirm the plain moves' answer).
        int plainLeft = left;
        int[] plainPods = plain == null ? null : Arrays.copyOf(leftPods, Math.max(left, 0));
        try (Headroom room = room(cluster)) {
            for (int i = 0; i < n; i++) {
                room.remove(room.slotOf(nodes[i]), scratch);
            }
            if (deleting > 0) {
                room.liftHeldDrains(scratch); // Topology's excluded pods
            }
            simDests = 0;
            left = leftOver(cluster, keys, pod -> placedOn(room.place(pod, -1)), copy(possible), n > 1);
        }
        simPods = keys;
        if (plainPods != null && (plainLeft != left || !Arrays.equals(plainPods, 0, Math.max(left, 0), leftPods, 0, Math.max(left, 0)))) {
            throw new IllegalStateException("the plain moves leave " + plainLeft + " pods of " + n + " nodes over, Headroom " + left);
        }
        return left;
    }

    /** The nodes the running removal simulation put pods on, in {@code simDest[0..simDests)} ({@link #moveKey}). */
    private int[] simDest = new int[16];
    private int simDests;

    /** Notes {@code node} (-1: none) as a destination of the running removal simulation; whether the pod was placed. */
    private boolean placedOn(int node) {
        if (node < 0) {
            return false;
        }
        if (simDests == simDest.length) {
            simDest = Arrays.copyOf(simDest, simDests * 2);
        }
        simDest[simDests++] = node;
        return true;
    }

    private final int[][] deletingScratch = {new int[16]};
    private final int[][] pendingScratch = {new int[16]};

    /**
     * Whether a node of some pool holds {@code pod} alone: its requests, its GPUs on the pool's devices, and the pool admits it:
     * a claim for it ({@code claimed}: its launch term and step), or else kube-scheduler (any of its OR'd terms).
     */
    private boolean heldByAType(Cluster cluster, int pod, boolean claimed) {
        long[] demand = cluster.demand();
        int o = cluster.offset(pod);
        long[] row = java.util.Arrays.copyOfRange(demand, o, o + D);
        long[] gpus = withGpu(new long[0], demand[o + GPU]);
        for (Pool p : cluster.pools()) {
            boolean admits = claimed ? claimAdmits(cluster, pod, p.index()) : cluster.allowedOn(pod, p.index());
            if (fits(estimate(cluster, p), row) && devicesHold(p, gpus) && admits) {
                return true;
            }
        }
        return false;
    }

    private static boolean[] copy(boolean[] a) {
        return a == null ? null : a.clone();
    }

    /**
     * Places the pods of {@code keys} (pod numbers in the low halves) in order with {@code placed},
     * the ones it cannot place into {@link #leftPods}; returns how many, or -1 once the pools still
     * {@code possible} (null: no limit) hold them no more (it narrows them as pods are left over).
     */
    private int leftOver(Cluster cluster, long[] keys, java.util.function.IntPredicate placed, boolean[] possible, boolean several) {
        long[] demand = cluster.demand();
        long[] sum = possible == null ? null : new long[D];
        long[] gpus = new long[0];
        int left = 0;
        for (long key : keys) {
            int pod = (int) key;
            if (placed.test(pod)) {
                continue;
            }
            leftPods[left++] = pod;
            if (possible == null) {
                continue;
            }
            int o = cluster.offset(pod);
            for (int r = 0; r < D; r++) {
                sum[r] += demand[o + r];
            }
            gpus = withGpu(gpus, demand[o + GPU]);
            boolean any = false;
            boolean bound = noReplacementFor(cluster, pod, several);
            for (Pool p : cluster.pools()) {
                possible[p.index()] &= !bound && fits(estimate(cluster, p), sum) && devicesHold(p, gpus) && claimAdmits(cluster, pod, p.index());
                any |= possible[p.index()];
            }
            if (!any) {
                return -1;
            }
        }
        return left;
    }

    /**
     * The pools a replacement of {@code nodes[0..n)} could be of, whatever pods are left over:
     * priced, below the nodes together, and none of the nodes' own types (a type of theirs among
     * the options caps the price below its own: {@link #removal}).
     */
    private static boolean[] replaceable(Cluster cluster, int[] nodes, int n) {
        List<Pool> pools = cluster.pools();
        double total = 0;
        boolean[] own = new boolean[pools.size()];
        for (int i = 0; i < n; i++) {
            total += pools.get(cluster.pool(nodes[i])).pricePerHour();
            own[cluster.pool(nodes[i])] = true;
        }
        boolean[] possible = new boolean[pools.size()];
        for (Pool p : pools) {
            possible[p.index()] = !own[p.index()] && !Double.isNaN(p.pricePerHour()) && p.pricePerHour() < total;
        }
        return possible;
    }

    /**
     * Per pool, whether one node of it holds all of {@code pods[0..count)}, the pods left over when
     * {@code nodes} go: their requests, their GPUs on its devices, and the pool admits each
     * ({@code NewNodeClaims} of one, else more are needed and nothing is consolidated); null when two
     * of them repel each other (required anti-affinity, a hostname spread's cap, or under Respect a preferred anti-affinity or
     * ScheduleAnyway spread on the hostname: a second claim) or
     * one needs a pod beside it (not modelled: no replacement). Pods bound to zones or to pools by
     * rules on other keys: with one node, the replacement goes to its zone and must admit them there
     * with the node's own pods gone from their domains; with several nodes (whose zones may differ)
     * not modelled: no replacement.
     */
    private boolean[] holdingPools(Cluster cluster, int[] pods, int count, int[] nodes) {
        long[] demand = cluster.demand();
        long[] sum = new long[D];
        long[] gpus = new long[0];
        io.nodesizer.engine.ConflictCounts together = new io.nodesizer.engine.ConflictCounts(cluster.conflicts(), cluster.caps(), cluster.sharedSpreads());
        KarpenterPreferences prefs = preferences(cluster).any() ? preferences(cluster) : null;
        int[] beside = prefs == null ? null : new int[count]; // the leftovers' groups so far, on the one new node
        int[] moves = null;
        leftZones = -1L;
        for (int k = 0; k < count; k++) {
            int o = cluster.offset(pods[k]);
            if (noReplacementFor(cluster, pods[k], nodes.length > 1) || !together.admits(0, o / D)) {
                return null;
            }
            int step = prefs == null ? 0 : prefs.leftoverStep(o / D);
            boolean prefZoned = prefs != null && prefs.zoneRuled(o / D, step);
            if (moves == null && (cluster.zoneBound(pods[k]) || cluster.poolBound(pods[k]) || prefZoned)) {
                moves = cluster.newZoneMoves();
                int[][] own = {new int[64]};
                int n = cluster.podsOnNode(nodes[0], own);
                for (int j = 0; j < n && moves != null; j++) {
                    cluster.zoneMove(moves, own[0][j], nodes[0], -1);
                }
            }
            // A pod left over with a preferred pod affinity on the hostname has had it relaxed (Headroom.relaxAffinity, leftoverStep):
            // a new claim meets it only beside a target, or as the first of a series, and else upstream relaxes it before it opens one.
            if (prefs != null && prefs.constrains(o / D) && !prefs.admitsBeside(o / D, beside, k, step)) {
                return null; // a preferred anti-affinity or ScheduleAnyway spread on the hostname: a second claim
            }
            if (prefZoned && moves != null) {
                // Its kept preferred terms on the zone narrow the replacement's zones, the candidates' own
                // pods gone from the counts; one whose terms no zone left meets is relaxed instead (Relax), and narrows nothing.
                long admitted = 0;
                for (Pool p : cluster.pools()) {
                    admitted |= prefs.zonesAdmitted(o / D, p.index(), step, moves);
                }
                leftZones = (leftZones & admitted) != 0 ? leftZones & admitted : leftZones;
            }
            if (prefs != null) {
                beside[k] = o / D;
            }
            together.add(0, o / D, 1);
            for (int r = 0; r < D; r++) {
                sum[r] += demand[o + r];
            }
            gpus = withGpu(gpus, demand[o + GPU]);
        }
        int zone = Math.max(0, cluster.zone(nodes[0]));
        boolean[] ok = new boolean[cluster.pools().size()];
        for (Pool p : cluster.pools()) {
            ok[p.index()] = fits(estimate(cluster, p), sum) && devicesHold(p, gpus);
            for (int k = 0; k < count && ok[p.index()]; k++) {
                ok[p.index()] = claimAdmits(cluster, pods[k], p.index())
                        && (moves == null || !cluster.zoneBound(pods[k]) || cluster.zoneAdmitsIn(p.index(), zone, pods[k], moves));
            }
        }
        return ok;
    }

    /**
     * Whether a pod left over gets no replacement node in this model: one that needs a pod beside it,
     * and, when {@code several} nodes go (whose zones may differ), one bound to zones or to pools.
     */
    private static boolean noReplacementFor(Cluster cluster, int pod, boolean several) {
        io.nodesizer.engine.CoLocation co = cluster.coLocation();
        return several && (cluster.zoneBound(pod) || cluster.poolBound(pod)) || co != null && co.constrains(cluster.offset(pod) / D);
    }

    /**
     * The zones (bits) the pods left over by the last {@link #holdingPools} keep a replacement in by their kept preferred terms on
     * the zone (Respect); -1 when they keep it nowhere in particular.
     */
    private long leftZones = -1L;

    /**
     * The zone of a replacement of {@code nodes} of {@code pool}: with pods bound to zones in the cluster, a single node's own (its
     * pods' zone stays theirs); else the pool balances its zones, within those the pods left over keep it in by their preferences
     * ({@link #leftZones}).
     */
    private int replacementZone(Cluster cluster, int[] nodes, int pool) {
        if (nodes.length == 1 && cluster.hasZoneBoundPods()) {
            return Math.max(0, cluster.zone(nodes[0]));
        }
        long all = cluster.zones() == 64 ? -1L : (1L << cluster.zones()) - 1;
        return leftZones == -1L || (leftZones & all) == all ? -1 : balancedWithin(cluster, pool, leftZones & all);
    }

    /**
     * How many more nodes the disruption budget lets a poll disrupt: the budget of the initialized
     * nodes (ready or draining; a launching node is not initialized) less those draining and those
     * marked for deletion, waiting for their replacement.
     */
    private int allowedDisruptions(Cluster cluster) {
        int total = 0;
        int consuming = 0;
        for (int li = 0; li < cluster.liveCount(); li++) {
            byte s = cluster.state(cluster.liveNode(li));
            if (s == Cluster.READY || s == Cluster.DRAINING) {
                total++;
                consuming += s == Cluster.DRAINING ? 1 : 0;
            }
        }
        consuming += awaitingReplacement(cluster);
        return Math.max(settings.budget().allowed(total) - consuming, 0);
    }

    /** Where only the free amounts decide where pods go, the what-if moves without rule checks (null otherwise), for the cluster they were made for. */
    private PlainMoves plain;
    private Cluster plainCluster;

    /** Opens {@link #plain}'s what-if for a consolidation simulation ({@link #unsettled}). */
    private void beginPlain(Cluster cluster) {
        plain.begin(cluster);
        unsettled(cluster, plain::remove);
    }

    /**
     * A what-if with every rule for a consolidation simulation ({@link #unsettled}), the hostname spreads' fewest taken as 0
     * as Karpenter's topology takes it (QA 71a F11: kube-scheduler's fewest let 12 one-pod nodes of a maxSkew-1 spread
     * be consolidated onto 3, which upstream never does).
     */
    private Headroom room(Cluster cluster) {
        Headroom room = new Headroom(cluster, false, true);
        unsettled(cluster, room::exclude);
        if (preferences(cluster).any()) {
            room.respect(preferences(cluster), false); // SimulateScheduling's scheduler keeps the policy's preferences
            room.relaxAffinity();
        }
        return room;
    }

    /**
     * Keeps the nodes under consolidateAfter (their pods last started or stopped, or they became
     * ready, less than consolidateAfter ago) out of a consolidation simulation's destinations, as
     * Karpenter's scheduler does for the pods it would move since v1.14
     * ({@code IsUnderConsolidateAfter}, kubernetes-sigs/karpenter#3006); nothing with consolidateAfter 0.
     */
    private void unsettled(Cluster cluster, java.util.function.IntConsumer exclude) {
        long now = cluster.now();
        for (int li = 0; li < cluster.liveCount() && settings.consolidateAfter() > 0; li++) {
            int node = cluster.liveNode(li);
            if (cluster.state(node) == Cluster.READY && !consolidatable(cluster, node, now)) {
                exclude.accept(node);
            }
        }
    }

    /**
     * The first {@code limit} consolidation candidates (ready nodes with pods, none started or
     * stopped for consolidateAfter) in Karpenter's order: the highest {@code SavingsRatio} first,
     * the node's price over its rescheduling cost (1 plus 1 per pod: every pod's eviction cost is 1
     * without priorities or deletion costs), then node order. Among nodes of one price that is the
     * fewest pods first. Every poll ranks ~1,000 nodes for the few it tries: a sort of them all
     * (boxed, by a comparator that looked their pods up) was a third of a replay's time. Here each
     * candidate gets a rank (its pod count when every pool costs the same, else the place of its
     * (pool, pods) among those of the candidates), the ranks are tallied, and only the candidates at
     * or below the rank where the first {@code limit} end are sorted.
     */
    private int[] fewestPodsFirst(Cluster cluster, long now, int limit) {
        if (keys.length < cluster.liveCount()) {
            keys = new long[Math.max(16, cluster.liveCount() * 2)];
        }
        int count = 0;
        for (int li = 0; li < cluster.liveCount(); li++) {
            int node = cluster.liveNode(li);
            if (candidate(cluster, node, now)) {
                keys[count++] = (long) cluster.podsOn(node) << 32 | node; // sorts as (pods, node)
            }
        }
        if (cluster.hasPriorities()) {
            byCostRatio(cluster, count);
        } else if (!onePrice(cluster.pools())) {
            bySavingsRatio(cluster, count);
        }
        long[] all = cluster.checks() ? Arrays.copyOf(keys, count) : null;
        int most = 0;
        for (int i = 0; i < count; i++) {
            most = Math.max(most, (int) (keys[i] >>> 32));
        }
        int take = Math.min(limit, count);
        if (tally.length <= most) {
            tally = new int[most + 1];
        }
        Arrays.fill(tally, 0, most + 1, 0);
        for (int i = 0; i < count; i++) {
            tally[(int) (keys[i] >>> 32)]++;
        }
        int cut = 0; // the rank at which `take` candidates are reached
        for (int seen = tally[0]; seen < take; seen += tally[++cut]) {
        }
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (keys[i] >>> 32 <= cut) {
                keys[kept++] = keys[i];
            }
        }
        Arrays.sort(keys, 0, kept);
        if (all != null) {
            Arrays.sort(all);
            if (kept < take || !Arrays.equals(all, 0, take, keys, 0, take)) {
                throw new IllegalStateException("the consolidation candidates picked by their tally differ from a sort of them all");
            }
        }
        int[] candidates = new int[take];
        for (int i = 0; i < take; i++) {
            candidates[i] = (int) keys[i];
        }
        return candidates;
    }

    private static boolean onePrice(List<Pool> pools) {
        for (Pool p : pools) {
            if (Double.compare(p.pricePerHour(), pools.get(0).pricePerHour()) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Re-keys the first {@code count} of {@link #keys} (pods in the high half, the node in the low)
     * by the rank of the node's {@code SavingsRatio} among the candidates' (pool, pods): highest
     * ratio rank 0, equal ratios one rank. An unpriced node counts as free (ratio 0: last).
     */
    private void bySavingsRatio(Cluster cluster, int count) {
        long[] combos = new long[count];
        for (int i = 0; i < count; i++) {
            combos[i] = (long) cluster.pool((int) keys[i]) << 32 | keys[i] >>> 32;
        }
        Arrays.sort(combos);
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (i == 0 || combos[i] != combos[i - 1]) {
                combos[distinct++] = combos[i];
            }
        }
        List<Pool> pools = cluster.pools();
        double[] ratio = new double[distinct];
        for (int j = 0; j < distinct; j++) {
            double price = pools.get((int) (combos[j] >>> 32)).pricePerHour();
            ratio[j] = (Double.isNaN(price) ? 0 : price) / (1 + (int) combos[j]);
        }
        int[] rank = ranks(distinct, (a, b) -> Double.compare(ratio[b], ratio[a]));
        for (int i = 0; i < count; i++) {
            int node = (int) keys[i];
            int j = Arrays.binarySearch(combos, 0, distinct, (long) cluster.pool(node) << 32 | keys[i] >>> 32);
            keys[i] = (long) rank[j] << 32 | node;
        }
    }

    /**
     * As {@link #bySavingsRatio} when pods differ in priority: each candidate's ratio is its price over
     * its rescheduling cost with each pod's eviction cost ({@link #disruptionOf}); highest rank 0, then
     * (equal prices, or none) the lower cost first, equal ones one rank.
     */
    private void byCostRatio(Cluster cluster, int count) {
        double[] cost = new double[count];
        double[] ratio = new double[count];
        for (int i = 0; i < count; i++) {
            int node = (int) keys[i];
            cost[i] = disruptionOf(cluster, node);
            ratio[i] = priceOf(cluster, node) / cost[i];
        }
        int[] rank = ranks(count, (a, b) -> {
            int c = Double.compare(ratio[b], ratio[a]);
            return c != 0 ? c : Double.compare(cost[a], cost[b]);
        });
        for (int i = 0; i < count; i++) {
            keys[i] = (long) rank[i] << 32 | (int) keys[i];
        }
    }

    /** The rank of each of {@code n} items in {@code order} (0 first); items equal under it share the lower rank. */
    private static int[] ranks(int n, java.util.Comparator<Integer> order) {
        Integer[] sorted = new Integer[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = i;
        }
        Arrays.sort(sorted, order);
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[sorted[i]] = i > 0 && order.compare(sorted[i], sorted[i - 1]) == 0 ? rank[sorted[i - 1]] : i;
        }
        return rank;
    }

    /**
     * Whether {@code node} is a consolidation candidate: ready, with pods, none started or stopped for consolidateAfter,
     * none that keeps its node ({@link #keepsNode}: do-not-disrupt), and none whose PodDisruptionBudget allows no
     * eviction now (disruption's candidate filter: {@code pdbLimits.CanEvictPods}, "pdb prevents pod evictions"; the
     * budgets are not summed over the candidates of one command, whose evictions the termination controller retries).
     */
    private boolean candidate(Cluster cluster, int node, long now) {
        return consolidatable(cluster, node, now) && cluster.podsOn(node) > 0 && !cluster.kept(node) && !nominated(node)
                && keptByDaemonSets(cluster)[cluster.pool(node)] == 0 && !cluster.budgetBlocked(node);
    }

    /** Per pool how many DaemonSets whose pods are annotated do-not-disrupt run on its nodes (any: none is ever consolidated). */
    private int[] keptByDaemonSets(Cluster cluster) {
        if (daemonSetsCluster != cluster) {
            daemonSetsCluster = cluster;
            poolKept = cluster.daemonSetsOn(DrainRules::karpenterKeptBy);
        }
        return poolKept;
    }

    private Cluster daemonSetsCluster;
    private int[] poolKept;

    /** {@link #fewestPodsFirst}'s keys (the node's rank in the high half, the node in the low one) and tally per rank. */
    private long[] keys = new long[0];
    private int[] tally = new int[0];
}
