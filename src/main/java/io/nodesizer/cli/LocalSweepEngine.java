package io.nodesizer.cli;

import io.nodesizer.sweep.Parallel;
import io.nodesizer.sweep.ProgressListener;
import io.nodesizer.sweep.RunResult;

import java.util.List;

/** The runs on {@code workers} threads of this JVM. */
final class LocalSweepEngine implements SweepEngine {
    private final int workers;

    LocalSweepEngine(int workers) {
        this.workers = workers;
    }

    @Override
    public List<RunResult> run(List<List<String>> argvs, ProgressListener progress) {
        return Parallel.map(argvs.size(), workers, i -> SweepRun.run(argvs.get(i)), progress);
    }

    @Override
    public boolean sharesCores() {
        return workers > 1;
    }

    @Override
    public String phase() {
        return "runs";
    }
}
