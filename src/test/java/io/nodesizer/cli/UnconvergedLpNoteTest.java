package io.nodesizer.cli;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.model.Resources;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 67b F1/F2: on openb default over 32-core 4-GPU nodes the pattern LP's column generation stopped with a Farley bound
 * of 2,114 against L1(cpu) 2,542 (a converged LP is at least every such bound): the report says the LP did not prove its
 * optimum and the gap rests on the other bound; a converged or absent LP entry says nothing.
 */
final class UnconvergedLpNoteTest {
    private static ShapeEvaluation packed(int nodes, LowerBound bound) {
        return new ShapeEvaluation(Fixtures.priced("gpu4", 32_000, 128L << 30, 4000, 1.0), "optimize", 8000, nodes, bound, List.of(),
                Resources.ZERO, Resources.ZERO, 0.9, 0.8, 0, 0, List.of(), 0, true);
    }

    @Test
    void saidWhereTheLpEntryIsBelowTheBoundTheGapIsTakenFrom() {
        LowerBound cut = new LowerBound(2542, "L1(cpu)", List.of(new LowerBound.Part("L1(cpu)", 2542), new LowerBound.Part("LP", 2114)));
        assertThat(CommonOptions.unconvergedLpNote(packed(2626, cut))).hasValue("the optimizer's pattern LP stopped before proving its "
                + "optimum on gpu4 (its searches for node patterns were cut short, as the GPU devices make them hard): its bound, 2,114, is "
                + "below L1(cpu), 2,542, the bound the gap of 3.3 % is taken from; the LP relaxation is at least that, so part of the gap "
                + "may be the bound's, not the packing's");
        LowerBound proved = new LowerBound(2600, "LP", List.of(new LowerBound.Part("L1(cpu)", 2542), new LowerBound.Part("LP", 2600)));
        assertThat(CommonOptions.unconvergedLpNote(packed(2626, proved))).isEmpty();
        // An LP taken without a rule (one zone's view) is below the zone bound by right: no note (review 67).
        LowerBound zoned = new LowerBound(2700, "zones", List.of(new LowerBound.Part("L1(cpu)", 2542), new LowerBound.Part("LP", 2600),
                new LowerBound.Part("zones", 2700)));
        assertThat(CommonOptions.unconvergedLpNote(packed(2750, zoned))).isEmpty();
        // At its bound (a gap of 0 %) the packing is proven optimal: nothing of the gap can be the bound's (QA 69c F2).
        assertThat(CommonOptions.unconvergedLpNote(packed(2542, cut))).isEmpty();
        LowerBound none = new LowerBound(2542, "L1(cpu)", List.of(new LowerBound.Part("L1(cpu)", 2542)));
        assertThat(CommonOptions.unconvergedLpNote(packed(2626, none))).isEmpty();
    }
}
