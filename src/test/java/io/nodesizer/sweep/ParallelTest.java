package io.nodesizer.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ParallelTest {
    @Test
    void resultsComeInIndexOrderWhateverTheThreads() {
        assertThat(Parallel.map(5, 3, i -> i * i, ProgressListener.NONE)).isEqualTo(List.of(0, 1, 4, 9, 16));
    }

    /**
     * Review 76 #6: an OutOfMemoryError in a job came out as an IllegalStateException, so Main's heap advice never fired and
     * the user read "internal error … please report it".
     */
    @Test
    void anErrorInAJobComesOutUnchanged() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertThatThrownBy(() -> Parallel.map(4, 2, i -> {
            if (i == 2) {
                throw oom;
            }
            return i;
        }, ProgressListener.NONE)).isSameAs(oom);
    }
}
