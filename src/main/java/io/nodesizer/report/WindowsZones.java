package io.nodesizer.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Windows time zone of an IANA zone, which Azure Monitor autoscale profiles name ({@code "W. Europe Standard Time"}):
 * the bundled table {@code windows-zones.tsv}, generated from the Unicode CLDR's windowsZones mapping as ICU4J gives it
 * ({@code WindowsZonesTest} checks the table against it and regenerates it with {@code -Dwindowszones.update=true}).
 */
public final class WindowsZones {
    static final String RESOURCE = "windows-zones.tsv";
    private static final Map<String, String> BY_IANA = load();

    private WindowsZones() {
    }

    /** The Windows name of {@code zone}; null when CLDR maps it to none (a fixed offset other than UTC, an unknown ID). */
    public static String of(ZoneId zone) {
        if (zone instanceof ZoneOffset offset) {
            return offset.getTotalSeconds() == 0 ? "UTC" : null;
        }
        return BY_IANA.get(zone.getId());
    }

    /** The table: IANA ID to Windows name. */
    static Map<String, String> table() {
        return BY_IANA;
    }

    private static Map<String, String> load() {
        Map<String, String> out = new TreeMap<>();
        try (InputStream in = WindowsZones.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled " + RESOURCE + " is missing from the build");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                out.put(line.substring(0, tab), line.substring(tab + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
