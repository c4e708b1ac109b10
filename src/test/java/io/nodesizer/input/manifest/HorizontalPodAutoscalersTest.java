package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.input.Inputs;
import io.nodesizer.input.manifest.HorizontalPodAutoscalers.Mode;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HorizontalPodAutoscalers keep their targets' replicas within [minReplicas, maxReplicas], as the
 * HPA controller does from its first sync whatever the metrics, whichever input file they come
 * in; {@code --hpa max} takes every target to its ceiling and {@code --hpa ignore} leaves
 * {@code spec.replicas} as written.
 */
final class HorizontalPodAutoscalersTest {
    @TempDir
    Path dir;

    private static final String APP = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers:
                  - {name: api, image: a, resources: {requests: {cpu: 500m, memory: 1Gi}}}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: shop}
            spec:
              replicas: 12
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec:
                  containers:
                  - {name: db, image: d, resources: {requests: {cpu: "1", memory: 2Gi}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: web, image: w, resources: {requests: {cpu: 100m}}}
            """;

    private static final String HPAS = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: api, namespace: shop}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
              minReplicas: 4
              maxReplicas: 20
              metrics:
              - type: Resource
                resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
            ---
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata: {name: db, namespace: shop}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}
              minReplicas: 2
              maxReplicas: 10
              targetCPUUtilizationPercentage: 80
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
              maxReplicas: 6
            """;

    private Workload read(Mode mode, String... files) throws Exception {
        List<Path> paths = new java.util.ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            Path p = dir.resolve("f" + i + ".yaml");
            Files.writeString(p, files[i]);
            paths.add(p);
        }
        return Inputs.read(paths, mode);
    }

    private static int replicas(Workload w, String name) {
        return w.groups().stream().filter(g -> g.name().equals(name)).mapToInt(PodGroup::replicas).findFirst().orElseThrow();
    }

    private static String why(Workload w, String hpa) {
        return w.ignored().stream().filter(o -> o.kind().equals("HorizontalPodAutoscaler") && o.name().equals(hpa))
                .map(IgnoredObject::reason).findFirst().orElseThrow();
    }

    @Test
    void replicasAreKeptWithinTheBoundsFromAnotherFile() throws Exception {
        // The HPAs are in a second file: they apply all the same.
        Workload w = read(Mode.MIN, APP, HPAS);
        assertThat(replicas(w, "shop/api")).isEqualTo(4);   // no spec.replicas: the API's 1, raised to minReplicas
        assertThat(replicas(w, "shop/db")).isEqualTo(10);   // 12 above maxReplicas: lowered to it
        assertThat(replicas(w, "web")).isEqualTo(3);        // within 1..6 (minReplicas defaults to 1)
        assertThat(why(w, "shop/api")).contains("Deployment shop/api runs 4 replicas (1 in the manifest)").contains("4..20")
                .contains("--hpa max packs it at 20");
        assertThat(why(w, "shop/db")).contains("StatefulSet shop/db runs 10 replicas (12 in the manifest)");
        assertThat(why(w, "web")).contains("keeps 3 replicas, within its 1..6");
        assertThat(w.podCount()).isEqualTo(4 + 10 + 3);
        // Still kept for rightsize, which flags workloads scaled on the utilisation of a request.
        assertThat(w.autoscalers()).hasSize(3);
    }

    @Test
    void anHpaOfAnotherApiGroupIsSomeOtherResource() throws Exception {
        // Only autoscaling/v1 and v2 are HorizontalPodAutoscalers (v2beta1/v2beta2 exit 2, BadInputCorpusTest); a kind
        // of that name in another group is some CRD and sets no replicas.
        Workload w = read(Mode.MAX, APP, HPAS.replace("apiVersion: autoscaling/v", "apiVersion: example.com/v"));
        assertThat(replicas(w, "web")).isEqualTo(3);
        assertThat(w.autoscalers()).isEmpty();
        // Named with its API group: it is no autoscaling HPA (QA 52c F10).
        assertThat(w.ignored()).anyMatch(o -> o.kind().equals("HorizontalPodAutoscaler.example.com") && o.reason().equals("not a workload nodesizer packs"));
    }

    @Test
    void maxTakesEveryTargetToItsCeilingAndIgnoreLeavesTheManifest() throws Exception {
        Workload max = read(Mode.MAX, APP, HPAS);
        assertThat(List.of(replicas(max, "shop/api"), replicas(max, "shop/db"), replicas(max, "web"))).containsExactly(20, 10, 6);
        assertThat(why(max, "web")).contains("--hpa max").contains("maxReplicas, 6 replicas (3 in the manifest)");
        Workload ignore = read(Mode.IGNORE, APP, HPAS);
        assertThat(List.of(replicas(ignore, "shop/api"), replicas(ignore, "shop/db"), replicas(ignore, "web"))).containsExactly(1, 12, 3);
        assertThat(why(ignore, "shop/api")).contains("not applied (--hpa ignore)");
    }

    @Test
    void theTargetIsMatchedByKindNamespaceAndName() throws Exception {
        // An HPA in namespace other, or naming a StatefulSet called api, scales nothing here.
        Workload w = read(Mode.MIN, APP, """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api, namespace: other}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
                  minReplicas: 7
                  maxReplicas: 9
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api-sts, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: api}
                  minReplicas: 7
                  maxReplicas: 9
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: rollout, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: api}
                  minReplicas: 7
                  maxReplicas: 9
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: clones, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, name: api}
                  minReplicas: 7
                  maxReplicas: 9
                """);
        assertThat(replicas(w, "shop/api")).isEqualTo(1);
        assertThat(why(w, "other/api")).isEqualTo("not applied: its target Deployment other/api is not among the inputs");
        assertThat(why(w, "shop/api-sts")).contains("StatefulSet shop/api is not among the inputs");
        assertThat(why(w, "shop/rollout")).isEqualTo("not applied: its target Rollout shop/api is not among the inputs; did you mean "
                + "Deployment shop/api?");
        assertThat(why(w, "shop/clones")).contains("CloneSet shop/api is not among the inputs").contains("HPAs scale Deployments");
    }

    /**
     * QA 55a F7: the HPA controller maps its scaleTargetRef's API group and kind to a resource (the version does not
     * matter): a Deployment named under extensions/v1beta1, or with no apiVersion (the core group), gets no scale
     * (FailedGetScale) and stays as written; apps/v1beta1 is still the apps group and scales.
     */
    @Test
    void anHpaWhoseTargetIsOfAnotherApiGroupScalesNothing() throws Exception {
        String hpa = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: NAME, namespace: shop}
                spec:
                  scaleTargetRef: {REF kind: KIND, name: TARGET}
                  minReplicas: 7
                  maxReplicas: 20
                """;
        Workload w = read(Mode.MAX, APP, hpa.replace("NAME", "old").replace("REF", "apiVersion: extensions/v1beta1,").replace("KIND", "Deployment")
                .replace("TARGET", "api") + "---\n" + hpa.replace("NAME", "none").replace("REF", "").replace("KIND", "StatefulSet")
                .replace("TARGET", "db"));
        assertThat(List.of(replicas(w, "shop/api"), replicas(w, "shop/db"))).containsExactly(1, 12);
        assertThat(why(w, "shop/old")).isEqualTo("not applied: its spec.scaleTargetRef.apiVersion (extensions/v1beta1) is not of the API group "
                + "that serves Deployments (apps/v1), so the HPA controller finds no scale to read (FailedGetScale) and never scales it");
        assertThat(why(w, "shop/none")).contains("(none: the core group) is not of the API group that serves StatefulSets (apps/v1)");
        assertThat(w.autoscalers()).isEmpty(); // nor do they cap --growth
        Workload beta = read(Mode.MAX, APP, hpa.replace("NAME", "beta").replace("REF", "apiVersion: apps/v1beta1,").replace("KIND", "Deployment")
                .replace("TARGET", "api"));
        assertThat(replicas(beta, "shop/api")).isEqualTo(20);
    }

    /**
     * QA 74 F1: the HPA controller clamps the target to each HPA's minReplicas..maxReplicas before it reads a metric, and only
     * then stops on AmbiguousSelector (horizontal.go: reconcileAutoscaler, validateAndParseSelector). So a second HPA's bounds
     * apply too, and neither takes the target past them on metrics: --hpa max leaves it where the bounds do.
     */
    @Test
    void twoHpasOnOneTargetBothClampItAndNeitherScalesOnMetrics() throws Exception {
        String second = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api-2, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
                  minReplicas: 8
                  maxReplicas: 9
                """;
        Workload w = read(Mode.MIN, APP.replace("replicas: 3", "replicas: 0"), HPAS, second);
        // 1 (no spec.replicas) is raised to api's 4, then to api-2's 8; both allow 8, and AmbiguousSelector keeps it there.
        assertThat(replicas(w, "shop/api")).isEqualTo(8);
        assertThat(why(w, "shop/api-2")).startsWith("applied with HorizontalPodAutoscaler shop/api (")
                .contains("at 8 replicas (1 in the manifest)").contains("AmbiguousSelector");
        assertThat(why(w, "shop/api")).contains("(4..20 here)");
        Workload max = read(Mode.MAX, APP, HPAS, second);
        assertThat(replicas(max, "shop/api")).isEqualTo(8); // not api's 20, nor api-2's 9
        assertThat(why(max, "shop/api")).endsWith("so --hpa max takes it no higher");
        assertThat(replicas(read(Mode.IGNORE, APP, HPAS, second), "shop/api")).isEqualTo(1);
        // Growth: ⌈8 × 3⌉ = 24, clamped by the lower maxReplicas, api-2's 9, not api's 20.
        assertThat(replicas(HorizontalPodAutoscalers.capGrowth(w.grown(3), Mode.MIN), "shop/api")).isEqualTo(9);
        // A replay holds the demand at the 8 the two leave it at: neither follows the load.
        io.nodesizer.model.Autoscaling held = HorizontalPodAutoscalers.bounding(w, Mode.MIN).get("shop/api");
        assertThat(List.of(held.minReplicas(), held.maxReplicas(), held.name())).containsExactly(8, 8, "api and api-2");
        // From above: 30 is lowered to api-2's 9 (api's 20 first or not).
        assertThat(replicas(read(Mode.MIN, APP.replace("name: api, namespace: shop}\nspec:", "name: api, namespace: shop}\nspec:\n  replicas: 30"),
                HPAS, second), "shop/api")).isEqualTo(9);
        assertThat(w.groups()).noneMatch(g -> g.name().equals("web"));
        assertThat(why(w, "web")).contains("is at zero replicas, which turns the HPA off");
    }

    /** QA 74 F9: a target within a typo of a workload of the inputs gets the "did you mean" kinds and instance types get. */
    @Test
    void aMisspeltTargetIsSuggestedTheWorkloadItMeant() throws Exception {
        String hpa = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: NAME, namespace: NS}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: KIND, name: TARGET}
                  minReplicas: 7
                  maxReplicas: 9
                """;
        Workload w = read(Mode.MIN, APP, hpa.replace("NAME", "typo").replace("NS", "shop").replace("KIND", "Deployment").replace("TARGET", "apii")
                + "---\n" + hpa.replace("NAME", "kind").replace("NS", "shop").replace("KIND", "StatefulSet").replace("TARGET", "api")
                + "---\n" + hpa.replace("NAME", "ns").replace("NS", "other").replace("KIND", "Deployment").replace("TARGET", "apii")
                + "---\n" + hpa.replace("NAME", "far").replace("NS", "shop").replace("KIND", "Deployment").replace("TARGET", "gateway")
                + "---\n" + hpa.replace("NAME", "short").replace("NS", "shop").replace("KIND", "Deployment").replace("TARGET", "ab"));
        assertThat(why(w, "shop/typo")).isEqualTo("not applied: its target Deployment shop/apii is not among the inputs; did you mean "
                + "Deployment shop/api?");
        assertThat(why(w, "shop/kind")).endsWith("is not among the inputs; did you mean Deployment shop/api?");
        assertThat(why(w, "other/ns")).endsWith("is not among the inputs"); // another namespace: no HPA of its own could reach it
        assertThat(why(w, "shop/far")).endsWith("is not among the inputs");
        // Review 74b #11: a short name two edits from api is no typo of it (shop/ab and shop/api, 8 characters, were within 2).
        assertThat(why(w, "shop/short")).endsWith("is not among the inputs");
        assertThat(replicas(w, "shop/api")).isEqualTo(1);
    }

    /** Ranges that do not overlap: one HPA lowers the target to its maxReplicas, the next raises it to its minReplicas, each sync. */
    @Test
    void twoHpasWhoseRangesDoNotOverlapFightAndTheHigherIsPacked() throws Exception {
        Workload w = read(Mode.MIN, APP, HPAS, """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api-2, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
                  minReplicas: 30
                  maxReplicas: 40
                """);
        assertThat(replicas(w, "shop/api")).isEqualTo(30);
        assertThat(why(w, "shop/api")).contains("their ranges do not overlap, so they fight: at every sync one sets it to 20 and another to 30")
                .contains("packed at 30 replicas, the most it runs");
        // Review 74b #1: growth is capped where they leave it, not at the lower maximum (--growth 1 shrank 30 to 20).
        assertThat(replicas(HorizontalPodAutoscalers.capGrowth(w.grown(1), Mode.MIN), "shop/api")).isEqualTo(30);
        Workload grown = HorizontalPodAutoscalers.capGrowth(w.grown(2), Mode.MIN);
        assertThat(replicas(grown, "shop/api")).isEqualTo(30);
        assertThat(grown.ignored()).extracting(IgnoredObject::reason).contains("applied: "
                + "caps --growth: Deployment shop/api at 30 replicas, the highest minReplicas of the HPAs it is held between (their "
                + "ranges do not overlap: they fight), not 60 (--hpa ignore grows it past that)");
    }

    @Test
    void argoRolloutsArePackedLikeDeploymentsAndScaledByTheirHpas() throws Exception {
        Workload w = read(Mode.MIN, """
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: checkout, namespace: shop}
                spec:
                  replicas: 2
                  strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}
                  selector: {matchLabels: {app: checkout}}
                  template:
                    metadata: {labels: {app: checkout}}
                    spec:
                      containers:
                      - {name: app, image: c, resources: {requests: {cpu: 250m, memory: 512Mi}}}
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: by-ref, namespace: shop}
                spec:
                  replicas: 5
                  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: by-ref}
                ---
                apiVersion: example.com/v1
                kind: Rollout
                metadata: {name: other}
                spec: {anything: 1}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: checkout, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: checkout}
                  minReplicas: 3
                  maxReplicas: 8
                """);
        PodGroup checkout = w.groups().stream().filter(g -> g.name().equals("shop/checkout")).findFirst().orElseThrow();
        assertThat(checkout.kind()).isEqualTo("Rollout");
        assertThat(checkout.replicas()).isEqualTo(3);
        assertThat(checkout.request().cpuMillis()).isEqualTo(250);
        assertThat(checkout.placement().namespace()).isEqualTo("shop");
        // Its pods belong to ReplicaSets the Rollout owns: the scheduler's system default spreading scores them.
        assertThat(checkout.placement().preferences().systemSpread()).isTrue();
        assertThat(w.groups()).hasSize(1);
        assertThat(w.ignored()).anyMatch(o -> o.kind().equals("Rollout") && o.name().equals("shop/by-ref")
                && o.reason().contains("spec.workloadRef"));
        assertThat(w.ignored()).anyMatch(o -> o.kind().equals("Rollout.example.com") && o.name().equals("other")
                && o.reason().equals("not a workload nodesizer packs"));
    }

    private static final String REF_DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: cart, namespace: shop}
            spec:
              replicas: 0
              selector: {matchLabels: {app: cart}}
              template:
                metadata: {labels: {app: cart}}
                spec:
                  containers:
                  - {name: cart, image: c, resources: {requests: {cpu: 400m, memory: 768Mi}}}
            """;

    private static final String REF_ROLLOUT = """
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: cart, namespace: shop}
            spec:
              replicas: 6
              selector: {matchLabels: {app: cart}}
              workloadRef: {apiVersion: apps/v1, kind: Deployment, name: cart}
              strategy: {canary: {steps: [{setWeight: 50}]}}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: cart, namespace: shop}
            spec:
              scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: cart}
              minReplicas: 8
              maxReplicas: 12
            """;

    @Test
    void aRolloutWithAWorkloadRefRunsTheDeploymentsTemplateFromAnotherFile() throws Exception {
        // The usual migration: the Deployment at zero, the Rollout (first file) naming it, its HPA on the Rollout.
        Workload w = read(Mode.MIN, REF_ROLLOUT, REF_DEPLOYMENT);
        PodGroup cart = w.groups().stream().filter(g -> g.kind().equals("Rollout")).findFirst().orElseThrow();
        assertThat(cart.name()).isEqualTo("shop/cart");
        assertThat(cart.replicas()).isEqualTo(8); // 6 in the Rollout, kept within its HPA's 8..12
        assertThat(cart.request().cpuMillis()).isEqualTo(400);
        assertThat(cart.placement().namespace()).isEqualTo("shop");
        assertThat(cart.placement().preferences().systemSpread()).isTrue();
        assertThat(cart.origin().file()).endsWith("f0.yaml");
        assertThat(w.groups()).hasSize(1);
        assertThat(why(w, "shop/cart")).contains("Rollout shop/cart runs 8 replicas (6 in the manifest)");

        // The Deployment still running 3: scaleDown onsuccess leaves it out (Argo scales it to zero once
        // the Rollout is healthy), the default (never) packs both, under kind-qualified names.
        String running = REF_DEPLOYMENT.replace("replicas: 0", "replicas: 3");
        Workload onSuccess = read(Mode.IGNORE, REF_ROLLOUT.replace("name: cart}\n  strategy", "name: cart, scaleDown: onsuccess}\n  strategy"),
                running);
        assertThat(onSuccess.groups()).singleElement().satisfies(g -> {
            assertThat(g.kind()).isEqualTo("Rollout");
            assertThat(g.replicas()).isEqualTo(6);
        });
        assertThat(onSuccess.ignored()).anyMatch(o -> o.kind().equals("Deployment") && o.name().equals("shop/cart")
                && o.reason().equals("not packed: Argo Rollout shop/cart (scaleDown: onsuccess) runs its template (spec.workloadRef) and "
                + "scales it to zero once healthy; its own replicas run only until then"));
        Workload never = read(Mode.IGNORE, REF_ROLLOUT, running);
        assertThat(never.groups()).extracting(PodGroup::name, PodGroup::replicas)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("shop/cart[Deployment]", 3),
                        org.assertj.core.groups.Tuple.tuple("shop/cart[Rollout]", 6));
        assertThat(never.ignored()).anyMatch(o -> o.kind().equals("Deployment")
                && o.reason().startsWith("packed as written beside Argo Rollout shop/cart (no scaleDown), which runs its template"));

        // A Rollout at zero keeps the template: its HPA is off, a ScaledObject brings it up.
        String zeroRollout = REF_ROLLOUT.replace("replicas: 6", "replicas: 0");
        Workload zero = read(Mode.MIN, zeroRollout, REF_DEPLOYMENT, APP);
        assertThat(zero.groups()).noneMatch(g -> g.name().contains("cart"));
        assertThat(why(zero, "shop/cart")).contains("its target Rollout shop/cart is at zero replicas, which turns the HPA off");
        Workload scaled = read(Mode.MAX, zeroRollout.substring(0, zeroRollout.indexOf("---")), REF_DEPLOYMENT, APP, """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: cart, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: cart}
                  maxReplicaCount: 9
                  triggers: [{type: cron, metadata: {timezone: UTC, start: 0 8 * * *, end: 0 20 * * *, desiredReplicas: "9"}}]
                """);
        assertThat(replicas(scaled, "shop/cart")).isEqualTo(9);
        assertThat(scaled.groups()).filteredOn(g -> g.name().equals("shop/cart")).singleElement()
                .satisfies(g -> assertThat(g.request().cpuMillis()).isEqualTo(400));
        assertThat(read(Mode.MIN, REF_ROLLOUT, APP).ignored()).anyMatch(o -> o.kind().equals("Rollout")
                && o.reason().equals("not packed: its spec.workloadRef names Deployment shop/cart (apps/v1), which is not among the inputs"));
        assertThatThrownBy(() -> read(Mode.MIN, REF_ROLLOUT.replace("kind: Deployment, name: cart", "kind: Deployment"), REF_DEPLOYMENT))
                .isInstanceOf(InputException.class).hasMessageContaining("f0.yaml:7").hasMessageContaining("needs kind and name")
                .hasMessageContaining("kind Deployment and no name");
    }

    @Test
    void argoScalesDownOnlyADeploymentAndOnceForSeveralRollouts() throws Exception {
        String running = REF_DEPLOYMENT.replace("replicas: 0", "replicas: 3");
        String second = """
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: cart-eu, namespace: shop}
                spec:
                  replicas: 2
                  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: cart, scaleDown: progressively}
                """;
        // One Rollout leaves the Deployment running, the other has Argo scale it down: it is left out, listed once.
        Workload both = read(Mode.IGNORE, REF_ROLLOUT + second, running);
        assertThat(both.groups()).extracting(PodGroup::name).containsExactlyInAnyOrder("shop/cart", "shop/cart-eu");
        assertThat(both.ignored()).filteredOn(o -> o.kind().equals("Deployment")).singleElement()
                .satisfies(o -> assertThat(o.reason()).contains("Argo Rollout shop/cart-eu (scaleDown: progressively)"));
        // A ReplicaSet named by a workloadRef keeps running whatever scaleDown says.
        String rs = running.replace("kind: Deployment", "kind: ReplicaSet");
        Workload fromRs = read(Mode.IGNORE, REF_ROLLOUT.replace("kind: Deployment, name: cart}", "kind: ReplicaSet, name: cart, scaleDown: onsuccess}"), rs);
        assertThat(fromRs.groups()).extracting(PodGroup::name, PodGroup::replicas).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("shop/cart[ReplicaSet]", 3), org.assertj.core.groups.Tuple.tuple("shop/cart[Rollout]", 6));
        assertThat(fromRs.ignored()).anyMatch(o -> o.kind().equals("ReplicaSet") && o.reason().contains("Argo scales no ReplicaSet down"));
        // A reference outside the apps group names nothing nodesizer reads.
        Workload other = read(Mode.IGNORE, REF_ROLLOUT.replace("apiVersion: apps/v1, kind: Deployment", "apiVersion: example.com/v1, kind: Deployment"),
                running);
        assertThat(other.groups()).extracting(PodGroup::name).containsExactly("shop/cart");
        assertThat(other.groups().get(0).kind()).isEqualTo("Deployment");
        assertThat(other.ignored()).anyMatch(o -> o.kind().equals("Rollout") && o.reason().contains("(example.com/v1), which is not among the inputs"));
    }

    @Test
    void aPausedScaledObjectHoldsItsTargetWhateverTheMode() throws Exception {
        String paused = """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: db-scaler
                  namespace: shop
                  annotations: {autoscaling.keda.sh/paused-replicas: "2"}
                spec:
                  scaleTargetRef: {kind: StatefulSet, name: db}
                  minReplicaCount: 3
                  maxReplicaCount: 5
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: web-scaler
                  annotations: {autoscaling.keda.sh/paused: "true"}
                spec:
                  scaleTargetRef: {name: web}
                  minReplicaCount: 5
                """;
        for (Mode mode : List.of(Mode.MIN, Mode.MAX)) {
            Workload w = read(mode, APP, paused);
            assertThat(replicas(w, "shop/db")).isEqualTo(2);  // 12 written, held at 2 (below its minimum, as KEDA does)
            assertThat(replicas(w, "web")).isEqualTo(3);      // as written, though its minimum is 5
            assertThat(why(w.ignored(), "shop/db-scaler")).contains("holds StatefulSet shop/db at 2 replicas (12 in the manifest)");
            assertThat(why(w.ignored(), "web-scaler")).contains("paused (autoscaling.keda.sh/paused): Deployment web stays at 3 replicas");
        }
        assertThat(replicas(read(Mode.IGNORE, APP, paused), "shop/db")).isEqualTo(12);
        // Paused at zero replicas: a running target is left out, listed with why.
        Workload held = read(Mode.MIN, APP, paused.replace("paused-replicas: \"2\"", "paused-replicas: \"0\""));
        assertThat(held.groups()).noneMatch(g -> g.name().equals("shop/db"));
        assertThat(held.ignored()).anyMatch(o -> o.kind().equals("StatefulSet") && o.name().equals("shop/db")
                && o.reason().contains("held at zero replicas by paused ScaledObject shop/db-scaler"));
        assertThat(replicas(held, "shop/api")).isEqualTo(1);
        // Paused, a target written at zero stays out.
        Workload zero = read(Mode.MAX, APP.replace("replicas: 3", "replicas: 0"), paused);
        assertThat(zero.groups()).noneMatch(g -> g.name().equals("web"));
        assertThat(why(zero.ignored(), "web-scaler")).contains("where the ScaledObject is paused (autoscaling.keda.sh/paused)");
        assertThatThrownBy(() -> read(Mode.MIN, APP, paused.replace("\"2\"", "two"))).isInstanceOf(InputException.class)
                .hasMessageContaining("f1.yaml:6").hasMessageContaining("autoscaling.keda.sh/paused-replicas (two) must be a non-negative integer");
    }

    @Test
    void growthIsCappedByTheScaledObjectThatRevivedATargetNotByAnHpaListedBeforeIt() throws Exception {
        String worker = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: worker}
                spec:
                  replicas: 0
                  selector: {matchLabels: {app: worker}}
                  template:
                    metadata: {labels: {app: worker}}
                    spec:
                      containers:
                      - {name: w, image: w, resources: {requests: {cpu: 100m, memory: 128Mi}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: worker-hpa}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
                  minReplicas: 2
                  maxReplicas: 3
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: worker-keda}
                spec:
                  scaleTargetRef: {name: worker}
                  minReplicaCount: 4
                  maxReplicaCount: 40
                """;
        Workload w = read(Mode.MIN, worker);
        assertThat(replicas(w, "worker")).isEqualTo(4);
        assertThat(why(w, "worker-hpa")).contains("is at zero replicas, which turns the HPA off");
        // ⌈4 × 5⌉ = 20 is within the ScaledObject's 40; the HPA's 3 does not apply.
        assertThat(replicas(HorizontalPodAutoscalers.capGrowth(w.grown(5), Mode.MIN), "worker")).isEqualTo(20);
    }

    @Test
    void kedaScaledObjectsKeepAtLeastOneReplicaWhileActiveAndScaleToTheirMaximum() throws Exception {
        String keda = """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: api-scaler, namespace: shop}
                spec:
                  scaleTargetRef: {name: api}
                  triggers:
                  - type: kafka
                    metadata: {topic: orders, lagThreshold: "50"}
                  - type: cpu
                    metricType: Utilization
                    metadata: {value: "60"}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: db-scaler, namespace: shop}
                spec:
                  scaleTargetRef: {kind: StatefulSet, name: db}
                  minReplicaCount: 3
                  maxReplicaCount: 5
                """;
        // api: no spec.replicas, minReplicaCount 0 (KEDA's default): one while a trigger is active;
        // maxReplicaCount defaults to 100. db: 12 replicas, capped at 5.
        Workload min = read(Mode.MIN, APP, keda);
        assertThat(replicas(min, "shop/api")).isEqualTo(1);
        assertThat(replicas(min, "shop/db")).isEqualTo(5);
        assertThat(min.ignored()).anyMatch(o -> o.kind().equals("ScaledObject") && o.name().equals("shop/api-scaler")
                && o.reason().contains("keeps 1 replica, within its 1..100 while a trigger is active (0 when all are idle)"));
        assertThat(why(min.ignored(), "shop/db-scaler")).contains("StatefulSet shop/db runs 5 replicas (12 in the manifest), as KEDA's HPA");
        Workload max = read(Mode.MAX, APP, keda);
        assertThat(replicas(max, "shop/api")).isEqualTo(100);
        assertThat(why(max.ignored(), "shop/api-scaler")).contains("at its maxReplicaCount, 100 replicas");
        // The cpu trigger scales on utilisation (rightsize flags such workloads); the kafka one does not.
        assertThat(min.autoscalers()).filteredOn(a -> a.name().equals("api-scaler")).singleElement()
                .satisfies(a -> assertThat(a.utilization()).containsExactly("cpu"));
        assertThatThrownBy(() -> read(Mode.MIN, APP, keda.replace("maxReplicaCount: 5", "maxReplicaCount: 2")))
                .isInstanceOf(InputException.class).hasMessageContaining("f1.yaml:19").hasMessageContaining("spec.maxReplicaCount")
                .hasMessageContaining("minReplicaCount (3)");
    }

    @Test
    void aKedaTargetAtZeroReplicasIsPackedAsKedaScalesItUpAndDefaultedLikeTheOthers() throws Exception {
        // The worker is written at 0 (KEDA's scale-to-zero idiom) and requests no CPU: the namespace's
        // LimitRange defaults it, though the ScaledObject brought it back after the inputs were read.
        String worker = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: worker, namespace: jobs}
                spec:
                  replicas: 0
                  selector: {matchLabels: {app: worker}}
                  template:
                    metadata: {labels: {app: worker}}
                    spec:
                      containers:
                      - {name: w, image: w, resources: {requests: {memory: 1Gi}}}
                ---
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults, namespace: jobs}
                spec:
                  limits:
                  - type: Container
                    defaultRequest: {cpu: 300m}
                """;
        String scaler = """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: worker, namespace: jobs}
                spec:
                  scaleTargetRef: {name: worker}
                  maxReplicaCount: 7
                  triggers:
                  - type: rabbitmq
                    metadata: {queueName: tasks, value: "20"}
                """;
        Workload min = read(Mode.MIN, APP, worker, scaler);
        PodGroup w = min.groups().stream().filter(g -> g.name().equals("jobs/worker")).findFirst().orElseThrow();
        assertThat(w.replicas()).isEqualTo(1);
        assertThat(w.request().cpuMillis()).isEqualTo(300);
        assertThat(w.placement().preferences().systemSpread()).isTrue();
        assertThat(min.ignored()).noneMatch(o -> o.name().equals("jobs/worker") && o.kind().equals("Deployment"));
        assertThat(why(min.ignored(), "jobs/worker")).contains("Deployment jobs/worker runs 1 replica (0 in the manifest)")
                .contains("--hpa max packs it at 7");
        assertThat(replicas(read(Mode.MAX, APP, worker, scaler), "jobs/worker")).isEqualTo(7);
        Workload ignore = read(Mode.IGNORE, APP, worker, scaler);
        assertThat(ignore.groups()).noneMatch(g -> g.name().equals("jobs/worker"));
        assertThat(ignore.ignored()).anyMatch(o -> o.kind().equals("ScaledObject") && o.reason().contains("as written (--hpa ignore)"));
        // An HPA, unlike a ScaledObject, is off while its target is at zero.
        Workload hpa = read(Mode.MAX, APP, worker, """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: worker, namespace: jobs}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
                  maxReplicas: 7
                """);
        assertThat(hpa.groups()).noneMatch(g -> g.name().equals("jobs/worker"));
        assertThat(why(hpa, "jobs/worker")).contains("is at zero replicas, which turns the HPA off");
    }

    private static String why(List<IgnoredObject> ignored, String name) {
        return ignored.stream().filter(o -> o.name().equals(name)).map(IgnoredObject::reason).findFirst().orElseThrow();
    }

    @Test
    void growthScalesTheReplicasTheHpaGaveUpToItsMaximum() throws Exception {
        Workload w = HorizontalPodAutoscalers.capGrowth(read(Mode.MIN, APP, HPAS).grown(1.5), Mode.MIN);
        assertThat(replicas(w, "shop/api")).isEqualTo(6);   // ⌈4 × 1.5⌉, under 20
        assertThat(replicas(w, "shop/db")).isEqualTo(10);   // ⌈10 × 1.5⌉ = 15, capped at 10
        assertThat(replicas(w, "web")).isEqualTo(5);        // ⌈3 × 1.5⌉, under 6
        assertThat(why(w.ignored().subList(w.ignored().size() - 1, w.ignored().size()), "shop/db"))
                .isEqualTo("applied: caps --growth: StatefulSet shop/db at its maxReplicas, 10 replicas, not 15 (--hpa ignore grows it past that)");
        Workload ignore = HorizontalPodAutoscalers.capGrowth(read(Mode.IGNORE, APP, HPAS).grown(1.5), Mode.IGNORE);
        assertThat(replicas(ignore, "shop/db")).isEqualTo(18);
    }

    @Test
    void aTargetWhoseNameIsQualifiedByItsKindIsStillCapped() throws Exception {
        // A Deployment and a StatefulSet named db: reported as db[Deployment] and db[StatefulSet].
        String app = APP.replace("kind: StatefulSet\nmetadata: {name: db, namespace: shop}", "kind: StatefulSet\nmetadata: {name: api, namespace: shop}");
        Workload w = HorizontalPodAutoscalers.capGrowth(read(Mode.MIN, app, HPAS.replace("kind: StatefulSet, name: db", "kind: StatefulSet, name: api"))
                .grown(2), Mode.MIN);
        assertThat(replicas(w, "shop/api[StatefulSet]")).isEqualTo(10);
        assertThat(replicas(w, "shop/api[Deployment]")).isEqualTo(8);
    }

    @Test
    void boundsTheApiServerRejectsAreErrorsWithTheirLine() throws Exception {
        String bad = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
                  minReplicas: 5
                  maxReplicas: 3
                """;
        assertThatThrownBy(() -> read(Mode.MIN, APP, bad)).isInstanceOf(InputException.class)
                .hasMessageContaining("f1.yaml:7").hasMessageContaining("spec.maxReplicas").hasMessageContaining("(3)")
                .hasMessageContaining("spec.minReplicas (5)");
        assertThatThrownBy(() -> read(Mode.MIN, APP, bad.replace("minReplicas: 5", "minReplicas: two")))
                .isInstanceOf(InputException.class).hasMessageContaining("f1.yaml:6").hasMessageContaining("spec.minReplicas (two)");
    }

    @Test
    void anUnknownModeNamesTheChoices() {
        assertThat(Mode.parse(null)).isEqualTo(Mode.MIN);
        assertThat(Mode.parse("MAX")).isEqualTo(Mode.MAX);
        assertThatThrownBy(() -> Mode.parse("peak")).isInstanceOf(InputException.class)
                .hasMessageContaining("--hpa").hasMessageContaining("'peak'").hasMessageContaining("min").hasMessageContaining("ignore");
    }
}
