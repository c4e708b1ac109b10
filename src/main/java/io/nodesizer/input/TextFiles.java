package io.nodesizer.input;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Text input files as kubectl reads them: UTF-8, or UTF-16 with a byte-order mark (what Windows
 * PowerShell 5's {@code kubectl get … > f} writes; kubectl's file visitor honours the mark), a
 * UTF-8 mark skipped. Anything else is an input error at the line of its first byte that is not
 * UTF-8, rather than a decoder's "Input length = 1".
 */
public final class TextFiles {
    private TextFiles() {
    }

    /** A reader of {@code path} in the charset its byte-order mark names (UTF-8 without one), past the mark; malformed input is reported, not replaced. */
    public static Reader reader(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        in.mark(3);
        byte[] head = in.readNBytes(3);
        in.reset();
        Charset charset = StandardCharsets.UTF_8;
        int mark = 0;
        if (head.length >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            mark = 2;
        } else if (head.length >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            mark = 2;
        } else if (head.length == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            mark = 3;
        }
        in.skipNBytes(mark);
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new InputStreamReader(in, decoder);
    }

    /** Whether {@code path} starts with a UTF-16 byte-order mark. */
    public static boolean utf16(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && ((head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE || (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The input error for a file that is not UTF-8 text (nor UTF-16 with a mark): at the line of its
     * first byte that is not UTF-8, naming the byte.
     */
    public static InputException notText(Path path, String displayName) {
        long line = 1;
        int bad = -1;
        if (!utf16(path)) {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            try (InputStream in = Files.newInputStream(path)) {
                ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
                CharBuffer chars = CharBuffer.allocate(1 << 16);
                boolean end = false;
                while (bad < 0 && !end) {
                    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                    end = n < 0;
                    bytes.position(bytes.position() + Math.max(0, n));
                    bytes.flip();
                    CoderResult r = decoder.decode(bytes, chars, end);
                    chars.flip();
                    for (int i = 0; i < chars.length(); i++) {
                        line += chars.charAt(i) == '\n' ? 1 : 0;
                    }
                    chars.clear();
                    if (r.isError()) {
                        bad = bytes.get(bytes.position()) & 0xff;
                    }
                    bytes.compact();
                }
            } catch (IOException e) {
                // the line stays unknown
            }
        }
        return new InputException(bad < 0 ? SourceLocation.ofFile(displayName) : SourceLocation.of(displayName, (int) Math.min(line, Integer.MAX_VALUE)),
                "The file is not UTF-8 text" + (bad < 0 ? "" : String.format(": the byte 0x%02X on this line is not UTF-8", bad))
                        + "; save it as UTF-8 (UTF-16 with a byte-order mark is read too).");
    }
}
