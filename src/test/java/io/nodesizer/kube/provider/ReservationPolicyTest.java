package io.nodesizer.kube.provider;

import io.nodesizer.input.InputException;
import io.nodesizer.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every row of the worked-examples table in shared/data/catalogs/allocatable.md (no VM overhead,
 * max pods 110): vCPU, memory MiB, then EKS, GKE and AKS (>= 1.29) CPU millicores and memory MiB.
 */
final class ReservationPolicyTest {
    private static final long MIB = 1024L * 1024;

    private static Resources capacity(int vcpu, long mib, int pods) {
        return new Resources(vcpu * 1000L, mib * MIB, pods, 0, 0);
    }

    @ParameterizedTest
    @CsvSource({
        "2, 4096, 1930, 2531, 1930, 2977, 1900, 2972",
        "2, 8192, 1930, 6627, 1930, 6273, 1900, 6044",
        "2, 16384, 1930, 14819, 1930, 13661, 1900, 14034",
        "4, 8192, 3920, 6627, 3920, 6273, 3860, 6044",
        "4, 16384, 3920, 14819, 3920, 13661, 3860, 14034",
        "4, 32768, 3920, 31203, 3920, 29062, 3860, 30418",
        "8, 16384, 7910, 14819, 7910, 13661, 7820, 14034",
        "8, 32768, 7910, 31203, 7910, 29062, 7820, 30418",
        "8, 65536, 7910, 63971, 7910, 59864, 7820, 63186",
        "16, 32768, 15890, 31203, 15890, 29062, 15740, 30418",
        "16, 65536, 15890, 63971, 15890, 59864, 15740, 63186",
        "16, 131072, 15890, 129507, 15890, 121591, 15740, 128722",
        "32, 65536, 31850, 63971, 31850, 59864, 31580, 63186",
        "32, 131072, 31850, 129507, 31850, 121591, 31580, 128722",
        "32, 262144, 31850, 260579, 31850, 250042, 31580, 259794",
        "64, 131072, 63770, 129507, 63770, 121591, 63260, 128722",
        "64, 262144, 63770, 260579, 63770, 250042, 63260, 259794",
        "64, 524288, 63770, 522723, 63770, 506943, 63260, 521938",
        "96, 196608, 95690, 195043, 95690, 185816, 94940, 194258",
        "96, 393216, 95690, 391651, 95690, 378492, 94940, 390866",
        "96, 786432, 95690, 784867, 95690, 763844, 94940, 784082",
    })
    void workedExamplesTable(int vcpu, long mib, long eksCpu, long eksMem, long gkeCpu, long gkeMem, long aksCpu, long aksMem) {
        // The table is the providers' formulas on the nominal memory: no OS share (OsMemory, tested below).
        Resources eks = new EksReservation(OsMemory.NONE).allocatable(capacity(vcpu, mib, 110));
        assertThat(eks.cpuMillis()).isEqualTo(eksCpu);
        assertThat(eks.memoryBytes()).isEqualTo(eksMem * MIB);
        // The table leaves out GKE's kernel reserve; nodesizer's gke policy subtracts it too (tested below).
        assertThat(vcpu * 1000L - GkeReservation.cpuReservedMillis(vcpu * 1000L)).isEqualTo(gkeCpu);
        assertThat(mib - GkeReservation.memoryReservedMib(mib) - 100).isEqualTo(gkeMem);
        Resources aks = new AksReservation(false).withOsMemory(OsMemory.NONE).allocatable(capacity(vcpu, mib, 110));
        assertThat(aks.cpuMillis()).isEqualTo(aksCpu);
        assertThat(aks.memoryBytes()).isEqualTo(aksMem * MIB);
    }

    @Test
    void gkeAlsoSubtractsTheKernelReserve() {
        // 16384 MiB: kernel 16384/64 + 16 + 64 (above 3 GiB) = 336; kube-reserved 2623; eviction 100 → 13325 MiB.
        Resources gke = new GkeReservation().allocatable(capacity(4, 16384, 110));
        assertThat(gke.memoryBytes()).isEqualTo(13325 * MIB);
        assertThat(GkeReservation.memoryReservedMib(1000)).isEqualTo(255);
        assertThat(GkeReservation.kernelReservedMib(2048)).isEqualTo(2048 / 64 + 16);
    }

