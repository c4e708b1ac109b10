package io.nodesizer.optimize.solver;

import ai.timefold.solver.core.preview.api.domain.metamodel.PlanningVariableMetaModel;
import ai.timefold.solver.core.preview.api.move.Move;
import ai.timefold.solver.core.preview.api.move.MutableSolutionView;
import io.nodesizer.optimize.domain.Node;
import io.nodesizer.optimize.domain.NodePacking;
import io.nodesizer.optimize.domain.Pod;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SequencedCollection;

/**
 * Puts each of several pods on its own precomputed target node, in one step: the composite moves of
 * {@link NodeLoads} (drain a node; swap one pod for two). Timefold 2.x records the variable changes
 * and undoes them itself, so the move has no undo of its own.
 */
public final class ReassignMove implements Move<NodePacking> {
    private final String kind;
    private final Pod[] pods;
    private final Node[] targets;

    ReassignMove(String kind, Pod[] pods, Node[] targets) {
        if (pods.length != targets.length) {
            throw new IllegalArgumentException("Pods (" + pods.length + ") and targets (" + targets.length + ") differ in length.");
        }
        this.kind = kind;
        this.pods = pods;
        this.targets = targets;
    }

    @Override
    public void execute(MutableSolutionView<NodePacking> view) {
        PlanningVariableMetaModel<NodePacking, Pod, Node> variable =
                view.getSolutionMetaModel().genuineEntity(Pod.class).basicVariable(Pod.NODE, Node.class);
        for (int i = 0; i < pods.length; i++) {
            view.changeVariable(variable, pods[i], targets[i]);
        }
    }

    @Override
    public SequencedCollection<Object> getPlanningEntities() {
        return List.of((Object[]) pods);
    }

    @Override
    public SequencedCollection<Object> getPlanningValues() {
        List<Object> distinct = new ArrayList<>();
        for (Node target : targets) {
            if (!distinct.contains(target)) {
                distinct.add(target);
            }
        }
        return distinct;
    }

    Pod pod(int i) {
        return pods[i];
    }

    Node target(int i) {
        return targets[i];
    }

    /** How many pods the move changes (0: a move that does nothing). */
    int podCount() {
        return pods.length;
    }

    @Override
    public String describe() {
        return kind;
    }

    @Override
    public String toString() {
        return kind + " " + Arrays.toString(pods) + " -> " + Arrays.toString(targets);
    }
}
