package io.nodesizer.optimize.solver;

import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import ai.timefold.solver.core.impl.score.director.ScoreDirector;
import io.nodesizer.optimize.domain.NodePacking;

import java.util.Iterator;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;

/**
 * Feeds Timefold an endless random stream of one kind of {@link NodeLoads} move. Random selection
 * only. The loads are refreshed lazily, when a step draws its first move of this kind.
 */
abstract sealed class NodeLoadsMoveFactory implements MoveIteratorFactory<NodePacking, ReassignMove>
        permits NodeLoadsMoveFactory.Drain, NodeLoadsMoveFactory.PairSwap {
    private final BiFunction<NodeLoads, RandomGenerator, ReassignMove> generator;
    private NodeLoads loads;

    NodeLoadsMoveFactory(BiFunction<NodeLoads, RandomGenerator, ReassignMove> generator) {
        this.generator = generator;
    }

    @Override
    public void phaseStarted(ScoreDirector<NodePacking> scoreDirector) {
        loads = null;
    }

    @Override
    public long getSize(ScoreDirector<NodePacking> scoreDirector) {
        return scoreDirector.getWorkingSolution().getNodes().size();
    }

    @Override
    public Iterator<ReassignMove> createOriginalMoveIterator(ScoreDirector<NodePacking> scoreDirector) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " supports random selection only.");
    }

    @Override
    public Iterator<ReassignMove> createRandomMoveIterator(ScoreDirector<NodePacking> scoreDirector,
                                                           RandomGenerator random) {
        NodePacking solution = scoreDirector.getWorkingSolution();
        if (loads == null || loads.solution != solution) {
            loads = new NodeLoads(solution);
        }
        NodeLoads current = loads;
        return new Iterator<>() {
            private boolean refreshed;

            @Override
            public boolean hasNext() {
                return current.nodes.size() > 1;
            }

            @Override
            public ReassignMove next() {
                if (!refreshed) {
                    current.refresh();
                    refreshed = true;
                }
                return generator.apply(current, random);
            }
        };
    }

    /**
     * Drains a used node, light ones more often: its pods, largest first, go by first fit to the other
     * used nodes, ordered fullest first or as a random rotation. The only move that empties a node
     * in one step when no pod is alone on it.
     */
    public static final class Drain extends NodeLoadsMoveFactory {
        public Drain() {
            super(NodeLoads::drain);
        }
    }

    /**
     * Swaps one pod of a node for two pods of another, choosing the feasible pair that concentrates
     * load most: the exchange that change and swap moves cannot make when both nodes are nearly full.
     */
    public static final class PairSwap extends NodeLoadsMoveFactory {
        public PairSwap() {
            super(NodeLoads::pairSwap);
        }
    }
}
