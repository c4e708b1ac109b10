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
            description = "Explicit reservation instead of a provider formula: cpu=100m,memory=1Gi,eviction=100Mi[,ephemeral-storage=1Gi]; "
                    + "eviction left out is the kubelet's default 100Mi, eviction=0 none.")
    String reserved;

    @Option(names = "--max-pods", paramLabel = "N|prefix", description = "Max pods per node, overriding the provider default (EKS: the ENI limit; "
            + "GKE: 110; AKS: by --network-plugin); prefix: EKS with the VPC CNI's prefix delegation, per AWS type as AWS's max-pods "
            + "calculator gives it (110 up to 30 vCPUs, 250 above, fewer where the ENIs give fewer).")
    String maxPods;

    @Option(names = "--network-plugin", paramLabel = "PLUGIN",
            description = "AKS network plugin, which sets the default max pods: overlay (Azure CNI Overlay, 250; the default), kubenet (110) or azure-cni (classic, 30).")
    String networkPlugin;

    @Option(names = "--os-memory", paramLabel = "SPEC",
            description = "Memory the node's OS keeps from the kubelet's capacity (eks, aks, aks-legacy; karpenter: its VM overhead "
                    + "percent): 2.61%%+359Mi, 3%%, 300Mi or 0. Default: eks 2.61%%+359Mi, aks 1.7%%+112Mi (fitted to real nodes), "
                    + "karpenter 7.5%%.")
    String osMemory;

    @Option(names = "--disk", paramLabel = "SIZE", description = "Node root disk (ephemeral-storage capacity), e.g. 100Gi. Default: the provider's default disk.")
    String disk;

    /** The reservation policy for shapes of {@code provider}, honouring --reserved and --overhead. */
    ReservationPolicy policyFor(String provider) {
        if (reserved != null && overhead != null) {
            throw new InputException(SourceLocation.ofFile("--reserved"),
                    "--reserved and --overhead exclude each other; give one of them.");
        }
        ReservationPolicy policy = overhead != null ? ReservationPolicies.byName(overhead) : ReservationPolicies.forProvider(provider);
        if (reserved != null) {
            // --reserved replaces only the amounts reserved: the node pool's max pods (AKS's by network plugin) and
            // root disk are still the provider's, as without it (qa39a finding 5: AKS fell to kubenet's 110, no disk).
            return CustomReservation.parse(reserved).withDefaultsOf(withPlugin(policy, provider));
        }
        return withPlugin(policy, provider);
    }

    /** {@code policy} with --network-plugin's max pods, when given (AKS only). */
    private ReservationPolicy withPlugin(ReservationPolicy policy, String provider) {
        if (networkPlugin != null) {
            if (!AksReservation.NETWORK_PLUGINS.containsKey(networkPlugin)) {
                throw new InputException(SourceLocation.ofFile("--network-plugin"), "The network plugin (" + networkPlugin
                        + ") must be overlay, kubenet or azure-cni.");
            }
            if (!(policy instanceof AksReservation aks)) {
                throw new InputException(SourceLocation.ofFile("--network-plugin"), "--network-plugin sets AKS's default max pods, but the "
                        + "overhead of " + provider + " shapes is " + policy.name() + ". Use --overhead aks (or --catalog azure), or --max-pods.");
            }
            policy = aks.withNetworkPlugin(networkPlugin);
        }
        return withOsMemory(policy, provider);
    }

    /** The policy with --os-memory's reserve; exits 2 for a policy without an OS term (gke has CA's kernel formula). */
    private ReservationPolicy withOsMemory(ReservationPolicy policy, String provider) {
        if (osMemory == null) {
            return policy;
        }
        io.nodesizer.kube.provider.OsMemory reserve = io.nodesizer.kube.provider.OsMemory.parse(osMemory, "--os-memory");
        if (policy instanceof io.nodesizer.kube.provider.KarpenterReservation && reserve.fixedMib() > 0) {
            throw new InputException(SourceLocation.ofFile("--os-memory"), "Karpenter's VM memory overhead is a percentage of the "
                    + "memory (VMMemoryOverheadPercent); give --os-memory as a percentage alone, such as 5%.");
        }
        return switch (policy) {
            case io.nodesizer.kube.provider.EksReservation eks -> eks.withOsMemory(reserve);
            case AksReservation aks -> aks.withOsMemory(reserve);
            default -> throw new InputException(SourceLocation.ofFile("--os-memory"), "--os-memory sets the OS's share of the memory "
                    + "in the eks, karpenter, aks and aks-legacy formulas, but the overhead of " + provider + " shapes is " + policy.name()
                    + (policy.name().equals("gke") ? " (which takes the Cluster Autoscaler's kernel reserve)" : "") + ".");
        };
    }

    /** Without --disk, a running cluster's root disk (see {@link #diskFrom}); null otherwise. */
    private Long clusterDisk;

    Long diskBytes() {
        if (disk == null) {
            return clusterDisk;
        }
        long bytes = Values.bytes(disk, SourceLocation.ofFile("--disk"), "disk size");
        // --disk 100 is 100 bytes, which no pod's ephemeral-storage fits, and the pods left out were then told to give --disk
        // (QA 68c F6): refused as --node's memory=32 is.
        String wrong = ShapeSpec.diskOutOfRange("disk size", disk, bytes, "--disk ");
        if (wrong != null) {
            throw new InputException(SourceLocation.ofFile("--disk"), wrong);
        }
        return bytes;
    }

    /**
     * Without --disk, the candidates of a running cluster get the ephemeral-storage capacity its worker
     * nodes report (the smallest, where node groups differ): a node replacing one in its group has the
     * group's launch template and so its root disk, where the provider's default (20 GiB on EKS) refused a
     * pod requesting 30 GiB that runs on an 80 GiB node today. Returns what to say of it, or null.
     */
    String diskFrom(io.nodesizer.model.ClusterSnapshot s) {
        if (disk != null) {
            return null;
        }
        java.util.TreeSet<Long> sizes = new java.util.TreeSet<>();
        for (io.nodesizer.model.ClusterSnapshot.Node n : s.nodes()) {
            long bytes = n.capacity().ephemeralStorageBytes();
            if (n.worker() && bytes > 0) {
                sizes.add(bytes);
            }
        }
        if (sizes.isEmpty()) {
            return null;
        }
        clusterDisk = sizes.first();
        return "the candidate shapes have the root disk of the snapshot's worker nodes, " + io.nodesizer.engine.Amounts.format(
                io.nodesizer.model.Resource.EPHEMERAL_STORAGE, clusterDisk) + " GiB of ephemeral storage" + (sizes.size() == 1 ? ""
                : " (the smallest of their " + sizes.size() + " sizes)") + ", as a node of their groups would; --disk sets another";
    }

    /** --max-pods N, or null (the provider's default, or prefix delegation: {@link #maxPodsFor}). */
    Integer maxPods() {
        if (maxPods == null || prefixDelegation()) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(maxPods.strip());
        } catch (NumberFormatException e) {
            throw new InputException(SourceLocation.ofFile("--max-pods"), "The max pods must be a whole number of at least 1, or prefix "
                    + "(EKS prefix delegation); found '" + maxPods + "'.");
        }
        if (n < 1) {
            throw new InputException(SourceLocation.ofFile("--max-pods"), "The max pods (" + n + ") must be at least 1.");
        }
        return n;
    }

    /** --max-pods prefix: EKS nodes whose VPC CNI delegates prefixes ({@link io.nodesizer.catalog.PrefixDelegation}). */
    boolean prefixDelegation() {
        return maxPods != null && maxPods.strip().equalsIgnoreCase("prefix");
    }

    /** The max pods of a catalog type's node: --max-pods N, prefix delegation's for an AWS type, or null (the provider's default). */
    Integer maxPodsFor(io.nodesizer.model.InstanceType t) {
        if (!prefixDelegation()) {
            return maxPods();
        }
        if (!"aws".equals(t.provider())) {
            throw new InputException(SourceLocation.ofFile("--max-pods"), "--max-pods prefix is EKS's prefix delegation (the VPC CNI), "
                    + "worked out from AWS types' ENIs; " + t.name() + " is " + (t.provider().matches("^[aeiou].*") ? "an " : "a ") + t.provider() + " type. Give a number instead.");
        }
        return io.nodesizer.catalog.PrefixDelegation.maxPods(t);
    }

    /** Where a max pods is needed for shapes that are not catalog types (inline, generic, a fleet's nodes): prefix has none. */
    Integer maxPodsWithoutTypes(String what) {
        if (prefixDelegation()) {
            throw new InputException(SourceLocation.ofFile("--max-pods"), "--max-pods prefix works out max pods from AWS catalog types' "
                    + "ENIs; " + what + " have none. Give a number instead.");
        }
        return maxPods();
    }

    /** Resolves a --node spec (catalog reference or inline) into a shape with this allocatable policy. */
    io.nodesizer.model.NodeShape shape(String spec) {
        return ShapeSpec.parse(spec, this::policyFor, prefixDelegation() ? this::maxPodsFor : t -> maxPods(),
                () -> maxPodsWithoutTypes("inline shapes (" + spec + ")"), diskBytes());
    }
}
