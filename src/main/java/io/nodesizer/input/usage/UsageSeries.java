package io.nodesizer.input.usage;

import io.nodesizer.input.SourceLocation;

import java.util.Objects;

/**
 * One container's samples of one metric, as a reader found them.
 *
 * @param namespace the series' namespace
 * @param pod       the pod (Prometheus series, CSV with a {@code pod} column), or null
 * @param workload  the workload (the CSV names it), or null when it is to be found from the pod
 * @param container the container name
 * @param at        where the series starts in its file, for messages
 * @param unitStated whether the file says the samples' unit, so that it need not be inferred from their size: every CSV cell
 *                  a quantity with its suffix ({@code 250m}), or a Prometheus series still named by a recording rule of a
 *                  CPU-seconds rate (cores); plain numbers of an unnamed series may be a dashboard's millicores or percent
 */
public record UsageSeries(UsageMetric metric, String namespace, String pod, String workload, String container,
                          SampleBuffer samples, SourceLocation at, boolean unitStated) {
    public UsageSeries {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(at, "at");
        if (pod == null && workload == null) {
            throw new IllegalArgumentException("A usage series names a pod or a workload.");
        }
    }

    /** A series whose unit the file does not state. */
    public UsageSeries(UsageMetric metric, String namespace, String pod, String workload, String container, SampleBuffer samples,
                       SourceLocation at) {
        this(metric, namespace, pod, workload, container, samples, at, false);
    }

    /** The labels as a user would recognise them in messages: {namespace=…, pod=…, container=…}. */
    public String labels() {
        return "{namespace=" + namespace + (workload != null ? ", workload=" + workload : "") + (pod != null ? ", pod=" + pod : "")
                + ", container=" + container + "}";
    }
}