    /**
     * nodeadm reserves memory for the ENI table's max pods and lays a user's maxPods over the kubelet config without
     * working the reservation out again (amazon-eks-ami nodeadm/internal/kubelet/config.go): --max-pods changes the
     * pod slots, not the EKS reservation. Karpenter on AL2023/AL2 reserves for the ENI-limited pods too
     * (UsesENILimitedMemoryOverhead; review 75 F1: it reserved for 110, 572 MiB less here). QA 50a's hand check:
     * m5.xlarge (16,384 MiB, ENI 58) 16384 − 786.6 (OS) − 893 − 100 = 14,604 MiB with maxPods 110 (was 14,032).
     */
    @Test
    void eksReservesForTheEniMaxPodsWhateverMaxPodsIsSet() {
        io.nodesizer.model.InstanceType xlarge = io.nodesizer.catalog.Catalogs.load("aws").stream()
                .filter(t -> t.name().equals("m5.xlarge")).findFirst().orElseThrow();
        var eni = io.nodesizer.catalog.NodeShapes.toShape(xlarge, new EksReservation(), null, null);
        var raised = io.nodesizer.catalog.NodeShapes.toShape(xlarge, new EksReservation(), 110, null);
        assertThat(eni.allocatable().pods()).isEqualTo(58);
        assertThat(raised.allocatable().pods()).isEqualTo(110);
        assertThat(raised.allocatable().memoryBytes()).isEqualTo(eni.allocatable().memoryBytes());
        assertThat(raised.allocatable().memoryBytes() / MIB).isEqualTo(14604);
        var karpenter = io.nodesizer.catalog.NodeShapes.toShape(xlarge, new KarpenterReservation(), 110, null);
        var karpenterEni = io.nodesizer.catalog.NodeShapes.toShape(xlarge, new KarpenterReservation(), null, null);
        assertThat(karpenter.allocatable().pods()).isEqualTo(110);
        assertThat(karpenter.allocatable().memoryBytes()).as("the ENI's 58 reserved for").isEqualTo(karpenterEni.allocatable().memoryBytes());
        // 16384 − ⌈16384 × 7.5 %⌉ 1229 − (11 × 58 + 255) 893 − 100 = 14,162 MiB.
        assertThat(karpenter.allocatable().memoryBytes() / MIB).isEqualTo(14162);
        // Karpenter's fit estimate of the eks shape in replay: the same kube-reserved, its own VM overhead for the OS's share.
        assertThat(KarpenterReservation.estimatedAllocatable(raised)).isEqualTo(karpenter.allocatable());
        assertThat(KarpenterReservation.kubeReservedMemoryBytes(raised)).isEqualTo(893 * MIB);
    }

    /** The aws catalog's {@code type} as a shape of {@code policy}, at its default max pods. */
    private static io.nodesizer.model.NodeShape awsShape(String type, ReservationPolicy policy) {
        return io.nodesizer.catalog.NodeShapes.toShape(io.nodesizer.catalog.Catalogs.load("aws").stream().filter(t -> t.name().equals(type))
                .findFirst().orElseThrow(), policy, null, null);
    }

    /**
     * Review 75 F5: Karpenter's {@code memory()} takes 64 MiB (Graviton CMA) off arm64 types before the 7.5 % VM overhead:
     * m6g.large 8192 − 64 = 8128 − ⌈8128 × 7.5 %⌉ 610 − 574 − 100 = 6,844 MiB (it was 6,903, as an m5.large).
     */
    @Test
    void karpenterTakesGravitonsCmaBeforeTheVmOverhead() {
        var graviton = awsShape("m6g.large", new KarpenterReservation());
        var intel = awsShape("m5.large", new KarpenterReservation());
        assertThat(graviton.arch()).isEqualTo("arm64");
        assertThat(graviton.allocatable().memoryBytes() / MIB).isEqualTo(6844);
        assertThat(graviton.kubeletCapacity().memoryBytes() / MIB).isEqualTo(8192 - 64 - 610);
        assertThat(intel.allocatable().memoryBytes() / MIB).isEqualTo(6903);
        // The replay's estimate of an eks Graviton shape, and --reserved over karpenter, take it off too.
        var eksGraviton = awsShape("m6g.large", new EksReservation());
        assertThat(KarpenterReservation.estimatedAllocatable(eksGraviton).memoryBytes() / MIB).isEqualTo(6844);
        assertThat(CustomReservation.parse("memory=1Gi").withDefaultsOf(new KarpenterReservation()).forArch("arm64")
                .kubeletCapacity(capacity(2, 8192, 29)).memoryBytes() / MIB).isEqualTo(8192 - 64 - 610);
    }

