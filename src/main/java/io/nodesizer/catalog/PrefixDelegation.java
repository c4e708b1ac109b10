package io.nodesizer.catalog;

import io.nodesizer.model.InstanceType;

import java.util.Set;

/**
 * Max pods of an EKS node whose VPC CNI hands out /28 prefixes (prefix delegation), as AWS's
 * max-pods calculator works it out (awslabs/amazon-eks-ami {@code templates/al2/runtime/max-pods-calculator.sh}):
 * on a Nitro type each ENI slot an address took holds 16, so {@code ENIs × (IPs per ENI − 1) × 16 + 2},
 * which is {@code (ENI max pods − 2) × 16 + 2}; a Xen type cannot delegate prefixes and keeps its ENI
 * limit; either way at most 110 pods on types of up to 30 vCPUs and 250 above ({@code
 * MAX_POD_CEILING_FOR_LOW_CPU}, {@code _HIGH_CPU}). An m5.large: 110 where its ENIs give 29; an
 * m5.24xlarge 250 where they give 737 (QA 53c F10).
 */
public final class PrefixDelegation {
    /** The pod ceilings by vCPU count: up to {@link #LOW_CPU} vCPUs, and above. */
    static final int LOW_CPU = 30;
    static final int LOW_CPU_CEILING = 110;
    static final int HIGH_CPU_CEILING = 250;

    /**
     * Families on the Xen hypervisor (AWS's list of instances not built on the Nitro System, all
     * previous generations): no prefix delegation there. i3's metal size is Nitro.
     */
    static final Set<String> XEN_FAMILIES = Set.of("c1", "c3", "c4", "d2", "g2", "g3", "g3s", "h1", "i2", "i3", "m1", "m2", "m3",
            "m4", "p2", "p3", "r3", "r4", "t1", "t2", "x1", "x1e");

    private PrefixDelegation() {
    }

    /** The node's max pods with prefix delegation; null when the catalog gives no ENI limit for the type. */
    public static Integer maxPods(InstanceType t) {
        Integer eni = t.maxPods();
        if (eni == null) {
            return null;
        }
        boolean nitro = !XEN_FAMILIES.contains(t.family()) || t.name().endsWith(".metal");
        long pods = nitro ? (eni - 2L) * 16 + 2 : eni;
        return (int) Math.min(pods, t.vcpu() > LOW_CPU ? HIGH_CPU_CEILING : LOW_CPU_CEILING);
    }
}
