package dev.jetpack.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.testing.ChildJvm;
import dev.jetpack.engine.testing.TestTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native xattr calls against the attr and libcap tools (setfattr/getfattr, setcap/getcap, setfacl): what one
 * side writes the other reads, in every namespace root may set, and links are never followed.
 */
class ExtendedAttributesTest {
    @TempDir
    Path dir;

    @Test
    void readsWhatTheToolsWroteInEveryNamespace() throws Exception {
        Path file = Files.writeString(dir.resolve("ping"), "#!/bin/sh\n");
        TestTrees.run("setcap", "cap_net_raw+ep", file.toString());
        TestTrees.run("setfacl", "-m", "u:1234:rw", file.toString());
        TestTrees.run("setfattr", "-n", "user.comment", "-v", "hello", file.toString());
        TestTrees.run("setfattr", "-n", "trusted.origin", "-v", "0x00ff10", file.toString());
        TestTrees.run("setfattr", "-n", "security.selinux", "-v", "system_u:object_r:ping_exec_t:s0", file.toString());

        SortedMap<String, byte[]> read = ExtendedAttributes.readAll(file);

        assertThat(read.keySet()).containsExactly("security.capability", "security.selinux",
                "system.posix_acl_access", "trusted.origin", "user.comment");
        assertThat(hex(read)).isEqualTo(getfattr(file));
        assertThat(new String(read.get("user.comment"), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(read.get("trusted.origin")).containsExactly(0x00, 0xff, 0x10);
    }

    @Test
    void whatItSetsTheToolsRead() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "x");
        TestTrees.run("setcap", "cap_net_raw,cap_net_admin+ep", source.toString());
        TestTrees.run("setfacl", "-m", "u:1234:r,g:99:rw", source.toString());
        Path copy = Files.writeString(dir.resolve("copy"), "x");

        for (Map.Entry<String, byte[]> attribute : ExtendedAttributes.readAll(source).entrySet()) {
            ExtendedAttributes.set(copy, attribute.getKey(), attribute.getValue());
        }
        ExtendedAttributes.set(copy, "trusted.empty", new byte[0]);

        assertThat(new String(TestTrees.run("getcap", copy.toString()), StandardCharsets.UTF_8))
                .contains("cap_net_admin,cap_net_raw=ep");
        assertThat(new String(TestTrees.run("getfacl", "-n", "--omit-header", copy.toString()),
                StandardCharsets.UTF_8)).contains("user:1234:r--", "group:99:rw-");
        assertThat(getfattr(copy)).containsEntry("trusted.empty", "").containsAllEntriesOf(getfattr(source));
        assertThat(ExtendedAttributes.get(copy, "trusted.empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
    }

    @Test
    void actsOnALinkItselfNeverOnItsTarget() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "x");
        TestTrees.run("setfattr", "-n", "user.on-target", "-v", "1", target.toString());
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        assertThat(ExtendedAttributes.names(link)).isEmpty();
        ExtendedAttributes.set(link, "trusted.on-link", "2".getBytes(StandardCharsets.UTF_8));

        assertThat(ExtendedAttributes.names(link)).containsExactly("trusted.on-link");
        assertThat(ExtendedAttributes.names(target)).containsExactly("user.on-target");
        assertThat(new String(TestTrees.run("getfattr", "-h", "-n", "trusted.on-link", "--only-values",
                link.toString()), StandardCharsets.UTF_8)).isEqualTo("2");
    }

    @Test
    void removesAndReportsMissingAttributesAsAbsent() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        ExtendedAttributes.set(file, "user.a", new byte[] {1});
        ExtendedAttributes.remove(file, "user.a");
        ExtendedAttributes.remove(file, "user.a");

