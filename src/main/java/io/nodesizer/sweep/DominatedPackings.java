package io.nodesizer.sweep;

import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingVerifier;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shape whose nodes offer at least another's allocatable on every resource (pod slots too), with the same GPU devices,
 * the same DaemonSets on them and the same pods admitted (labels, taints, arch, and the pods whose GPUs its model and
 * vendor serve: {@link ShapeEvaluator#dominanceKey}), can run every packing of that other shape as it is; so it is never
 * reported with more nodes than that packing. The same holds where it falls short of the other only on a resource the
 * packing does not use up (the optimizer's packings, whose node loads are at hand, are checked so). The strategies are
 * heuristics and the optimizer stops short, so each shape's own packing can come out a node or two above a dominated
 * shape's (QA 75a item 3: g6.48xlarge 1,041 nodes beside g7.48xlarge's 1,040, whose packing fits it: the same CPU and
 * GPUs, 242 MB more memory, and 737 pod slots against 758 where no node holds more than 29). Its lower bound stays its own.
 *
 * <p>Dominance is taken between the distinct allocatable vectors of shapes that agree on everything else (the AWS
 * catalog's 878 candidates make about 220 such vectors, so the pairs are few), and a packing is fetched only for a shape
 * that takes one.
 */
final class DominatedPackings {
    private DominatedPackings() {
    }

    /**
     * {@code ranked} with each shape that a dominated shape's packing beats (fewer pods left out, else fewer nodes) holding
     * that packing, verified on its own nodes, ranked again; the packings it takes go into {@code packings} by shape name.
     * A donor's packing is {@code packings}' (the optimizer's) or its heuristics' again (deterministic: the same packing).
     */
    static List<ShapeEvaluation> adopt(List<ShapeEvaluation> ranked, ShapeEvaluator evaluator, Map<String, PackingResult> packings,
                                       int threads) {
        // Per dominance key, per packing key (one allocatable vector), the best evaluation, ranking order breaking ties.
        Map<Object, Map<Object, ShapeEvaluation>> classes = new LinkedHashMap<>();
        Map<ShapeEvaluation, Object> vectorOf = new java.util.IdentityHashMap<>();
        for (ShapeEvaluation e : ranked) {
            Object vector = evaluator.packingKey(e.shape());
            vectorOf.put(e, vector);
            classes.computeIfAbsent(evaluator.dominanceKey(e.shape()), k -> new LinkedHashMap<>()).merge(vector, e,
                    (a, b) -> better(b, a) ? b : a);
        }
        // Per vector, the best of the vectors it holds the packing of: one it dominates (fetched below), or one whose packing
        // the optimizer kept and whose busiest loads fit it (a shape with fewer pod slots than another, more than any of its
        // nodes holds: g6.48xlarge's 737 against g7.48xlarge's 758, 29 at most on a node).
        Map<Object, ShapeEvaluation> donorOf = new java.util.HashMap<>();
        Map<Object, ShapeEvaluation> bestOf = new java.util.HashMap<>(); // a vector is of one dominance key: its packing key has it
        for (Map<Object, ShapeEvaluation> vectors : classes.values()) {
            bestOf.putAll(vectors);
            List<ShapeEvaluation> best = new ArrayList<>(vectors.values());
            for (ShapeEvaluation taker : best) {
                ShapeEvaluation donor = null;
                for (ShapeEvaluation other : best) {
                    if (other != taker && better(other, donor == null ? taker : donor) && sameLeftOut(taker, other)
                            && (dominates(taker.shape().allocatable(), other.shape().allocatable())
                            || packings.containsKey(other.shape().name()) && fits(packings.get(other.shape().name()), taker))) {
                        donor = other;
                    }
                }
                if (donor != null) {
                    donorOf.put(vectorOf.get(taker), donor);
                }
            }
        }
        // The shapes that take a packing, and the donors' packings, each fetched once (on the sweep's threads).
        List<ShapeEvaluation> donors = new ArrayList<>();
        Map<ShapeEvaluation, Integer> donorIndex = new java.util.IdentityHashMap<>();
        Map<ShapeEvaluation, ShapeEvaluation> takesOne = new java.util.IdentityHashMap<>(); // taker → donor
        for (ShapeEvaluation e : ranked) {
            // A shape that is not the best of its vector (an optimized twin is better) takes the best's packing, if no other.
            ShapeEvaluation donor = donorOf.getOrDefault(vectorOf.get(e), bestOf.get(vectorOf.get(e)));
            if (donor != null && better(donor, e) && sameLeftOut(e, donor)) {
                takesOne.put(e, donor);
                if (donorIndex.putIfAbsent(donor, donors.size()) == null) {
                    donors.add(donor);
                }
            }
        }
        if (takesOne.isEmpty()) {
            return ranked;
        }
        List<PackingResult> donated = Parallel.map(donors.size(), threads, i -> {
            PackingResult kept = packings.get(donors.get(i).shape().name());
            return kept != null ? kept : evaluator.evaluate(donors.get(i).shape(), false).best();
        }, ProgressListener.NONE);
        List<ShapeEvaluation> out = new ArrayList<>(ranked.size());
        for (ShapeEvaluation e : ranked) {
            ShapeEvaluation donor = takesOne.get(e);
            if (donor == null) {
                out.add(e);
                continue;
            }
            PackingResult held = onShape(donated.get(donorIndex.get(donor)), evaluator.problem(e.shape()), e);
            packings.put(e.shape().name(), held);
            out.add(ShapeEvaluator.evaluation(e.shape(), e.pods(), held, e.lowerBound(), held.problem().daemonSetLoad(), e.tried(),
                    e.elapsedNanos(), e.optimized()).withPackingOf(donor.shape().name()));
        }
        out.sort(ShapeSweep.RANKING);
        return out;
    }

    /** Fewer pods left out, else fewer nodes. */
    private static boolean better(ShapeEvaluation a, ShapeEvaluation b) {
        return a.unschedulableCount() < b.unschedulableCount()
                || a.unschedulableCount() == b.unschedulableCount() && a.packedNodes() < b.packedNodes();
    }

    /**
     * Whether {@code taker}'s shape never places the same groups as {@code donor}'s: where the donor's never places a group
     * the taker's can, its packing leaves out pods the taker takes.
     */
    private static boolean sameLeftOut(ShapeEvaluation taker, ShapeEvaluation donor) {
        return taker.unschedulable() instanceof NeverPlaced own && donor.unschedulable() instanceof NeverPlaced its && own.sameGroups(its);
    }

    /** Whether the busiest node of {@code packing}, per resource, fits {@code taker}'s nodes beside their DaemonSets. */
    private static boolean fits(PackingResult packing, ShapeEvaluation taker) {
        long[] room = taker.shape().allocatable().minusFloorZero(taker.daemonSetLoad()).toArray();
        long[] load = packing.nodeLoad();
        int d = room.length;
        for (int node = 0; node < packing.nodeCount(); node++) {
            for (int r = 0; r < d; r++) {
                if (load[node * d + r] > room[r]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code big} is at least {@code small} on every resource. */
    static boolean dominates(Resources big, Resources small) {
        return small.fitsIn(big);
    }

    /**
     * The donor's packing on {@code problem} (the taker's shape, the same pods and DaemonSets): its nodes, pods, devices and
     * zones as they are, the groups the shape never places worded for it, the pods a rule left out as the donor's, and the
     * taker's own bound; verified, so that a node over this shape's allocatable or a rule broken is a bug reported loudly.
     */
    private static PackingResult onShape(PackingResult donor, PackingProblem problem, ShapeEvaluation taker) {
        List<PackingProblem.Unschedulable> left = new ArrayList<>(problem.unschedulable());
        for (PackingProblem.Unschedulable u : donor.unschedulable()) {
            if (u.byRule()) {
                left.add(PackingProblem.Unschedulable.byRule(problem, u.group(), u.firstReplica(), u.reason()));
            }
        }
        PackingResult held = new PackingResult(problem, donor.strategy(), donor.nodeCount(), donor.assignment(), donor.nodeLoad(), left,
                taker.lowerBound(), donor.elapsedNanos(), donor.gpuDevices(), donor.nodeZones());
        PackingVerifier.verify(held);
        return held;
    }
}
