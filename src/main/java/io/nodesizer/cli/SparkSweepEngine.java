package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.sweep.ProgressListener;
import io.nodesizer.sweep.RunResult;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs as Apache Spark jobs ({@link io.nodesizer.spark.SparkSweep}): in-process ({@code local[N]}) without a master,
 * else on the master given or spark-submit's. Spark's failures are said in the tool's words: a job that cannot start exits
 * 2 naming the master, a run whose job fails gets a failed row, Spark missing from the class path exits 2 saying how to add it.
 */
final class SparkSweepEngine implements SweepEngine {
    /**
     * The master URLs Spark 4 accepts for a sweep (SparkContext.createTaskScheduler's forms; Mesos was removed in 4.0).
     * Not local-cluster[…]: that is for Spark's own tests, needs a Spark installation to start its executors, and started
     * none here (review 76 #1: it failed after 28 s as an internal error, leaving a work/ tree in the working directory).
     */
    private static final java.util.regex.Pattern SPARK_MASTER = java.util.regex.Pattern.compile(
            "local|local\\[(\\*|[1-9][0-9]*)(, *[1-9][0-9]*)?]|spark://[^,/\\s]+:[0-9]+(,[^,/\\s]+:[0-9]+)*|yarn|k8s://\\S+");

    private final String master;

    private SparkSweepEngine(String master) {
        this.master = master;
    }

    /**
     * The Spark engine for the sweep's --threads and --master. --threads sets in-process Spark's local[N]; where a cluster
     * (--master, or spark-submit's) runs the tasks, its executors' cores say how many run at once, and --threads is refused
     * rather than ignored (review 76 #8).
     */
    static SparkSweepEngine of(Integer threads, String master) {
        if (master != null && !SPARK_MASTER.matcher(master).matches()) {
            // Spark refuses these only once its context starts, as an internal error (QA 58d F6: local[0], bogus://x).
            throw new InputException(SourceLocation.ofFile("--master"), "The Spark master (" + master + ") must be local, local[N] or "
                    + "local[N,F] with N and F at least 1, local[*], spark://HOST:PORT, yarn or k8s://URL.");
        }
        if (threads != null) {
            if (master != null || io.nodesizer.spark.SparkSweep.submitted()) {
                throw new InputException(SourceLocation.ofFile("--threads"), "--threads sets how many runs in-process Spark runs at once "
                        + "(local[N]); on " + (master != null ? master : "spark-submit's master") + " the executors' cores do. Leave "
                        + "--threads out.");
            }
            return new SparkSweepEngine("local[" + CommonOptions.workers(threads) + "]");
        }
        return new SparkSweepEngine(master);
    }

    @Override
    public boolean sharesCores() {
        return true;
    }

    @Override
    public String phase() {
        return "runs on Spark";
    }

    @Override
    public List<RunResult> run(List<List<String>> argvs, ProgressListener progress) {
        List<List<String>> shipped = readsFromOtherDirectories() ? absolutePaths(argvs, Path.of("").toAbsolutePath()) : argvs;
        try {
            return io.nodesizer.spark.SparkSweep.run(shipped, master, SweepRun::run, progress);
        } catch (NoClassDefFoundError e) {
            String missing = String.valueOf(e.getMessage());
            throw new InputException(SourceLocation.ofFile("--engine"), (missing.startsWith("org/apache/spark")
                    ? "Apache Spark is not on the class path (" + missing + " is missing). "
                    : "A class Spark needs could not be loaded (" + missing + "): the Spark on the class path is likely not 4.2. ")
                    + "Run through ./nodesizer, which adds Spark 4.2 for --engine spark (SPARK_HOME=/path/to/spark-4.2 ./nodesizer … "
                    + "for an installed one, else Maven's copy), or submit the jar with spark-submit (see the README).");
        } catch (Exception e) {
            // Each run's failure, its job's included, comes back as its result: what escapes is the context's, a master that
            // cannot be reached or refuses the application (QA 58d F6: a stopped-context dump as an internal error after ~65 s).
            // Exception, not RuntimeException: Spark's SparkException is a checked one that Scala throws undeclared (review 76 #1).
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new InputException(SourceLocation.ofFile("--master"), "The Spark job" + (master == null ? "" : " on " + master)
                    + " did not run (Spark: " + String.valueOf(root.getMessage()).lines().findFirst().orElse("")
                    + "). A master that cannot be reached or refuses the application ends so; otherwise the driver's log says "
                    + "why. Or run without --engine spark.");
        }
    }

    /**
     * Whether the runs read their files in other working directories than this one: executors on other machines (a YARN
     * container's directory, a standalone worker's work/app-…/N), while this driver checked the paths against its own.
     * Not in-process (local masters), and not in cluster deploy mode, where the driver itself runs in the cluster and the
     * files come with --files under their bare names.
     */
    private boolean readsFromOtherDirectories() {
        String effective = master != null ? master : System.getProperty("spark.master", "local[*]");
        return !effective.startsWith("local") && !"cluster".equals(System.getProperty("spark.submit.deployMode"));
    }

    /**
     * {@code argvs} with each relative path that names a file here made absolute against {@code cwd} (review 76 #5: the
     * README's own example passed every check on the driver, and every run would have failed on the executors, which read
     * workloads/shop.csv in their own directories). Only the values of options that read files, and of those only the
     * parts that exist here: a name of the catalog (aws) or a missing file stay as written.
     */
    static List<List<String>> absolutePaths(List<List<String>> argvs, Path cwd) {
        Map<String, CommandLine.Model.CommandSpec> specs = new HashMap<>();
        List<List<String>> out = new ArrayList<>(argvs.size());
        for (List<String> argv : argvs) {
            CommandLine.Model.CommandSpec spec = specs.computeIfAbsent(argv.get(0),
                    name -> Main.commandLine(new String[] {name}).getSubcommands().get(name).getCommandSpec());
            List<String> absolute = new ArrayList<>(argv);
            for (int i = 1; i + 1 < absolute.size(); i++) {
                CommandLine.Model.OptionSpec option = absolute.get(i).startsWith("--") ? spec.findOption(absolute.get(i)) : null;
                if (option != null && option.arity().max() > 0 && CommonOptions.readsFiles(option)) {
                    absolute.set(i + 1, absolute(absolute.get(i + 1), cwd));
                    i++;
                }
            }
            out.add(List.copyOf(absolute));
        }
        return out;
    }

    /**
     * {@code value} with each relative path in it that exists here made absolute: the whole value when it is one, else each
     * of its comma-separated parts (--pods a.csv,b.yaml; --fleet and --snapshot lists, split by their readers).
     */
    private static String absolute(String value, Path cwd) {
        String whole = absoluteIfHere(value, cwd);
        if (whole != null || !value.contains(",")) {
            return whole != null ? whole : value;
        }
        List<String> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String made = absoluteIfHere(part, cwd);
            out.add(made != null ? made : part);
        }
        return String.join(",", out);
    }

    /** {@code text} as an absolute path when it is a relative one that exists under {@code cwd}, else null. */
    private static String absoluteIfHere(String text, Path cwd) {
        try {
            Path p = Path.of(text);
            return !text.isEmpty() && !p.isAbsolute() && Files.exists(cwd.resolve(p)) ? cwd.resolve(p).normalize().toString() : null;
        } catch (InvalidPathException e) {
            return null; // a snapshot given as its JSON text, say: not a path, left as written
        }
    }
}
