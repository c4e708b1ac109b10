package io.nodesizer.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class HaSizingTest {
    private static HaSizing.Rules rules(int min, HaSizing.Survive survive, int zones) {
        return new HaSizing.Rules(min, survive, zones, null);
    }

    @Test
    void losingANodeOrAZoneLeavesAtLeastThePackedNodes() {
        assertThat(HaSizing.nodes(5, rules(1, HaSizing.Survive.NONE, 1))).isEqualTo(5);
        assertThat(HaSizing.nodes(1, rules(2, HaSizing.Survive.NONE, 1))).isEqualTo(2);
        assertThat(HaSizing.nodes(5, rules(2, HaSizing.Survive.NODE, 1))).isEqualTo(6);
        assertThat(HaSizing.nodes(0, rules(2, HaSizing.Survive.NODE, 1))).isZero(); // nothing to run
        for (int zones = 2; zones <= 5; zones++) {
            for (int packed = 1; packed <= 40; packed++) {
                int n = HaSizing.nodes(packed, rules(1, HaSizing.Survive.ZONE, zones));
                int biggestZone = (n + zones - 1) / zones; // round-robin
                assertThat(n - biggestZone).as("%d packed, %d zones", packed, zones).isGreaterThanOrEqualTo(packed);
                int fewer = n - 1;
                assertThat(fewer - (fewer + zones - 1) / zones).as("the smallest such n").isLessThan(packed);
            }
        }
        assertThat(HaSizing.nodes(5, rules(1, HaSizing.Survive.ZONE, 3))).isEqualTo(8); // 8 − 3 = 5
        assertThat(HaSizing.nodes(2, rules(1, HaSizing.Survive.ZONE, 3))).isEqualTo(3);
    }

    /**
     * The HA count's own bound: from an optimal packing (bound = packed) the round-robin sizing of
     * pods not tied to zones is the least that survives, so the bound meets it; tied pods' spares
     * are not claimed; zones left that need fewer nodes than the packing lower the zone bound no
     * further than the packing's bound.
     */
    @Test
    void theHaBoundMeetsTheSizingOfAnOptimalPackingOfUntiedPods() {
        for (HaSizing.Survive survive : HaSizing.Survive.values()) {
            for (int zones = survive == HaSizing.Survive.ZONE ? 2 : 1; zones <= 5; zones++) {
                for (int min = 1; min <= 3; min++) {
                    HaSizing.Rules r = rules(min, survive, zones);
                    for (int packed = 1; packed <= 40; packed++) {
                        assertThat(HaSizing.lowerBound(packed, packed, -1, r)).as("%s %d zones, min %d, %d packed", survive, zones, min, packed)
                                .isEqualTo(HaSizing.nodes(packed, r));
                        assertThat(HaSizing.lowerBound(packed - 1, packed, -1, r)).as("a lower packing bound, a lower HA bound")
                                .isLessThanOrEqualTo(HaSizing.nodes(packed, r));
                    }
                }
            }
        }
        HaSizing.Rules tied = new HaSizing.Rules(1, HaSizing.Survive.NODE, 3, null, true);
        assertThat(HaSizing.lowerBound(6, 6, -1, tied)).as("a spare per zone is not claimed").isEqualTo(7);
        assertThat(HaSizing.nodes(6, tied)).isEqualTo(9);
        HaSizing.Rules zone = new HaSizing.Rules(1, HaSizing.Survive.ZONE, 3, null, true);
        assertThat(HaSizing.lowerBound(6, 6, 6, zone)).isEqualTo(9); // 9 − 3 = 6
        assertThat(HaSizing.lowerBound(6, 7, 2, zone)).as("never below the packing's bound").isEqualTo(6);
        assertThat(HaSizing.lowerBound(0, 0, -1, rules(2, HaSizing.Survive.NODE, 1))).as("nothing runs").isZero();
    }

    @Test
    void aZoneToSurviveNeedsTwoZones() {
        assertThatThrownBy(() -> rules(1, HaSizing.Survive.ZONE, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Pods that spread over zones stay in theirs: surviving a node takes a spare in every zone (6
     * one-per-node replicas with maxSkew 1 over 3 zones: 7 nodes leave some zone with 2, and losing
     * one there leaves room for 5; 9 hold them); surviving a zone is sized per zone ({@link
     * ZoneSurvivalTest}), so it needs what that sizing found.
     */
    @Test
    void zoneTiedPodsTakeASpareNodePerZoneAndAZoneIsSizedPerZone() {
        assertThat(HaSizing.nodes(6, new HaSizing.Rules(1, HaSizing.Survive.NODE, 3, null, true))).isEqualTo(9);
        assertThat(HaSizing.nodes(6, new HaSizing.Rules(1, HaSizing.Survive.NODE, 3, null, false))).isEqualTo(7);
        HaSizing.Rules zone = new HaSizing.Rules(1, HaSizing.Survive.ZONE, 3, null, true);
        assertThatThrownBy(() -> HaSizing.apply(List.of(), zone)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new HaSizing.Rules(2, HaSizing.Survive.NODE, 1, null).withZoneTied(true).zoneTied()).as("one zone ties nothing").isFalse();
    }
}
