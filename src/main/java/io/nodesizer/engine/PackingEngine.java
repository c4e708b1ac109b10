package io.nodesizer.engine;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.strategy.PackingStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one strategy on one {@link PackingProblem} and returns a verified {@link PackingResult}.
 * The lower bound depends only on the problem, so callers that try several strategies on one
 * shape compute it once and pass it in.
 */
public final class PackingEngine {
    private PackingEngine() {
    }

    public static PackingResult pack(PackingProblem problem, PackingStrategy strategy, long seed) {
        return pack(problem, strategy, seed, LowerBounds.compute(problem), true);
    }

    /**
     * @param verify run {@link PackingVerifier} on the result (always on in the CLI; benchmarks
     *               measure the strategy alone)
     */
    public static PackingResult pack(PackingProblem problem, PackingStrategy strategy, long seed,
                                     LowerBound bound, boolean verify) {
        return pack(problem, strategy, seed, bound, verify, true);
    }

    /**
     * As above; with {@code evenSpreads} false a hostname spread keeps at most maxSkew per node
     * (for mixed pools, whose packings add nodes of other pools that would hold none: {@link HostnameSpreads}).
     */
    public static PackingResult pack(PackingProblem problem, PackingStrategy strategy, long seed,
                                     LowerBound bound, boolean verify, boolean evenSpreads) {
        long start = System.nanoTime();
        Packed best = packFrom(problem, strategy, seed, bound, null);
        BitSet withheld = evenSpreads ? RulePacking.withheld(problem) : null;
        List<HostnameSpreads.Unit> units = evenSpreads ? HostnameSpreads.units(problem, withheld) : List.of();
        // The spreads with their zone domains: built once here, for the floors and every try's ledger.
        HostnameSpreads spreads = withheld != null || !units.isEmpty() ? HostnameSpreads.of(problem) : null;
        BitSet floored = HostnameSpreads.floored(problem, withheld, spreads);
        if (!units.isEmpty() || floored != null) {
            Packed capped = best;
            // The tries start from the bound without its dual feasible functions (a try on fewer
            // nodes than needed still tells where to go: its rest opens the nodes it needs, and the
            // tries halve back from there), and where the DFF bound is higher and they did not reach
            // it, from that too, the better kept: on 1,800 random packings either start alone was
            // worse somewhere (12 from the DFF's count, 6 from below it).
            int from = bound.valueWithout("DFF(");
            best = evenly(problem, strategy, seed, bound, from, units, floored, spreads, capped, true);
            if (!atBound(best) && bound.value() > from) {
                Packed higher = evenly(problem, strategy, seed, bound, bound.value(), units, floored, spreads, capped, true);
                best = better(higher.unschedulable, higher.ledger, best.unschedulable, best.ledger) ? higher : best;
            }
            if (!atBound(best) && TryZones.byNeed(problem, units)) {
                // The tries' nodes where the pinned workloads need them can miss where round-robin
                // held (no try held, the capped packing stayed: 36 nodes where round-robin holds on
                // 17, TopologySpreadTest), so round-robin too, the better kept.
                Packed roundRobin = evenly(problem, strategy, seed, bound, from, units, floored, spreads, capped, false);
                best = better(roundRobin.unschedulable, roundRobin.ledger, best.unschedulable, best.ledger) ? roundRobin : best;
            }
        }
        long elapsed = System.nanoTime() - start;
        return finish(problem, strategy.name(), best.ledger, best.assignment, best.unschedulable, best.bound, elapsed, verify);
    }

    /** Whether a packing places every pod on as few nodes as its bound: no try can do better. */
    private static boolean atBound(Packed p) {
        return p.unschedulable.isEmpty() && p.ledger.nodeCount() <= p.bound.value();
    }

    /** A packing in the making: its ledger, node per pod, the pods left out and the bound that goes with them. */
    private record Packed(NodeLedger ledger, int[] assignment, List<PackingProblem.Unschedulable> unschedulable, LowerBound bound) {
    }

