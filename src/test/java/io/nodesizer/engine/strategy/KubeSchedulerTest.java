package io.nodesizer.engine.strategy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

final class KubeSchedulerTest {

    @ParameterizedTest
    @CsvSource({
        // nodes, feasible nodes to find: below 100 all; else max(100, nodes × max(5, 50 − nodes/125) / 100)
        "10, 10",
        "99, 99",
        "100, 100",     // 50 − 0 = 50 % → 50, raised to the minimum 100
        "1000, 420",    // 50 − 8 = 42 %
        "5000, 500",    // 50 − 40 = 10 %
        "6000, 300",    // 50 − 48 = 2 % → floor 5 %
    })
    void feasibleNodesToFindFollowsTheAdaptiveDefault(int nodes, int expected) {
        assertThat(KubeScheduler.feasibleNodesToFind(nodes)).isEqualTo(expected);
    }
}
