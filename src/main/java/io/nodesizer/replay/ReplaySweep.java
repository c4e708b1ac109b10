package io.nodesizer.replay;

import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.sweep.Parallel;
import io.nodesizer.sweep.ProgressListener;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Replays one pod stream on several clusters (each a list of pools: one shape per run when
 * sweeping shapes, all shapes in one run for a mixed cluster), in parallel, and ranks them.
 */
public final class ReplaySweep {
    private ReplaySweep() {
    }

    /**
     * Ranking: fewest pods left out (unschedulable, or still pending at the end: {@link ReplayResult#leftOut}; a run
     * capped below the demand was ranked first for its low cost when no SLO was given: QA 50b); then those meeting the
     * pending SLO (if any); then total cost (unpriced last); then the 95th-percentile pending time; then shape names.
     */
    public static Comparator<ReplayResult> ranking(Long pendingSloSeconds) {
        return Comparator.comparingLong(ReplayResult::leftOut)
                .thenComparingInt(r -> pendingSloSeconds == null || r.meets(pendingSloSeconds) ? 0 : 1)
                .thenComparingDouble(r -> r.costTotal() == null ? Double.MAX_VALUE : r.costTotal())
                .thenComparingLong(ReplayResult::pendingP95Seconds)
                .thenComparing(ReplayResult::shapes);
    }

    /**
     * @param settings the replay settings of a cluster (its provisioning delay may depend on its
     *                 shapes' provider)
     */
    public static List<ReplayResult> run(PodStream stream, List<List<Pool>> clusters, Function<List<Pool>, Autoscaler> autoscaler,
                                         Function<List<Pool>, Replay.Settings> settings, int threads, Long pendingSloSeconds,
                                         ProgressListener progress) {
        List<ReplayResult> results = Parallel.map(clusters.size(), threads,
                i -> Replay.run(stream, clusters.get(i), autoscaler.apply(clusters.get(i)), settings.apply(clusters.get(i))), progress);
        List<ReplayResult> ranked = new ArrayList<>(results);
        ranked.sort(ranking(pendingSloSeconds));
        return ranked;
    }
}
