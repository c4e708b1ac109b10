package io.nodesizer.kube.provider;

import io.nodesizer.input.KeyValueSpec;
import io.nodesizer.input.Values;
import io.nodesizer.model.Resources;

import java.util.List;

/**
 * A reservation the user states ({@code --reserved cpu=100m,memory=1Gi,eviction=100Mi[,ephemeral-storage=1Gi]}):
 * kube-reserved plus system-reserved as one amount per resource, and the memory eviction threshold. They come off the
 * memory the kubelet sees: on a provider's shapes that is the nominal memory less the OS's share the provider's policy
 * gives ({@link ReservationPolicy#osMemoryBytes}, {@code --os-memory}), since --reserved replaces what is reserved, not
 * what the machine's OS keeps.
 */
public record CustomReservation(long cpuMillis, long memoryBytes, long evictionBytes, long ephemeralStorageBytes,
                                ReservationPolicy defaults) implements ReservationPolicy {

    /** A reservation whose max pods and disk are the kubelet's defaults (110, disk unknown). */
    public CustomReservation(long cpuMillis, long memoryBytes, long evictionBytes, long ephemeralStorageBytes) {
        this(cpuMillis, memoryBytes, evictionBytes, ephemeralStorageBytes, null);
    }

    /**
     * The same reservation on nodes of {@code provider}'s policy: --reserved replaces what is reserved, not the
     * node pool's max pods (AKS's 250 on overlay) or its root disk, which the provider's policy still says.
     */
    public CustomReservation withDefaultsOf(ReservationPolicy provider) {
        return new CustomReservation(cpuMillis, memoryBytes, evictionBytes, ephemeralStorageBytes, provider);
    }

    @Override
    public int defaultMaxPods(Integer catalogMaxPods) {
        return defaults == null ? ReservationPolicy.super.defaultMaxPods(catalogMaxPods) : defaults.defaultMaxPods(catalogMaxPods);
    }

    @Override
    public String maxPodsBasis() {
        return defaults == null ? ReservationPolicy.super.maxPodsBasis() : defaults.maxPodsBasis();
    }

    @Override
    public long defaultDiskBytes() {
        return defaults == null ? ReservationPolicy.super.defaultDiskBytes() : defaults.defaultDiskBytes();
    }

    @Override
    public long osMemoryBytes(long memoryBytes) {
        return defaults == null ? 0 : defaults.osMemoryBytes(memoryBytes);
    }

    public static CustomReservation parse(String text) {
        KeyValueSpec spec = KeyValueSpec.parse("--reserved", text, List.of("cpu", "memory", "eviction", "ephemeral-storage"));
        long cpu = spec.has("cpu") ? Values.cpuMillis(spec.single("cpu"), spec.at("cpu"), "reserved cpu") : 0;
        long mem = spec.has("memory") ? Values.bytes(spec.single("memory"), spec.at("memory"), "reserved memory") : 0;
        long eviction = spec.has("eviction") ? Values.bytes(spec.single("eviction"), spec.at("eviction"), "eviction threshold") : 0;
        long storage = spec.has("ephemeral-storage")
                ? Values.bytes(spec.single("ephemeral-storage"), spec.at("ephemeral-storage"), "reserved ephemeral-storage") : 0;
        return new CustomReservation(cpu, mem, eviction, storage);
    }

    @Override
    public String name() {
        return "custom";
    }

    @Override
    public Resources allocatable(Resources capacity) {
        return new Resources(ReservationPolicy.minus(capacity.cpuMillis(), cpuMillis),
                ReservationPolicy.minus(capacity.memoryBytes(), memoryBytes + evictionBytes + osMemoryBytes(capacity.memoryBytes())), capacity.pods(), capacity.gpuMillis(),
                ReservationPolicy.minus(capacity.ephemeralStorageBytes(), ephemeralStorageBytes));
    }
}
