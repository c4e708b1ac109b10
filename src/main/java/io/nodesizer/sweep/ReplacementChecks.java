package io.nodesizer.sweep;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingVerifier;
import io.nodesizer.engine.VerificationException;

import java.util.List;

/**
 * What a lost node's or a lost zone's pods, placed again on the nodes that run, are checked by: room on every resource, the
 * pods a node runs that a pod may not share it with, and the packing that results under every rule. {@link ZoneSurvival}
 * (a node's loss, {@link ZoneSurvival#survivesLoss}) and {@link ZoneLossReplacement} (a zone's) both ask these, so a fix to
 * one check reaches both (review 69 #9: each had its own copy).
 */
final class ReplacementChecks {
    private static final int D = DemandTable.D;

    private ReplacementChecks() {
    }

    /**
     * Whether a pod of group g fits node {@code node} on every resource: {@code load} (per node, D resources) plus {@code beside}
     * (the same; null for none: other pods on the node that the check does not place) plus its requests, at most {@code cap}.
     */
    static boolean fits(DemandTable table, long[] load, long[] beside, int node, int g, long[] cap) {
        for (int r = 0; r < D; r++) {
            long other = beside == null ? 0 : beside[node * D + r];
            if (load[node * D + r] + other + table.demand(g, r) > cap[r]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether node {@code node}, running {@code perNode} pods per group (per node, the table's groups), runs no pod of a group
     * that g may not share a node with (required anti-affinity on the hostname, either way) and fewer of g's own pods than
     * g's per-node cap ({@link io.nodesizer.kube.PodConflicts#caps}). {@code spreadCapChecked}: g's cap comes from its
     * hostname spreads, which the caller checks against the fewest the nodes hold, as kube-scheduler does (the cap is that
     * check on fresh nodes, fewest 0), so it is not applied here.
     */
    static boolean conflictFree(DemandTable table, int[] perNode, int node, int g, boolean spreadCapChecked) {
        int[][] conflicts = table.conflicts();
        if (conflicts == null || conflicts[g] == null) {
            return true;
        }
        int groups = table.groupCount();
        for (int h : conflicts[g]) {
            int here = perNode[node * groups + h];
            if (h == g ? !spreadCapChecked && here >= table.caps()[g] : here > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the packing of {@code problem} with {@code nodes} nodes, {@code assignment}, {@code load} and the pods listed in
     * {@code unschedulable} passes {@link PackingVerifier} (GPU devices assigned as the engine assigns them; false where no
     * node's devices hold its GPU pods).
     */
    static boolean passesVerifier(PackingProblem problem, String strategy, int nodes, int[] assignment, long[] load,
                                  List<PackingProblem.Unschedulable> unschedulable, LowerBound bound, int[] nodeZones) {
        long[] devices = PackingEngine.deviceMasks(problem, nodes, assignment);
        if (devices == null) {
            return false;
        }
        try {
            PackingVerifier.verify(new PackingResult(problem, strategy, nodes, assignment, load, unschedulable, bound, 0,
                    devices.length == 0 ? null : devices, nodeZones));
            return true;
        } catch (VerificationException e) {
            return false;
        }
    }
}
