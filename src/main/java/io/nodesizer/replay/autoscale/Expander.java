package io.nodesizer.replay.autoscale;

import java.util.Locale;

/**
 * Cluster Autoscaler's expanders: which node group grows when several could take the pending
 * pods (cluster-autoscaler/expander; {@code --expander}, default {@code random}).
 */
public enum Expander {
    /** Any group, uniformly (seeded). */
    RANDOM,
    /** The group whose new nodes leave the least CPU plus memory idle (fractions of what they add). */
    LEAST_WASTE,
    /** The group whose new nodes cost least per hour; ties by least waste. */
    PRICE;

    public String flagName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Expander byName(String name) {
        for (Expander e : values()) {
            if (e.flagName().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