    /**
     * Workloads with a hostname spread ({@link HostnameSpreads}) spread evenly over N nodes first,
     * the rest packed around them: kube-scheduler lets a node hold maxSkew more than the node with
     * the fewest, so 40 replicas with maxSkew 1 run on 3 nodes (14/13/13) where at most maxSkew per
     * node took 40. N starts at {@code from} (the bound or below); when the spread pods do not fit N
     * nodes, or the rest opened nodes that leave a spread too uneven, N grows (to the nodes the try used); once a try
     * holds, N halves the way back down to the most nodes a try did not hold on, the best try kept
     * (fewer pods left out, then fewer nodes). The capped packing stays when no try beats it. Spread workloads the pod rules place ({@code floored}: zone
     * rules, co-location) are not placed up front but by the rules, on the N nodes and any they open,
     * by the scheduler's rule over the nodes there (null: none). {@code byNeed}: the up-front
     * nodes where zone-pinned workloads need them ({@link TryZones#plan}), else round-robin.
     */
    private static Packed evenly(PackingProblem problem, PackingStrategy strategy, long seed, LowerBound bound, int from,
                                 List<HostnameSpreads.Unit> units, BitSet floored, HostnameSpreads spreads, Packed capped,
                                 boolean byNeed) {
        DemandTable table = problem.table();
        BitSet even = HostnameSpreads.groups(units);
        int[] caps = HostnameSpreads.liftedCaps(table, units);
        int nodes = Math.max(Math.max(1, from), HostnameSpreads.minDomains(units));
        for (int g = floored == null ? -1 : floored.nextSetBit(0); g >= 0; g = floored.nextSetBit(g + 1)) {
            nodes = Math.max(nodes, spreads.minDomains(g));
        }
        long tryZones = HostnameSpreads.tryZones(spreads, units, floored);
        int failed = 0; // the most nodes a try found too few
        int tooUneven = 0; // the most nodes whose try left a spread too uneven
        int below = 0; // once a try held: the most nodes a try did not hold on (too few, too uneven)
        int held = 0; // the fewest nodes a try held on (0: none yet)
        Packed kept = capped;
        // A try on as many nodes as the packing kept can still place pods a rule left out of it.
        for (int attempt = 0; attempt < EVEN_ATTEMPTS && (nodes < kept.ledger.nodeCount()
                || nodes == kept.ledger.nodeCount() && kept.unschedulable.stream().anyMatch(PackingProblem.Unschedulable::byRule)); attempt++) {
            int[] zoneOf = TryZones.plan(problem, units, floored, spreads, nodes, tryZones, byNeed);
            if (units.isEmpty() && !floorMayBind(table, spreads, floored, nodes, zoneOf)) {
                break; // a try would be the capped packing on nodes opened up front, at the cost of a whole packing
            }
            final int n = nodes;
            Start start = (ledger, assignment) -> HostnameSpreads.placeEvenly(problem, units, n, zoneOf, ledger, assignment);
            Packed tried = packFrom(problem, strategy, seed, bound, new Preplaced(start, even, caps, floored, spreads));
            int used = tried == null ? 0 : tried.ledger.nodeCount();
            boolean holds = tried != null && used == occupied(tried.assignment, used)
                    && (spreads == null || spreads.violation(table, tried.assignment, used, null, tried.ledger::zoneOf) == null)
                    && PackingVerifier.sharedSpreadViolation(table, tried.assignment, used, tried.ledger::zoneOf) == null;
            if (held > 0 || holds) {
                // Once a try held, halve the way down from it to the most nodes one did not hold on:
                // a try whose rest opened more nodes than its N jumps to them, and a try between may
                // hold on fewer (12 pinned pods beside an even spread on m5.large: 29 → 26).
                if (holds) {
                    kept = better(tried.unschedulable, tried.ledger, kept.unschedulable, kept.ledger) ? tried : kept;
                    held = nodes;
                    below = Math.max(below, Math.max(failed, tooUneven));
                } else {
                    below = nodes;
                }
                if (held - below <= 1) {
                    break;
                }
                nodes = (below + held) / 2;
                continue;
            }
            if (tried == null) {
                failed = nodes;
                nodes += Math.max(1, nodes / 16); // the spread pods alone do not fit evenly
                continue;
            }
            int empty = used - occupied(tried.assignment, used);
            if (empty > 0) {
                // A step past the nodes needed left some of the N empty (a spread of fewer replicas
                // than nodes): fewer nodes then, above the most found too few.
                nodes = Math.max(failed + 1, used - empty) < nodes ? Math.max(failed + 1, used - empty) : nodes + 1;
                continue;
            }
            tooUneven = nodes;
            nodes = Math.max(nodes + 1, used);
        }
        return kept;
    }

    /**
     * Whether a floored group's floor can rise on a try over {@code nodes} nodes: only when every
     * domain node holds one of its pods ({@link NodeLedger#floorHostnameSpreads}), which a try opens
     * up front, node i in zone {@code zoneOf[i]} ({@link TryZones#plan}; null: round-robin over the
     * zones; a workload kept to some zones has only theirs).
     */
    private static boolean floorMayBind(DemandTable table, HostnameSpreads spreads, BitSet floored, int nodes, int[] zoneOf) {
        int zones = Math.max(1, table.zones());
        int[] opened = zoneOf;
        if (opened == null) {
            opened = new int[nodes];
            for (int i = 0; i < opened.length; i++) {
                opened[i] = i % zones;
            }
        }
        for (int g = floored == null ? -1 : floored.nextSetBit(0); g >= 0; g = floored.nextSetBit(g + 1)) {
            long in = spreads.zonesOf(g);
            int domains = nodes;
            if (in != 0) {
                domains = 0;
                for (int i = 0; i < opened.length; i++) {
                    domains += (int) (in >>> opened[i] & 1);
                }
            }
            if (table.replicas(g) >= domains) {
                return true;
            }
        }
        return false;
    }

