package dev.jetpack.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The views of the real tools on extended attributes (package attr's getfattr, libcap's getcap, acl's getfacl),
 * so that tests compare trees as those tools see them rather than through the code under test.
 */
public final class XattrTools {
    private XattrTools() {
    }

    /**
     * Every extended attribute below {@code root}, of every namespace and kind of entry (links not followed), as
     * getfattr reports it: relative path ({@code .} for the root) → "name=hex" lines joined by spaces.
     * Entries without attributes are left out. Paths must be plain (getfattr escapes unusual characters).
     */
    public static Map<String, String> getfattrTree(Path root) throws IOException {
        String output = new String(TestTrees.run("sh", "-c", "cd \"$1\" && getfattr -R -P -h -d -m - -e hex .",
                "getfattr", root.toString()), StandardCharsets.UTF_8);
        Map<String, String> result = new TreeMap<>();
        String file = null;
        StringBuilder attributes = new StringBuilder();
        for (String line : (output + "\n").split("\n", -1)) {
            if (line.startsWith("# file: ")) {
                file = line.substring("# file: ".length());
                file = file.startsWith("./") ? file.substring(2) : file;
                attributes.setLength(0);
            } else if (line.isEmpty() && file != null) {
                result.put(file, attributes.toString().strip());
                file = null;
            } else if (file != null) {
                attributes.append(' ').append(line);
            }
        }
        return result;
    }

    /** getcap's line for one file: e.g. "/x/bin/ping cap_net_raw=ep"; empty when it has no capabilities. */
    public static String getcap(Path file) throws IOException {
        return new String(TestTrees.run("getcap", file.toString()), StandardCharsets.UTF_8).strip();
    }

    /** getfacl's entries (numeric ids, no header), one per line, access and default ACL. */
    public static String getfacl(Path file) throws IOException {
        return new String(TestTrees.run("getfacl", "-n", "-p", "--omit-header", file.toString()),
                StandardCharsets.UTF_8).strip();
    }
}
