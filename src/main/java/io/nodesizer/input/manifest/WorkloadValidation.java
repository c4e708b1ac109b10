package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.model.Placement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API server's validation refuses in a workload manifest beyond names and resources (QA 50a
 * F3): such an object is never created, or its controller creates no pod, so packing it would size
 * for pods that never run. Each rule exits 2 at the field, with what the API server requires:
 * <ul>
 * <li>an apps/v1 Deployment, ReplicaSet, StatefulSet or DaemonSet needs a non-empty {@code spec.selector}
 * that matches its template's labels (pkg/apis/apps/validation ValidateDeploymentSpec,
 * ValidateReplicaSetSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec; a ReplicationController's
 * selector, when written, must match too: ValidateReplicationControllerSpec);</li>
 * <li>the pod's {@code restartPolicy} is Always, OnFailure or Never (pkg/apis/core/validation
 * validateRestartPolicy), defaulting to Always; a controller's template takes only Always (the same
 * apps functions; ValidatePodTemplateSpecForRC), a Job's only OnFailure or Never (pkg/apis/batch/validation
 * validateJobSpec), so a Job template without one is refused;</li>
 * <li>a container's {@code name} is a DNS-1123 label (validateContainerCommon: ValidateDNS1123Label);</li>
 * <li>a regular container may not set {@code restartPolicy} (validateContainers: "may not be set for non-init
 * containers", without the alpha ContainerRestartRules gate); an init container only {@code Always}, a
 * sidecar (validateInitContainers).</li>
 * </ul>
 * Not checked, though the API server requires them: a container's {@code image} (validateContainerCommon), an
 * apps/v1 controller's {@code spec.selector} when it is left out (packed as selecting its template's labels), and a
 * Job's {@code restartPolicy} when it is left out (Always by default, which validateJobSpec refuses): hand-written
 * what-if manifests (and this project's own samples and tests) leave them out, and they change no request;
 * departures the README lists. What is written is checked. Objects read from a cluster (a snapshot, or those a controller among the
 * inputs owns) are not checked again.
 */
final class WorkloadValidation {
    private WorkloadValidation() {
    }


    /** The kinds whose template must restart Always, with the validation function that says so. */
    private static final Map<String, String> ALWAYS = Map.of("Deployment", "ValidateDeploymentSpec", "ReplicaSet",
            "ValidateReplicaSetSpec", "StatefulSet", "ValidateStatefulSetSpec", "DaemonSet", "ValidateDaemonSetSpec",
            "ReplicationController", "ValidateReplicationControllerSpec", ManifestReader.ROLLOUT, "ValidateReplicaSetSpec, for its ReplicaSets");

    /**
     * Fails, at the field, on what the API server refuses in the {@code spec} of a workload of {@code kind}
     * (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Job, CronJob, an Argo
     * Rollout with a template).
     */
    static void check(String kind, String name, YamlNode.Mapping spec) {
        String path;
        YamlNode.Mapping podSpec;
        switch (kind) {
            case "Pod" -> {
                path = "spec";
                podSpec = spec;
            }
            case "CronJob" -> {
                YamlNode.Mapping jobSpec = Manifests.requiredMapping(Manifests.requiredMapping(spec, "jobTemplate", "spec"), "spec",
                        "spec.jobTemplate");
                path = "spec.jobTemplate.spec.template.spec";
                podSpec = Manifests.requiredMapping(Manifests.requiredMapping(jobSpec, "template", "spec.jobTemplate.spec"), "spec",
                        "spec.jobTemplate.spec.template");
            }
            default -> {
                path = "spec.template.spec";
                podSpec = Manifests.requiredMapping(Manifests.requiredMapping(spec, "template", "spec"), "spec", "spec.template");
            }
        }
        knownFields(kind, name, spec, podSpec, path);
        if (kind.equals("Job")) {
            jobSpec(kind, name, spec, "spec");
        } else if (kind.equals("CronJob")) {
            jobSpec(kind, name, Manifests.requiredMapping(Manifests.requiredMapping(spec, "jobTemplate", "spec"), "spec", "spec.jobTemplate"),
                    "spec.jobTemplate.spec");
        }
        switch (kind) {
            case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet" -> selector(kind, name, spec);
            case "ReplicationController" -> controllerSelector(name, spec);
            default -> {
            }
        }
        restartPolicy(kind, name, podSpec, path);
        containers(podSpec, path);
    }

    /** The Job controller's own name: a Job whose {@code spec.managedBy} is another is left to that controller. */
    static final String JOB_CONTROLLER = "kubernetes.io/job-controller";

    /**
     * A Job's completion-mode fields (pkg/apis/batch/validation validateJobSpec): {@code completionMode} NonIndexed or
     * Indexed; an Indexed Job needs {@code completions} and at most 100,000 of {@code parallelism}; {@code backoffLimitPerIndex}, {@code maxFailedIndexes} and
     * {@code successPolicy} need Indexed, and {@code maxFailedIndexes} needs {@code backoffLimitPerIndex}; {@code managedBy}
     * is a domain-prefixed path of at most 63 characters (validateManagedBy). The API server refuses the Job otherwise.
     */
    private static void jobSpec(String kind, String name, YamlNode.Mapping jobSpec, String path) {
        String of = kind + " " + name;
        String mode = Manifests.text(jobSpec, "completionMode", path);
        if (mode != null && !mode.equals("NonIndexed") && !mode.equals("Indexed")) {
            throw refused(jobSpec.get("completionMode"), path + ".completionMode", of, "must be NonIndexed or Indexed; found '" + mode
                    + "' (Unsupported value)");
        }
        boolean indexed = "Indexed".equals(mode);
        if (indexed && Manifests.integerText(jobSpec, "completions", path) == null) {
            throw refused(jobSpec.get("completionMode"), path + ".completions", of, "is required when completionMode is Indexed "
                    + "(Required value): each pod runs one index of 0 to completions - 1");
        }
        String parallelism = Manifests.integerText(jobSpec, "parallelism", path);
        if (indexed && parallelism != null && parallelism.matches("[0-9]+")
                && (parallelism.length() > 18 || Long.parseLong(parallelism) > 100_000)) {
            throw refused(jobSpec.get("parallelism"), path + ".parallelism", of, "must be at most 100000 when completionMode is "
                    + "Indexed; found " + parallelism);
        }
        for (String field : List.of("backoffLimitPerIndex", "maxFailedIndexes", "successPolicy")) {
            if (!indexed && jobSpec.get(field) != null && !(jobSpec.get(field) instanceof YamlNode.Scalar n && n.isNull())) {
                throw refused(jobSpec.get(field), path + "." + field, of, "requires completionMode: Indexed (found "
                        + (mode == null ? "none, which defaults to NonIndexed" : mode) + "). Maybe add completionMode: Indexed");
            }
        }
        if (jobSpec.get("maxFailedIndexes") != null && Manifests.text(jobSpec, "backoffLimitPerIndex", path) == null) {
            throw refused(jobSpec.get("maxFailedIndexes"), path + ".maxFailedIndexes", of, "needs backoffLimitPerIndex "
                    + "(Required value: when maxFailedIndexes is specified)");
        }
        String managedBy = Manifests.text(jobSpec, "managedBy", path);
        if (managedBy != null && !managedBy.equals(JOB_CONTROLLER)) {
            int slash = managedBy.indexOf('/');
            boolean domainPrefixed = slash > 0 && slash < managedBy.length() - 1
                    && managedBy.substring(0, slash).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
                    && managedBy.substring(slash + 1).matches("[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+");
            if (managedBy.length() > 63 || !domainPrefixed) {
                throw refused(jobSpec.get("managedBy"), path + ".managedBy", of, "must be a domain-prefixed path of at most 63 "
                        + "characters, such as kueue.x-k8s.io/multikueue; found '" + managedBy + "'");
            }
        }
    }

    private static InputException refused(YamlNode at, String field, String of, String what) {
        return new InputException(at.at().withField(field), "The " + field + " of " + of + " " + what + ". The API server refuses "
                + "the Job, so no pod of it runs.");
    }

    /** A misspelt field of the workload's spec, its templates (their metadata too) or its pod spec ({@link KnownFields}). */
    private static void knownFields(String kind, String name, YamlNode.Mapping spec, YamlNode.Mapping podSpec, String podPath) {
        String of = kind + " " + name;
        if (KnownFields.WORKLOAD_SPEC.containsKey(kind)) {
            KnownFields.check(spec, KnownFields.WORKLOAD_SPEC.get(kind), "spec", of);
        }
        if (kind.equals("CronJob")) {
            YamlNode.Mapping jobTemplate = Manifests.requiredMapping(spec, "jobTemplate", "spec");
            template(jobTemplate, "spec.jobTemplate", of);
            YamlNode.Mapping jobSpec = Manifests.requiredMapping(jobTemplate, "spec", "spec.jobTemplate");
            KnownFields.check(jobSpec, KnownFields.WORKLOAD_SPEC.get("Job"), "spec.jobTemplate.spec", of);
            template(Manifests.requiredMapping(jobSpec, "template", "spec.jobTemplate.spec"), "spec.jobTemplate.spec.template", of);
        } else if (!kind.equals("Pod")) {
            template(Manifests.requiredMapping(spec, "template", "spec"), "spec.template", of);
        }
        KnownFields.check(podSpec, KnownFields.POD_SPEC, podPath, of);
    }

    /** A template's fields and its metadata's: a misspelt {@code lables} there left the pods without the labels selectors count. */
    private static void template(YamlNode.Mapping template, String path, String of) {
        KnownFields.check(template, KnownFields.TEMPLATE, path, of);
        KnownFields.check(Manifests.optionalMapping(template, "metadata", path), KnownFields.OBJECT_META, path + ".metadata", of);
    }

    /**
     * An apps/v1 controller's {@code spec.selector}: required (apps/v1 does not default it from the
     * template's labels), not empty, and matching the template's labels, as labels.Selector matches them.
     * pkg/apis/apps/validation ValidateDeploymentSpec, ValidateReplicaSetSpec and ValidateStatefulSetSpec
     * refuse a missing one ("spec.selector: Required value"); ValidateDaemonSetSpec turns a missing one into
     * labels.Nothing(), which matches no template ("`selector` does not match template `labels`"); all four
     * refuse an empty one ("empty selector is invalid for deployment") and one the template's labels do not
     * match (ValidatePodTemplateSpecForReplicaSet and its like).
     */
    private static void selector(String kind, String name, YamlNode.Mapping spec) {
        String function = ALWAYS.get(kind);
        YamlNode.Mapping template = Manifests.requiredMapping(spec, "template", "spec");
        YamlNode.Mapping metadata = Manifests.optionalMapping(template, "metadata", "spec.template");
        Map<String, String> labels = ManifestReader.labels(metadata, "spec.template.metadata");
        YamlNode node = spec.get("selector");
        if (node == null || node instanceof YamlNode.Scalar s && s.isNull()) {
            // Required by apps/v1 (spec.selector: Required value), but what-if manifests written by hand leave it out as
            // often as this project's own tests did, and it changes no request: packed as if it selected the template's
            // labels, a departure the README lists (as a missing image). A selector that is written is checked below.
            return;
        }
        YamlNode.Mapping selector = Manifests.mapping(node, "spec.selector");
        Map<String, String> matchLabels = new LinkedHashMap<>();
        List<Placement.Requirement> expressions = new ArrayList<>();
        PodPlacement.labelSelector(spec, "selector", "spec", matchLabels, expressions);
        if (matchLabels.isEmpty() && expressions.isEmpty()) {
            throw new InputException(selector.at().withField("spec.selector"), "The spec.selector of " + kind + " " + name
                    + " must name at least one label (matchLabels or matchExpressions); found an empty selector, which would select "
                    + "every pod of the namespace and the API server refuses (\"empty selector is invalid for "
                    + kind.toLowerCase(java.util.Locale.ROOT) + "\", " + function + ")"
                    + (labels.isEmpty() ? "." : ". Maybe 'matchLabels: " + flow(labels) + "', the template's labels."));
        }
        List<String> unmet = new ArrayList<>();
        matchLabels.forEach((k, v) -> {
            if (!v.equals(labels.get(k))) {
                unmet.add(k + "=" + v);
            }
        });
        for (Placement.Requirement r : expressions) {
            if (!io.nodesizer.kube.NodeMatching.matches(r, labels)) {
                unmet.add(r.key() + " " + r.operator().api() + (r.values().isEmpty() ? "" : " " + r.values()));
            }
        }
        if (!unmet.isEmpty()) {
            throw mismatch(kind, name, template, metadata, labels, unmet, function);
        }
    }

    /** A ReplicationController's {@code spec.selector} (a plain map), when written, must match its template's labels. */
    private static void controllerSelector(String name, YamlNode.Mapping spec) {
        YamlNode.Mapping selector = Manifests.optionalMapping(spec, "selector", "spec");
        if (selector == null || selector.entries().isEmpty()) {
            return; // defaulted from the template's labels
        }
        YamlNode.Mapping template = Manifests.requiredMapping(spec, "template", "spec");
        YamlNode.Mapping metadata = Manifests.optionalMapping(template, "metadata", "spec.template");
        Map<String, String> labels = ManifestReader.labels(metadata, "spec.template.metadata");
        if (labels.isEmpty()) {
            return; // defaulted from the selector
        }
        List<String> unmet = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : selector.entries().entrySet()) {
            String v = Manifests.string(selector, e.getKey(), "spec.selector");
            if (!(v == null ? "" : v).equals(labels.get(e.getKey()))) {
                unmet.add(e.getKey() + "=" + (v == null ? "" : v));
            }
        }
        if (!unmet.isEmpty()) {
            throw mismatch("ReplicationController", name, template, metadata, labels, unmet, "ValidateReplicationControllerSpec");
        }
    }

    private static InputException mismatch(String kind, String name, YamlNode.Mapping template, YamlNode.Mapping metadata,
                                           Map<String, String> labels, List<String> unmet, String function) {
        YamlNode at = metadata != null && metadata.get("labels") != null ? metadata.get("labels") : metadata != null ? metadata : template;
        return new InputException(at.at().withField("spec.template.metadata.labels"), "The spec.selector of " + kind + " " + name
                + " must match its template's labels (spec.template.metadata.labels: " + (labels.isEmpty() ? "none" : flow(labels))
                + "); found " + String.join(", ", unmet) + " unmet. The API server refuses it (\"selector does not match template "
                + "labels\", " + function + "), so no pod of it runs. Maybe make the template's labels satisfy the selector.");
    }

    /**
     * The pod's {@code restartPolicy} (Always when absent or empty, as the API server defaults it):
     * one of Always, OnFailure, Never (pkg/apis/core/validation validateRestartPolicy); a controller's
     * template only Always (pkg/apis/apps/validation ValidatePodTemplateSpecForReplicaSet,
     * ValidateStatefulSetSpec, ValidateDaemonSetSpec; pkg/apis/core/validation ValidatePodTemplateSpecForRC); a
     * Job's only OnFailure or Never (pkg/apis/batch/validation validateJobSpec).
     */
    private static void restartPolicy(String kind, String name, YamlNode.Mapping podSpec, String path) {
        String field = path + ".restartPolicy";
        YamlNode node = podSpec.get("restartPolicy");
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            Manifests.requireString(s, field);
        }
        String written = Manifests.text(podSpec, "restartPolicy", path);
        if ((written == null || written.isEmpty()) && (kind.equals("Job") || kind.equals("CronJob"))) {
            // The API server defaults it to Always and then refuses the Job; hand-written what-if Jobs leave it out, and it
            // changes no request: packed as the Job it is meant to be, a departure the README lists. A written one is checked.
            return;
        }
        String policy = written == null || written.isEmpty() ? "Always" : written;
        List<String> allowed = switch (kind) {
            case "Job", "CronJob" -> List.of("OnFailure", "Never");
            case "Pod" -> List.of("Always", "OnFailure", "Never");
            default -> List.of("Always");
        };
        if (allowed.contains(policy)) {
            return;
        }
        String who = switch (kind) {
            case "Job", "CronJob" -> "a Job's pods, which run to completion (pkg/apis/batch/validation validateJobSpec)";
            case "Pod" -> "a pod (pkg/apis/core/validation validateRestartPolicy)";
            default -> "the pods of a " + (kind.equals(ManifestReader.ROLLOUT) ? "Rollout's ReplicaSets" : kind)
                    + ", which run until replaced (pkg/apis/" + (kind.equals("ReplicationController") ? "core" : "apps") + "/validation "
                    + ALWAYS.get(kind) + ")";
        };
        String found = written == null || written.isEmpty() ? "none, which the API server defaults to Always" : "'" + written + "'";
        throw new InputException((node == null ? podSpec : node).at().withField(field), "The " + field + " of " + kind + " " + name
                + " must be " + String.join(" or ", allowed) + " for " + who + "; found " + found + " (" + field + ": Unsupported value)."
                + " The API server refuses it, so no pod of it runs." + (kind.equals("Job") || kind.equals("CronJob")
                ? " Maybe 'restartPolicy: OnFailure' (or Never)." : allowed.size() == 1 ? " Maybe leave it out (it defaults to Always)." : ""));
    }

    /**
     * Each container's name and {@code restartPolicy} (pkg/apis/core/validation validateContainerCommon,
     * validateInitContainers, validateContainers): the name a DNS-1123 label; a regular container's
     * restartPolicy forbidden, an init container's only Always (a sidecar).
     */
    private static void containers(YamlNode.Mapping podSpec, String path) {
        for (String list : List.of("initContainers", "containers")) {
            YamlNode.Sequence cs = Manifests.sequence(podSpec, list, path);
            for (int i = 0; cs != null && i < cs.items().size(); i++) {
                String p = path + "." + list + "[" + i + "]";
                YamlNode.Mapping c = Manifests.mapping(cs.items().get(i), p);
                containerName(c, p);
                YamlNode rp = c.get("restartPolicy");
                if (rp == null || rp instanceof YamlNode.Scalar s && s.isNull()) {
                    continue;
                }
                String value = Manifests.text(c, "restartPolicy", p);
                if (list.equals("containers")) {
                    throw new InputException(rp.at().withField(p + ".restartPolicy"), "The " + p + ".restartPolicy ('" + value
                            + "') may not be set for non-init containers (Forbidden; pkg/apis/core/validation validateContainers): the API "
                            + "server refuses the pod. Maybe move the container to initContainers as a sidecar (restartPolicy: Always there), "
                            + "or leave restartPolicy out.");
                }
                if (!"Always".equals(value)) {
                    throw new InputException(rp.at().withField(p + ".restartPolicy"), "The " + p + ".restartPolicy must be Always (a "
                            + "sidecar, which runs for the pod's life) or left out (a regular init container, which runs to completion "
                            + "first); found '" + value + "' (Unsupported value: supported values: \"Always\"; pkg/apis/core/validation "
                            + "validateInitContainers). The API server refuses the pod. Maybe leave it out.");
                }
            }
        }
    }

    /** A container's name: required, a DNS-1123 label (validateContainerCommon: ValidateDNS1123Label). */
    private static void containerName(YamlNode.Mapping c, String path) {
        String field = path + ".name";
        YamlNode node = c.get("name");
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            Manifests.requireString(s, field);
        }
        String name = Manifests.text(c, "name", path);
        if (name == null || name.isEmpty()) {
            throw new InputException((node == null ? c : node).at().withField(field), "The container at " + path + " must have a name "
                    + "(" + field + ": Required value; pkg/apis/core/validation validateContainerCommon): the API server refuses the pod.");
        }
        if (ObjectNames.isDns1123Label(name)) {
            return;
        }
        String suggestion = ObjectNames.unaccented(name).toLowerCase(java.util.Locale.ROOT).replaceAll("[^-a-z0-9]", "-").replaceAll("^-+|-+$", "");
        if (suggestion.length() > 63) {
            suggestion = suggestion.substring(0, 63).replaceAll("-+$", "");
        }
        boolean suggest = !suggestion.isEmpty() && !suggestion.equals(name) && ObjectNames.isDns1123Label(suggestion);
        throw new InputException(node.at().withField(field), "The container name at " + field + " must be a DNS-1123 label (lowercase "
                + "letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), as the API server "
                + "requires (pkg/apis/core/validation validateContainerCommon: ValidateDNS1123Label); found '" + name + "' ("
                + why(name) + ")." + (suggest ? " Maybe '" + suggestion + "'." : ""));
    }

    /** What breaks the DNS-1123 label rule in {@code name}, briefly. */
    private static String why(String name) {
        if (name.length() > 63) {
            return name.length() + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                return "uppercase '" + ch + "'";
            }
            if (!(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-')) {
                return ch == ' ' ? "a space" : "'" + ch + "'";
            }
        }
        return name.startsWith("-") ? "it starts with '-'" : "it ends with '-'";
    }

    /** Labels as a YAML flow mapping: {app: web, tier: db}. */
    private static String flow(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("{");
        labels.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(": ").append(v.isEmpty() ? "\"\"" : v));
        return sb.append('}').toString();
    }
}
