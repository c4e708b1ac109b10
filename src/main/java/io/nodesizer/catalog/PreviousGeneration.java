package io.nodesizer.catalog;

import io.nodesizer.model.InstanceType;

import java.util.Set;

/**
 * AWS's previous-generation instance families: those EC2's DescribeInstanceTypes reports with
 * {@code CurrentGeneration: false} and AWS lists on its "Previous Generation Instances" page
 * (aws.amazon.com/ec2/previous-generation: T1, M1, M2, M3, C1, C3, CC2, CR1, R3, I2, G2, HS1). They
 * still launch, but on older hardware without Nitro or enhanced networking, and AWS points each to a
 * current family; a sweep leaves them out unless asked for ({@code --previous-generation include})
 * or named ({@code --families m3}). The bundled catalog has no CurrentGeneration column (Karpenter's
 * instance-type list, which it comes from, has only the generation number), so the families are
 * named here. M4, C4, R4, D2 and the other families AWS still reports as current stay in.
 */
public final class PreviousGeneration {
    private static final Set<String> AWS = Set.of("t1", "m1", "m2", "m3", "c1", "c3", "cc1", "cc2", "cg1", "cr1", "r3", "i2", "g2",
            "hi1", "hs1");

    private PreviousGeneration() {
    }

    public static boolean is(InstanceType t) {
        return t.provider().equals("aws") && AWS.contains(t.family());
    }
}
