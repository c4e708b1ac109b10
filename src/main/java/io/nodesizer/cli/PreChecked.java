package io.nodesizer.cli;

/**
 * A command whose option values can be checked without its inputs: the catalog filters (a family the
 * catalog lacks, an unknown architecture), strategy names, a pool count. {@code sweep} calls it on each
 * run's parsed options before the first run, so a typo in a late scenario does not stop a long sweep
 * at its end (QA 48a: thirty replays ran before five recommend runs each failed on a family "c6").
 * The command's own run checks the same values the same way.
 */
interface PreChecked {
    /** Throws the {@link io.nodesizer.input.InputException} the run would throw for these options' values. */
    void precheck();
}
