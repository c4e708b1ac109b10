package io.nodesizer.replay;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Durations in whole seconds: fractions of a second exit 2 rather than being rounded up in silence (QA 48b). */
final class DurationsTest {
    private static long seconds(String text) {
        return Durations.wholeSeconds(text, SourceLocation.ofFile("--scan-interval"), "scan interval");
    }

    @Test
    void wholeSecondsInAnyUnitAreTaken() {
        assertThat(seconds("90s")).isEqualTo(90);
        assertThat(seconds("1.5m")).isEqualTo(90);
        assertThat(seconds("1h30m")).isEqualTo(5400);
        assertThat(seconds("2000ms")).isEqualTo(2);
        assertThat(seconds("PT4M")).isEqualTo(240);
        assertThat(seconds("0")).isZero();
    }

    @Test
    void aFractionOfASecondIsRefusedNamingTheOption() {
        for (String text : new String[] {"1ms", "1.5s", "PT0.5S", "1m0.5s"}) {
            assertThatThrownBy(() -> seconds(text)).as(text).isInstanceOf(InputException.class)
                    .hasMessageContaining("--scan-interval").hasMessageContaining("(" + text + ") must be whole seconds");
        }
        assertThatThrownBy(() -> seconds("1ms")).hasMessageContaining("give 1s, say");
        assertThatThrownBy(() -> seconds("1.5s")).hasMessageContaining("give 2s, say");
        // Not a setting of the replay's clock (an optimizer's time limit, review 48): rounded up as before.
        assertThat(Durations.seconds("1500ms", SourceLocation.ofFile("--time-limit"), "time limit")).isEqualTo(2);
        assertThat(Durations.seconds("PT0.5S", SourceLocation.ofFile("--min-history"), "minimum history")).isEqualTo(1);
    }
}
