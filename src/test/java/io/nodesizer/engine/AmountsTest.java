package io.nodesizer.engine;

import io.nodesizer.model.Resource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Amounts in running text: cores and GiB grouped by thousands as money and counts are (QA 47: "72761.612 CPU" beside "$234,804.79"). */
final class AmountsTest {
    @Test
    void runningTextGroupsThousandsAndKeepsTheDecimals() {
        assertThat(Amounts.formatGrouped(Resource.CPU, 72_761_612)).isEqualTo("72,761.612");
        assertThat(Amounts.formatGrouped(Resource.MEMORY, 262_209L << 30)).isEqualTo("262,209");
        assertThat(Amounts.formatGrouped(Resource.CPU, 999_500)).isEqualTo("999.5");
        assertThat(Amounts.formatGrouped(Resource.CPU, 1_000_000)).isEqualTo("1,000");
        assertThat(Amounts.group("-1234567.5")).isEqualTo("-1,234,567.5");
        assertThat(Amounts.group("0.125")).isEqualTo("0.125");
    }
}
