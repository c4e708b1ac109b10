package io.nodesizer.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Above {@link CommonOptions#AUTO_THOROUGH_LIMIT} pods {@code auto} runs ffd alone; where its packing ends well above the
 * bound, a note says another strategy may close part of the gap (QA 51b: 18.4 % on 1M openb pods, 1.7 % with
 * kube-most-allocated), and only then.
 */
final class LargeWorkloadNoteTest {
    @Test
    void saidOnlyForAutoAboveTheLimitWithAGap() {
        long large = CommonOptions.AUTO_THOROUGH_LIMIT + 1;
        assertThat(CommonOptions.largeWorkloadNote("auto", large, 18.4, false)).hasValueSatisfying(n -> assertThat(n)
                .startsWith("above 20,000 pods the default strategies are ffd alone, and the packing is 18.4 % above the bound")
                .contains("kube-most-allocated").contains("or the optimizer (optimize; auto leaves it out past 200,000 pods"));
        // The optimizer ran and left a gap: said so, and not suggested again (QA 65a F2).
        assertThat(CommonOptions.largeWorkloadNote("auto", large, 6, true)).hasValueSatisfying(n -> assertThat(n)
                .startsWith("above 20,000 pods the default strategies are ffd alone and the optimizer, and the packing is 6 %")
                .doesNotContain("or the optimizer"));
        assertThat(CommonOptions.largeWorkloadNote("auto", CommonOptions.AUTO_THOROUGH_LIMIT, 18.4, false)).isEmpty(); // the thorough set ran
        assertThat(CommonOptions.largeWorkloadNote("ffd", large, 18.4, false)).isEmpty(); // the user chose it
        assertThat(CommonOptions.largeWorkloadNote("auto", large, 3, false)).isEmpty(); // close enough
        assertThat(CommonOptions.largeWorkloadNote("auto", large, Double.NaN, false)).isEmpty();
    }
}
