package io.nodesizer.optimize.domain;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Converts between a {@link PackingResult} and the planning solution {@link NodePacking}. */
public final class NodePackings {
    private static final int D = DemandTable.D;

    private NodePackings() {
    }

    /**
     * The start packing as an initialized solution: one {@link Node} per node of {@code start}
     * (same index), one {@link Pod} per placed pod, in global pod order.
     */
    public static NodePacking from(PackingResult start) {
        PackingProblem problem = start.problem();
        DemandTable table = problem.table();
        NodeCapacity capacity = new NodeCapacity(problem.podCapacity(), problem.activeDims(),
                io.nodesizer.engine.NodeLedger.devicesFor(problem));
        List<Node> nodes = new ArrayList<>(start.nodeCount());
        for (int i = 0; i < start.nodeCount(); i++) {
            nodes.add(new Node(i, capacity));
        }
        long[] flat = problem.flatDemand();
        int[] assignment = start.assignment();
        List<Pod> pods = new ArrayList<>();
        for (int g : problem.schedulableGroups()) {
            PodDemand demand = demand(table, g, Arrays.copyOfRange(flat, g * D, g * D + D));
            int first = table.firstPod(g);
            for (int i = 0; i < table.replicas(g); i++) {
                int pod = first + i;
                int node = assignment[pod];
                if (node < 0 || node >= nodes.size()) {
                    throw new IllegalArgumentException("The start packing leaves schedulable pod " + table.podName(pod)
                            + " on node " + node + "; local search needs every schedulable pod placed. Maybe verify the start packing.");
                }
                pods.add(new Pod(pod, demand, nodes.get(node)));
            }
        }
        return new NodePacking(capacity, nodes, pods);
    }

    /** Group g's request with its rules (cap per node, the other groups it repels) from the table's conflicts. */
    private static PodDemand demand(DemandTable table, int g, long[] amounts) {
        int[][] conflicts = table.conflicts();
        if (conflicts == null || conflicts[g] == null) {
            return new PodDemand(g, amounts);
        }
        int cap = Arrays.binarySearch(conflicts[g], g) >= 0 ? table.caps()[g] : 0;
        int[] others = Arrays.stream(conflicts[g]).filter(h -> h != g).toArray(); // ascending, as conflicts are
        return new PodDemand(g, amounts, cap, others);
    }

    /**
     * The solution as a {@link PackingResult} of {@code problem}: nodes that still hold a pod keep
     * their relative order (ascending start index) and are renumbered 0..n-1; loads are re-summed.
     */
    public static PackingResult toResult(NodePacking solution, PackingProblem problem, String strategy,
                                         LowerBound bound, long elapsedNanos) {
        int startNodes = solution.getNodes().size();
        int[] podAssignment = new int[problem.table().podCount()];
        Arrays.fill(podAssignment, -1);
        boolean[] used = new boolean[startNodes];
        for (Pod pod : solution.getPods()) {
            Node node = pod.getNode();
            if (node == null) {
                throw new IllegalStateException("Pod " + pod.getId() + " was left unassigned by the solver.");
            }
            podAssignment[pod.getId()] = node.id();
            used[node.id()] = true;
        }
        return relabel(problem, podAssignment, used, strategy, bound, elapsedNanos);
    }

    /** {@code start} with its unused nodes dropped (there are none after a verified strategy) and new labels. */
    public static PackingResult relabel(PackingResult start, String strategy, LowerBound bound, long elapsedNanos) {
        boolean[] used = new boolean[start.nodeCount()];
        for (int node : start.assignment()) {
            if (node >= 0) {
                used[node] = true;
            }
        }
        return relabel(start.problem(), start.assignment(), used, strategy, bound, elapsedNanos);
    }

    /** Renumbers the used nodes 0..n-1 in their old order; {@link PackingEngine#fromAssignment} sums the loads and verifies. */
    private static PackingResult relabel(PackingProblem problem, int[] oldAssignment, boolean[] used, String strategy,
                                         LowerBound bound, long elapsedNanos) {
        int[] newIndex = new int[used.length];
        int count = 0;
        for (int i = 0; i < used.length; i++) {
            newIndex[i] = used[i] ? count++ : -1;
        }
        int[] assignment = new int[oldAssignment.length];
        for (int pod = 0; pod < assignment.length; pod++) {
            int old = oldAssignment[pod];
            assignment[pod] = old < 0 ? -1 : newIndex[old];
        }
        return PackingEngine.fromAssignment(problem, strategy, count, assignment, bound, elapsedNanos);
    }
}
