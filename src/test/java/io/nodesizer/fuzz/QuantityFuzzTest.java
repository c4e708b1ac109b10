package io.nodesizer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nodesizer.kube.Quantity;
import io.nodesizer.kube.QuantityFormatException;

/** Any string: the parser returns a value or throws QuantityFormatException, nothing else. */
final class QuantityFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parseNeverFailsUnexpectedly(String text) {
        try {
            Quantity.parse(text);
            Quantity.parseMillis(text);
        } catch (QuantityFormatException expected) {
            // a user mistake, reported as such
        }
    }
}
