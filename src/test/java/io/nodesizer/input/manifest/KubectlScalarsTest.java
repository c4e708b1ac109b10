package io.nodesizer.input.manifest;

import io.nodesizer.input.SourceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Scalars typed as kubectl sends them: go-yaml v2's YAML 1.1 resolution, then Go's JSON numbers. */
final class KubectlScalarsTest {
    private static final SourceLocation AT = SourceLocation.of("m.yaml", 1);

    /** A plain scalar and the JSON number kubectl sends for it (from go-yaml v2's resolve.go, as sigs.k8s.io/yaml vendors it). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "010|8", "0o17|15", "0O17|15", "0x10|16", "0X1f|31", "0b10|2", "0B11|3", "1_000|1000", "0x_1_0|16", "+5|5", "-010|-8",
            "+0x10|16", "-0b11|-3", "0|0", "00|0", "-0|0", "08|8", "09|9", "019|19", "1e3|1000", "1E3|1000", "1.0|1", "1.|1", "+.5|0.5",
            ".5|0.5", ".5_0|0.5", "0.1|0.1", "1.5e-7|1.5e-7", "1e21|1e+21", "1e20|100000000000000000000", "-1.5|-1.5",
            "9223372036854775807|9223372036854775807", "9223372036854775808|9223372036854776000",
            "18446744073709551615|18446744073709552000", "99999999999999999999|100000000000000000000", "0b-1|-1"})
    void resolvesNumbersAsGoYamlV2(String plain, String json) {
        YamlNode.Scalar s = KubectlScalars.resolve(plain, AT);
        assertThat(s.type()).isEqualTo(YamlNode.Type.NUMBER);
        assertThat(s.number()).isEqualTo(json);
        assertThat(s.text()).isEqualTo(plain);
    }

    /** Plain scalars go-yaml v2 leaves strings: sexagesimal (base 60 left out on purpose), quantities, malformed prefixes. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1:30", "190:20:30", "500m", "1.5Gi", "1e", "0x", "0b", "0o", "0b2", "0x1g", "_1", "1.5.5",
            "1e400", "-0x10000000000000000", "0x10000000000000000", "0o2000000000000000000000", "2001-12-14", "12:30:00", ".", "._5", "web"})
    void leavesOtherPlainScalarsStrings(String plain) {
        YamlNode.Scalar s = KubectlScalars.resolve(plain, AT);
        assertThat(s.type()).isEqualTo(YamlNode.Type.STRING);
        assertThat(s.quantity()).isEqualTo(plain);
    }

    @Test
    void readsYaml11BooleansAndNonFiniteFloats() {
        for (String b : List.of("yes", "No", "on", "OFF", "y", "N", "true", "False")) {
            assertThat(KubectlScalars.resolve(b, AT).type()).as(b).isEqualTo(YamlNode.Type.BOOL);
        }
        YamlNode.Scalar inf = KubectlScalars.resolve(".inf", AT);
        assertThat(inf.type()).isEqualTo(YamlNode.Type.NUMBER);
        assertThat(inf.number()).isNull(); // kubectl's JSON writer refuses it
        assertThat(inf.quantity()).isEqualTo(".inf");
    }

    /** A JSON number beyond a float64 is no number kubectl can send: a NUMBER without a value, refused only where a field reads it. */
    @Test
    void aJsonNumberBeyondAFloat64HasNoValue() {
        for (String big : List.of("1e999", "-1e999", "1" + "0".repeat(400))) {
            com.fasterxml.jackson.core.JsonToken token = big.contains("e") ? com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT
                    : com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
            YamlNode.Scalar s = KubectlScalars.json(token, big, AT);
            assertThat(s.type()).as(big).isEqualTo(YamlNode.Type.NUMBER);
            assertThat(s.number()).as(big).isNull();
            assertThat(s.quantity()).isEqualTo(big);
        }
        assertThat(KubectlScalars.json(com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT, "1e300", AT).number()).isEqualTo("1e+300");
    }

    @Test
    void goJsonWritesFloatsAsGoDoes() {
        assertThat(KubectlScalars.goJson(1e-7)).isEqualTo("1e-7");
        assertThat(KubectlScalars.goJson(1.25e-10)).isEqualTo("1.25e-10");
        assertThat(KubectlScalars.goJson(0.000001)).isEqualTo("0.000001");
        assertThat(KubectlScalars.goJson(-2.5e22)).isEqualTo("-2.5e+22");
        assertThat(KubectlScalars.goJson(-0.0)).isEqualTo("0");
        assertThat(KubectlScalars.goJson(123456.0)).isEqualTo("123456");
    }

    @Test
    void quotedAndTaggedScalarsFollowTheirStyleAndTag() throws Exception {
        Path f = Files.createTempFile("kubectl-scalars", ".yaml");
        try {
            Files.writeString(f, """
                    plain: 010
                    single: '010'
                    double: "0x10"
                    str: !!str 010
                    int: !!int "010"
                    float: !!float 1
                    block: |
                      010
                    """);
            YamlNode.Mapping m = (YamlNode.Mapping) ManifestParser.parse(f, "m.yaml").get(0);
            assertThat(((YamlNode.Scalar) m.get("plain")).number()).isEqualTo("8");
            assertThat(((YamlNode.Scalar) m.get("single")).isString()).isTrue();
            assertThat(((YamlNode.Scalar) m.get("single")).quantity()).isEqualTo("010");
            assertThat(((YamlNode.Scalar) m.get("double")).isString()).isTrue();
            assertThat(((YamlNode.Scalar) m.get("str")).isString()).isTrue();
            assertThat(((YamlNode.Scalar) m.get("int")).number()).isEqualTo("8");
            assertThat(((YamlNode.Scalar) m.get("float")).number()).isEqualTo("1");
            assertThat(((YamlNode.Scalar) m.get("block")).isString()).isTrue();
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void jsonTokensKeepTheirTypesAndNumbersGoThroughFloat64() throws Exception {
        Path f = Files.createTempFile("kubectl-scalars", ".json");
        try {
            Files.writeString(f, """
                    {"s": "010", "i": 10, "f": 1.0, "e": 1e3, "big": 99999999999999999999, "b": true}
                    """);
            YamlNode.Mapping m = (YamlNode.Mapping) ManifestParser.parse(f, "m.json").get(0);
            assertThat(((YamlNode.Scalar) m.get("s")).isString()).isTrue();
            assertThat(((YamlNode.Scalar) m.get("i")).number()).isEqualTo("10");
            assertThat(((YamlNode.Scalar) m.get("f")).number()).isEqualTo("1");
            assertThat(((YamlNode.Scalar) m.get("e")).number()).isEqualTo("1000");
            assertThat(((YamlNode.Scalar) m.get("big")).number()).isEqualTo("100000000000000000000");
            assertThat(((YamlNode.Scalar) m.get("b")).type()).isEqualTo(YamlNode.Type.BOOL);
        } finally {
            Files.delete(f);
        }
    }
}
