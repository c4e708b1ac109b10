package io.nodesizer.cli;

import io.nodesizer.report.SweepReport;
import io.nodesizer.sweep.RunResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One run of a sweep: a command line run in this JVM, what both engines do for each run (a Spark executor too). Its JSON
 * report is read as it is written and kept thin ({@link io.nodesizer.report.ThinJsonWriter}), then handed on as its digest
 * ({@link SweepReport#digest}); other output as its first characters (an error to report).
 */
final class SweepRun {
    private SweepRun() {
    }

    static RunResult run(List<String> argv) {
        io.nodesizer.report.ThinJsonWriter out = new io.nodesizer.report.ThinJsonWriter();
        StringWriter err = new StringWriter();
        // Its lists of pods left out and of node loads written as counts: the figures count them anyway.
        return guarded(() -> SweepReport.asRun(
                () -> Phases.silenced(() -> Main.run(argv.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true)))),
                out, err);
    }

    /**
     * The result of {@code run}, which wrote to {@code out} and {@code err}. A run out of memory is a row with the heap
     * advice Main gives a command alone (exit 1), not an internal error to report (review 76 #6), and the other runs go on:
     * the heap its run held is free again once it unwinds. On Spark this keeps the executor too, which exits on an
     * uncaught OutOfMemoryError.
     */
    static RunResult guarded(IntSupplier run, io.nodesizer.report.ThinJsonWriter out, StringWriter err) {
        long start = System.nanoTime();
        int code;
        try {
            code = run.getAsInt();
        } catch (OutOfMemoryError e) {
            return new RunResult(Main.EXIT_FAILURE, "", "nodesizer: " + Main.outOfMemory(), System.nanoTime() - start);
        }
        long elapsed = System.nanoTime() - start;
        com.fasterxml.jackson.databind.JsonNode report = out.tree();
        return new RunResult(code, code == 0 && report != null ? SweepReport.digest(report).toString() : out.head(), err.toString(), elapsed);
    }
}
