package io.nodesizer.kube.provider;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory a node's operating system keeps from the kubelet: the kubelet's memory capacity is what the kernel reports
 * (MemTotal), below the instance's nominal size by the kernel's page tables, its own image, crash-kernel and firmware
 * reservations. The providers publish no formula for it (GKE's is the Cluster Autoscaler's {@code CalculateKernelReserved},
 * {@link GkeReservation}); these are fits to nodes' reported capacity — a guess, so an input ({@code --os-memory}) with a
 * documented default. Measured: 2i2c-org/infrastructure {@code deployer/commands/generate/resource_allocation/
 * instance_capacities.yaml} at 5857bd866c5e7b7d90b63d09cf596bf597103c72 ("total and allocatable capacity reported from our
 * k8s clusters via kubectl get node"): EKS r5.xlarge..16xlarge, r7i, m5.large/xlarge, g4dn lose 2.61 % + 359 MiB (within
 * 0.8 % of each node's capacity; r5.xlarge 32 GiB → 30.886 GiB), AKS E2_v4..E8s_v5 1.70 % + 112 MiB (within 0.01 %).
 *
 * @param percent  the share of the nominal memory kept, in percent
 * @param fixedMib the fixed part, MiB
 */
public record OsMemory(double percent, long fixedMib) {
    /** Amazon EKS nodes (the fit above). */
    public static final OsMemory EKS = new OsMemory(2.61, 359);
    /** AKS nodes (the fit above). */
    public static final OsMemory AKS = new OsMemory(1.70, 112);
    /** The nominal memory is the capacity. */
    public static final OsMemory NONE = new OsMemory(0, 0);
    private static final Pattern SPEC = Pattern.compile("(?:(\\d+(?:\\.\\d+)?)%)?\\s*(?:\\+?\\s*(\\d+)\\s*Mi)?");

    public OsMemory {
        if (!(percent >= 0 && percent < 50) || fixedMib < 0) {
            throw new IllegalArgumentException("Invalid OS memory reserve " + percent + "% + " + fixedMib + " MiB");
        }
    }

    /** Bytes of {@code memoryBytes} nominal memory the kubelet does not see. */
    public long bytes(long memoryBytes) {
        long mib = memoryBytes / ReservationPolicy.MIB;
        return ((long) Math.ceil(mib * percent / 100.0) + fixedMib) * ReservationPolicy.MIB;
    }

    /** {@code 2.61%+359Mi}, {@code 3%}, {@code 300Mi} or {@code 0}. */
    public static OsMemory parse(String text, String option) {
        String t = text.trim();
        if (t.equals("0")) {
            return NONE;
        }
        Matcher m = SPEC.matcher(t);
        if (t.isEmpty() || !m.matches() || (m.group(1) == null && m.group(2) == null)) {
            throw new InputException(SourceLocation.ofFile(option), "The OS memory reserve (" + text + ") must look like 2.61%+359Mi, "
                    + "3%, 300Mi or 0: a share of the nominal memory and/or a fixed amount in MiB.");
        }
        double p = m.group(1) == null ? 0 : Double.parseDouble(m.group(1));
        long f = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        if (p >= 50) {
            throw new InputException(SourceLocation.ofFile(option), "The OS memory reserve's share (" + m.group(1) + "%) must be below 50%.");
        }
        return new OsMemory(p, f);
    }

    @Override
    public String toString() {
        return percent == 0 && fixedMib == 0 ? "0" : String.format(Locale.ROOT, "%s%%+%dMi",
                java.math.BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString(), fixedMib);
    }
}
