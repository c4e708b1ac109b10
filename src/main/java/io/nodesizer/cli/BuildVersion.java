package io.nodesizer.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code --version}: the release and the commit the jar was built from (git.properties, written at build time). */
final class BuildVersion implements CommandLine.IVersionProvider {
    static final String RELEASE = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {"nodesizer " + RELEASE + " (" + commit() + ")"};
    }

    static String commit() {
        Properties p = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("/io/nodesizer/git.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "commit unknown";
        }
        String id = p.getProperty("git.commit.id.abbrev", "");
        if (id.isEmpty()) {
            return "commit unknown";
        }
        return "commit " + id + ("true".equals(p.getProperty("git.dirty")) ? ", modified" : "");
    }
}
