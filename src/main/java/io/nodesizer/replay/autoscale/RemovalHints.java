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
    /**
     * Per pod, the pass that set its hint (high half; 0: never) and the hinted node (low half): one
     * load per pod, where the pass moves ~400 pods a loop and the pods' numbers run to millions.
     */
    private long[] hint = new long[0];
    /** The pass under way; starts at 2 so that "set in this pass or the last" never takes an unset 0. */
    private int pass = 2;

    /** The node hinted for {@code pod}, or -1. */
    int get(int pod) {
        return node(entry(pod));
    }

    /** {@code pod}'s hint as stored ({@link #node} reads it), for a caller that keeps it beside the pod. */
    long entry(int pod) {
        return pod < hint.length ? hint[pod] : 0;
    }

    /** The node a stored hint ({@link #entry}) names while it lasts, or -1. */
    int node(long entry) {
        return (int) (entry >>> 32) >= pass - 1 ? (int) entry : -1;
    }

    /** {@code pod} was placed on {@code at} in this pass; returns the hint as stored ({@link #entry}). */
    long set(int pod, int at) {
        if (pod >= hint.length) {
            hint = Arrays.copyOf(hint, Math.max(pod + 1, hint.length * 2));
        }
        return hint[pod] = (long) pass << 32 | at;
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
        int n = Math.max(hint.length, other.hint.length);
        for (int pod = 0; pod < n; pod++) {
            if ((pod < hint.length ? hint[pod] : 0) != (pod < other.hint.length ? other.hint[pod] : 0)) {
                return false;
            }
        }
        return true;
    }

    /** A copy to run another simulation from the same hints (the checks compare two passes). */
    RemovalHints copy() {
        RemovalHints c = new RemovalHints();
        c.hint = hint.clone();
        c.pass = pass;
        return c;
    }
}
