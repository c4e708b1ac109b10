package io.nodesizer.input.manifest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * karpenter.sh/do-not-disrupt's duration form as Karpenter reads it (pkg/utils/pod/scheduling.go parseDoNotDisrupt): Go's
 * time.ParseDuration of the value as written, and more than 0; anything else is as if the annotation were absent.
 */
class EvictionAnnotationsTest {
    @Test
    void aGracePeriodIsAPositiveGoDurationAsWritten() {
        for (String ok : new String[]{"2h", "1h30m", "1.5h", "90s", "+5m", ".5s", "1ns", "0h1m"}) {
            assertThat(EvictionAnnotations.positiveGoDuration(ok)).as(ok).isTrue();
        }
        // Review 71b #8d: zero is refused ("must be positive"), so are a sign, spaces (Go trims none), a bare number other
        // than 0, a fraction of a nanosecond (Go keeps whole ones) and a sum past int64 nanoseconds.
        for (String no : new String[]{"0s", "0", "0h0m", "-5m", " 2h", "2h ", "5", "0.5ns", "true", "", "3000000h"}) {
            assertThat(EvictionAnnotations.positiveGoDuration(no)).as("'" + no + "'").isFalse();
        }
    }
}
