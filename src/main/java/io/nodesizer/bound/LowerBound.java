package io.nodesizer.bound;

import java.util.List;
import java.util.Objects;

/**
 * A lower bound on the number of nodes any packing needs, with how it was obtained.
 *
 * @param value  the best (largest) of the component bounds
 * @param method the component that gave {@code value}, e.g. {@code L2(memory)}
 * @param parts  every component bound computed, for reports that show their work
 */
public record LowerBound(int value, String method, List<Part> parts) {

    public LowerBound {
        Objects.requireNonNull(method, "method");
        parts = List.copyOf(parts);
        if (value < 0) {
            throw new IllegalArgumentException("A lower bound must be >= 0, got " + value);
        }
    }

    /** (nodes − bound) / bound in percent; 0 when both are 0 (nothing to place). */
    public double gapPercent(int nodes) {
        return gapPercent(value, nodes);
    }

    /** (nodes − bound) / bound in percent; 0 when both are 0, infinite when only the bound is. */
    public static double gapPercent(int bound, int nodes) {
        if (bound == 0) {
            return nodes == 0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return 100.0 * (nodes - bound) / bound;
    }

    /**
     * This bound with one more component; the component becomes the method when it is strictly
     * larger than every earlier one (so an LP bound that only ties L1 leaves L1 as the method).
     */
    public LowerBound with(Part part) {
        java.util.List<Part> all = new java.util.ArrayList<>(parts);
        all.add(part);
        return part.value() > value ? new LowerBound(part.value(), part.method(), all) : new LowerBound(value, method, all);
    }

    /** The largest component whose method does not start with {@code prefix} (0 when none). */
    public int valueWithout(String prefix) {
        int most = 0;
        for (Part p : parts) {
            if (!p.method().startsWith(prefix)) {
                most = Math.max(most, p.value());
            }
        }
        return most;
    }

    /** One component: e.g. method {@code L1(cpu)} with value 12. */
    public record Part(String method, int value) {
    }

    /**
     * The name of the pattern LP's part when it was taken over only the pods no pod rule places (the optimizer packs
     * those, the rules the rest): a valid bound, on part of the pods, so it may be far below L1 over all of them and is
     * not named as the whole problem's LP (QA 52b F2: "LP 4" beside "L1 7").
     */
    public static final String PARTIAL_LP = "LP(pods no rule places)";

    /** This bound with {@code other}'s LP part as it is: an LP over pods or rules the bounded packing must also place or keep. */
    public LowerBound withLp(LowerBound other) {
        return withLpAs(other, "LP");
    }

    /** This bound with {@code other}'s LP part (or partial LP part), taken over part of the same pods: named {@link #PARTIAL_LP}. */
    public LowerBound withPartialLp(LowerBound other) {
        return withLpAs(other, PARTIAL_LP);
    }

    private LowerBound withLpAs(LowerBound other, String name) {
        LowerBound out = this;
        for (Part part : other == null ? java.util.List.<Part>of() : other.parts()) {
            if (part.method().equals("LP") || part.method().equals(name)) {
                out = out.with(new Part(name, part.value()));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return value + " (" + method + ")";
    }
}
