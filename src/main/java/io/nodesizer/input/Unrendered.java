package io.nodesizer.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Kustomize directories and Helm charts among the inputs. Read raw, a kustomization's replicas, patches, name prefixes
 * and namespace and a chart's templates and values were dropped or failed as YAML (QA 55a F5: a kustomization setting 10
 * replicas packed the base's 3): what the cluster runs is their rendered output, so they are refused with the command
 * that renders them. A kustomization that only gathers files below its own directory ({@code resources:} and nothing
 * that changes them), and lists every manifest there, builds to exactly those files: it is read raw, without itself.
 */
final class Unrendered {
    /** Made when a kustomization is read: loading Jackson's YAML classes was ~50 ms of a cold `pack` of a CSV. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
    }

    /** The fields of a kustomization that change nothing it gathers (kustomize's Kustomization type). */
    private static final Set<String> GATHERING = Set.of("apiVersion", "kind", "metadata", "resources");

    private Unrendered() {
    }

    /**
     * The files to read of those found below a given path ({@code files}, sorted), without the kustomizations that only
     * gather files; throws naming the first kustomization or chart that must be rendered.
     */
    static List<Path> check(List<Path> files) {
        List<Path> read = new ArrayList<>(files.size());
        for (Path f : files) {
            if (!marker(f)) {
                read.add(f);
            } else if (f.getFileName().toString().equals("Chart.yaml")) {
                throw refusal(f, null);
            } else {
                String why = gathersOnly(f, files);
                if (why != null) {
                    throw refusal(f, why);
                }
            }
        }
        return read;
    }

    /** The error for a kustomization or chart ({@code marker}) that must be rendered; {@code why} says what it changes, if known. */
    static InputException refusal(Path marker, String why) {
        String dir = String.valueOf(marker.getParent() == null ? "." : marker.getParent()); // the kustomization's or chart's own
        return new InputException(SourceLocation.ofFile(marker.toString()), marker.getFileName().toString().equals("Chart.yaml")
                ? "A Helm chart: its templates are not manifests until rendered with its values. Render it and pass the output: "
                + "helm template RELEASE " + dir + " [-f values.yaml] | nodesizer … --pods -"
                : "A kustomize directory" + (why == null ? "" : " (" + why + ")") + ": its replicas, patches, name prefixes and "
                + "namespace apply only when built. Build it and pass the output: kubectl kustomize " + dir
                + " | nodesizer … --pods - (or kustomize build " + dir + ").");
    }

    /** The names kustomize takes a directory's kustomization file by. */
    private static final List<String> KUSTOMIZATIONS = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    /** A kustomization file or a Helm chart's Chart.yaml. */
    static boolean marker(Path file) {
        String name = file.getFileName().toString();
        return KUSTOMIZATIONS.contains(name) || name.equals("Chart.yaml");
    }

    /**
     * Null when the kustomization only gathers manifests below its directory, each of {@code files} there listed (itself,
     * or a directory holding it); else what makes its build differ from the files read raw.
     */
    private static String gathersOnly(Path kustomization, List<Path> files) {
        JsonNode k;
        try {
            k = Yaml.MAPPER.readTree(kustomization.toFile());
        } catch (IOException e) {
            return "it could not be read as YAML";
        }
        if (k == null || !k.isObject()) {
            return "it is not a mapping";
        }
        for (Iterator<String> names = k.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!GATHERING.contains(name)) {
                return "it sets " + name;
            }
        }
        Path dir = kustomization.toAbsolutePath().normalize().getParent();
        List<Path> listed = new ArrayList<>();
        JsonNode resources = k.path("resources");
        for (JsonNode r : resources.isArray() ? resources : List.<JsonNode>of()) {
            String text = r.isTextual() ? r.asText() : "";
            Path p = text.isBlank() || text.contains("://") || text.startsWith("git@") || text.startsWith("github.com/") ? null
                    : dir.resolve(text).normalize();
            if (p == null || !p.startsWith(dir) || !Files.exists(p)) {
                return "its resource " + (text.isBlank() ? r.toString() : text) + " is not a file or directory below it";
            }
            if (Files.isDirectory(p) && KUSTOMIZATIONS.stream().noneMatch(f -> Files.isRegularFile(p.resolve(f)))) {
                return "its resource " + text + " is a directory without a kustomization, which kustomize build refuses";
            }
            listed.add(p);
        }
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            if (abs.startsWith(dir) && !abs.equals(kustomization.toAbsolutePath().normalize()) && !marker(f)
                    && listed.stream().noneMatch(abs::startsWith)) {
                return "it leaves out " + dir.relativize(abs);
            }
        }
        return null;
    }
}
