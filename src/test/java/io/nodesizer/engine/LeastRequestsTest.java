package io.nodesizer.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The least requests' two checks, on the free totals and with the GPU device by device, are one loop: both are held here. */
final class LeastRequestsTest {
    private static final int[] CPU_MEM_GPU = {0, 1, 2};

    @Test
    void aRequestAskingAtLeastAnotherOnEveryResourceIsNotKeptAndTheFitIsOnEveryResource() {
        LeastRequests least = new LeastRequests(CPU_MEM_GPU, LeastRequests.LIMIT);
        assertThat(least.isEmpty()).isTrue();
        least.add(new long[] {1000, 4000, 0});
        least.add(new long[] {2000, 4000, 0});   // asks at least the first everywhere: not kept
        least.add(new long[] {3000, 1000, 0});
        assertThat(least.isEmpty()).isFalse();
        assertThat(least.fitsOne(new long[] {1000, 4000, 0})).isTrue();
        assertThat(least.fitsOne(new long[] {2500, 3999, 0})).isFalse(); // neither: memory for the first, CPU for the other
        assertThat(least.fitsOne(new long[] {3000, 1000, 0})).isTrue();
    }

    @Test
    void theGpuFitsDeviceByDeviceAndTheOtherResourcesOnTheirTotals() {
        LeastRequests least = new LeastRequests(CPU_MEM_GPU, LeastRequests.LIMIT);
        least.add(new long[] {1000, 1000, 600});
        long[] free = {4000, 4000, 800};
        int[] twoDevicesOf400Free = {600, 600};
        // The free total holds 600 thousandths; no device does.
        assertThat(least.fitsOne(free)).isTrue();
        assertThat(least.fitsOne(free, 2, twoDevicesOf400Free, 0, 2)).isFalse();
        int[] oneDeviceOf600Free = {400, 1000};
        assertThat(least.fitsOne(new long[] {4000, 4000, 600}, 2, oneDeviceOf600Free, 0, 2)).isTrue();
        // The devices fit, the CPU does not: the resources beside the GPU are still compared.
        assertThat(least.fitsOne(new long[] {999, 4000, 600}, 2, oneDeviceOf600Free, 0, 2)).isFalse();
        // The device loads of the second node of a stride-2 array.
        assertThat(least.fitsOne(free, 2, new int[] {0, 0, 600, 600}, 2, 2)).isFalse();
        assertThat(least.fitsOne(free, 2, new int[] {600, 600, 0, 0}, 2, 2)).isTrue();
    }

    @Test
    void aGpuNotComparedIsStillFittedOnTheDevices() {
        LeastRequests least = new LeastRequests(new int[] {0, 1}, LeastRequests.LIMIT);
        least.add(new long[] {1000, 1000, 1000});
        assertThat(least.fitsOne(new long[] {1000, 1000, 0})).isTrue();             // the GPU is not compared on its total
        assertThat(least.fitsOne(new long[] {1000, 1000, 0}, 2, new int[] {1000}, 0, 1)).isFalse(); // its device is full
        assertThat(least.fitsOne(new long[] {1000, 1000, 0}, 2, new int[] {0}, 0, 1)).isTrue();
    }

    @Test
    void pastTheLimitNeitherCheckAnswers() {
        LeastRequests least = new LeastRequests(new int[] {0, 1}, 2);
        for (int i = 1; i <= 3; i++) {
            least.add(new long[] {i * 1000, 4000 - i * 1000, 0});
        }
        assertThat(least.overflow()).isTrue();
        assertThatThrownBy(() -> least.fitsOne(new long[] {4000, 4000, 0})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> least.fitsOne(new long[] {4000, 4000, 0}, 2, new int[] {0}, 0, 1))
                .isInstanceOf(IllegalStateException.class);
    }
}