    /** Nodes 0..nodes-1 that some pod of {@code assignment} is on. */
    private static int occupied(int[] assignment, int nodes) {
        boolean[] used = new boolean[nodes];
        int count = 0;
        for (int node : assignment) {
            if (node >= 0 && !used[node]) {
                used[node] = true;
                count++;
            }
        }
        return count;
    }

    /** Tries of {@link #evenly} at most: each is a whole packing; N grows by at least one node each time. */
    private static final int EVEN_ATTEMPTS = 12;

    /** Places pods on a fresh ledger before the strategy runs; false when they do not fit. */
    private interface Start {
        boolean place(NodeLedger ledger, int[] assignment);
    }

    /**
     * Groups a {@link Start} places (the strategy packs the others), the caps the ledger keeps
     * meanwhile, and the groups whose hostname spread it checks by the scheduler's rule (null: none)
     * with the spreads ({@link HostnameSpreads#of(PackingProblem)}: their domains) it counts them by.
     */
    private record Preplaced(Start start, BitSet groups, int[] caps, BitSet floored, HostnameSpreads spreads) {
    }

    /**
     * The strategy's packing with the pod rules ({@link RulePacking}) after it or before it, the
     * better; every ledger begins with {@code pre}'s pods when given (null when they do not fit).
     */
    private static Packed packFrom(PackingProblem problem, PackingStrategy strategy, long seed, LowerBound bound, Preplaced pre) {
        Ruled start = started(problem, bound, pre);
        if (start == null) {
            return null;
        }
        NodeLedger ledger = start.ledger();
        int[] assignment = start.assignment();
        java.util.BitSet withheld = RulePacking.withheld(problem);
        if (pre != null && withheld != null) {
            // The pre-placed groups are placed: the rules place only the others they hold.
            withheld = (BitSet) withheld.clone();
            withheld.andNot(pre.groups());
            withheld = withheld.isEmpty() ? null : withheld;
        }
        List<PackingProblem.Unschedulable> unschedulable = problem.unschedulable();
        BitSet skipped = pre == null ? withheld : union(withheld, pre.groups());
        if (withheld == null) {
            strategy.pack(skipped == null ? problem : problem.withoutGroups(skipped), ledger, assignment, new SplittableRandom(seed));
            Ruled first = pre == null ? spreadsFirst(problem, strategy, seed, bound, ledger) : null;
            if (first != null) {
                ledger = first.ledger();
                assignment = first.assignment();
            }
        } else {
            // Pod rules that can leave pods out: the strategy packs the rest, then the ruled groups
            // go where their rules admit them; pods with no such room stay unplaced by the rule.
            Ruled best = ruled(problem, strategy, seed, bound, pre, withheld, skipped, start, false);
            if ((!best.left().isEmpty() || best.ledger().nodeCount() > bound.value()) && RulePacking.sharesMatter(problem, withheld)) {
                // Co-located pods all beside the first of their targets' pods, or their share beside
                // each: either can leave the rest the room it needs (RulePacking#fillBeside), so both
                // (unless the first placed every pod on as many nodes as the bound).
                Ruled again = started(problem, bound, pre);
                if (again != null) {
                    Ruled shared = ruled(problem, strategy, seed, bound, pre, withheld, skipped, again, true);
                    best = better(shared.left(), shared.ledger(), best.left(), best.ledger()) ? shared : best;
                }
            }
            ledger = best.ledger();
            assignment = best.assignment();
            List<PackingProblem.Unschedulable> left = best.left();
            if (!left.isEmpty()) {
                unschedulable = withLeftOut(problem, left);
                bound = placedBound(problem, left, null);
            }
        }
        return new Packed(ledger, assignment, unschedulable, bound);
    }

