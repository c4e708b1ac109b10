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
 * UTF-8 mark skipped; UTF-32 with a mark too (kubectl does not read it, but Jackson read such JSON
 * before these files had one reader, and a file read is better than an error about a NUL). UTF-16 without a mark is
 * refused by name ({@link #checkNotWideWithoutMark}), but in JSON, which Jackson reads from its bytes and tells exactly.
 * Anything else is an input error at the line of its first byte that is not UTF-8, rather than a decoder's "Input length = 1".
 */
public final class TextFiles {
    private TextFiles() {
    }

    /** The charset a file's byte-order mark names (UTF-8 without one) and the mark's length in bytes. */
    private record Mark(Charset charset, int length) {
        static Mark of(byte[] head) {
            // UTF-32's marks first: the little-endian one begins with UTF-16LE's (a file Jackson's own detection read).
            if (head.length >= 4 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE && head[2] == 0 && head[3] == 0) {
                return new Mark(java.nio.charset.Charset.forName("UTF-32LE"), 4);
            }
            if (head.length >= 4 && head[0] == 0 && head[1] == 0 && (head[2] & 0xff) == 0xFE && (head[3] & 0xff) == 0xFF) {
                return new Mark(java.nio.charset.Charset.forName("UTF-32BE"), 4);
            }
            if (head.length >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE) {
                return new Mark(StandardCharsets.UTF_16LE, 2);
            }
            if (head.length >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF) {
                return new Mark(StandardCharsets.UTF_16BE, 2);
            }
            boolean utf8 = head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF;
            return new Mark(StandardCharsets.UTF_8, utf8 ? 3 : 0);
        }

        /** The mark of {@code path}'s first bytes. */
        static Mark of(InputStream in) throws IOException {
            return of(in.readNBytes(4));
        }
    }

    /** As {@link #reader(Path, String)}, errors naming the file by its path. */
    public static Reader reader(Path path) throws IOException {
        return reader(path, path.toString());
    }

    /**
     * A reader of {@code path} in the charset its byte-order mark names (UTF-8 without one), past the mark; malformed input
     * is reported, not replaced. UTF-16 without a mark is refused ({@link #checkNotWideWithoutMark}).
     *
     * @param displayName how an error names the file
     */
    public static Reader reader(Path path, String displayName) throws IOException {
        // A pipe: the run's copy, so that a reader that looks first and then reads does not find it drained (or block).
        InputStream in = new BufferedInputStream(Files.newInputStream(RunInputs.file(path, displayName)), 1 << 16);
        Mark mark;
        try {
            // Closed on any failure here (a read error, a refusal): the caller gets no reader to close (review 63 item 10).
            in.mark(WIDE_SAMPLE);
            byte[] head = in.readNBytes(WIDE_SAMPLE);
            in.reset();
            mark = Mark.of(head);
            if (mark.length() == 0) {
                checkNotWideWithoutMark(head, displayName);
            }
            in.skipNBytes(mark.length());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        CharsetDecoder decoder = mark.charset().newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new InputStreamReader(in, decoder);
    }

    /** How many of a file's first bytes tell UTF-16 without a byte-order mark. */
    private static final int WIDE_SAMPLE = 512;

    /**
     * Refuses a file that starts like UTF-16 without a byte-order mark: of its first bytes taken in pairs, at least half
     * have a NUL on one side (the high byte of ASCII text) and next to none on the other. PowerShell's {@code Out-File
     * -Encoding unicode} without a mark and {@code iconv -t UTF-16LE} write such files; read as UTF-8 they held a NUL
     * between all letters and the error echoed them. kubectl reads UTF-16 only by its mark, so this is said, not guessed
     * past. UTF-8 text holds no NUL.
     *
     * @param head the file's first bytes (up to 512)
     */
    static void checkNotWideWithoutMark(byte[] head, String displayName) {
        // UTF-32 first: its ASCII is a letter and three NULs, which the pairs below would take for UTF-16LE (or BE), and the
        // conversion they advise would make garbage (review 63 item 9).
        int quads = head.length / 4;
        int le32 = 0;
        int be32 = 0;
        for (int i = 0; i < quads * 4; i += 4) {
            boolean highNul = head[i + 2] == 0 && head[i + 1] == 0;
            le32 += highNul && head[i] != 0 && head[i + 3] == 0 ? 1 : 0;
            be32 += highNul && head[i] == 0 && head[i + 3] != 0 ? 1 : 0;
        }
        if (quads > 0 && (le32 * 2 >= quads || be32 * 2 >= quads)) {
            refuseWide(le32 >= be32 ? "UTF-32LE" : "UTF-32BE", "three of every four bytes of its start are NUL", displayName);
        }
        int pairs = head.length / 2;
        int evenNul = 0;
        int oddNul = 0;
        for (int i = 0; i < pairs * 2; i += 2) {
            evenNul += head[i] == 0 && head[i + 1] != 0 ? 1 : 0;
            oddNul += head[i] != 0 && head[i + 1] == 0 ? 1 : 0;
        }
        String order = oddNul * 2 >= pairs && evenNul * 8 <= oddNul ? "UTF-16LE"
                : evenNul * 2 >= pairs && oddNul * 8 <= evenNul ? "UTF-16BE" : null;
        if (pairs > 0 && order != null) {
            refuseWide(order, "every other byte of its start is NUL", displayName);
        }
    }

    private static void refuseWide(String encoding, String evidence, String displayName) {
        throw new InputException(SourceLocation.ofFile(displayName), "Expected UTF-8 text (or UTF-16 with a byte-order mark); "
                + "found what looks like " + encoding + " without a byte-order mark (" + evidence + "). "
                + "Convert it to UTF-8: " + (RunInputs.piped(displayName) ? "pipe it through iconv -f " + encoding + " -t UTF-8"
                : "iconv -f " + encoding + " -t UTF-8 " + displayName + " > FILE.utf8") + " (PowerShell: Out-File -Encoding utf8).");
    }

    /** Whether {@code path} starts with a UTF-16 or UTF-32 byte-order mark. */
    public static boolean wideMark(Path path) {
        try (InputStream in = Files.newInputStream(RunInputs.file(path, path.toString()))) {
            return Mark.of(in).charset() != StandardCharsets.UTF_8;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether {@code e} is a reader stopping at bytes that are not text in the file's encoding: a
     * decoder's exception anywhere in its causes, or a parser's own words for it (Jackson's "Invalid
     * UTF-8", or a decoder's exception it wrapped as text).
     */
    public static boolean notTextCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.charset.CharacterCodingException || String.valueOf(t.getMessage()).contains("MalformedInputException")
                    || String.valueOf(t.getMessage()).contains("Invalid UTF-8")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The input error for a file that is not text in its encoding: at the line of its first byte
     * that is not UTF-8, naming the byte; in a file with a UTF-16 byte-order mark, at the line of
     * its first unpaired surrogate or of a last lone byte (an odd byte count), naming it.
     */
    public static InputException notText(Path path, String displayName) {
        long line = 1;
        String bad = null;
        Charset charset = StandardCharsets.UTF_8;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(RunInputs.file(path, displayName)), 1 << 16)) {
            in.mark(4);
            Mark mark = Mark.of(in);
            in.reset();
            in.skipNBytes(mark.length());
            charset = mark.charset();
            CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
            CharBuffer chars = CharBuffer.allocate(1 << 16);
            boolean end = false;
            while (bad == null && !end) {
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
                    bad = describe(bytes, charset);
                }
                bytes.compact();
            }
        } catch (IOException e) {
            // the line stays unknown
        }
        SourceLocation at = bad == null ? SourceLocation.ofFile(displayName) : SourceLocation.of(displayName, (int) Math.min(line, Integer.MAX_VALUE));
        if (charset == StandardCharsets.UTF_8) {
            return new InputException(at, "The file is not UTF-8 text" + (bad == null ? "" : ": " + bad + " on this line is not UTF-8")
                    + "; save it as UTF-8 (UTF-16 with a byte-order mark is read too).");
        }
        String family = charset.name().startsWith("UTF-32") ? "UTF-32" : "UTF-16";
        return new InputException(at, "The file is not valid " + family + " text, as its byte-order mark says it is"
                + (bad == null ? "" : ": on this line, " + bad) + "; save it again as UTF-8 or UTF-16.");
    }

    /** The bytes a decoder stopped at, in a message's words: the byte, or for UTF-16 the unpaired surrogate or the lone last byte. */
    private static String describe(ByteBuffer bytes, Charset charset) {
        int first = bytes.get(bytes.position()) & 0xff;
        if (charset == StandardCharsets.UTF_8) {
            return String.format("the byte 0x%02X", first);
        }
        if (charset.name().startsWith("UTF-32")) {
            StringBuilder unit = new StringBuilder();
            for (int i = 0; i < Math.min(4, bytes.remaining()); i++) {
                unit.append(String.format(" %02X", bytes.get(bytes.position() + i) & 0xff));
            }
            return "the bytes" + unit + (bytes.remaining() < 4 ? " end the file short of a character (UTF-32 takes bytes in fours)"
                    : " are no character");
        }
        if (bytes.remaining() < 2) {
            return String.format("the last byte 0x%02X is alone (UTF-16 takes bytes in pairs; the file has an odd number of bytes)", first);
        }
        int second = bytes.get(bytes.position() + 1) & 0xff;
        int unit = charset == StandardCharsets.UTF_16LE ? second << 8 | first : first << 8 | second;
        return unit >= 0xD800 && unit < 0xDC00 ? String.format("the high surrogate 0x%04X has no low surrogate after it", unit)
                : String.format("the low surrogate 0x%04X has no high surrogate before it", unit);
    }
}
