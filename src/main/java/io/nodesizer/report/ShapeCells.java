package io.nodesizer.report;

import io.nodesizer.sweep.ShapeEvaluation;

/**
 * The nodes, bound and gap cells of a shape's row in the human tables ({@code recommend}'s ranking,
 * {@code rightsize}'s before and after): the packing's figures, and beside them the HA sizing's where
 * the nodes were sized to survive a loss, so that a gap of 0 % for the packing does not read as an
 * optimal HA count.
 */
final class ShapeCells {
    private ShapeCells() {
    }

    /** {@code 9 (+3 HA)}: the nodes to run, with the nodes the HA rules added. */
    static String nodes(ShapeEvaluation e) {
        return nodes(e.nodes(), e.nodes() - e.packedNodes());
    }

    /** {@code 9 (+3 HA)} from the nodes to run and the HA rules' share of them: a pool, a mix's total and a shape alike. */
    static String nodes(int nodes, int headroom) {
        // Grouped, as the notes write counts (QA 67c F12: 105264 beside "105,264 nodes").
        String n = String.format(java.util.Locale.ROOT, "%,d", nodes);
        return headroom > 0 ? n + " (+" + String.format(java.util.Locale.ROOT, "%,d", headroom) + " HA)" : n;
    }

    /** {@code 6 (HA 7)}: the packing's lower bound, and the HA sizing's when sized to survive. */
    static String bound(ShapeEvaluation e) {
        String packing = String.format(java.util.Locale.ROOT, "%,d", e.lowerBound().value());
        return e.sizedToSurvive() ? packing + " (HA " + String.format(java.util.Locale.ROOT, "%,d", e.haLowerBound()) + ")" : packing;
    }

    /** {@code 0.0 (HA 28.6)}: the packing's gap, and the HA sizing's when sized to survive. */
    static String gap(ShapeEvaluation e) {
        String packing = Fmt.pct(e.gapPercent());
        return e.sizedToSurvive() ? packing + " (HA " + Fmt.pct(e.haGapPercent()) + ")" : packing;
    }
}
