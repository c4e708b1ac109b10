package io.nodesizer.engine.strategy;

import java.util.Arrays;
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
    /**
     * Per tie count d (not a power of two) that came up: the first value of a draw's 31 bits that
     * {@code nextInt(d)} rejects, and Lemire's constant ceil(2^64 / d) for its divisibility test
     * ({@link #drawsZero}); 0 where not worked out yet.
     */
    private int[] rejectFrom = new int[0];
    private long[] divisibility = new long[0];

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
            if (drawsZero(random, ties)) {
                best = node;
            }
        }
    }

    /**
     * Whether {@code random.nextInt(bound)} would return 0, drawing exactly what it draws, so that
     * every later draw is the same: the JDK's bounded draw ({@code RandomSupport.boundedNextInt},
     * SplittableRandom's since JDK 8) masks a power of two, and otherwise takes u = the draw's high
     * 31 bits and returns u % bound, drawing again while u lies in the last, incomplete run of
     * bound values below 2^31 (u - u % bound + bound - 1 overflows exactly when u &ge; the
     * largest multiple of bound up to 2^31). The remainder's one use is whether it is 0, which a
     * multiplication answers (Lemire, Kaser, Kurz, "Faster remainder by direct computation", 2019)
     * where the division cost ~8 ns, ten million times a replay at ~1,000 nodes (most pods tie on
     * several nodes). {@code HighestScoreTest} checks it against {@code nextInt(bound)}.
     */
    boolean drawsZero(SplittableRandom random, int bound) {
        int m = bound - 1;
        if ((bound & m) == 0) {
            return (random.nextInt() & m) == 0;
        }
        int reject;
        long c;
        if (bound < CACHED) {
            if (bound >= rejectFrom.length || rejectFrom[bound] == 0) {
                learn(bound);
            }
            reject = rejectFrom[bound];
            c = divisibility[bound];
        } else {
            reject = rejectFrom(bound);
            c = divisibility(bound);
        }
        int u = random.nextInt() >>> 1;
        while (rejects(u, reject)) {
            u = random.nextInt() >>> 1;
        }
        return divides(u, c);
    }

    /** Whether the JDK's bounded draw rejects u (31 bits) and draws again: u is at or past {@link #rejectFrom}. */
    static boolean rejects(int u, int rejectFrom) {
        return u >= rejectFrom;
    }

    /** Whether u (31 bits) % bound == 0, with c = {@link #divisibility}(bound). */
    static boolean divides(int u, long c) {
        return Long.compareUnsigned(u * c, c - 1) <= 0;
    }

    /** Tie counts below this have their constants kept; above (more tied nodes than a cluster has), worked out per draw. */
    private static final int CACHED = 1 << 16;

    private void learn(int bound) {
        if (bound >= rejectFrom.length) {
            int size = Math.min(CACHED, Math.max(bound + 1, Math.max(64, rejectFrom.length * 2)));
            rejectFrom = Arrays.copyOf(rejectFrom, size);
            divisibility = Arrays.copyOf(divisibility, size);
        }
        rejectFrom[bound] = rejectFrom(bound);
        divisibility[bound] = divisibility(bound);
    }

    /** The largest multiple of {@code bound} up to 2^31: a draw of 31 bits from there on is rejected. */
    static int rejectFrom(int bound) {
        return (int) ((1L << 31) / bound * bound);
    }

    /** ceil(2^64 / bound): u % bound == 0 exactly when u * it, mod 2^64, is at most it − 1 (unsigned; u < 2^32). */
    static long divisibility(int bound) {
        return Long.divideUnsigned(-1L, bound) + 1;
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
