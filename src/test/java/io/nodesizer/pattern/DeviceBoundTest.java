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

/**
 * The device bound against the exact device optimum by brute force (every count vector, each
 * checked with the engine's device assignment), on random small nodes with GPU shares and whole
 * GPUs: it must never fall below the optimum; and the checker must catch bounds that do.
 */
final class DeviceBoundTest {
    private static final int INSTANCES = 150;

    /** One random pricing problem with its exact optimum. */
    private record Instance(long seed, List<PodGroup> groups, int devices, RequestTypes types, double[] value, long[] ub,
                            double optimum, double pooledOptimum) {
    }

    private interface Bound {
        double of(Instance instance);
    }

    @Test
    void theBoundIsNeverBelowTheDeviceOptimumAndItsPatternFits() {
        int tighter = 0;
        for (Instance in : instances()) {
            DeviceBound.Result r = new DeviceBound(in.types).bound(in.value, in.ub);
            assertThat(r.bound()).as("seed %d", in.seed).isGreaterThanOrEqualTo(in.optimum - 1e-9);
            if (r.pattern() != null) {
                assertThat(feasible(in.types, r.pattern(), in.ub)).as("seed %d", in.seed).isTrue();
                assertThat(value(r.pattern(), in.value)).isLessThanOrEqualTo(in.optimum + 1e-9);
            }
            if (r.bound() < in.pooledOptimum - 1e-6) {
                tighter++;
            }
        }
        // Shares that cannot share a device are common in these instances: even the exact optimum
        // with GPUs pooled misses them.
        assertThat(tighter).isGreaterThan(INSTANCES / 30);
    }

    @Test
    void aPricingSearchCutShortStillBoundsTheDeviceOptimum() {
        for (Instance in : instances()) {
            for (long budget : new long[]{1, 20, 10_000_000}) {
                PatternPricer.Result r = new PatternPricer(in.types, budget).price(in.value, in.ub, 0, 5);
                assertThat(r.upperBound()).as("seed %d budget %d", in.seed, budget).isGreaterThanOrEqualTo(in.optimum - 1e-9);
                assertThat(r.best()).as("seed %d budget %d", in.seed, budget).isLessThanOrEqualTo(in.optimum + 1e-9);
                for (int[] p : r.patterns()) {
                    assertThat(feasible(in.types, p, in.ub)).isTrue();
                }
            }
        }
    }

    /** Mutation check: wrong bounds (one device too few; 2 % too low) are caught by the same comparison. */
    @Test
    void theCheckCatchesAnInvalidBound() {
        List<Instance> all = instances();
        assertThat(violations(all, in -> new DeviceBound(in.types).bound(in.value, in.ub).bound())).isZero();
        assertThat(violations(all, in -> {
            if (in.devices < 2) {
                return Double.POSITIVE_INFINITY;
            }
            RequestTypes fewer = types(in.groups, in.devices - 1);
            return fewer.count() != in.types.count() ? Double.POSITIVE_INFINITY
                    : new DeviceBound(fewer).bound(in.value, in.ub).bound();
        })).isPositive();
        assertThat(violations(all, in -> new DeviceBound(in.types).bound(in.value, in.ub).bound() * 0.98)).isPositive();
    }

    private static int violations(List<Instance> all, Bound bound) {
        int bad = 0;
        for (Instance in : all) {
            if (bound.of(in) < in.optimum - 1e-9) {
                bad++;
            }
        }
        return bad;
    }

    private static List<Instance> instances() {
        List<Instance> out = new ArrayList<>();
        for (long seed = 1; seed <= INSTANCES; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int devices = 1 + random.nextInt(4);
            int n = 2 + random.nextInt(5);
            List<PodGroup> groups = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long gpu = switch (random.nextInt(6)) {
                    case 0 -> 0;
                    case 1 -> 1000L * (1 + random.nextInt(2));
                    default -> 50L * (1 + random.nextInt(19)); // a share, 0.05..0.95
                };
                groups.add(group("g" + i, new Resources(100 + random.nextInt(3000), 1 + random.nextInt(6000), 1, gpu, 0),
                        1 + random.nextInt(6)));
            }
            RequestTypes types = types(groups, devices);
            double[] value = new double[types.count()];
            long[] ub = new long[types.count()];
            for (int t = 0; t < types.count(); t++) {
                value[t] = random.nextInt(6) == 0 ? 0 : random.nextDouble();
                ub[t] = types.pods(t);
            }
            double optimum = bruteForce(types, value, ub, 0, new int[types.count()], true);
            double pooled = bruteForce(types, value, ub, 0, new int[types.count()], false);
            out.add(new Instance(seed, groups, devices, types, value, ub, optimum, pooled));
        }
        return out;
    }

    private static RequestTypes types(List<PodGroup> groups, int devices) {
        NodeShape node = shape("n", new Resources(8000, 16000, 12, 1000L * devices, 0));
        return RequestTypes.of(new PackingProblem(DemandTable.of(Workload.of(groups)), node, Resources.ZERO));
    }

    /**
     * The best value over every count vector that fits the resources and (when {@code onDevices})
     * the devices by the engine's assignment; else with the GPUs pooled.
     */
    private static double bruteForce(RequestTypes types, double[] value, long[] ub, int t, int[] counts, boolean onDevices) {
        if (t == types.count()) {
            return !onDevices || types.holdsOnDevices(counts) ? value(counts, value) : Double.NEGATIVE_INFINITY;
        }
        double best = Double.NEGATIVE_INFINITY;
        long most = types.fits(t) ? ub[t] : 0;
        for (int a = 0; a <= most; a++) {
            counts[t] = a;
            if (!withinResources(types, counts)) {
                break;
            }
            best = Math.max(best, bruteForce(types, value, ub, t + 1, counts, onDevices));
        }
        counts[t] = 0;
        return best;
    }

    private static boolean withinResources(RequestTypes types, int[] counts) {
        for (int k = 0; k < types.dimensions(); k++) {
            long sum = 0;
            for (int t = 0; t < counts.length; t++) {
                sum += counts[t] * types.size(t, k);
            }
            if (sum > types.capacity(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean feasible(RequestTypes types, int[] counts, long[] ub) {
        for (int t = 0; t < counts.length; t++) {
            if (counts[t] < 0 || counts[t] > ub[t] || (counts[t] > 0 && !types.fits(t))) {
                return false;
            }
        }
        return withinResources(types, counts) && types.holdsOnDevices(counts);
    }

    private static double value(int[] counts, double[] value) {
        double v = 0;
        for (int t = 0; t < counts.length; t++) {
            v += counts[t] * value[t];
        }
        return v;
    }
}
