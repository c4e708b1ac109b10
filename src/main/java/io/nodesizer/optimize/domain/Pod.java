package io.nodesizer.optimize.domain;

import ai.timefold.solver.core.api.domain.common.PlanningId;
import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;

/**
 * One schedulable pod, the planning entity: its planning variable is the node it runs on.
 * Mutable because Timefold requires it; it never leaves the {@code optimize} package tree.
 */
@PlanningEntity
public class Pod {
    /** Name of the planning variable, for move code that addresses it through the meta-model. */
    public static final String NODE = "node";

    @PlanningId
    private int id;
    private PodDemand demand;
    private Node node;
    /** Where a working solution's pod reports that its node was set (null in clones and until asked), and its index there. */
    private PodMoves moves;
    private int index;

    /** For Timefold's solution cloner. */
    Pod() {
    }

    /**
     * @param id the global pod index in the {@link io.nodesizer.engine.DemandTable}
     */
    public Pod(int id, PodDemand demand, Node node) {
        this.id = id;
        this.demand = demand;
        this.node = node;
    }

    public int getId() {
        return id;
    }

    public PodDemand getDemand() {
        return demand;
    }

    /** The planning variable, on the property so that Timefold sets it through {@link #setNode}. */
    @PlanningVariable
    public Node getNode() {
        return node;
    }

    public void setNode(Node node) {
        if (moves != null && node != this.node) {
            moves.moved(index);
        }
        this.node = node;
    }

    /** From now on {@link #setNode} reports to {@code moves} as pod {@code index}. */
    void reportTo(PodMoves moves, int index) {
        this.moves = moves;
        this.index = index;
    }

    @Override
    public String toString() {
        return "pod-" + id + "@" + node;
    }
}
