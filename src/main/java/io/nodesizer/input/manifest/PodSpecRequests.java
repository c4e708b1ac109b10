package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod spec's containers ({@link PodTemplate}) and, from them, its effective request as the
 * scheduler computes it ({@link PodTemplate#effectiveRequest()}: init containers, KEP-753
 * sidecars, pod overhead).
 * Container requests default to limits for each resource that has a limit but no request, as the
 * API server's defaulting does. Resources: cpu, memory, ephemeral-storage and whole GPUs
 * ({@code nvidia.com/gpu}, {@code amd.com/gpu}, {@code gpu.intel.com/i915}, {@code gpu.intel.com/xe}: one count, and the
 * template's {@code gpuVendor} keeps whose they are); hugepages and other
 * extended resources are not modelled and are left out. The pod takes one pod slot.
 */
final class PodSpecRequests {
    static final List<String> GPU_RESOURCES = io.nodesizer.model.GpuVendors.RESOURCES;

    private PodSpecRequests() {
    }

    static Resources of(YamlNode.Mapping podSpec, String path) {
        return template(podSpec, path).effectiveRequest();
    }

    /** The pod spec's containers, app containers first, then init containers in order. */
    static PodTemplate template(YamlNode.Mapping podSpec, String path) {
        return template(podSpec, path, true);
    }

    /**
     * As {@link #template(YamlNode.Mapping, String)}; {@code validate} false for a pod a cluster's API
     * server has already admitted (a snapshot's), whose requests and limits are not checked again.
     */
    static PodTemplate template(YamlNode.Mapping podSpec, String path, boolean validate) {
        List<PodTemplate.Container> out = new ArrayList<>();
        java.util.Set<String> vendors = new java.util.TreeSet<>();
        YamlNode.Sequence containers = Manifests.sequence(podSpec, "containers", path);
        if (containers == null || containers.items().isEmpty()) {
            throw new InputException(podSpec.at(), "The pod spec at " + path + " must have at least one container in 'containers'.");
        }
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (int i = 0; i < containers.items().size(); i++) {
            String p = path + ".containers[" + i + "]";
            out.add(unique(container(containers.items().get(i), p, PodTemplate.Role.APP, vendors, validate), containers.items().get(i), p,
                    names));
        }
        YamlNode.Sequence inits = Manifests.sequence(podSpec, "initContainers", path);
        if (inits != null) {
            for (int i = 0; i < inits.items().size(); i++) {
                String p = path + ".initContainers[" + i + "]";
                YamlNode node = inits.items().get(i);
                String restart = Manifests.text(Manifests.mapping(node, p), "restartPolicy", p);
                out.add(unique(container(node, p, "Always".equals(restart) ? PodTemplate.Role.SIDECAR : PodTemplate.Role.INIT, vendors,
                        validate), node, p, names));
            }
        }
        Resources overheadAmounts = Resources.ZERO;
        YamlNode overhead = podSpec.get("overhead");
        if (overhead != null && !(overhead instanceof YamlNode.Scalar s && s.isNull())) {
            overheadAmounts = Resources.of(amounts(Manifests.mapping(overhead, path + ".overhead"), path + ".overhead"));
        }
        String runtimeClass = Manifests.text(podSpec, "runtimeClassName", path);
        String priorityClass = Manifests.text(podSpec, "priorityClassName", path);
        return new PodTemplate(out, overheadAmounts, runtimeClass == null || runtimeClass.isEmpty() ? null : runtimeClass,
                io.nodesizer.model.GpuVendors.of(vendors), priorityClass == null || priorityClass.isEmpty() ? null : priorityClass,
                PriorityClasses.specPriority(podSpec, path), PriorityClasses.preemptionPolicy(podSpec, path),
                podLevel(podSpec, path, out, validate));
    }

    /** The resources a pod may set at pod level (KEP-2837); hugepages are not modelled. */
    private static final List<Resource> POD_LEVEL = List.of(Resource.CPU, Resource.MEMORY);

    /**
     * The pod-level requests of {@code spec.resources} (PodLevelResources, beta and on by default
     * since Kubernetes 1.34) as the API server defaults them (pkg/apis/core/v1 {@code
     * defaultPodRequests}, after the containers' requests were defaulted from their limits): a
     * request as written; else, with a pod-level limit, the containers' requests when one of them
     * requests the resource, else the limit. Null when the pod sets none. With {@code validate},
     * what the API server refuses exits 2: a pod-level request above its limit or below the
     * containers' requests, a container limit above the pod's, a resource other than cpu, memory
     * and hugepages-* at pod level.
     */
    private static PodTemplate.PodLevel podLevel(YamlNode.Mapping podSpec, String path, List<PodTemplate.Container> containers,
                                                 boolean validate) {
        YamlNode node = podSpec.get("resources");
        if (node == null || node instanceof YamlNode.Scalar s && s.isNull()) {
            return null;
        }
        String p = path + ".resources";
        YamlNode.Mapping res = Manifests.mapping(node, p);
        long[] requests = amountsOrEmpty(res, "requests", p);
        long[] limits = amountsOrEmpty(res, "limits", p);
        boolean[] requested = present(res, "requests", p);
        boolean[] limited = present(res, "limits", p);
        if (validate) {
            podLevelNames(res, p);
            requestsWithinLimits(res, p, false);
            hugepages(res, p, "The pod-level resources");
        }
        long[] aggregate = new PodTemplate(containers, Resources.ZERO).effectiveRequest().toArray();
        Long[] out = new Long[Resource.COUNT];
        for (Resource r : POD_LEVEL) {
            int i = r.ordinal();
            if (requested[i]) {
                out[i] = requests[i];
                if (validate && requests[i] < aggregate[i]) {
                    YamlNode.Scalar v = (YamlNode.Scalar) ((YamlNode.Mapping) res.get("requests")).get(name(r));
                    String f = p + ".requests." + name(r);
                    throw new InputException(v.at().withField(f), "The pod-level request at " + f + " (" + v.shown() + ") must be at least "
                            + "its containers' requests (" + quantity(r, aggregate[i]) + ", init containers and sidecars counted as the "
                            + "scheduler counts them); the API server refuses the pod. Maybe raise it, or leave it out.");
                }
            } else if (limited[i]) {
                boolean anyContainer = containers.stream().anyMatch(c -> r == Resource.CPU ? c.cpuRequest() : c.memoryRequest());
                out[i] = anyContainer ? aggregate[i] : limits[i];
            }
            if (validate && limited[i]) {
                for (PodTemplate.Container c : containers) {
                    if (c.limits().get(r) > limits[i]) {
                        YamlNode.Scalar v = (YamlNode.Scalar) ((YamlNode.Mapping) res.get("limits")).get(name(r));
                        String f = p + ".limits." + name(r);
                        throw new InputException(v.at().withField(f), "Container '" + c.name() + "' limits " + name(r) + " to "
                                + quantity(r, c.limits().get(r)) + ", above the pod-level limit at " + f + " (" + v.shown()
                                + "); the API server refuses the pod. Maybe raise the pod-level limit or lower the container's.");
                    }
                }
            }
        }
        Long cpu = out[Resource.CPU.ordinal()];
        Long memory = out[Resource.MEMORY.ordinal()];
        return cpu == null && memory == null ? null : new PodTemplate.PodLevel(cpu, memory);
    }

    /** Refuses a pod-level resource other than cpu, memory and hugepages-*, as the API server's validation does. */
    private static void podLevelNames(YamlNode.Mapping res, String path) {
        for (String key : List.of("requests", "limits")) {
            if (res.get(key) instanceof YamlNode.Mapping m) {
                for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
                    String name = e.getKey();
                    if (!name.equals("cpu") && !name.equals("memory") && !name.startsWith("hugepages-")) {
                        String f = path + "." + key + "." + name;
                        throw new InputException(e.getValue().at().withField(f), "The pod-level resources at " + path + "." + key
                                + " may name only cpu, memory and hugepages-*, not " + name + "; the API server refuses the pod. "
                                + "Maybe move it to a container's resources.");
                    }
                }
            }
        }
    }

    private static String name(Resource r) {
        return r == Resource.CPU ? "cpu" : "memory";
    }

    /** A CPU or memory amount as a quantity: 1500m, 2, 512Mi, 3Gi (bytes when no binary suffix fits). */
    private static String quantity(Resource r, long v) {
        if (r == Resource.CPU) {
            return v % 1000 == 0 ? Long.toString(v / 1000) : v + "m";
        }
        String[] suffixes = {"Ti", "Gi", "Mi", "Ki"};
        for (int k = 0; k < suffixes.length; k++) {
            long unit = 1L << (10 * (4 - k));
            if (v != 0 && v % unit == 0) {
                return v / unit + suffixes[k];
            }
        }
        return Long.toString(v);
    }

    /**
     * The container, unless another of the pod (app or init) has its name: the API server refuses
     * such a pod (validation's "Duplicate value" on the name), so it would never run.
     */
    private static PodTemplate.Container unique(PodTemplate.Container c, YamlNode node, String path, java.util.Map<String, String> names) {
        String first = names.putIfAbsent(c.name(), path);
        if (first != null) {
            throw new InputException(node.at().withField(path + ".name"), "The container name '" + c.name() + "' is used twice in the pod ("
                    + first + " and " + path + "); the API server refuses a pod whose containers, init containers included, share a name.");
        }
        return c;
    }

    /**
     * The names of the pod spec's Dynamic Resource Allocation claims ({@code spec.resourceClaims[].name}, and any a container's
     * {@code resources.claims} names besides), sorted; empty when it claims none. The scheduler's DynamicResources plugin
     * keeps such a pod off nodes without the devices (resource.k8s.io, stable since Kubernetes 1.34), which the packing does
     * not model.
     */
    static List<String> resourceClaims(YamlNode.Mapping podSpec) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        if (podSpec.get("resourceClaims") instanceof YamlNode.Sequence claims) {
            for (YamlNode c : claims.items()) {
                if (c instanceof YamlNode.Mapping m && m.get("name") instanceof YamlNode.Scalar n && !n.isNull()) {
                    out.add(n.text());
                }
            }
        }
        for (String list : List.of("containers", "initContainers")) {
            if (podSpec.get(list) instanceof YamlNode.Sequence containers) {
                for (YamlNode c : containers.items()) {
                    if (c instanceof YamlNode.Mapping m && m.get("resources") instanceof YamlNode.Mapping r
                            && r.get("claims") instanceof YamlNode.Sequence claims) {
                        for (YamlNode claim : claims.items()) {
                            if (claim instanceof YamlNode.Mapping cm && cm.get("name") instanceof YamlNode.Scalar n && !n.isNull()) {
                                out.add(n.text());
                            }
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The resources the pod spec's containers request or limit that nodesizer does not model
     * (hugepages-*, extended resources other than whole GPUs), sorted. The scheduler filters nodes
     * on them, so packing without them is only right on nodes that offer them: the reader says so.
     */
    static java.util.SortedSet<String> unmodelled(YamlNode.Mapping podSpec, String path) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        if (podSpec.get("resources") instanceof YamlNode.Mapping podLevel) {
            // Pod-level hugepages (cpu and memory there are modelled, PodTemplate.PodLevel)
            for (String key : List.of("requests", "limits")) {
                if (podLevel.get(key) instanceof YamlNode.Mapping amounts) {
                    amounts.entries().keySet().stream().filter(name -> resourceOf(name) == null).forEach(out::add);
                }
            }
        }
        for (String list : List.of("containers", "initContainers")) {
            YamlNode.Sequence cs = Manifests.sequence(podSpec, list, path);
            for (YamlNode node : cs == null ? List.<YamlNode>of() : cs.items()) {
                if (node instanceof YamlNode.Mapping c && c.get("resources") instanceof YamlNode.Mapping res) {
                    for (String key : List.of("requests", "limits")) {
                        if (res.get(key) instanceof YamlNode.Mapping amounts) {
                            amounts.entries().keySet().stream().filter(name -> resourceOf(name) == null).forEach(out::add);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * One container: its name, its requests defaulted from its limits, and its limits; adds to
     * {@code vendors} the vendor of each GPU resource it requests (a request of 0 asks for none).
     */
    private static PodTemplate.Container container(YamlNode node, String path, PodTemplate.Role role, java.util.Set<String> vendors,
                                                   boolean validate) {
        YamlNode.Mapping c = Manifests.mapping(node, path);
        String name = Manifests.text(c, "name", path);
        if (name == null || name.isBlank()) {
            name = path.substring(path.lastIndexOf('.') + 1); // unnamed (the API server would refuse it): containers[0]
        }
        long[] out = new long[Resource.COUNT];
        if (validate) {
            knownContainerFields(c, path);
        }
        YamlNode resources = c.get("resources");
        if (resources == null || resources instanceof YamlNode.Scalar s && s.isNull()) {
            return new PodTemplate.Container(name, role, Resources.ZERO, Resources.ZERO, false, false);
        }
        YamlNode.Mapping res = Manifests.mapping(resources, path + ".resources");
        if (validate) {
            knownResourceFields(res, path + ".resources");
        }
        long[] requests = amountsOrEmpty(res, "requests", path + ".resources");
        long[] limits = amountsOrEmpty(res, "limits", path + ".resources");
        boolean[] requested = present(res, "requests", path + ".resources");
        boolean[] limited = present(res, "limits", path + ".resources");
        if (validate) {
            requestsWithinLimits(res, path + ".resources", true);
            hugepages(res, path + ".resources", "The container");
        }
        for (int r = 0; r < Resource.COUNT; r++) {
            out[r] = requested[r] ? requests[r] : limits[r];
        }
        if (out[Resource.GPU.ordinal()] > 0) {
            vendors.addAll(gpuVendors(res, path + ".resources"));
        }
        java.util.SortedSet<String> named = new java.util.TreeSet<>();
        for (String key : List.of("requests", "limits")) {
            if (res.get(key) instanceof YamlNode.Mapping m) {
                named.addAll(m.entries().keySet());
            }
        }
        named.removeAll(List.of("cpu", "memory"));
        int cpu = Resource.CPU.ordinal();
        int mem = Resource.MEMORY.ordinal();
        return new PodTemplate.Container(name, role, Resources.of(out), Resources.of(limits), requested[cpu] || limited[cpu],
                requested[mem] || limited[mem], named);
    }

    /**
     * Refuses the hugepages the API server's {@code ValidateResourceRequirements} refuses (kubernetes
     * pkg/apis/core/validation/validation.go; QA 67a F3): hugepages in requests or limits without cpu or memory in either
     * ("HugePages require cpu or memory": {@code !limContainsCPUOrMemory && !reqContainsCPUOrMemory && (reqContainsHugePages
     * || limContainsHugePages)}), and an amount that is not a whole number of pages ({@code validateResourceQuantityHugePageValue}
     * with {@code helper.IsHugePageResourceValueDivisible}: "is not positive integer multiple of hugepages-2Mi", a page size
     * that is no quantity included). A request unequal to its limit is {@link #requestsWithinLimits}'s. A controller's template
     * is validated so when the controller is created, before any LimitRanger default could add cpu or memory; a bare Pod
     * is validated after LimitRanger, so a namespace default of cpu or memory would admit it: refused here all the same
     * (README), as the fix is one line of the spec.
     */
    private static void hugepages(YamlNode.Mapping res, String path, String whose) {
        YamlNode first = null;
        String firstPath = null;
        boolean cpuOrMemory = false;
        for (String key : List.of("requests", "limits")) {
            if (!(res.get(key) instanceof YamlNode.Mapping m)) {
                continue;
            }
            for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
                String name = e.getKey();
                cpuOrMemory |= name.equals("cpu") || name.equals("memory");
                if (!name.startsWith("hugepages-")) {
                    continue;
                }
                String p = path + "." + key + "." + name;
                if (first == null) {
                    first = e.getValue();
                    firstPath = p;
                }
                if (e.getValue() instanceof YamlNode.Scalar s && !s.isNull()) {
                    wholePages(name, s, p);
                }
            }
        }
        if (first != null && !cpuOrMemory) {
            throw new InputException(first.at().withField(firstPath), whose + (whose.endsWith("s") ? " ask" : " asks") + " for hugepages at " + firstPath + " but for no cpu "
                    + "or memory in requests or limits; the API server refuses the pod (\"HugePages require cpu or memory\"). Maybe add "
                    + "a memory request and limit, such as memory: 1Gi.");
        }
    }

    /** Refuses a hugepages amount that is not a positive whole number of its pages ({@code IsHugePageResourceValueDivisible}). */
    private static void wholePages(String name, YamlNode.Scalar s, String path) {
        String size = name.substring("hugepages-".length());
        java.math.BigDecimal page;
        try {
            page = io.nodesizer.kube.Quantity.parse(size);
        } catch (io.nodesizer.kube.QuantityFormatException ex) {
            page = null;
        }
        // The page size must be a whole number of bytes above 0 (pageSize.Sign() > 0, MilliValue() % 1000 == 0).
        boolean pageOk = page != null && page.signum() > 0 && page.stripTrailingZeros().scale() <= 0;
        java.math.BigDecimal amount;
        try {
            amount = io.nodesizer.kube.Quantity.parse(s.quantity());
        } catch (io.nodesizer.kube.QuantityFormatException ex) {
            throw new InputException(s.at().withField(path), "The " + path + " (" + s.shown() + ") is not a quantity: " + ex.reason() + ".");
        }
        // quantity.Value() rounds a fraction of a byte up; then Value() % pageSize.Value() == 0.
        java.math.BigInteger bytes = amount.setScale(0, java.math.RoundingMode.CEILING).toBigIntegerExact();
        if (!pageOk) {
            throw new InputException(s.at().withField(path), "The resource name " + name + " at " + path + " names no page size the API "
                    + "server takes (" + size + " is not a whole number of bytes above 0), so it refuses any amount of it. Maybe "
                    + "hugepages-2Mi or hugepages-1Gi was meant.");
        }
        java.math.BigInteger pageBytes = page.toBigIntegerExact();
        if (bytes.mod(pageBytes).signum() != 0) {
            java.math.BigInteger pages = bytes.divide(pageBytes);
            throw new InputException(s.at().withField(path), "The " + path + " (" + s.shown() + ") is not a whole number of " + size
                    + " pages; the API server refuses the pod (validateResourceQuantityHugePageValue: \"is not positive integer multiple of "
                    + name + "\"). Maybe " + (pages.signum() > 0 ? quantityOfPages(pages, size) + " or " : "") + quantityOfPages(pages.add(
                    java.math.BigInteger.ONE), size) + ".");
        }
    }

    /** {@code pages} pages of {@code size} as a quantity: 2 pages of 2Mi is 4Mi where the suffix allows, else a number of bytes. */
    private static String quantityOfPages(java.math.BigInteger pages, String size) {
        String digits = size.replaceAll("[^0-9].*$", "");
        String suffix = size.substring(digits.length());
        if (!digits.isEmpty() && suffix.matches("(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?")) {
            return pages.multiply(new java.math.BigInteger(digits)) + suffix;
        }
        return pages.multiply(io.nodesizer.kube.Quantity.parse(size).toBigIntegerExact()).toString();
    }

    /** A container's fields in the API (core/v1 Container, Kubernetes 1.34). */
    /** core/v1 Container (Kubernetes 1.34). */
    static final java.util.Set<String> CONTAINER_FIELDS = java.util.Set.of("name", "image", "command", "args", "workingDir",
            "ports", "envFrom", "env", "resources", "resizePolicy", "restartPolicy", "restartPolicyRules", "volumeMounts",
            "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath",
            "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty");

    /**
     * Refuses a container field that is a misspelling of one the API has ({@code resource:}, {@code resorces:}) or
     * {@code requests}/{@code limits} written outside {@code resources}: kubectl's strict field validation refuses such an
     * object, where dropping the field would pack the container at no request at all (QA 52a F10: 3 pods of 500m sized
     * at 0 CPU). A field far from every known one is let through: a newer Kubernetes may have added it.
     */
    private static void knownContainerFields(YamlNode.Mapping c, String path) {
        for (String key : c.entries().keySet()) {
            if (CONTAINER_FIELDS.contains(key)) {
                continue;
            }
            if (key.equals("requests") || key.equals("limits")) {
                throw new InputException(c.get(key).at().withField(path + "." + key), "The container at " + path + " has " + key
                        + " outside resources; write it under resources: (resources: {" + key + ": …}), or the API server rejects "
                        + "the unknown field and the container would request nothing.");
            }
            String near = io.nodesizer.model.NameLists.nearest(key, CONTAINER_FIELDS);
            if (near != null) {
                throw new InputException(c.get(key).at().withField(path + "." + key), "The container at " + path + " has an unknown "
                        + "field " + key + "; did you mean " + near + "? (The API server rejects unknown fields.)");
            }
        }
    }

    /** A container's (or the pod's) {@code resources}: requests, limits and claims only; resource names the API takes. */
    private static void knownResourceFields(YamlNode.Mapping res, String path) {
        for (String key : res.entries().keySet()) {
            if (!RESOURCE_FIELDS.contains(key)) {
                String near = io.nodesizer.model.NameLists.nearest(key, RESOURCE_FIELDS);
                throw new InputException(res.get(key).at().withField(path + "." + key), "The resources at " + path + " have an unknown "
                        + "field " + key + (near != null ? "; did you mean " + near + "?" : "; they take requests, limits and claims.")
                        + " (The API server rejects unknown fields, and the requests would count as none.)");
            }
        }
        for (String key : List.of("requests", "limits")) {
            if (res.get(key) instanceof YamlNode.Mapping m) {
                for (String name : m.entries().keySet()) {
                    standardOrQualified(name, m.get(name), path + "." + key);
                }
            }
        }
    }

    private static final java.util.Set<String> RESOURCE_FIELDS = java.util.Set.of("requests", "limits", "claims");
    private static final java.util.Set<String> STANDARD_CONTAINER_RESOURCES = java.util.Set.of("cpu", "memory", "ephemeral-storage");

    /**
     * A container resource name the API server takes: cpu, memory, ephemeral-storage, hugepages-&lt;size&gt;, or a
     * domain-qualified name (an extended resource, {@code nvidia.com/gpu}); a bare name is none of those
     * (apis/core/validation {@code validateContainerResourceName}: "must be a standard resource for containers"), so
     * {@code memroy} is refused rather than packed as an extended resource no node offers.
     */
    private static void standardOrQualified(String name, YamlNode value, String path) {
        String gpu = io.nodesizer.model.GpuVendors.misspelt(name);
        if (gpu != null) {
            // Valid as a name, so the API server takes the pod, but no device plugin advertises it: kube-scheduler's
            // NodeResourcesFit (noderesources/fit.go, fitsRequest) counts a resource a node does not list at allocatable 0,
            // so the pods would stay Pending, where packing them as an unmodelled extended resource sizes CPU nodes.
            throw new InputException(value.at().withField(path + "." + name), "The resource name " + name + " at " + path
                    + " is no GPU resource: the device plugin advertises " + gpu + " (resource names are case-sensitive)"
                    + ", so kube-scheduler would find no node offering " + name + " (a node that does not list it has none "
                    + "allocatable) and the pods would stay Pending; did you mean " + gpu + "?");
        }
        if (name.contains("/") || name.startsWith("hugepages-") || STANDARD_CONTAINER_RESOURCES.contains(name)) {
            return;
        }
        // A bare gpu is nearest cpu by spelling, but meant a device plugin's GPU resource, which carries its vendor's domain.
        String near = name.equals("gpu") || name.equals("gpus") ? "nvidia.com/gpu (or amd.com/gpu)"
                : io.nodesizer.model.NameLists.nearest(name, STANDARD_CONTAINER_RESOURCES);
        throw new InputException(value.at().withField(path + "." + name), "The resource name " + name + " at " + path + " is not one "
                + "the API server takes for a container: cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource "
                + "with its domain (nvidia.com/gpu)" + (near != null ? "; did you mean " + near + "?" : "."));
    }

    /**
     * The vendors of the GPU resources a container's requests (or, for a resource it does not
     * request, its limits) ask a non-zero amount of: each vendor's device plugin serves its own
     * resource name ({@link io.nodesizer.model.GpuVendors}).
     */
    private static java.util.Set<String> gpuVendors(YamlNode.Mapping res, String path) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        YamlNode.Mapping requests = res.get("requests") instanceof YamlNode.Mapping m ? m : null;
        YamlNode.Mapping limits = res.get("limits") instanceof YamlNode.Mapping m ? m : null;
        for (String name : GPU_RESOURCES) {
            YamlNode v = requests != null && requests.get(name) != null ? requests.get(name) : limits == null ? null : limits.get(name);
            if (v instanceof YamlNode.Scalar s && !s.isNull() && Values.wholeCount(s.quantity(), s.shown(), s.at(), path + "." + name) > 0) {
                out.add(io.nodesizer.model.GpuVendors.ofResource(name));
            }
        }
        return out;
    }

    /**
     * Refuses what the API server's {@code ValidateResourceRequirements} refuses
     * (kubernetes/kubernetes {@code pkg/apis/core/validation/validation.go}): a request above its limit,
     * and, for a container, a request unequal to its limit for a resource that cannot be overcommitted
     * ({@link #overcommitAllowed}: a GPU, hugepages, any other extended resource; {@code container} false for
     * pod-level resources). The controller's pods
     * would never be created, so packing them would size for pods that do not run.
     */
    private static void requestsWithinLimits(YamlNode.Mapping res, String path, boolean container) {
        if (!(res.get("requests") instanceof YamlNode.Mapping requests)) {
            return;
        }
        YamlNode.Mapping limits = res.get("limits") instanceof YamlNode.Mapping m ? m : null;
        for (Map.Entry<String, YamlNode> e : requests.entries().entrySet()) {
            String name = e.getKey();
            Resource r = resourceOf(name);
            boolean exact = container && !overcommitAllowed(name);
            if (r == null && !exact || !(e.getValue() instanceof YamlNode.Scalar request) || request.isNull()) {
                continue;
            }
            String p = path + ".requests." + name;
            if (!(limits != null && limits.get(name) instanceof YamlNode.Scalar limit && !limit.isNull())) {
                // Refused too, unless a LimitRange gave a default limit first: packed, with a note
                // (ManifestReader.resourceNotes).
                continue;
            }
            String lp = path + ".limits." + name;
            // Extended resources and hugepages in thousandths, as Quantity.MilliValue compares them.
            long requested = r == null ? thousandths(request, p) : amount(r, request, p);
            long limited = r == null ? thousandths(limit, lp) : amount(r, limit, lp);
            if (exact ? requested != limited : requested > limited) {
                String why = r == Resource.GPU ? "a GPU" : name.startsWith("hugepages-") ? "hugepages" : "an extended resource";
                throw new InputException(request.at().withField(p), "The request at " + p + " (" + request.shown() + ") must be "
                        + (exact ? "equal to" : "at most") + " its limit (" + limit.shown() + ")"
                        + (exact ? ", as " + why + " cannot be overcommitted" : "") + "; the API server refuses the pod. Maybe "
                        + (exact ? "set only limits." + name + ": the request defaults to it." : "raise the limit or lower the request."));
            }
        }
    }

    /**
     * Whether the API server lets a container's request of {@code name} differ from its limit
     * ({@code helper.IsOvercommitAllowed}, pkg/apis/core/helper/helpers.go): a native resource (a bare
     * name, or one under kubernetes.io/) that is not hugepages. A GPU, hugepages-&lt;size&gt; and every other
     * extended resource ({@code example.com/foo}, {@code nvidia.com/mig-1g.5gb}) must be requested as much as
     * limited, and must have a limit.
     */
    static boolean overcommitAllowed(String name) {
        boolean nativeResource = !name.contains("/") || name.contains("kubernetes.io/");
        return nativeResource && !name.startsWith("hugepages-");
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

    /** The resource nodesizer packs that {@code name} is (a GPU's device-plugin names are all {@link Resource#GPU}), or null. */
    static Resource resourceOf(String name) {
        return switch (name) {
            case "cpu" -> Resource.CPU;
            case "memory" -> Resource.MEMORY;
            case "ephemeral-storage" -> Resource.EPHEMERAL_STORAGE;
            default -> GPU_RESOURCES.contains(name) ? Resource.GPU : null;
        };
    }

    /**
     * A pod's requests of the resources not packed ({@link io.nodesizer.model.ExtendedResources}), in thousandths: as
     * {@code resource.PodRequests} adds them up, the app containers and sidecars summed, at least each init container's
     * own (with the sidecars started before it), plus the pod overhead; a container's limit stands for its request
     * (extended resources cannot be overcommitted). Zero amounts are left out.
     */
    static Map<String, Long> extended(YamlNode.Mapping podSpec, String path) {
        Map<String, Long> running = new java.util.TreeMap<>();
        Map<String, Long> peak = new java.util.TreeMap<>();
        YamlNode.Sequence inits = Manifests.sequence(podSpec, "initContainers", path);
        for (int i = 0; inits != null && i < inits.items().size(); i++) {
            if (!(inits.items().get(i) instanceof YamlNode.Mapping c)) {
                continue;
            }
            String p = path + ".initContainers[" + i + "]";
            Map<String, Long> own = containerExtended(c, p);
            if ("Always".equals(Manifests.text(c, "restartPolicy", p))) {
                own.forEach((k, v) -> running.merge(k, v, Math::addExact)); // a sidecar runs from here on
            } else {
                own.forEach((k, v) -> peak.merge(k, Math.addExact(v, running.getOrDefault(k, 0L)), Math::max));
            }
        }
        YamlNode.Sequence cs = Manifests.sequence(podSpec, "containers", path);
        for (int i = 0; cs != null && i < cs.items().size(); i++) {
            if (cs.items().get(i) instanceof YamlNode.Mapping c) {
                containerExtended(c, path + ".containers[" + i + "]").forEach((k, v) -> running.merge(k, v, Math::addExact));
            }
        }
        peak.forEach((k, v) -> running.merge(k, v, Math::max));
        if (podSpec.get("overhead") instanceof YamlNode.Mapping overhead) {
            extendedAmounts(overhead, path + ".overhead").forEach((k, v) -> running.merge(k, v, Math::addExact));
        }
        running.values().removeIf(v -> v == 0);
        return running;
    }

    private static Map<String, Long> containerExtended(YamlNode.Mapping c, String path) {
        Map<String, Long> out = new java.util.TreeMap<>();
        if (!(c.get("resources") instanceof YamlNode.Mapping res)) {
            return out;
        }
        if (res.get("limits") instanceof YamlNode.Mapping limits) {
            out.putAll(extendedAmounts(limits, path + ".resources.limits"));
        }
        if (res.get("requests") instanceof YamlNode.Mapping requests) {
            out.putAll(extendedAmounts(requests, path + ".resources.requests"));
        }
        return out;
    }

    /** The amounts of a requests, limits, overhead or allocatable mapping for the resources not packed, in thousandths. */
    static Map<String, Long> extendedAmounts(YamlNode.Mapping map, String path) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Map.Entry<String, YamlNode> e : map.entries().entrySet()) {
            if (resourceOf(e.getKey()) != null || e.getKey().equals("pods") || !(e.getValue() instanceof YamlNode.Scalar s) || s.isNull()) {
                continue;
            }
            out.put(e.getKey(), thousandths(s, path + "." + e.getKey()));
        }
        return out;
    }

    /** A quantity of a resource not packed, in thousandths. */
    private static long thousandths(YamlNode.Scalar s, String path) {
        try {
            return io.nodesizer.kube.Quantity.parseThousandths(s.quantity());
        } catch (io.nodesizer.kube.QuantityFormatException ex) {
            throw new InputException(s.at().withField(path), "The " + path + " (" + s.shown() + ") is not a quantity nodesizer can count: "
                    + ex.reason() + ".");
        }
    }

    static long[] amounts(YamlNode.Mapping map, String path) {
        long[] out = new long[Resource.COUNT];
        for (Map.Entry<String, YamlNode> e : map.entries().entrySet()) {
            Resource r = resourceOf(e.getKey());
            if (r == null) {
                continue; // hugepages-*, other extended resources: not modelled
            }
            out[r.ordinal()] = Math.addExact(out[r.ordinal()], amount(r, e.getValue(), path + "." + e.getKey()));
        }
        return out;
    }

    /** The quantity {@code value} at {@code p} of a resource nodesizer packs, in its base unit (GPUs in thousandths). */
    static long amount(Resource r, YamlNode value, String p) {
        if (value instanceof YamlNode.Scalar n && n.isNull()) {
            // The API server reads null as a zero quantity, but a Helm value left unset renders just this: the request the
            // author meant would be lost without a word (QA 52c F9).
            throw new InputException(value.at(), "The quantity at " + p + " is empty (null), which kubectl and the API server "
                    + "take as 0: most likely a template value left unset. Write the quantity, such as 500m or 1Gi, or 0 if none is meant.");
        }
        if (!(value instanceof YamlNode.Scalar s)) {
            throw new InputException(value.at(), "The quantity at " + p + " must be a scalar such as 500m or 1Gi.");
        }
        return amount(r, s, p);
    }

    /** One quantity of a resource, in its base unit (GPUs in thousandths). */
    private static long amount(Resource r, YamlNode.Scalar s, String p) {
        SourceLocation at = s.at().withField(p);
        // As kubectl sends it: an unquoted 010 is the number 8 (YAML 1.1), a quoted "010" the quantity 10.
        String text = s.quantity();
        return switch (r) {
            case CPU -> Values.cpuMillis(text, s.shown(), at, p);
            case MEMORY, EPHEMERAL_STORAGE -> Values.bytes(text, s.shown(), at, p);
            case GPU -> Math.multiplyExact(Values.wholeCount(text, s.shown(), at, p), 1000L);
            case PODS -> 0;
        };
    }

    /**
     * The vendors whose GPU resources a node's {@code status.capacity} or {@code status.allocatable}
     * lists a non-zero amount of: each vendor's device plugin advertises its own resource name
     * ({@link io.nodesizer.model.GpuVendors}), so the names say whose GPUs the node has.
     */
    static java.util.Set<String> gpuVendorsOffered(YamlNode.Mapping map, String path) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String name : GPU_RESOURCES) {
            if (map.get(name) instanceof YamlNode.Scalar s && !s.isNull()
                    && Values.wholeCount(s.quantity(), s.shown(), s.at(), path + "." + name) > 0) { // read as amounts() reads it
                out.add(io.nodesizer.model.GpuVendors.ofResource(name));
            }
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
            // A quantity like any other: the kubelet writes a max-pods of 1000 as "1k" (the canonical form).
            SourceLocation at = s.at().withField(path + ".pods");
            long n = Values.wholeCount(s.quantity(), s.shown(), at, path + ".pods");
            if (n > 1_000_000) {
                throw new InputException(at, "The " + path + ".pods (" + s.shown() + ") must be at most 1000000.");
            }
            out[Resource.PODS.ordinal()] = n;
        }
        return Resources.of(out);
    }
}
