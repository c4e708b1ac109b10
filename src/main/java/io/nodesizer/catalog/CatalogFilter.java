package io.nodesizer.catalog;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.InstanceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Which catalog types a sweep considers. A type matches a GiB-per-vCPU ratio r when its own ratio
 * is within 10 % of r, so GCE n1-standard (3.75) counts as 4 and highcpu (0.9) as 1. Unpriced
 * types are always left out (a sweep ranks by cost). Keeps catalog order.
 *
 * @param gpu          {@code exclude}, {@code include} or {@code only}
 * @param accelerators {@code exclude} or {@code include}: types with a non-GPU accelerator
 *                     ({@link Accelerators}: FPGA, Inferentia, Trainium, …)
 */
public record CatalogFilter(List<String> families, List<Double> ratios, Integer minCpu, Integer maxCpu, String arch, String gpu,
                            String accelerators, String burstable, String previousGeneration) {
    static final double RATIO_TOLERANCE = 0.10;
    private static final String CURRENT_GENERATION = "current generation";

    public CatalogFilter {
        // "--families 'm5, c5'": the spaces a list is often written with are no part of a name (" c5" matched no type).
        families = families == null ? List.of() : families.stream().map(String::strip).filter(f -> !f.isEmpty()).toList();
        ratios = ratios == null ? List.of() : List.copyOf(ratios);
        if (!List.of("amd64", "arm64", "any").contains(arch)) {
            throw new InputException(SourceLocation.ofFile("--arch"), "The architecture (" + arch + ") must be amd64, arm64 or any.");
        }
        if (!List.of("exclude", "include", "only").contains(gpu)) {
            throw new InputException(SourceLocation.ofFile("--gpu"), "The GPU mode (" + gpu + ") must be exclude, include or only.");
        }
        if (!List.of("exclude", "include").contains(burstable)) {
            throw new InputException(SourceLocation.ofFile("--burstable"), "The burstable mode (" + burstable + ") must be exclude or include.");
        }
        if (!List.of("exclude", "include").contains(previousGeneration)) {
            throw new InputException(SourceLocation.ofFile("--previous-generation"), "The previous-generation mode (" + previousGeneration
                    + ") must be exclude or include.");
        }
        if (!List.of("exclude", "include").contains(accelerators)) {
            throw new InputException(SourceLocation.ofFile("--accelerators"), "The accelerator mode (" + accelerators
                    + ") must be exclude or include.");
        }
        for (Double r : ratios) {
            if (r == null || !(r > 0) || r.isInfinite()) {
                throw new InputException(SourceLocation.ofFile("--ratios"), "Every ratio must be a positive number of GiB per vCPU; found " + r + ".");
            }
        }
        if (minCpu != null && maxCpu != null && minCpu > maxCpu) {
            throw new InputException(SourceLocation.ofFile("--min-cpu"), "--min-cpu (" + minCpu + ") must not exceed --max-cpu (" + maxCpu + ").");
        }
    }

    public static CatalogFilter fromOptions(List<String> families, List<Double> ratios, Integer minCpu, Integer maxCpu, String arch, String gpu) {
        return fromOptions(families, ratios, minCpu, maxCpu, arch, gpu, null, null);
    }

    public static CatalogFilter fromOptions(List<String> families, List<Double> ratios, Integer minCpu, Integer maxCpu, String arch,
                                            String gpu, String accelerators) {
        return fromOptions(families, ratios, minCpu, maxCpu, arch, gpu, accelerators, null);
    }

    /**
     * @param accelerators {@code exclude}, {@code include}, or null: exclude unless families are
     *                     named (a user who names {@code inf2} wants it)
     * @param burstable    {@code exclude}, {@code include}, or null: exclude unless families are named ({@link Burstable}:
     *                     their vCPUs run at a baseline share once credits are spent, and T3/T3a/T4g bill surplus credits,
     *                     so a steady workload's cost at their list price is not what they cost)
     */
    public static CatalogFilter fromOptions(List<String> families, List<Double> ratios, Integer minCpu, Integer maxCpu, String arch,
                                            String gpu, String accelerators, String burstable) {
        return fromOptions(families, ratios, minCpu, maxCpu, arch, gpu, accelerators, burstable, null);
    }

    /**
     * @param previousGeneration {@code exclude}, {@code include}, or null: exclude unless families are named
     *                           ({@link PreviousGeneration}: AWS's m3, c3, r3, ... that AWS itself points to newer families)
     */
    public static CatalogFilter fromOptions(List<String> families, List<Double> ratios, Integer minCpu, Integer maxCpu, String arch,
                                            String gpu, String accelerators, String burstable, String previousGeneration) {
        boolean named = families != null && !families.isEmpty();
        String mode = accelerators != null ? accelerators : named ? "include" : "exclude";
        String burst = burstable != null ? burstable : named ? "include" : "exclude";
        String previous = previousGeneration != null ? previousGeneration : named ? "include" : "exclude";
        return new CatalogFilter(families, ratios, minCpu, maxCpu, arch, gpu, mode, burst, previous);
    }

    /** One filter: what it keeps, the option that asks for it ("--catalog" for the price every ranked type needs), and its test. */
    private record Step(String description, String option, Predicate<InstanceType> test) {
    }

    private List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("a price", "--catalog", t -> t.pricePerHourUsd() != null));
        if (!families.isEmpty()) {
            // Without case: catalogs spell families their cloud's way (n2, Ds_v5, NVads_v5), users often
            // do not (N2, ds_v5); no bundled catalog has two families that differ only in case.
            java.util.Set<String> wanted = new java.util.HashSet<>();
            families.forEach(f -> wanted.add(f.toLowerCase(java.util.Locale.ROOT)));
            steps.add(new Step("family " + String.join(",", families), "--families", t -> wanted.contains(t.family().toLowerCase(java.util.Locale.ROOT))));
        }
        if (!ratios.isEmpty()) {
            steps.add(new Step("GiB/vCPU " + ratios.stream().map(CatalogFilter::trim).toList(), "--ratios", t -> ratios.stream()
                    .anyMatch(r -> Math.abs(t.memoryPerCpuGib() - r) <= RATIO_TOLERANCE * r)));
        }
        if (minCpu != null) {
            steps.add(new Step(">= " + minCpu + " vCPU", "--min-cpu", t -> t.vcpu() >= minCpu));
        }
        if (maxCpu != null) {
            steps.add(new Step("<= " + maxCpu + " vCPU", "--max-cpu", t -> t.vcpu() <= maxCpu));
        }
        if (!arch.equals("any")) {
            steps.add(new Step("arch " + arch, "--arch", t -> t.arch().equals(arch)));
        }
        if (burstable.equals("exclude")) {
            steps.add(new Step("not burstable", "--burstable", t -> !Burstable.is(t)));
        }
        if (previousGeneration.equals("exclude")) {
            steps.add(new Step(CURRENT_GENERATION, "--previous-generation", t -> !PreviousGeneration.is(t)));
        }
        if (accelerators.equals("exclude")) {
            steps.add(new Step("no FPGA/Inferentia/Trainium/other accelerator", "--accelerators", t -> !t.hasAccelerator()));
        }
        switch (gpu) {
            case "exclude" -> steps.add(new Step("no GPUs", "--gpu", t -> t.gpuCount() == 0));
            case "only" -> steps.add(new Step("GPUs", "--gpu", t -> t.gpuCount() > 0));
            default -> { }
        }
        return steps;
    }

    public List<InstanceType> apply(List<InstanceType> types) {
        List<Step> steps = steps();
        return types.stream().filter(t -> steps.stream().allMatch(s -> s.test().test(t))).toList();
    }

    /**
     * The {@code --families} names no type of {@code types} (the whole catalog) has, each with the
     * catalog's families that begin with it, or it with them, as suggestions ({@code p3} → {@code p3dn}):
     * a typo there dropped that family silently while the others still matched.
     */
    public java.util.Map<String, List<String>> unknownFamilies(List<InstanceType> types) {
        java.util.Set<String> known = new java.util.TreeSet<>();
        types.forEach(t -> known.add(t.family()));
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String f : families) {
            if (known.stream().noneMatch(k -> k.equalsIgnoreCase(f))) { // names are stripped and non-empty (constructor)
                out.put(f, likeFamilies(f, known, types));
            }
        }
        return out;
    }

    /**
     * The catalog's families a user who wrote {@code f} likely meant, best first, at most five: the
     * family of a type named so ({@code D4s_v5}, {@code m5.xlarge}) or one equal but for case, '_'
     * and '-' ({@code Dsv5}, as Microsoft's size pages write {@code Ds_v5}), alone when there is one;
     * else one within two edits of it so, one in a name under six letters ({@code NCasT4_v3} for {@code NCas_v3}), in a name
     * of three letters one that differs only in its last letter ({@code m6a}, {@code m6g}, {@code m6i} for {@code m6z}), and
     * one it begins with or that begins with it ({@code p3} for {@code p3dn}).
     */
    private static List<String> likeFamilies(String f, java.util.Set<String> known, List<InstanceType> types) {
        String lower = f.toLowerCase(Locale.ROOT);
        String plain = plain(f);
        java.util.Map<String, Integer> rank = new java.util.LinkedHashMap<>();
        for (InstanceType t : types) {
            if (t.name().equalsIgnoreCase(f) || t.name().equalsIgnoreCase("Standard_" + f)) { // Azure's sizes: Standard_D4s_v5
                rank.merge(t.family(), 0, Math::min);
            }
        }
        for (String k : known) {
            String kl = k.toLowerCase(Locale.ROOT);
            if (plain(k).equals(plain)) {
                rank.merge(k, 1, Math::min);
            } else if (plain.length() >= 4 && io.nodesizer.model.NameLists.distance(plain(k), plain) <= (plain.length() >= 6 ? 2 : 1)) {
                rank.merge(k, 2 + io.nodesizer.model.NameLists.distance(plain(k), plain), Math::min); // two edits in a short name would match half the catalog
            } else if (plain.length() == 3 && plain(k).length() == 3
                    && plain(k).startsWith(plain.substring(0, plain.length() - 1))) {
                // A short name with its last letter wrong (m6z): the families of its series and generation (m6a, m6g, m6i).
                rank.merge(k, 4, Math::min);
            } else if (kl.startsWith(lower) || lower.startsWith(kl)) {
                rank.merge(k, 5, Math::min);
            }
        }
        // A type's own family, or one spelt alike, is the answer: the near misses would only be noise beside it.
        int cut = rank.values().stream().anyMatch(r -> r <= 1) ? 1 : Integer.MAX_VALUE;
        return rank.entrySet().stream().filter(e -> e.getValue() <= cut).sorted(java.util.Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(java.util.Map.Entry.comparingByKey())).limit(5).map(java.util.Map.Entry::getKey).toList();
    }

    /** A family name without case, '_' and '-'. */
    private static String plain(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Three of the catalog's families, spread over their sorted list: examples of how it names them. */
    public static List<String> someFamilies(List<InstanceType> types) {
        List<String> all = new ArrayList<>(new java.util.TreeSet<>(types.stream().map(InstanceType::family).toList()));
        return all.size() <= 3 ? all : List.of(all.get(0), all.get(all.size() / 2), all.get(all.size() - 1));
    }

    /**
     * The option of the first filter after which nothing was left ({@code --ratios}, {@code --arch}…; {@code --catalog} when none
     * did or it was the price): where a sweep's scenario error points (QA 69c F5: at the scenario's first line).
     */
    public String emptiedBy(List<InstanceType> types) {
        List<InstanceType> left = types;
        for (Step s : steps()) {
            left = left.stream().filter(s.test()).toList();
            if (left.isEmpty()) {
                return s.option();
            }
        }
        return "--catalog";
    }

    /** Names the first filter after which nothing was left, for the "no candidates" message. */
    public String whyEmpty(List<InstanceType> types) {
        List<InstanceType> left = types;
        for (Step s : steps()) {
            List<InstanceType> next = left.stream().filter(s.test()).toList();
            if (next.isEmpty()) {
                List<String> other = familiesOfOtherArch(types);
                if (s.description().equals(CURRENT_GENERATION)) {
                    return "none of the " + left.size() + " types left at that point is of a current generation (AWS's previous "
                            + "generations are left out: give --previous-generation include to rank them)";
                }
                return "none of the " + left.size() + " types left at that point has " + s.description()
                        + (other.isEmpty() || !s.description().startsWith("arch ") ? "" : " (" + String.join(", ", other)
                        + ": give --arch " + archOf(other) + ")");
            }
            left = next;
        }
        return "no filter removed everything";
    }

    /**
     * The named families ({@code --families}) of which the catalog has types but none of this filter's architecture, each with
     * the architectures it has ({@code m7g (arm64)}), sorted; empty when every named family has some of it. Under the default
     * architecture (the workload's, or amd64) a named Graviton family was dropped with only "arch amd64" to say so (QA 55c F4).
     */
    public List<String> familiesOfOtherArch(List<InstanceType> types) {
        if (families.isEmpty() || arch.equals("any")) {
            return List.of();
        }
        java.util.Map<String, java.util.TreeSet<String>> archs = new java.util.TreeMap<>();
        for (InstanceType t : types) {
            for (String f : families) {
                if (t.family().equalsIgnoreCase(f)) {
                    archs.computeIfAbsent(t.family(), k -> new java.util.TreeSet<>()).add(t.arch());
                }
            }
        }
        List<String> out = new ArrayList<>();
        archs.forEach((f, a) -> {
            if (!a.contains(arch)) {
                out.add(f + " (" + String.join(", ", a) + ")");
            }
        });
        return out;
    }

    /** The one architecture every family of {@link #familiesOfOtherArch} has ({@code arm64} for m7g and c7g), else {@code any}. */
    private static String archOf(List<String> other) {
        java.util.Set<String> archs = new java.util.TreeSet<>();
        for (String f : other) {
            archs.add(f.substring(f.lastIndexOf('(') + 1, f.length() - 1));
        }
        return archs.size() == 1 && !archs.iterator().next().contains(",") ? archs.iterator().next() : "any";
    }

    public String describe() {
        return String.join(", ", steps().stream().map(Step::description).toList());
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
