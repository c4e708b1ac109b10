package io.nodesizer.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Reports write doubles in plain decimal notation, with the value unchanged (QA finding 4). */
final class PlainDecimalsTest {
    private static final ObjectMapper READER = new ObjectMapper();

    private static String written(double v) throws Exception {
        ObjectNode o = JsonTrees.MAPPER.createObjectNode();
        o.put("v", v);
        return JsonTrees.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(o);
    }

    @ParameterizedTest
    @CsvSource({
        // Double.toString switches to an exponent from 1e7 up and below 1e-3: those are the cases that change.
        "15980991.42, 15980991.42",
        "123456789.123456, 123456789.123456",
        "1e7, 10000000.0",
        "4.5061728030061e11, 450617280300.61",
        "1e-5, 0.00001",
        "-2.5e-4, -0.00025",
        "1.5e22, 15000000000000000000000.0",
        // In between, the text is Jackson's as before.
        "0.5, 0.5",
        "12.0, 12.0",
        "0.0, 0.0",
        "9999999.5, 9999999.5",
        "0.001, 0.001",
    })
    void aDoubleIsWrittenWithoutAnExponentAndReadsBackTheSame(double v, String plain) throws Exception {
        String json = written(v);
        assertThat(json).isEqualTo("{\"v\":" + plain + "}").doesNotContain("E");
        JsonNode back = READER.readTree(json).get("v");
        assertThat(back.isDouble()).as("still a double").isTrue();
        assertThat(back.doubleValue()).isEqualTo(v);
    }

    @Test
    void integersLongsAndStringsAreUnchanged() throws Exception {
        ObjectNode o = JsonTrees.MAPPER.createObjectNode();
        o.put("int", 123456789);
        o.put("long", 1234567890123456789L);
        o.put("text", "1.5E7");
        o.putNull("none");
        assertThat(JsonTrees.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(o))
                .isEqualTo("{\"int\":123456789,\"long\":1234567890123456789,\"text\":\"1.5E7\",\"none\":null}");
    }

    @Test
    void nanAndInfinityStayNullInReports() throws Exception {
        ObjectNode o = JsonTrees.MAPPER.createObjectNode();
        JsonTrees.putFinite(o, "nan", Double.NaN);
        JsonTrees.putFinite(o, "inf", Double.POSITIVE_INFINITY);
        assertThat(JsonTrees.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(o))
                .isEqualTo("{\"nan\":null,\"inf\":null}");
    }

    @Test
    void everyWayOfWritingANumberIsPlain() throws Exception {
        // The streamed reports (recommend) write through a generator: fields, arrays, floats, POJOs.
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = JsonTrees.MAPPER.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeNumberField("field", 2.5e7);
            gen.writeNumberField("float", 3.0e-5f);
            gen.writeFieldName("array");
            gen.writeArray(new double[] {1e8, 0.25}, 0, 2);
            gen.writeObjectField("pojo", java.util.Map.of("boxed", 1.5e9));
            gen.writeObjectField("decimal", new java.math.BigDecimal("1E+3"));
            gen.writeEndObject();
        }
        assertThat(out.toString().replaceAll("\\s", "")).doesNotContain("E").contains("\"field\":25000000.0").contains("\"float\":0.00003")
                .contains("\"array\":[100000000.0,0.25]").contains("\"boxed\":1500000000.0").contains("\"decimal\":1000");
    }

    @Test
    void chartDataInHtmlIsPlainToo() {
        ObjectNode config = ChartJs.config("bar");
        ChartJs.dataset(config, "cost", ChartJs.BLUE).putArray("data").add(4.506172803006144e11);
        assertThat(ChartJs.element("x", "a chart", 100, config)).contains("450617280300.6144").doesNotContain("E11");
    }
}
