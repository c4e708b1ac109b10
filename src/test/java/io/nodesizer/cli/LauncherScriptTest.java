package io.nodesizer.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./nodesizer} launcher and {@code .ci/jdk.sh}, run from a copy of the repository whose
 * JDKs are stubs: a {@code bin/java} that prints the arguments it was started with (and writes the
 * start-up cache a training run asks for), a {@code bin/javac}, and a {@code release} file. The JDK
 * search reads {@code NODESIZER_JVM_ROOT} instead of /usr/lib/jvm; the jar is an empty file, newer
 * than every source, so no build runs unless a test makes a source newer (with a stub {@code mvn}).
 */
final class LauncherScriptTest {

    @TempDir
    Path dir;
    private Path repo;
    private Path jvms;
    private Path jar;

    @BeforeEach
    void copyTheLauncher() throws IOException {
        repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".ci"));
        Files.createDirectories(repo.resolve("src/main/java"));
        Files.copy(Path.of("nodesizer"), repo.resolve("nodesizer"));
        Files.copy(Path.of(".ci/jdk.sh"), repo.resolve(".ci/jdk.sh"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>\n");
        Files.writeString(repo.resolve("src/main/java/A.java"), "class A {}\n");
        repo.resolve("nodesizer").toFile().setExecutable(true);
        jar = repo.resolve("target/nodesizer-0.1.0.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        age(repo.resolve("pom.xml"), repo.resolve("src/main/java/A.java"));
        jvms = dir.resolve("jvm");
        Files.createDirectories(jvms);
    }

    /** Dates the files an hour back, so the jar is newer than them. */
    private static void age(Path... files) throws IOException {
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        for (Path f : files) {
            Files.setLastModifiedTime(f, old);
        }
    }

    /**
     * A stub JDK under the JVM root: its java prints "java <its home>" and then one argument a line;
     * a run with {@code -XX:AOTCacheOutput=F} or {@code -XX:ArchiveClassesAtExit=F} writes F, unless
     * FAKE_TRAINING_FAILS is set. Without a release file it answers {@code -XshowSettings:properties}.
     */
    private Path jdk(String name, String version, boolean releaseFile) throws IOException {
        Path home = jvms.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        String major = version.replaceAll("[^0-9].*", "");
        String java = """
                #!/bin/sh
                for a in "$@"; do
                  case "$a" in
                    -XshowSettings:properties) printf '    java.specification.version = %s\\n    java.runtime.version = %s\\n' MAJOR VERSION >&2; exit 0 ;;
                  esac
                done
                echo "java HOME"
                for a in "$@"; do
                  echo "$a"
                  case "$a" in
                    -XX:AOTCacheOutput=*|-XX:ArchiveClassesAtExit=*)
                      [ -n "${FAKE_TRAINING_FAILS:-}" ] && exit 3
                      echo cache > "${a#*=}" ;;
                  esac
                done
                """.replace("MAJOR", major).replace("VERSION", version).replace("HOME", home.toString());
        Files.writeString(home.resolve("bin/java"), java);
        Files.writeString(home.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
        home.resolve("bin/java").toFile().setExecutable(true);
        home.resolve("bin/javac").toFile().setExecutable(true);
        if (releaseFile) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Stub\"\nJAVA_RUNTIME_VERSION=\"" + version
                    + "\"\nJAVA_VERSION=\"" + version.replaceAll("\\+.*", "") + "\"\n");
        }
        return home;
    }

    private record Run(int exit, List<String> out, String err) {
        /** The lines the stub java printed after its own name: the JVM's arguments. */
        List<String> args() {
            return out.isEmpty() ? List.of() : out.subList(1, out.size());
        }
    }

    private Run run(Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("NODESIZER_JAVA_OPTS");
        pb.environment().remove("NODESIZER_AOT");
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("NODESIZER_JVM_ROOT", jvms.toString());
        pb.environment().put("NODESIZER_THP_FILE", dir.resolve("no-thp").toString()); // the host's mode left out unless a test sets one
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        return new Run(p.waitFor(), out.lines().toList(), err);
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", repo.resolve("nodesizer").toString()));
        command.addAll(List.of(args));
        return run(env, command);
    }

    private Run findJdk(Map<String, String> env) throws Exception {
        return run(env, List.of("bash", "-c", ". '" + repo.resolve(".ci/jdk.sh") + "' && nodesizer_find_jdk && echo \"$JAVA_HOME\""));
    }

    @Test
    void theNewestJdkOf21OrLaterIsChosenWhenJavaHomeIsOlder() throws Exception {
        Path old = jdk("jdk-17", "17.0.15+6", true);
        Path newest = jdk("temurin-25", "25.0.3+9-LTS", true);
        jdk("zulu-21", "21.0.5+11-LTS", true); // after the newest in the directory's order
        jdk("broken", "26", true).resolve("bin/javac").toFile().delete(); // a JRE: no compiler, not a JDK
        Run r = findJdk(Map.of("JAVA_HOME", old.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsExactly(newest.toString());
    }

    @Test
    void aJavaHomeOf21OrLaterIsKept() throws Exception {
        Path home = jdk("jdk-21", "21.0.5+11-LTS", true);
        jdk("temurin-25", "25.0.3+9-LTS", true);
        Run r = findJdk(Map.of("JAVA_HOME", home.toString()));
        assertThat(r.out()).containsExactly(home.toString());
    }

    @Test
    void aJdkWithoutAReleaseFileIsAskedItsVersion() throws Exception {
        Path home = jdk("custom", "22.0.1+8", false);
        Run r = findJdk(Map.of());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsExactly(home.toString());
    }

    @Test
    void withoutAJdkOf21TheLauncherSaysWhatToInstallAndExits1() throws Exception {
        jdk("jdk-17", "17.0.15+6", true);
        Run r = launch(Map.of(), "pack", "--help");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("no JDK 21 or newer found (checked $JAVA_HOME and " + jvms + "/*)")
                .contains("point JAVA_HOME at an existing JDK 21+");
    }

    @Test
    void theJarRunsWithTheParallelCollectorUnlessTheUserNamesAnother() throws Exception {
        Path home = jdk("temurin-25", "25.0.3+9-LTS", true);
        Run r = launch(Map.of("NODESIZER_AOT", "0"), "pack", "--pods", "a b.csv");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().get(0)).isEqualTo("java " + home);
        assertThat(r.args()).containsExactly("-XX:+UseParallelGC", "-XX:GCTimeRatio=19", "-jar", jar.toString(), "pack", "--pods", "a b.csv");

        r = launch(Map.of("NODESIZER_AOT", "0", "NODESIZER_JAVA_OPTS", "-Xmx1g -XX:+UseG1GC -XX:+DisableExplicitGC"), "pack");
        assertThat(r.args()).containsExactly("-Xmx1g", "-XX:+UseG1GC", "-XX:+DisableExplicitGC", "-jar", jar.toString(), "pack");
    }

    @Test
    void transparentHugePagesAreAskedForOnlyWhereTheKernelGivesThemOnRequest() throws Exception {
        jdk("temurin-25", "25.0.3+9-LTS", true);
        Path mode = dir.resolve("enabled");
        Map<String, String> env = Map.of("NODESIZER_AOT", "0", "NODESIZER_THP_FILE", mode.toString());
        Files.writeString(mode, "always [madvise] never\n");
        assertThat(launch(env, "pack").args())
                .containsExactly("-XX:+UseParallelGC", "-XX:GCTimeRatio=19", "-XX:+UseTransparentHugePages", "-jar", jar.toString(), "pack");
        // The user's option comes later and wins.
        Map<String, String> off = new java.util.HashMap<>(env);
        off.put("NODESIZER_JAVA_OPTS", "-XX:-UseTransparentHugePages");
        assertThat(launch(off, "pack").args()).containsSubsequence("-XX:+UseTransparentHugePages", "-XX:-UseTransparentHugePages", "-jar");
        // "always": the kernel backs the heap unasked; "never": the JVM would warn on every run.
        for (String other : List.of("[always] madvise never\n", "always madvise [never]\n")) {
            Files.writeString(mode, other);
            assertThat(launch(env, "pack").args()).as(other).doesNotContain("-XX:+UseTransparentHugePages");
        }
        Files.delete(mode); // no such file (macOS, a container without /sys)
        assertThat(launch(env, "pack").args()).doesNotContain("-XX:+UseTransparentHugePages");
    }

    @Test
    void theStartUpCacheIsMadeOncePerBuildAndUsedAfter() throws Exception {
        jdk("temurin-25", "25.0.3+9-LTS", true);
        Path cache = repo.resolve("target/nodesizer-jdk-25.0.3+9-LTS.aot");

        Run first = launch(Map.of(), "pack");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).contains("preparing the start-up cache");
        assertThat(cache).exists();
        assertThat(first.args()).containsSubsequence("-XX:AOTCache=" + cache, "-jar", jar.toString(), "pack");

        Run second = launch(Map.of(), "pack");
        assertThat(second.err()).doesNotContain("preparing");
        assertThat(second.args()).contains("-XX:AOTCache=" + cache);

        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000)); // a rebuilt jar
        Run rebuilt = launch(Map.of(), "pack");
        assertThat(rebuilt.err()).contains("preparing the start-up cache");
    }

    @Test
    void jdk21To24UseAnAppCdsArchive() throws Exception {
        jdk("jdk-21", "21.0.5+11-LTS", true);
        Path cache = repo.resolve("target/nodesizer-jdk-21.0.5+11-LTS.aot");
        Run r = launch(Map.of(), "pack");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.args()).contains("-XX:SharedArchiveFile=" + cache).doesNotContain("-XX:AOTCache=" + cache);
    }

    @Test
    void aFailedTrainingRunsWithoutTheCacheAndIsNotRetriedForTheSameBuild() throws Exception {
        jdk("temurin-25", "25.0.3+9-LTS", true);
        Run first = launch(Map.of("FAKE_TRAINING_FAILS", "1"), "pack");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).contains("preparing the start-up cache");
        assertThat(first.args()).containsExactly("-XX:+UseParallelGC", "-XX:GCTimeRatio=19", "-jar", jar.toString(), "pack");
        assertThat(repo.resolve("target/nodesizer-jdk-25.0.3+9-LTS.aot.failed")).exists();
        try (var files = Files.list(repo.resolve("target"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains(".tmp."));
        }

        Run second = launch(Map.of(), "pack");
        assertThat(second.err()).doesNotContain("preparing");
        assertThat(second.args()).containsExactly("-XX:+UseParallelGC", "-XX:GCTimeRatio=19", "-jar", jar.toString(), "pack");
    }

    /**
     * Review 76 #12: the launcher claimed to pass the opens Spark's own launcher passes, and lacked two of them
     * (sun.security.action, and sun.security.krb5 for Kerberos); the launcher's list and the pom's surefire argLine are
     * compared with Spark's JavaModuleOptions, so that a Spark upgrade that adds one fails here.
     */
    @Test
    void sparkRunsFromTheClassPathWithSparksModuleOpens() throws Exception {
        jdk("temurin-25", "25.0.3+9-LTS", true);
        Path spark = sparkHome();
        Run r = launch(Map.of("SPARK_HOME", spark.toString()), "sweep", "--scenarios", "s.yaml", "--engine", "spark");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> sparks = java.util.Arrays.stream(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray())
                .filter(o -> o.startsWith("--add-opens=")).toList();
        assertThat(sparks).hasSizeGreaterThan(10);
        // On JDK 24+ the JDK has no sun.security.action to open: the launcher leaves it out there (the JVM warned on each run).
        List<String> on25 = sparks.stream().filter(o -> !o.contains("sun.security.action")).toList();
        assertThat(on25).hasSize(sparks.size() - 1);
        assertThat(r.args()).containsAll(on25).doesNotContain("--add-opens=java.base/sun.security.action=ALL-UNNAMED")
                .contains("--sun-misc-unsafe-memory-access=allow")
                .containsSubsequence("-cp", jar + ":" + spark + "/jars/*", "io.nodesizer.cli.Main", "sweep", "--scenarios", "s.yaml",
                        "--engine", "spark")
                .doesNotContain("-jar");
        String argLine = Files.readString(Path.of("pom.xml")).replaceAll("(?s).*<argLine>(.*?)</argLine>.*", "$1");
        assertThat(List.of(argLine.split("\\s+"))).containsAll(sparks);
        Run equals = launch(Map.of("SPARK_HOME", spark.toString(), "NODESIZER_AOT", "0"), "sweep", "--engine=spark");
        assertThat(equals.args()).contains("io.nodesizer.cli.Main");
        Path jvm21 = jdk("temurin-21", "21.0.5+11-LTS", true);
        Run on21 = launch(Map.of("SPARK_HOME", spark.toString(), "JAVA_HOME", jvm21.toString()), "sweep", "--engine", "spark");
        assertThat(on21.args()).containsAll(sparks);
    }

    /** A Spark installation as the launcher looks for one: $SPARK_HOME/jars with a spark-core jar. */
    private Path sparkHome() throws IOException {
        Path spark = dir.resolve("spark-4.2.0");
        Files.createDirectories(spark.resolve("jars"));
        Files.writeString(spark.resolve("jars/spark-core_2.13-4.2.0.jar"), "");
        return spark;
    }

    /**
     * Review 76 #9: Spark that cannot be found is a setup mistake, exit 2 as the jar's own message is, saying which SPARK_HOME
     * has no jars; a failed Maven fetch exited 1 and told to set SPARK_HOME without saying it is the launcher that reads it.
     */
    @Test
    void sparkThatCannotBeFoundExitsTwoSayingWhere() throws Exception {
        jdk("temurin-25", "25.0.3+9-LTS", true);
        Run empty = launch(Map.of("SPARK_HOME", dir.toString()), "sweep", "--engine", "spark");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.out()).isEmpty();
        assertThat(empty.err()).contains("SPARK_HOME (" + dir + ") has no Spark in " + dir + "/jars");
        Path bin = Files.createDirectories(dir.resolve("stub-bin"));
        Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho '[ERROR] offline'; exit 1\n");
        bin.resolve("mvn").toFile().setExecutable(true);
        Run fetch = launch(Map.of("PATH", bin + ":" + System.getenv("PATH"), "NODESIZER_AOT", "0"), "sweep", "--engine", "spark");
        assertThat(fetch.exit()).isEqualTo(2);
        assertThat(fetch.out()).isEmpty();
        assertThat(fetch.err()).contains("could not resolve Apache Spark with Maven", "SPARK_HOME=/path/to/spark-4.2 ./nodesizer");
    }

    @Test
    void aLinkOnThePathRunsTheRepositorysJar() throws Exception {
        jdk("temurin-25", "25.0.3+9-LTS", true);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("nodesizer"), repo.resolve("nodesizer"));
        Run r = run(Map.of("NODESIZER_AOT", "0"), List.of("bash", bin.resolve("nodesizer").toString(), "analyze"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.args()).containsSubsequence("-jar", jar.toString(), "analyze");
    }

    @Test
    void aChangedSourceIsBuiltFirstAndAFailedBuildShowsMavensOutput() throws Exception {
        jdk("temurin-25", "25.0.3+9-LTS", true);
        Path bin = Files.createDirectories(dir.resolve("stub-bin"));
        Path mvn = bin.resolve("mvn");
        // The stub build writes the jar anew, or fails with a compiler's message when told to.
        Files.writeString(mvn, "#!/bin/sh\nif [ -n \"${FAKE_BUILD_FAILS:-}\" ]; then echo '[ERROR] A.java:[1,9] expected'; exit 1; fi\n"
                + "echo built > target/nodesizer-0.1.0.jar\n");
        mvn.toFile().setExecutable(true);
        String path = bin + ":" + System.getenv("PATH");
        Files.setLastModifiedTime(repo.resolve("src/main/java/A.java"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        Run failed = launch(Map.of("PATH", path, "NODESIZER_AOT", "0", "FAKE_BUILD_FAILS", "1"), "pack");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).isEmpty();
        assertThat(failed.err()).contains("building…", "[ERROR] A.java:[1,9] expected", "the build failed");

        Files.setLastModifiedTime(repo.resolve("src/main/java/A.java"), FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        Run built = launch(Map.of("PATH", path, "NODESIZER_AOT", "0"), "pack");
        assertThat(built.exit()).as(built.err()).isZero();
        assertThat(Files.readString(jar)).isEqualTo("built\n");
        assertThat(built.args()).containsExactly("-XX:+UseParallelGC", "-XX:GCTimeRatio=19", "-jar", jar.toString(), "pack");
    }
}
