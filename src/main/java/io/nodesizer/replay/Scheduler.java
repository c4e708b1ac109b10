package io.nodesizer.replay;

import io.nodesizer.engine.ConflictCounts;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GroupCounts;
import io.nodesizer.engine.strategy.Candidates;
import io.nodesizer.engine.strategy.PreferenceScoring;
import io.nodesizer.engine.strategy.HighestScore;
import io.nodesizer.engine.strategy.KubeScheduler;
import io.nodesizer.model.Resource;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Chooses a node for one pod as kube-scheduler does: the NodeResourcesFit filter on the pooled
 * amounts (through the {@link ReadyIndex}), then the pod's GPU model, node selector, affinity and
 * tolerations, its GPU devices, the pods that repel it, and the rules that depend on zones
 * ({@link TopologyRules}: spread, pod affinity and anti-affinity on the zone, zone selectors); the most- or least-allocated integer
 * score, seeded tie-breaking, and {@code percentageOfNodesToScore} sampling round-robin over the
 * ready nodes. It only chooses: {@link Pods#place} binds the pod.
 */
final class Scheduler {
    private static final int D = DemandTable.D;
    private static final int CPU = Resource.CPU.ordinal();
    private static final int MEM = Resource.MEMORY.ordinal();
    private static final int GPU = Resource.GPU.ordinal();

    private final PodStream stream;
    private final long[] demand;
    /** What NodeResourcesFit counts of each group's request, at the offsets of {@link #demand} ({@link DemandTable#flatScoring()}). */
    private final long[] scored;
    private final Nodes nodes;
    /** Running pods per (node, group) for groups in a conflict (kept by {@link Pods}). */
    private final ConflictCounts present;
    /** The rules that depend on zones (PodTopologySpread's and InterPodAffinity's filters on the zone); null when none applies. */
    private final TopologyRules spread;
    private final int poolCount;
    // GPU models: whether group g may use pool p's GPUs, at [g * pools + p].
    private final boolean[] allowed;
    private final KubeScheduler.Scoring scoring;
    private final SplittableRandom random;
    private final HighestScore selection = new HighestScore();
    /** The profile's preference plugins, or null when they score nothing; with the running pods they count. */
    private final PreferenceScoring preferences;
    private final GroupCounts counts;
    /** The count levels of the groups whose only preference plugin is the spread ({@link CountLevels}); null when none. */
    private final CountLevels levels;
    private final PreferenceScoring.NodePlaces places;
    private final Candidates candidates = new Candidates();
    /** Required pod affinity on the hostname and the running target pods; null when no group has it. */
    private final io.nodesizer.engine.CoLocation coLocation;
    private final GroupCounts coRunning;
    private int roundRobin;
    /** While a node is chosen: the feasible nodes met so far, and the position of the last one. */
    private int found;
    private int lastFound;
    /** Per group its request's row in the ready index (-1: none, the tree is searched), or {@link #UNKNOWN_ROW} before its first pod. */
    private final int[] rowOf;
    private static final int UNKNOWN_ROW = -2;
    /**
     * Per group, whether nothing but the pooled amounts can keep its pods off a ready node: every
     * pool takes them, no pod repels them, no zone rule, no required pod affinity, no GPUs.
     */
    private final boolean[] plain;
    /**
     * Node scores by (request row, ready position), at {@code row * scoreWidth + position}, each valid
     * while its stamp equals the position's {@link Nodes#readyStamp}: between two pods of one request
     * few of the nodes it scores have changed, and a score costs more than a look-up.
     */
    private long[] scoreCache = new long[0];
    private long[] scoreStamp = new long[0];
    private int scoreWidth;
    /** The cached scores bit-sliced, entry for entry as {@link #scoreCache}: {@link #offerSpread} reads a word's 64 at once. */
    private final ScorePlanes planes = new ScorePlanes();
    /** The row of the pod being placed, whose scores {@link #scoreAt} caches ({@code cacheBase / scoreWidth}). */
    private int cacheRow;
    /** Recompute every score taken from the cache and fail if it differs (tests: {@code -Dnodesizer.checkScores=true}). */
    private final boolean checkScores = Boolean.getBoolean("nodesizer.checkScores");
    /**
     * For a pod whose only preference plugin is PodTopologySpread ({@link PreferenceScoring#spreadAlone}):
     * the words of candidates met by the scan, in scan order, with each word's feasible positions
     * to score and its range (see {@link #offerSpread}); and the fewest and the most of the group's
     * pods on one candidate so far.
     */
    private int[] spreadWord = new int[16];
    private long[] spreadCand = new long[16];
    private long[] spreadRange = new long[16];
    /** Per kept word, the fewest of the group's pods on one of its candidates: the spread scores them at most as that. */
    private int[] spreadFewest = new int[16];
    private int spreadWords;
    private int fewest;
    private int most;
    /** The spread's weighted, normalized score per pods of the group on the node, from {@link #fewest}. */
    private long[] spreadScore = new long[16];
    /**
     * Cluster Autoscaler's soft taint on its deletion candidates (core/scaledown/actuation/softtaint.go; the value is the
     * time it was put on, which no Equal toleration can name): PreferNoSchedule, so TaintToleration scores it.
     */
    static final io.nodesizer.model.Placement.Taint SOFT_TAINT = new io.nodesizer.model.Placement.Taint(
            "DeletionCandidateOfClusterAutoscaler", "1733529600", "PreferNoSchedule");
    /**
     * Per group, what TaintToleration (weight 3, raw counts normalized 0..100 by the highest and reversed) gives a node
     * without the soft taint over one with it, once a node scored for the pod has it: with c PreferNoSchedule taints of
     * the shapes on every node that the pod does not tolerate, 3 × (100 − ⌊100c / (c + 1)⌋), 300 without any (review 68
     * #2: a flat 300 was wrong beside the shapes' own). Where the shapes differ in that count the group's preference path
     * scores TaintToleration over both kinds of taints at once ({@code PreferenceScoring}).
     */
    private final long[] softGap;
    /**
     * Per group, whether the soft taint's gap is no greater than what NodeResourcesFit and BalancedAllocation together can
     * give (0..200), for a group no preference plugin scores: its candidates are then collected and totalled, rather than
     * the nodes with the taint offered only where no other is.
     */
    private final boolean[] softExact;
    private static final long RESOURCE_SCORE_RANGE = 200;
    /** Whether the scoring is a scheduler profile, which scores TaintToleration (NodeResourcesFit alone does not). */
    private final boolean taintScored;
    /** Per group, whether its pods tolerate {@link #SOFT_TAINT} (an Exists toleration of its key, or of every key). */
    private final boolean[] softTolerated;
    /** For the pod being placed: the soft-tainted ready positions it does not tolerate ({@link Nodes#softBits}), or null. */
    private long[] soft;
    /** Whether a candidate {@link #keepSpreadWord} kept has the soft taint the pod does not tolerate. */
    private boolean anySoft;
    /**
     * The soft-tainted feasible nodes a scan for NodeResourcesFit alone met, with their scores, while no other node was
     * offered: they are offered only when none is (every node without the taint scores above them).
     */
    private int[] deferNode = new int[16];
    private long[] deferScore = new long[16];
    private int deferred;
    private final java.util.function.IntPredicate softNode;

    /** @param demand the demand rows of the pod groups, stride {@link DemandTable#D} */
    Scheduler(PodStream stream, List<Pool> pools, long[] demand, Nodes nodes, ConflictCounts present, TopologyRules spread,
              KubeScheduler.Scoring scoring, SplittableRandom random, PreferenceScoring preferences, GroupCounts counts,
              io.nodesizer.engine.CoLocation coLocation, GroupCounts coRunning) {
        this.stream = stream;
        this.coLocation = coLocation;
        this.coRunning = coRunning;
        this.preferences = preferences;
        this.counts = counts;
        this.levels = nodes.countLevels;
        this.places = preferences == null ? null
                : PreferenceScoring.NodePlaces.of(node -> nodes.pool[node], node -> nodes.zoneOf(node));
        this.spread = spread;
        this.demand = demand;
        this.scored = stream.table().flatScoring();
        this.nodes = nodes;
        this.present = present;
        this.scoring = scoring;
        this.random = random;
        DemandTable table = stream.table();
        this.poolCount = pools.size();
        this.allowed = new boolean[table.groupCount() * poolCount];
        this.rowOf = new int[table.groupCount()];
        java.util.Arrays.fill(rowOf, UNKNOWN_ROW);
        for (int g = 0; g < table.groupCount(); g++) {
            for (Pool p : pools) {
                allowed[g * poolCount + p.index()] = p.allows(table.group(g));
            }
        }
        this.taintScored = scoring.profile();
        this.softTolerated = new boolean[table.groupCount()];
        this.softGap = new long[table.groupCount()];
        this.softExact = new boolean[table.groupCount()];
        for (int g = 0; g < table.groupCount(); g++) {
            List<io.nodesizer.model.Placement.Toleration> tolerations = table.group(g).placement().tolerations();
            softTolerated[g] = io.nodesizer.kube.NodeMatching.tolerated(tolerations, SOFT_TAINT);
            long c = 0;
            for (io.nodesizer.model.Placement.Taint t : pools.get(0).shape().taints()) {
                c += t.effect().equals("PreferNoSchedule") && !io.nodesizer.kube.NodeMatching.tolerated(tolerations, t) ? 1 : 0;
            }
            softGap[g] = 3 * (100 - 100 * c / (c + 1));
            softExact[g] = softGap[g] <= RESOURCE_SCORE_RANGE && (preferences == null || !preferences.scores(g));
        }
        this.softNode = nodes::softTainted;
        this.plain = new boolean[table.groupCount()];
        for (int g = 0; g < table.groupCount(); g++) {
            boolean everywhere = true;
            for (Pool p : pools) {
                everywhere &= allowed[g * poolCount + p.index()];
            }
            plain[g] = everywhere && !present.tracks(g) && (spread == null || !spread.constrains(g)) && (coLocation == null || !coLocation.constrains(g))
                    && demand[g * D + GPU] == 0;
        }
    }

    /** Whether every group is {@link #plain}: only the pooled amounts can keep a pod off a ready node. */
    boolean allPlain() {
        for (boolean p : plain) {
            if (!p) {
                return false;
            }
        }
        return true;
    }

    /** Whether the pod may use the GPUs of pool {@code pool} (its GPU model; always for pods without GPUs). */
    boolean allowedOn(int pod, int pool) {
        return allowed[stream.group(pod) * poolCount + pool];
    }

    /** Whether {@code node}'s free capacity holds the pod's request, on its GPU devices too. */
    boolean fits(int node, int pod) {
        int o = stream.group(pod) * D;
        int b = node * D;
        long[] free = nodes.free;
        for (int r = 0; r < D; r++) {
            if (demand[o + r] > free[b + r]) {
                return false;
            }
        }
        return admitsBeyondAmounts(node, o, coTargetsAnywhere(o / D));
    }

    /**
     * Whether the zone rules let the pod go to {@code node}'s zone, with the running counts changed
     * by {@code moved} ({@link #newZoneMoves()}; null for none); always when none applies.
     */
    boolean zoneAdmits(int node, int pod, int[] moved) {
        return zoneAdmitsIn(nodes.pool[node], nodes.zoneOf(node), pod, moved);
    }

    /** As {@link #zoneAdmits}, for a node of {@code pool} in {@code zone} (one that does not exist yet). */
    boolean zoneAdmitsIn(int pool, int zone, int pod, int[] moved) {
        return spread == null || spread.admits(stream.group(pod), pool, zone, moved);
    }

    /** As {@link #zoneAdmitsIn}, as Karpenter's scheduler asks it of a new NodeClaim ({@link TopologyRules#admits(int, int, int, int[], boolean)}). */
    boolean claimAdmitsIn(int pool, int zone, int pod, int[] moved) {
        return spread == null || spread.admits(stream.group(pod), pool, zone, moved, true);
    }

    /** The pod's group's running pods in {@code zone}, with the what-if moves {@code moved} (null: none); 0 without zone rules. */
    int zoneRunning(int pod, int zone, int[] moved) {
        return spread == null ? 0 : spread.runningIn(stream.group(pod), zone, moved);
    }

    /** The running pods of {@code group} in {@code zone}, with the what-if moves {@code moved} ({@link TopologyRules#count}). */
    int zoneCount(int group, int zone, int[] moved) {
        return spread == null ? 0 : spread.count(group, zone, moved);
    }

    /** A zeroed what-if change of the running counts per (group, zone), or null when no zone rule applies. */
    int[] newZoneMoves() {
        return spread == null ? null : spread.newMoves();
    }

    /** Records in {@code moved} that {@code pod} would start ({@code delta} 1) or stop (-1) running on {@code node}. */
    void zoneMove(int[] moved, int pod, int node, int delta) {
        zoneMoveIn(moved, pod, nodes.pool[node], nodes.zoneOf(node), delta);
    }

    /** Records in {@code moved} that {@code pod} would start ({@code delta} 1) or stop (-1) running on a node of {@code pool} (-1: not chosen yet) in {@code zone}. */
    void zoneMoveIn(int[] moved, int pod, int pool, int zone, int delta) {
        spread.move(moved, stream.group(pod), pool, zone, delta);
    }

    /**
     * What the pooled amounts do not say: the pod's GPU model, node selector, affinity and
     * tolerations against the node's pool, its GPU devices, the pods on the node that repel it
     * (required pod anti-affinity on the hostname), its zone rules, and its required
     * pod affinity on the hostname (a pod its terms match must run there, unless none runs anywhere
     * and the pod matches its own terms). The pool
     * check comes first: the zone check takes the node's zone for one of the pod's domains.
     */
    private boolean admitsBeyondAmounts(int node, int offset, int coAnywhere) {
        int group = offset / D;
        if (!allowed[group * poolCount + nodes.pool[node]]) {
            return false;
        }
        return podRulesAdmit(node, group, coAnywhere) && nodes.devicesFit(node, demand[offset + GPU]);
    }

    /**
     * Whether the pod rules alone let the pod go to {@code node}, whatever its pool and amounts:
     * the pods there that repel it and the hostname spreads, the zone rules ({@link TopologyRules}),
     * and its required pod affinity on the hostname. The conformance tests ask it with
     * kube-scheduler's InterPodAffinity and PodTopologySpread filter tables, which run those
     * plugins without NodeAffinity and TaintToleration.
     */
    boolean podRulesAdmit(int node, int pod) {
        int group = stream.group(pod);
        return podRulesAdmit(node, group, coTargetsAnywhere(group));
    }

    private boolean podRulesAdmit(int node, int group, int coAnywhere) {
        if (!present.admits(node, group)) {
            return false;
        }
        if (spread != null && !spread.admits(group, nodes.pool[node], nodes.zoneOf(node))) {
            return false;
        }
        return coLocation == null || !coLocation.constrains(group)
                || coLocation.admits(group, coLocation.targetsOn(group, node, coRunning), coAnywhere);
    }

    /** The running target pods of the group's required pod affinity in the whole cluster (0 without it). */
    private int coTargetsAnywhere(int group) {
        return coLocation != null && coLocation.constrains(group) ? coLocation.targetsAnywhere(group, coRunning) : 0;
    }

    /** The score of {@code node} for a pod with the request at {@code offset}. */
    private long score(int node, int offset) {
        long[] free = nodes.free;
        long podCpu = demand[offset + CPU];
        long podMem = demand[offset + MEM];
        // Really requested with the pod (BalancedAllocation): allocatable less what is free for pods, plus the pod.
        long realCpu = nodes.allocCpuOf[node] - free[node * D + CPU] + podCpu;
        long realMem = nodes.allocMemOf[node] - free[node * D + MEM] + podMem;
        // Whether BalancedAllocation scores the pod is its request row's (not a best-effort one): read off the two amounts
        // loaded here anyway, an OR and a compare, where a per-group table would cost a load; a row's cached scores stay its own.
        return scoring.score(nodes.nonZeroCpu[node] + scored[offset + CPU], realCpu, nodes.allocCpuOf[node],
                nodes.nonZeroMem[node] + scored[offset + MEM], realMem, nodes.allocMemOf[node],
                KubeScheduler.balancedAllocationScores(podCpu, podMem));
    }

    /**
     * Scores the ready node at position {@code p}, whose free amounts fit the pod, unless what the
     * amounts do not say rules it out; returns whether it was scored (a feasible node).
     */
    private boolean consider(int p, int o, int coAnywhere, int cacheBase, boolean prefer) {
        int node = nodes.readyList[p];
        if (!plain[o / D] && !admitsBeyondAmounts(node, o, coAnywhere)) {
            return false; // its pool, a repelling pod, the zone spread or the GPU devices say no, though the pooled amounts fit
        }
        long score = scoreAt(p, node, o, cacheBase);
        if (prefer) {
            candidates.add(node, score); // the preference plugins normalize over every node scored
        } else if ((softWord(p >> 6) & 1L << p) != 0) {
            defer(node, score);
        } else {
            selection.offer(node, score, random);
        }
        return true;
    }

    /** The soft-tainted positions of word {@code w} the pod does not tolerate ({@link #soft}). */
    private long softWord(int w) {
        return soft == null || w >= soft.length ? 0 : soft[w];
    }

    /** Keeps a soft-tainted feasible node and its score for the end of the choice ({@link #deferNode}). */
    private void defer(int node, long score) {
        if (deferred == deferNode.length) {
            deferNode = java.util.Arrays.copyOf(deferNode, deferred * 2);
            deferScore = java.util.Arrays.copyOf(deferScore, deferred * 2);
        }
        deferNode[deferred] = node;
        deferScore[deferred++] = score;
    }

    /**
     * The score of {@code node}, at ready position {@code p}, for the request at {@code o}: from the
     * cache when the position's stamp is the one it was computed at ({@code cacheBase} < 0: the
     * request has no row in the cache).
     */
    private long scoreAt(int p, int node, int o, int cacheBase) {
        if (cacheBase < 0) {
            return score(node, o);
        }
        int at = cacheBase + p;
        long stamp = nodes.readyStamp[p];
        if (scoreStamp[at] == stamp) {
            long score = scoreCache[at];
            if (checkScores && score != score(node, o)) {
                throw new IllegalStateException("cached score of node " + node + " at position " + p + " is out of date");
            }
            return score;
        }
        long score = score(node, o);
        scoreCache[at] = score;
        scoreStamp[at] = stamp;
        planes.set(cacheRow, p, score);
        return score;
    }

    /**
     * The scan of positions [{@code from}, {@code end}) for a pod of a {@link #plain} group whose
     * request has a row: every position whose bit is set is feasible and counts towards
     * {@code toFind}. With the preference plugins ({@code prefer}) each is a candidate. Without
     * them only NodeResourcesFit scores, and the selection draws only
     * on a tie with the best score so far, so a word whose {@link ScoreBounds} bound is below that
     * best needs only its changed positions scored; the others cannot tie or win. In any other
     * word the changed positions are scored first and the score planes ({@link ScorePlanes}) give
     * those that reach the best so far, the only ones offered. The same nodes
     * are offered in the same order as a visit of every feasible position would offer the ones
     * that matter, so the random draws are the same. A position unchanged since the row last scored
     * it has its score in the cache: it is read without comparing stamps. With the spread alone
     * ({@code alone}) the words of candidates are only kept, for {@link #offerSpread}. Updates
     * {@link #found} and {@link #lastFound}.
     */
    private void scanBounded(long[] bits, int row, int from, int end, int o, int cacheBase, int toFind, boolean prefer, boolean alone) {
        ScoreBounds bounds = nodes.scoreBounds;
        int first = from >> 6;
        int last = (end - 1) >> 6;
        for (int base = first; base <= last && found < toFind; base += 64) {
            // The words of this stretch of (up to) 64 that hold a feasible position, found without a branch per word: at
            // ~1,000 nodes half the words of a large request's row are empty, and which ones comes at random. An empty
            // word needs nothing: its positions fit no request of the row, and one fits again only after a change.
            int top = Math.min(last, base + 63);
            long held = 0;
            for (int w = base; w <= top; w++) {
                long x = bits[w];
                held |= ((x | -x) >>> 63) << (w - base);
            }
            for (; held != 0 && found < toFind; held &= held - 1) {
                int w = base + Long.numberOfTrailingZeros(held);
                // The positions of this word inside the stretch.
                long range = w == from >> 6 ? -1L << from : -1L;
                if ((w + 1) << 6 > end) {
                    range &= (1L << end) - 1;
                }
                long cand = bits[w] & range;
                if (cand == 0) {
                    continue; // its feasible positions are outside the stretch
                }
                int left = toFind - found;
                if (Long.bitCount(cand) > left) {
                    // The last feasible node to score is in this word: the positions after it are not examined.
                    long rest = cand;
                    for (int i = 0; i < left; i++) {
                        rest &= rest - 1;
                    }
                    cand ^= rest;
                    range &= -1L >>> Long.numberOfLeadingZeros(cand);
                }
                found += Long.bitCount(cand);
                lastFound = (w << 6) + 63 - Long.numberOfLeadingZeros(cand);
                if (alone) {
                    keepSpreadWord(o / D, w, cand, range); // scored once the normalization is known
                    anySoft |= (cand & softWord(w)) != 0;
                    continue;
                }
                long changed = bounds.changed(row, w);
                long max = Long.MIN_VALUE;
                long visit;
                if (prefer) {
                    // With the preference plugins every scored node is a candidate: none is passed over.
                    visit = cand;
                    for (long v = visit; v != 0; v &= v - 1) {
                        int p = (w << 6) + Long.numberOfTrailingZeros(v);
                        long score = cachedOrScored(p, changed, o, cacheBase);
                        max = Math.max(max, score);
                        candidates.add(nodes.readyList[p], score);
                    }
                } else if (bounds.bound(row, w) < selection.bestScore()) {
                    // Only the changed positions can reach the best so far. The soft-tainted ones are offered only if no other
                    // node is: deferred while none was offered (the bound of a row or word never scored is MIN_VALUE, below
                    // the -1 of an empty selection: every candidate is changed then, review 68 #1).
                    visit = cand & changed;
                    long tainted = softWord(w);
                    for (long v = visit; v != 0; v &= v - 1) {
                        int p = (w << 6) + Long.numberOfTrailingZeros(v);
                        long score = scoreAt(p, nodes.readyList[p], o, cacheBase);
                        max = Math.max(max, score);
                        if ((tainted & v & -v) != 0) {
                            if (selection.best() < 0) {
                                defer(nodes.readyList[p], score);
                            }
                        } else if (score >= selection.bestScore()) {
                            selection.offer(nodes.readyList[p], score, random); // a lower score neither wins nor draws
                        }
                    }
                } else {
                    // The changed candidates scored first (into the cache and its planes), then, from the
                    // planes, those that reach the best so far (a superset of those that reach it as it
                    // grows) offered in position order: the same offers as a visit of every candidate.
                    visit = cand;
                    for (long v = cand & changed; v != 0; v &= v - 1) {
                        int p = (w << 6) + Long.numberOfTrailingZeros(v);
                        scoreAt(p, nodes.readyList[p], o, cacheBase);
                    }
                    long threshold = selection.bestScore();
                    // The soft-tainted candidates are offered only if no other node is (deferred): below every other.
                    long tainted = cand & softWord(w);
                    long open = cand & ~tainted;
                    long reach = planes.atLeast(row, w, open, threshold);
                    // When some candidate reaches the best, the word's highest is among them (not so among the open ones).
                    max = reach == 0 || tainted != 0 ? planes.highest(row, w, cand) : Long.MIN_VALUE;
                    for (long v = reach; v != 0; v &= v - 1) {
                        int p = (w << 6) + Long.numberOfTrailingZeros(v);
                        long score = scoreCache[cacheBase + p];
                        max = Math.max(max, score);
                        if (score >= selection.bestScore()) {
                            selection.offer(nodes.readyList[p], score, random);
                        }
                    }
                    if (tainted != 0 && selection.best() < 0) {
                        for (long v = tainted; v != 0; v &= v - 1) {
                            int p = (w << 6) + Long.numberOfTrailingZeros(v);
                            defer(nodes.readyList[p], scoreCache[cacheBase + p]);
                        }
                    }
                    if (checkScores) {
                        checkCached(cand, w, o, cacheBase);
                        checkPlanes(cand, open, reach, max, w, row, cacheBase, threshold);
                    }
                }
                if (checkScores) {
                    checkBound(cand & ~visit, w, o, bounds.bound(row, w));
                }
                bounds.scored(row, w, range, visit == cand, max);
            }
        }
    }

    /** The score at ready position {@code p}: scored when it changed since the row last scored it, else from the cache. */
    private long cachedOrScored(int p, long changed, int o, int cacheBase) {
        if ((changed & (1L << p)) != 0) {
            return scoreAt(p, nodes.readyList[p], o, cacheBase);
        }
        // Unchanged since it was last scored: the cached score holds, whatever the stamps say.
        long score = scoreCache[cacheBase + p];
        if (checkScores && score != score(nodes.readyList[p], o)) {
            throw new IllegalStateException("cached score at unchanged position " + p + " is out of date");
        }
        return score;
    }

    /** Keeps a word of candidates for {@link #offerSpread}, and the fewest and most of the group's pods on them. */
    private void keepSpreadWord(int group, int w, long cand, long range) {
        if (spreadWords == spreadWord.length) {
            spreadWord = java.util.Arrays.copyOf(spreadWord, spreadWords * 2);
            spreadCand = java.util.Arrays.copyOf(spreadCand, spreadWords * 2);
            spreadRange = java.util.Arrays.copyOf(spreadRange, spreadWords * 2);
            spreadFewest = java.util.Arrays.copyOf(spreadFewest, spreadWords * 2);
        }
        most = levels.most(group, w, cand, most);
        // From the fewest so far, or from none on a pod's first word: most nodes are near the fewest.
        int least = levels.fewest(group, w, cand, spreadWords == 0 ? 0 : fewest);
        fewest = Math.min(fewest, least);
        spreadWord[spreadWords] = w;
        spreadCand[spreadWords] = cand;
        spreadRange[spreadWords] = range;
        spreadFewest[spreadWords++] = least;
    }

    /**
     * Offers the candidates of the words {@link #scanBounded} kept, in scan order, for a pod whose
     * only preference plugin is PodTopologySpread: a node's total is its resource score plus the
     * spread's, normalized over every candidate by the fewest and most of the group's pods on one
     * ({@link PreferenceScoring#spreadScores}). The spread adds at most its score at the fewest, so
     * a word whose {@link ScoreBounds} bound (with its changed candidates scored) plus that is below
     * the best total so far holds no node that could win or draw: it is passed over. Every other
     * node is offered as {@link Candidates#offerAll} would offer it, and one below the best does
     * nothing there, so the same draws come in the same order.
     */
    private void offerSpread(int group, int row, int o, int cacheBase) {
        if (found == 0) {
            return;
        }
        spreadScore = preferences.spreadScores(group, found, fewest, most, counts, spreadScore);
        if (checkScores) {
            checkSpread(group, o);
        }
        ScoreBounds bounds = nodes.scoreBounds;
        int[] countAt = levels.countsAt(group);
        // TaintToleration, once a candidate has the soft taint the pod does not tolerate: the others score softGap above
        // it (with none, every node scores the same and it adds nothing that matters).
        long bonus = anySoft ? softGap[group] : 0;
        for (int i = 0; i < spreadWords; i++) {
            int w = spreadWord[i];
            long cand = spreadCand[i];
            long top = spreadScore[spreadFewest[i] - fewest]; // the most the spread adds in this word
            long changed = bounds.changed(row, w);
            long max = Long.MIN_VALUE;
            for (long v = cand & changed; v != 0; v &= v - 1) {
                int p = (w << 6) + Long.numberOfTrailingZeros(v);
                max = Math.max(max, scoreAt(p, nodes.readyList[p], o, cacheBase));
            }
            if (Math.max(bounds.bound(row, w), max) + top + bonus < selection.bestScore()) {
                if (checkScores) {
                    checkBelow(group, cand, w, o, bonus);
                }
                bounds.scored(row, w, spreadRange[i], false, max);
                continue;
            }
            // First, from the bit-sliced scores (just scored if changed, else unchanged since they
            // were), the candidates that could reach the best so far whatever their spread (a
            // superset of those that reach it as the best grows): few, where a read and a test per
            // candidate would be ~44 loads and a branch taken at random.
            long tainted = anySoft ? cand & softWord(w) : 0;
            long threshold = selection.bestScore() - top - bonus;
            long reach = planes.atLeast(row, w, cand & ~tainted, threshold);
            if (tainted != 0) {
                reach |= planes.atLeast(row, w, tainted, threshold + bonus);
            }
            // The word's highest, for its bound: when some candidate reaches the threshold the
            // highest is among those and the loop below reads their scores anyway; the planes give it
            // (a chain of word operations per bit) only when none does (or some has the soft taint).
            max = reach == 0 || tainted != 0 ? planes.highest(row, w, cand) : Long.MIN_VALUE;
            for (long v = reach; v != 0; v &= v - 1) {
                int p = (w << 6) + Long.numberOfTrailingZeros(v);
                int node = nodes.readyList[p];
                long score = scoreCache[cacheBase + p];
                max = Math.max(max, score);
                if (checkScores && countAt[p] != counts.onNode(node, group)) {
                    throw new IllegalStateException("count at position " + p + " differs from node " + node + "'s");
                }
                long total = score + spreadScore[countAt[p] - fewest] + ((tainted & v & -v) == 0 ? bonus : 0);
                if (total >= selection.bestScore()) {
                    selection.offer(node, total, random); // a lower total neither wins nor draws
                }
            }
            if (checkScores) {
                checkCached(cand, w, o, cacheBase);
                checkPlanes(cand, cand & ~tainted, reach & ~tainted, max, w, row, cacheBase, threshold);
                checkPlanes(cand, tainted, reach & tainted, max, w, row, cacheBase, threshold + bonus);
            }
            bounds.scored(row, w, spreadRange[i], true, max);
        }
    }

    /**
     * Fails unless the count levels' fewest and most are those of the candidates, and every
     * candidate's total is the one the preference plugins give it over all of them (tests:
     * {@code nodesizer.checkScores}).
     */
    private void checkSpread(int group, int o) {
        candidates.clear();
        int low = Integer.MAX_VALUE;
        int high = 0;
        for (int i = 0; i < spreadWords; i++) {
            for (long v = spreadCand[i]; v != 0; v &= v - 1) {
                int node = nodes.readyList[(spreadWord[i] << 6) + Long.numberOfTrailingZeros(v)];
                candidates.add(node, score(node, o));
                low = Math.min(low, counts.onNode(node, group));
                high = Math.max(high, counts.onNode(node, group));
            }
        }
        if (low != fewest || high != most) {
            throw new IllegalStateException("count levels give " + fewest + ".." + most + " pods, the candidates run " + low + ".." + high);
        }
        candidates.addPreferences(preferences, group, places, counts);
        for (int i = 0; i < candidates.size(); i++) {
            int node = candidates.node(i);
            if (candidates.score(i) != score(node, o) + spreadScore[counts.onNode(node, group) - fewest]) {
                throw new IllegalStateException("spread score of node " + node + " differs from the preference plugins'");
            }
        }
    }

    /** Fails unless the cached score of every candidate of word {@code w} is a fresh one (tests: {@code nodesizer.checkScores}). */
    private void checkCached(long cand, int w, int o, int cacheBase) {
        for (long v = cand; v != 0; v &= v - 1) {
            int p = (w << 6) + Long.numberOfTrailingZeros(v);
            if (scoreCache[cacheBase + p] != score(nodes.readyList[p], o)) {
                throw new IllegalStateException("cached score at position " + p + " is out of date");
            }
        }
    }

    /**
     * Fails unless the planes' highest is that of the cached scores of {@code cand}, and their reach set that of those of
     * {@code open} (tests: {@code nodesizer.checkScores}).
     */
    private void checkPlanes(long cand, long open, long reach, long max, int w, int row, int cacheBase, long threshold) {
        long high = Long.MIN_VALUE;
        long at = 0;
        for (long v = cand; v != 0; v &= v - 1) {
            long score = scoreCache[cacheBase + (w << 6) + Long.numberOfTrailingZeros(v)];
            high = Math.max(high, score);
            at |= score >= threshold && (open & v & -v) != 0 ? v & -v : 0;
        }
        if (high != max || at != reach) {
            throw new IllegalStateException("score planes of word " + w + " in row " + row + " differ from the cached scores");
        }
    }

    /**
     * Fails unless every candidate of word {@code w} totals below the best so far, {@code bonus} added to those without
     * the soft taint (tests: {@code nodesizer.checkScores}).
     */
    private void checkBelow(int group, long cand, int w, int o, long bonus) {
        for (long v = cand; v != 0; v &= v - 1) {
            int node = nodes.readyList[(w << 6) + Long.numberOfTrailingZeros(v)];
            long taint = (softWord(w) & v & -v) == 0 ? bonus : 0;
            if (score(node, o) + spreadScore[counts.onNode(node, group) - fewest] + taint >= selection.bestScore()) {
                throw new IllegalStateException("word " + w + " passed over holds node " + node + " at or above the best");
            }
        }
    }

    /** Fails if a position of {@code skipped} in word {@code w} scores above {@code bound} (tests: {@code nodesizer.checkScores}). */
    private void checkBound(long skipped, int w, int o, long bound) {
        for (long v = skipped; v != 0; v &= v - 1) {
            int p = (w << 6) + Long.numberOfTrailingZeros(v);
            if (score(nodes.readyList[p], o) > bound) {
                throw new IllegalStateException("score bound of position " + p + " is out of date");
            }
        }
    }

    /** The ready node kube-scheduler would bind {@code pod} to, or -1 when none fits. */
    int chooseNode(int pod) {
        int n = nodes.readyCount;
        if (n == 0) {
            return -1;
        }
        // No node is added or made ready while choosing: the arrays stay the same.
        ReadyIndex readyIndex = nodes.readyIndex;
        int o = stream.group(pod) * D;
        int toFind = KubeScheduler.feasibleNodesToFind(n);
        int start = roundRobin < n ? roundRobin : 0;
        found = 0;
        lastFound = -1;
        selection.reset();
        int group = o / D;
        soft = taintScored && nodes.softReady > 0 && !softTolerated[group] ? nodes.softBits : null;
        anySoft = false;
        deferred = 0;
        // With the shapes' own PreferNoSchedule taints the soft taint's gap may be within the resource scores' range: the
        // candidates are then totalled as the preference plugins' are.
        boolean exactSoft = soft != null && softExact[group];
        boolean prefer = preferences != null && preferences.scores(group) || exactSoft;
        int coAnywhere = coTargetsAnywhere(group); // the running pods do not change while a node is chosen
        int row = rowOf[group];
        if (row == UNKNOWN_ROW) {
            row = rowOf[group] = readyIndex.row(demand, o, scored); // a row's cached scores are of its scoring request too
        }
        candidates.clear();
        boolean cached = row >= 0;
        if (cached && scoreWidth < n) {
            // More ready nodes than the cache has room for: start it over, wider.
            scoreWidth = Math.max(n, scoreWidth * 2);
            scoreCache = new long[0];
            scoreStamp = new long[0];
            planes.reset(scoreWidth);
            nodes.scoreBounds.forgetAll(); // the positions' scores are no longer cached
        }
        if (cached && scoreCache.length < (row + 1) * scoreWidth) {
            scoreCache = java.util.Arrays.copyOf(scoreCache, (row + 1) * scoreWidth);
            scoreStamp = java.util.Arrays.copyOf(scoreStamp, scoreCache.length);
            planes.ensureRows(row + 1);
        }
        int cacheBase = row >= 0 ? row * scoreWidth : -1;
        cacheRow = row;
        boolean bounded = cached && plain[group];
        // The spread alone: its normalization over the candidates comes from the count levels, and
        // words that cannot reach the best are passed over (offerSpread); otherwise every candidate is scored.
        boolean alone = bounded && prefer && levels != null && levels.tracks(group);
        spreadWords = 0;
        fewest = Integer.MAX_VALUE;
        most = 0;
        if (bounded) {
            nodes.scoreBounds.register(row);
            nodes.scoreBounds.ensure(n);
        }
        // Round-robin from start: positions start..n-1, then 0..start-1. The index skips nodes
        // that cannot fit, so the feasible nodes come in the same order a linear scan visits them:
        // from the request's bit set when it has one (a scan of words), else from the tree.
        int from = start;
        int end = n;
        while (true) {
            if (bounded) {
                scanBounded(readyIndex.bits(row), row, from, end, o, cacheBase, toFind, prefer, alone);
            } else if (row >= 0) {
                long[] bits = readyIndex.bits(row);
                int w = from >> 6;
                long word = from < end ? bits[w] & (-1L << from) : 0;
                while (found < toFind) {
                    if (word == 0) {
                        if (++w << 6 >= end) {
                            break;
                        }
                        word = bits[w];
                        continue;
                    }
                    int p = (w << 6) + Long.numberOfTrailingZeros(word);
                    if (p >= end) {
                        break;
                    }
                    word &= word - 1;
                    if (consider(p, o, coAnywhere, cacheBase, prefer)) {
                        found++;
                        lastFound = p;
                    }
                }
            } else {
                for (int p = readyIndex.first(from, end, demand, o); p >= 0 && found < toFind; p = readyIndex.first(p + 1, end, demand, o)) {
                    if (consider(p, o, coAnywhere, cacheBase, prefer)) {
                        found++;
                        lastFound = p;
                    }
                }
            }
            if (found == toFind || end == start || start == 0) {
                break;
            }
            from = 0; // wrap round
            end = start;
        }
        if (alone) {
            offerSpread(group, row, o, cacheBase);
        } else if (prefer) {
            if (exactSoft && (preferences == null || !preferences.scores(group))) {
                candidates.addSoftTaintGap(softNode, softGap[group]);
            } else {
                candidates.addPreferences(preferences, group, places, counts, soft == null ? null : softNode);
            }
            candidates.offerAll(selection, random);
        } else if (selection.best() < 0) {
            // Every feasible node scored has the soft taint: they score alike in TaintToleration, by their resources.
            for (int i = 0; i < deferred; i++) {
                selection.offer(deferNode[i], deferScore[i], random);
            }
        }
        // kube-scheduler resumes after the last node it examined: past the last feasible node
        // when it found enough, otherwise it went all the way round.
        roundRobin = found == toFind ? (lastFound + 1 < n ? lastFound + 1 : 0) : start;
        return selection.best();
    }
}