    /**
     * The workloads that spread over the zones placed first, one pod after another where the ledger's zone rule admits it
     * (first fit, new nodes in the zone with the fewest of them), and the strategy's packing of the rest filling the room
     * beside them; null unless that takes fewer nodes than {@code packed} with every pod placed. Where the strategy packs
     * the spread pods in its own order, the rest fills nodes first and each spread pod may find none with room in the zone
     * it needs: 4 web pods of 1.96 CPU and 3 api of 0.5 spread over 3 zones took 5 m5.xlarge (web two to a node, api a node
     * each), where api first and a web beside each takes 4 (QA 51a F1).
     */
    private static Ruled spreadsFirst(PackingProblem problem, PackingStrategy strategy, long seed, LowerBound bound, NodeLedger packed) {
        DemandTable table = problem.table();
        if (table.zones() < 2 || table.zoneSkew() == null || packed.nodeCount() <= bound.value()) {
            return null;
        }
        BitSet spreading = RulePacking.withheld(problem, true);
        Ruled first = spreading == null ? null : started(problem, bound, null);
        if (first == null || !RulePacking.place(problem, spreading, first.ledger(), first.assignment()).isEmpty()) {
            return null;
        }
        strategy.pack(problem.withoutGroups(spreading), first.ledger(), first.assignment(), new SplittableRandom(seed));
        return first.ledger().nodeCount() < packed.nodeCount() && occupied(first.assignment(), first.ledger().nodeCount())
                == first.ledger().nodeCount() ? first : null;
    }

    /** A packing with the pod rules placed: its ledger, node per pod, and the pods the rules left out. */
    private record Ruled(NodeLedger ledger, int[] assignment, List<PackingProblem.Unschedulable> left) {
    }

    /**
     * A fresh ledger with {@code pre}'s pods placed on it (none when null), their nodes in a fresh
     * assignment and nothing left out yet: where every order and variant of a packing starts; null
     * when those pods do not fit.
     */
    private static Ruled started(PackingProblem problem, LowerBound bound, Preplaced pre) {
        int[] assignment = fresh(problem.table());
        NodeLedger ledger = ledger(problem, bound.value(), pre);
        return pre == null || pre.start().place(ledger, assignment) ? new Ruled(ledger, assignment, List.of()) : null;
    }

    /**
     * The strategy's packing of the groups not in {@code skipped} on {@code start} ({@link #started}),
     * the rules' groups {@code withheld} placed after it, and where
     * they may, before it: the better order. {@code share}: co-located pods take their share
     * beside each target pod ({@link RulePacking#place(PackingProblem, BitSet, NodeLedger, int[], boolean)}).
     */
    private static Ruled ruled(PackingProblem problem, PackingStrategy strategy, long seed, LowerBound bound, Preplaced pre,
                               BitSet withheld, BitSet skipped, Ruled start, boolean share) {
        NodeLedger ledger = start.ledger();
        int[] assignment = start.assignment();
        PackingProblem rest = problem.withoutGroups(skipped);
        strategy.pack(rest, ledger, assignment, new SplittableRandom(seed));
        List<PackingProblem.Unschedulable> left = RulePacking.place(problem, withheld, ledger, assignment, share);
        if (RulePacking.mayGoFirst(problem)) {
            // Co-location alone can also go first, the rest filling the room beside it: three
            // api nodes that each keep 5 CPU free take the 3-CPU workers that would otherwise
            // have filled nodes of their own. The better order stays: fewer pods left out, then fewer nodes.
            Ruled first = started(problem, bound, pre);
            if (first != null) {
                List<PackingProblem.Unschedulable> otherLeft = RulePacking.place(problem, withheld, first.ledger(), first.assignment(), share);
                strategy.pack(rest, first.ledger(), first.assignment(), new SplittableRandom(seed));
                if (better(otherLeft, first.ledger(), left, ledger)) {
                    ledger = first.ledger();
                    assignment = first.assignment();
                    left = otherLeft;
                }
            }
        } else {
            BitSet closure = RulePacking.firstAsClosure(problem);
            if (closure != null && pre != null) {
                // The pre-placed groups are placed: the closure places only the others (placed
                // twice, the ledger took their pods twice while the assignment kept the second nodes).
                closure = (BitSet) closure.clone();
                closure.andNot(pre.groups());
                closure = closure.isEmpty() ? null : closure;
            }
            Ruled zonesFirst = closure == null ? null : started(problem, bound, pre);
            if (zonesFirst != null) {
                NodeLedger first = zonesFirst.ledger();
                int[] other = zonesFirst.assignment();
                // Zone rules: the groups they tie to their zones, with every group a rule relates to
                // them, go first; the rest (no rule of theirs looks at a zone or at those pods) fills
                // the room beside them. An etcd member per zone with a database and its reports in one
                // zone leave room the web pods use (zone-rules sample on m5.2xlarge: 6 nodes → 4).
                List<PackingProblem.Unschedulable> otherLeft = new ArrayList<>(RulePacking.place(problem, closure, first, other, share));
                BitSet both = union(closure, skipped);
                strategy.pack(problem.withoutGroups(both), first, other, new SplittableRandom(seed));
                // The rest's own pod rules (co-location among the rest, on the hostname) after it, as ever.
                BitSet restRuled = (BitSet) withheld.clone();
                restRuled.andNot(closure);
                if (!restRuled.isEmpty()) {
                    otherLeft.addAll(RulePacking.place(problem, restRuled, first, other, share));
                }
                // Only when the pods it leaves out are of groups the rules place either way: the bound
                // then counts the others' pods as placed by every packing, as before.
                final BitSet held = withheld;
                boolean sameBound = otherLeft.stream().allMatch(u -> held.get(u.group()));
                if (sameBound && better(otherLeft, first, left, ledger)) {
                    ledger = first;
                    assignment = other;
                    left = otherLeft;
                }
            }
        }
        return new Ruled(ledger, assignment, left);
    }

