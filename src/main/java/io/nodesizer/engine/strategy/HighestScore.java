package io.nodesizer.engine.strategy;

import java.util.SplittableRandom;

/**
 * kube-scheduler's {@code selectHost}: keeps the node with the highest score and breaks ties
 * uniformly at random by reservoir sampling, so every tied node is equally likely without a list
 * of them. Mutable and reused pod after pod: it sits in the scheduling hot path.
 */
public final class HighestScore {
    private int best = -1;
    private long bestScore = -1;
    private int ties;

    /** Starts a new selection. */
    public void reset() {
        best = -1;
        bestScore = -1;
        ties = 0;
    }

    /** Considers {@code node} with {@code score}; draws from {@code random} only on a tie. */
    public void offer(int node, long score, SplittableRandom random) {
        if (score > bestScore) {
            bestScore = score;
            best = node;
            ties = 1;
        } else if (score == bestScore) {
            ties++;
            if (random.nextInt(ties) == 0) {
                best = node;
            }
        }
    }

    /** The highest score offered so far, or -1 when none was offered (scores are not negative). */
    public long bestScore() {
        return bestScore;
    }

    /** The chosen node, or -1 when none was offered. */
    public int best() {
        return best;
    }
}
