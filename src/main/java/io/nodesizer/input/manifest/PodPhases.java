package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;

import java.util.List;
import java.util.Locale;

/**
 * A pod's {@code status.phase}, one of the five the API defines (core/v1 {@code PodPhase}). What else a hand-made
 * snapshot holds is refused: kubectl's STATUS column (Completed, CrashLoopBackOff, Evicted) or a typo read as running
 * counted the finished or evicted pod's requests on its node (QA 78c F1: {@code phase: Completed} was a running pod).
 */
final class PodPhases {
    static final List<String> ALL = List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");

    private PodPhases() {
    }

    /** The phase under {@code status} at {@code path}, null when there is none; exits 2 for anything but the five. */
    static String of(YamlNode.Mapping status, String path) {
        String phase = Manifests.text(status, "phase", path);
        if (phase == null || phase.isEmpty() || ALL.contains(phase)) {
            return phase == null || phase.isEmpty() ? null : phase;
        }
        String field = path.isEmpty() ? "phase" : path + ".phase";
        throw new InputException(status.get("phase").at().withField(field), "The pod phase at " + field + " (" + phase
                + ") must be one of " + String.join(", ", ALL) + ", the phases a pod has; found " + phase + ". " + hint(phase));
    }

    private static String hint(String phase) {
        for (String p : ALL) {
            if (p.equalsIgnoreCase(phase.strip())) {
                return "Maybe " + p + " (the API spells it so).";
            }
        }
        String lower = phase.toLowerCase(Locale.ROOT);
        String column = "kubectl get pods' STATUS column, which shows a container's reason, not the phase";
        if (lower.equals("completed")) {
            return "Maybe Succeeded: " + column + ", reads Completed for it.";
        }
        if (lower.equals("evicted")) {
            return "Maybe Failed: " + column + ", reads Evicted for it.";
        }
        if (lower.equals("error") || lower.equals("oomkilled") || lower.equals("crashloopbackoff")) {
            return "Maybe Running (its containers restart) or Failed (the pod ended): " + column + ", reads " + phase + " for either.";
        }
        String near = io.nodesizer.model.NameLists.nearest(phase, ALL);
        return near != null ? "Maybe " + near + "." : "If it is from " + column + ", take the snapshot with kubectl get -o json or -o yaml, "
                + "whose status.phase is one of them.";
    }
}
