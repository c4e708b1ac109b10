package io.nodesizer.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The consolidate report's $/h rule: four decimals, trailing zeros dropped down to cents, and savings as the page shows them. */
class PerHourTest {
    @Test
    void figuresKeepFourDecimalsDownToCents() {
        assertThat(PerHour.format(0.576)).isEqualTo("0.576");
        assertThat(PerHour.format(0.58)).isEqualTo("0.58");
        assertThat(PerHour.format(0.0765)).isEqualTo("0.0765");
        assertThat(PerHour.format(1234.5)).isEqualTo("1,234.50");
        assertThat(PerHour.format(0.10264)).isEqualTo("0.1026"); // a price of five decimals is rounded (review 74 #6)
    }

    /** Review 74 #10: before − after is the difference of the figures shown, not the figure of the difference. */
    @Test
    void aDifferenceIsThatOfTheFiguresShown() {
        // 0.10264 − 0.05132 = 0.05132, shown 0.0513; the figures shown are 0.1026 and 0.0513: 0.0513.
        assertThat(PerHour.difference(0.10264, 0.05132)).isEqualTo(0.0513);
        // 0.30795 − 0.10265: the difference 0.2053 would read 0.2053, the figures 0.308 (0.30795 up) and 0.1027 (up): 0.2053.
        assertThat(PerHour.difference(0.30795, 0.10265)).isEqualTo(0.2053);
        // 0.00005 − 0.00004: 0.00001 reads 0.0000, the figures 0.0001 and 0.0000: 0.0001.
        assertThat(PerHour.difference(0.00005, 0.00004)).isEqualTo(0.0001);
        assertThat(PerHour.format(PerHour.difference(0.00005, 0.00004))).isEqualTo("0.0001");
    }
}
