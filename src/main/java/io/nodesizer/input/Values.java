package io.nodesizer.input;

import io.nodesizer.kube.Quantity;
import io.nodesizer.kube.QuantityFormatException;

/**
 * Parses one cell or scalar as the unit its resource needs, turning a {@link QuantityFormatException}
 * into an {@link InputException} at the given location that names the field and the value.
 */
public final class Values {
    private Values() {
    }

    /** CPU to millicores (rounded up, as the scheduler sees it). */
    public static long cpuMillis(String text, SourceLocation at, String what) {
        return cpuMillis(text, text, at, what);
    }

    /** {@link #cpuMillis(String, SourceLocation, String)}, naming the value as {@code shown} (as written, where {@code text} is what it is read as). */
    public static long cpuMillis(String text, String shown, SourceLocation at, String what) {
        try {
            return Quantity.parseMillis(text.strip()); // spaces around it dropped, as Quantity.UnmarshalJSON does (QA 59c F1)
        } catch (QuantityFormatException e) {
            throw new InputException(at, "The " + what + " (" + shown + ") must be a CPU quantity such as 250m, 1 or 1.5: "
                    + e.reason() + ".");
        }
    }

    /** Memory or storage to bytes (rounded up). */
    public static long bytes(String text, SourceLocation at, String what) {
        return bytes(text, text, at, what);
    }

    /** {@link #bytes(String, SourceLocation, String)}, naming the value as {@code shown}. */
    public static long bytes(String text, String shown, SourceLocation at, String what) {
        try {
            return Quantity.parseUnits(text.strip());
        } catch (QuantityFormatException e) {
            throw new InputException(at, "The " + what + " (" + shown + ") must be a quantity of bytes such as 512Mi, 1.5Gi or 2G: "
                    + e.reason() + ".");
        }
    }

