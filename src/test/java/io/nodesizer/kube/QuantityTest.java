package io.nodesizer.kube;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cases follow apimachinery's quantity grammar and rounding (k8s.io/apimachinery/pkg/api/resource/quantity.go). */
final class QuantityTest {

    @ParameterizedTest
    @CsvSource({
        // text, exact value
        "0, 0",
        "1, 1",
        "+1, 1",
        "-1, -1",
        "007, 7",          // leading zeros are stripped
        "1.5, 1.5",
        ".5, 0.5",         // <number> ::= .<digits>
        "5., 5",           // <number> ::= <digits>.
        "500m, 0.5",
        "1n, 0.000000001",
        "1u, 0.000001",
        "1k, 1000",
        "1M, 1000000",
        "2G, 2000000000",
        "1T, 1000000000000",
        "1P, 1000000000000000",
        "1E, 1000000000000000000",   // E alone is exa, not an exponent
        "1Ki, 1024",
        "1Mi, 1048576",
        "1.5Gi, 1610612736",
        "1Ti, 1099511627776",
        "1Pi, 1125899906842624",
        "1Ei, 1152921504606846976",
        "1e3, 1000",
        "1E3, 1000",
        "1e-3, 0.001",
        "1e+3, 1000",
        "1.5e3, 1500",
    })
    void parsesAsApimachineryDoes(String text, String expected) {
        assertThat(Quantity.parse(text)).isEqualByComparingTo(new BigDecimal(expected));
    }

    @ParameterizedTest
    @CsvSource({
        // CPU text, millicores as the scheduler sees them (MilliValue rounds up)
        "250m, 250",
        "1, 1000",
        "1.5, 1500",
        "0.1m, 1",          // rounded up to 1m, never to zero
        "0.0001, 1",
        "1e3, 1000000",
        "2500u, 3",
    })
    void cpuRoundsUpToWholeMillicores(String text, long expected) {
        assertThat(Quantity.parseMillis(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "512Mi, 536870912",
        "1Gi, 1073741824",
        "1G, 1000000000",
        "100m, 1",          // a tenth of a byte is one byte (Value rounds up)
        "0.5, 1",
        "1e9, 1000000000",
    })
    void memoryRoundsUpToWholeBytes(String text, long expected) {
        assertThat(Quantity.parseUnits(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1 Gi", "1.5.5Gi", "Gi", "1K", "1e", "abc", "1Gii", "--1", "1e3.5", "0x10", "1,5", "1gi", "."})
    void rejectsWhatIsNotAQuantity(String text) {
        assertThatThrownBy(() -> Quantity.parse(text)).isInstanceOf(QuantityFormatException.class)
                .hasMessageContaining("expected a Kubernetes quantity");
    }

    /** YAML's .inf and .nan are said to be what YAML reads them as, not "no digits" (QA 61d F6). */
    @ParameterizedTest
    @ValueSource(strings = {".inf", "-.Inf", ".nan", ".NaN"})
    void yamlsSpecialFloatsAreNamed(String text) {
        assertThatThrownBy(() -> Quantity.parse(text)).isInstanceOf(QuantityFormatException.class)
                .hasMessageContaining(text.toLowerCase(java.util.Locale.ROOT).contains("nan") ? "YAML reads it as not-a-number" : "YAML reads it as infinity");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-500m", "-1Gi"})
    void rejectsNegativeRequests(String text) {
        assertThatThrownBy(() -> Quantity.parseUnits(text)).isInstanceOf(QuantityFormatException.class)
                .hasMessageContaining("non-negative");
    }

    @ParameterizedTest
    @CsvSource({
        // found by fuzzing: huge exponents must fail fast, tiny ones round up to a nano like apimachinery
        "1e-888888888, 0.000000001",
        "0.0000000001, 0.000000001",
        "1.0000000001, 1.000000001",
    })
    void valuesBelowOneNanoRoundUpToANano(String text, String expected) {
        assertThat(Quantity.parse(text)).isEqualByComparingTo(new BigDecimal(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "8Ei", "1e19", "99999999999999999999999", "1e888888888", "1e88888888", "1e31", "1.5e30"})
    void rejectsValuesBeyondInt64(String text) {
        assertThatThrownBy(() -> Quantity.parseUnits(text)).isInstanceOf(QuantityFormatException.class).hasMessageContaining("int64");
    }

    /** CPU overflows in millicores, which the message names: 1E is 10^18 cores, within int64, but 10^21 millicores (QA 50a). */
    @Test
    void cpuBeyondInt64MillicoresSaysSo() {
        assertThatThrownBy(() -> Quantity.parseMillis("1E")).isInstanceOf(QuantityFormatException.class)
                .hasMessageContaining("it is 1000000000000000000000 millicores, beyond int64");
        assertThatThrownBy(() -> Quantity.parseMillis(String.valueOf(Long.MAX_VALUE))).hasMessageContaining("millicores, beyond int64");
        assertThatThrownBy(() -> Quantity.parseMillis("1e29")).hasMessageContaining("about 10^");
        assertThat(Quantity.parseMillis("9223372036854775m")).isEqualTo(9223372036854775L);
    }

    /**
     * Extended resources are counted in thousandths: 700Pi of hugepages is a quantity the API server takes, and the
     * error says it is nodesizer's count that ends there, not millicores (the consolidate review's hugepages finding).
     */
    @Test
    void extendedAmountsBeyondInt64ThousandthsSaySo() {
        assertThat(Quantity.parseThousandths("2")).isEqualTo(2000);
        assertThat(Quantity.parseThousandths("1Gi")).isEqualTo(1000L << 30);
        assertThat(Quantity.parseThousandths("9223372036854775")).isEqualTo(9223372036854775000L);
        assertThatThrownBy(() -> Quantity.parseThousandths("700Pi")).isInstanceOf(QuantityFormatException.class)
                .hasMessageContaining("thousandths of a unit").hasMessageContaining("at most 9223372036854775 units")
                .hasMessageNotContaining("millicores");
        assertThatThrownBy(() -> Quantity.parseThousandths("-1")).hasMessageContaining("negative");
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2.0, 2", "8, 8", "1e1, 10"})
    void wholeCountsAcceptIntegers(String text, long expected) {
        assertThat(Quantity.parseWholeCount(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "500m"})
    void wholeCountsRejectFractions(String text) {
        assertThatThrownBy(() -> Quantity.parseWholeCount(text)).isInstanceOf(QuantityFormatException.class).hasMessageContaining("whole");
    }
}
