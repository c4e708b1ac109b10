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
 */
public record PriorityClassSpec(String name, int value, boolean globalDefault, SourceRef origin) {
    public PriorityClassSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
    }
}
