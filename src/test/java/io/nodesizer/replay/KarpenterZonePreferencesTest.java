package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.ZoneReplayTest.Watched;
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.demand.TimePoints;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static io.nodesizer.replay.ZoneReplayTest.perZone;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fix 76e: Karpenter's preferences on the zone under {@code preferencePolicy: Respect}, required until relaxed as its scheduler
 * holds them (topology.go {@code newForAffinities}, topologygroup.go {@code nextDomainAffinity}, {@code nextDomainAntiAffinity};
 * a preferred node term by its requirements), in provisioning (which zone a claim launches in) and in consolidation's
 * simulation; under Ignore the pool balances its nodes over the zones as before. Every placement is also asserted in
 * {@link Pods#place} (assertions are on in the tests).
 */
final class KarpenterZonePreferencesTest {
    private static final Pool MID = ReplayFixtures.pool(0, "mid", 4000, 16 * GIB, 0.19);
    private static final List<String> NAMES = List.of("zone-a", "zone-b", "zone-c");

    private static Placement.PodAffinityTerm selects(String app, String key) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, key, null);
    }

    private static Placement.WeightedPodTerm prefers(String app, String key) {
        return new Placement.WeightedPodTerm(100, selects(app, key));
    }

    /** A group of {@code app} with required anti-affinity {@code anti} and the preferences {@code affinity}, {@code antiAffinity}, {@code nodeTerms}. */
    private static PodGroup group(String app, long cpuMillis, List<Placement.PodAffinityTerm> anti, List<Placement.WeightedPodTerm> affinity,
                                  List<Placement.WeightedPodTerm> antiAffinity, List<Placement.WeightedTerm> nodeTerms) {
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", app), anti, List.of(), List.of())
                .withPreferences(new Placement.Preferences(nodeTerms, affinity, antiAffinity, false));
        return new PodGroup(app, "test", new Resources(cpuMillis, GIB, 1, 0, 0), 1, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    private static PodGroup plain(String app, long cpuMillis) {
        return group(app, cpuMillis, List.of(), List.of(), List.of(), List.of());
    }

    /** One pod per {@code groups} entry, arriving at {@code arrive} and leaving at {@code leave} (STAYS: stays). */
    private static PodStream stream(List<PodGroup> groups, long[] arrive, long[] leave) {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int g = 0; g < groups.size(); g++) {
            b.add(g, 0, arrive[g], leave[g]);
        }
        return b.build();
    }

    private static long[] stays(int n) {
        long[] out = new long[n];
        java.util.Arrays.fill(out, PodStream.STAYS);
        return out;
    }

    private static Karpenter karpenter(Karpenter.PreferencePolicy policy) {
        return new Karpenter(new Karpenter.Settings(Karpenter.Settings.BATCH_IDLE, Karpenter.Settings.BATCH_MAX,
                Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 0, Karpenter.Settings.POLL_PERIOD, 100, Karpenter.Budget.DEFAULT,
                Karpenter.Settings.EXPIRE_AFTER, Karpenter.Settings.NEVER, policy));
    }

    private static Replay.Settings settings() {
        return Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold().withZones(NAMES);
    }

    /** The zone the one pod of {@code group} runs in at the end. */
    private static int zoneOf(Watched w, int group) {
        int[] n = perZone(w.cluster, group);
        for (int z = 0; z < n.length; z++) {
            if (n[z] > 0) {
                return z;
            }
        }
        throw new AssertionError("group " + group + " runs nowhere");
    }

    /**
     * cache (3 CPU) runs on a node in zone-a; filler (3 CPU) at 5 m gets one in zone-b (the pool balances); web (3 CPU), at 10
     * m, prefers the cache's zone. Respect: its claim's zone requirement narrows to the zone a cache is counted in (zone-a).
     * Ignore: the pool balances, zone-c. Before, Respect launched it in zone-c too (the preference was only named in a note).
     */
    @Test
    void aPodPreferringTheZoneOfARunningCacheGetsAClaimThereUnderRespectAnywhereUnderIgnore() {
        List<PodGroup> groups = List.of(plain("cache", 3000), plain("filler", 3000),
                group("web", 3000, List.of(), List.of(prefers("cache", PodConflicts.ZONE)), List.of(), List.of()));
        PodStream s = stream(groups, new long[]{0, 300, 600}, stays(3));
        Watched respect = new Watched(karpenter(Karpenter.PreferencePolicy.RESPECT));
        ReplayResult r = Replay.run(s, List.of(MID), respect, settings());
        assertThat(r.scaleUps()).isEqualTo(3);
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(zoneOf(respect, 0)).isZero();
        assertThat(zoneOf(respect, 2)).as("web beside the cache's zone").isZero();
        Watched ignore = new Watched(karpenter(Karpenter.PreferencePolicy.IGNORE));
        ReplayResult ri = Replay.run(s, List.of(MID), ignore, settings());
        assertThat(ri.scaleUps()).isEqualTo(3);
        assertThat(zoneOf(ignore, 2)).as("the pool balances its zones").isEqualTo(2);
    }

    /**
     * api-1, api-2, api-3 and api-4 (3 CPU each, one to a node) prefer to keep off each other's zone (their own selector), and
     * arrive 5 minutes apart; api-1 runs in zone-a, then filler-1 and filler-2 (3 CPU) take nodes in zone-b and zone-c. Respect:
     * each api claim's zone requirement narrows to the zones with no api pod counted (nextDomainAntiAffinity: the empty
     * domains), so api-2 goes to zone-b and api-3 to zone-c; api-4 finds no zone empty, is relaxed and launched where the pool
     * balances (zone-a). Ignore: the pool balances its nodes, api-2 beside api-1 in zone-a (every zone had one node), api-3 in
     * zone-b. Anti-affinity is not tracked the other way (a filler may go anywhere).
     */
    @Test
    void aPreferredZoneAntiAffinitySpreadsReplicasOverTheZonesUntilRelaxed() {
        List<PodGroup> groups = List.of(plain("filler-1", 3000), plain("filler-2", 3000), api("api-1"), api("api-2"), api("api-3"), api("api-4"));
        PodStream s = stream(groups, new long[]{300, 300, 0, 600, 900, 1200}, stays(6));
        Watched respect = new Watched(karpenter(Karpenter.PreferencePolicy.RESPECT));
        ReplayResult r = Replay.run(s, List.of(MID), respect, settings());
        assertThat(r.scaleUps()).isEqualTo(6);
        assertThat(r.pendingAtEnd()).isZero();
        int[] apis = new int[3];
        for (int g = 2; g < 5; g++) {
            apis[zoneOf(respect, g)]++;
        }
        assertThat(apis).as("api-1..3 one per zone").containsExactly(1, 1, 1);
        assertThat(perZone(respect.cluster, 5)).as("api-4, relaxed").containsExactly(1, 0, 0);
        Watched ignore = new Watched(karpenter(Karpenter.PreferencePolicy.IGNORE));
        Replay.run(s, List.of(MID), ignore, settings());
        int[] ignored = new int[3];
        for (int g = 2; g < 5; g++) {
            ignored[zoneOf(ignore, g)]++;
        }
        assertThat(ignored).as("the pool balances: api-1 and api-2 share zone-a").containsExactly(2, 1, 0);
    }

    private static PodGroup api(String name) {
        Placement.PodAffinityTerm apis = new Placement.PodAffinityTerm(Map.of(), List.of(new Placement.Requirement("app", Placement.Operator.IN,
                List.of("api-1", "api-2", "api-3", "api-4"))), List.of(), false, false, PodConflicts.ZONE, null);
        return group(name, 3000, List.of(), List.of(), List.of(new Placement.WeightedPodTerm(100, apis)), List.of());
    }

    /**
     * A preferred node term on zone-c (weight 10): Respect launches web's claim there; Ignore where the pool balances (zone-a).
     */
    @Test
    void aPreferredNodeTermOnTheZoneNarrowsTheClaimToIt() {
        Placement.WeightedTerm zoneC = new Placement.WeightedTerm(10, new Placement.Term(List.of(new Placement.Requirement(PodConflicts.ZONE,
                Placement.Operator.IN, List.of("zone-c"))), List.of()));
        List<PodGroup> groups = List.of(group("web", 3000, List.of(), List.of(), List.of(), List.of(zoneC)));
        PodStream s = stream(groups, new long[]{0}, stays(1));
        Watched respect = new Watched(karpenter(Karpenter.PreferencePolicy.RESPECT));
        Replay.run(s, List.of(MID), respect, settings());
        assertThat(zoneOf(respect, 0)).isEqualTo(2);
        Watched ignore = new Watched(karpenter(Karpenter.PreferencePolicy.IGNORE));
        Replay.run(s, List.of(MID), ignore, settings());
        assertThat(zoneOf(ignore, 0)).isZero();
    }

    /**
     * Consolidation's simulation keeps a preferred zone affinity: web (1 CPU, preferring the cache's zone) first ran beside x
     * (2.5 CPU) and z (0.25 CPU) in zone-a, before any cache ran (its affinity relaxed: no target anywhere). cache (3.5 CPU) then
     * runs in zone-b, y (3 CPU) in zone-c. x leaves at 20 m: web's node could go if web moved to y's (zone-c, 1 CPU free) and z
     * beside the cache, which Ignore does (a deletion); under Respect no node with room for web is in the cache's zone, and a
     * new claim there would cost as much as web's node: the simulation finds no move, and the three nodes stay.
     */
    @Test
    void consolidationKeepsAPreferredZoneAffinityANodeWithRoomElsewhereDoesNotMeet() {
        List<PodGroup> groups = List.of(plain("x", 2500), group("web", 1000, List.of(), List.of(prefers("cache", PodConflicts.ZONE)), List.of(),
                List.of()), plain("cache", 3500), plain("y", 3000), plain("z", 250));
        PodStream s = stream(groups, new long[]{0, 0, 300, 600, 0},
                new long[]{1200, PodStream.STAYS, PodStream.STAYS, PodStream.STAYS, PodStream.STAYS});
        Watched respect = new Watched(karpenter(Karpenter.PreferencePolicy.RESPECT));
        ReplayResult r = Replay.run(s, List.of(MID), respect, settings());
        assertThat(r.scaleUps()).isEqualTo(3);
        assertThat(r.scaleDowns()).isZero();
        assertThat(zoneOf(respect, 1)).isZero();
        Watched ignore = new Watched(karpenter(Karpenter.PreferencePolicy.IGNORE));
        ReplayResult ri = Replay.run(s, List.of(MID), ignore, settings());
        assertThat(ri.scaleUps()).isEqualTo(3);
        assertThat(ri.scaleDowns()).isEqualTo(1);
        assertThat(zoneOf(ignore, 1)).isEqualTo(2);
    }
}
