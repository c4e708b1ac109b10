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
        return switch (s.provider()) {
            case "aws" -> AWS.matcher(s.family()).matches();
            case "azure" -> s.family().startsWith("B");
            case "gce" -> GCE_SHARED.matcher(s.instanceType()).matches();
            default -> false;
        };
    }
}
