package io.nodesizer.model;

import java.util.Objects;

/**
 * A node as the scheduler sees it: nominal {@code capacity} and the {@code allocatable} left for
 * pods after kube-reserved, system-reserved and the eviction threshold ({@code reservation} names
 * the policy that computed it). The capacity's {@code pods} component is the max-pods setting.
 * DaemonSet pods are not subtracted here: they are placed on the node by the engine.
 *
 * @param pricePerHourUsd on-demand price, or {@code null} when unknown (inline shapes without price)
 * @param gpuModel        the model of its GPUs ({@code T4}, {@code A100}, …), {@code ""} when not declared
 */
public record NodeShape(String name, String provider, String family, String arch, Resources capacity,
                        Resources allocatable, String reservation, Double pricePerHourUsd, String gpuModel) {

    /** A shape without a declared GPU model. */
    public NodeShape(String name, String provider, String family, String arch, Resources capacity, Resources allocatable,
                     String reservation, Double pricePerHourUsd) {
        this(name, provider, family, arch, capacity, allocatable, reservation, pricePerHourUsd, "");
    }

    public NodeShape {
        Objects.requireNonNull(gpuModel, "gpuModel");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(allocatable, "allocatable");
        Objects.requireNonNull(reservation, "reservation");
        if (!allocatable.fitsIn(capacity)) {
            throw new IllegalArgumentException("The allocatable of " + name + " (" + allocatable
                    + ") must not exceed its capacity (" + capacity + ").");
        }
        if (pricePerHourUsd != null && !(pricePerHourUsd >= 0)) {
            throw new IllegalArgumentException("The price of " + name + " (" + pricePerHourUsd + ") must be >= 0.");
        }
    }

    public boolean hasPrice() {
        return pricePerHourUsd != null;
    }

    /** Nominal GiB of memory per vCPU. */
    public double memoryPerCpuGib() {
        return capacity.cpuMillis() == 0 ? Double.NaN
                : (capacity.memoryBytes() / (1024.0 * 1024 * 1024)) / (capacity.cpuMillis() / 1000.0);
    }
}
