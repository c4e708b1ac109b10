package io.nodesizer.kube;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The region a zone's name gives ({@link NodeMatching#regionOf}) and its use in the per-zone node matching. */
final class ZoneRegionTest {

    @Test
    void regionsOfTheProvidersZoneNames() {
        assertThat(NodeMatching.regionOf("us-east-1a")).isEqualTo("us-east-1");
        assertThat(NodeMatching.regionOf("eu-central-2c")).isEqualTo("eu-central-2");
        assertThat(NodeMatching.regionOf("us-gov-west-1a")).isEqualTo("us-gov-west-1");
        assertThat(NodeMatching.regionOf("us-west-2-lax-1a")).isEqualTo("us-west-2");
        assertThat(NodeMatching.regionOf("us-east-1-wl1-bos-wlz-1")).isEqualTo("us-east-1");
        assertThat(NodeMatching.regionOf("us-central1-a")).isEqualTo("us-central1");
        assertThat(NodeMatching.regionOf("europe-west4-b")).isEqualTo("europe-west4");
        assertThat(NodeMatching.regionOf("eastus-1")).isEqualTo("eastus");
        assertThat(NodeMatching.regionOf("westeurope-3")).isEqualTo("westeurope");
        assertThat(NodeMatching.regionOf("eastus2-2")).isEqualTo("eastus2");
        // Zone IDs and made-up names give none: the region is then taken as met.
        assertThat(NodeMatching.regionOf("use1-az1")).isNull();
        assertThat(NodeMatching.regionOf("zone-a")).isNull();
        assertThat(NodeMatching.regionOf("a")).isNull();
        assertThat(NodeMatching.regionOf("1")).isNull();
        // Names of one's own in the providers' shapes: no region read into them.
        assertThat(NodeMatching.regionOf("zone-1")).isNull();
        assertThat(NodeMatching.regionOf("rack-2")).isNull();
        assertThat(NodeMatching.regionOf("my-zone-1a")).isNull();
        assertThat(NodeMatching.regionOf("dc-west1-a")).isNull();
        assertThat(NodeMatching.regionOf("cn-north-1a")).isEqualTo("cn-north-1");
        assertThat(NodeMatching.regionOf("me-central1-a")).isEqualTo("me-central1");
    }

    @Test
    void aRegionSelectorIsMatchedAgainstTheZonesRegion() {
        NodeShape shape = io.nodesizer.catalog.ShapeSpec.parse("aws:m5.xlarge", io.nodesizer.kube.provider.ReservationPolicies::forProvider,
            null, null);
        Map<String, String> labels = NodeLabels.of(shape);
        Placement east = placement(Map.of("topology.kubernetes.io/region", "us-east-1"));
        Placement west = placement(Map.of("failure-domain.beta.kubernetes.io/region", "eu-west-1"));
        assertThat(NodeMatching.inZone(east, shape, labels, "us-east-1b")).isNull();
        assertThat(NodeMatching.inZone(west, shape, labels, "us-east-1b")).contains("failure-domain.beta.kubernetes.io/region=eu-west-1");
        // A zone name that gives no region: taken as met, as before.
        assertThat(NodeMatching.inZone(west, shape, labels, "zone-a")).isNull();
        // Region requirements pin a workload to zones only where the zones' names give a region they refuse:
        // one every zone meets ties it to none (a cluster where every Deployment names its region packs as
        // without the selector, not through the zone-pinned placement: 422 nodes against 418 for 60 such
        // workloads before this).
        assertThat(NodeMatching.namesZone(west, List.of("us-east-1a", "us-east-1b"))).isTrue();
        assertThat(NodeMatching.namesZone(east, List.of("us-east-1a", "us-east-1b"))).isFalse();
        assertThat(NodeMatching.namesZone(west, List.of("zone-a", "zone-b"))).isFalse();
        assertThat(NodeMatching.namesZone(west, null)).isFalse();
        Placement eastByTerm = new Placement(Map.of(), List.of(new Placement.Term(List.of(new Placement.Requirement(
            "topology.kubernetes.io/region", Placement.Operator.IN, List.of("us-east-1", "us-east-2"))), List.of())), List.of(), "default", Map.of(),
            List.of(), List.of(), List.of());
        assertThat(NodeMatching.namesZone(eastByTerm, List.of("us-east-1a", "us-east-2a"))).isFalse();
        assertThat(NodeMatching.namesZone(eastByTerm, List.of("us-east-1a", "eu-west-1a"))).isTrue();
    }

    /**
     * DaemonSets on the zone or region labels with named zones: exact where every zone gives the
     * same answer (no note); where the zones differ, charged zone by zone (a note names its zones),
     * and {@code requests} still holds it, what a node whose zone is unknown is charged.
     */
    @Test
    void daemonSetsOnTheZoneOrRegionAreExactWhereEveryZoneAgrees() {
        NodeShape shape = io.nodesizer.catalog.ShapeSpec.parse("aws:m5.xlarge", io.nodesizer.kube.provider.ReservationPolicies::forProvider,
            null, null);
        List<String> zones = List.of("us-east-1a", "us-east-1b");
        io.nodesizer.model.DaemonSetSpec east = daemonSet("east", Map.of("topology.kubernetes.io/region", "us-east-1"));
        io.nodesizer.model.DaemonSetSpec west = daemonSet("west", Map.of("topology.kubernetes.io/region", "eu-west-1"));
        io.nodesizer.model.DaemonSetSpec zoneA = daemonSet("zone-a", Map.of("topology.kubernetes.io/zone", "us-east-1a"));
        io.nodesizer.model.DaemonSetSpec zoneC = daemonSet("zone-c", Map.of("topology.kubernetes.io/zone", "us-east-1c"));
        DaemonSetPlacement.Load named = DaemonSetPlacement.on(shape, List.of(east, west, zoneA, zoneC), zones);
        assertThat(named.placed()).containsExactly("east", "zone-a");
        assertThat(named.notes()).singleElement().asString().isEqualTo("DaemonSet zone-a runs on the nodes of zone us-east-1a only (its node "
            + "selector or required node affinity on the zone)");
        assertThat(named.requests().cpuMillis()).isEqualTo(200);
        // east on every node, zone-a on us-east-1a's only.
        assertThat(named.zoneRequests()).extracting(io.nodesizer.model.Resources::cpuMillis).containsExactly(200L, 100L);
        // Unnamed zones: every requirement on them taken as met, each with its note, as before.
        DaemonSetPlacement.Load unnamed = DaemonSetPlacement.on(shape, List.of(east, west, zoneA, zoneC));
        assertThat(unnamed.placed()).containsExactly("east", "west", "zone-a", "zone-c");
        assertThat(unnamed.notes()).hasSize(4).allMatch(n -> n.contains("a node shape does not determine"));
    }

    private static io.nodesizer.model.DaemonSetSpec daemonSet(String name, Map<String, String> nodeSelector) {
        Placement p = placement(nodeSelector);
        return new io.nodesizer.model.DaemonSetSpec(name, new io.nodesizer.model.Resources(100, 1L << 27, 1, 0, 0), nodeSelector,
            new io.nodesizer.model.SourceRef("t", 1), null, p);
    }

    private static Placement placement(Map<String, String> nodeSelector) {
        return new Placement(nodeSelector, null, List.of(), "default", Map.of(), List.of(), List.of(), List.of());
    }
}
