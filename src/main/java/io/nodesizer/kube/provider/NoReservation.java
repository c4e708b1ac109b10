package io.nodesizer.kube.provider;

import io.nodesizer.model.Resources;

/** Allocatable equals capacity: for traces of existing nodes or what-ifs without a provider. */
public final class NoReservation implements ReservationPolicy {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public Resources allocatable(Resources capacity) {
        return capacity;
    }
}