    @Test
    void karpenterSubtractsVmMemoryOverhead() {
        // m5.large: 8192 MiB, 29 pods: 8192 − ceil(8192 × 7.5 %) 615 − (11 × 29 + 255) 574 − 100 = 6903 MiB.
        Resources r = new KarpenterReservation().allocatable(capacity(2, 8192, 29));
        assertThat(r.memoryBytes()).isEqualTo(6903 * MIB);
        assertThat(r.cpuMillis()).isEqualTo(1930);
    }

    @Test
    void aksInterpolatesCpuAndFollowsThePageExample() {
        // 12 cores: between 8 → 180 and 16 → 260: 180 + 4/8 × 80 = 220. 48: 420 + 16/32 × 320 = 580. 100: 740 + 36 × 10.
        assertThat(AksReservation.cpuReservedMillis(12_000)).isEqualTo(220);
        assertThat(AksReservation.cpuReservedMillis(48_000)).isEqualTo(580);
        assertThat(AksReservation.cpuReservedMillis(100_000)).isEqualTo(1100);
        // The page: 8 GB node, 30 pods → 20 × 30 + 50 = 650 reserved (below 25 % = 2048).
        Resources r = new AksReservation(false).withOsMemory(OsMemory.NONE).allocatable(capacity(2, 8192, 30));
        assertThat(r.memoryBytes()).isEqualTo((8192 - 650 - 100) * MIB);
    }

    @Test
    void aksLegacyUsesBracketsAndALargerEviction() {
        // 8192 MiB: 25 % of 4096 + 20 % of 4096 = 1843 (truncated), eviction 750 → 5599 MiB.
        Resources r = new AksReservation(true).withOsMemory(OsMemory.NONE).allocatable(capacity(2, 8192, 110));
        assertThat(r.memoryBytes()).isEqualTo((8192 - 1843 - 750) * MIB);
    }

