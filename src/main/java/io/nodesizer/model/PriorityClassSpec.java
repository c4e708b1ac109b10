package io.nodesizer.model;

import java.util.Objects;

/**
 * A PriorityClass ({@code scheduling.k8s.io/v1}): the {@code spec.priority} the Priority admission
 * plugin gives every new pod that names it in {@code spec.priorityClassName}, and, when it is the
 * {@code globalDefault}, every new pod that names none.
 *
 * @param name          {@code metadata.name}, what pods name (cluster-scoped: no namespace)
 * @param value         {@code value}, an int32
 * @param globalDefault {@code globalDefault}
 * @param preemptionPolicy {@code preemptionPolicy} ({@code PreemptLowerPriority}, the default, or {@code Never}),
 *                      null when absent; admission copies it into the pods naming the class
 */
public record PriorityClassSpec(String name, int value, boolean globalDefault, SourceRef origin, String preemptionPolicy) {
    /** A class that writes no preemptionPolicy (PreemptLowerPriority). */
    public PriorityClassSpec(String name, int value, boolean globalDefault, SourceRef origin) {
        this(name, value, globalDefault, origin, null);
    }

    public PriorityClassSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
    }
}