        assertThat(ExtendedAttributes.get(file, "user.a")).isEmpty();
        assertThat(ExtendedAttributes.readAll(file)).isEmpty();
    }

    @Test
    void refusalsNameTheFileTheAttributeAndTheRule() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("nowhere"));

        assertThatThrownBy(() -> ExtendedAttributes.set(link, "user.comment", new byte[] {1}))
                .isInstanceOfSatisfying(ExtendedAttributeException.class, e -> {
                    assertThat(e.refusedByHost()).isTrue();
                    assertThat(e.attribute()).isEqualTo("user.comment");
                    assertThat(e.path()).isEqualTo(link);
                })
                .hasMessageContaining("'user.comment'").hasMessageContaining(link.toString())
                .hasMessageContaining("EPERM").hasMessageContaining("only on regular files and directories");
        assertThatThrownBy(() -> ExtendedAttributes.readAll(dir.resolve("missing")))
                .isInstanceOfSatisfying(ExtendedAttributeException.class, e -> assertThat(e.refusedByHost()).isFalse())
                .hasMessageContaining("missing").hasMessageContaining("does not exist (ENOENT)");
        assertThatThrownBy(() -> ExtendedAttributes.set(link, "bad\0name", new byte[0]))
                .isInstanceOf(ExtendedAttributeException.class).hasMessageContaining("bad\\0name")
                .hasMessageContaining("without NUL");
        assertThatThrownBy(() -> ExtendedAttributes.set(Files.writeString(dir.resolve("f"), ""), "nonamespace:x",
                new byte[0])).isInstanceOf(ExtendedAttributeException.class).hasMessageContaining("NAMESPACE.NAME");
        Path file = Files.writeString(dir.resolve("acl"), "");
        assertThatThrownBy(() -> ExtendedAttributes.set(file, "system.posix_acl_access", new byte[] {1, 2, 3}))
                .isInstanceOf(ExtendedAttributeException.class).hasMessageContaining("EINVAL");
    }

    /**
     * Where JNA cannot load its native library (here: its temporary directory on a noexec mount), every call says
     * so and how to fix it, in a child JVM that has not loaded it yet.
     */
    @Test
    void aNativeLibraryThatCannotLoadIsAClearError() throws Exception {
        Path noexec = Files.createDirectories(dir.resolve("noexec"));
        TestTrees.run("mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", noexec.toString());
        try {
            Process child = new ProcessBuilder(ChildJvm.command(List.of("-Djna.tmpdir=" + noexec, "-Djna.nosys=true"),
                    NativeLibraryProbe.class, List.of(dir.toString()))).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor()).as(output).isEqualTo(3);
            assertThat(output).contains("Cannot read or write extended attributes", "JNA's native library",
                    "noexec", "-Djna.tmpdir=");
        } finally {
            TestTrees.run("umount", noexec.toString());
        }
    }

    /** Child JVM: lists the attributes of its argument; exit 3 with the message when that fails as it should. */
    public static final class NativeLibraryProbe {
        public static void main(String[] args) throws Exception {
            try {
                ExtendedAttributes.names(Path.of(args[0]));
                System.out.println("listed without error");
            } catch (dev.jetpack.engine.JetpackException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }

    private static Map<String, String> hex(Map<String, byte[]> values) {
        Map<String, String> result = new java.util.TreeMap<>();
        values.forEach((name, value) -> result.put(name, HexFormat.of().formatHex(value)));
        return result;
    }

    /** getfattr's view of one file: every attribute of every namespace, hex values. */
    static Map<String, String> getfattr(Path file) throws Exception {
        String output = new String(TestTrees.run("getfattr", "-h", "-d", "-m", "-", "-e", "hex", "--absolute-names",
                file.toString()), StandardCharsets.UTF_8);
        Map<String, String> result = new java.util.TreeMap<>();
        for (String line : List.of(output.split("\n"))) {
            int equals = line.indexOf('=');
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String name = equals < 0 ? line : line.substring(0, equals);
            String value = equals < 0 ? "" : line.substring(equals + 1);
            result.put(name, value.startsWith("0x") ? value.substring(2) : value);
        }
        return result;
    }
}
