package io.nodesizer.kube.provider;

import io.nodesizer.model.Resources;

/**
 * AKS (Microsoft Learn, "Node resource reservations in Azure Kubernetes Service"):
 * <ul>
 *   <li>CPU by core count from the page's table (1 → 60 m, 2 → 100, 4 → 140, 8 → 180, 16 → 260,
 *       32 → 420, 64 → 740), linear in between, +10 m per core above 64;</li>
 *   <li>Kubernetes 1.29 and later: memory min(20 MiB × max pods + 50 MiB, 25 % of memory) and
 *       eviction memory.available 100Mi (the page's example: 8 GB, 30 pods → 650 reserved);</li>
 *   <li>before 1.29 ({@code legacy}): 25 % of the first 4 GiB, 20 % of the next 4, 10 % of the next
 *       8, 6 % of the next 112, 2 % above 128 GiB, and eviction 750Mi;</li>
 *   <li>max pods is the node pool's setting, whose default follows the network plugin
 *       ({@link #NETWORK_PLUGINS}: Azure CNI Overlay 250 — AKS's default plugin —, kubenet 110,
 *       classic Azure CNI 30); OS disk 128 GiB; nodefs 10 % eviction.</li>
 * </ul>
 */
public final class AksReservation implements ReservationPolicy {
    private static final long[][] CPU_TABLE = {{1, 60}, {2, 100}, {4, 140}, {8, 180}, {16, 260}, {32, 420}, {64, 740}};

    /** {@code --network-plugin} name → the node pool's default max pods. */
    public static final java.util.Map<String, Integer> NETWORK_PLUGINS = java.util.Map.of("overlay", 250, "kubenet", 110,
            "azure-cni", 30);
    private static final String DEFAULT_PLUGIN = "overlay";

    private final boolean legacy;
    private final int defaultMaxPods;
    private final OsMemory os;

    public AksReservation(boolean legacy) {
        this(legacy, NETWORK_PLUGINS.get(DEFAULT_PLUGIN), OsMemory.AKS);
    }

    private AksReservation(boolean legacy, int defaultMaxPods, OsMemory os) {
        this.legacy = legacy;
        this.defaultMaxPods = defaultMaxPods;
        this.os = os;
    }

    /** The same formula with another OS memory reserve ({@code --os-memory}). */
    public AksReservation withOsMemory(OsMemory reserve) {
        return new AksReservation(legacy, defaultMaxPods, reserve);
    }

    /** The same formula for node pools on another network plugin (a key of {@link #NETWORK_PLUGINS}). */
    public AksReservation withNetworkPlugin(String plugin) {
        Integer pods = NETWORK_PLUGINS.get(plugin);
        if (pods == null) {
            throw new IllegalArgumentException("Unknown network plugin " + plugin);
        }
        return new AksReservation(legacy, pods, os);
    }

    @Override
    public String name() {
        return legacy ? "aks-legacy" : "aks";
    }

    @Override
    public String maxPodsBasis() {
        String plugin = NETWORK_PLUGINS.entrySet().stream().filter(e -> e.getValue() == defaultMaxPods).map(java.util.Map.Entry::getKey)
                .findFirst().orElse(DEFAULT_PLUGIN);
        return "max pods " + defaultMaxPods + " (AKS on " + switch (plugin) {
            case "overlay" -> "Azure CNI Overlay";
            case "kubenet" -> "kubenet";
            default -> "classic Azure CNI";
        } + "; --network-plugin overlay 250, kubenet 110, azure-cni 30)";
    }

    static long cpuReservedMillis(long cpuMillis) {
        double cores = cpuMillis / 1000.0;
        if (cores <= CPU_TABLE[0][0]) {
            return CPU_TABLE[0][1];
        }
        for (int i = 1; i < CPU_TABLE.length; i++) {
            if (cores <= CPU_TABLE[i][0]) {
                double lo = CPU_TABLE[i - 1][0];
                double hi = CPU_TABLE[i][0];
                double v = CPU_TABLE[i - 1][1] + (cores - lo) / (hi - lo) * (CPU_TABLE[i][1] - CPU_TABLE[i - 1][1]);
                return Math.round(v);
            }
        }
        return Math.round(740 + (cores - 64) * 10);
    }

    static long legacyMemoryReservedMib(long memoryMib) {
        double[][] brackets = {{0, 4096, 0.25}, {4096, 8192, 0.20}, {8192, 16384, 0.10}, {16384, 131072, 0.06},
            {131072, Double.MAX_VALUE, 0.02}};
        double reserved = 0;
        for (double[] b : brackets) {
            reserved += Math.max(0, Math.min(memoryMib, b[1]) - b[0]) * b[2];
        }
        return (long) reserved;
    }

    @Override
    public Resources allocatable(Resources capacity) {
        long mib = capacity.memoryBytes() / MIB;
        long cpu = ReservationPolicy.minus(capacity.cpuMillis(), cpuReservedMillis(capacity.cpuMillis()));
        long reservedMib = legacy ? legacyMemoryReservedMib(mib) + 750
                : Math.min(20 * capacity.pods() + 50, mib / 4) + 100;
        // The reservations are of the nominal memory (the 2i2c nodes' reserved part matches them exactly); the OS keeps its share first.
        long mem = ReservationPolicy.minus(capacity.memoryBytes(), reservedMib * MIB + osMemoryBytes(capacity.memoryBytes()));
        long disk = capacity.ephemeralStorageBytes();
        long storage = disk == 0 ? 0 : ReservationPolicy.minus(disk, disk / 10);
        return new Resources(cpu, mem, capacity.pods(), capacity.gpuMillis(), storage);
    }

    @Override
    public long osMemoryBytes(long memoryBytes) {
        return os.bytes(memoryBytes);
    }

    @Override
    public int defaultMaxPods(Integer catalogMaxPods) {
        return defaultMaxPods;
    }

    @Override
    public boolean readsCatalogMaxPods() {
        return false;
    }

    @Override
    public long defaultDiskBytes() {
        return 128 * GIB;
    }
}
