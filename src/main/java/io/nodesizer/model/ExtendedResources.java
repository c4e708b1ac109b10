package io.nodesizer.model;

import java.math.BigDecimal;

/**
 * Resources a running cluster's pods request and its nodes offer that nodesizer does not pack: hugepages
 * ({@code hugepages-2Mi}) and device plugins' other than whole GPUs ({@code nvidia.com/mig-1g.5gb} under the
 * NVIDIA device plugin's mixed MIG strategy, SR-IOV pools, {@code aws.amazon.com/neuron}). kube-scheduler's
 * NodeResourcesFit checks each of them like CPU (pkg/scheduler/framework/plugins/noderesources/fit.go, the
 * scalar resources), so a node that does not offer one cannot take a pod that requests it. Amounts are kept in
 * thousandths of the quantity, as {@code resource.Quantity.MilliValue} gives them.
 */
public final class ExtendedResources {
    private ExtendedResources() {
    }

    /**
     * The prefix of the pseudo-resource a snapshot's pod requests per device it claims through Dynamic Resource
     * Allocation ({@code resourceClaim:NAME}, one device): no node offers one, so the pod keeps its node.
     */
    public static final String CLAIM = "resourceClaim:";

    /** Whether {@code name} is a claimed device's pseudo-resource ({@link #CLAIM}), not one a node offers. */
    public static boolean claim(String name) {
        return name.startsWith(CLAIM);
    }

    /**
     * Whether {@code name} is a share of an NVIDIA GPU that NVIDIA's device plugin advertises in place of
     * {@code nvidia.com/gpu}: a MIG slice under its mixed strategy ({@code nvidia.com/mig-<g>g.<mem>gb}, on the MIG-capable
     * A100, A30, H100, H200 and later, as the node's MIG configuration partitions them), or a time-sliced replica renamed by
     * {@code renameByDefault} ({@code nvidia.com/gpu.shared}); NVIDIA/k8s-device-plugin README, "Configuration Option
     * Details" and "Shared Access to GPUs". Only nodes with NVIDIA GPUs so configured offer one.
     */
    public static boolean nvidiaGpuShare(String name) {
        return name.startsWith("nvidia.com/mig-") || name.equals("nvidia.com/gpu.shared");
    }

    /** An amount as the user wrote its kind: bytes for hugepages, a count otherwise. */
    public static String show(String name, long milli) {
        BigDecimal v = BigDecimal.valueOf(milli).movePointLeft(3).stripTrailingZeros();
        if (name.startsWith("hugepages-")) {
            long bytes = v.longValue();
            return bytes % (1L << 30) == 0 ? bytes / (1L << 30) + "Gi" : bytes % (1L << 20) == 0 ? bytes / (1L << 20) + "Mi" : v.toPlainString();
        }
        return v.toPlainString();
    }
}
