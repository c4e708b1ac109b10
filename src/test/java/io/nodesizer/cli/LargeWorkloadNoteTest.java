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
        assertThat(CommonOptions.largeWorkloadNote("auto", large, 18.4)).hasValueSatisfying(n -> assertThat(n)
                .startsWith("above 20,000 pods the default strategies are ffd alone, and its packing is 18.4 % above the bound")
                .contains("kube-most-allocated"));
        assertThat(CommonOptions.largeWorkloadNote("auto", CommonOptions.AUTO_THOROUGH_LIMIT, 18.4)).isEmpty(); // the thorough set ran
        assertThat(CommonOptions.largeWorkloadNote("ffd", large, 18.4)).isEmpty(); // the user chose it
        assertThat(CommonOptions.largeWorkloadNote("auto", large, 3)).isEmpty(); // close enough
        assertThat(CommonOptions.largeWorkloadNote("auto", large, Double.NaN)).isEmpty();
    }
}
