package io.nodesizer.model;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Whose GPUs a pod asks for and a shape carries. Kubernetes has no generic GPU resource: each
 * vendor's device plugin advertises its own extended resource ({@code nvidia.com/gpu},
 * {@code amd.com/gpu}, Intel's {@code gpu.intel.com/i915}, or {@code gpu.intel.com/xe} for GPUs on its newer
 * xe kernel driver; kubernetes.io "Schedule GPUs", intel-device-plugins-for-kubernetes' GPU plugin), so a
 * pod requesting {@code nvidia.com/gpu} fits only nodes whose NVIDIA plugin offers it, never an
 * AMD node however many GPUs it has. Vendors are lower-case names, as the catalogs'
 * {@code gpu_manufacturer} writes them; "" is no vendor: a pod whose GPUs are a plain count (CSV
 * profiles; an openb trace's are NVIDIA's, {@link PodGroup#gpuVendor}) or a shape whose vendor is not known (inline and generic shapes) is not
 * constrained, as {@link GpuModels} treats a missing model. Several vendors are joined by "+"
 * ({@link #of}): a pod asking for two vendors' GPUs, or a snapshot's node whose device plugins
 * advertise both; such a node serves a pod each of whose vendors it has.
 */
public final class GpuVendors {
    /** Device-plugin resource name → vendor. */
    private static final Map<String, String> BY_RESOURCE = new java.util.LinkedHashMap<>();

    static {
        BY_RESOURCE.put("nvidia.com/gpu", "nvidia");
        BY_RESOURCE.put("amd.com/gpu", "amd");
        BY_RESOURCE.put("gpu.intel.com/i915", "intel");
        BY_RESOURCE.put("gpu.intel.com/xe", "intel"); // Intel's plugin for GPUs on the newer xe kernel driver
    }

    /** NVIDIA's vendor name. */
    public static final String NVIDIA = "nvidia";

    /** The GPU resource names pods request: the device plugins' above, in their order. */
    public static final List<String> RESOURCES = List.copyOf(BY_RESOURCE.keySet());

    private GpuVendors() {
    }

    /** The vendor of device-plugin resource {@code name}, or null when it is no GPU resource. */
    public static String ofResource(String name) {
        return BY_RESOURCE.get(name);
    }

    /**
     * Extended resources one edit from a vendor's GPU resource that device plugins really advertise, so not typos:
     * {@code nvidia.com/pgpu} (the GPU Operator's whole GPUs passed through to Kata/confidential-container VMs) and
     * {@code nvidia.com/vgpu} (HAMi's virtual GPUs).
     */
    private static final java.util.Set<String> REAL_NEIGHBOURS = java.util.Set.of("nvidia.com/pgpu", "nvidia.com/vgpu");

    /**
     * The GPU resource {@code name} is almost surely a misspelling of: one a device plugin advertises ({@link #RESOURCES})
     * when {@code name} is not one but differs from it only in case or by one edit ({@code nvidia.com/GPU},
     * {@code nvidia.com/gpus}, {@code amd.com/gpus}); null otherwise, and for resources plugins do advertise near those
     * ({@link #REAL_NEIGHBOURS}). Resource names are case-sensitive, so the API server takes such a name, yet no node
     * lists it and kube-scheduler's NodeResourcesFit finds it at allocatable 0 on every node.
     */
    public static String misspelt(String name) {
        if (BY_RESOURCE.containsKey(name) || REAL_NEIGHBOURS.contains(name)) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String resource : BY_RESOURCE.keySet()) {
            if (NameLists.distance(lower, resource) <= 1) {
                return resource;
            }
        }
        return null;
    }

    /** Lower case, trimmed ({@code NVIDIA} → {@code nvidia}). */
    public static String normalize(String vendor) {
        return vendor.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The vendor of a pod whose containers request GPUs of {@code vendors}: "" for none, the one
     * vendor, or several joined by "+" (a pod asking for NVIDIA and AMD GPUs at once, which no
     * node offers: it then matches no shape of a known vendor).
     */
    public static String of(Collection<String> vendors) {
        return String.join("+", new TreeSet<>(vendors));
    }

    /** Whether a pod asking for GPUs of {@code podVendor} ("" any) may use those of a shape of {@code shapeVendor} ("" unknown). */
    public static boolean allows(String podVendor, String shapeVendor) {
        if (podVendor.isEmpty() || shapeVendor.isEmpty()) {
            return true;
        }
        String offered = normalize(shapeVendor);
        if (podVendor.equals(offered) || offered.indexOf('+') < 0) {
            return podVendor.equals(offered);
        }
        List<String> each = List.of(offered.split("\\+"));
        for (String v : podVendor.split("\\+")) {
            if (!each.contains(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The resource names a pod of {@code vendor} requests, for messages: {@code nvidia.com/gpu}; a
     * vendor's several as alternatives ({@code gpu.intel.com/i915 or gpu.intel.com/xe}), several
     * vendors' together.
     */
    public static String resources(String vendor) {
        List<String> out = new java.util.ArrayList<>();
        for (String v : vendor.split("\\+")) {
            List<String> names = new java.util.ArrayList<>();
            BY_RESOURCE.forEach((resource, name) -> {
                if (name.equals(v)) {
                    names.add(resource);
                }
            });
            if (!names.isEmpty()) {
                out.add(String.join(" or ", names));
            }
        }
        return out.isEmpty() ? vendor : String.join(" and ", out);
    }

    /**
     * Why a pod asking for GPUs of {@code podVendor} cannot use shape {@code shapeName}'s GPUs of
     * {@code shapeVendor}, or null when it can.
     */
    public static String whyNot(String podVendor, String shapeName, String shapeVendor) {
        if (allows(podVendor, shapeVendor)) {
            return null;
        }
        return "needs " + resources(podVendor) + "; " + shapeName + " has " + normalize(shapeVendor).toUpperCase(Locale.ROOT)
                + " GPUs (" + resources(normalize(shapeVendor)) + ", another vendor's device plugin)";
    }
}
