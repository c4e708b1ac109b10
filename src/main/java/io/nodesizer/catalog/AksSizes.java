package io.nodesizer.catalog;

import io.nodesizer.model.InstanceType;
import io.nodesizer.model.NodeShape;

/**
 * The Azure VM sizes AKS refuses for node pools: "for user node pools, VM sizes with fewer than two
 * vCPUs and two GBs of RAM (memory) might not be used" (Microsoft Learn, "Quotas, virtual machine
 * size restrictions, and region availability in AKS", Restricted VM sizes). A sweep of the Azure
 * catalog under an AKS reservation leaves them out (QA 53c F4: Standard_A1_v2, F1 and three more
 * 1-vCPU sizes had ranked #1–#5 for a small workload); a size named with {@code --node} is packed
 * with a note.
 */
public final class AksSizes {
    /** The fewest vCPUs and MiB of memory a size needs to run an AKS node pool. */
    static final int MIN_VCPU = 2;
    static final long MIN_MEMORY_MIB = 2048;

    private AksSizes() {
    }

    /** Whether AKS takes the type as a node pool's size (types of other providers: always). */
    public static boolean allowed(InstanceType t) {
        return !"azure".equals(t.provider()) || t.vcpu() >= MIN_VCPU && t.memoryMib() >= MIN_MEMORY_MIB;
    }

    /** As {@link #allowed(InstanceType)} for a shape made from the Azure catalog, by its nominal capacity. */
    public static boolean allowed(NodeShape s) {
        return !"azure".equals(s.provider()) || s.capacity().cpuMillis() >= MIN_VCPU * 1000L
                && s.capacity().memoryBytes() >= MIN_MEMORY_MIB * 1024 * 1024;
    }

    /** How the candidates line names the rule. */
    public static final String DESCRIBED = "AKS node sizes (2+ vCPU, 2+ GiB)";

    /** The note for a size named with {@code --node} that AKS refuses (an Azure shape under an AKS reservation); empty otherwise. */
    public static java.util.Optional<String> note(NodeShape s) {
        if (allowed(s) || !s.reservation().startsWith("aks")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(s.name() + ": AKS refuses node pools of sizes with fewer than 2 vCPUs or 2 GB of memory "
                + "(Restricted VM sizes); packed as given");
    }
}