    private static int[] fresh(DemandTable table) {
        int[] assignment = new int[table.podCount()];
        Arrays.fill(assignment, -1);
        return assignment;
    }

    /** The union of two sets, either of which may be null (null when both are). */
    private static BitSet union(BitSet a, BitSet b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        BitSet both = (BitSet) a.clone();
        both.or(b);
        return both;
    }

    /** Whether the other order's packing is the better one: fewer pods left out, then fewer nodes. */
    private static boolean better(List<PackingProblem.Unschedulable> otherLeft, NodeLedger other, List<PackingProblem.Unschedulable> left,
                                  NodeLedger ledger) {
        int leftOther = PackingProblem.Unschedulable.pods(otherLeft);
        int leftNow = PackingProblem.Unschedulable.pods(left);
        return leftOther < leftNow || leftOther == leftNow && other.nodeCount() < ledger.nodeCount();
    }

    static NodeLedger ledger(PackingProblem problem, int expectedNodes) {
        return ledger(problem, expectedNodes, null);
    }

    /** As above; with {@code pre}, the caps it gives. */
    private static NodeLedger ledger(PackingProblem problem, int expectedNodes, Preplaced pre) {
        DemandTable table = problem.table();
        NodeLedger ledger = new NodeLedger(problem.podCapacity(), Math.max(16, expectedNodes + expectedNodes / 4),
                NodeLedger.devicesFor(problem), table.conflicts(), pre == null ? table.caps() : pre.caps(), table.zones(), table.zoneSkew(),
                table.zoneFloor(),
                table.sharedSpreads());
        if (problem.zoneCapacities() != null) {
            ledger.capacityByZone(problem.zoneCapacities(), problem.flatDemand());
        }
        long[] spreadZones = SpreadDomains.eligible(problem);
        if (spreadZones != null) {
            ledger.countSpreadZones(spreadZones, SpreadDomains.floor(table, spreadZones));
        }
        if (pre != null && table.sharedSpreads() != null) {
            ledger.liftSharedHostname(pre.groups()); // their shared counts are kept by count, as placed
        }
        if (pre != null && pre.floored() != null) {
            ledger.floorHostnameSpreads(pre.floored(), pre.spreads());
        }
        return ledger;
    }

    private static List<PackingProblem.Unschedulable> withLeftOut(PackingProblem problem, List<PackingProblem.Unschedulable> left) {
        List<PackingProblem.Unschedulable> all = new ArrayList<>(problem.unschedulable());
        all.addAll(left);
        return all;
    }

    /**
     * The bound where the pod rules left pods out: over the pods this packing placed (a group's
     * first replicas up to the ones left out), with {@code rest}'s LP part, so any packing that
     * places them needs as many nodes. (Over only the groups no rule holds, as before, the bound was
     * 0 when rules hold every group: a 400 % or "inf" gap that said nothing.)
     */
    private static LowerBound placedBound(PackingProblem problem, List<PackingProblem.Unschedulable> left, LowerBound rest) {
        DemandTable table = problem.table();
        int[] placed = new int[table.groupCount()];
        for (int g = 0; g < placed.length; g++) {
            placed[g] = table.replicas(g);
        }
        for (PackingProblem.Unschedulable u : left) {
            placed[u.group()] = Math.min(placed[u.group()], u.firstReplica());
        }
        return LowerBounds.compute(problem, placed).withPartialLp(rest);
    }

    private static PackingResult finish(PackingProblem problem, String strategy, NodeLedger ledger, int[] assignment,
                                        List<PackingProblem.Unschedulable> unschedulable, LowerBound bound, long elapsed, boolean verify) {
        DemandTable table = problem.table();
        int nodes = ledger.nodeCount();
        long[] load = new long[nodes * DemandTable.D];
        for (int node = 0; node < nodes; node++) {
            int zone = ledger.zoneOf(node);
            for (int r = 0; r < DemandTable.D; r++) {
                load[node * DemandTable.D + r] = ledger.capacityIn(zone, r) - ledger.free(node, r);
            }
        }
        int[] zones = null;
        if (table.zones() > 1) {
            zones = new int[nodes];
            for (int node = 0; node < nodes; node++) {
                zones[node] = ledger.zoneOf(node);
            }
        }
        PackingResult result = new PackingResult(problem, strategy, nodes, assignment, load,
                unschedulable, bound, elapsed, loggedDevices(table, ledger, assignment), zones);
        if (verify) {
            PackingVerifier.verify(result);
        }
        return result;
    }

