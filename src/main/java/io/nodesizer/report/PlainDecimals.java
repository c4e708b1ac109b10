package io.nodesizer.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.JsonGeneratorDecorator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * Makes Jackson write every double and float in plain decimal notation ({@code 15980991.42}, not
 * the {@code 1.598099142E7} of {@link Double#toString}, which Jackson uses from 1e7 up and below
 * 1e-3). A monthly bill of $10M is a realistic fleet, and a switch of notation there breaks
 * grep/awk/diff pipelines and differs from the CSV. The decorator sits on the factory, so it
 * reaches every way a report writes a number: tree nodes ({@code DoubleNode} writes itself to the
 * generator, past any registered serializer), POJOs and the generators reports stream into.
 * Only numbers Java would write with an exponent change; their digits are those of
 * {@code Double.toString} with the point moved, never rounded, so the value reads back the same.
 */
public final class PlainDecimals implements JsonGeneratorDecorator {
    private static final PlainDecimals INSTANCE = new PlainDecimals();

    private PlainDecimals() {
    }

    /** A JSON factory whose generators write plain decimals; reports' mappers are built on it. */
    public static JsonFactory jsonFactory() {
        return JsonFactory.builder().addDecorator(INSTANCE).enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    }

    @Override
    public JsonGenerator decorate(JsonFactory factory, JsonGenerator generator) {
        return new Generator(generator);
    }

    /** Whether Java wrote a finite number with an exponent ({@code "Infinity"} and {@code "NaN"} have none). */
    private static boolean isExponent(String javaText) {
        return javaText.indexOf('E') >= 0;
    }

    /**
     * The number {@link Double#toString} (or {@link Float#toString}) wrote as {@code javaText}, in
     * plain notation: the same digits with the point moved, trailing zeros dropped, and a decimal
     * point kept so that a double still reads back as one ({@code 1.0E7} is {@code 10000000.0}).
     */
    static String plain(String javaText) {
        if (!isExponent(javaText)) {
            return javaText;
        }
        String digits = new BigDecimal(javaText).stripTrailingZeros().toPlainString();
        return digits.indexOf('.') < 0 ? digits + ".0" : digits;
    }

    private static final class Generator extends JsonGeneratorDelegate {
        Generator(JsonGenerator d) {
            super(d, false); // copyCurrentEvent and friends come through writeNumber here too
        }

        @Override
        public void writeNumber(double v) throws IOException {
            String text = Double.toString(v);
            if (isExponent(text)) {
                delegate.writeNumber(plain(text));
            } else {
                delegate.writeNumber(v); // as before (NaN and infinity too: reports write null instead before this)
            }
        }

        @Override
        public void writeNumber(float v) throws IOException {
            String text = Float.toString(v);
            if (isExponent(text)) {
                delegate.writeNumber(plain(text));
            } else {
                delegate.writeNumber(v);
            }
        }

        @Override
        public void writeArray(double[] array, int offset, int length) throws IOException {
            // JsonGeneratorDelegate hands the whole array to the delegate, past writeNumber above.
            writeStartArray(array, length);
            for (int i = offset; i < offset + length; i++) {
                writeNumber(array[i]);
            }
            writeEndArray();
        }
    }
}
