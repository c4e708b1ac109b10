package io.nodesizer.rightsize;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;
import io.nodesizer.sweep.HaSizing;
import io.nodesizer.sweep.ProgressListener;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.ShapeEvaluator;
import io.nodesizer.sweep.ShapeOptimizer;
import io.nodesizer.sweep.ShapeSweep;
import io.nodesizer.sweep.Verdicts;

import java.util.List;

/**
 * What the new requests do to the cluster: the same candidate shapes ranked for the workload
 * before and after, with the same engine and settings.
 *
 * @param before             the best shape for today's requests
 * @param after              the best shape for the recommended requests
 * @param afterOnBeforeShape the recommended requests on today's best shape (like for like: nodes saved without changing shape)
 */
public record Impact(ShapeEvaluation before, ShapeEvaluation after, ShapeEvaluation afterOnBeforeShape) {

    /**
     * Both rankings sized by {@code rules} as {@code recommend} sizes its shapes (a pool's minimum
     * nodes), so that the saving is the one recommend would plan with.
     */
    public static Impact of(Workload before, Workload after, List<NodeShape> shapes, List<PackingStrategies> strategies, long seed,
                            int threads, ProgressListener progress, ShapeEvaluator.OptimizeMode mode, ShapeOptimizer.Settings settings,
                            HaSizing.Rules rules) {
        List<ShapeEvaluation> b = HaSizing.apply(ShapeSweep.run(before, shapes, strategies, seed, threads, progress, mode, settings), rules);
        List<ShapeEvaluation> a = HaSizing.apply(ShapeSweep.run(after, shapes, strategies, seed, threads, progress, mode, settings), rules);
        ShapeEvaluation best = b.get(0);
        ShapeEvaluation same = a.stream().filter(e -> e.shape().name().equals(best.shape().name())).findFirst().orElseThrow();
        return new Impact(best, a.get(0), same);
    }

    /**
     * The saving per hour of the best shape after against before; null when a price is unknown, or
     * when the packing after leaves out pods that the one before placed ({@link #podsLeftOut}): a
     * cluster that runs fewer pods is cheaper, not a saving.
     */
    public Double savingPerHour() {
        // What the nodes bill: a side that holds no pod bills $0 (its pods are counted by podsLeftOut), not "no price".
        return before.billedPerHour() == null || after.billedPerHour() == null || podsLeftOut() > 0 ? null
                : before.billedPerHour() - after.billedPerHour();
    }

    /**
     * Pods the new requests leave out that today's place (0 when none): those that fit no candidate shape beyond those that
     * fit none today, and those a ResourceQuota no longer admits ({@link #notAdmitted}).
     */
    public int podsLeftOut() {
        return Math.max(0, after.unschedulableCount() - before.unschedulableCount()) + notAdmitted();
    }

    /**
     * Pods the ResourceQuotas admit with today's requests but not with the new ones (0 when none): larger requests of some
     * container fill a quota's hard limits sooner, and its controller then creates fewer replicas (QA 51c: cart 4 → 3 of 4
     * under requests.cpu 14, and the saving compared 10 pods with 9).
     */
    public int notAdmitted() {
        return Math.max(0, before.pods() - after.pods());
    }

    /**
     * What to tell the user when the new requests leave pods out ({@link #podsLeftOut} > 0): how
     * many, of which workloads and why; null otherwise.
     */
    public String leftOutWarning() {
        int n = podsLeftOut();
        if (n == 0) {
            return null;
        }
        int quota = notAdmitted();
        if (quota == n) {
            return "With the recommended requests the ResourceQuotas admit " + quota + (quota == 1 ? " pod" : " pods") + " fewer than "
                    + "today (" + after.pods() + " of today's " + before.pods() + "; the notes name the quotas and workloads), so no "
                    + "saving is claimed: raise the quotas' hard limits before applying these requests, or the controllers create fewer "
                    + "replicas (exceeded quota).";
        }
        int unplaced = n - quota;
        return "With the recommended requests no candidate shape places every pod: the best, " + after.shape().name() + ", leaves " + Verdicts.pods(unplaced)
                + " out that today's requests place (" + leftOutGroups(after)
                + ")" + (quota == 0 ? "" : ", and the ResourceQuotas admit " + quota + " fewer") + ", so no saving is claimed. Allow larger "
                + "shapes (--families, --max-cpu, --node) or keep those requests.";
    }

