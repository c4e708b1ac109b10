package io.nodesizer.engine;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class GpuDevicesTest {
    private static final NodeShape TWO_GPUS = Fixtures.shape("g2", new Resources(64_000, 256 * GIB, 110, 2000, 0));

    @Test
    void sharesFitOnOneDeviceAndWholeGpusNeedEmptyOnes() {
        int[] load = new int[2];
        assertThat(GpuDevices.take(load, 0, 2, 600)).isEqualTo(1L);      // device 0
        assertThat(GpuDevices.take(load, 0, 2, 300)).isEqualTo(1L);      // best fit: the fuller device 0
        assertThat(GpuDevices.fits(load, 0, 2, 200)).isTrue();           // device 1
        assertThat(GpuDevices.fits(load, 0, 2, 2000)).isFalse();         // 1,100 free pooled, one empty device
        assertThat(GpuDevices.fitCount(load, 0, 2, 500, 10)).isEqualTo(2); // 0 on device 0 (100 left), 2 on device 1
        assertThat(GpuDevices.take(load, 0, 2, 1000)).isEqualTo(2L);     // the empty device 1, whole
        assertThat(GpuDevices.fits(load, 0, 2, 100)).isTrue();           // device 0 has 100
        assertThat(GpuDevices.fits(load, 0, 2, 101)).isFalse();
        GpuDevices.release(load, 0, 2L, 1000);
        assertThat(load).containsExactly(900, 0);
        assertThat(GpuDevices.assign(new long[] {600, 600, 600}, 2)).isNull(); // 1,800 ≤ 2,000 pooled, but not on 2 devices
        assertThat(GpuDevices.assign(new long[] {500, 1000, 500, 0}, 2)).containsExactly(2L, 1L, 2L, 0L);
    }

    @Test
    void sharesThatFillEightDevicesToNinetySixPercentGetDevices() {
        // QA 53a F11: an FFD node of openb shares (five sizes, 7,680 of 8,000) that the greedy order cannot place and a
        // share-by-share search did not within its 200,000 nodes; FFD had placed them pod by pod, so verifying it failed.
        long[] shares = {220, 320, 220, 230, 320, 320, 460, 320, 270, 460, 220, 220, 220, 320, 230, 320, 220, 230, 320, 230, 320,
                320, 220, 230, 230, 230, 460};
        long[] masks = GpuDevices.assign(shares, 8);
        assertThat(masks).isNotNull();
        assertThat(java.util.Arrays.stream(deviceLoads(shares, masks, 8)).max().orElse(0)).isLessThanOrEqualTo(GpuDevices.UNIT);
        // With one whole GPU beside them, 7 devices are left for 7,680: no.
        long[] withWhole = java.util.Arrays.copyOf(shares, shares.length + 1);
        withWhole[shares.length] = 1000;
        assertThat(GpuDevices.assign(withWhole, 8)).isNull();
    }

    @Test
    void theDeviceSearchAgreesWithExhaustiveSearch() {
        // Random share multisets that fill most of a node, some with whole GPUs: assign's answer against a plain search
        // that tries every device for every share, and its devices checked.
        SplittableRandom random = new SplittableRandom(53);
        int found = 0;
        for (int trial = 0; trial < 400; trial++) {
            int devices = 2 + random.nextInt(4);
            int wholes = random.nextInt(3) == 0 ? 1 : 0;
            int[] sizes = {100 + 10 * random.nextInt(40), 100 + 10 * random.nextInt(40), 100 + 10 * random.nextInt(60)};
            List<Long> pods = new ArrayList<>();
            long total = wholes * 1000L;
            while (total < devices * 1000L * 9 / 10) {
                int g = sizes[random.nextInt(sizes.length)];
                pods.add((long) g);
                total += g;
            }
            if (wholes > 0) {
                pods.add(random.nextInt(pods.size() + 1), 1000L);
            }
            long[] requests = pods.stream().mapToLong(Long::longValue).toArray();
            long[] shares = pods.stream().filter(g -> g < 1000).mapToLong(Long::longValue).sorted().toArray();
            boolean expected = exhaustive(shares, shares.length - 1, new int[devices - wholes]);
            long[] masks = GpuDevices.assign(requests, devices);
            assertThat(masks != null).as("%s on %d devices", pods, devices).isEqualTo(expected);
            if (masks != null) {
                found++;
                assertThat(java.util.Arrays.stream(deviceLoads(requests, masks, devices)).max().orElse(0)).isLessThanOrEqualTo(GpuDevices.UNIT);
                for (int i = 0; i < requests.length; i++) {
                    assertThat(GpuDevices.validMask(masks[i], requests[i], devices)).isTrue();
                }
            }
        }
        assertThat(found).isBetween(40, 360); // both answers drawn often
    }

    /** Every device for every share, largest first. */
    private static boolean exhaustive(long[] ascending, int i, int[] load) {
        if (i < 0) {
            return true;
        }
        for (int d = 0; d < load.length; d++) {
            if (load[d] + ascending[i] <= 1000) {
                load[d] += (int) ascending[i];
                boolean ok = exhaustive(ascending, i - 1, load);
                load[d] -= (int) ascending[i];
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[] deviceLoads(long[] requests, long[] masks, int devices) {
        int[] load = new int[devices];
        for (int i = 0; i < requests.length; i++) {
            GpuDevices.occupy(load, 0, masks[i], requests[i]);
        }
        return load;
    }

    @Test
    void pooledRoomIsNotEnoughForSharesThatCannotShareADevice() {
        // Three 0.6-GPU shares: pooled they fit one 2-GPU node (1.8 ≤ 2); as devices, two nodes.
        Workload w = Workload.of(List.of(Fixtures.group("share", new Resources(1000, GIB, 1, 600, 0), 3)));
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(new PackingProblem(DemandTable.of(w), TWO_GPUS, Resources.ZERO), s.create(), 1);
            assertThat(r.nodeCount()).as(s.strategyName()).isEqualTo(2);
            assertThat(r.gpuDevices()).isNotNull();
        }
    }

    @Test
    void aShareOnAShapeWithoutAWholeDeviceIsUnschedulableWithTheReason() {
        NodeShape half = Fixtures.shape("half", new Resources(8000, 32 * GIB, 110, 500, 0));
        Workload w = Workload.of(List.of(Fixtures.group("share", new Resources(1000, GIB, 1, 300, 0), 1)));
        PackingResult r = PackingTestSupport.pack(w, half, "ffd");
        assertThat(r.unschedulable()).singleElement().satisfies(u -> assertThat(u.reason())
                .isEqualTo("needs 0.3 of one GPU device; half has no whole GPU device for pods"));
    }

    @Test
    void verifierRejectsTwoPodsOnOneWholeDeviceAndAnOverfullDevice() {
        Workload w = Workload.of(List.of(Fixtures.group("whole", new Resources(1000, GIB, 1, 1000, 0), 2)));
        PackingResult good = PackingTestSupport.pack(w, TWO_GPUS, "ffd");
        assertThat(good.nodeCount()).isEqualTo(1);
        assertThat(good.gpuDevices()).containsExactly(1L, 2L);
        PackingResult same = new PackingResult(good.problem(), "forged", 1, good.assignment(), good.nodeLoad(), List.of(),
                good.lowerBound(), 0, new long[] {1L, 1L});
        assertThatThrownBy(() -> PackingVerifier.verify(same)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("GPU device 0 of node 0 is over 1000 thousandths (2000)");
        PackingResult none = new PackingResult(good.problem(), "forged", 1, good.assignment(), good.nodeLoad(), List.of(),
                good.lowerBound(), 0, null);
        assertThatThrownBy(() -> PackingVerifier.verify(none)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("asks for 1 GPU device(s) and has devices []");
    }

    /**
     * The loads the verifier checks and the sweep's stranded count reads are one sum: shares add their thousandths to
     * their device, whole GPUs 1000 each, pods left out nothing; a check sees every placed GPU pod and each device over.
     */
    @Test
    void loadsSumEachPlacedPodsDevicesAndShowThemToACheck() {
        Workload w = Workload.of(List.of(Fixtures.group("whole", new Resources(1000, GIB, 1, 1000, 0), 1),
                Fixtures.group("share", new Resources(1000, GIB, 1, 300, 0), 2), Fixtures.group("cpu", 1000, GIB, 1)));
        PackingResult good = PackingTestSupport.pack(w, TWO_GPUS, "ffd");
        assertThat(good.nodeCount()).isEqualTo(1);
        assertThat(GpuDevices.loads(good, 2, null)).containsExactly(1000, 600); // the whole GPU on device 0, both shares on 1
        // Forged: both shares on device 0, beside the whole GPU; the second share is left out.
        int[] oneShareOut = good.assignment().clone();
        oneShareOut[2] = -1;
        long[] masks = good.gpuDevices().clone();
        masks[1] = 1L;
        PackingResult forged = new PackingResult(good.problem(), "forged", 1, oneShareOut, good.nodeLoad(), List.of(),
                good.lowerBound(), 0, masks);
        List<String> seen = new ArrayList<>();
        int[] loads = GpuDevices.loads(forged, 2, new GpuDevices.DeviceCheck() {
            @Override
            public void pod(int g, int i, long mask, long gpu, int devices) {
                seen.add(g + "/" + i + ":" + mask + ":" + gpu);
            }

            @Override
            public void over(int node, int device, int load) {
                seen.add("over " + node + "/" + device + ":" + load);
            }
        });
        assertThat(loads).containsExactly(1300, 0);
        assertThat(seen).containsExactly("0/0:1:1000", "1/0:1:300", "over 0/0:1300");
    }

    @Test
    void theDeviceBoundAndThePatternMethodSeeSharesThatCannotPair() {
        // 30 shares of 0.6 and 20 of 0.4 on 2-GPU nodes: pooled L1 is ⌈26/2⌉ = 13 nodes; as devices
        // the 0.6s take one device each and the 0.4s pair up with them: 30 devices = 15 nodes.
        Workload w = Workload.of(List.of(Fixtures.group("big", new Resources(1000, GIB, 1, 600, 0), 30),
                Fixtures.group("small", new Resources(1000, GIB, 1, 400, 0), 20)));
        PackingProblem problem = new PackingProblem(DemandTable.of(w), TWO_GPUS, Resources.ZERO);
        io.nodesizer.bound.LowerBound bound = io.nodesizer.bound.LowerBounds.compute(problem);
        assertThat(bound.value()).isEqualTo(15);
        assertThat(bound.method()).isEqualTo("L2(gpu devices)");
        io.nodesizer.pattern.PatternPacking.Outcome o = io.nodesizer.pattern.PatternPacking.pack(problem,
                io.nodesizer.pattern.PatternPacking.Limits.defaults(), Integer.MAX_VALUE, bound.value());
        assertThat(o.nodes()).isEqualTo(15);
        PackingResult r = PackingEngine.fromAssignment(problem, "pattern", o.nodes(), o.assignment(), bound, 0); // verifies devices
        assertThat(r.gpuDevices()).isNotNull();
    }

    @Test
    void randomSharingMixesVerifyOnEveryStrategy() {
        NodeShape[] shapes = {
            Fixtures.shape("g1", new Resources(16_000, 64 * GIB, 110, 1000, 0)),
            Fixtures.shape("g4", new Resources(48_000, 192 * GIB, 110, 4000, 0)),
            Fixtures.shape("g8", new Resources(96_000, 768 * GIB, 110, 8000, 0)),
        };
        for (long seed = 1; seed <= 120; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<PodGroup> groups = new ArrayList<>();
            int n = 1 + random.nextInt(25);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(4);
                long gpu = switch (kind) {
                    case 0 -> 0;
                    case 1 -> 1000L * (1 << random.nextInt(3));       // 1, 2 or 4 whole GPUs
                    default -> 50L * (1 + random.nextInt(19));        // a share, 50..950
                };
                groups.add(Fixtures.group("p" + i, new Resources(100 + random.nextInt(8000), GIB * (1 + random.nextInt(16)), 1, gpu, 0),
                        1 + random.nextInt(12)));
            }
            Workload w = Workload.of(groups);
            NodeShape shape = shapes[(int) (seed % shapes.length)];
            PackingProblem problem = new PackingProblem(DemandTable.of(w), shape, Resources.ZERO);
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(problem, s.create(), seed); // verifies devices, throws on a bug
                assertThat(r.nodeCount()).as("seed %d %s", seed, s).isGreaterThanOrEqualTo(r.lowerBound().value());
            }
        }
    }
}
