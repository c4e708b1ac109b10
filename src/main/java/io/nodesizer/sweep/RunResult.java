package io.nodesizer.sweep;

import java.io.Serializable;

/**
 * What one run of a sweep returns, on either engine: its exit code, its output (the digest of its JSON report, or its first
 * characters when that is not JSON), its standard error, and its wall time. Serializable: a Spark executor sends it back.
 */
public record RunResult(int exitCode, String out, String err, long elapsedNanos) implements Serializable {
}