    /**
     * What to tell the user when even today's requests leave pods out of the best packing: before and after then size a
     * cluster without them, not the one that runs today (QA 61a F4: a pod whose node selector no candidate carries was out of
     * both, with no word but the "unsched" column); null when today's packing places every pod. The advice is what helps for
     * the reasons given (QA 64a F2: "--node …,labels=…" was offered for pods of two node groups, which one shape cannot hold):
     * larger shapes for pods too large for any; for pods whose node selector, affinity or tolerations no candidate meets, a
     * shape carrying those labels (--node TYPE,labels=…) — which is one candidate for every pod, so it helps when one set of
     * labels admits them all — or, with {@code snapshot} (where no node group was needed: some candidate admits each pod,
     * only not the best), that they need a second shape, which recommend --max-pools sizes; for pods a rule leaves out, that
     * their reasons say what would place them.
     */
    /** Where the candidates come from, which decides what helps pods their labels or taints keep off the best shape. */
    public enum Candidates {
        /** A workload's candidates: a shape with the labels they need. */
        GIVEN,
        /** A snapshot's, no node group needed: some candidate may admit them, only not the best (a second architecture). */
        SNAPSHOT,
        /** One node group's of a snapshot sized group by group ({@link NodeGroupImpact}): no group admits them. */
        NODE_GROUP
    }

    public String leftOutTodayWarning(Candidates from) {
        int n = before.unschedulableCount();
        if (n == 0) {
            return null;
        }
        // By cause, as the reasons begin (review 63 item 1: every reason but "cannot run on" was taken for size): a size
        // ("needs 4 CPU; … allocatable is …"), the node's labels or taints ("cannot run on …"), or a pod rule (anti-affinity,
        // a topology spread, a DaemonSet), whose own reason says what would place it.
        boolean placement = before.unschedulable().stream().anyMatch(u -> u.reason().startsWith("cannot run on"));
        boolean size = before.unschedulable().stream().anyMatch(u -> u.reason().startsWith("needs "));
        boolean rule = before.unschedulable().stream().anyMatch(u -> !u.reason().startsWith("cannot run on") && !u.reason().startsWith("needs "));
        List<String> advice = new java.util.ArrayList<>();
        if (size) {
            advice.add("allow larger shapes (--families, --max-cpu) for those too large for the candidates");
        }
        if (rule) {
            advice.add("for those a pod rule leaves out (anti-affinity, a topology spread, a DaemonSet), their reasons say what would "
                    + "place them");
        }
        if (placement && from == Candidates.NODE_GROUP) {
            advice.add("those whose node selector, affinity or tolerations no candidate meets match no node group of the snapshot "
                    + "either (each group's pods are sized on shapes carrying its labels and taints): they run on no node today, or on "
                    + "nodes this snapshot lacks");
        } else if (placement && from == Candidates.SNAPSHOT) {
            // No node group was needed: another candidate may admit such pods, only not the best one (a second architecture),
            // and rightsize packs onto one shape here (review 63 item 1: told they matched no node group, which was false).
            advice.add("those whose node selector, affinity or tolerations " + before.shape().name() + " does not meet need another "
                    + "shape beside it, which rightsize does not mix (recommend --snapshot --max-pools 2 sizes a pool for each), or, "
                    + "where no candidate and no node group of the snapshot admits them, run on no node today");
        } else if (placement) {
            advice.add("for those whose node selector, affinity or tolerations no candidate meets, give a shape with the labels and "
                    + "taints they need (--node TYPE,labels=KEY=VALUE,taints=…): it is one more candidate for every pod, so it places "
                    + "them all only when one shape's labels admit every pod (pods of several dedicated node groups need a shape each: "
                    + "recommend --max-pools with them, or rightsize --snapshot of the cluster, which sizes each node group on its own)");
        }
        return "Even with today's requests no candidate shape places every pod: the best, " + before.shape().name() + ", leaves " + Verdicts.pods(n) + " out (" + leftOutGroups(before) + "), so before, after and the saving are of a cluster "
                + "without " + (n == 1 ? "it" : "them") + ". To compare the cluster that runs today, " + String.join("; ", advice) + ".";
    }

    /** The workloads a packing leaves out and why, five at most: "data/redis: its node selector …; and 2 more". */
    private static String leftOutGroups(ShapeEvaluation e) {
        java.util.Map<String, String> why = new java.util.LinkedHashMap<>();
        for (ShapeEvaluation.UnschedulableGroup u : e.unschedulable()) {
            why.putIfAbsent(u.group().name(), u.reason());
        }
        List<String> named = new java.util.ArrayList<>();
        for (var entry : why.entrySet()) {
            if (named.size() == 5) {
                named.add("and " + (why.size() - 5) + " more");
                break;
            }
            named.add(entry.getKey() + ": " + entry.getValue());
        }
        return String.join("; ", named);
    }
}
