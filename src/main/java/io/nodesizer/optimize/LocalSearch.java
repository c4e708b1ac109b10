package io.nodesizer.optimize;

import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.impl.phase.event.PhaseLifecycleListenerAdapter;
import ai.timefold.solver.core.impl.phase.scope.AbstractPhaseScope;
import ai.timefold.solver.core.impl.solver.DefaultSolver;
import io.nodesizer.bound.LowerBound;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingVerifier;
import io.nodesizer.optimize.domain.NodePacking;
import io.nodesizer.optimize.domain.NodePackings;
import io.nodesizer.optimize.solver.SolverConfigs;

import java.time.Duration;
import java.util.Objects;

/**
 * Improves a single-shape packing by local search (Timefold Solver): pods are the planning
 * entities, the start packing's nodes the values; hard = no overload, medium = nodes in use, soft =
 * load concentration. See {@link io.nodesizer.optimize.score.PackingConstraints} and
 * {@link SolverConfigs}.
 */
public final class LocalSearch {
    /**
     * Timefold registers Micrometer gauges under fixed names on every solve; from the second
     * solve in one JVM (a sweep optimizes several shapes) Micrometer warns through
     * java.util.logging that the gauge exists. We publish no metrics, so that logger is held
     * (a strong reference keeps the level) at SEVERE.
     */
    private static final java.util.logging.Logger MICROMETER_LOG = java.util.logging.Logger.getLogger("io.micrometer");

    static {
        MICROMETER_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    /**
     * Step-based limits: reproducible. {@code timeLimit} {@code null} = none (opt-in; results then
     * vary by machine).
     *
     * @param stepLimit           local-search steps at most (one accepted move each), 1..{@link Integer#MAX_VALUE}
     * @param unimprovedStepLimit stop after this many steps without a new best, 1..{@link Integer#MAX_VALUE}
     * @param timeLimit           wall-clock cap, or {@code null}
     */
    public record Limits(long stepLimit, long unimprovedStepLimit, Duration timeLimit) {
        /**
         * Chosen with {@code LocalSearchMeasure} (tests) on a 2-core machine: on the Alibaba openb
         * default trace (8,152 pods, nodes of 96 CPU / 768Gi / 110 pods / 8 GPU, bound 884) FFD's
         * 1,017 nodes drop to 891 in 40,000 steps, 5–8 s; 50,000 steps gave 890, 100,000 gave 889
         * in 14 s. The unimproved limit ends runs stuck one node above the bound (BPPLIB triplet
         * instances) early.
         */
        static final long DEFAULT_STEP_LIMIT = 40_000;
        static final long DEFAULT_UNIMPROVED_STEP_LIMIT = 10_000;

        public Limits {
            requireStepCount("stepLimit", stepLimit);
            requireStepCount("unimprovedStepLimit", unimprovedStepLimit);
            if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
                throw new IllegalArgumentException("The time limit (" + timeLimit + ") must be positive. Maybe leave it null for none.");
            }
        }

        private static void requireStepCount(String name, long value) {
            if (value <= 0 || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("The " + name + " (" + value + ") must be in 1.." + Integer.MAX_VALUE + ".");
            }
        }

        /** The reproducible default: step limits only, no time limit. */
        public static Limits defaults() {
            return new Limits(DEFAULT_STEP_LIMIT, DEFAULT_UNIMPROVED_STEP_LIMIT, null);
        }
    }

    /**
     * What one run did, for measurements and progress reports.
     *
     * @param steps               local-search steps taken (0 when the start was already at the bound)
     * @param moveEvaluations     moves evaluated in all
     * @param elapsedNanos        wall time of the local search alone
     */
    public record Run(PackingResult result, int startNodeCount, int steps, long moveEvaluations, long elapsedNanos) {
        public Run {
            Objects.requireNonNull(result, "result");
        }
    }

    private LocalSearch() {
    }

    /**
     * Improves a verified single-shape packing by local search. Returns a PackingResult of the same
     * PackingProblem with nodeCount <= start.nodeCount(), strategy name {@code strategyName}, lowerBound =
     * {@code bound}, nodes renumbered 0..n-1 (surviving nodes keep their relative order) with no empty node,
     * passing {@link PackingVerifier}. Returns start's packing (re-labelled) at once when
     * start.nodeCount() == bound.value(). Deterministic: same input + seed + limits (no time limit) =>
     * identical assignment. The result's elapsedNanos is the start's plus the local search's.
     */
    public static PackingResult improve(PackingResult start, LowerBound bound, Limits limits, long seed, String strategyName) {
        return run(start, bound, limits, seed, strategyName, EnvironmentMode.NO_ASSERT).result();
    }

    /** {@link #improve} with the run's statistics. */
    public static Run run(PackingResult start, LowerBound bound, Limits limits, long seed, String strategyName) {
        return run(start, bound, limits, seed, strategyName, EnvironmentMode.NO_ASSERT);
    }

    /** For tests: the same search in an asserting (still reproducible) environment mode. */
    static Run run(PackingResult start, LowerBound bound, Limits limits, long seed, String strategyName,
                   EnvironmentMode mode) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(bound, "bound");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(strategyName, "strategyName");
        if (start.nodeCount() < bound.value()) {
            throw new IllegalArgumentException("The lower bound (" + bound + ") must not exceed the start packing's "
                    + start.nodeCount() + " nodes. Maybe the bound belongs to another problem.");
        }
        long began = System.nanoTime();
        if (start.nodeCount() == bound.value()) {
            PackingResult same = NodePackings.relabel(start, strategyName, bound, start.elapsedNanos()); // verified
            return new Run(same, start.nodeCount(), 0, 0, System.nanoTime() - began);
        }
        NodePacking problem = NodePackings.from(start);
        Solver<NodePacking> solver = SolverFactory.<NodePacking>create(SolverConfigs.localSearch(
                (int) limits.stepLimit(), (int) limits.unimprovedStepLimit(), limits.timeLimit(), bound.value(), seed, mode))
                .buildSolver();
        int[] steps = new int[1];
        long[] moves = new long[1];
        if (solver instanceof DefaultSolver<NodePacking> defaultSolver) {
            // Statistics only; Timefold has no public per-phase step count.
            defaultSolver.addPhaseLifecycleListener(new PhaseLifecycleListenerAdapter<>() {
                @Override
                public void phaseEnded(AbstractPhaseScope<NodePacking> phaseScope) {
                    steps[0] += phaseScope.getNextStepIndex();
                    moves[0] += phaseScope.getPhaseMoveEvaluationCount();
                }
            });
        }
        NodePacking best = solver.solve(problem);
        long elapsed = System.nanoTime() - began;
        PackingResult improved;
        if (best.getScore() == null || best.getScore().hardScore() < 0) {
            // Cannot happen from a feasible start (the best solution is never worse than the start);
            // kept so that a solver surprise degrades to "no improvement", not to an infeasible plan.
            improved = NodePackings.relabel(start, strategyName, bound, start.elapsedNanos() + elapsed);
        } else {
            improved = NodePackings.toResult(best, start.problem(), strategyName, bound, start.elapsedNanos() + elapsed);
            if (improved.nodeCount() > start.nodeCount()) {
                improved = NodePackings.relabel(start, strategyName, bound, start.elapsedNanos() + elapsed);
            }
        }
        return new Run(improved, start.nodeCount(), steps[0], moves[0], elapsed); // NodePackings verified it
    }
}
