package io.nodesizer.kube.provider;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** The registry of reservation formulas: {@code --overhead NAME} → policy. */
public enum ReservationPolicies {
    EKS("eks", EksReservation::new),
    KARPENTER("karpenter", KarpenterReservation::new),
    GKE("gke", GkeReservation::new),
    AKS("aks", () -> new AksReservation(false)),
    AKS_LEGACY("aks-legacy", () -> new AksReservation(true)),
    NONE("none", NoReservation::new);

    private final String policyName;
    private final Supplier<ReservationPolicy> factory;

    ReservationPolicies(String policyName, Supplier<ReservationPolicy> factory) {
        this.policyName = policyName;
        this.factory = factory;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(p -> p.policyName).toList();
    }

    public static ReservationPolicy byName(String name) {
        for (ReservationPolicies p : values()) {
            if (p.policyName.equals(name)) {
                return p.factory.get();
            }
        }
        throw new InputException(SourceLocation.ofFile("--overhead"), "The overhead (" + name + ") must be one of "
                + String.join(", ", names()) + ".");
    }

    /** The provider's own formula: aws → eks, gce → gke, azure → aks, anything else → none. */
    public static ReservationPolicy forProvider(String provider) {
        return switch (provider) {
            case "aws" -> new EksReservation();
            case "gce" -> new GkeReservation();
            case "azure" -> new AksReservation(false);
            default -> new NoReservation();
        };
    }
}