    /**
     * What real nodes report (2i2c-org/infrastructure instance_capacities.yaml @ 5857bd8, kubectl get node): the default
     * OS share puts each node's allocatable within 1 % below to 0.5 % above what it reports (m5.xlarge nodes report 14.20-14.38 GiB), where
     * the nominal memory overstated it by 2.8-7.9 % (QA 39a finding 1).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        // type, provider policy, vCPU, nominal MiB, max pods, reported allocatable GiB
        "r5.xlarge, eks, 4, 32768, 58, 29.916",
        "r5.2xlarge, eks, 8, 65536, 58, 61.041",
        "r5.4xlarge, eks, 16, 131072, 234, 121.492",
        "r5.16xlarge, eks, 64, 524288, 737, 490.108",
        "r7i.xlarge, eks, 4, 32768, 58, 29.847",
        "m5.large, eks, 2, 8192, 29, 6.803",
        // Small nodes keep about 6.5 % (QA 53c F2): a t3.small's nodes report 1.404 GiB, a t3.medium's 3,388,360 Ki.
        "t3.small, eks, 2, 2048, 11, 1.404",
        "t3.medium, eks, 2, 4096, 17, 3.2314",
        "m5.xlarge, eks, 4, 16384, 58, 14.202",
        "g4dn.xlarge, eks, 4, 16384, 29, 14.666",
        "Standard_E2_v4, aks, 2, 16384, 110, 13.321",
        "Standard_E4s_v3, aks-legacy, 4, 32768, 250, 27.05",
        "Standard_E8s_v5, aks-legacy, 8, 65536, 250, 56.581",
    })
    void theOsShareBringsAllocatableToWhatNodesReport(String type, String policy, int vcpu, long mib, int pods, double reportedGib) {
        double gib = ReservationPolicies.byName(policy).allocatable(capacity(vcpu, mib, pods)).memoryBytes() / (double) (1L << 30);
        assertThat(gib).as(type).isLessThanOrEqualTo(reportedGib * 1.005).isGreaterThan(reportedGib * 0.99);
        double nominal = new EksReservation(OsMemory.NONE).allocatable(capacity(vcpu, mib, pods)).memoryBytes() / (double) (1L << 30);
        if (policy.equals("eks")) {
            assertThat(nominal).as(type + " on the nominal memory").isGreaterThan(reportedGib * 1.02);
        }
    }

    @Test
    void theOsShareIsAnInput() {
        assertThat(OsMemory.parse("3%+300Mi", "--os-memory")).isEqualTo(new OsMemory(3, 300));
        assertThat(OsMemory.parse("2.5%", "--os-memory")).isEqualTo(new OsMemory(2.5, 0));
        assertThat(OsMemory.parse("300Mi", "--os-memory")).isEqualTo(new OsMemory(0, 300));
        assertThat(OsMemory.parse("0", "--os-memory")).isEqualTo(OsMemory.NONE);
        assertThat(OsMemory.EKS).hasToString("2.61%+359Mi,max=6.5%");
        assertThat(OsMemory.parse("2.61%+359Mi,max=6.5%", "--os-memory")).isEqualTo(OsMemory.EKS);
        // 8192 MiB: ceil(2.61 % × 8192) = 214, + 359 = 573, but at most ceil(6.5 % × 8192) = 533; 32 GiB: the fit, 1,215.
        assertThat(OsMemory.EKS.bytes(8192 * MIB)).isEqualTo(533 * MIB);
        assertThat(OsMemory.EKS.bytes(32768 * MIB)).isEqualTo(1215 * MIB);
        assertThat(new OsMemory(2.61, 359).bytes(8192 * MIB)).isEqualTo(573 * MIB);
        assertThatThrownBy(() -> OsMemory.parse("3 percent", "--os-memory")).isInstanceOf(InputException.class)
                .hasMessage("--os-memory: The OS memory reserve (3 percent) must look like 2.61%+359Mi, 3%, 300Mi or 0: a share of the "
                        + "nominal memory and/or a fixed amount in MiB (with ,max=6.5% for the most kept).");
        assertThatThrownBy(() -> OsMemory.parse("60%", "--os-memory")).isInstanceOf(InputException.class).hasMessageContaining("below 50%");
    }

    @Test
    void eksReservesEphemeralStorage() {
        // 20 GiB disk: 1 GiB kube-reserved + 10 % nodefs eviction (2 GiB) → 17 GiB.
        Resources r = new EksReservation().allocatable(new Resources(2000, 4096 * MIB, 29, 0, 20L * 1024 * MIB));
        assertThat(r.ephemeralStorageBytes()).isEqualTo(20L * 1024 * MIB - 1024 * MIB - 2L * 1024 * MIB);
    }

    @Test
    void gkeReservesTheBootDisksOsPartitionsAndKubeReservedEphemeralStorage() {
        long gib = 1024L * MIB;
        // GKE's "plan node sizes" example node, 100 GiB boot disk: capacity 98,831,908 Ki, allocatable 47,060,071,478 B.
        // The prediction takes a little more (COS partitions estimated 5.81 GiB where that node's came to 5.75): 43.77 GiB.
        long predicted = GkeReservation.ephemeralAllocatable(100 * gib);
        assertThat(predicted).isLessThanOrEqualTo(47_060_071_478L).isGreaterThan((long) (47_060_071_478L * 0.995));
        assertThat(new GkeReservation().defaultDiskBytes()).isEqualTo(100 * gib);
        Resources r = new GkeReservation().allocatable(new Resources(8000, 32768 * MIB, 110, 0, 100 * gib));
        assertThat(r.ephemeralStorageBytes()).isEqualTo(predicted);
        // kube-reserved: min(½, 6 + 35 %, 100) GiB of the disk's whole GiB.
        assertThat(GkeReservation.kubeReservedEphemeralGib(30)).isEqualTo(15);
        assertThat(GkeReservation.kubeReservedEphemeralGib(100)).isEqualTo(41);
        assertThat(GkeReservation.kubeReservedEphemeralGib(300)).isEqualTo(100);
        assertThat(GkeReservation.ephemeralAllocatable(0)).isZero();
    }

    @Test
    void theKubeletsCapacityIsTheNominalLessWhatTheOsKeeps() {
        long gib = 1024L * MIB;
        // A real r5.xlarge (32 GiB) reports 30.89 GiB of capacity; the EKS fit keeps 1,215 MiB of it.
        Resources eks = new EksReservation().kubeletCapacity(new Resources(4000, 32768 * MIB, 58, 0, 20 * gib));
        assertThat(eks).isEqualTo(new Resources(4000, (32768 - 1215) * MIB, 58, 0, 20 * gib));
        assertThat(eks.memoryBytes() / (double) gib).isCloseTo(30.89, org.assertj.core.data.Offset.offset(0.1));
        // GKE's example node, a 100 GiB boot disk: the kubelet reports 98,831,908 Ki of ephemeral storage (COS keeps the rest).
        Resources gke = new GkeReservation().kubeletCapacity(new Resources(8000, 32768 * MIB, 110, 0, 100 * gib));
        assertThat(gke.ephemeralStorageBytes()).isLessThanOrEqualTo(98_831_908L * 1024).isGreaterThan((long) (98_831_908L * 1024 * 0.999));
        assertThat(gke.memoryBytes()).isEqualTo((32768 - GkeReservation.kernelReservedMib(32768)) * MIB);
        assertThat(new NoReservation().kubeletCapacity(capacity(4, 16384, 110))).isEqualTo(capacity(4, 16384, 110));
        // --reserved replaces what is reserved, not what the OS keeps: on GKE the disk's 10 % comes off what COS leaves.
        Resources custom = CustomReservation.parse("cpu=100m,memory=1Gi").withDefaultsOf(new GkeReservation())
                .allocatable(new Resources(8000, 32768 * MIB, 110, 0, 100 * gib));
        assertThat(custom.ephemeralStorageBytes()).isEqualTo(gke.ephemeralStorageBytes() - (long) Math.ceil(gke.ephemeralStorageBytes() * 0.1));
        assertThat(custom.memoryBytes()).isEqualTo(gke.memoryBytes() - gib - 100 * MIB);
    }

    @Test
    void customReservationParsesItsSpec() {
        CustomReservation c = CustomReservation.parse("cpu=100m,memory=1Gi,eviction=100Mi");
        Resources r = c.allocatable(capacity(4, 16384, 110));
        assertThat(r.cpuMillis()).isEqualTo(3900);
        assertThat(r.memoryBytes()).isEqualTo((16384 - 1024 - 100) * MIB);
        // eviction= left out is the kubelet's default memory.available<100Mi, which kube-reserved leaves as it is; eviction=0 is
        // none (QA 68c F13: an omitted key was none, the kubelet's whole capacity allocatable).
        assertThat(CustomReservation.parse("cpu=100m").allocatable(capacity(4, 16384, 110)).memoryBytes()).isEqualTo((16384 - 100) * MIB);
        assertThat(CustomReservation.parse("cpu=100m,memory=0").allocatable(capacity(4, 16384, 110)).memoryBytes())
                .isEqualTo((16384 - 100) * MIB);
        assertThat(CustomReservation.parse("cpu=100m,memory=1Gi,eviction=0").allocatable(capacity(4, 16384, 110)).memoryBytes())
                .isEqualTo((16384 - 1024) * MIB);
        assertThat(CustomReservation.parse("eviction=5%").allocatable(capacity(4, 16384, 110)).memoryBytes())
                .as("a percentage replaces the 100Mi, not adds to it").isEqualTo(16384 * MIB - (long) Math.ceil(16384 * MIB * 0.05));
        assertThatThrownBy(() -> CustomReservation.parse("cpu=1,disk=2")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("--reserved: The key 'disk'");
        assertThatThrownBy(() -> CustomReservation.parse("memory=1.5.5Gi")).isInstanceOf(InputException.class)
                .hasMessageContaining("1.5.5Gi");
    }

    @Test
    void unknownOverheadListsTheValidNames() {
        assertThatThrownBy(() -> ReservationPolicies.byName("eks2")).isInstanceOf(InputException.class)
                .hasMessageContaining("eks, karpenter, gke, aks, aks-legacy, none");
    }
}
