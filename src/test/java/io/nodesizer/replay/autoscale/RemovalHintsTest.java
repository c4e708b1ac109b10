package io.nodesizer.replay.autoscale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** CA's removal hints last the pass that set them and the next one (hints.go: DropOldHints keeps one old generation). */
class RemovalHintsTest {
    @Test
    void aHintLastsItsPassAndTheNext() {
        RemovalHints h = new RemovalHints();
        assertThat(h.get(7)).isEqualTo(-1);
        h.set(7, 3);
        assertThat(h.get(7)).isEqualTo(3);
        h.nextPass();
        assertThat(h.get(7)).as("old hint").isEqualTo(3);
        h.nextPass();
        assertThat(h.get(7)).as("dropped after the second pass").isEqualTo(-1);
        assertThat(h.get(1_000_000)).isEqualTo(-1);
    }

    @Test
    void settingAgainRenewsAndMovesTheHint() {
        RemovalHints h = new RemovalHints();
        h.set(2, 5);
        h.nextPass();
        h.set(2, 9);
        h.nextPass();
        assertThat(h.get(2)).isEqualTo(9);
        RemovalHints copy = h.copy();
        assertThat(copy.sameAs(h)).isTrue();
        h.set(2, 1);
        assertThat(copy.sameAs(h)).isFalse();
        assertThat(copy.get(2)).as("a copy keeps its own hints").isEqualTo(9);
        copy.nextPass();
        assertThat(copy.get(2)).isEqualTo(-1);
        assertThat(h.get(2)).isEqualTo(1);
    }
}
