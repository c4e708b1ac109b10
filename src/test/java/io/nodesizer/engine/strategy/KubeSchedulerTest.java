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

    /**
     * BalancedAllocation by hand (balanced_allocation.go, 1.24–1.33): fractions 0.5 and 0.25 give
     * std 0.125, score ⌊87.5⌋ = 87; a fraction above 1 counts as 1; equal fractions 100.
     */
    @ParameterizedTest
    @CsvSource({
        "4000, 8000, 8, 32, 87",
        "4000, 8000, 16, 32, 100",
        "12000, 8000, 0, 32, 50",
        "0, 8000, 0, 32, 100",
    })
    void balancedAllocationIsOneMinusTheStandardDeviation(long cpu, long allocCpu, long memGib, long allocMemGib, long expected) {
        long gib = 1L << 30;
        assertThat(KubeScheduler.balancedAllocation(cpu, allocCpu, memGib * gib, allocMemGib * gib)).isEqualTo(expected);
    }

    /**
     * The default profile adds LeastAllocated and BalancedAllocation: a node at 2 of 8 CPU and 24 of
     * 32 GiB scores ⌊(75 + 25) / 2⌋ = 50 + ⌊(1 − 0.25) × 100⌋ = 75, 125 in all; the NodeResourcesFit
     * variants score it alone; the bin-packing profile is MostAllocated (⌊(25 + 75) / 2⌋ = 50) + 75.
     */
    @org.junit.jupiter.api.Test
    void profilesAddBalancedAllocationToNodeResourcesFit() {
        long gib = 1L << 30;
        assertThat(KubeScheduler.Scoring.DEFAULT_PROFILE.score(2000, 2000, 8000, 24 * gib, 24 * gib, 32 * gib, true)).isEqualTo(125);
        assertThat(KubeScheduler.Scoring.LEAST_ALLOCATED.score(2000, 2000, 8000, 24 * gib, 24 * gib, 32 * gib, true)).isEqualTo(50);
        assertThat(KubeScheduler.Scoring.BIN_PACKING_PROFILE.score(2000, 2000, 8000, 24 * gib, 24 * gib, 32 * gib, true)).isEqualTo(125);
        assertThat(KubeScheduler.Scoring.MOST_ALLOCATED.score(2000, 2000, 8000, 24 * gib, 24 * gib, 32 * gib, true)).isEqualTo(50);
        // The non-zero defaults count for NodeResourcesFit only: a pod with no requests on an empty node
        // scores ⌊(⌊98.75⌋ + ⌊99.39⌋) / 2⌋ = 98 there, and BalancedAllocation skips a best-effort pod (review 75 F2).
        assertThat(KubeScheduler.Scoring.DEFAULT_PROFILE.score(100, 0, 8000, 200L << 20, 0, 32 * gib,
                KubeScheduler.balancedAllocationScores(0, 0))).isEqualTo(98);
        // Only a pod requesting neither: one that requests memory alone is scored (its cpu fraction 0).
        assertThat(KubeScheduler.balancedAllocationScores(0, 1)).isTrue();
        assertThat(KubeScheduler.balancedAllocationScores(1, 0)).isTrue();
    }
}
