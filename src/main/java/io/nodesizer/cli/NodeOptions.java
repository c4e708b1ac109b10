package io.nodesizer.cli;

import io.nodesizer.catalog.ShapeSpec;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.kube.provider.AksReservation;
import io.nodesizer.kube.provider.CustomReservation;
import io.nodesizer.kube.provider.ReservationPolicies;
import io.nodesizer.kube.provider.ReservationPolicy;
import picocli.CommandLine.Option;

/** How a node's allocatable is computed: provider reservation, custom reservation, max pods, disk. */
final class NodeOptions {

    @Option(names = "--overhead", paramLabel = "PROVIDER",
            description = "Reserved-resource formula: eks, karpenter (eks + 7.5%% VM memory), gke, aks, aks-legacy or none. "
                    + "Default: the catalog's provider (aws: eks, gce: gke, azure: aks), none for inline shapes.")
    String overhead;

    @Option(names = "--reserved", paramLabel = "SPEC",
            description = "Explicit reservation instead of a provider formula: cpu=100m,memory=1Gi,eviction=100Mi[,ephemeral-storage=1Gi].")
    String reserved;

    @Option(names = "--max-pods", paramLabel = "N", description = "Max pods per node, overriding the provider default (EKS: the ENI limit; GKE: 110; AKS: by --network-plugin).")
    Integer maxPods;

    @Option(names = "--network-plugin", paramLabel = "PLUGIN",
            description = "AKS network plugin, which sets the default max pods: overlay (Azure CNI Overlay, 250; the default), kubenet (110) or azure-cni (classic, 30).")
    String networkPlugin;

    @Option(names = "--disk", paramLabel = "SIZE", description = "Node root disk (ephemeral-storage capacity), e.g. 100Gi. Default: the provider's default disk.")
    String disk;

    /** The reservation policy for shapes of {@code provider}, honouring --reserved and --overhead. */
    ReservationPolicy policyFor(String provider) {
        if (reserved != null) {
            if (overhead != null) {
                throw new InputException(SourceLocation.ofFile("--reserved"),
                        "--reserved and --overhead exclude each other; give one of them.");
            }
            return CustomReservation.parse(reserved);
        }
        ReservationPolicy policy = overhead != null ? ReservationPolicies.byName(overhead) : ReservationPolicies.forProvider(provider);
        if (networkPlugin != null) {
            if (!AksReservation.NETWORK_PLUGINS.containsKey(networkPlugin)) {
                throw new InputException(SourceLocation.ofFile("--network-plugin"), "The network plugin (" + networkPlugin
                        + ") must be overlay, kubenet or azure-cni.");
            }
            if (!(policy instanceof AksReservation aks)) {
                throw new InputException(SourceLocation.ofFile("--network-plugin"), "--network-plugin sets AKS's default max pods, but the "
                        + "overhead of " + provider + " shapes is " + policy.name() + ". Use --overhead aks (or --catalog azure), or --max-pods.");
            }
            return aks.withNetworkPlugin(networkPlugin);
        }
        return policy;
    }

    Long diskBytes() {
        if (disk == null) {
            return null;
        }
        return Values.bytes(disk, SourceLocation.ofFile("--disk"), "disk size");
    }

    Integer maxPods() {
        if (maxPods != null && maxPods < 1) {
            throw new InputException(SourceLocation.ofFile("--max-pods"), "The max pods (" + maxPods + ") must be at least 1.");
        }
        return maxPods;
    }

    /** Resolves a --node spec (catalog reference or inline) into a shape with this allocatable policy. */
    io.nodesizer.model.NodeShape shape(String spec) {
        return ShapeSpec.parse(spec, this::policyFor, maxPods(), diskBytes());
    }
}
