package io.nodesizer.catalog;

import io.nodesizer.input.ClasspathFiles;
import io.nodesizer.input.CsvRows;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.model.InstanceType;
import io.nodesizer.model.NodeShape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instance-type catalogs: the bundled {@code aws}, {@code gce} and {@code azure} ones (generated from
 * {@code shared/data/catalogs}, attribution in {@code NOTICE.md} next to them) or a user CSV with
 * the same columns (required {@code name,vcpu,memory_mib}; optional {@code provider, family,
 * category, arch, gpu_count, gpu_model, gpu_manufacturer, gpu_fraction, max_pods_eni, price_per_hour_usd}).
 * Non-GPU accelerators ({@link Accelerators}) are marked; FPGAs listed as GPUs count no GPU, and
 * neither does a GPU partition ({@code gpu_fraction} below 1, {@link Accelerators#GPU_PARTITION}).
 */
public final class Catalogs {
    public static final List<String> BUNDLED = List.of("aws", "gce", "azure");

    /**
     * What a bundled catalog's prices are (its NOTICE and the shared catalogs' README): one region, on-demand, Linux;
     * null for a user's catalog. Reports say it beside the candidates (QA 53c F7: nothing said which region a ranking
     * priced, nor that spot and commitments are not in it).
     */
    public static String priceBasis(String catalog) {
        return switch (catalog) {
            case "aws" -> "us-east-1 on-demand Linux prices of 2026-07-20";
            case "azure" -> "eastus pay-as-you-go Linux prices of 2026-06-18";
            case "gce" -> "the Cluster Autoscaler's GCE on-demand prices";
            default -> null;
        };
    }
    private static final String RESOURCE_DIR = "io/nodesizer/catalog/";
    private static final Map<String, List<InstanceType>> CACHE = new ConcurrentHashMap<>();

    private Catalogs() {
    }

    /**
     * A bundled catalog's name in any case ({@code AWS}) as its own, as families and a catalog's
     * provider column are read (QA 52a F11); an existing file of that name stays the file, and
     * anything else is returned as given, for {@link #load} to refuse.
     */
    public static String canonicalName(String nameOrPath) {
        String lower = nameOrPath.toLowerCase(java.util.Locale.ROOT);
        return BUNDLED.contains(nameOrPath) || !BUNDLED.contains(lower) || Files.isRegularFile(Path.of(nameOrPath)) ? nameOrPath : lower;
    }

    /** The bundled catalogs with a type named {@code type} (any case), for "Maybe aws:m5.4xlarge?" where the catalog was left out. */
    public static List<String> offering(String type) {
        List<String> out = new ArrayList<>();
        for (String catalog : BUNDLED) {
            load(catalog).stream().filter(t -> t.name().equalsIgnoreCase(type)).findFirst().ifPresent(t -> out.add(catalog + ":" + t.name()));
        }
        return out;
    }

    /** The bundled catalog a common other name of its cloud stands for ({@code gcp}: gce), or null. */
    public static String meant(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "gcp", "google", "gke", "gcloud" -> "gce";
            case "ec2", "amazon", "eks" -> "aws";
            case "aks", "microsoft" -> "azure";
            default -> null;
        };
    }

    public static List<InstanceType> load(String nameOrPath) {
        if (BUNDLED.contains(nameOrPath)) {
            return CACHE.computeIfAbsent(nameOrPath, Catalogs::bundled);
        }
        Path path = Path.of(nameOrPath);
        if (io.nodesizer.input.RunInputs.stream(path)) {
            // --catalog <(…) or a FIFO: read once per run (the catalog is loaded more than once), never cached by name.
            return read(io.nodesizer.input.RunInputs.file(path, nameOrPath), nameOrPath, "custom");
        }
        if (!Files.isRegularFile(path)) {
            String meant = meant(nameOrPath);
            throw new InputException(SourceLocation.ofFile(nameOrPath), "The catalog must be aws, gce, azure or an existing CSV file; "
                    + (Files.isDirectory(path) ? "this is a directory." : meant != null ? "did you mean " + meant + "?"
                    : "this file does not exist."));
        }
        return read(path, nameOrPath, "custom");
    }

    private static List<InstanceType> bundled(String name) {
        String resource = RESOURCE_DIR + name + ".csv";
        return List.copyOf(ClasspathFiles.read(resource, path -> read(path, resource, name)));
    }

    /**
     * The columns a catalog may have, those the bundled ones carry (generation and size are not read, but name the row):
     * any other is refused, as a misnamed one (price_per_hour) was ignored and the results were others (QA 62 item 5).
     */
    static final List<String> COLUMNS = List.of("provider", "name", "family", "category", "generation", "size", "arch", "vcpu",
            "memory_mib", "gpu_count", "gpu_model", "gpu_manufacturer", "gpu_fraction", "max_pods_eni", "price_per_hour_usd", "region");

    /** Reads a catalog CSV; {@code defaultProvider} names types whose row has no provider. */
    static List<InstanceType> read(Path path, String display, String defaultProvider) {
        List<InstanceType> out = new ArrayList<>();
        try (CsvRows rows = CsvRows.open(path, display)) {
            io.nodesizer.input.trace.openb.OpenbTraceReader.refuseNodeList(rows, display, "a catalog of node shapes",
                    "a catalog (aws, gce, azure, or a CSV of columns name,vcpu,memory_mib,…) to --catalog");
            rows.checkColumns(COLUMNS); // first: a misspelt required column (vcpus) is named with the one it means
            for (String required : List.of("name", "vcpu", "memory_mib")) {
                if (rows.column(required) < 0) {
                    throw new InputException(SourceLocation.of(display, rows.headerLine()), "The catalog header must have the column '"
                            + required + "'; found " + String.join(",", rows.header()) + ".");
                }
            }
            rows.forEach(row -> {
                String name = row.get(rows.column("name"));
                if (name.isEmpty()) {
                    throw new InputException(SourceLocation.of(display, row.line(), 0, "name"), "The instance type name must not be empty.");
                }
                // From 1: one range for every wrong value (QA 68c F5: -2 was "from 0", then 0 "needs vcpu >= 1").
                String vcpuText = row.get(rows.column("vcpu"));
                int vcpu = (int) Values.integer(vcpuText, vcpuText, at(display, row, "vcpu"), "vcpu of " + name, 1, 100_000);
                String mibText = row.get(rows.column("memory_mib"));
                long mib = Values.integer(mibText, mibText, at(display, row, "memory_mib"), "memory_mib of " + name, 1,
                        ShapeSpec.MOST_NODE_MEMORY >> 20);
                int gpus = (int) optionalInteger(rows, row, "gpu_count", display, name, 1024, 0L);
                Long maxPods = rows.column("max_pods_eni") < 0 || row.get(rows.column("max_pods_eni")).isEmpty() ? null
                        : Values.integer(row.get(rows.column("max_pods_eni")), at(display, row, "max_pods_eni"), "max_pods_eni of " + name, 100_000);
                if (maxPods != null && maxPods == 0) {
                    // A node that admits no pod is no candidate, and the EKS formula never gives 0
                    // (ENIs × (IPs per ENI − 1) + 2 ≥ 2): a 0 is a mistake, not "unknown" (blank is).
                    throw new InputException(at(display, row, "max_pods_eni"), "The max_pods_eni of " + name
                            + " (0) must be at least 1, the pods a node of the type admits; leave it blank for the provider's default"
                            + " (110, or the node pool's on AKS).");
                }
                Double price = price(rows, row, display, name);
                String provider = provider(text(rows, row, "provider", defaultProvider));
                String family = text(rows, row, "family", familyOf(name));
                String accelerator = Accelerators.kind(provider, family, text(rows, row, "gpu_manufacturer", ""));
                double fraction = gpuFraction(rows, row, display, name); // read on every row: a bad value is an error wherever it is
                if (accelerator.isEmpty() && (gpus > 0 && fraction < 1 || gpus == 0 && !text(rows, row, "gpu_model", "").isEmpty())) {
                    // A share of one GPU (Azure NVv4, NVadsA10 v5) is no GPU a pod asking for a whole one can be given;
                    // nor is a GPU model without a whole GPU (AWS g6f/gr6f: an eighth to a half of an L4; QA 53c F6).
                    accelerator = Accelerators.GPU_PARTITION;
                }
                // FPGAs some catalogs list as GPUs (Azure NP) and GPU partitions hold no GPU a pod can request.
                int podGpus = accelerator.isEmpty() ? gpus : 0;
                out.add(new InstanceType(provider, name, family, text(rows, row, "category", ""), arch(text(rows, row, "arch", "amd64"), display, row, name), vcpu,
                        mib, podGpus, podGpus == 0 ? "" : text(rows, row, "gpu_model", ""),
                        maxPods == null ? null : maxPods.intValue(), price, accelerator,
                        podGpus == 0 ? "" : io.nodesizer.model.GpuVendors.normalize(text(rows, row, "gpu_manufacturer", "")),
                        text(rows, row, "region", "")));
            });
        }
        if (out.isEmpty()) {
            throw new InputException(SourceLocation.ofFile(display), "The catalog has no instance types.");
        }
        return out;
    }

    /**
     * A bundled provider's name in any case ({@code AWS}, {@code Azure}: how a spreadsheet or an export spells it), or a
     * common other name of its cloud ({@code gcp}, {@code ec2}, {@code eks}, {@code aks}: {@link #meant}), is that
     * provider, so its types get its reservation (QA 55c F5: a {@code gcp} row got none and outranked the reserved rows);
     * other values stay as written (no reservation, which the candidates line then says).
     */
    private static String provider(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return BUNDLED.contains(lower) ? lower : meant(lower) != null ? meant(lower) : text;
    }

    /**
     * The {@code arch} column as the {@code kubernetes.io/arch} label has it: amd64 or arm64. The clouds' APIs and
     * {@code uname -m} say {@code x86_64} (EC2, GCE {@code X86_64}), {@code x64} (Azure), {@code aarch64}
     * (Azure {@code Arm64}), in any case; anything else is an error naming the row and column.
     */
    private static String arch(String text, String display, CsvRows.Row row, String name) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64", "x64" -> "amd64";
            case "arm64", "aarch64" -> "arm64";
            default -> throw new InputException(at(display, row, "arch"), "The arch of " + name + " (" + text
                    + ") must be amd64 or arm64, as the kubernetes.io/arch label has it (x86_64, x64, aarch64 are read as those).");
        };
    }

    /**
     * The {@code gpu_fraction} column: the share of one physical GPU a type's single GPU is
     * ({@code 1/6}, {@code 0.5}); 1 when blank or absent (whole GPUs).
     */
    private static double gpuFraction(CsvRows rows, CsvRows.Row row, String display, String name) {
        int c = rows.column("gpu_fraction");
        if (c < 0 || row.get(c).isEmpty()) {
            return 1;
        }
        String text = row.get(c);
        try {
            int slash = text.indexOf('/');
            double v = slash < 0 ? Double.parseDouble(text)
                    : Double.parseDouble(text.substring(0, slash)) / Double.parseDouble(text.substring(slash + 1));
            if (!(v > 0 && v <= 1)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InputException(at(display, row, "gpu_fraction"), "The gpu_fraction of " + name + " (" + text
                    + ") must be a share of one GPU above 0 and at most 1, such as 1/6 or 0.5; leave it blank for whole GPUs.");
        }
    }

    private static Double price(CsvRows rows, CsvRows.Row row, String display, String name) {
        int c = rows.column("price_per_hour_usd");
        if (c < 0 || row.get(c).isEmpty()) {
            return null;
        }
        try {
            double v = Double.parseDouble(row.get(c));
            if (!NodeShape.priceInRange(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InputException(at(display, row, "price_per_hour_usd"), "The price_per_hour_usd of " + name + " ("
                    + row.get(c) + ") must be " + NodeShape.PRICE_RANGE + ".");
        }
    }

    private static long optionalInteger(CsvRows rows, CsvRows.Row row, String column, String display, String name, long max, long dflt) {
        int c = rows.column(column);
        if (c < 0 || row.get(c).isEmpty()) {
            return dflt;
        }
        return Values.integer(row.get(c), at(display, row, column), column + " of " + name, max);
    }

    private static String text(CsvRows rows, CsvRows.Row row, String column, String dflt) {
        int c = rows.column(column);
        return c < 0 || row.get(c).isEmpty() ? dflt : row.get(c);
    }

    /** {@code m5.4xlarge} → {@code m5}; {@code n2-standard-8} → {@code n2}. */
    static String familyOf(String name) {
        int cut = name.length();
        for (char sep : new char[] {'.', '-'}) {
            int i = name.indexOf(sep);
            if (i > 0 && i < cut) {
                cut = i;
            }
        }
        return name.substring(0, cut);
    }

    private static SourceLocation at(String file, CsvRows.Row row, String field) {
        return SourceLocation.of(file, row.line(), 0, field);
    }
}
