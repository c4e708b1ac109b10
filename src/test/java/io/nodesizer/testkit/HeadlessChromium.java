package io.nodesizer.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for end-to-end checks of the HTML reports: {@link #dumpDom} loads a
 * page, lets its scripts run and returns the DOM as the browser then holds it; {@link #screenshot}
 * saves a PNG. Started with the flags this machine's closed network needs (no background
 * networking, component updates or sync) and a fresh profile each time.
 */
public final class HeadlessChromium {
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private final Path executable;
    private final Path profiles;

    private HeadlessChromium(Path executable, Path profiles) {
        this.executable = executable;
        this.profiles = profiles;
    }

    /** The browser named by $CHROMIUM, else the first of the usual paths that exists. */
    public static Optional<HeadlessChromium> find(Path profiles) {
        String env = System.getenv("CHROMIUM");
        List<String> paths = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            paths.add(env);
        }
        paths.addAll(CANDIDATES);
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isExecutable(path)) {
                return Optional.of(new HeadlessChromium(path, profiles));
            }
        }
        return Optional.empty();
    }

    /** The serialised DOM after the page's load event and {@code budgetMillis} of virtual time. */
    public String dumpDom(Path page, int budgetMillis) throws IOException, InterruptedException {
        return run(List.of("--virtual-time-budget=" + budgetMillis, "--dump-dom", page.toUri().toString()), null);
    }

    /** A PNG of the page's first {@code width} × {@code height} pixels. */
    public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--virtual-time-budget=3000",
                "--screenshot=" + png.toAbsolutePath(), page.toUri().toString()), png);
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("Chromium wrote no screenshot to " + png);
        }
    }

    private String run(List<String> args, Path expected) throws IOException, InterruptedException {
        Files.createDirectories(profiles);
        Path profile = Files.createTempDirectory(profiles, "profile");
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        cmd.addAll(args);
        Path out = Files.createTempFile(profiles, "out", ".html");
        Path err = Files.createTempFile(profiles, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("Chromium did not finish within 90 s: " + String.join(" ", cmd));
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 && (expected == null || !Files.exists(expected))) {
            throw new IOException("Chromium exited with " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return stdout;
    }
}
