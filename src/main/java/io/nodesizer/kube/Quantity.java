package io.nodesizer.kube;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1.5Gi}, {@code 2G}, {@code 1e3}), parsed
 * as apimachinery's {@code resource.ParseQuantity} parses them
 * (k8s.io/apimachinery/pkg/api/resource/quantity.go):
 *
 * <pre>
 * quantity       ::= signedNumber suffix
 * number         ::= digits | digits "." digits | digits "." | "." digits
 * signedNumber   ::= number | ("+" | "-") number
 * suffix         ::= binarySI | decimalExponent | decimalSI
 * binarySI       ::= Ki | Mi | Gi | Ti | Pi | Ei
 * decimalSI      ::= n | u | m | "" | k | M | G | T | P | E
 * decimalExponent::= ("e" | "E") signedNumber        (integer exponent)
 * </pre>
 *
 * <p>Values are exact ({@link BigDecimal}); apimachinery rounds a parsed value up to the nearest
 * nano, and {@code Value()} / {@code MilliValue()} round up again to whole units, which is how the
 * scheduler sees a request: {@code 0.1m} CPU is 1 millicore, {@code 0.5} bytes of memory is 1 byte.
 *
 * <p>Two deliberate departures, because a capacity planner must not guess: a value whose base-unit
 * amount exceeds {@code Long.MAX_VALUE} is rejected (apimachinery silently caps it at 2^63-1), and
 * callers that take requests reject negative values (the API server's validation does the same).
 * A value without a digit ({@code .}, {@code +}, {@code -}, {@code -.}, a bare suffix such as {@code Gi}), which
 * apimachinery's scanner lets through as zero ({@code parseQuantityString}) although its grammar has no such number,
 * is rejected too: it is what a template renders from an empty value, and a zero request would pack as nothing.
 */
public final class Quantity {
    private static final String EXPECTED = "expected a Kubernetes quantity such as 500m, 2, 1.5Gi or 1e3";
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal NANO = BigDecimal.ONE.scaleByPowerOfTen(-9);
    /** Longer strings are not quantities anyone writes; refusing them keeps parsing linear. */
    static final int MAX_LENGTH = 256;

    private Quantity() {
    }

    /**
     * Parses {@code text} to its exact value in base units (cores for CPU, bytes for memory).
     *
     * @throws QuantityFormatException when {@code text} is not a quantity
     */
    public static BigDecimal parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new QuantityFormatException(EXPECTED, "", "the value is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new QuantityFormatException(EXPECTED, text.substring(0, 24) + "…", "it is longer than " + MAX_LENGTH + " characters");
        }
        int end = text.length();
        int pos = 0;
        boolean negative = false;
        char first = text.charAt(0);
        if (first == '+' || first == '-') {
            negative = first == '-';
            pos++;
        }
        int intStart = pos;
        while (pos < end && isDigit(text.charAt(pos))) {
            pos++;
        }
        String integerPart = text.substring(intStart, pos);
        String fractionPart = "";
        if (pos < end && text.charAt(pos) == '.') {
            pos++;
            int fracStart = pos;
            while (pos < end && isDigit(text.charAt(pos))) {
                pos++;
            }
            fractionPart = text.substring(fracStart, pos);
        }
        if (integerPart.isEmpty() && fractionPart.isEmpty()) {
            // YAML 1.1's special floats, which kubectl turns into a JSON number it cannot write (QA 61d F6: "no digits" said of .inf).
            boolean special = text.matches("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
            throw notAQuantity(text, special ? "YAML reads it as " + (text.toLowerCase(java.util.Locale.ROOT).contains("nan") ? "not-a-number"
                    : "infinity") + ", which is no quantity (kubectl cannot send it either)" : "it has no digits");
        }
        String suffix = text.substring(pos);
        BigDecimal number = new BigDecimal((integerPart.isEmpty() ? "0" : integerPart)
                + (fractionPart.isEmpty() ? "" : "." + fractionPart));
        BigDecimal value;
        try {
            value = bounded(text, applySuffix(text, number, suffix));
        } catch (ArithmeticException e) {
            throw new QuantityFormatException(EXPECTED, text, "it is out of range");
        }
        return negative ? value.negate() : value;
    }

    /**
     * Keeps exponents from building huge numbers: anything of 10^30 or more is beyond int64 in any
     * unit we convert to, and anything below one nano rounds up to one nano, as apimachinery rounds
     * every non-zero value up to the nearest nano. Works on the decimal exponent alone, so
     * {@code 1e888888888} costs no more than {@code 1e3}.
     */
    private static BigDecimal bounded(String text, BigDecimal value) {
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long magnitude = (long) value.precision() - value.scale(); // value < 10^magnitude
        if (magnitude > 30) {
            throw new QuantityFormatException("expected a quantity of at most " + Long.MAX_VALUE + " base units (int64)", text,
                    "it exceeds int64 (" + Long.MAX_VALUE + " base units)");
        }
        if (magnitude < -9) {
            return NANO;
        }
        return value.scale() > 9 ? value.setScale(9, RoundingMode.UP) : value;
    }

    /**
     * Parses a CPU quantity to whole millicores, rounding up as {@code MilliValue()} does.
     *
     * @throws QuantityFormatException when not a quantity, negative, or beyond int64 millicores
     */
    public static long parseMillis(String text) {
        BigDecimal value = parse(text);
        requireNonNegative(text, value);
        return toLongExact(text, value.multiply(THOUSAND).setScale(0, RoundingMode.CEILING), "millicores");
    }

    /**
     * Parses an extended resource's quantity (hugepages, devices) to whole thousandths of its unit,
     * rounding up, as nodesizer counts them. The API server takes up to int64 of the unit itself, so
     * an amount it accepts can pass int64 thousandths here: that error says so, in the unit written
     * (700Pi of hugepages is a valid quantity, but not a countable one).
     *
     * @throws QuantityFormatException when not a quantity, negative, or beyond int64 thousandths
     */
    public static long parseThousandths(String text) {
        BigDecimal value = parse(text);
        requireNonNegative(text, value);
        BigDecimal whole = value.multiply(THOUSAND).setScale(0, RoundingMode.CEILING);
        if (whole.compareTo(MAX_LONG) > 0) {
            throw new QuantityFormatException("expected at most " + Long.MAX_VALUE / 1000 + " units", text,
                    "nodesizer counts extended resources in thousandths of a unit, up to int64, so at most "
                            + Long.MAX_VALUE / 1000 + " units (8Pi bytes of hugepages)");
        }
        return whole.longValueExact();
    }

    /**
     * Parses a quantity to whole base units (bytes, count), rounding up as {@code Value()} does.
     *
     * @throws QuantityFormatException when not a quantity, negative, or beyond int64
     */
    public static long parseUnits(String text) {
        BigDecimal value = parse(text);
        requireNonNegative(text, value);
        return toLongExact(text, value.setScale(0, RoundingMode.CEILING), "base units");
    }

    /**
     * Parses a count that Kubernetes requires to be whole (GPUs and other extended resources,
     * max pods): {@code 2} and {@code 2.0} pass, {@code 1.5} and {@code 500m} are rejected
     * (the API server rejects fractional extended-resource requests).
     */
    public static long parseWholeCount(String text) {
        BigDecimal value = parse(text);
        requireNonNegative(text, value);
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > 0) {
            throw new QuantityFormatException("expected a whole number", text, "it is fractional");
        }
        return toLongExact(text, stripped.setScale(0, RoundingMode.UNNECESSARY), "base units");
    }

    private static BigDecimal applySuffix(String text, BigDecimal number, String suffix) {
        switch (suffix) {
            case "":
                return number;
            case "n":
                return number.scaleByPowerOfTen(-9);
            case "u":
                return number.scaleByPowerOfTen(-6);
            case "m":
                return number.scaleByPowerOfTen(-3);
            case "k":
                return number.scaleByPowerOfTen(3);
            case "M":
                return number.scaleByPowerOfTen(6);
            case "G":
                return number.scaleByPowerOfTen(9);
            case "T":
                return number.scaleByPowerOfTen(12);
            case "P":
                return number.scaleByPowerOfTen(15);
            case "E":
                return number.scaleByPowerOfTen(18);
            case "Ki":
                return number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(10)));
            case "Mi":
                return number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(20)));
            case "Gi":
                return number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(30)));
            case "Ti":
                return number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(40)));
            case "Pi":
                return number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(50)));
            case "Ei":
                return number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(60)));
            default:
                break;
        }
        char c = suffix.charAt(0);
        if ((c == 'e' || c == 'E') && suffix.length() > 1) {
            int exponent = parseExponent(text, suffix.substring(1));
            return number.scaleByPowerOfTen(exponent);
        }
        throw notAQuantity(text, "'" + suffix + "' is not a unit suffix (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)");
    }

    private static int parseExponent(String text, String exponent) {
        int pos = 0;
        if (exponent.charAt(0) == '+' || exponent.charAt(0) == '-') {
            pos++;
        }
        if (pos == exponent.length()) {
            throw notAQuantity(text, "the exponent has no digits");
        }
        for (int i = pos; i < exponent.length(); i++) {
            if (!isDigit(exponent.charAt(i))) {
                throw notAQuantity(text, "'" + exponent.charAt(i) + "' is not allowed in the exponent");
            }
        }
        // apimachinery parses the exponent as a 32-bit integer; anything longer cannot be a request.
        String digits = exponent.substring(pos);
        if (digits.length() > 9) {
            throw notAQuantity(text, "the exponent is out of range");
        }
        int value = Integer.parseInt(digits);
        return exponent.charAt(0) == '-' ? -value : value;
    }

    private static void requireNonNegative(String text, BigDecimal value) {
        if (value.signum() < 0) {
            throw new QuantityFormatException("expected a non-negative quantity", text, "it is negative");
        }
    }

    /** {@code whole} in {@code unit}s as a long; beyond int64 an error naming the amount in that unit (CPU: millicores). */
    private static long toLongExact(String text, BigDecimal whole, String unit) {
        if (whole.compareTo(MAX_LONG) > 0) {
            // The amount in the unit read, which is what overflows: 1E CPU is 10^18 cores, within int64, but 10^21
            // millicores (it said "exceeds int64 (9223372036854775807 base units)" of 9223372036854775807 itself: QA 50a).
            String amount = whole.precision() - whole.scale() > 24 ? "about 10^" + (whole.precision() - whole.scale() - 1)
                    : whole.toPlainString();
            throw new QuantityFormatException("expected a quantity of at most " + Long.MAX_VALUE + " " + unit + " (int64)", text,
                    "it is " + amount + " " + unit + ", beyond int64");
        }
        return whole.longValueExact();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static QuantityFormatException notAQuantity(String text, String why) {
        return new QuantityFormatException(EXPECTED, text, why);
    }
}