    /**
     * Whether {@code text} is a quantity without a unit (1024, 0.5, 1e3, {@code 1.}, {@code +.5}): one the quantity grammar
     * (apimachinery's quantity.go) reads whose last character is a digit or the decimal point, as a suffix is letters and an
     * exponent ends in digits. Told from the value, not from a spelling of numbers: a pattern of them missed {@code 1.}, a
     * valid quantity of one byte (QA 68c F1).
     */
    public static boolean plainNumber(String text) {
        char last = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
        if (!(last >= '0' && last <= '9' || last == '.')) {
            return false;
        }
        try {
            Quantity.parse(text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether a container's memory {@code text} is a plain number under 1 MiB (1024): bytes, as
     * Kubernetes reads a number without a unit, and packed so; but no container runs in under ~1 MiB
     * (rightsize refuses memory usage that low as a unit mistake), so MiB or GiB was meant: a CSV
     * column of MiB, a dashboard's unit. A note, not an error: the API server takes the value (QA 52a F13).
     */
    public static boolean memoryWithoutUnit(String text) {
        String t = text.strip();
        if (!plainNumber(t)) {
            return false;
        }
        try {
            long bytes = Quantity.parseUnits(t);
            return bytes > 0 && bytes < 1 << 20;
        } catch (QuantityFormatException e) {
            return false; // the reader says what is wrong with it
        }
    }

    /**
     * Whether a memory or ephemeral-storage quantity is a fraction of a byte ({@code 500m}, {@code 0.5}, {@code 1n},
     * {@code 1.9999999999Gi}, {@code 1e-7}), as the API server's warning tests it (pkg/api/pod/warnings.go: "fractional byte
     * value"): its milli-value (rounded up, {@code Quantity.MilliValue}) not a multiple of 1000. Packed rounded up to whole
     * bytes, and nearly always a typo for {@code 500Mi} that under-sizes by ~10^9. A quantity that does not parse is left to
     * the reader's own error.
     */
    public static boolean fractionalBytes(String text) {
        java.math.BigDecimal bytes;
        try {
            bytes = Quantity.parse(text);
        } catch (RuntimeException e) {
            return false;
        }
        java.math.BigInteger milli = bytes.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).toBigIntegerExact();
        return milli.mod(java.math.BigInteger.valueOf(1000)).signum() != 0;
    }

    /**
     * The note on {@code values} that are {@link #fractionalBytes} ({@code several} of them or one), a manifest's or a profile's;
     * {@code milli} when one is written in m (milli), where Mi was likely meant.
     */
    public static String fractionalBytesNote(String values, boolean several, boolean milli) {
        // A plain number ("memory 0.5"): no unit at all, so bytes (review 68 #8: the fraction was said, the missing unit not).
        boolean unitless = java.util.Arrays.stream(values.split(", ")).map(v -> v.replaceFirst("\\s*\\(line \\d+\\)$", ""))
                .map(v -> v.substring(v.lastIndexOf(' ') + 1)).anyMatch(Values::plainNumber);
        return values + (several ? " are fractional byte values" : " is a fractional byte value") + ", which the API server warns of "
                + "(counted rounded up to whole bytes)" + (milli ? "; m is milli, thousandths of a byte: Mi (mebibytes) was likely meant" : "")
                + (unitless ? "; a number without a unit is bytes: Mi or Gi was likely meant" : "");
    }

    /**
     * Whether {@code text}, a CPU quantity, ends in {@code M} (mega, a million cores) where {@code m} (millicores) was
     * surely meant: a quantity the API server takes, so a note, as for memory without a unit (QA 65a F7: 500M was packed
     * as 500 million CPUs, every shape leaving the pod out).
     */
    public static boolean cpuInMega(String text) {
        String t = text == null ? "" : text.strip();
        return t.endsWith("M") && plainNumber(t.substring(0, t.length() - 1));
    }

    /** The binary suffixes of the quantity grammar (apimachinery's quantity.go: Ki to Ei), memory's multiples. */
    private static final java.util.List<String> BINARY_SUFFIXES = java.util.List.of("Ki", "Mi", "Gi", "Ti", "Pi", "Ei");

    /**
     * Whether {@code text}, a CPU quantity, ends in a binary suffix (Ki, Mi, Gi, …): memory's units, valid for any quantity
     * (the API server takes {@code cpu: 1Gi} as 1,073,741,824 cores), so a note, as for {@link #cpuInMega}. QA 73 F6: a profile
     * row {@code web,1Gi,1Gi} packed as a billion CPUs, left out by every shape, with no word on why.
     */
    public static boolean cpuInBinary(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() > 2 && BINARY_SUFFIXES.contains(t.substring(t.length() - 2)) && plainNumber(t.substring(0, t.length() - 2));
    }

    /** The note on {@code values} that are {@link #cpuInBinary} ({@code several} of them or one), {@code example} one of them. */
    public static String cpuInBinaryNote(String values, boolean several, String example) {
        String e = example.strip();
        String cores;
        try {
            // Exactly, as the API server reads it (review 74 #11: rounded up, 0.001Ki read "2 cores" for 1.024).
            java.math.BigDecimal v = Quantity.parse(e).stripTrailingZeros();
            cores = (v.scale() <= 0 ? String.format(java.util.Locale.ROOT, "%,d", v.toBigIntegerExact()) : v.toPlainString())
                    + (v.compareTo(java.math.BigDecimal.ONE) == 0 ? " core" : " cores");
        } catch (RuntimeException notParsed) {
            cores = "so many cores";
        }
        String unit = e.substring(e.length() - 2);
        return values + (several ? " are CPU in units of memory (" + e + " is " + cores + "; " + unit + " is a binary multiple)"
                : " is " + cores + " (" + unit + " is a binary multiple, a unit of memory)") + ": CPU is cores or m (millicores), "
                + "such as 2 or 500m";
    }

    /**
     * Whether {@code text}, a CPU quantity without a unit, is so many cores beside so little memory that millicores were surely
     * meant: 64 cores or more with under 64 MiB of memory a core (QA 68c F12: openb's cpu_milli numbers pasted into a profile,
     * {@code web,250,512Mi}, were 250 cores beside 2 MiB each, where 250m was meant). A note: the API server takes 250 as cores.
     */
    public static boolean coresLikelyMillis(String text, long cpuMillis, long memoryBytes) {
        return text != null && plainNumber(text.strip()) && cpuMillis >= 64_000 && memoryBytes < (cpuMillis / 1000) * (64L << 20);
    }

    /** The note on {@code values} that are {@link #coresLikelyMillis} ({@code several} of them or one), {@code example} one of them. */
    public static String coresLikelyMillisNote(String values, boolean several, String example) {
        return values + (several ? " are" : " is") + " cores (a number without a unit is cores), with under 64 MiB of memory a core: "
                + withSuffix(example, "m") + " (millicores) was likely meant";
    }

    /** The note on {@code values} that are {@link #cpuInMega} ({@code several} of them or one), {@code example} one of them. */
    public static String cpuInMegaNote(String values, boolean several, String example) {
        String e = example.strip();
        return values + (several ? " are" : " is") + " millions of CPUs (M is mega): " + e.substring(0, e.length() - 1)
                + "m (millicores) was likely meant";
    }

    /** The note on {@code values} that are {@link #memoryWithoutUnit} ({@code several} of them or one), {@code example} one of them. */
    public static String memoryWithoutUnitNote(String values, boolean several, String example) {
        return values + (several ? " are" : " is") + " bytes (a number without a unit is bytes), under the ~1 MiB any container "
                + "uses: Mi or Gi was likely meant, e.g. " + withSuffix(example, "Mi");
    }

    /**
     * The plain number {@code number} ({@link #plainNumber}) with {@code suffix}, as a quantity the API server
     * takes: written as a plain decimal, since apimachinery refuses a suffix after an exponent ({@code 1e3Mi}: "'M' is not
     * allowed in the exponent"; QA c F4), so {@code 1e3} becomes {@code 1000Mi}, {@code .5} {@code 0.5Mi}.
     */
    public static String withSuffix(String number, String suffix) {
        String t = number.strip();
        try {
            return new java.math.BigDecimal(t.startsWith("+") ? t.substring(1) : t).stripTrailingZeros().toPlainString() + suffix;
        } catch (NumberFormatException e) {
            return t + suffix; // not a plain number: the caller's test let something else through; show it as written
        }
    }

    /** A whole count (GPUs, extended resources, slots). */
    public static long wholeCount(String text, SourceLocation at, String what) {
        return wholeCount(text, text, at, what);
    }

    /** {@link #wholeCount(String, SourceLocation, String)}, naming the value as {@code shown}. */
    public static long wholeCount(String text, String shown, SourceLocation at, String what) {
        try {
            return Quantity.parseWholeCount(text);
        } catch (QuantityFormatException e) {
            throw new InputException(at, "The " + what + " (" + shown + ") must be a whole number such as 0, 1 or 8: "
                    + e.reason() + ".");
        }
    }

    /** A plain non-negative integer (trace columns), at most {@code max}. */
    public static long integer(String text, SourceLocation at, String what, long max) {
        return integer(text, text, at, what, max);
    }

    /** {@link #integer(String, SourceLocation, String, long)}, naming the value as {@code shown}. */
    public static long integer(String text, String shown, SourceLocation at, String what, long max) {
        return integer(text, shown, at, what, 0, max);
    }

    /**
     * A whole number from {@code min} to {@code max}, written plainly or as a decimal that is whole ({@code 2.0}, {@code 1e6}:
     * a manifest's replicas may be written so, and kubectl sends them as the integer); one message for every way it is
     * wrong (QA 59c F2: "non-negative" for 2.5 beside "at least 1" for 0).
     */
    public static long integer(String text, String shown, SourceLocation at, String what, long min, long max) {
        String bad = "The " + what + " (" + shown + ") must be a whole number from " + min + " to " + max + ".";
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            try {
                java.math.BigDecimal d = new java.math.BigDecimal(text.trim());
                if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0 || d.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
                    throw new InputException(at, bad);
                }
                v = d.longValueExact();
            } catch (NumberFormatException | ArithmeticException notWhole) {
                throw new InputException(at, bad);
            }
        }
        if (v < min || v > max) {
            throw new InputException(at, bad);
        }
        return v;
    }

    /**
     * A pod priority ({@code spec.priority}, an int32; negative for placeholder pods that any other
     * may preempt, as Cluster Autoscaler's over-provisioning uses).
     */
    public static int priority(String text, SourceLocation at, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InputException(at, "The " + what + " (" + text + ") must be an integer from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE + " (an int32, as spec.priority).");
        }
    }
}
