// Conformance cases translated from kube-scheduler's NodeResourcesFit Filter tests (github.com/kubernetes/kubernetes):
//   pkg/scheduler/framework/plugins/noderesources/fit_test.go @ e7827879dbc282e7f5103451dc63169e964b6bb7
//   - TestEnoughRequests (the main table), and the Filter rows of the smaller tables TestNotEnoughRequests
//     ("Too many pods"), TestStorageRequests (ephemeral-storage) and TestRestartableInitContainers (sidecars enabled).
// Upstream Filter status nil = fits; Unschedulable with "Insufficient <resource>" / "Too many pods" reasons = does not
// fit, and the resources named are the ones that do not fit. Case names are the upstream names.
//
// Units, as upstream's helpers write them: framework.Resource{MilliCPU, Memory, EphemeralStorage} and
// makeAllocatableResources(milliCPU, memory, pods, extendedA, storage, hugePageA) are millicores, bytes, a pod count
// and bytes; here cpuMillis, memoryBytes, pods and ephemeralStorageBytes take the same numbers (memory 20 is 20 bytes).
// Overhead "3m" is 3 millicores, "13" is 13 bytes. Upstream's extendedA and hugepages allocatable have no counterpart
// (our GPU resource, allocatable 0 here, is requested by no case). newResourcePod's containers also "request" pods: 0,
// which is no request at all.
//
// Translation notes:
//  - "no resources requested always fits": upstream's pod has no containers at all; ours has one app container that
//    requests nothing (a pod template needs an app container), which is the same request (one pod slot, nothing else).
//  - ADAPTED (adaptedCases): "skip checking resource request with quantity zero" with its extended resource
//    (example.com/aaa: 1 requested, 1 used, 5 allocatable, which fits) replaced by ephemeral-storage 1 (0 used, 20
//    allocatable, which also fits). The point of the row is kept: the node's existing pods request more CPU (20m) and
//    memory (30 B) than it has (10m, 20 B), and upstream checks a resource only when the pod requests some of it
//    (`podRequest.X > 0 && ...` in fitsRequest), so a pod requesting no CPU and no memory still fits. The
//    replacement keeps the pod's request non-zero, so upstream takes the same per-resource path, not the early return
//    for pods that request nothing.
//
// Skipped, TestEnoughRequests (resources or plugin arguments we do not model):
//  - "extended resource fits", "extended resource fits for init container": example.com/aaa extended resource
//  - "extended resource capacity enforced" (+ "for init container"): example.com/aaa
//  - "extended resource allocatable enforced" (+ "for init container"): example.com/aaa
//  - "extended resource allocatable enforced for multiple containers": example.com/aaa
//  - "extended resource allocatable admits multiple init containers": example.com/aaa
//  - "extended resource allocatable enforced for multiple init containers": example.com/aaa
//  - "extended resource allocatable enforced for unknown resource" (+ "for init container"): example.com/bbb
//  - "kubernetes.io resource capacity enforced" (+ "for init container"): kubernetes.io/something and
//    subdomain.kubernetes.io/something scalar resources
//  - "hugepages resource capacity enforced" (+ "for init container"): hugepages-2Mi
//  - "hugepages resource allocatable enforced for multiple containers": hugepages-2Mi
//  - "skip checking ignored extended resource": NodeResourcesFitArgs.IgnoredResources, example.com/bbb
//  - "skip checking ignored extended resource via resource groups": NodeResourcesFitArgs.IgnoredResourceGroups,
//    example.com/bbb and kubernetes.io/something
//  - "skip checking extended resource request with quantity zero via resource groups": example.com/aaa (its only
//    point is the extended resource overcommitted on the node; without it the row is a plain fit)
//  - "skip checking resource request with quantity zero": extended resource; kept ADAPTED, see above
// Skipped, TestRestartableInitContainers:
//  - "allow pod without restartable init containers if sidecar containers is disabled",
//    "not allow pod with restartable init containers if sidecar containers is disabled": the SidecarContainers
//    feature gate off (PreFilter rejects sidecars); we always model sidecars as enabled
package io.nodesizer.kube;

