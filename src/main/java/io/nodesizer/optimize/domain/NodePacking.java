package io.nodesizer.optimize.domain;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.HardMediumSoftScore;

import java.util.ArrayList;
import java.util.List;

/**
 * The planning solution: the start packing's nodes (the value range) and the schedulable pods.
 * Unschedulable pods are not part of it; they stay unplaced in the {@link io.nodesizer.engine.PackingResult}.
 */
@PlanningSolution(solutionCloner = NodePackingCloner.class)
public class NodePacking {
    private NodeCapacity capacity;
    @ProblemFactCollectionProperty
    @ValueRangeProvider
    private List<Node> nodes;
    @PlanningEntityCollectionProperty
    private List<Pod> pods;
    @PlanningScore
    private HardMediumSoftScore score;
    /** The pods' node changes, once a reader asked for them (not cloned: a clone's pods report nowhere). */
    private PodMoves moves;

    /** For Timefold's solution cloner. */
    NodePacking() {
    }

    public NodePacking(NodeCapacity capacity, List<Node> nodes, List<Pod> pods) {
        this.capacity = capacity;
        this.nodes = new ArrayList<>(nodes);
        this.pods = new ArrayList<>(pods);
    }

    public NodeCapacity getCapacity() {
        return capacity;
    }

    public List<Node> getNodes() {
        return nodes;
    }

    public List<Pod> getPods() {
        return pods;
    }

    /** The changes of this solution's pods' nodes, by index in {@link #getPods()}; set up on the first call. */
    public PodMoves moves() {
        if (moves == null) {
            moves = new PodMoves(pods.size());
            for (int i = 0; i < pods.size(); i++) {
                pods.get(i).reportTo(moves, i);
            }
        }
        return moves;
    }

    public HardMediumSoftScore getScore() {
        return score;
    }

    public void setScore(HardMediumSoftScore score) {
        this.score = score;
    }
}