    /**
     * The part of {@code full} that the pod rules did not place, as a verified packing of {@link
     * PackingProblem#withoutRuledGroups()} (nodes that held only ruled pods dropped, the others
     * numbered in order): what the optimizer improves before {@link #withRuledGroups} completes it.
     * {@code full} itself when no rule applies.
     */
    public static PackingResult withoutRuledGroups(PackingResult full) {
        return withoutRuledGroups(full, false);
    }

    /** As above; with {@code spreads} the groups that spread over the zones are taken out too ({@link PackingProblem#withoutRuledGroups(boolean)}). */
    public static PackingResult withoutRuledGroups(PackingResult full, boolean spreads) {
        PackingProblem view = full.problem().withoutRuledGroups(spreads);
        if (view == full.problem()) {
            return full;
        }
        DemandTable table = view.table();
        int[] assignment = new int[table.podCount()];
        Arrays.fill(assignment, -1);
        int[] renumber = new int[full.nodeCount()];
        Arrays.fill(renumber, -1);
        boolean[] kept = new boolean[full.nodeCount()];
        for (int g : view.schedulableGroups()) {
            for (int i = 0; i < table.replicas(g); i++) {
                kept[full.assignment()[table.firstPod(g) + i]] = true;
            }
        }
        int nodes = 0;
        for (int node = 0; node < kept.length; node++) {
            renumber[node] = kept[node] ? nodes++ : -1;
        }
        for (int g : view.schedulableGroups()) {
            for (int i = 0; i < table.replicas(g); i++) {
                int pod = table.firstPod(g) + i;
                assignment[pod] = renumber[full.assignment()[pod]];
            }
        }
        return fromAssignment(view, full.strategy(), nodes, assignment, LowerBounds.compute(view), full.elapsedNanos());
    }

    /**
     * The groups that the pod rules place, alone on nodes of their own ({@link RulePacking}): a
     * verified packing of {@code problem.onlyRuledGroups()}, whose pods the rules leave out among
     * its unschedulable ones. Null when no rule applies.
     */
    public static PackingResult ruledGroupsAlone(PackingProblem problem) {
        PackingProblem view = problem.onlyRuledGroups();
        if (view == null) {
            return null;
        }
        LowerBound bound = LowerBounds.compute(view);
        NodeLedger ledger = ledger(view, bound.value());
        int[] assignment = new int[view.table().podCount()];
        Arrays.fill(assignment, -1);
        long start = System.nanoTime();
        List<PackingProblem.Unschedulable> left = RulePacking.place(view, RulePacking.withheld(problem), ledger, assignment);
        List<PackingProblem.Unschedulable> unschedulable = view.unschedulable();
        if (!left.isEmpty()) {
            unschedulable = withLeftOut(view, left);
            bound = placedBound(view, left, null);
        }
        return finish(view, "pod rules", ledger, assignment, unschedulable, bound, System.nanoTime() - start, true);
    }

    /**
     * Completes {@code rest}, a packing of {@code problem.withoutRuledGroups()}, with the pod rules'
     * placement of the ruled groups ({@link RulePacking}) on the same nodes (node n in zone
     * {@code rest.zoneOf(n, zones)}) and new ones: a verified packing of {@code problem}. Its bound
     * is the problem's own (or, when a rule left pods out, that of the groups it placed whole),
     * raised by {@code rest}'s where that is higher.
     */
    public static PackingResult withRuledGroups(PackingProblem problem, PackingResult rest, String strategy) {
        return withRuledGroups(problem, rest, strategy, false);
    }

