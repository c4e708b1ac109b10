package io.nodesizer.input.manifest;

import io.nodesizer.input.SourceLocation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Types scalars as kubectl sends them to the API server. kubectl turns YAML into JSON with
 * sigs.k8s.io/yaml, which resolves a plain (unquoted, untagged) scalar by YAML 1.1's rules as
 * go-yaml v2 does (resolve.go): {@code 010} is octal 8, {@code 0x10} 16, {@code 0b10} 2,
 * {@code 0o17} 15 (Go's base prefixes), {@code 1_000} 1000 (underscores dropped), {@code +5} 5,
 * {@code 1e3} and {@code 1.0} floats; {@code yes}, {@code on}, {@code y} booleans. Sexagesimal
 * {@code 1:30} is not a number there (go-yaml leaves base 60 out on purpose): it stays a string.
 * A quoted scalar is always a string. kubectl then decodes that JSON into an unstructured object
 * (a number that is a whole int64 literal becomes an int64, anything else a float64) and encodes it
 * again, so every number reaches the API server as Go's JSON writes it: {@code 1.0} as {@code 1},
 * {@code 1e3} as {@code 1000}, {@code 0.1} as {@code 0.1}, {@code 1e21} as {@code 1e+21}.
 */
final class KubectlScalars {
    private KubectlScalars() {
    }

    private static final String TAG = "tag:yaml.org,2002:";
    private static final Set<String> TRUE = Set.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
    private static final Set<String> FALSE = Set.of("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
    private static final Set<String> NULL = Set.of("", "~", "null", "Null", "NULL");
    /** Not finite: go-yaml reads them as floats, and Go's JSON writer refuses them. */
    private static final Set<String> NOT_FINITE = Set.of(".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
            "-.inf", "-.Inf", "-.INF");
    /** go-yaml v2's yamlStyleFloat, tried on a scalar starting with a digit or a sign once its underscores are dropped. */
    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    /** What Go's ParseFloat takes of a scalar starting with '.' (underscores checked apart). */
    private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9_]+([eE][-+]?[0-9_]+)?");
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    /** More significant digits than any finite float64 has in base 2 (1024): such an integer is read as no number. */
    private static final int MAX_DIGITS = 1100;

    /** Whether a boolean scalar's text is one of YAML 1.1's true forms. */
    static boolean isTrue(String text) {
        return TRUE.contains(text);
    }

    /**
     * A YAML scalar: {@code plain} when written without quotes, {@code tag} its explicit tag
     * ({@code tag:yaml.org,2002:int} for {@code !!int}) or null.
     */
    static YamlNode.Scalar yaml(String text, String tag, boolean plain, SourceLocation at) {
        if (tag == null) {
            return plain ? resolve(text, at) : new YamlNode.Scalar(text, at);
        }
        // An explicit !!int, !!float, !!bool or !!null resolves its text as a plain scalar would (quoted or not);
        // !!str, and any other tag, keeps it a string.
        YamlNode.Scalar resolved = resolve(text, at);
        return switch (tag) {
            case TAG + "int", TAG + "float" -> resolved.type() == YamlNode.Type.NUMBER ? resolved : new YamlNode.Scalar(text, at);
            case TAG + "bool" -> resolved.type() == YamlNode.Type.BOOL ? resolved : new YamlNode.Scalar(text, at);
            default -> new YamlNode.Scalar(text, at);
        };
    }

    /** A JSON scalar: its token says its type; a number is sent as kubectl re-encodes it. */
    static YamlNode.Scalar json(com.fasterxml.jackson.core.JsonToken token, String text, SourceLocation at) {
        return switch (token) {
            case VALUE_NUMBER_INT -> {
                BigInteger v = new BigInteger(text);
                yield number(text, inInt64(v) ? v.toString() : finiteJson(text), at);
            }
            case VALUE_NUMBER_FLOAT -> number(text, finiteJson(text), at);
            case VALUE_TRUE, VALUE_FALSE -> new YamlNode.Scalar(text, at, YamlNode.Type.BOOL, null);
            default -> new YamlNode.Scalar(text, at);
        };
    }

    /**
     * A JSON number as kubectl re-encodes it (a float64), or null beyond a float64's range ({@code 1e999}):
     * a number kubectl cannot send, refused where a field reads it, at its line, as a non-finite YAML float is.
     */
    private static String finiteJson(String text) {
        double d = Double.parseDouble(text);
        return Double.isFinite(d) ? goJson(d) : null;
    }

    /** A plain scalar resolved as go-yaml v2 resolves it ({@code resolve("", in)}). */
    static YamlNode.Scalar resolve(String in, SourceLocation at) {
        if (TRUE.contains(in) || FALSE.contains(in)) {
            return new YamlNode.Scalar(in, at, YamlNode.Type.BOOL, null);
        }
        if (NULL.contains(in)) {
            return new YamlNode.Scalar(null, at);
        }
        if (NOT_FINITE.contains(in)) {
            return number(in, null, at);
        }
        char first = in.charAt(0);
        if (first == '.') {
            // Go's ParseFloat on the text as written: underscores only between digits.
            if (DOT_FLOAT.matcher(in).matches() && underscoresBetweenDigits(in)) {
                double d = Double.parseDouble(in.replace("_", ""));
                if (Double.isFinite(d)) {
                    return number(in, goJson(d), at);
                }
            }
            return new YamlNode.Scalar(in, at);
        }
        if (first != '+' && first != '-' && (first < '0' || first > '9')) {
            return new YamlNode.Scalar(in, at);
        }
        // A timestamp (2001-12-14) is tried first and kept a string when read into JSON: it is never a number below either.
        String plain = in.replace("_", "");
        BigInteger integer = goInteger(plain);
        if (integer != null && inInt64(integer)) {
            return number(in, integer.toString(), at);
        }
        boolean signed = plain.startsWith("+") || plain.startsWith("-");
        if (integer != null && !signed && integer.compareTo(UINT64_MAX) <= 0) {
            return number(in, goJson(integer.doubleValue()), at); // a uint64, a float64 once kubectl decodes it
        }
        if (YAML_FLOAT.matcher(plain).matches()) {
            double d = Double.parseDouble(plain);
            if (Double.isFinite(d)) {
                return number(in, goJson(d), at); // 08 and 09 too: not octal, so decimal floats
            }
        }
        if (plain.startsWith("0b") || plain.startsWith("-0b")) {
            // go-yaml's own binary fallback: ParseInt(rest, 2), which takes a sign after the prefix (0b-1 is -1).
            String digits = plain.startsWith("0b") ? plain.substring(2) : "-" + plain.substring(3);
            BigInteger b = digits.matches("[-+]?[01]+") ? new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits, 2) : null;
            if (b != null && inInt64(b)) {
                return number(in, b.toString(), at);
            }
        }
        // Beyond uint64 in hex or octal, ParseInt and ParseUint fail and no float pattern matches: go-yaml leaves a string.
        return new YamlNode.Scalar(in, at);
    }

    private static YamlNode.Scalar number(String text, String json, SourceLocation at) {
        return new YamlNode.Scalar(text, at, YamlNode.Type.NUMBER, json);
    }

    private static boolean inInt64(BigInteger v) {
        return v.compareTo(INT64_MIN) >= 0 && v.compareTo(INT64_MAX) <= 0;
    }

    /**
     * An integer as Go's {@code strconv.ParseInt(s, 0, …)} reads it, without its range check: an
     * optional sign, then {@code 0x}, {@code 0o}, {@code 0b} (either case) or a leading {@code 0}
     * (octal), else decimal; null when it is not one, or is beyond any float64.
     */
    static BigInteger goInteger(String s) {
        int i = 0;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        if (i == s.length()) {
            return null;
        }
        int radix = 10;
        if (s.charAt(i) == '0') {
            char p = s.length() - i >= 3 ? Character.toLowerCase(s.charAt(i + 1)) : 0;
            radix = p == 'x' ? 16 : p == 'b' ? 2 : 8;
            i += p == 'x' || p == 'b' || p == 'o' ? 2 : 1;
            if (i == s.length()) {
                return BigInteger.ZERO; // "0" (a prefix needs a digit after it: "0x" is no number)
            }
        }
        String digits = s.substring(i);
        for (int k = 0; k < digits.length(); k++) {
            char c = digits.charAt(k);
            if (c > 'z' || Character.digit(c, radix) < 0) {
                return null;
            }
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > MAX_DIGITS) {
            return null; // beyond any float64 too: kubectl cannot send it as a number (and parsing it would be slow)
        }
        BigInteger v = new BigInteger(significant, radix);
        return negative ? v.negate() : v;
    }

    /** Go's rule for underscores in a number: each between two digits (a '.' or an exponent is no digit). */
    private static boolean underscoresBetweenDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '_' && (i == 0 || i == s.length() - 1 || !Character.isDigit(s.charAt(i - 1))
                    || !Character.isDigit(s.charAt(i + 1)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A float64 as kubectl sends it: Go's JSON writer (shortest digits that read back the same;
     * exponent form below 1e-6 and from 1e21), then read back as an int64 where it is one.
     */
    static String goJson(double d) {
        double abs = Math.abs(d);
        if (abs == 0) {
            return "0";
        }
        BigDecimal v = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        if (abs >= 1e-6 && abs < 1e21) {
            return v.toPlainString();
        }
        String digits = v.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - v.scale();
        return (d < 0 ? "-" : "") + digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "")
                + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    }
}
