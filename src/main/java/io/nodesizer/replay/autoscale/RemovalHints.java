package io.nodesizer.replay.autoscale;

import java.util.Arrays;

/**
 * CA's hints for its removal simulation (simulator/scheduling/hinting_simulator.go, hints.go): a pod
 * the simulation places is first tried on the node it was placed on last time, and only if that
 * node no longer takes it (gone, the node being emptied, one found unneeded earlier in the pass,
 * full, or ruled out) searched for. A hint is set at every placement, also of pods of a node whose
 * removal then fails, and lasts the pass it was set in and the next ({@code DropOldHints} after each
 * pass: the current hints become the old ones, and {@code Get} reads the current, then the old).
 */
final class RemovalHints {
    /** Per pod, its hinted node and the pass that set it (0: never). */
    private int[] node = new int[0];
    private int[] setIn = new int[0];
    /** The pass under way; starts at 2 so that "set in this pass or the last" never takes an unset 0. */
    private int pass = 2;

    /** The node hinted for {@code pod}, or -1. */
    int get(int pod) {
        return pod < setIn.length && setIn[pod] >= pass - 1 ? node[pod] : -1;
    }

    /** {@code pod} was placed on {@code at} in this pass. */
    void set(int pod, int at) {
        if (pod >= setIn.length) {
            int c = Math.max(pod + 1, setIn.length * 2);
            node = Arrays.copyOf(node, c);
            setIn = Arrays.copyOf(setIn, c);
        }
        node[pod] = at;
        setIn[pod] = pass;
    }

    /** The pass is over: hints it did not set are forgotten after the next one. */
    void nextPass() {
        pass++;
    }

    /** Whether {@code other} holds the same hints set in the same passes (the checks: both passes placed every pod alike). */
    boolean sameAs(RemovalHints other) {
        if (pass != other.pass) {
            return false;
        }
        int n = Math.max(setIn.length, other.setIn.length);
        for (int pod = 0; pod < n; pod++) {
            int mine = pod < setIn.length ? setIn[pod] : 0;
            int theirs = pod < other.setIn.length ? other.setIn[pod] : 0;
            if (mine != theirs || mine != 0 && node[pod] != other.node[pod]) {
                return false;
            }
        }
        return true;
    }

    /** A copy to run another simulation from the same hints (the checks compare two passes). */
    RemovalHints copy() {
        RemovalHints c = new RemovalHints();
        c.node = node.clone();
        c.setIn = setIn.clone();
        c.pass = pass;
        return c;
    }
}
