package io.nodesizer.input;

import io.nodesizer.kube.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

final class ValuesTest {
    /**
     * QA c F4: a unit hint is a quantity the parser takes. apimachinery refuses a suffix after an exponent (1e3Mi: "'M' is
     * not allowed in the exponent"), so the number is written out: 1e3 = 1000, 0.5e3 = 500, 1.5e-1 = 0.15.
     */
    @ParameterizedTest
    @CsvSource({"1e3,1000Mi", "1E3,1000Mi", "0.5e3,500Mi", "1.5e-1,0.15Mi", "+512,512Mi", ".5,0.5Mi", "1024,1024Mi", "100.0,100Mi"})
    void aPlainNumberWithASuffixIsAQuantityTheParserTakes(String number, String hint) {
        assertThat(Values.withSuffix(number, "Mi")).isEqualTo(hint);
        assertThat(Quantity.parseUnits(hint)).isPositive();
    }
}
