package io.nodesizer.kube.provider;

import io.nodesizer.input.KeyValueSpec;
import io.nodesizer.input.Values;
import io.nodesizer.model.Resources;

import java.util.List;

/**
 * A reservation the user states ({@code --reserved cpu=100m,memory=1Gi,eviction=100Mi[,ephemeral-storage=1Gi]}):
 * kube-reserved plus system-reserved as one amount per resource, and the memory eviction threshold (an amount or a
 * percentage of the node's memory; the kubelet's default 100Mi when left out); the kubelet's default root-filesystem
 * eviction threshold stays ({@link #NODEFS_EVICTION}). They come off the memory the kubelet sees: on a provider's shapes that is the nominal memory less the OS's share the provider's policy
 * gives ({@link ReservationPolicy#kubeletCapacity}: the OS's share of the memory, {@code --os-memory}, and GKE's boot-disk partitions), since --reserved replaces what is reserved, not
 * what the machine's OS keeps.
 */
public record CustomReservation(long cpuMillis, long memoryBytes, long evictionBytes, double evictionFraction, long ephemeralStorageBytes,
                                ReservationPolicy defaults) implements ReservationPolicy {

    /**
     * The kubelet's default hard eviction threshold on the root filesystem ({@code nodefs.available<10%}): --reserved's
     * {@code eviction} is the memory one, and this one stays (it was dropped, a whole 20 GiB disk allocatable: QA 60b F5).
     */
    public static final double NODEFS_EVICTION = 0.10;

    /** The kubelet's default hard eviction threshold on memory ({@code memory.available<100Mi}), when eviction= is left out. */
    public static final long DEFAULT_MEMORY_EVICTION = 100L << 20;

    /** A reservation whose max pods and disk are the kubelet's defaults (110, disk unknown). */
    public CustomReservation(long cpuMillis, long memoryBytes, long evictionBytes, long ephemeralStorageBytes) {
        this(cpuMillis, memoryBytes, evictionBytes, 0, ephemeralStorageBytes, null);
    }

    /**
     * The same reservation on nodes of {@code provider}'s policy: --reserved replaces what is reserved, not the
     * node pool's max pods (AKS's 250 on overlay) or its root disk, which the provider's policy still says.
     */
    public CustomReservation withDefaultsOf(ReservationPolicy provider) {
        return new CustomReservation(cpuMillis, memoryBytes, evictionBytes, evictionFraction, ephemeralStorageBytes, provider);
    }

    @Override
    public int defaultMaxPods(Integer catalogMaxPods) {
        return defaults == null ? ReservationPolicy.super.defaultMaxPods(catalogMaxPods) : defaults.defaultMaxPods(catalogMaxPods);
    }

    @Override
    public boolean readsCatalogMaxPods() {
        return defaults == null || defaults.readsCatalogMaxPods();
    }

    @Override
    public String maxPodsBasis() {
        return defaults == null ? ReservationPolicy.super.maxPodsBasis() : defaults.maxPodsBasis();
    }

    @Override
    public long defaultDiskBytes() {
        return defaults == null ? ReservationPolicy.super.defaultDiskBytes() : defaults.defaultDiskBytes();
    }

    /** The provider's OS share is per architecture (Karpenter's arm64): --reserved replaces what is reserved, not that. */
    @Override
    public ReservationPolicy forArch(String arch) {
        return defaults == null ? this : withDefaultsOf(defaults.forArch(arch));
    }

    @Override
    public long osMemoryBytes(long memoryBytes) {
        return defaults == null ? 0 : defaults.osMemoryBytes(memoryBytes);
    }

    public static CustomReservation parse(String text) {
        KeyValueSpec spec = KeyValueSpec.parse("--reserved", text, List.of("cpu", "memory", "eviction", "ephemeral-storage"));
        long cpu = spec.has("cpu") ? Values.cpuMillis(spec.single("cpu"), spec.at("cpu"), "reserved cpu") : 0;
        long mem = spec.has("memory") ? Values.bytes(spec.single("memory"), spec.at("memory"), "reserved memory") : 0;
        // The memory eviction threshold as the kubelet takes memory.available: an amount, or a percentage of the node's memory.
        // Left out, it is the kubelet's default memory.available<100Mi (DefaultEvictionHard, kubernetes
        // pkg/kubelet/eviction/defaults_linux.go): kube-reserved and system-reserved leave evictionHard as it is, so only
        // eviction=0 means none (QA 68c F13: an omitted key was none, 100 MiB a node more than the kubelet offers).
        String e = spec.has("eviction") ? spec.single("eviction").trim() : null;
        double fraction = 0;
        long eviction = DEFAULT_MEMORY_EVICTION;
        if (e != null && e.endsWith("%")) {
            fraction = percent(e, spec.at("eviction"));
            eviction = 0;
        } else if (e != null) {
            eviction = Values.bytes(e, spec.at("eviction"), "eviction threshold");
        }
        long storage = spec.has("ephemeral-storage")
                ? Values.bytes(spec.single("ephemeral-storage"), spec.at("ephemeral-storage"), "reserved ephemeral-storage") : 0;
        return new CustomReservation(cpu, mem, eviction, fraction, storage, null);
    }

    /** {@code 10%} as 0.1: a percentage above 0 and below 100, as the kubelet takes a percentage threshold. */
    private static double percent(String text, io.nodesizer.input.SourceLocation at) {
        String number = text.substring(0, text.length() - 1).trim();
        double p = number.matches("[0-9]+(\\.[0-9]+)?") ? Double.parseDouble(number) : -1; // the pattern parses
        if (!(p > 0 && p < 100)) {
            throw new io.nodesizer.input.InputException(at, "The eviction threshold (" + text + ") must be an amount such as 100Mi or a "
                    + "percentage of the node's memory above 0 and below 100, such as 5%.");
        }
        return p / 100;
    }

    @Override
    public String name() {
        return "custom";
    }

    /** The provider's: --reserved replaces what is reserved, not what the OS keeps of the memory and the disk. */
    @Override
    public Resources kubeletCapacity(Resources capacity) {
        return defaults == null ? capacity : defaults.kubeletCapacity(capacity);
    }

    @Override
    public Resources allocatable(Resources capacity) {
        Resources kubelet = kubeletCapacity(capacity);
        long eviction = evictionBytes + (long) Math.ceil(kubelet.memoryBytes() * evictionFraction); // of what the kubelet sees
        long disk = kubelet.ephemeralStorageBytes();
        return new Resources(ReservationPolicy.minus(capacity.cpuMillis(), cpuMillis),
                ReservationPolicy.minus(kubelet.memoryBytes(), memoryBytes + eviction), capacity.pods(), capacity.gpuMillis(),
                ReservationPolicy.minus(disk, ephemeralStorageBytes + (long) Math.ceil(disk * NODEFS_EVICTION)));
    }
}
