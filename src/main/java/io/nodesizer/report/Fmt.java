package io.nodesizer.report;

import io.nodesizer.engine.Amounts;
import io.nodesizer.model.Resource;

import java.util.Locale;

/** Cell formatting shared by the renderers; "n/a" for anything unknown. */
final class Fmt {
    /**
     * The inputs a title names, in parentheses: "(cluster.json)", "(a.json, b.json)"; standard input alone is "(stdin)", the
     * name the errors give it, not "((stdin))" (QA 74 F7).
     */
    static String inParens(java.util.List<String> sources) {
        String joined = String.join(", ", sources);
        return sources.size() == 1 && joined.startsWith("(") && joined.endsWith(")") ? joined : "(" + joined + ")";
    }

    static final String NA = "n/a";

    private Fmt() {
    }

    static String money(Double v) {
        return v == null ? NA : String.format(Locale.ROOT, "%,.2f", v);
    }

    /**
     * The decimals of a cost per hour in recommend's and pack's reports, as of a node's price (JSON and CSV pricePerHour):
     * the most a bundled catalog price has (500 AWS prices have five, such as c7a.large's 0.10264), so that a price times
     * whole nodes is written exactly, $/h × 730 is the $/month beside it and a mix's pools add up to its total. At four,
     * m7a.4xlarge × 8 ($7.41888/h) read 7.4189, × 730 = 5,415.80 beside $5,415.78/month; the tables' two read 7.42 (5,416.60).
     */
    static final int PER_HOUR_DECIMALS = 6;

    /** A cost per hour in a human table: to {@link #PER_HOUR_DECIMALS}, trailing zeros dropped down to cents: 9.216, 0.10264, 6.30. */
    static String perHour(Double v) {
        return v == null ? NA : io.nodesizer.model.PerHour.format(v, PER_HOUR_DECIMALS);
    }

    static String price(Double v) {
        return v == null ? NA : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Up to three decimals, no trailing zeros, with thousands separators: 1,284.172, 48, 0.125. */
    static String grouped(double v) {
        return Amounts.group(Amounts.trim(v));
    }

    /** A count with its noun in running text, thousands grouped: "1 eviction", "3,127 evictions". */
    static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? NA : Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String ratio(double fraction) {
        return Double.isNaN(fraction) ? NA : String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }

    /**
     * A fraction as "97.2 %" in running text, or "n/a" alone when there was nothing to divide by
     * (no node): not "n/a %". Table cells under a "%" header use {@link #ratio}.
     */
    static String percent(double fraction) {
        return Double.isNaN(fraction) ? NA : ratio(fraction) + " %";
    }

    /**
     * CPU cores in a human report's cell or line, thousands grouped as its money and stranded
     * columns are (QA 52a F8: "alloc GiB 1487.296" beside "stranded GiB 1,015.046"); CSV and JSON
     * write base units and never come here.
     */
    static String cpu(long millis) {
        return Amounts.formatGrouped(Resource.CPU, millis);
    }

    /** GiB of memory in a human report, grouped as {@link #cpu}. */
    static String gib(long bytes) {
        return Amounts.formatGrouped(Resource.MEMORY, bytes);
    }

    static String amount(Resource r, long v) {
        return Amounts.format(r, v);
    }

    /** Rounds for machine output so that JSON does not carry float noise. */
    /**
     * The difference of two costs as a report writes them, each to {@code decimals}, so that before − after on the page
     * is the saving on the page (QA 51c F3: $782.63 − $587.01 beside "saving $195.63").
     */
    static double shownDifference(double before, double after, int decimals) {
        return round(round(before, decimals) - round(after, decimals), decimals);
    }

    /**
     * The decimals, from two up to {@code max}, at which the costs as written differ by the saving itself: two, unless
     * rounding each to the cent gives another saving than the saving to the cent (consolidate, QA 61a F9: "$0.19/h →
     * $0.10/h, saving $0.10/h"; rightsize, QA 67c F2: "$0.35/h" for 0.344).
     */
    static int savingDecimals(double before, double after, int max) {
        int d = 2;
        while (d < max && shownDifference(before, after, d) != round(before - after, d)) {
            d++;
        }
        return d;
    }

    static double round(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return v;
        }
        return java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
