package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.model.NameLists;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields the API has in the objects whose numbers a manifest decides (Kubernetes 1.34), and the check that refuses a
 * misspelling of one: kubectl's strict field validation refuses an object with an unknown field ({@code strict decoding
 * error: unknown field "spec.template.spec.initContainer"}), where dropping it here would pack other numbers (QA 61d F1:
 * {@code initContainer:} dropped a 4-CPU init container, {@code replica: 2} packed 1 pod, {@code paralelism: 5} 1,
 * {@code minReplica: 5} held 1, {@code runtimeClassname:} added no overhead). A field far from every known one is let
 * through: a newer Kubernetes may have added it. Manifests only: a snapshot's objects passed their cluster's API server.
 */
final class KnownFields {
    private KnownFields() {
    }

    /** core/v1 PodSpec. */
    static final Set<String> POD_SPEC = Set.of("volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
            "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName", "serviceAccount",
            "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "securityContext",
            "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName", "tolerations", "hostAliases", "priorityClassName",
            "priority", "dnsConfig", "readinessGates", "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "overhead",
            "topologySpreadConstraints", "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims", "resources",
            "hostnameOverride");

    /**
     * meta/v1 ObjectMeta: an object's {@code metadata} and a pod or job template's. A misspelt {@code namespce} put the
     * object in another namespace (its LimitRanges, quotas and HPAs), {@code anotations} packed a Helm hook (fix 77b).
     */
    static final Set<String> OBJECT_META = Set.of("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
            "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
            "ownerReferences", "finalizers", "managedFields");

    /** core/v1 PodTemplateSpec, and batch/v1 JobTemplateSpec. */
    static final Set<String> TEMPLATE = Set.of("metadata", "spec");

    /** The spec fields of each workload kind whose spec holds a pod template (apps/v1, core/v1, batch/v1). */
    static final Map<String, Set<String>> WORKLOAD_SPEC = Map.of(
            "Deployment", Set.of("replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused",
                    "progressDeadlineSeconds"),
            "ReplicaSet", Set.of("replicas", "minReadySeconds", "selector", "template"),
            "ReplicationController", Set.of("replicas", "minReadySeconds", "selector", "template"),
            "StatefulSet", Set.of("replicas", "selector", "template", "volumeClaimTemplates", "serviceName", "podManagementPolicy",
                    "updateStrategy", "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy", "ordinals"),
            "DaemonSet", Set.of("selector", "template", "updateStrategy", "minReadySeconds", "revisionHistoryLimit"),
            "Job", Set.of("parallelism", "completions", "activeDeadlineSeconds", "podFailurePolicy", "successPolicy", "backoffLimit",
                    "backoffLimitPerIndex", "maxFailedIndexes", "selector", "manualSelector", "template", "ttlSecondsAfterFinished",
                    "completionMode", "suspend", "podReplacementPolicy", "managedBy"),
            "CronJob", Set.of("schedule", "timeZone", "startingDeadlineSeconds", "concurrencyPolicy", "suspend", "jobTemplate",
                    "successfulJobsHistoryLimit", "failedJobsHistoryLimit"));

    /** autoscaling/v2 and v1 HorizontalPodAutoscalerSpec. */
    static final Set<String> HPA_SPEC = Set.of("scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior",
            "targetCPUUtilizationPercentage");

    /**
     * Fails at the first field of {@code m} that is not one of {@code known} but within two edits of one (one for short
     * names; case aside): "The spec.template.spec of Deployment shop/web has an unknown field initContainer; did you mean
     * initContainers? …".
     */
    static void check(YamlNode.Mapping m, Set<String> known, String path, String of) {
        if (m == null) {
            return;
        }
        for (String key : m.entries().keySet()) {
            if (known.contains(key)) {
                continue;
            }
            String near = io.nodesizer.model.NameLists.nearest(key, known);
            if (near != null) {
                throw new InputException(m.get(key).at().withField(path + "." + key), "The " + path + " of " + of + " has an unknown field "
                        + key + "; did you mean " + near + "? The API server rejects unknown fields (kubectl's strict field validation), "
                        + "and without it the numbers would be others.");
            }
        }
    }

    /**
     * The fields of a workload's spec, pod template, pod spec and containers that Kubernetes 1.34 does not have and that are
     * no misspelling of one ({@link #check} refuses those), as paths ({@code spec.template.spec.containers[0].resourcesSpec}):
     * kubectl's strict field validation refuses them, and a field far from every known one may be a newer release's, so they
     * are noted, not refused (QA 62b F13: {@code resourcesSpec:} packed a container at no request without a word).
     *
     * @param podSpec the workload's pod spec at {@code podPath} (the spec itself for a Pod)
     */
    static List<String> unknown(String kind, YamlNode.Mapping spec, YamlNode.Mapping podSpec, String podPath) {
        List<String> out = new java.util.ArrayList<>();
        if (!kind.equals("Pod")) {
            unknownIn(spec, WORKLOAD_SPEC.get(kind), "spec", out);
            String templatePath = podPath.substring(0, podPath.length() - ".spec".length());
            if (kind.equals("CronJob") && spec.get("jobTemplate") instanceof YamlNode.Mapping jt) {
                unknownIn(jt, TEMPLATE, "spec.jobTemplate", out);
                if (jt.get("spec") instanceof YamlNode.Mapping js) {
                    unknownIn(js, WORKLOAD_SPEC.get("Job"), "spec.jobTemplate.spec", out);
                    unknownIn(js.get("template") instanceof YamlNode.Mapping t ? t : null, TEMPLATE, templatePath, out);
                }
            } else {
                unknownIn(spec.get("template") instanceof YamlNode.Mapping t ? t : null, TEMPLATE, templatePath, out);
            }
        }
        unknownIn(podSpec, POD_SPEC, podPath, out);
        for (String list : List.of("initContainers", "containers")) {
            if (podSpec != null && podSpec.get(list) instanceof YamlNode.Sequence containers) {
                for (int i = 0; i < containers.items().size(); i++) {
                    if (containers.items().get(i) instanceof YamlNode.Mapping c) {
                        unknownIn(c, PodSpecRequests.CONTAINER_FIELDS, podPath + "." + list + "[" + i + "]", out);
                    }
                }
            }
        }
        return out;
    }

    private static void unknownIn(YamlNode.Mapping m, Set<String> known, String path, List<String> out) {
        for (String key : m == null || known == null ? Set.<String>of() : m.entries().keySet()) {
            if (!known.contains(key)) {
                out.add(path + "." + key);
            }
        }
    }
}
