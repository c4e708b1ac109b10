package io.nodesizer.input.manifest;

import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A running pod's request as kube-scheduler counts it while its containers may be resized in place
 * (InPlacePodVerticalScaling, on by default since Kubernetes 1.33; VPA's InPlaceOrRecreate mode
 * resizes this way). The scheduler's NodeInfo sums {@code PodRequests} with {@code
 * UseStatusResources} ({@code k8s.io/component-helpers/resource/helpers.go},
 * {@code AggregateContainerRequests}): per resource the most of three sums, each by the init
 * container rule, of what the spec asks, what the kubelet allocated ({@code
 * status.containerStatuses[].allocatedResources}) and what runs ({@code .resources.requests}; where
 * absent, the allocation). A container with no status counts its spec in all three. When the node
 * cannot take the resize (condition {@code PodResizePending}, reason {@code Infeasible}) the spec
 * does not count: only what was allocated and runs, and a container without status then counts
 * nothing. So a pod shrinking holds its old size until the kubelet has applied the new one, and a
 * pod asking for more than its node has holds what it had. Pod-level requests keep their spec
 * (their own status is read only under the alpha InPlacePodLevelResourcesVerticalScaling gate).
 */
final class ResizeStatus {
    private ResizeStatus() {
    }

    /** The request of a pod with {@code template} and {@code status} (null: none), as the scheduler counts it. */
    static Resources request(PodTemplate template, YamlNode.Mapping status, String path) {
        Map<String, YamlNode.Mapping> statuses = status == null ? Map.of() : containerStatuses(status, path);
        boolean infeasible = status != null && infeasible(status, path);
        if (!infeasible && statuses.values().stream().noneMatch(ResizeStatus::reportsResources)) {
            return template.effectiveRequest(); // nothing in the status but the spec
        }
        List<PodTemplate.Container> allocated = new ArrayList<>();
        List<PodTemplate.Container> actuated = new ArrayList<>();
        for (PodTemplate.Container c : template.containers()) {
            YamlNode.Mapping cs = statuses.get(c.name());
            String at = path + ".containerStatuses[" + c.name() + "]";
            long[] allocation = cs == null ? null : list(Manifests.optionalMapping(cs, "allocatedResources", at), at + ".allocatedResources");
            YamlNode.Mapping resources = cs == null ? null : Manifests.optionalMapping(cs, "resources", at);
            long[] running = resources == null ? null
                    : list(Manifests.optionalMapping(resources, "requests", at + ".resources"), at + ".resources.requests");
            long[] fallback = infeasible ? new long[Resource.COUNT] : c.requests().toArray();
            allocated.add(c.withRequests(Resources.of(allocation != null ? allocation : fallback)));
            actuated.add(c.withRequests(Resources.of(running != null ? running : allocation != null ? allocation : fallback)));
        }
        Resources counted = sum(actuated).max(sum(allocated));
        return template.effectiveRequest(infeasible ? counted : counted.max(template.containerRequests()));
    }

    private static boolean reportsResources(YamlNode.Mapping cs) {
        return cs.get("allocatedResources") != null || cs.get("resources") != null;
    }

    /** The app, init and sidecar containers' statuses by name (names are unique across both lists). */
    private static Map<String, YamlNode.Mapping> containerStatuses(YamlNode.Mapping status, String path) {
        Map<String, YamlNode.Mapping> out = new HashMap<>();
        for (String key : List.of("containerStatuses", "initContainerStatuses")) {
            YamlNode.Sequence list = Manifests.sequence(status, key, path);
            if (list == null) {
                continue;
            }
            for (int i = 0; i < list.items().size(); i++) {
                String at = path + "." + key + "[" + i + "]";
                YamlNode.Mapping cs = Manifests.mapping(list.items().get(i), at);
                String name = Manifests.text(cs, "name", at);
                if (name != null) {
                    out.putIfAbsent(name, cs); // the scheduler takes the first of a name, app containers' list first
                }
            }
        }
        return out;
    }

    /** Whether the pod's first {@code PodResizePending} condition says {@code Infeasible} ({@code IsPodResizeInfeasible}). */
    private static boolean infeasible(YamlNode.Mapping status, String path) {
        YamlNode.Sequence conditions = Manifests.sequence(status, "conditions", path);
        if (conditions == null) {
            return false;
        }
        for (int i = 0; i < conditions.items().size(); i++) {
            String at = path + ".conditions[" + i + "]";
            YamlNode.Mapping c = Manifests.mapping(conditions.items().get(i), at);
            if ("PodResizePending".equals(Manifests.text(c, "type", at))) {
                return "Infeasible".equals(Manifests.text(c, "reason", at));
            }
        }
        return false;
    }

    /** A status resource list's amounts, or null when the field is absent. */
    private static long[] list(YamlNode.Mapping map, String path) {
        return map == null ? null : PodSpecRequests.amounts(map, path);
    }

    /** The containers' sum by the scheduler's rule (their roles decide it). */
    private static Resources sum(List<PodTemplate.Container> containers) {
        return new PodTemplate(containers, Resources.ZERO).containerRequests();
    }
}
