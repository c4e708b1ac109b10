package io.nodesizer.model;

import java.util.Objects;

/**
 * A machine type as a cloud sells it: nominal vCPU and memory, GPUs, the provider's default max
 * pods (EKS: the ENI formula) and the on-demand price. {@code maxPods} and
 * {@code pricePerHourUsd} are {@code null} when the source does not give them.
 * {@code accelerator} names a non-GPU accelerator the type carries ({@code fpga},
 * {@code inferentia}, …), {@code ""} for none. {@code gpuVendor} is whose GPUs it has
 * ({@link GpuVendors}: the catalog's {@code gpu_manufacturer}, lower case), {@code ""} without GPUs or when not given.
 * {@code region} is where its price is (the catalog's {@code region} column), {@code ""} when not given.
 */
public record InstanceType(String provider, String name, String family, String category, String arch,
                           int vcpu, long memoryMib, int gpuCount, String gpuModel, Integer maxPods,
                           Double pricePerHourUsd, String accelerator, String gpuVendor, String region) {
    public InstanceType {
        Objects.requireNonNull(gpuVendor, "gpuVendor");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(gpuModel, "gpuModel");
        Objects.requireNonNull(accelerator, "accelerator");
        if (vcpu < 1 || memoryMib < 1 || gpuCount < 0) {
            throw new IllegalArgumentException("Instance type " + name + " needs vcpu >= 1, memory >= 1 MiB, gpus >= 0.");
        }
        if (maxPods != null && maxPods < 1) {
            throw new IllegalArgumentException("Instance type " + name + " has max pods " + maxPods + "; it must be >= 1.");
        }
        if (pricePerHourUsd != null && !(pricePerHourUsd >= 0)) {
            throw new IllegalArgumentException("Instance type " + name + " has price " + pricePerHourUsd + "; it must be >= 0.");
        }
    }

    /** True for a type with an accelerator other than GPUs. */
    public boolean hasAccelerator() {
        return !accelerator.isEmpty();
    }

    /** GiB of memory per vCPU. */
    public double memoryPerCpuGib() {
        return memoryMib / 1024.0 / vcpu;
    }
}
