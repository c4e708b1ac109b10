package io.nodesizer.consolidate;

import io.nodesizer.analyze.ClusterAnalysis;
import io.nodesizer.kube.ExpendablePods;
import io.nodesizer.kube.PodTopologyRules;
import io.nodesizer.kube.NodeLabels;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PerHour;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;
import io.nodesizer.sweep.Verdicts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which nodes of a running cluster can go, as the autoscalers' consolidation decides it, one node
 * at a time and every pod still placed:
 * <ol>
 * <li>Pending pods first take free room where they fit (consolidation must not eat the room they
 * wait for).</li>
 * <li><b>Remove</b>: nodes by how little they hold (the largest share of allocatable their pods
 * use), each one whose pods all fit on the other nodes' free room (largest pod first, best fit, on
 * every resource, pod slots and GPUs included) goes, and its pods move there. A pod moves at most
 * once: a node that received pods stays.</li>
 * <li><b>Replace</b>: each remaining node whose pods (DaemonSet and static pods too: they come
 * with the node) fit the allocatable of a cheaper candidate shape of the same CPU architecture is
 * replaced by the cheapest such shape.</li>
 * </ol>
 * A node running a pod without a controller is kept (that pod would not come back), as is one a
 * do-not-disrupt annotation protects ({@link #doNotDisrupt}), and so are control-plane nodes, nodes that received moved pods (for replacement) and nodes with GPU pods
 * (for replacement: a GPU model is more than a size). {@code maxDisruptedPods} caps the pods
 * evicted in all; an action that would pass it is skipped. A pod moves only to a node its node
 * selector, required node affinity and tolerations admit and, for a GPU pod, whose GPUs are of the
 * vendor its resource names ({@link ClusterSnapshot.Node#refuses}), and a replacement keeps the node's
 * labels and taints (its instance type aside). A node whose pods a PodDisruptionBudget covers that
 * allows no eviction now is kept. Required pod affinity and anti-affinity and DoNotSchedule
 * topology spread, on any topology key the nodes carry, hold for every move and merge
 * ({@link PodTopologyRules}, against the pods each node runs).
 *
 * <p>{@link #plan} then tries the optimizer ({@link Repacking}) where the snapshot has no hard
 * topology spread, on the nodes no pod affinity or anti-affinity concerns, and keeps whichever plan costs less, verifies it ({@link ConsolidationVerifier}) and gives
 * the lower bound of {@link ConsolidationBound}.
 */
public final class Consolidation {
    private static final int D = Resource.COUNT;

    private Consolidation() {
    }

    /**
     * @param maxDisruptedPods pods evicted in all, at most; null for no limit
     * @param expendablePodsPriorityCutoff pods of a lower priority are left out of the plan, as Cluster
     *                         Autoscaler leaves them out of its simulation ({@link ExpendablePods}): they
     *                         hold no room, need none elsewhere and keep no node
     */
    public record Settings(Integer maxDisruptedPods, boolean replace, int expendablePodsPriorityCutoff, CaSkip caSkip,
                           Map<String, Double> prices, Double utilisationThreshold) {
        /** Cluster Autoscaler's default {@code --scale-down-utilization-threshold}, the command's too. */
        public static final double UTILISATION_THRESHOLD = io.nodesizer.replay.autoscale.ClusterAutoscaler.Settings.UTILISATION_THRESHOLD;

        /**
         * @param prices today's nodes' price per hour by instance type: the list the candidates are priced from, so that a
         *               saving compares like with like (a catalog of one's own, savings-plan or another region's prices);
         *               null for the bundled catalogs' on-demand prices
         * @param utilisationThreshold Cluster Autoscaler's {@code --scale-down-utilization-threshold}: a node whose
         *               utilisation ({@link io.nodesizer.replay.autoscale.ClusterAutoscaler#utilisation}) is not below it
         *               is kept, as CA never considers it for scale-down (CA takes 0 to 1; above 1 no node is kept for it);
         *               null for none (Karpenter's: every node)
         */
        public Settings {
            caSkip = caSkip == null ? CaSkip.DEFAULT : caSkip;
            prices = prices == null ? ClusterAnalysis.prices() : Map.copyOf(prices);
            if (utilisationThreshold != null && !(utilisationThreshold >= 0 && Double.isFinite(utilisationThreshold))) {
                throw new IllegalArgumentException("utilisation threshold " + utilisationThreshold + " is not 0 or more");
            }
        }

        /** Settings with no utilisation threshold. */
        public Settings(Integer maxDisruptedPods, boolean replace, int expendablePodsPriorityCutoff, CaSkip caSkip,
                        Map<String, Double> prices) {
            this(maxDisruptedPods, replace, expendablePodsPriorityCutoff, caSkip, prices, null);
        }

        /** Settings priced from the bundled catalogs. */
        public Settings(Integer maxDisruptedPods, boolean replace, int expendablePodsPriorityCutoff, CaSkip caSkip) {
            this(maxDisruptedPods, replace, expendablePodsPriorityCutoff, caSkip, null);
        }

        /** These settings with another pod limit (what a repack left of it, for the greedy steps after it). */
        Settings withMaxDisruptedPods(Integer cap) {
            return new Settings(cap, replace, expendablePodsPriorityCutoff, caSkip, prices, utilisationThreshold);
        }

        /**
         * These settings with Cluster Autoscaler's default drain rules wherever they are looser (every skip flag true, the
         * utilisation threshold at most CA's 0.5; the pods, their cutoff, limit and prices the same), or null when none is:
         * the stricter rules only keep more nodes, so each plan they allow these allow too (QA 69b F7).
         */
        Settings stricter() {
            double threshold = utilisationThreshold == null ? UTILISATION_THRESHOLD : Math.min(utilisationThreshold, UTILISATION_THRESHOLD);
            Settings out = new Settings(maxDisruptedPods, replace, expendablePodsPriorityCutoff, CaSkip.DEFAULT, prices, threshold);
            return out.equals(this) ? null : out;
        }

        /** Settings with CA's default skip flags. */
        public Settings(Integer maxDisruptedPods, boolean replace, int expendablePodsPriorityCutoff) {
            this(maxDisruptedPods, replace, expendablePodsPriorityCutoff, CaSkip.DEFAULT);
        }

        /** Settings with CA's default cutoff and skip flags. */
        public Settings(Integer maxDisruptedPods, boolean replace) {
            this(maxDisruptedPods, replace, ExpendablePods.DEFAULT_CUTOFF);
        }
    }

    /**
     * Cluster Autoscaler's {@code --skip-nodes-with-system-pods}, {@code --skip-nodes-with-local-storage} and
     * {@code --skip-nodes-with-custom-controller-pods} (all default true: kubernetes/autoscaler
     * {@code cluster-autoscaler/config/flags/flags.go}): the drain rules that keep a node for a kube-system pod
     * no PodDisruptionBudget covers, a pod with local storage, or a pod whose controller CA does not know
     * ({@link #doNotDisrupt}). Karpenter has none of them: all false reads a Karpenter cluster.
     */
    public record CaSkip(boolean systemPods, boolean localStorage, boolean customControllerPods) {
        public static final CaSkip DEFAULT = new CaSkip(true, true, true);
    }

    public enum Kind {
        REMOVE, REPLACE, MERGE, REPACK;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param pricePerHour the node's price, null when its type is not in a catalog
     * @param replacement  the new shape (replace), null for remove
     * @param pods         pods evicted (DaemonSet and static pods aside; both nodes' for a merge)
     * @param movedTo      pods per destination node (remove), sorted by node name
     * @param savingPerHour null when a price is unknown
     * @param merged        for a merge or a repack, the other nodes whose pods go onto the same new nodes (one for a
     *                      pair, more for a group); else empty
     * @param newNodes      for a repack, the new nodes by shape (the optimizer's mix); else empty
     * @param podTo         per evicted pod (namespace/name), the node it goes to: an existing node's name, or a new node's
     *                      ({@link #newNodeName})
     * @param carried       what the new node of a replace or a merge, or each new node of a repack, runs besides the evicted
     *                      pods: the DaemonSet and static pods that come with any node (a merge's and a repack's, the largest of
     *                      its nodes' on every resource); zero for a remove
     */
    public record Action(Kind kind, String node, String instanceType, Double pricePerHour, NodeShape replacement, int pods,
                         Map<String, Integer> movedTo, Double savingPerHour, List<Partner> merged, List<NewNodes> newNodes,
                         Map<String, String> podTo, Resources carried) {
        public Action {
            merged = List.copyOf(merged);
            newNodes = List.copyOf(newNodes);
            podTo = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(podTo));
            java.util.Objects.requireNonNull(carried, "carried");
        }

        /** An action whose new nodes carry nothing besides the evicted pods (a remove). */
        public Action(Kind kind, String node, String instanceType, Double pricePerHour, NodeShape replacement, int pods,
                      Map<String, Integer> movedTo, Double savingPerHour, List<Partner> merged, List<NewNodes> newNodes,
                      Map<String, String> podTo) {
            this(kind, node, instanceType, pricePerHour, replacement, pods, movedTo, savingPerHour, merged, newNodes, podTo, Resources.ZERO);
        }

        /** The new nodes this action adds: one for a replace or a merge, the mix's for a repack, none for a remove. */
        public int nodesAdded() {
            return switch (kind) {
                case REMOVE -> 0;
                case REPLACE, MERGE -> 1;
                case REPACK -> newNodes.stream().mapToInt(NewNodes::count).sum();
            };
        }

        /** The second node of a merge, or null. */
        public Partner mergedWith() {
            return merged.isEmpty() ? null : merged.get(0);
        }
    }

    /** Another node of a merge: its name, type, price (per hour) and its share of the pods evicted. */
    public record Partner(String node, String instanceType, Double pricePerHour, int pods) {
    }

    /** New nodes of one shape in a repack, by name. */
    public record NewNodes(NodeShape shape, List<String> names) {
        public NewNodes {
            names = List.copyOf(names);
        }

        public int count() {
            return names.size();
        }
    }

    /** A worker node that stays, and why. */
    public record Kept(String node, String instanceType, String reason) {
    }

    /**
     * @param lowerBoundCostPerHour the least cost per hour any consolidation could reach ({@link ConsolidationBound}); null when
     *                              a price is unknown
     * @param notes                 what the plan could not do or check, in words (e.g. where the optimizer kept the greedy answer)
     */
    public record Result(List<Action> actions, List<Kept> kept, int nodesBefore, int nodesAfter, Double costBefore, Double costAfter,
                         int disruptedPods, List<String> pendingUnplaced, List<String> sources, Double lowerBoundCostPerHour,
                         List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }

        /** The same plan with other kept nodes' reasons. */
        Result withKept(List<Kept> newKept) {
            return new Result(actions, newKept, nodesBefore, nodesAfter, costBefore, costAfter, disruptedPods, pendingUnplaced, sources,
                    lowerBoundCostPerHour, notes);
        }

        /** The same plan with other notes. */
        public Result withNotes(List<String> newNotes) {
            return new Result(actions, kept, nodesBefore, nodesAfter, costBefore, costAfter, disruptedPods, pendingUnplaced, sources,
                    lowerBoundCostPerHour, newNotes);
        }

        public Double savingPerHour() {
            return costBefore == null || costAfter == null ? null : costBefore - costAfter;
        }

        /**
         * How far the cost after is above the bound, in percent of the bound; null when either is unknown, or the bound is 0
         * while the plan costs something (no percentage of 0: "0 %" read as a proven optimum, QA 58c F3).
         */
        public Double gapPercent() {
            if (costAfter == null || lowerBoundCostPerHour == null) {
                return null;
            }
            if (lowerBoundCostPerHour <= 0) {
                return costAfter <= 1e-9 ? 0.0 : null;
            }
            return 100.0 * (costAfter - lowerBoundCostPerHour) / lowerBoundCostPerHour;
        }
    }

    static final String RULES_NOTE = "the optimizer (node groups repacked onto a mix of shapes) was not run: the snapshot has "
            + "DoNotSchedule topology spread, which its packing does not model; the plan is the greedy one";
    static final String AFFINITY_NOTE = affinityNote(true, false);

    /** The reason of a node kept only as a destination of moved pods. */
    static final String RECEIVED = "received pods from a removed node";

    /**
     * Why the optimizer leaves some nodes to the greedy steps, by what the pods have: required pod affinity or anti-affinity,
     * host ports (which nodesizer checks as anti-affinity among the pods asking for one port), or both. QA 64a F23: a
     * snapshot whose only rule was a host port was said to have pod affinity.
     */
    static String affinityNote(boolean affinity, boolean hostPorts) {
        String what = affinity && hostPorts ? "a required pod affinity or anti-affinity term or a host port, or is selected by "
                + "such a term or shares the port" : hostPorts ? "a host port, or shares that port" : "a required pod affinity or "
                + "anti-affinity term or is selected by one";
        return "the optimizer repacks only nodes none of whose pods has " + what + " (its packing does not model "
                + (hostPorts && !affinity ? "host ports" : "them") + "); the others keep the greedy steps";
    }

    /** Whether some pod has a required pod (anti-)affinity term of its own ({@code [0]}), or a host port ({@code [1]}). */
    private static boolean[] affinityKinds(List<ClusterSnapshot.Pod> pods) {
        boolean[] out = new boolean[2];
        for (ClusterSnapshot.Pod p : pods) {
            out[0] |= !p.placement().affinity().isEmpty();
            for (io.nodesizer.model.Placement.PodAffinityTerm t : p.placement().antiAffinity()) {
                out[io.nodesizer.kube.PodConflicts.hostPort(t) == null ? 0 : 1] = true;
            }
        }
        return out;
    }

    /**
     * The greedy plan, then the optimizer's where it is cheaper: node groups repacked onto a mix of
     * candidate shapes ({@link Repacking}; not under a hard spread, and only nodes no affinity rule
     * concerns) and the greedy steps over the other nodes. The answer
     * is verified ({@link ConsolidationVerifier}) and carries the lower bound
     * ({@link ConsolidationBound}).
     */
    public static Result plan(ClusterSnapshot snapshot, List<NodeShape> candidates, Settings settings) {
        return plan(snapshot, candidates, settings, io.nodesizer.sweep.ProgressListener.NONE);
    }

    /**
     * A plan that evicts pods from a snapshot without PodDisruptionBudgets (QA 64a F1): {@code kubectl get nodes,pods}
     * exports none, and a cluster nearly always has some (EKS's CoreDNS add-on ships one), so the plan may drain nodes whose
     * budgets allow no eviction, which both autoscalers refuse. Said first, and on standard error by the command.
     */
    public static final String NO_BUDGETS_NOTE = "the snapshot holds no PodDisruptionBudget, so this plan assumes none: a budget "
            + "that allows no eviction keeps nodes it drains (Cluster Autoscaler and Karpenter both refuse such drains); take the "
            + "snapshot with them (kubectl get nodes,pods,pdb -A -o json) or add their file to --snapshot";

    /**
     * As above, reporting progress: the greedy plan, each node group the optimizer repacks, each repack plan's greedy run
     * over the other nodes, the verification (the repack plans' count is known once the groups are repacked: until
     * then the most there can be stands in, so the bar may step forward then).
     */
    public static Result plan(ClusterSnapshot snapshot, List<NodeShape> candidates, Settings settings,
                              io.nodesizer.sweep.ProgressListener progress) {
        Settings stricter = settings.stricter();
        if (stricter == null) {
            return planUnder(snapshot, candidates, settings, progress);
        }
        // Looser drain rules than Cluster Autoscaler's defaults (Karpenter's, say) let the greedy drain more nodes, and a node
        // that received pods then neither goes nor is replaced (a pod moves once), so its plan can cost more than the one the
        // stricter rules find, which the looser ones allow too (QA 69b F7: $0.22/h dearer on a 100-node cluster at 80 %). Both
        // are planned, each half of the bar, side by side on two threads (each plan single-threaded and deterministic), and the cheaper
        // stands, checked against the rules asked for.
        int[][] halves = {{0, 1}, {0, 1}};
        io.nodesizer.sweep.ProgressListener both = (done, total) -> progress.progress(halves[0][0] + halves[1][0], halves[0][1] + halves[1][1]);
        ClusterSnapshot read = snapshot;
        java.util.concurrent.FutureTask<Result> strictTask = new java.util.concurrent.FutureTask<>(() -> planUnder(read, candidates, stricter,
                half(halves, 1, both)));
        Thread other = new Thread(strictTask, "consolidate under CA's default rules");
        other.setDaemon(true);
        other.start();
        Result given = planUnder(snapshot, candidates, settings, half(halves, 0, both));
        Result strict;
        try {
            strict = strictTask.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while planning under Cluster Autoscaler's default rules", e);
        }
        if (!cheaper(strict, given)) {
            return given;
        }
        ConsolidationVerifier.verify(withoutOtherSchedulersPending(withoutExpendable(snapshot, settings.expendablePodsPriorityCutoff(),
                new ArrayList<>()), new ArrayList<>()), strict, settings);
        List<String> notes = new ArrayList<>(strict.notes());
        notes.add("the plan is the one Cluster Autoscaler's default drain rules find (every --skip-nodes-with-* true, "
                + "--scale-down-utilization-threshold " + fraction(stricter.utilisationThreshold()) + "), which these settings allow too: "
                + (given.costAfter() != null && strict.costAfter() != null
                ? String.format(java.util.Locale.ROOT, "it costs $%s/h less than the plan their looser rules led to ($%s/h after, %s evicted)",
                PerHour.format(PerHour.difference(given.costAfter(), strict.costAfter())), PerHour.format(given.costAfter()), Verdicts.pods(given.disruptedPods()))
                : String.format(java.util.Locale.ROOT, "it saves $%s/h more on priced nodes than the plan their looser rules led to "
                + "(which saves $%s/h there, %s evicted)", PerHour.format(PerHour.difference(pricedSaving(strict), pricedSaving(given))),
                PerHour.format(pricedSaving(given)),
                Verdicts.pods(given.disruptedPods())))
                + "; the greedy drains the least-loaded nodes first and a node that received pods is neither removed nor replaced "
                + "(a pod moves once), so draining more nodes can hold more of them");
        return strict.withKept(keptUnderGivenRules(strict, given)).withNotes(notes);
    }

    /**
     * The strict plan's kept nodes with reasons that hold under the rules given (review 70 #2: they cited
     * --skip-nodes-with-system-pods and the 0.5 threshold the user had turned off): a node that received pods keeps that
     * reason; one the given rules' plan kept too, that plan's reason; any other, that the given rules allow draining it
     * but the cheaper plan keeps it.
     */
    private static List<Kept> keptUnderGivenRules(Result strict, Result given) {
        java.util.Map<String, Kept> givenKept = new java.util.HashMap<>();
        for (Kept k : given.kept()) {
            givenKept.put(k.node(), k);
        }
        List<Kept> out = new ArrayList<>();
        for (Kept k : strict.kept()) {
            Kept g = givenKept.get(k.node());
            if (k.reason().equals(RECEIVED)) {
                out.add(k);
            } else if (g != null && !g.reason().equals(RECEIVED)) {
                out.add(g);
            } else {
                out.add(new Kept(k.node(), k.instanceType(), "the rules given allow draining it, but the cheaper plan, under Cluster "
                        + "Autoscaler's default rules (see the note), keeps it"));
            }
        }
        return out;
    }

    /** A listener that records one plan's progress in {@code halves[i]} and reports both plans' through {@code both}. */
    private static io.nodesizer.sweep.ProgressListener half(int[][] halves, int i, io.nodesizer.sweep.ProgressListener both) {
        return (done, total) -> {
            synchronized (halves) {
                halves[i][0] = done;
                halves[i][1] = total;
                both.progress(done, total);
            }
        };
    }

    /** A threshold as the flag writes it (0.5, not 0.50). */
    private static String fraction(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The plan under one set of rules (see {@link #plan(ClusterSnapshot, List, Settings, io.nodesizer.sweep.ProgressListener)}). */
    private static Result planUnder(ClusterSnapshot snapshot, List<NodeShape> candidates, Settings settings,
                                    io.nodesizer.sweep.ProgressListener progress) {
        List<String> notes = new ArrayList<>();
        snapshot = withoutOtherSchedulersPending(withoutExpendable(snapshot, settings.expendablePodsPriorityCutoff(), notes), notes);
        Greedy greedy = greedy(snapshot, candidates, settings, java.util.Set.of());
        int[] done = {1}; // the greedy plan; reported once the total is known, which the greedy's fleet decides
        int[] total = {2};
        Result best = greedy.result();
        // Unpriced nodes (spot capacity, a type no catalog lists) leave the plans' costs unknown, but the optimizer repacks
        // priced nodes only: it runs, and plans are compared on what they save on priced nodes (QA 69b F3: one spot node
        // turned it off for a 500-node cluster, $10.14/h, without a word).
        if (settings.replace() && !candidates.isEmpty()) {
            boolean hardSpread = snapshot.pods().stream().anyMatch(PodTopologyRules::needsDomains);
            if (hardSpread) {
                notes.add(RULES_NOTE);
            } else {
                Set<ClusterSnapshot.Pod> concerned = greedy.rulesActive() ? Repacking.concerned(snapshot.pods()) : Set.of();
                if (!concerned.isEmpty()) {
                    boolean[] kinds = affinityKinds(snapshot.pods());
                    notes.add(affinityNote(kinds[0] || !kinds[1], kinds[1]));
                }
                Result greedyAlone = best;
                Result cheapest = null;
                int[] groupsTried = {0};
                int groups = (int) Repacking.groups(greedy.fleet(), concerned).stream().filter(g -> g.size() >= 2).count();
                total[0] += groups + Math.min(groups, Repacking.PREFIXES + 1);
                progress.progress(done[0], total[0]);
                Map<String, String> leftOut = new TreeMap<>();
                List<Repacking.Plan> plans = Repacking.plans(greedy.fleet(), candidates, settings.maxDisruptedPods(), concerned, groupsTried,
                        () -> progress.progress(++done[0], total[0]), leftOut);
                total[0] = 2 + groups + plans.size();
                for (Repacking.Plan repack : plans) {
                    Integer cap = settings.maxDisruptedPods() == null ? null : settings.maxDisruptedPods() - repack.evicted();
                    Result rest = greedy(snapshot, candidates, settings.withMaxDisruptedPods(cap),
                            repack.nodes()).result();
                    progress.progress(++done[0], total[0]);
                    Result combined = Repacking.combine(repack, rest, greedyAlone);
                    if (cheaper(combined, cheapest)) {
                        cheapest = combined;
                    }
                }
                boolean priced = greedyAlone.costAfter() != null;
                if (cheaper(cheapest, greedyAlone)) {
                    notes.add(priced ? String.format(java.util.Locale.ROOT, "the optimizer (node groups repacked onto a mix of shapes, then the "
                            + "greedy steps over the other nodes) saves $%s/h more than the greedy plan alone ($%s/h after, %s evicted)",
                            PerHour.format(PerHour.difference(greedyAlone.costAfter(), cheapest.costAfter())),
                            PerHour.format(greedyAlone.costAfter()), Verdicts.pods(greedyAlone.disruptedPods()))
                            : String.format(java.util.Locale.ROOT, "the optimizer (node groups of priced nodes repacked onto a mix of shapes, "
                            + "then the greedy steps over the other nodes) saves $%s/h more on priced nodes than the greedy plan alone "
                            + "(which saves $%s/h there, %s evicted) and removes every unpriced node that plan does",
                            PerHour.format(PerHour.difference(pricedSaving(cheapest), pricedSaving(greedyAlone))),
                            PerHour.format(pricedSaving(greedyAlone)),
                            Verdicts.pods(greedyAlone.disruptedPods())));
                    best = cheapest;
                } else if (cheapest != null) {
                    notes.add(priced ? String.format(java.util.Locale.ROOT, "the optimizer's best repacking ($%s/h after) is no cheaper than the "
                            + "greedy plan, which stands", PerHour.format(cheapest.costAfter()))
                            : String.format(java.util.Locale.ROOT, "the optimizer's best repacking (saving $%s/h on priced nodes) is no "
                            + "cheaper than the greedy plan ($%s/h there)%s, which stands", PerHour.format(pricedSaving(cheapest)),
                            PerHour.format(pricedSaving(greedyAlone)),
                            unpricedGone(cheapest).containsAll(unpricedGone(greedyAlone)) ? ""
                                    : " or removes fewer of the unpriced nodes"));
                } else if (groupsTried[0] > 0) {
                    notes.add(String.format(java.util.Locale.ROOT, "the optimizer repacked %d node group%s (nodes alike that may all go) onto "
                            + "new nodes of the candidate shapes and found none that costs less than the group's nodes%s; the plan is the "
                            + "greedy one", groupsTried[0], groupsTried[0] == 1 ? "" : "s",
                            settings.maxDisruptedPods() == null ? "" : " within --max-disrupted-pods"));
                }
                if (!leftOut.isEmpty()) {
                    notes.add(leftOutNote(leftOut));
                }
            }
        }
        String deleting = deletingNote(snapshot, best.actions());
        if (deleting != null) {
            notes.add(deleting);
        }
        String unpriced = best.costBefore() == null ? unpricedNote(snapshot, best.actions(), settings.prices()) : null;
        if (unpriced != null) {
            notes.add(unpriced);
        }
        List<String> receivers = best.kept().stream().filter(k -> k.reason().equals(RECEIVED)).map(Kept::node).toList();
        if (!receivers.isEmpty()) {
            // QA 64a F18: three m5.2xlarge at 7 % stayed, a gap of 2400 % to the bound unexplained.
            int r = receivers.size();
            notes.add(String.join(", ", receivers.subList(0, Math.min(3, r))) + (r > 3 ? " and " + (r - 3) + " more" : "")
                    + (r == 1 ? " stays only because it receives" : " stay only because they receive") + " pods of removed nodes: a pod"
                    + " moves at most once in a plan, so a further pass (consolidate run again on the cluster this plan leaves, as"
                    + " Karpenter re-evaluates at every poll) may replace or remove " + (r == 1 ? "it" : "them") + " too");
        }
        String groups = nodeGroupNote(snapshot, best.actions());
        if (groups != null) {
            notes.add(groups);
        }
        if (snapshot.budgets().isEmpty() && best.disruptedPods() > 0) {
            notes.add(0, NO_BUDGETS_NOTE);
        }
        ConsolidationVerifier.verify(snapshot, best, settings);
        Double lowerBound = ConsolidationBound.of(greedy.fleet(), candidates);
        progress.progress(total[0], total[0]);
        Double after = best.costAfter();
        // Clip only floating-point noise of a bound the plan meets: a bound above the cost by more is a bug the tests catch.
        // Boxed on both branches: with a double on one, Java unboxes the null bound of an unpriced fleet and throws.
        Double bound = lowerBound == null || after == null || lowerBound > after + 1e-6 ? lowerBound
                : Double.valueOf(Math.min(lowerBound, after));
        return new Result(best.actions(), best.kept(), best.nodesBefore(), best.nodesAfter(), best.costBefore(), after,
                best.disruptedPods(), best.pendingUnplaced(), best.sources(), bound, notes);
    }

    /**
     * The worker nodes an autoscaler is deleting ({@link ClusterSnapshot.Node#deletedBy}), or null: the plan moves nothing
     * onto them, and their removal, where the plan has it, is the autoscaler's, under way already, not a saving to act on.
     */
    static String deletingNote(ClusterSnapshot snapshot, List<Action> actions) {
        java.util.Set<String> deleting = new java.util.LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        for (ClusterSnapshot.Node n : snapshot.nodes()) {
            if (n.worker() && n.deletedBy() != null) {
                deleting.add(n.name());
                names.add(n.name() + " (" + n.deletedBy() + ")");
            }
        }
        if (names.isEmpty()) {
            return null;
        }
        // The plan's saving counts what its actions on these nodes save (today's cost has them): that much is the
        // autoscaler's, under way already (review 58: "saving 50 %" beside the note that it is not the plan's).
        double underWay = 0;
        for (Action a : actions) {
            if (deleting.contains(a.node()) && a.savingPerHour() != null) {
                underWay += a.savingPerHour();
            }
        }
        return String.join(", ", names) + (names.size() == 1 ? " is" : " are") + " being deleted by an autoscaler (its NoSchedule "
                + "taint ToBeDeletedByClusterAutoscaler or karpenter.sh/disrupted): no pod moves there, and removing "
                + (names.size() == 1 ? "it" : "them") + " is a saving already under way, not one this plan makes"
                + (underWay > 0 ? String.format(java.util.Locale.ROOT, " ($%s/h, $%,.2f/month of the saving above is that removal)",
                PerHour.format(underWay), underWay * io.nodesizer.sweep.ShapeEvaluation.HOURS_PER_MONTH) : "");
    }

    /**
     * The worker nodes without a price, named with why (as analyze names them: "m5.2xlarge as spot (karpenter.sh/capacity-type:
     * spot)"), and what the actions on priced nodes save (QA 64a F24: the headline said "cost unknown … see the kept reasons",
     * though the spot node was removed, and $0.768/h of on-demand saving was summed nowhere). Null when every node is priced.
     */
    static String unpricedNote(ClusterSnapshot snapshot, List<Action> actions, Map<String, Double> prices) {
        List<String> named = new ArrayList<>();
        for (ClusterSnapshot.Node n : snapshot.nodes()) {
            if (n.worker() && ClusterAnalysis.priceOf(n, prices) == null) {
                named.add(n.name() + " (" + ClusterAnalysis.unpriced(n) + ")");
            }
        }
        if (named.isEmpty()) {
            return null;
        }
        double priced = 0;
        int pricedActions = 0;
        for (Action a : actions) {
            if (a.savingPerHour() != null) {
                priced += a.savingPerHour();
                pricedActions++;
            }
        }
        int n = named.size();
        return "no price for " + String.join(", ", named.subList(0, Math.min(5, n))) + (n > 5 ? " and " + (n - 5) + " more" : "")
                + " (the catalogs price on-demand Linux instances of the types they list), so the plan's cost and saving are unknown"
                + (pricedActions == 0 ? "" : String.format(java.util.Locale.ROOT, "; its %d action%s on priced nodes save%s $%s/h ($%,.2f/month)",
                pricedActions, pricedActions == 1 ? "" : "s", pricedActions == 1 ? "s" : "", PerHour.format(priced), priced * io.nodesizer.sweep.ShapeEvaluation.HOURS_PER_MONTH));
    }

    /**
     * Whether plan {@code a} is cheaper than {@code than} (null: no plan yet, so any is): by the cost after when both are priced;
     * else, some node having no price, by what their actions save on priced nodes, {@code a} removing at least every unpriced
     * node {@code than} removes (whose saving is unknown but not negative), so that it is cheaper whatever those nodes cost.
     */
    static boolean cheaper(Result a, Result than) {
        if (a == null) {
            return false;
        }
        if (than == null) {
            return true;
        }
        if (a.costAfter() != null && than.costAfter() != null) {
            return a.costAfter() < than.costAfter() - 1e-9;
        }
        return pricedSaving(a) > pricedSaving(than) + 1e-9 && unpricedGone(a).containsAll(unpricedGone(than));
    }

    /** What a plan's actions on priced nodes save per hour. */
    static double pricedSaving(Result r) {
        return r.actions().stream().filter(a -> a.savingPerHour() != null).mapToDouble(Action::savingPerHour).sum();
    }

    /** The nodes of the plan's actions whose saving is unknown (an unpriced node removed, with its partners). */
    private static Set<String> unpricedGone(Result r) {
        Set<String> out = new java.util.HashSet<>();
        for (Action a : r.actions()) {
            if (a.savingPerHour() == null) {
                out.add(a.node());
                a.merged().forEach(p -> out.add(p.node()));
            }
        }
        return out;
    }

    /**
     * "would evict 3 more pods, 8 in all, over --max-disrupted-pods 5": the cap counts the pods of the actions before too, so
     * the count alone (3, under 5) read as a contradiction (QA 64a F25).
     */
    static String overCap(int pods, int disrupted, int cap) {
        return "would evict " + (disrupted == 0 ? Verdicts.pods(pods) : pods + " more " + (pods == 1 ? "pod" : "pods") + ", "
                + (disrupted + pods) + " in all") + ", over --max-disrupted-pods " + cap;
    }

    /** The labels of node groups whose nodes all have the type the group was made with, by the cloud's name for them. */
    private static final List<Map.Entry<String, String>> FIXED_GROUPS = List.of(
            Map.entry("eks.amazonaws.com/nodegroup", "EKS managed node group"),
            Map.entry("cloud.google.com/gke-nodepool", "GKE node pool"),
            Map.entry("kubernetes.azure.com/agentpool", "AKS node pool"));

    /** Whether {@code key} is the label naming a node group of fixed type, which a replacement of another type renames. */
    static boolean fixedGroupLabel(String key) {
        return FIXED_GROUPS.stream().anyMatch(g -> g.getKey().equals(key));
    }

    /**
     * The replaces, merges and repacks whose nodes belong to a node group of fixed type (QA 64a F7), or null: a GKE node
     * pool has one machine type, an EKS managed node group and an AKS node pool the types they were created with, and
     * their autoscaler (Cluster Autoscaler, the cloud's) only adds and removes nodes of them; none swaps one node's type.
     * Such an action is a new node group of the new shape and the workloads moved onto it, not something the cluster's
     * autoscaler carries out. A Karpenter NodePool's nodes (karpenter.sh/nodepool) mix types, so they are not named.
     */
    static String nodeGroupNote(ClusterSnapshot snapshot, List<Action> actions) {
        Map<String, ClusterSnapshot.Node> byName = new HashMap<>();
        snapshot.nodes().forEach(n -> byName.put(n.name(), n));
        Map<String, java.util.SortedSet<String>> groups = new java.util.LinkedHashMap<>(); // by kind, in FIXED_GROUPS's order
        FIXED_GROUPS.forEach(g -> groups.put(g.getValue(), new java.util.TreeSet<>()));
        List<String> acting = new ArrayList<>();
        for (Action a : actions) {
            if (a.kind() == Kind.REMOVE) {
                continue;
            }
            List<String> nodes = new ArrayList<>(List.of(a.node()));
            a.merged().forEach(m -> nodes.add(m.node()));
            boolean fixed = false;
            for (String name : nodes) {
                ClusterSnapshot.Node node = byName.get(name);
                if (node == null || node.labels().containsKey("karpenter.sh/nodepool")) {
                    continue;
                }
                for (Map.Entry<String, String> g : FIXED_GROUPS) {
                    String group = node.labels().get(g.getKey());
                    if (group != null) {
                        groups.get(g.getValue()).add(group);
                        fixed = true;
                    }
                }
            }
            if (fixed) {
                acting.add(a.kind().label() + " " + a.node());
            }
        }
        if (acting.isEmpty()) {
            return null;
        }
        List<String> named = acting.subList(0, Math.min(3, acting.size()));
        List<String> inside = new ArrayList<>();
        groups.forEach((kind, names) -> {
            if (!names.isEmpty()) {
                inside.add(kind + (names.size() == 1 ? " " : "s ") + String.join(", ", names));
            }
        });
        return String.join(", ", named) + (acting.size() > 3 ? " and " + (acting.size() - 3) + " more" : "")
                + (acting.size() == 1 ? " acts" : " act") + " inside node groups of fixed type (" + String.join("; ", inside)
                + "): Cluster Autoscaler and the clouds' autoscalers only add and remove nodes of a group's type and never replace"
                + " one by another, so each such action means a new node group (pool) of the new shape and moving the workloads"
                + " onto it (their node selectors or affinity); --no-replace plans removals only";
    }

    /**
     * The nodes the optimizer left out of their node groups' repacks, and why (at most three named): a pod no new node of
     * the group takes, such as one whose zone or hostname selector no longer matches its node (labels changed after it
     * was scheduled). They are left to the greedy steps rather than the whole group (QA 55b).
     */
    static String leftOutNote(Map<String, String> leftOut) {
        int n = leftOut.size();
        StringBuilder out = new StringBuilder("the optimizer left ").append(n == 1 ? leftOut.keySet().iterator().next() : n + " nodes")
                .append(n == 1 ? " out of its node group's repack" : " out of their node groups' repacks")
                .append(" (the greedy steps may still act on ").append(n == 1 ? "it" : "them").append("): ");
        List<String> reasons = new ArrayList<>();
        leftOut.entrySet().stream().limit(3).forEach(e -> reasons.add(n == 1 ? e.getValue() : e.getKey() + ": " + e.getValue()));
        return out.append(String.join("; ", reasons)).append(n > 3 ? "; …" : "").toString();
    }

    /**
     * Whether expendable pod {@code p} still keeps its node: Karpenter has no expendable cutoff, and its disruption never
     * takes a node running a pod annotated {@code karpenter.sh/do-not-disrupt: "true"} ({@code ValidatePodsDisruptable});
     * the plan, not knowing which autoscaler runs the cluster, keeps such a node either way (QA 70b F12: node e, its one
     * pod at -20 annotated so, was removed "(no pod to move)"). Its row says Cluster Autoscaler would remove it.
     */
    private static boolean keptByKarpenter(ClusterSnapshot.Pod p) {
        return p.nodeName() != null && !p.terminating() && p.doNotDisrupt() != null && p.doNotDisrupt().startsWith("karpenter.sh/");
    }

    /**
     * The running pods whose eviction a PodDisruptionBudget refuses now (one at 0, or more than one covering the pod):
     * Karpenter's {@code CanEvictPods} keeps their node whatever their priority, so an expendable one stays in the plan
     * too, and {@link #budgetBlocks} keeps its node (QA 70b F12's node e was also covered by a budget at 0).
     */
    private static java.util.Set<ClusterSnapshot.Pod> evictionRefused(ClusterSnapshot snapshot) {
        java.util.Set<ClusterSnapshot.Pod> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (snapshot.budgets().isEmpty()) {
            return out;
        }
        io.nodesizer.model.BudgetCoverage coverage = io.nodesizer.model.BudgetCoverage.of(snapshot);
        java.util.Set<ClusterSnapshot.Pod> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (io.nodesizer.model.DisruptionBudget b : snapshot.budgets()) {
            List<ClusterSnapshot.Pod> covered = coverage.covered(b);
            boolean none = !covered.isEmpty() && b.allowed(covered) == 0;
            for (ClusterSnapshot.Pod p : covered) {
                if (p.nodeName() != null && !p.terminating() && (none || !seen.add(p))) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /**
     * The snapshot without its expendable pods (below the cutoff, DaemonSet pods aside: they go with
     * the node anyway), as Cluster Autoscaler builds its cluster snapshot from the others alone
     * ({@code core/static_autoscaler.go}); a note says how many were left out. A running pod annotated
     * {@code karpenter.sh/do-not-disrupt} stays ({@link #keptByKarpenter}), so that its node is kept, and so does one
     * whose eviction a budget refuses now ({@link #evictionRefused}).
     */
    static ClusterSnapshot withoutExpendable(ClusterSnapshot snapshot, int cutoff, List<String> notes) {
        List<ClusterSnapshot.Pod> kept = new ArrayList<>(snapshot.pods().size());
        int running = 0;
        int pending = 0;
        java.util.Set<ClusterSnapshot.Pod> refused = evictionRefused(snapshot);
        for (ClusterSnapshot.Pod p : snapshot.pods()) {
            if (!p.daemonSet() && ExpendablePods.expendable(p.priority(), cutoff) && !keptByKarpenter(p) && !refused.contains(p)) {
                if (p.nodeName() == null) {
                    pending++;
                } else {
                    running++;
                }
            } else {
                kept.add(p);
            }
        }
        if (running + pending == 0) {
            return snapshot;
        }
        notes.add(running + " running and " + pending + " pending pod" + (running + pending == 1 ? "" : "s") + " of priority below "
                + cutoff + " (--expendable-pods-priority-cutoff) left out, as Cluster Autoscaler leaves its expendable pods out of "
                + "its simulation: they hold no room, move nowhere and keep no node (deleted with theirs, their controllers "
                + "recreate them Pending, and such pods trigger no scale-up)");
        return new ClusterSnapshot(snapshot.nodes(), kept, snapshot.sources(), snapshot.autoscalers(), snapshot.budgets(),
                snapshot.controllers());
    }

    /**
     * The snapshot without the pending pods no autoscaler acts for, so no room is kept for them; a note names them. Those
     * that name another scheduler ({@code spec.schedulerName}): Cluster Autoscaler acts only for pods kube-scheduler found
     * unschedulable (unless its {@code --bypassed-schedulers} names theirs), Karpenter likewise (QA 47c: a volcano pod kept a
     * node). And those held by {@code spec.schedulingGates} (QA 76b F2: one kept a node): kube-scheduler does not try them,
     * so their PodScheduled condition is SchedulingGated, never Unschedulable, which Cluster Autoscaler's
     * {@code isUnschedulable} (utils/kubernetes/listers.go) and Karpenter's {@code IsProvisionable} ({@code FailedToSchedule},
     * pkg/utils/pod/scheduling.go) both require.
     */
    static ClusterSnapshot withoutOtherSchedulersPending(ClusterSnapshot snapshot, List<String> notes) {
        List<ClusterSnapshot.Pod> kept = new ArrayList<>(snapshot.pods().size());
        java.util.TreeSet<String> otherScheduler = new java.util.TreeSet<>();
        java.util.TreeSet<String> gated = new java.util.TreeSet<>();
        for (ClusterSnapshot.Pod p : snapshot.pods()) {
            if (p.nodeName() == null && p.schedulerName() != null) {
                otherScheduler.add(p.fullName() + " (" + p.schedulerName() + ")");
            } else if (p.nodeName() == null && !p.schedulingGates().isEmpty()) {
                gated.add(p.fullName() + " (" + String.join(", ", p.schedulingGates()) + ")");
            } else {
                kept.add(p);
            }
        }
        if (otherScheduler.isEmpty() && gated.isEmpty()) {
            return snapshot;
        }
        if (!otherScheduler.isEmpty()) {
            notes.add(leftOut(otherScheduler, "of another scheduler") + "them, as Cluster Autoscaler and Karpenter act only for pods "
                    + "kube-scheduler found unschedulable");
        }
        if (!gated.isEmpty()) {
            notes.add(leftOut(gated, "held by scheduling gates (spec.schedulingGates)") + "them, as kube-scheduler does not try them "
                    + "until the gates are removed, and Cluster Autoscaler and Karpenter act only for pods it found unschedulable");
        }
        return new ClusterSnapshot(snapshot.nodes(), kept, snapshot.sources(), snapshot.autoscalers(), snapshot.budgets(),
                snapshot.controllers());
    }

    /** "3 pending pods {@code what} left out (the first five of {@code names}): no room is kept for ". */
    private static String leftOut(java.util.SortedSet<String> names, String what) {
        return names.size() + " pending pod" + (names.size() == 1 ? "" : "s") + " " + what + " left out (" + String.join(", ",
                new ArrayList<>(names).subList(0, Math.min(5, names.size()))) + (names.size() > 5 ? ", …" : "") + "): no room is kept for ";
    }

    /** A Windows node (kubernetes.io/os=windows). */
    static boolean windows(ClusterSnapshot.Node node) {
        return "windows".equals(node.labels().get("kubernetes.io/os"));
    }

    /** What the greedy steps planned, the cluster as they saw it once pending pods took room, and whether any inter-pod rule applies. */
    record Greedy(Result result, ConsolidationBound.Fleet fleet, boolean rulesActive) {
    }

    /**
     * The greedy steps (pending room, remove, replace, merge) over the workers not in {@code gone}
     * (nodes a repack already empties: they take no part, and their pods are not counted).
     */
    static Greedy greedy(ClusterSnapshot snapshot, List<NodeShape> candidates, Settings settings, java.util.Set<String> gone) {
        Map<String, Double> prices = settings.prices();
        List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        for (ClusterSnapshot.Node n : snapshot.nodes()) {
            if (n.worker() && !gone.contains(n.name())) {
                nodes.add(n);
            }
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).name(), i);
        }
        int n = nodes.size();
        Double[] priceOf = new Double[n]; // per hour, null when the instance type has no price
        for (int i = 0; i < n; i++) {
            priceOf[i] = ClusterAnalysis.priceOf(nodes.get(i), prices);
        }
        long[][] alloc = new long[n][];
        long[][] used = new long[n][D];
        long[][] withNode = new long[n][D]; // DaemonSet and static pods: they come with any node
        List<List<ClusterSnapshot.Pod>> movable = new ArrayList<>();
        List<List<String>> bare = new ArrayList<>(); // pods that keep their node: without a controller, or requesting devices
        List<List<String>> devicePods = new ArrayList<>();
        List<java.util.SortedSet<String>> devices = new ArrayList<>();
        boolean[] gpuPods = new boolean[n];
        for (int i = 0; i < n; i++) {
            alloc[i] = nodes.get(i).allocatable().toArray();
            movable.add(new ArrayList<>());
            bare.add(new ArrayList<>());
            devicePods.add(new ArrayList<>());
            devices.add(new java.util.TreeSet<>());
        }
        List<ClusterSnapshot.Pod> pending = new ArrayList<>();
        // Per node, what its pods request of the resources nodesizer does not pack (MIG slices, hugepages): a pending pod
        // needs the rest, as NodeResourcesFit counts them (QA 58c F1: room was promised on a node whose slices were taken).
        List<Map<String, Long>> extendedUsed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            extendedUsed.add(new HashMap<>());
        }
        // Required anti-affinity and hard spread are checked against every pod a node runs, so the
        // pods per node are kept when some pod has such a rule. The control-plane nodes take no
        // part in consolidation but are domains for the rules, as upstream: their pods count, and
        // a spread's fewest may be one of them (nodeTaintsPolicy Ignore counts tainted nodes).
        // They follow the workers in the rules' node list; every array the rules see has both.
        List<ClusterSnapshot.Node> ruleNodes = new ArrayList<>(nodes);
        Map<String, Integer> controlPlaneIndex = new HashMap<>();
        for (ClusterSnapshot.Node cp : snapshot.nodes()) {
            if (!cp.worker()) { // Fargate nodes too: their pods count for the rules, and stay where they are
                controlPlaneIndex.put(cp.name(), ruleNodes.size());
                ruleNodes.add(cp);
            }
        }
        int all = ruleNodes.size();
        PodTopologyRules rules = new PodTopologyRules(snapshot.pods(), ruleNodes);
        List<List<ClusterSnapshot.Pod>> onNode = new ArrayList<>();
        for (int i = 0; i < all; i++) {
            onNode.add(new ArrayList<>());
        }
        for (ClusterSnapshot.Pod p : snapshot.pods()) {
            if (p.nodeName() == null) {
                if (!p.daemonSet() && !p.terminating()) {
                    pending.add(p); // one being deleted kube-scheduler skips: it holds no room
                }
                continue;
            }
            Integer i = index.get(p.nodeName());
            if (i == null) {
                Integer cp = controlPlaneIndex.get(p.nodeName());
                if (cp != null && rules.active()) {
                    onNode.get(cp).add(p);
                }
                continue; // on a control-plane node, or on a node the snapshot does not list
            }
            if (rules.active()) {
                onNode.get(i).add(p);
            }
            add(used[i], p.request().toArray());
            p.extended().forEach((name, amount) -> extendedUsed.get(i).merge(name, amount, Long::sum));
            if (p.daemonSet() || "Node".equals(p.owner())) {
                add(withNode[i], p.request().toArray());
                continue; // goes and comes with the node
            }
            if (p.leaving()) {
                // Its replacement is the demand to place: moving it too counted one replica twice and kept a node about to be
                // empty (QA 52c F5). Its room stays taken while it terminates.
                continue;
            }
            gpuPods[i] |= p.request().gpuMillis() > 0;
            if (!p.extended().isEmpty()) {
                // Hugepages, MIG slices, SR-IOV pools: not packed, so where they could go is not known. Kept where it runs.
                bare.get(i).add(p.fullName());
                devicePods.get(i).add(p.fullName());
                devices.get(i).addAll(p.extended().keySet());
            } else if (p.owner() == null) {
                bare.get(i).add(p.fullName());
            } else {
                movable.get(i).add(p);
            }
        }
        boolean[] schedulable = new boolean[n];
        for (int i = 0; i < n; i++) {
            schedulable[i] = !nodes.get(i).closedToMoves();
        }
        // CA's utilisation as the node runs now, before pending pods take room on it (CA judges the nodes as they are).
        long[][] usedNow = new long[n][];
        for (int i = 0; i < n; i++) {
            usedNow[i] = used[i].clone();
        }
        // 1. Pending pods take the free room they fit first.
        List<String> pendingUnplaced = new ArrayList<>();
        boolean[] holdsPending = new boolean[n];
        pending.sort(Comparator.comparingLong((ClusterSnapshot.Pod p) -> -p.request().cpuMillis()).thenComparing(ClusterSnapshot.Pod::fullName));
        for (ClusterSnapshot.Pod p : pending) {
            // Spread domains are every node, cordoned ones too (the default nodeTaintsPolicy Ignore counts them).
            boolean[] every = new boolean[all];
            java.util.Arrays.fill(every, true);
            boolean[] domains = PodTopologyRules.needsDomains(p) ? every : null;
            int at = bestFit(p.request().toArray(), alloc, used, schedulable, node -> admits(p, nodes.get(node))
                    && extendedRoom(p, nodes.get(node), extendedUsed.get(node)) && rules.admits(p, node, onNode, domains));
            if (at < 0) {
                pendingUnplaced.add(p.fullName());
            } else {
                add(used[at], p.request().toArray());
                p.extended().forEach((name, amount) -> extendedUsed.get(at).merge(name, amount, Long::sum));
                holdsPending[at] = true;
                if (rules.active()) {
                    onNode.get(at).add(p);
                }
            }
        }
        boolean[] removed = new boolean[n];
        boolean[] received = new boolean[n];
        Map<Integer, String> reasons = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            if (holdsPending[i]) {
                received[i] = true;
                reasons.put(i, "holds room for pending pods");
            }
        }
        String[] budgetBlocks = budgetBlocks(snapshot, movable, settings.expendablePodsPriorityCutoff());
        // An annotation that forbids disruption keeps the node as a budget at 0 does: never removed,
        // replaced, merged or repacked, and at its price in the bound (the Fleet's stays).
        String[] pinned = doNotDisrupt(nodes, snapshot, settings);
        for (int i = 0; i < n; i++) {
            budgetBlocks[i] = pinned[i] != null ? pinned[i] : budgetBlocks[i];
        }
        // Cluster Autoscaler's threshold holds back removals only: a replace, merge or repack is no action of CA's (it
        // grows and shrinks node groups), but Karpenter's or an operator's, which no threshold governs.
        String[] busy = new String[n];
        for (int i = 0; i < n && settings.utilisationThreshold() != null; i++) {
            busy[i] = overThreshold(usedNow[i], alloc[i], settings.utilisationThreshold());
        }
        boolean[] stays = new boolean[n];
        for (int i = 0; i < n; i++) {
            stays[i] = !bare.get(i).isEmpty() || holdsPending[i] || budgetBlocks[i] != null
                    || settings.maxDisruptedPods() != null && movable.get(i).size() > settings.maxDisruptedPods();
        }
        // Nodes never replaced: a GPU model is more than a size, and the catalogs price Linux instances
        // (a Windows node's licence is not in them). Either may still be removed.
        boolean[] keepShape = new boolean[n];
        for (int i = 0; i < n; i++) {
            keepShape[i] = gpuPods[i] || windows(nodes.get(i));
        }
        ConsolidationBound.Fleet fleet = new ConsolidationBound.Fleet(nodes, priceOf, stays, keepShape, schedulable,
                java.util.Arrays.stream(used).map(long[]::clone).toArray(long[][]::new), withNode, movable);
        List<Action> actions = new ArrayList<>();
        int disrupted = 0;
        // 2. Remove, emptiest first.
        Integer[] order = new Integer[n];
        double[] share = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            long[] podsOnly = new long[D];
            for (ClusterSnapshot.Pod p : movable.get(i)) {
                add(podsOnly, p.request().toArray());
            }
            share[i] = dominantShare(podsOnly, alloc[i]);
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> share[i])
                .thenComparing(i -> priceOf[i] == null ? -0.0 : -priceOf[i])
                .thenComparing(i -> nodes.get(i).name()));
        // Why a node that nothing moves stays: a pod without a controller, a budget or annotation, else {@code otherwise}.
        java.util.function.BiFunction<Integer, String, String> stayReason = (c, otherwise) -> !bare.get(c).isEmpty()
                ? bareReason(bare.get(c), devicePods.get(c), devices.get(c)) : budgetBlocks[c] != null ? budgetBlocks[c] : otherwise;
        for (int c : order) {
            if (received[c]) {
                // A destination stays: the plan counts on its room (QA 51a F2: it said only "kept", and without --replace nothing else
                // said why; "holds room for pending pods" is already there for those).
                reasons.putIfAbsent(c, stayReason.apply(c, RECEIVED));
                continue;
            }
            if (!bare.get(c).isEmpty()) {
                reasons.put(c, bareReason(bare.get(c), devicePods.get(c), devices.get(c)));
                continue;
            }
            if (budgetBlocks[c] != null) {
                reasons.put(c, budgetBlocks[c]);
                continue;
            }
            if (busy[c] != null) {
                reasons.put(c, busy[c]);
                continue;
            }
            List<ClusterSnapshot.Pod> pods = new ArrayList<>(movable.get(c));
            if (settings.maxDisruptedPods() != null && disrupted + pods.size() > settings.maxDisruptedPods()) {
                reasons.put(c, "removing it " + overCap(pods.size(), disrupted, settings.maxDisruptedPods()));
                continue;
            }
            pods.sort((a, b) -> Double.compare(dominantShare(b.request().toArray(), alloc[c]), dominantShare(a.request().toArray(), alloc[c])));
            // Copy on write: a node's load and pod list are copied when a pod lands there, not every node's for every
            // candidate (n clones per candidate made the pass quadratic in nodes; the rules' label index, kept per list,
            // also re-reads only the lists that changed).
            long[][] trial = used.clone();
            boolean[] touched = new boolean[n];
            boolean[] open = new boolean[n];
            boolean[] present = new boolean[all]; // spread domains: cordoned and control-plane nodes count (nodeTaintsPolicy Ignore)
            for (int i = 0; i < all; i++) {
                present[i] = i >= n || !removed[i] && i != c;
            }
            for (int i = 0; i < n; i++) {
                open[i] = schedulable[i] && !removed[i] && i != c;
            }
            int[] dest = new int[pods.size()];
            int unplaced = 0;
            ClusterSnapshot.Pod firstUnplaced = null;
            List<List<ClusterSnapshot.Pod>> trialPods = new ArrayList<>();
            trialPods.addAll(onNode);
            if (rules.active()) {
                trialPods.set(c, new ArrayList<>()); // its pods leave it: they no longer count where they were
            }
            for (int p = 0; p < pods.size(); p++) {
                ClusterSnapshot.Pod pod = pods.get(p);
                boolean[] domains = PodTopologyRules.needsDomains(pod) ? present : null;
                dest[p] = bestFit(pod.request().toArray(), alloc, trial, open,
                        node -> admits(pod, nodes.get(node)) && rules.admits(pod, node, trialPods, domains));
                if (dest[p] < 0) {
                    unplaced++;
                    firstUnplaced = firstUnplaced == null ? pod : firstUnplaced;
                } else {
                    if (!touched[dest[p]]) {
                        touched[dest[p]] = true;
                        trial[dest[p]] = trial[dest[p]].clone();
                        if (rules.active()) {
                            trialPods.set(dest[p], new ArrayList<>(trialPods.get(dest[p])));
                        }
                    }
                    add(trial[dest[p]], pod.request().toArray());
                    if (rules.active()) {
                        trialPods.get(dest[p]).add(pod);
                    }
                }
            }
            if (unplaced > 0) {
                reasons.put(c, (pods.size() == 1 ? "its one pod" : unplaced + " of its " + Verdicts.pods(pods.size())) + " would find no room on the other nodes: "
                        + whyNoRoom(firstUnplaced, c, nodes, open, removed, shortfall(firstUnplaced, nodes, alloc, trial, open)));
                continue;
            }
            if (rules.active()) {
                for (int i = 0; i < n; i++) {
                    onNode.set(i, trialPods.get(i));
                }
            }
            Map<String, Integer> movedTo = new TreeMap<>();
            Map<String, String> podTo = new java.util.LinkedHashMap<>();
            for (int p = 0; p < pods.size(); p++) {
                movedTo.merge(nodes.get(dest[p]).name(), 1, Integer::sum);
                podTo.put(pods.get(p).fullName(), nodes.get(dest[p]).name());
                received[dest[p]] = true;
            }
            for (int i = 0; i < n; i++) {
                used[i] = trial[i];
            }
            removed[c] = true;
            disrupted += pods.size();
            actions.add(new Action(Kind.REMOVE, nodes.get(c).name(), nodes.get(c).instanceType(), priceOf[c], null, pods.size(), movedTo,
                    priceOf[c], List.of(), List.of(), podTo));
        }
        // 3. Replace what is left by cheaper shapes that hold the same pods.
        for (int c = 0; c < n && settings.replace(); c++) {
            if (removed[c]) {
                continue;
            }
            ClusterSnapshot.Node node = nodes.get(c);
            Double price = priceOf[c];
            if (!bare.get(c).isEmpty() || holdsPending[c] || budgetBlocks[c] != null) {
                // Explained above (a pod without a controller, room kept for pending pods), unless the
                // node received pods and the removal pass skipped it before saying so.
                reasons.putIfAbsent(c, stayReason.apply(c, "holds room for pending pods"));
                continue;
            }
            if (received[c]) {
                reasons.put(c, RECEIVED);
                continue;
            }
            if (!schedulable[c]) {
                // The removal pass said why it stays (the utilisation threshold, a pod with nowhere to go, ...); this adds only
                // why it is not replaced either. QA 76b F1: this put "cordoned, and its pods do not fit elsewhere" over that
                // reason, for a node whose pods did fit, and called an unreachable node cordoned.
                String state = closedState(node);
                reasons.merge(c, reasons.containsKey(c) ? state : state + ": not replaced", AND_NOT_REPLACED);
                continue;
            }
            if (price == null) {
                String why = ClusterAnalysis.notOnDemandLinux(node);
                reasons.merge(c, why != null ? "a " + why + " node, whose price the bundled catalogs (on-demand Linux) do not have, "
                        + "so no replacement can be shown cheaper"
                        : "its instance type " + (node.instanceType() == null ? "(no label)" : node.instanceType())
                        + " has no price in the catalogs, so no replacement can be shown cheaper", AND_NOT_REPLACED);
                continue;
            }
            if (gpuPods[c]) {
                reasons.merge(c, "runs GPU pods (a GPU model is more than a size" + (reasons.containsKey(c) ? ")" : ": not replaced)"),
                        AND_NOT_REPLACED);
                continue;
            }
            String arch = archOf(node);
            NodeShape best = null;
            String refused = null; // why the cheapest cheaper shape that holds its pods' requests admits not all of them
            for (NodeShape s : candidates) {
                if (!s.hasPrice() || s.pricePerHourUsd() >= price - 1e-9 || !s.arch().equals(arch) || !fits(used[c], s.allocatable().toArray())) {
                    continue;
                }
                String refusal = refusalOfAny(movable.get(c), node, s);
                if (refusal != null) {
                    refused = refused == null ? refusal : refused;
                    continue;
                }
                if (best == null || s.pricePerHourUsd() < best.pricePerHourUsd()
                        || s.pricePerHourUsd().equals(best.pricePerHourUsd()) && s.name().compareTo(best.name()) < 0) {
                    best = s;
                }
            }
            if (best == null) {
                // The clause the removal's reason lacked (QA 61a F7: a node whose pods select its instance type said only
                // that they find no room elsewhere).
                reasons.merge(c, refused != null ? "no cheaper candidate shape admits all its pods (" + refused + ")"
                        : "no cheaper candidate shape holds its pods", AND_NOT_REPLACED);
                continue;
            }
            int pods = movable.get(c).size();
            if (settings.maxDisruptedPods() != null && disrupted + pods > settings.maxDisruptedPods()) {
                reasons.put(c, "replacing it by " + best.name() + " " + overCap(pods, disrupted, settings.maxDisruptedPods()));
                continue;
            }
            disrupted += pods;
            reasons.remove(c);
            actions.add(new Action(Kind.REPLACE, node.name(), node.instanceType(), price, best, pods, Map.of(),
                    price - best.pricePerHourUsd(), List.of(), List.of(), onto(movable.get(c), newName(node)), Resources.of(withNode[c])));
        }
        // 4. Merge: two nodes that nothing above touched into one new node of a shape that costs
        // less than both (Karpenter's multi-node consolidation, for pairs).
        boolean[] touched = new boolean[n];
        for (Action a : actions) {
            touched[index.get(a.node())] = true;
        }
        if (settings.replace()) {
            boolean[] open = new boolean[all];
            for (int i = 0; i < all; i++) {
                open[i] = i >= n || !removed[i]; // spread domains, cordoned and control-plane nodes included
            }
            disrupted = merge(nodes, priceOf, used, withNode, movable, bare, holdsPending, budgetBlocks, keepShape, received, schedulable,
                    touched, candidates, settings, disrupted, actions, reasons, new Neighbours(rules, onNode, open));
        }
        List<Kept> kept = new ArrayList<>();
        java.util.Set<String> acted = new java.util.HashSet<>();
        for (Action a : actions) {
            acted.add(a.node());
            a.merged().forEach(m -> acted.add(m.node()));
        }
        for (int i = 0; i < n; i++) {
            if (!acted.contains(nodes.get(i).name())) {
                kept.add(new Kept(nodes.get(i).name(), nodes.get(i).instanceType(), reasons.getOrDefault(i, "kept")));
            }
        }
        Double before = 0.0;
        for (Double p : priceOf) {
            before = before == null || p == null ? null : before + p;
        }
        Double after = before;
        for (Action a : actions) {
            after = after == null || a.savingPerHour() == null ? null : after - a.savingPerHour();
        }
        return new Greedy(new Result(actions, kept, n, n - nodesGone(actions), before, after, disrupted, pendingUnplaced,
                snapshot.sources(), null, List.of()), fleet, rules.active());
    }

    /** Nodes the actions take away, less the new nodes they add. */
    static int nodesGone(List<Action> actions) {
        return actions.stream().mapToInt(a -> 1 + a.merged().size() - a.nodesAdded()).sum();
    }

    /** Every pod of {@code pods} to the node {@code name}. */
    static Map<String, String> onto(List<ClusterSnapshot.Pod> pods, String name) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        pods.forEach(p -> out.put(p.fullName(), name));
        return out;
    }

    /**
     * Which autoscaler honours a protecting annotation ({@code key: "value"}): each reads only its own (QA 64a F7): Karpenter
     * {@code karpenter.sh/do-not-disrupt}, Cluster Autoscaler {@code cluster-autoscaler.kubernetes.io/safe-to-evict} and
     * {@code scale-down-disabled}. The node is kept either way: the plan does not know which one runs the cluster.
     */
    static String honouredBy(String annotation, String what) {
        return annotation.startsWith("karpenter.sh/")
                ? "Karpenter " + what + "; Cluster Autoscaler does not read this annotation"
                : "Cluster Autoscaler " + what + "; Karpenter does not read this annotation";
    }

    private static String bareReason(List<String> bare, List<String> devicePods, java.util.SortedSet<String> devices) {
        if (!devicePods.isEmpty()) {
            return "runs " + devicePods.size() + (devicePods.size() == 1 ? " pod" : " pods") + " (" + names(devicePods) + ") requesting " + String.join(", ", devices) + ", which nodesizer does not pack: "
                    + "only a node that offers " + (devices.size() == 1 ? "it" : "them") + " can take " + (devicePods.size() == 1 ? "that pod" : "those pods");
        }
        return "runs " + bare.size() + (bare.size() == 1 ? " pod" : " pods") + " without a controller (" + names(bare)
                + "), which would not come back (Cluster Autoscaler keeps the node; Karpenter evicts such pods all the same)";
    }

    /** At most three names. */
    private static String names(List<String> pods) {
        return String.join(", ", pods.subList(0, Math.min(3, pods.size()))) + (pods.size() > 3 ? ", …" : "");
    }

    /** Merge candidates at most (the least loaded): pairs among them are tried, each against every candidate shape. */
    static final int MERGE_POOL = 40;

    /**
     * Untouched nodes merged into one cheaper node, best saving first, until none saves. Two kinds
     * of merge are tried each time: every pair of the candidates, and — as Karpenter's multi-node
     * consolidation tries prefixes of its candidates sorted by disruption cost — every prefix of
     * three or more of the least loaded (those of the first one's architecture). The new shape has
     * the first node's architecture, labels and taints (every pod must be admitted there), holds
     * all the nodes' evictable pods plus the largest of their DaemonSet and static pods on every
     * resource, and costs less than all of them. Nodes that must stay for a reason above (a bare
     * pod, pending room, a disruption budget at 0, GPU pods, an unknown price, cordoned, received
     * pods) do not take part. Returns the pods disrupted in all.
     */
    private static int merge(List<ClusterSnapshot.Node> nodes, Double[] priceOf, long[][] used, long[][] withNode,
                             List<List<ClusterSnapshot.Pod>> movable, List<List<String>> bare, boolean[] holdsPending, String[] budgetBlocks,
                             boolean[] keepShape, boolean[] received, boolean[] schedulable, boolean[] touched, List<NodeShape> candidates,
                             Settings settings, int disrupted, List<Action> actions, Map<Integer, String> reasons, Neighbours neighbours) {
        int n = nodes.size();
        List<Integer> pool = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!touched[i] && priceOf[i] != null && bare.get(i).isEmpty() && !holdsPending[i] && budgetBlocks[i] == null && !keepShape[i]
                    && !received[i] && schedulable[i]) {
                pool.add(i);
            }
        }
        double[] load = new double[n];
        for (int i : pool) {
            load[i] = dominantShare(used[i], nodes.get(i).allocatable().toArray());
        }
        pool.sort(Comparator.comparingDouble((Integer i) -> load[i]).thenComparing(i -> nodes.get(i).name()));
        if (pool.size() > MERGE_POOL) {
            pool = new ArrayList<>(pool.subList(0, MERGE_POOL));
        }
        // Candidates by price, so the first that holds a group is its cheapest replacement.
        List<NodeShape> byPrice = candidates.stream().filter(NodeShape::hasPrice)
                .sorted(Comparator.comparingDouble(NodeShape::pricePerHourUsd).thenComparing(NodeShape::name)).toList();
        Merger merger = new Merger(nodes, priceOf, used, withNode, movable, byPrice, settings, neighbours);
        while (true) {
            Merger.Best best = null;
            for (int x = 0; x < pool.size(); x++) {
                for (int y = 0; y < pool.size(); y++) {
                    int a = pool.get(x);
                    int b = pool.get(y);
                    if (a == b || touched[a] || touched[b] || (x > y && nodes.get(a).labels().equals(nodes.get(b).labels())
                            && nodes.get(a).taints().equals(nodes.get(b).taints()))) {
                        continue; // same labels and taints: one order is enough
                    }
                    best = Merger.better(best, merger.onto(new int[] {a, b}, disrupted, best));
                }
            }
            List<Integer> free = pool.stream().filter(i -> !touched[i]).toList();
            if (!free.isEmpty()) {
                String arch = archOf(nodes.get(free.get(0)));
                int[] group = free.stream().filter(i -> archOf(nodes.get(i)).equals(arch)).mapToInt(Integer::intValue).toArray();
                // A prefix that no candidate can hold only grows worse. One the rules refuse need not:
                // a hostname spread compares the new node with the fewest on the nodes outside the
                // group, and a longer prefix takes those in.
                for (int size = 3; size <= group.length; size++) {
                    Merger.Best b = merger.onto(java.util.Arrays.copyOf(group, size), disrupted, best);
                    if (b == Merger.HOPELESS) {
                        break;
                    }
                    best = Merger.better(best, b);
                }
            }
            if (best == null) {
                return disrupted;
            }
            List<Partner> partners = new ArrayList<>();
            int pods = 0;
            Map<String, String> podTo = new java.util.LinkedHashMap<>();
            for (int k = 0; k < best.group().length; k++) {
                int i = best.group()[k];
                touched[i] = true;
                reasons.remove(i);
                pods += movable.get(i).size();
                podTo.putAll(onto(movable.get(i), newName(nodes.get(best.group()[0]))));
                if (k > 0) {
                    partners.add(new Partner(nodes.get(i).name(), nodes.get(i).instanceType(), priceOf[i], movable.get(i).size()));
                }
            }
            disrupted += pods;
            int first = best.group()[0];
            long[] carried = new long[withNode[first].length];
            for (int i : best.group()) {
                for (int k = 0; k < carried.length; k++) {
                    carried[k] = Math.max(carried[k], withNode[i][k]);
                }
            }
            actions.add(new Action(Kind.MERGE, nodes.get(first).name(), nodes.get(first).instanceType(), priceOf[first], best.shape(), pods,
                    Map.of(), best.saving(), partners, List.of(), podTo, Resources.of(carried)));
        }
    }

    /** Whether (and onto which shape) a group of nodes merges into one new node, and what that saves. */
    private record Merger(List<ClusterSnapshot.Node> nodes, Double[] priceOf, long[][] used, long[][] withNode,
                          List<List<ClusterSnapshot.Pod>> movable, List<NodeShape> byPrice, Settings settings, Neighbours neighbours) {
        record Best(int[] group, NodeShape shape, double saving) {
        }

        /** A group too big for every candidate: so is every larger group containing it. */
        static final Best HOPELESS = new Best(new int[0], null, Double.NEGATIVE_INFINITY);

        static Best better(Best a, Best b) {
            return b != null && b != HOPELESS && (a == null || b.saving() > a.saving() + 1e-9) ? b : a;
        }

        /**
         * The cheapest shape that takes the group (the first node's labels and taints) for less than
         * the group costs and saves more than {@code over} does; null when there is none (or the
         * rules refuse the group), {@link #HOPELESS} when the group is too big for every candidate.
         */
        Best onto(int[] group, int disrupted, Best over) {
            int first = group[0];
            String arch = archOf(nodes.get(first));
            long[] need = new long[D];
            long[] daemons = new long[D];
            int pods = 0;
            double price = 0;
            List<ClusterSnapshot.Pod> all = new ArrayList<>();
            for (int i : group) {
                if (!archOf(nodes.get(i)).equals(arch)) {
                    return null;
                }
                for (int k = 0; k < D; k++) {
                    need[k] += used[i][k] - withNode[i][k];
                    daemons[k] = Math.max(daemons[k], withNode[i][k]);
                }
                pods += movable.get(i).size();
                price += priceOf[i];
                all.addAll(movable.get(i));
            }
            for (int k = 0; k < D; k++) {
                need[k] += daemons[k];
            }
            if (settings.maxDisruptedPods() != null && disrupted + pods > settings.maxDisruptedPods()) {
                return null;
            }
            boolean holds = false;
            for (NodeShape s : byPrice) {
                long[] alloc = s.allocatable().toArray();
                if (!fits(need, alloc)) {
                    continue;
                }
                holds = true;
                double saving = price - s.pricePerHourUsd();
                if (saving <= 1e-9 || over != null && saving <= over.saving() + 1e-9) {
                    return null; // the rest cost more still
                }
                if (s.arch().equals(arch) && admitsAll(all, nodes.get(first), s)) {
                    // Rules last: they look at every pod of the group against the rest of the cluster.
                    return neighbours.mayShare(all, group) ? new Best(group, s, saving) : null;
                }
            }
            return holds ? null : HOPELESS;
        }
    }

    /** The rules on the hostname with the pods each node runs, for merging two nodes into one. */
    private record Neighbours(PodTopologyRules rules, List<List<ClusterSnapshot.Pod>> onNode, boolean[] open) {
        /** Whether the pods of the group's nodes may run on one new node while the other nodes keep theirs. */
        boolean mayShare(List<ClusterSnapshot.Pod> pods, int[] group) {
            if (!rules.active()) {
                return true;
            }
            boolean[] others = open.clone();
            for (int i : group) {
                others[i] = false;
            }
            return rules.mayShare(pods, group, onNode, others);
        }
    }

    /** The node's CPU architecture label (amd64 when it has none). */
    static String archOf(ClusterSnapshot.Node node) {
        return node.labels().getOrDefault("kubernetes.io/arch", "amd64");
    }

    /**
     * Why a node is not replaced either, after why it was not removed where the removal said (QA 49b F3: a GPU node kept by a
     * taint its pods do not tolerate read only "runs GPU pods").
     */
    /**
     * How a node closed to moves ({@link ClusterSnapshot.Node#closedToMoves}) is closed, named as analyze names it: being
     * deleted by an autoscaler, cordoned, and not ready, unreachable or out of service ({@link ClusterSnapshot.Node#notReady});
     * "cordoned" too for a node with only the {@code node.kubernetes.io/unschedulable} taint, the cordon's.
     */
    static String closedState(ClusterSnapshot.Node node) {
        java.util.StringJoiner states = new java.util.StringJoiner(", ");
        if (node.deletedBy() != null) {
            states.add("being deleted by " + node.deletedBy() + " (its taint)");
        }
        if (node.unschedulable()) {
            states.add("cordoned");
        }
        if (node.notReady() != null) {
            states.add(node.notReady());
        }
        return states.length() == 0 ? "cordoned" : states.toString();
    }

    private static final java.util.function.BinaryOperator<String> AND_NOT_REPLACED =
            (removal, replacement) -> removal + "; not replaced: " + replacement;

    /**
     * Whether the node's allocatable of each resource nodesizer does not pack, less what its pods request of it, holds the
     * pod's request ({@link ClusterSnapshot.Node#refuses} compares the allocatable alone).
     */
    private static boolean extendedRoom(ClusterSnapshot.Pod pod, ClusterSnapshot.Node node, Map<String, Long> used) {
        for (Map.Entry<String, Long> e : pod.extended().entrySet()) {
            if (node.extended().getOrDefault(e.getKey(), 0L) - used.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Whether the node admits the pod: its labels and taints (node selector, required node affinity, tolerations), its GPUs' vendor. */
    private static boolean admits(ClusterSnapshot.Pod pod, ClusterSnapshot.Node node) {
        return node.refuses(pod) == null;
    }

    /**
     * Why the first of a node's pods that found no place found none (QA 49b F3: the taint its pods did not tolerate went
     * unsaid): no other open node admits it (the first one's refusal), or those that do lack the room or refuse it by an
     * inter-pod rule, with what they lack ({@code lacks}, {@link #shortfall}). The GPU vendor is named only where it can have
     * kept a pod off: a pod asking for a vendor's GPUs.
     */
    private static String whyNoRoom(ClusterSnapshot.Pod pod, int from, List<ClusterSnapshot.Node> nodes, boolean[] open, boolean[] removed,
                                    String lacks) {
        List<String> refusals = new ArrayList<>(); // every refusing node, three named (QA 64a F22: one of two was)
        int admitting = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (!open[i] || i == from) {
                continue;
            }
            String why = nodes.get(i).refuses(pod);
            if (why == null) {
                admitting++;
            } else {
                refusals.add(nodes.get(i).name() + ": " + why);
            }
        }
        String refusal = refusals.isEmpty() ? null : String.join("; ", refusals.subList(0, Math.min(3, refusals.size())))
                + (refusals.size() > 3 ? "; … " + (refusals.size() - 3) + " more" : "");
        if (admitting == 0) {
            return refusal == null ? noOtherNode(from, nodes, removed) : pod.fullName() + " is admitted by no other "
                    + "schedulable node (" + refusal + ")";
        }
        // The refusal too: a GPU pod that CPU nodes admit but cannot hold is kept off the other GPU nodes by their taint (review 49).
        return pod.fullName() + " fits none of the " + admitting + (admitting == 1 ? " node" : " nodes") + " its node selector, node "
                + "affinity, tolerations" + (pod.gpuVendor().isEmpty() ? "" : " and GPU vendor") + " admit (resources, required pod "
                + "affinity and anti-affinity, host ports, and topology spread checked)" + lacks
                + (refusal == null ? "" : "; the others refuse it (" + refusal + ")");
    }

    /**
     * What the open nodes that admit the pod lack, worded as analyze words a Pending pod's shortfall: per resource it needs
     * more of than any of them has free, the most free on one and where (QA 78c F5: "fits none of the 1 node … (resources …
     * checked)" left the reader to find that 50 GiB of ephemeral storage was what no node had); "" when none admits it, or
     * each resource is free on one of them (they lack it together, or an inter-pod rule refuses them).
     */
    private static String shortfall(ClusterSnapshot.Pod pod, List<ClusterSnapshot.Node> nodes, long[][] alloc, long[][] used, boolean[] open) {
        long[] want = pod.request().toArray();
        long[] most = new long[D];
        java.util.Arrays.fill(most, -1);
        String[] where = new String[D];
        for (int i = 0; i < alloc.length; i++) {
            if (open[i] && admits(pod, nodes.get(i))) {
                for (int k = 0; k < D; k++) {
                    long free = Math.max(0, alloc[i][k] - used[i][k]);
                    if (free > most[k]) {
                        most[k] = free;
                        where[k] = nodes.get(i).name();
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < D; k++) {
            if (most[k] >= 0 && want[k] > most[k]) {
                Resource r = Resource.at(k);
                sb.append(sb.isEmpty() ? ": " : "; ").append("needs ").append(io.nodesizer.engine.Amounts.format(r, want[k])).append(' ')
                        .append(io.nodesizer.engine.Amounts.unit(r)).append(", the most free on one of them is ")
                        .append(io.nodesizer.engine.Amounts.format(r, most[k])).append(' ').append(io.nodesizer.engine.Amounts.unit(r))
                        .append(" (").append(where[k]).append(')');
            }
        }
        return sb.toString();
    }

    /**
     * Why no other node is open to a node's pods: it is the only worker node (control-plane and Fargate nodes are none of
     * {@code nodes}), or the others are cordoned, not ready (unreachable, out of service) or being deleted by an autoscaler, or
     * removed or emptied by the plan (a group the optimizer repacks).
     */
    private static String noOtherNode(int from, List<ClusterSnapshot.Node> nodes, boolean[] removed) {
        if (nodes.size() == 1) {
            return "it is the only worker node";
        }
        int gone = 0;
        int cordoned = 0;
        int deleting = 0;
        java.util.Map<String, Integer> notReady = new java.util.TreeMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            ClusterSnapshot.Node n = nodes.get(i);
            if (i != from && removed[i]) {
                gone++;
            } else if (i != from && n.deletedBy() != null) {
                deleting++;
            } else if (i != from && n.unschedulable()) {
                cordoned++;
            } else if (i != from && n.notReady() != null) {
                notReady.merge(n.notReady(), 1, Integer::sum); // QA 74 F2: closed to moves, its kubelet runs nothing new
            }
        }
        List<String> why = new ArrayList<>();
        if (cordoned > 0) {
            why.add(cordoned + (cordoned == 1 ? " is" : " are") + " cordoned (unschedulable)");
        }
        notReady.forEach((state, k) -> why.add(k + (k == 1 ? " is " : " are ") + state));
        if (deleting > 0) {
            why.add(deleting + (deleting == 1 ? " is" : " are") + " being deleted by an autoscaler");
        }
        if (gone > 0) {
            why.add(gone + (gone == 1 ? " is" : " are") + " removed or emptied by this plan");
        }
        return "no other node takes pods: " + String.join(", ", why);
    }

    /**
     * Whether all pods would still be admitted by the node once it is of {@code shape}: same
     * labels (its node group's) and taints, with the instance-type labels of the new shape.
     */
    static boolean admitsAll(List<ClusterSnapshot.Pod> pods, ClusterSnapshot.Node node, NodeShape shape) {
        return refusalOfAny(pods, node, shape) == null;
    }

    /** "shop/api-1: its node selector needs …" for the first of {@code pods} the node once it is of {@code shape} would not admit; null when it admits all. */
    static String refusalOfAny(List<ClusterSnapshot.Pod> pods, ClusterSnapshot.Node node, NodeShape shape) {
        Map<String, String> labels = replacedLabels(node, shape);
        for (ClusterSnapshot.Pod p : pods) {
            String why = NodeMatching.onNode(p.placement(), labels, node.taints(), newName(node));
            if (why != null) {
                return p.fullName() + " on " + shape.name() + ": " + why;
            }
        }
        return null;
    }

    /** Whether a pod of {@code placement} would be admitted by the node once it is of {@code shape} (see {@link #admitsAll}). */
    static boolean admitsAll(io.nodesizer.model.Placement placement, ClusterSnapshot.Node node, NodeShape shape) {
        return refusal(placement, node, shape) == null;
    }

    /** Why the node once it is of {@code shape} would not admit a pod of {@code placement}, or null (see {@link #admitsAll}). */
    static String refusal(io.nodesizer.model.Placement placement, ClusterSnapshot.Node node, NodeShape shape) {
        return NodeMatching.onNode(placement, replacedLabels(node, shape), node.taints(), newName(node));
    }

    /** A new node has a new name: a pod pinned to the old one (metadata.name field or hostname label) does not follow it. */
    static String newName(ClusterSnapshot.Node node) {
        return node.name() + "-replacement";
    }

    /** Whether a node label is derived from the instance type ({@link NodeLabels#fromInstanceType}). */
    static boolean shapeLabel(String key) {
        return NodeLabels.fromInstanceType(key);
    }

    /**
     * The node's labels (its node group's) once it is of {@code shape}, with a new hostname, and a fixed-type group's label
     * (eks.amazonaws.com/nodegroup, cloud.google.com/gke-nodepool, kubernetes.azure.com/agentpool) naming a new group. Labels
     * derived from the instance type ({@link #shapeLabel}) are rewritten where the new shape's name
     * gives them exactly — the instance type; an AWS {@code family.size}'s instance-family and
     * instance-size; a GCE {@code family-…}'s machine family — and dropped otherwise (a pod that
     * requires one then fits no replacement: kept rather than moved onto a shape it may not fit).
     */
    static Map<String, String> replacedLabels(ClusterSnapshot.Node node, NodeShape shape) {
        Map<String, String> labels = new java.util.HashMap<>();
        node.labels().forEach((k, v) -> {
            if (!shapeLabel(k)) {
                labels.put(k, v);
            }
        });
        String type = shape.instanceType(); // NAME#2's type is among its labels
        int dot = type.indexOf('.');
        int dash = type.indexOf('-');
        Map<String, String> derived = new java.util.HashMap<>();
        derived.put("node.kubernetes.io/instance-type", type);
        derived.put("beta.kubernetes.io/instance-type", type);
        derived.put("cloud.google.com/gke-machine-type", type);
        if ("aws".equals(shape.provider()) && dot > 0) {
            for (String prefix : List.of("karpenter.k8s.aws/", "eks.amazonaws.com/")) {
                derived.put(prefix + "instance-family", type.substring(0, dot));
                derived.put(prefix + "instance-size", type.substring(dot + 1));
            }
        }
        if ("gce".equals(shape.provider()) && dash > 0) {
            derived.put("cloud.google.com/machine-family", type.substring(0, dash));
        }
        derived.forEach((k, v) -> {
            if (node.labels().containsKey(k)) {
                labels.put(k, v);
            }
        });
        if (labels.containsKey("kubernetes.io/hostname")) {
            labels.put("kubernetes.io/hostname", newName(node));
        }
        if (!labels.containsKey("karpenter.sh/nodepool") && !type.equals(node.instanceType())) {
            // A group of fixed type (EKS managed node group, GKE or AKS node pool) takes no node of another type: the replacement
            // is a node of a new group (nodeGroupNote), whose label has another value, unknown here. A pod that requires the old
            // group's name (eks.amazonaws.com/nodegroup In [memory]) does not follow it; one that requires the label to exist
            // does (QA 73 F3: such a pod moved "onto the new node" while the note said the new node was a new group's).
            // A Karpenter NodePool mixes types, so its replacement stays in it and keeps karpenter.sh/nodepool.
            for (Map.Entry<String, String> g : FIXED_GROUPS) {
                labels.computeIfPresent(g.getKey(), (k, v) -> "(a new " + g.getValue() + " of " + type + ")");
            }
        }
        return labels;
    }

    /** The admitted node with room for {@code want} that is left fullest (the least free on its scarcest resource), or -1. */
    private static int bestFit(long[] want, long[][] alloc, long[][] used, boolean[] open, java.util.function.IntPredicate admits) {
        int best = -1;
        double bestLeft = Double.POSITIVE_INFINITY;
        for (int i = 0; i < alloc.length; i++) {
            if (!open[i]) {
                continue;
            }
            double left = Double.POSITIVE_INFINITY;
            boolean fits = true;
            for (int k = 0; k < D && fits; k++) {
                long free = alloc[i][k] - used[i][k] - want[k];
                fits = free >= 0;
                if (alloc[i][k] > 0 && want[k] > 0) {
                    left = Math.min(left, (double) free / alloc[i][k]);
                }
            }
            // The room first: the label and inter-pod checks cost more, and only a node with room needs them.
            if (fits && (best < 0 || left < bestLeft) && admits.test(i)) {
                bestLeft = left;
                best = i;
            }
        }
        return best;
    }

    private static boolean fits(long[] need, long[] allocatable) {
        for (int k = 0; k < D; k++) {
            if (need[k] > allocatable[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Per node, why its pods may not be evicted now, or null: a PodDisruptionBudget that covers one
     * of its pods and allows no disruption (status.disruptionsAllowed 0, or minAvailable /
     * maxUnavailable leave none). Evictions go one at a time and a moved pod is healthy again
     * before the next, so a budget that allows one or more does not stop a drain; at 0 it does.
     *
     * <p>The eviction API (kubernetes {@code pkg/registry/core/pod/storage/eviction.go}) would
     * evict more: a pod being deleted without a budget check ({@code canIgnorePDB}; Succeeded and
     * Failed pods are left out of the snapshot), and a running pod that is not Ready under
     * {@code unhealthyPodEvictionPolicy: AlwaysAllow}, or under the default IfHealthyBudget while
     * currentHealthy ≥ desiredHealthy. But neither autoscaler asks it before its own check of
     * status.disruptionsAllowed: Cluster Autoscaler's drain rule (autoscaler {@code
     * cluster-autoscaler/simulator/drainability/rules/pdb/rule.go}) blocks any covered pod at
     * {@code DisruptionsAllowed < 1} (only pods terminating for long pass, its {@code
     * longterminating} rule), and Karpenter's {@code pdb.Limits.CanEvictPods} (karpenter {@code
     * pkg/utils/pdb/pdb.go}) blocks one at 0 unless it is being deleted (not {@code IsEvictable}) or
     * is not Ready under AlwaysAllow. So IfHealthyBudget's not-Ready pods block under both; the two
     * Karpenter lets through keep the node too (consolidate answers for either autoscaler, the
     * stricter kept, as {@link #doNotDisrupt} does), and the reason says that Karpenter would go on.
     */
    static String[] budgetBlocks(ClusterSnapshot snapshot, List<List<ClusterSnapshot.Pod>> movable, int expendableCutoff) {
        String[] out = new String[movable.size()];
        List<io.nodesizer.model.DisruptionBudget> budgets = new ArrayList<>(snapshot.budgets());
        budgets.sort(Comparator.comparing(io.nodesizer.model.DisruptionBudget::fullName));
        // Per pod, the budgets covering it; the eviction API refuses a pod that more than one covers.
        Map<ClusterSnapshot.Pod, List<String>> coveredBy = new java.util.IdentityHashMap<>();
        Map<ClusterSnapshot.Pod, io.nodesizer.model.DisruptionBudget> atZero = new java.util.IdentityHashMap<>();
        io.nodesizer.model.BudgetCoverage coverage = io.nodesizer.model.BudgetCoverage.of(snapshot);
        for (io.nodesizer.model.DisruptionBudget b : budgets) {
            List<ClusterSnapshot.Pod> covered = coverage.covered(b);
            if (covered.isEmpty()) {
                continue;
            }
            boolean none = b.allowed(covered) == 0;
            for (ClusterSnapshot.Pod p : covered) {
                coveredBy.computeIfAbsent(p, x -> new ArrayList<>()).add(b.fullName());
                io.nodesizer.model.DisruptionBudget before = atZero.get(p);
                if (none && (before == null || karpenterEvicts(p, before) != null && karpenterEvicts(p, b) == null)) {
                    atZero.put(p, b); // the first budget that blocks under both autoscalers, else the first at 0
                }
            }
        }
        for (int i = 0; i < movable.size(); i++) {
            String karpenterOnly = null;
            for (ClusterSnapshot.Pod p : movable.get(i)) {
                List<String> by = coveredBy.getOrDefault(p, List.of());
                io.nodesizer.model.DisruptionBudget b = atZero.get(p);
                if (out[i] == null && by.size() > 1) {
                    out[i] = p.fullName() + " is covered by more than one PodDisruptionBudget (" + String.join(", ", by)
                            + "), and the eviction API refuses such pods";
                } else if (out[i] == null && b != null) {
                    String why = karpenterEvicts(p, b);
                    String reason = "PodDisruptionBudget " + b.fullName() + " allows no disruption now, and it covers " + p.fullName()
                            + (ExpendablePods.expendable(p.priority(), expendableCutoff) ? " (Karpenter keeps the node; its priority ("
                            + p.priority() + ") below --expendable-pods-priority-cutoff (" + expendableCutoff + ") makes it expendable to "
                            + "Cluster Autoscaler, which would remove the node)" : "");
                    if (why == null) {
                        out[i] = reason;
                    } else if (karpenterOnly == null) {
                        karpenterOnly = reason + " (Cluster Autoscaler's drain check keeps the node; Karpenter's lets it go: that pod " + why + ")";
                    }
                }
            }
            out[i] = out[i] == null ? karpenterOnly : out[i];
        }
        return out;
    }

    /**
     * Why Karpenter evicts pod p although budget b, at 0, covers it ({@code pdb.Limits.CanEvictPods}):
     * it is being deleted, or b's unhealthyPodEvictionPolicy is AlwaysAllow and p's Ready condition
     * is False; null when it does not.
     */
    private static String karpenterEvicts(ClusterSnapshot.Pod p, io.nodesizer.model.DisruptionBudget b) {
        if (p.terminating()) {
            return "is being deleted";
        }
        return b.alwaysAllowUnhealthy() && Boolean.FALSE.equals(p.ready()) ? "is not Ready, under unhealthyPodEvictionPolicy AlwaysAllow" : null;
    }

    /**
     * Per node, why no autoscaler would disrupt it, or null: the node's own annotation
     * ({@link ClusterSnapshot.Node#doNotDisrupt}), else the first of its pods (not being deleted)
     * whose annotation forbids eviction. Every such pod counts, DaemonSet and static pods too, as
     * Karpenter's StateNode.ValidatePodsDisruptable lets them block (Cluster Autoscaler's drain
     * rules skip those two kinds before reading safe-to-evict: the stricter reading is kept).
     */
    static String[] doNotDisrupt(List<ClusterSnapshot.Node> nodes, ClusterSnapshot snapshot, Settings settings) {
        CaSkip skip = settings.caSkip();
        List<ClusterSnapshot.Pod> pods = snapshot.pods();
        String[] out = new String[nodes.size()];
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).name(), i);
            if (nodes.get(i).doNotDisrupt() != null) {
                out[i] = "annotated " + nodes.get(i).doNotDisrupt() + " (" + honouredBy(nodes.get(i).doNotDisrupt(), "leaves it alone") + ")";
            }
        }
        for (ClusterSnapshot.Pod p : pods) {
            Integer i = p.nodeName() == null ? null : index.get(p.nodeName());
            if (i != null && out[i] == null && p.doNotDisrupt() != null && !p.terminating()) {
                out[i] = "runs " + p.fullName() + ", annotated " + p.doNotDisrupt() + " (" + honouredBy(p.doNotDisrupt(), "does not evict it")
                        + (ExpendablePods.expendable(p.priority(), settings.expendablePodsPriorityCutoff()) ? ", and its priority ("
                        + p.priority() + ") below --expendable-pods-priority-cutoff (" + settings.expendablePodsPriorityCutoff()
                        + ") makes it expendable to Cluster Autoscaler, which would remove the node; Karpenter has no such cutoff" : "") + ")";
            }
        }
        // Pods any PodDisruptionBudget selects, whatever it allows: CA's system rule asks only whether one matches.
        java.util.Set<ClusterSnapshot.Pod> budgeted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (skip.systemPods()) {
            io.nodesizer.model.BudgetCoverage coverage = io.nodesizer.model.BudgetCoverage.of(snapshot);
            for (io.nodesizer.model.DisruptionBudget b : snapshot.budgets()) {
                budgeted.addAll(coverage.covered(b));
            }
        }
        for (ClusterSnapshot.Pod p : pods) {
            Integer i = p.nodeName() == null ? null : index.get(p.nodeName());
            if (i != null && out[i] == null) {
                String why = caKeeps(p, skip, budgeted);
                if (why != null) {
                    out[i] = "runs " + p.fullName() + ", " + why;
                }
            }
        }
        return out;
    }

    /** CA's controller kinds that recreate a pod elsewhere (the {@code replicated} rule's {@code replicatedKind}). */
    private static final java.util.Set<String> CA_REPLICATED = java.util.Set.of("ReplicationController", "Job", "ReplicaSet", "StatefulSet");

    /**
     * Why Cluster Autoscaler's default drain rules keep the node of running pod p, or null (kubernetes/autoscaler
     * {@code cluster-autoscaler/simulator/drainability/rules/rules.go} @ 084264c1, in its order): mirror (static) pods,
     * terminating pods (its {@code longterminating} rule; the stricter reading, as above), DaemonSet pods and pods
     * annotated {@code safe-to-evict: "true"} pass before the blocking rules; then {@code replicated/rule.go}
     * @ 125e9c10 (a controller of another kind than ReplicationController, Job, ReplicaSet, StatefulSet, under
     * --skip-nodes-with-custom-controller-pods; pods without a controller keep their node already, see
     * {@link #bareReason}), {@code system/rule.go} @ 125e9c10 (a kube-system pod that no budget matches, under
     * --skip-nodes-with-system-pods) and {@code localstorage/rule.go} @ f9c56294 with {@code utils/drain}'s
     * {@code HasBlockingLocalStorage} (under --skip-nodes-with-local-storage). Karpenter has none of these rules,
     * so each reason says which flag turns it off.
     */
    private static String caKeeps(ClusterSnapshot.Pod p, CaSkip skip, java.util.Set<ClusterSnapshot.Pod> budgeted) {
        if (p.staticPod() || p.terminating() || p.daemonSet() || p.drain().safeToEvict()) {
            return null;
        }
        String tail = " (Cluster Autoscaler keeps the node: --%s, default true; Karpenter would go on)";
        if (skip.customControllerPods() && p.owner() != null && !CA_REPLICATED.contains(p.owner())) {
            return "owned by " + p.owner() + " " + p.ownerName() + ", a controller Cluster Autoscaler does not know"
                    + tail.formatted("skip-nodes-with-custom-controller-pods");
        }
        if (skip.systemPods() && "kube-system".equals(p.namespace()) && !budgeted.contains(p)) {
            return "a kube-system pod that no PodDisruptionBudget in the snapshot covers" + tail.formatted("skip-nodes-with-system-pods");
        }
        if (skip.localStorage() && p.drain().localStorage() != null) {
            return "with local storage (" + p.drain().localStorage() + ")" + tail.formatted("skip-nodes-with-local-storage");
        }
        return null;
    }

    /**
     * Why Cluster Autoscaler never considers a node for scale-down, or null: its utilisation
     * ({@link io.nodesizer.replay.autoscale.ClusterAutoscaler#utilisation}, the replay's too: requests, DaemonSet and static
     * pods included, over allocatable, the larger of CPU and memory, a GPU node's GPUs alone) is not below the threshold
     * (kubernetes/autoscaler {@code core/scaledown/eligibility}: "utilization too high"). Karpenter has no threshold: it
     * weighs every node, so the reason says so, as the skip rules' do. The GPU node's own flag,
     * {@code --scale-down-gpu-utilization-threshold}, has the same default; consolidate takes one value for both.
     */
    static String overThreshold(long[] requested, long[] allocatable, double threshold) {
        if (io.nodesizer.replay.autoscale.ClusterAutoscaler.utilisation(requested, allocatable) < threshold) {
            return null;
        }
        int gpu = Resource.GPU.ordinal();
        int cpu = Resource.CPU.ordinal();
        int mem = Resource.MEMORY.ordinal();
        String what = allocatable[gpu] > 0 ? percent(requested[gpu], allocatable[gpu]) + " of its GPUs (a GPU node is weighed by them alone)"
                : percent(requested[cpu], allocatable[cpu]) + " of its CPU and " + percent(requested[mem], allocatable[mem]) + " of its memory";
        String t = java.math.BigDecimal.valueOf(threshold).stripTrailingZeros().toPlainString();
        return "its pods request " + what + " (DaemonSets included), not below " + t
                + " (Cluster Autoscaler keeps the node: --scale-down-utilization-threshold, default 0.5; Karpenter would go on)";
    }

    private static String percent(long used, long of) {
        return String.format(java.util.Locale.ROOT, "%.1f %%", of <= 0 ? 0 : 100.0 * used / of);
    }

    private static double dominantShare(long[] amount, long[] alloc) {
        double s = 0;
        for (int k = 0; k < D; k++) {
            if (alloc[k] > 0) {
                s = Math.max(s, (double) amount[k] / alloc[k]);
            }
        }
        return s;
    }

    private static void add(long[] into, long[] other) {
        for (int k = 0; k < D; k++) {
            into[k] += other[k];
        }
    }
}
