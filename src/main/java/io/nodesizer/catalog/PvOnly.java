package io.nodesizer.catalog;

import io.nodesizer.model.InstanceType;

import java.util.Set;

/**
 * The first EC2 generations (m1, m2, c1, t1) boot only paravirtual (PV) images: EC2 refuses an HVM image there ("Non-Windows
 * instances with a virtualization type of 'hvm' are currently not supported for this instance type", reported for
 * m1.small, m1.large and t1.micro), and every Kubernetes node image (the EKS AMIs, Bottlerocket, Ubuntu's) is HVM. At
 * their low list prices they ranked first for small workloads (QA 55c F1), as nodes no cluster can launch.
 */
public final class PvOnly {
    static final Set<String> FAMILIES = Set.of("m1", "m2", "c1", "t1");

    /** What the candidates line says when such types were left out. */
    public static final String DESCRIBED = "not the PV-only m1, m2, c1, t1 (no HVM node image boots there)";

    private PvOnly() {
    }

    /** Whether a node image of today can boot on the type: every type but an aws one of the PV-only families. */
    public static boolean allowed(InstanceType t) {
        return !("aws".equals(t.provider()) && FAMILIES.contains(t.family()));
    }
}
