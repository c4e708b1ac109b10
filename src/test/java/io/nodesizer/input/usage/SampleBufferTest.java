package io.nodesizer.input.usage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pieces of one series joined: a sample both pieces hold at the instant they meet is counted once (QA 59b F9). */
final class SampleBufferTest {
    private static SampleBuffer of(long from, long to, double value) {
        SampleBuffer b = new SampleBuffer();
        for (long t = from; t <= to; t += 30) {
            b.add(t, value + t / 1e6);
        }
        return b;
    }

    @Test
    void piecesMeetingAtOneInstantGiveItsSampleOnce() {
        SampleBuffer joined = new SampleBuffer();
        joined.append(of(0, 300, 1)); // 11 samples, 0..300
        joined.append(of(300, 600, 1)); // 11 more, its first at 300 again
        assertThat(joined.count()).isEqualTo(21);
        assertThat(joined.firstSeconds()).isEqualTo(0);
        assertThat(joined.lastSeconds()).isEqualTo(600);

        SampleBuffer backwards = new SampleBuffer(); // the later export given first
        backwards.append(of(300, 600, 1));
        backwards.append(of(0, 300, 1));
        assertThat(backwards.count()).isEqualTo(21);

        SampleBuffer apart = new SampleBuffer(); // pieces that do not meet keep every sample
        apart.append(of(0, 300, 1));
        apart.append(of(330, 600, 1));
        assertThat(apart.count()).isEqualTo(21);
    }
}
