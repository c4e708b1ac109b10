package io.nodesizer.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node as the scheduler sees it: nominal {@code capacity} and the {@code allocatable} left for
 * pods after kube-reserved, system-reserved and the eviction threshold ({@code reservation} names
 * the policy that computed it). The capacity's {@code pods} component is the max-pods setting.
 * DaemonSet pods are not subtracted here: they are placed on the node by the engine.
 *
 * @param pricePerHourUsd on-demand price, or {@code null} when unknown (inline shapes without price)
 * @param gpuModel        the model of its GPUs ({@code T4}, {@code A100}, …), {@code ""} when not declared
 * @param labels          labels its nodes carry beyond the well-known ones ({@code --node …,labels=…})
 * @param taints          taints its nodes carry ({@code --node …,taints=…})
 * @param gpuVendor       whose device plugin serves its GPUs ({@link GpuVendors}: nvidia, amd, intel),
 *                        {@code ""} when not known (inline and generic shapes accept any pod's GPUs)
 * @param kubeletCapacity what the kubelet reports as its capacity: the nominal capacity less what the OS keeps (memory,
 *                        a boot disk's partitions) as the reservation policy models it; between allocatable and capacity
 */
public record NodeShape(String name, String provider, String family, String arch, Resources capacity,
                        Resources allocatable, String reservation, Double pricePerHourUsd, String gpuModel,
                        Map<String, String> labels, List<Placement.Taint> taints, String gpuVendor, Resources kubeletCapacity) {

    /**
     * The most a node may cost per hour, in US dollars: the dearest instances in the bundled catalogs cost $361 (AWS
     * u7in-32tb.224xlarge), $172 (Azure) and $22 (GCE). A price far above that is a unit or a typo, and past ~1e306 a
     * month of nodes is Infinity, which reached the reports as "$Infinity/month" (QA 62 item 4).
     */
    public static final double MOST_PRICE_PER_HOUR_USD = 10_000;

    /** What a price must be, for the messages that refuse one. */
    public static final String PRICE_RANGE = "a number of US dollars per hour from 0 to 10,000 (the dearest cloud instances cost a few "
            + "hundred; maybe a unit is off)";

    /** Whether {@code price} is a node price nodesizer takes: {@link #MOST_PRICE_PER_HOUR_USD} at the most. */
    public static boolean priceInRange(double price) {
        return price >= 0 && price <= MOST_PRICE_PER_HOUR_USD;
    }

    /** A shape whose kubelet sees its whole nominal capacity (no OS share modelled, or a node's reported capacity). */
    public NodeShape(String name, String provider, String family, String arch, Resources capacity, Resources allocatable,
                     String reservation, Double pricePerHourUsd, String gpuModel, Map<String, String> labels,
                     List<Placement.Taint> taints, String gpuVendor) {
        this(name, provider, family, arch, capacity, allocatable, reservation, pricePerHourUsd, gpuModel, labels, taints, gpuVendor, capacity);
    }

    /** A shape whose GPUs' vendor is not known. */
    public NodeShape(String name, String provider, String family, String arch, Resources capacity, Resources allocatable,
                     String reservation, Double pricePerHourUsd, String gpuModel, Map<String, String> labels,
                     List<Placement.Taint> taints) {
        this(name, provider, family, arch, capacity, allocatable, reservation, pricePerHourUsd, gpuModel, labels, taints, "");
    }

    /** A shape with no labels or taints of its own. */
    public NodeShape(String name, String provider, String family, String arch, Resources capacity, Resources allocatable,
                     String reservation, Double pricePerHourUsd, String gpuModel) {
        this(name, provider, family, arch, capacity, allocatable, reservation, pricePerHourUsd, gpuModel, Map.of(), List.of());
    }

    /** A shape without a declared GPU model. */
    public NodeShape(String name, String provider, String family, String arch, Resources capacity, Resources allocatable,
                     String reservation, Double pricePerHourUsd) {
        this(name, provider, family, arch, capacity, allocatable, reservation, pricePerHourUsd, "");
    }

    public NodeShape {
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
        Objects.requireNonNull(gpuModel, "gpuModel");
        gpuVendor = GpuVendors.normalize(Objects.requireNonNull(gpuVendor, "gpuVendor"));
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(allocatable, "allocatable");
        Objects.requireNonNull(reservation, "reservation");
        Objects.requireNonNull(kubeletCapacity, "kubeletCapacity");
        if (!allocatable.fitsIn(capacity)) {
            throw new IllegalArgumentException("The allocatable of " + name + " (" + allocatable
                    + ") must not exceed its capacity (" + capacity + ").");
        }
        if (!kubeletCapacity.fitsIn(capacity)) {
            throw new IllegalArgumentException("The kubelet's capacity of " + name + " (" + kubeletCapacity
                    + ") must not exceed its capacity (" + capacity + ").");
        }
        if (pricePerHourUsd != null && !priceInRange(pricePerHourUsd)) {
            throw new IllegalArgumentException("The price of " + name + " (" + pricePerHourUsd + ") must be " + PRICE_RANGE + ".");
        }
    }

    /**
     * The cloud the shape's node group is in: its catalog's provider (aws, gce, azure), or for an inline or generic shape the
     * provider its --overhead names (eks, gke, aks); null when neither says. What an export writes for, and whose node group's
     * scale-in order a scheduled replay follows.
     */
    public String cloud() {
        return switch (provider) {
            case "aws", "gce", "azure" -> provider;
            default -> switch (reservation) {
                case "eks" -> "aws";
                case "gke" -> "gce";
                case "aks" -> "azure";
                default -> null;
            };
        };
    }

    /** The same shape with these labels and taints added to its own. */
    public NodeShape withLabelsAndTaints(Map<String, String> moreLabels, List<Placement.Taint> moreTaints) {
        Map<String, String> l = new java.util.LinkedHashMap<>(labels);
        l.putAll(moreLabels);
        List<Placement.Taint> t = new java.util.ArrayList<>(taints);
        t.addAll(moreTaints);
        return new NodeShape(name, provider, family, arch, capacity, allocatable, reservation, pricePerHourUsd, gpuModel, l, t, gpuVendor,
                kubeletCapacity);
    }

    /**
     * The instance type its nodes are labelled with: its name, or for a second candidate of one type
     * (named {@code m5.xlarge#2}) the type's name kept among its labels.
     */
    public String instanceType() {
        return labels.getOrDefault("node.kubernetes.io/instance-type", name);
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
