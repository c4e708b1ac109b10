package io.nodesizer.catalog;

import io.nodesizer.model.NodeShape;

import java.util.regex.Pattern;

/**
 * Burstable (CPU-credit) and shared-core instance types: AWS T families (t2, t3, t3a, t4g, t1),
 * Azure B-series, GCE shared-core e2-micro/small/medium, f1 and g1. Their vCPUs run at a baseline
 * share unless credits last, so they are never proposed as a replacement for a node running
 * steady work unless asked for by name.
 */
public final class Burstable {
    private static final Pattern AWS = Pattern.compile("t\\d+[a-z]*");
    private static final Pattern GCE_SHARED = Pattern.compile("e2-(micro|small|medium)|f1-.*|g1-.*");

    private Burstable() {
    }

    public static boolean is(NodeShape s) {
        return is(s.provider(), s.family(), s.instanceType());
    }

    public static boolean is(io.nodesizer.model.InstanceType t) {
        return is(t.provider(), t.family(), t.name());
    }

    private static boolean is(String provider, String family, String name) {
        return switch (provider) {
            case "aws" -> AWS.matcher(family).matches();
            case "azure" -> family.startsWith("B");
            case "gce" -> GCE_SHARED.matcher(name).matches();
            default -> false;
        };
    }
}