    /**
     * As above, {@code rest} a packing of {@code problem.withoutRuledGroups(spreads)}: with {@code
     * spreads} the rules also place the groups that spread over the zones.
     */
    public static PackingResult withRuledGroups(PackingProblem problem, PackingResult rest, String strategy, boolean spreads) {
        DemandTable table = problem.table();
        if (NodeLedger.devicesFor(problem) > 0) {
            throw new IllegalArgumentException("GPU devices: the ledger cannot take an outside assignment's devices");
        }
        java.util.BitSet withheld = RulePacking.withheld(problem, spreads);
        NodeLedger ledger = ledger(problem, rest.nodeCount());
        int[] assignment = new int[table.podCount()];
        Arrays.fill(assignment, -1);
        int[] dims = problem.activeDims();
        long[] demand = problem.flatDemand();
        int zones = Math.max(1, table.zones());
        for (int node = 0; node < rest.nodeCount(); node++) {
            ledger.openIn(rest.zoneOf(node, zones));
        }
        for (int g : rest.problem().schedulableGroups()) {
            for (int i = 0; i < table.replicas(g); i++) {
                int pod = table.firstPod(g) + i;
                assignment[pod] = rest.assignment()[pod];
                ledger.take(assignment[pod], demand, g * DemandTable.D, g, dims, 1);
            }
        }
        LowerBound bound = LowerBounds.compute(problem);
        List<PackingProblem.Unschedulable> unschedulable = problem.unschedulable();
        List<PackingProblem.Unschedulable> left = withheld == null ? List.of() : RulePacking.place(problem, withheld, ledger, assignment);
        if (!left.isEmpty()) {
            unschedulable = withLeftOut(problem, left);
            bound = placedBound(problem, left, rest.lowerBound());
        } else {
            bound = bound.withPartialLp(rest.lowerBound());
        }
        return finish(problem, strategy, ledger, assignment, unschedulable, bound, rest.elapsedNanos(), true);
    }

    /**
     * A verified result from an assignment made outside the strategies (the optimizer): node
     * loads are summed from the assignment, which must use nodes 0..nodes-1.
     */
    public static PackingResult fromAssignment(PackingProblem problem, String strategy, int nodes, int[] assignment,
                                               LowerBound bound, long elapsedNanos) {
        return fromAssignment(problem, strategy, nodes, assignment, bound, elapsedNanos, null);
    }

    /** As above, with each node's zone ({@code nodeZones}; null: node i in zone i mod zones). */
    public static PackingResult fromAssignment(PackingProblem problem, String strategy, int nodes, int[] assignment,
                                               LowerBound bound, long elapsedNanos, int[] nodeZones) {
        return fromAssignment(problem, strategy, nodes, assignment, bound, elapsedNanos, nodeZones, null);
    }

