package io.nodesizer.optimize.solver;

import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import ai.timefold.solver.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.ChangeMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.SwapMoveSelectorConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import ai.timefold.solver.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import io.nodesizer.optimize.domain.NodePacking;
import io.nodesizer.optimize.domain.Pod;
import io.nodesizer.optimize.score.PackingConstraints;

import java.time.Duration;

/**
 * Builds the local-search {@link SolverConfig} in code (no XML): one late-acceptance phase over
 * change, swap, drain and pair-swap moves, starting from the given (initialized) packing, so no
 * construction heuristic. Single-threaded, seeded and terminated by step counts, so a run is
 * reproducible; a time limit is an opt-in that gives that up.
 *
 * <p>The settings below were chosen on the Alibaba openb trace and BPPLIB Falkenauer instances
 * (see {@code LocalSearchMeasure} in the tests): late-acceptance sizes 20, 50 and 200 and
 * drain/pair weights 0.1–0.5 ended within one node of each other; 50 and 0.25 were never worse.
 * Timefold's pillar swap found nothing more and doubled the time per step (it rebuilds its pillar
 * cache every step).
 */
public final class SolverConfigs {
    /** Late acceptance compares a move with the score this many steps ago. */
    static final int LATE_ACCEPTANCE_SIZE = 50;
    // Relative frequency of each move type. Drain moves are the ones that empty nodes; change,
    // swap and pair-swap moves reshape loads so that drains succeed.
    static final double CHANGE_WEIGHT = 1.0;
    static final double SWAP_WEIGHT = 1.0;
    static final double DRAIN_WEIGHT = 0.25;
    static final double PAIR_SWAP_WEIGHT = 0.25;

    private SolverConfigs() {
    }

    /**
     * @param stepLimit           steps of the local-search phase
     * @param unimprovedStepLimit steps without a new best solution before stopping
     * @param timeLimit           wall-clock cap, or {@code null} for none (then the run is reproducible)
     * @param nodeTarget          stop as soon as a feasible solution uses this many nodes (the lower bound)
     * @param mode                {@link EnvironmentMode#NO_ASSERT} in production, an asserting mode in tests
     */
    public static SolverConfig localSearch(int stepLimit, int unimprovedStepLimit, Duration timeLimit, int nodeTarget,
                                           long seed, EnvironmentMode mode) {
        if (!mode.isReproducible()) {
            throw new IllegalArgumentException("The environment mode (" + mode + ") must be reproducible. Maybe use NO_ASSERT.");
        }
        // Medium counts used nodes negatively and soft is a reward (never below 0), so a best score of
        // at least 0hard/-target medium/0soft means the packing uses the lower bound: nothing left to gain.
        TerminationConfig solverTermination = new TerminationConfig()
                .withBestScoreLimit(HardMediumSoftScore.of(0, -nodeTarget, 0).toString());
        if (timeLimit != null) {
            solverTermination.setSpentLimit(timeLimit);
        }
        UnionMoveSelectorConfig moves = new UnionMoveSelectorConfig().withMoveSelectors(
                new ChangeMoveSelectorConfig().withFixedProbabilityWeight(CHANGE_WEIGHT),
                new SwapMoveSelectorConfig().withFixedProbabilityWeight(SWAP_WEIGHT),
                new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(NodeLoadsMoveFactory.Drain.class)
                        .withFixedProbabilityWeight(DRAIN_WEIGHT),
                new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(NodeLoadsMoveFactory.PairSwap.class)
                        .withFixedProbabilityWeight(PAIR_SWAP_WEIGHT));
        LocalSearchPhaseConfig localSearch = new LocalSearchPhaseConfig()
                .withMoveSelectorConfig(moves)
                .withAcceptorConfig(new LocalSearchAcceptorConfig().withLateAcceptanceSize(LATE_ACCEPTANCE_SIZE))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1))
                .withTerminationConfig(new TerminationConfig()
                        .withStepCountLimit(stepLimit)
                        .withUnimprovedStepCountLimit(unimprovedStepLimit));
        return new SolverConfig()
                .withSolutionClass(NodePacking.class)
                .withEntityClasses(Pod.class)
                .withConstraintProviderClass(PackingConstraints.class)
                .withEnvironmentMode(mode)
                .withRandomSeed(seed)
                .withTerminationConfig(solverTermination)
                .withPhases(localSearch);
    }
}
