package io.nodesizer.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Dollars per hour in a consolidate report, every figure by one rule: to four decimals, trailing zeros dropped down to cents
 * ($0.576, $0.0765, $0.58 for 0.58, $1,234.50), thousands grouped. Most catalog prices have at most four decimals, and so
 * their sums and differences are written exactly; a price of more (c7a.large's 0.10264; review 74 #6) is rounded, and the
 * saving is taken of the rounded figures ({@link #rounded}), so before − after on the page is the saving on it whatever the
 * figures; the one fleet reads the same in every plan (QA 73 F8: "$0.576/h → $0.192/h" in one plan, "$0.58/h → $0.58/h" for the same three
 * m5.xlarge in a plan that changed nothing, beside "0.4230" in its table and "$0.0390/h" in its notes).
 */
public final class PerHour {
    private PerHour() {
    }

    /** {@code dollars} as the rule above writes it, without the $ and the /h. */
    public static String format(double dollars) {
        return format(dollars, 4);
    }

    /** {@code dollars} to {@code decimals} decimals, trailing zeros dropped down to cents, thousands grouped. */
    public static String format(double dollars, int decimals) {
        if (!Double.isFinite(dollars)) {
            return String.valueOf(dollars);
        }
        BigDecimal v = BigDecimal.valueOf(dollars).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
        int shown = Math.max(2, v.scale());
        return String.format(Locale.ROOT, "%,." + shown + "f", v.setScale(shown, RoundingMode.UNNECESSARY));
    }

    /**
     * {@code before} − {@code after} as the page shows it: the difference of the two figures as {@link #format} writes them
     * (the one rule for a consolidate report's savings and gaps; review 74 #10: the report and the notes took it two ways).
     */
    public static double difference(double before, double after) {
        return rounded(rounded(before) - rounded(after));
    }

    /** {@code dollars} rounded as {@link #format} writes it: the figure a sum or difference of written figures is taken of. */
    public static double rounded(double dollars) {
        return Double.isFinite(dollars) ? BigDecimal.valueOf(dollars).setScale(4, RoundingMode.HALF_UP).doubleValue() : dollars;
    }
}