    /**
     * As above, with each GPU pod's devices as the packing placed them ({@code gpuDevices}, a mask per pod; null: worked
     * out per node by {@link #deviceMasks}); the verifier checks them as any.
     */
    public static PackingResult fromAssignment(PackingProblem problem, String strategy, int nodes, int[] assignment,
                                               LowerBound bound, long elapsedNanos, int[] nodeZones, long[] gpuDevices) {
        DemandTable table = problem.table();
        long[] load = new long[nodes * DemandTable.D];
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = assignment[table.firstPod(g) + i];
                if (node >= 0 && node < nodes) {
                    for (int r = 0; r < DemandTable.D; r++) {
                        load[node * DemandTable.D + r] += table.demand(g, r);
                    }
                }
            }
        }
        long[] devices = gpuDevices != null ? gpuDevices.clone() : deviceMasks(problem, nodes, assignment);
        if (devices == null) {
            throw new VerificationException("Packing verification failed (strategy " + strategy + ", shape " + problem.shape().name()
                    + "): some node's GPU pods do not fit its GPU devices. This is a bug in nodesizer; please report it with the input.");
        }
        PackingResult result = new PackingResult(problem, strategy, nodes, assignment.clone(), load,
                problem.unschedulable(), bound, elapsedNanos, devices.length == 0 ? null : devices,
                nodeZones == null ? null : nodeZones.clone());
        PackingVerifier.verify(result);
        return result;
    }

    /**
     * GPU devices for an assignment made elsewhere: per node, {@link GpuDevices#assign}. Returns an
     * empty array when no placed pod requests GPUs, and null when some node's pods do not fit its
     * devices in that order.
     */
    public static long[] deviceMasks(PackingProblem problem, int nodes, int[] assignment) {
        DemandTable table = problem.table();
        int gpu = io.nodesizer.model.Resource.GPU.ordinal();
        int devices = GpuDevices.count(problem.podCapacity()[gpu]);
        java.util.List<java.util.List<Integer>> gpuPods = new java.util.ArrayList<>();
        boolean any = false;
        for (int node = 0; node < nodes; node++) {
            gpuPods.add(new java.util.ArrayList<>());
        }
        for (int g = 0; g < table.groupCount(); g++) {
            if (table.demand(g, gpu) == 0) {
                continue;
            }
            for (int i = 0; i < table.replicas(g); i++) {
                int pod = table.firstPod(g) + i;
                if (assignment[pod] >= 0 && assignment[pod] < nodes) {
                    gpuPods.get(assignment[pod]).add(pod);
                    any = true;
                }
            }
        }
        if (!any) {
            return new long[0];
        }
        long[] masks = new long[table.podCount()];
        for (java.util.List<Integer> pods : gpuPods) {
            if (pods.isEmpty()) {
                continue;
            }
            long[] requests = new long[pods.size()];
            for (int i = 0; i < requests.length; i++) {
                requests[i] = table.demand(table.groupOfPod(pods.get(i)), gpu);
            }
            long[] m = GpuDevices.assign(requests, devices);
            if (m == null) {
                return null;
            }
            for (int i = 0; i < m.length; i++) {
                masks[pods.get(i)] = m[i];
            }
        }
        return masks;
    }

    /**
     * The ledger's log entries {@code subset[0..n)} ordered by group, then node, then entry: one
     * primitive sort of (group, node, entry) packed in a long when the three fit in 63 bits (a
     * comparator over boxed indices cost a cold 150,000-pod pack ~30 ms), else that comparator sort.
     */
    private static int[] byGroupAndNode(NodeLedger ledger, int[] subset, int n) {
        int maxGroup = 0;
        int maxNode = 0;
        int maxEntry = 0;
        int min = 0; // the packed keys need non-negative groups and nodes
        for (int i = 0; i < n; i++) {
            int x = subset[i];
            maxGroup = Math.max(maxGroup, ledger.loggedGroup(x));
            maxNode = Math.max(maxNode, ledger.loggedNode(x));
            maxEntry = Math.max(maxEntry, x);
            min = Math.min(min, Math.min(ledger.loggedGroup(x), ledger.loggedNode(x)));
        }
        int entryBits = bits(maxEntry);
        int nodeBits = bits(maxNode);
        int[] order = new int[n];
        if (min >= 0 && entryBits + nodeBits + bits(maxGroup) <= 63) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                int x = subset[i];
                keys[i] = ((long) ledger.loggedGroup(x) << nodeBits | ledger.loggedNode(x)) << entryBits | x;
            }
            Arrays.sort(keys);
            long mask = (1L << entryBits) - 1;
            for (int i = 0; i < n; i++) {
                order[i] = (int) (keys[i] & mask);
            }
            return order;
        }
        Integer[] entries = new Integer[n];
        for (int i = 0; i < n; i++) {
            entries[i] = subset[i];
        }
        Arrays.sort(entries, (x, y) -> {
            int c = Integer.compare(ledger.loggedGroup(x), ledger.loggedGroup(y));
            if (c == 0) {
                c = Integer.compare(ledger.loggedNode(x), ledger.loggedNode(y));
            }
            return c != 0 ? c : Integer.compare(x, y);
        });
        for (int i = 0; i < n; i++) {
            order[i] = entries[i];
        }
        return order;
    }

    /** Bits that hold values 0..{@code max} (at least 1). */
    private static int bits(int max) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(max));
    }

    /**
     * Per pod the devices the ledger logged: the log says "a pod of group g on node n got mask m"
     * in placement order; the pods of g on n are identical, so they take the masks in pod order.
     */
    private static long[] loggedDevices(DemandTable table, NodeLedger ledger, int[] assignment) {
        int n = ledger.logged();
        if (n == 0) {
            return null;
        }
        long[] masks = new long[table.podCount()];
        // A group of one pod has one entry at most, its pod's: no order needed (a trace's 130,000
        // GPU pods, whose sort took 15-30 ms of a cold run). The others' entries are ordered below.
        int[] several = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            int g = ledger.loggedGroup(i);
            if (table.replicas(g) == 1) {
                masks[table.firstPod(g)] = ledger.loggedMask(i);
            } else {
                several[m++] = i;
            }
        }
        // Log entries by (group, node), placement order within; pods by (group, node, index).
        int[] entries = byGroupAndNode(ledger, several, m);
        int e = 0;
        while (e < m) {
            int g = ledger.loggedGroup(entries[e]);
            int first = table.firstPod(g);
            Integer[] boxed = new Integer[table.replicas(g)];
            for (int i = 0; i < boxed.length; i++) {
                boxed[i] = first + i;
            }
            Arrays.sort(boxed, (x, y) -> {
                int c = Integer.compare(assignment[x], assignment[y]);
                return c != 0 ? c : Integer.compare(x, y);
            });
            int[] pods = new int[boxed.length];
            for (int i = 0; i < boxed.length; i++) {
                pods[i] = boxed[i];
            }
            int p = 0;
            while (p < pods.length && assignment[pods[p]] < 0) {
                p++;
            }
            for (; e < m && ledger.loggedGroup(entries[e]) == g; e++, p++) {
                masks[pods[p]] = ledger.loggedMask(entries[e]);
            }
        }
        return masks;
    }
}