import io.nodesizer.analyze.ClusterAnalysis;
import io.nodesizer.engine.Amounts;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.PodTemplate.Container;
import io.nodesizer.model.PodTemplate.Role;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translates kube-scheduler's NodeResourcesFit Filter test tables (file
 * {@code pkg/scheduler/framework/plugins/noderesources/fit_test.go} of github.com/kubernetes/kubernetes at commit
 * {@code e7827879dbc282e7f5103451dc63169e964b6bb7}; mainly {@code TestEnoughRequests}) into cases for our pod request
 * formula ({@link PodTemplate#effectiveRequest()}: app containers summed, init containers as a maximum, sidecars,
 * overhead, one pod slot) and our per-resource fit of a pending pod on a running node
 * ({@link ClusterAnalysis#analyze}: a pending pod fits a node when, on every resource, its request is at most what
 * the node's allocatable leaves over the requests of the pods bound to it). Each case builds a one-node snapshot
 * (the node, the upstream node's existing pods bound to it, the upstream pod pending) and checks the fit outcome, the
 * set of resources that do not fit, and, where upstream lists them, the requested / used / capacity numbers of those
 * resources. See the comment at the top of the file for units, adaptations and the rows skipped.
 */
final class NodeResourcesFitConformanceTest {

    private static final String NODE = "node";

    /** TestEnoughRequests and TestStorageRequests: makeAllocatableResources(10, 20, 32, 5, 20, 5). */
    private static final Resources ALLOCATABLE = new Resources(10, 20, 32, 0, 20);
    /** TestNotEnoughRequests: makeAllocatableResources(10, 20, 1, 0, 0, 0). */
    private static final Resources ONE_POD = new Resources(10, 20, 1, 0, 0);
    /** TestRestartableInitContainers: makeAllocatableResources(0, 0, 1, 0, 0, 0). */
    private static final Resources ONE_EMPTY_POD = new Resources(0, 0, 1, 0, 0);

    /**
     * A resource upstream reports as not fitting; {@code requested}, {@code used} and {@code capacity} are upstream's
     * InsufficientResource numbers, null where the upstream table does not list them.
     */
    record Insufficient(Resource resource, Long requested, Long used, Long capacity) {
    }

    record Case(String name, Resources allocatable, List<PodTemplate> existing, PodTemplate pod, List<Insufficient> shortOf) {
        boolean fits() {
            return shortOf.isEmpty();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enoughRequestsCases")
    void enoughRequests(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherFilterCases")
    void otherFilterTables(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adaptedCases")
    void adapted(Case c) {
        check(c);
    }

    // ---- TestEnoughRequests ----

    static Stream<Case> enoughRequestsCases() {
        return Stream.of(
            new Case("no resources requested always fits", ALLOCATABLE,
                List.of(pod(res(10, 20))), emptyPod(), fits()),
            new Case("too many resources fails", ALLOCATABLE,
                List.of(pod(res(10, 20))), pod(res(1, 1)),
                List.of(insufficient(Resource.CPU, 1, 10, 10), insufficient(Resource.MEMORY, 1, 20, 20))),
            new Case("too many resources fails due to init container cpu", ALLOCATABLE,
                List.of(pod(res(8, 19))), withInit(pod(res(1, 1)), res(3, 1)),
                List.of(insufficient(Resource.CPU, 3, 8, 10))),
            new Case("too many resources fails due to highest init container cpu", ALLOCATABLE,
                List.of(pod(res(8, 19))), withInit(pod(res(1, 1)), res(3, 1), res(2, 1)),
                List.of(insufficient(Resource.CPU, 3, 8, 10))),
            new Case("too many resources fails due to init container memory", ALLOCATABLE,
                List.of(pod(res(9, 19))), withInit(pod(res(1, 1)), res(1, 3)),
                List.of(insufficient(Resource.MEMORY, 3, 19, 20))),
            new Case("too many resources fails due to highest init container memory", ALLOCATABLE,
                List.of(pod(res(9, 19))), withInit(pod(res(1, 1)), res(1, 3), res(1, 2)),
                List.of(insufficient(Resource.MEMORY, 3, 19, 20))),
            new Case("init container fits because it's the max, not sum, of containers and init containers", ALLOCATABLE,
                List.of(pod(res(9, 19))), withInit(pod(res(1, 1)), res(1, 1)), fits()),
            new Case("multiple init containers fit because it's the max, not sum, of containers and init containers", ALLOCATABLE,
                List.of(pod(res(9, 19))), withInit(pod(res(1, 1)), res(1, 1), res(1, 1)), fits()),
            new Case("both resources fit", ALLOCATABLE,
                List.of(pod(res(5, 5))), pod(res(1, 1)), fits()),
            new Case("one resource memory fits", ALLOCATABLE,
                List.of(pod(res(9, 5))), pod(res(2, 1)),
                List.of(insufficient(Resource.CPU, 2, 9, 10))),
            new Case("one resource cpu fits", ALLOCATABLE,
                List.of(pod(res(5, 19))), pod(res(1, 2)),
                List.of(insufficient(Resource.MEMORY, 2, 19, 20))),
            new Case("equal edge case", ALLOCATABLE,
                List.of(pod(res(5, 19))), pod(res(5, 1)), fits()),
            new Case("equal edge case for init container", ALLOCATABLE,
                List.of(pod(res(5, 19))), withInit(pod(res(4, 1)), res(5, 1)), fits()),
            // Overhead: cpu "3m", memory "13" (bytes).
            new Case("resources + pod overhead fits", ALLOCATABLE,
                List.of(pod(res(5, 5))), withOverhead(pod(res(1, 1)), res(3, 13)), fits()),
            // Overhead: cpu "1m", memory "15" (bytes): 1 + 15 = 16 requested, 5 used, 20 allocatable.
            new Case("requests + overhead does not fit for memory", ALLOCATABLE,
                List.of(pod(res(5, 5))), withOverhead(pod(res(1, 1)), res(1, 15)),
                List.of(insufficient(Resource.MEMORY, 16, 5, 20))));
    }

    // ---- TestNotEnoughRequests, TestStorageRequests, TestRestartableInitContainers ----

    static Stream<Case> otherFilterCases() {
        // TestNotEnoughRequests lists the status only ("Too many pods"); the numbers are those fitsRequest reports for
        // it (Requested 1, Used len(nodeInfo.Pods), Capacity AllowedPodNumber).
        Insufficient tooManyPods = insufficient(Resource.PODS, 1, 1, 1);
        return Stream.of(
            new Case("even without specified resources, predicate fails when there's no space for additional pod", ONE_POD,
                List.of(pod(res(10, 20))), emptyPod(), List.of(tooManyPods)),
            new Case("even if both resources fit, predicate fails when there's no space for additional pod", ONE_POD,
                List.of(pod(res(5, 5))), pod(res(1, 1)), List.of(tooManyPods)),
            new Case("even for equal edge case, predicate fails when there's no space for additional pod", ONE_POD,
                List.of(pod(res(5, 19))), pod(res(5, 1)), List.of(tooManyPods)),
            new Case("even for equal edge case, predicate fails when there's no space for additional pod due to init container",
                ONE_POD, List.of(pod(res(5, 19))), withInit(pod(res(5, 1)), res(5, 1)), List.of(tooManyPods)),

            new Case("empty storage requested, and pod fits", ALLOCATABLE,
                List.of(pod(res(2, 10))), pod(res(1, 1)), fits()),
            new Case("storage ephemeral local storage request exceeds allocatable", ALLOCATABLE,
                List.of(pod(res(2, 2))), pod(storage(0, 0, 25)),
                List.of(new Insufficient(Resource.EPHEMERAL_STORAGE, null, null, null))),
            // Upstream wraps the pod in newResourceInitPod with no init usage: no init containers.
            new Case("ephemeral local storage is sufficient", ALLOCATABLE,
                List.of(pod(storage(2, 2, 10))), pod(storage(0, 0, 5)), fits()),
            new Case("pod fits", ALLOCATABLE,
                List.of(pod(res(2, 2))), pod(storage(0, 0, 10)), fits()),

            new Case("allow pod without restartable init containers if sidecar containers is enabled", ONE_EMPTY_POD,
                List.of(), emptyPod(), fits()),
            new Case("allow pod with restartable init containers if sidecar containers is enabled", ONE_EMPTY_POD,
                List.of(), new PodTemplate(List.of(container("regular", Role.APP, Resources.ZERO),
                    container("restartable-init", Role.SIDECAR, Resources.ZERO)), Resources.ZERO), fits()));
    }

    // ---- ADAPTED rows (see the comment at the top) ----

    static Stream<Case> adaptedCases() {
        return Stream.of(
            new Case("skip checking resource request with quantity zero [ADAPTED: example.com/aaa 1 -> ephemeral-storage 1]",
                ALLOCATABLE, List.of(pod(res(20, 30))), pod(storage(0, 0, 1)), fits()));
    }

    // ---- the check ----

    private static void check(Case c) {
        SourceRef origin = new SourceRef("fit_test.go", 1);
        List<ClusterSnapshot.Pod> pods = new ArrayList<>();
        for (int i = 0; i < c.existing().size(); i++) {
            PodTemplate t = c.existing().get(i);
            pods.add(new ClusterSnapshot.Pod("default", "existing-" + i, t.effectiveRequest(), NODE, "Running", null, null, origin, t,
                null, Placement.ANY));
        }
        pods.add(new ClusterSnapshot.Pod("default", "incoming", c.pod().effectiveRequest(), null, "Pending", null, null, origin,
            c.pod(), null, Placement.ANY));
        ClusterSnapshot.Node node = new ClusterSnapshot.Node(NODE, Map.of(), c.allocatable(), c.allocatable(), false, origin);
        ClusterAnalysis.Result result = ClusterAnalysis.analyze(new ClusterSnapshot(List.of(node), pods, List.of("fit_test.go")));

        assertThat(result.pending()).hasSize(1);
        String reason = result.pending().get(0).reason();
        ClusterAnalysis.NodeRow row = result.nodes().get(0);
        Resources want = c.pod().effectiveRequest();

        // The fit outcome, as analyze decides it for a pending pod.
        boolean fits = reason.startsWith("fits the free room of node " + NODE);
        assertThat(fits).as("%s: upstream %s; analyze says: %s", c, c.fits() ? "Success" : "Unschedulable", reason)
            .isEqualTo(c.fits());

        // The resources that do not fit: the pod's request above what the node has left, each named by analyze.
        Set<Resource> expected = EnumSet.noneOf(Resource.class);
        c.shortOf().forEach(s -> expected.add(s.resource()));
        Set<Resource> actual = EnumSet.noneOf(Resource.class);
        for (Resource r : Resource.values()) {
            if (want.get(r) > row.free().get(r)) {
                actual.add(r);
            }
            assertThat(reason.contains(Amounts.unit(r) + ","))
                .as("%s: analyze's reason names %s iff it does not fit: %s", c, r, reason)
                .isEqualTo(expected.contains(r));
        }
        assertThat(actual).as("%s: insufficient resources (request %s, node requested %s, allocatable %s)", c, want,
            row.requested(), c.allocatable()).isEqualTo(expected);

        // Upstream's InsufficientResource numbers: our effective request, the bound pods' sum, the allocatable.
        for (Insufficient s : c.shortOf()) {
            if (s.requested() != null) {
                assertThat(want.get(s.resource())).as("%s: requested %s", c, s.resource()).isEqualTo(s.requested());
                assertThat(row.requested().get(s.resource())).as("%s: used %s", c, s.resource()).isEqualTo(s.used());
                assertThat(c.allocatable().get(s.resource())).as("%s: capacity %s", c, s.resource()).isEqualTo(s.capacity());
            }
        }
    }

    // ---- builders, in upstream's units (millicores, bytes) ----

    /** framework.Resource{MilliCPU: cpu, Memory: memory}. */
    private static Resources res(long milliCpu, long memoryBytes) {
        return new Resources(milliCpu, memoryBytes, 0, 0, 0);
    }

    /** framework.Resource{MilliCPU: cpu, Memory: memory, EphemeralStorage: storage}. */
    private static Resources storage(long milliCpu, long memoryBytes, long storageBytes) {
        return new Resources(milliCpu, memoryBytes, 0, 0, storageBytes);
    }

    private static Container container(String name, Role role, Resources requests) {
        return new Container(name, role, requests, Resources.ZERO, requests.cpuMillis() > 0, requests.memoryBytes() > 0);
    }

    /** newResourcePod: one app container per usage, requests only. */
    private static PodTemplate pod(Resources... usage) {
        List<Container> containers = new ArrayList<>();
        for (int i = 0; i < usage.length; i++) {
            containers.add(container("app-" + i, Role.APP, usage[i]));
        }
        return new PodTemplate(containers, Resources.ZERO);
    }

    /** &v1.Pod{}: no requests (one app container that requests nothing; see the top comment). */
    private static PodTemplate emptyPod() {
        return pod(Resources.ZERO);
    }

    /** newResourceInitPod: the init containers, in order, after the pod's app containers. */
    private static PodTemplate withInit(PodTemplate pod, Resources... usage) {
        List<Container> containers = new ArrayList<>(pod.containers());
        for (int i = 0; i < usage.length; i++) {
            containers.add(container("init-" + i, Role.INIT, usage[i]));
        }
        return new PodTemplate(containers, pod.overhead());
    }

    /** newResourceOverheadPod: spec.overhead. */
    private static PodTemplate withOverhead(PodTemplate pod, Resources overhead) {
        return new PodTemplate(pod.containers(), overhead);
    }

    private static List<Insufficient> fits() {
        return List.of();
    }

    private static Insufficient insufficient(Resource r, long requested, long used, long capacity) {
        return new Insufficient(r, requested, used, capacity);
    }
}
