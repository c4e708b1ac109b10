package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

import java.util.List;
import java.util.Map;

/**
 * The effective request of a pod spec, as the scheduler computes it (k8s.io/component-helpers
 * {@code resource.PodRequests}, with KEP-753 sidecars):
 * <pre>
 * reqs = Σ app containers
 * for each init container, in order:
 *   sidecar (restartPolicy: Always): reqs += it; sidecars += it; candidate = sidecars
 *   regular:                          candidate = it + sidecars started before it
 *   init = max(init, candidate)
 * request = max(reqs, init) + spec.overhead          (per resource)
 * </pre>
 * Container requests default to limits for each resource that has a limit but no request, as the
 * API server's defaulting does. Resources: cpu, memory, ephemeral-storage and whole GPUs
 * ({@code nvidia.com/gpu}, {@code amd.com/gpu}, {@code gpu.intel.com/i915}); hugepages and other
 * extended resources are not modelled and are left out. The pod takes one pod slot.
 */
final class PodSpecRequests {
    static final List<String> GPU_RESOURCES = List.of("nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915");

    private PodSpecRequests() {
    }

    static Resources of(YamlNode.Mapping podSpec, String path) {
        long[] apps = new long[Resource.COUNT];
        long[] sidecars = new long[Resource.COUNT];
        long[] init = new long[Resource.COUNT];
        YamlNode.Sequence containers = Manifests.sequence(podSpec, "containers", path);
        if (containers == null || containers.items().isEmpty()) {
            throw new InputException(podSpec.at(), "The pod spec at " + path + " must have at least one container in 'containers'.");
        }
        for (int i = 0; i < containers.items().size(); i++) {
            add(apps, container(containers.items().get(i), path + ".containers[" + i + "]"));
        }
        YamlNode.Sequence inits = Manifests.sequence(podSpec, "initContainers", path);
        if (inits != null) {
            for (int i = 0; i < inits.items().size(); i++) {
                String p = path + ".initContainers[" + i + "]";
                YamlNode node = inits.items().get(i);
                long[] c = container(node, p);
                String restart = Manifests.text(Manifests.mapping(node, p), "restartPolicy", p);
                long[] candidate;
                if ("Always".equals(restart)) {
                    add(apps, c);
                    add(sidecars, c);
                    candidate = sidecars.clone();
                } else {
                    candidate = c.clone();
                    add(candidate, sidecars);
                }
                for (int r = 0; r < Resource.COUNT; r++) {
                    init[r] = Math.max(init[r], candidate[r]);
                }
            }
        }
        long[] pod = new long[Resource.COUNT];
        for (int r = 0; r < Resource.COUNT; r++) {
            pod[r] = Math.max(apps[r], init[r]);
        }
        YamlNode overhead = podSpec.get("overhead");
        if (overhead != null && !(overhead instanceof YamlNode.Scalar s && s.isNull())) {
            add(pod, amounts(Manifests.mapping(overhead, path + ".overhead"), path + ".overhead"));
        }
        pod[Resource.PODS.ordinal()] = 1;
        return Resources.of(pod);
    }

    /** One container's requests, defaulted from its limits. */
    private static long[] container(YamlNode node, String path) {
        YamlNode.Mapping c = Manifests.mapping(node, path);
        long[] out = new long[Resource.COUNT];
        YamlNode resources = c.get("resources");
        if (resources == null || resources instanceof YamlNode.Scalar s && s.isNull()) {
            return out;
        }
        YamlNode.Mapping res = Manifests.mapping(resources, path + ".resources");
        long[] requests = amountsOrEmpty(res, "requests", path + ".resources");
        long[] limits = amountsOrEmpty(res, "limits", path + ".resources");
        boolean[] requested = present(res, "requests", path + ".resources");
        for (int r = 0; r < Resource.COUNT; r++) {
            out[r] = requested[r] ? requests[r] : limits[r];
        }
        return out;
    }

    private static long[] amountsOrEmpty(YamlNode.Mapping res, String key, String path) {
        YamlNode n = res.get(key);
        if (n == null || n instanceof YamlNode.Scalar s && s.isNull()) {
            return new long[Resource.COUNT];
        }
        return amounts(Manifests.mapping(n, path + "." + key), path + "." + key);
    }

    /** Which resources a requests map names explicitly (a request of 0 is still a request). */
    private static boolean[] present(YamlNode.Mapping res, String key, String path) {
        boolean[] out = new boolean[Resource.COUNT];
        YamlNode n = res.get(key);
        if (n == null || n instanceof YamlNode.Scalar s && s.isNull()) {
            return out;
        }
        for (String name : Manifests.mapping(n, path + "." + key).entries().keySet()) {
            Resource r = resourceOf(name);
            if (r != null) {
                out[r.ordinal()] = true;
            }
        }
        return out;
    }

    private static Resource resourceOf(String name) {
        return switch (name) {
            case "cpu" -> Resource.CPU;
            case "memory" -> Resource.MEMORY;
            case "ephemeral-storage" -> Resource.EPHEMERAL_STORAGE;
            default -> GPU_RESOURCES.contains(name) ? Resource.GPU : null;
        };
    }

    private static long[] amounts(YamlNode.Mapping map, String path) {
        long[] out = new long[Resource.COUNT];
        for (Map.Entry<String, YamlNode> e : map.entries().entrySet()) {
            Resource r = resourceOf(e.getKey());
            if (r == null) {
                continue; // hugepages-*, other extended resources: not modelled
            }
            String p = path + "." + e.getKey();
            if (!(e.getValue() instanceof YamlNode.Scalar s) || s.isNull()) {
                throw new InputException(e.getValue().at(), "The quantity at " + p + " must be a scalar such as 500m or 1Gi.");
            }
            SourceLocation at = s.at().withField(p);
            long v = switch (r) {
                case CPU -> Values.cpuMillis(s.text(), at, p);
                case MEMORY, EPHEMERAL_STORAGE -> Values.bytes(s.text(), at, p);
                case GPU -> Math.multiplyExact(Values.wholeCount(s.text(), at, p), 1000L);
                case PODS -> 0;
            };
            out[r.ordinal()] = Math.addExact(out[r.ordinal()], v);
        }
        return out;
    }

    /**
     * A node's {@code status.capacity} or {@code status.allocatable}: cpu, memory, ephemeral-storage,
     * GPUs (whole devices, in thousandths) and {@code pods}.
     */
    static Resources nodeResources(YamlNode.Mapping map, String path) {
        long[] out = amounts(map, path);
        YamlNode pods = map.get("pods");
        if (pods instanceof YamlNode.Scalar s && !s.isNull()) {
            out[Resource.PODS.ordinal()] = Values.integer(s.text(), s.at().withField(path + ".pods"), path + ".pods", 1_000_000);
        }
        return Resources.of(out);
    }

    private static void add(long[] into, long[] other) {
        for (int r = 0; r < into.length; r++) {
            into[r] = Math.addExact(into[r], other[r]);
        }
    }
}
