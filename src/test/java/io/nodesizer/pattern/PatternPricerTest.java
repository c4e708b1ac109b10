package io.nodesizer.pattern;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

final class PatternPricerTest {

    /** Branch and bound against brute-force enumeration of every pattern, on random small knapsacks. */
    @Test
    void pricingFindsTheBestPatternOnEveryResourceAtOnce() {
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int n = 1 + random.nextInt(5);
            List<PodGroup> groups = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                groups.add(group("g" + i, new Resources(100 + random.nextInt(2000), 1 + random.nextInt(4000), 1,
                        random.nextInt(3) == 0 ? 500L * random.nextInt(3) : 0, 0), 1 + random.nextInt(6)));
            }
            NodeShape node = shape("n", new Resources(4000, 8000, 6, 2000, 0));
            RequestTypes types = RequestTypes.of(new PackingProblem(DemandTable.of(Workload.of(groups)), node, Resources.ZERO));
            double[] value = new double[types.count()];
            long[] ub = new long[types.count()];
            for (int t = 0; t < types.count(); t++) {
                value[t] = random.nextInt(5) == 0 ? 0 : random.nextDouble();
                ub[t] = types.pods(t);
            }
            PatternPricer.Result r = new PatternPricer(types, 1_000_000).price(value, ub, 0, 5);
            double brute = bruteForce(types, value, ub, 0, new long[types.dimensions()]);
            assertThat(r.exact()).isTrue();
            assertThat(r.best()).as("seed %d", seed).isCloseTo(brute, within(1e-9));
            if (brute > 0) {
                int[] best = r.patterns().get(r.patterns().size() - 1);
                assertThat(patternValue(best, value)).isCloseTo(brute, within(1e-9));
                assertThat(fits(types, best, ub)).isTrue();
            }
        }
    }

    @Test
    void aTruncatedSearchStillBoundsTheOptimumFromAbove() {
        SplittableRandom random = new SplittableRandom(3);
        List<PodGroup> groups = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            groups.add(group("g" + i, 50 + random.nextInt(400), 1 + random.nextInt(400), 40));
        }
        NodeShape node = shape("n", new Resources(4000, 4000, 110, 0, 0));
        RequestTypes types = RequestTypes.of(new PackingProblem(DemandTable.of(Workload.of(groups)), node, Resources.ZERO));
        double[] value = new double[types.count()];
        long[] ub = new long[types.count()];
        for (int t = 0; t < types.count(); t++) {
            value[t] = random.nextDouble();
            ub[t] = types.pods(t);
        }
        PatternPricer.Result exact = new PatternPricer(types, 100_000_000).price(value, ub, 0, 5);
        PatternPricer.Result cut = new PatternPricer(types, 50).price(value, ub, 0, 5);
        assertThat(exact.exact()).isTrue();
        assertThat(cut.exact()).isFalse();
        assertThat(cut.best()).isLessThanOrEqualTo(exact.best() + 1e-9);
        assertThat(cut.upperBound()).isGreaterThanOrEqualTo(exact.best() - 1e-9);
    }

    private static double bruteForce(RequestTypes types, double[] value, long[] ub, int t, long[] used) {
        if (t == types.count()) {
            return 0;
        }
        double best = 0;
        for (long a = 0; a <= ub[t]; a++) {
            boolean ok = true;
            for (int k = 0; k < types.dimensions(); k++) {
                if (used[k] + a * types.size(t, k) > types.capacity(k)) {
                    ok = false;
                }
            }
            if (!ok) {
                break;
            }
            for (int k = 0; k < types.dimensions(); k++) {
                used[k] += a * types.size(t, k);
            }
            best = Math.max(best, a * value[t] + bruteForce(types, value, ub, t + 1, used));
            for (int k = 0; k < types.dimensions(); k++) {
                used[k] -= a * types.size(t, k);
            }
        }
        return best;
    }

    private static double patternValue(int[] pattern, double[] value) {
        double v = 0;
        for (int t = 0; t < pattern.length; t++) {
            v += pattern[t] * value[t];
        }
        return v;
    }

    private static boolean fits(RequestTypes types, int[] pattern, long[] ub) {
        for (int k = 0; k < types.dimensions(); k++) {
            long sum = 0;
            for (int t = 0; t < pattern.length; t++) {
                if (pattern[t] > ub[t]) {
                    return false;
                }
                sum += pattern[t] * types.size(t, k);
            }
            if (sum > types.capacity(k)) {
                return false;
            }
        }
        return true;
    }
}
