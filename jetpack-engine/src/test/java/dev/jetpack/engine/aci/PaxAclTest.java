package dev.jetpack.engine.aci;

import static dev.jetpack.engine.testing.TestTrees.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.base.BaseImageMaker;
import dev.jetpack.engine.testing.TarTools;
import dev.jetpack.engine.testing.TestTrees;
import dev.jetpack.engine.testing.TreeSnapshot;
import dev.jetpack.engine.testing.XattrTools;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ACLs and SELinux labels that tar writers store in pax records reach the ACI as the extended attributes the
 * kernel keeps them in (issue 15, item 5), byte for byte what the source file system holds.
 */
class PaxAclTest {
    @TempDir
    Path tmp;

    /** A file and a directory with access ACLs (the directory with a default ACL too), archived by {@code writer}. */
    private Path aclTarball(String writer) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path file = TestTrees.file(src, "f", "x\n", 0644);
        Path dir = TestTrees.directory(src, "d", 0755);
        run("setfacl", "-m", "u:1234:r,g:55:rw,m::r", file.toString());
        run("setfacl", "-m", "u:65534:rwx", dir.toString());
        run("setfacl", "-d", "-m", "u:1234:rx", dir.toString());
        Path tarball = tmp.resolve("rootfs.tar");
        if (writer.equals("gnu")) {
            run("tar", "--acls", "--format=posix", "--numeric-owner", "-cf", tarball.toString(), "-C",
                    src.toString(), ".");
        } else {
            run("bsdtar", "--acls", "--numeric-owner", "-cf", tarball.toString(), "-C", src.toString(), ".");
        }
        return tarball;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "bsdtar"})
    void aclsBecomeTheirXattrsAndTheMaskIsTheGroupMode(String writer) throws IOException {
        Path tarball = aclTarball(writer);
        Path file = tmp.resolve("src/f");
        Path dir = tmp.resolve("src/d");

        Map<String, TarEntry> aci = aciEntries(tarball);

        assertThat(hex(aci.get("rootfs/f").xattrs().get("system.posix_acl_access")))
                .isEqualTo(xattrOnDisk(file, "system.posix_acl_access"));
        assertThat(hex(aci.get("rootfs/d").xattrs().get("system.posix_acl_access")))
                .isEqualTo(xattrOnDisk(dir, "system.posix_acl_access"));
        assertThat(hex(aci.get("rootfs/d").xattrs().get("system.posix_acl_default")))
                .isEqualTo(xattrOnDisk(dir, "system.posix_acl_default"));
        // the mode's group bits are the mask, as stat shows them (bsdtar stores the owning group's bits)
        assertThat(Integer.toOctalString(aci.get("rootfs/f").mode())).isEqualTo(mode(file));
        assertThat(Integer.toOctalString(aci.get("rootfs/d").mode())).isEqualTo(mode(dir));
        assertThat(mode(dir)).isEqualTo("775");
        // GNU tar reads the ACI back with the ACLs
        Path gnu = Files.createDirectories(tmp.resolve("gnu"));
        run("tar", "--xattrs", "--xattrs-include=*", "-xpf", tmp.resolve("base.aci").toString(), "-C",
                gnu.toString());
        assertThat(xattrOnDisk(gnu.resolve("rootfs/f"), "system.posix_acl_access"))
                .isEqualTo(xattrOnDisk(file, "system.posix_acl_access"));
    }

    /** makeaci, import, export -flat: the ACLs are on disk in the store and in GNU tar's extraction of the export. */
    @ParameterizedTest
    @ValueSource(strings = {"gnu", "bsdtar"})
    void aclsSurviveTheStore(String writer) throws IOException {
        Path tarball = aclTarball(writer);
        Map<String, String> gnu = TreeSnapshot.ofWholeSeconds(TarTools.gnuExtract(tarball, tmp.resolve("gnu")));

        TarTools.RoundTrip trip = TarTools.roundTrip(tarball, Files.createDirectories(tmp.resolve("work")));

        for (String name : new String[] {"f", "d"}) {
            String source = XattrTools.getfacl(tmp.resolve("src").resolve(name));
            assertThat(source).contains("user:1234:");
            assertThat(XattrTools.getfacl(trip.stored().resolve(name))).isEqualTo(source);
            assertThat(XattrTools.getfacl(trip.exported().resolve(name))).isEqualTo(source);
        }
        assertThat(TreeSnapshot.lines(trip.storedSnapshot())).containsExactlyElementsOf(TreeSnapshot.lines(gnu));
        assertThat(TreeSnapshot.lines(trip.exportedSnapshot())).containsExactlyElementsOf(TreeSnapshot.lines(gnu));
    }

    @Test
    void selinuxLabelBecomesSecuritySelinux() throws IOException {
        Path tarball = tmp.resolve("rootfs.tar");
        run("python3", "-c", "import sys, tarfile\n"
                + "with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:\n"
                + "    f = tarfile.TarInfo('./bin'); f.type = tarfile.DIRTYPE\n"
                + "    f.pax_headers = {'RHT.security.selinux': 'system_u:object_r:bin_t:s0'}\n"
                + "    t.addfile(f)\n", tarball.toString());

        Map<String, TarEntry> aci = aciEntries(tarball);

        assertThat(aci.get("rootfs/bin").xattrs().get("security.selinux"))
                .isEqualTo("system_u:object_r:bin_t:s0\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** The entries of the ACI makeaci writes from {@code tarball}, by name. */
    private Map<String, TarEntry> aciEntries(Path tarball) throws IOException {
        Path aci = tmp.resolve("base.aci");
        BaseImageMaker.fromTarball(tarball, TestTrees.MANIFEST, aci, WriterOptions.builder()
                .compression(Compression.NONE).build());
        Map<String, TarEntry> entries = new TreeMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(aci))) {
            TarReader reader = new TarReader(in);
            for (TarEntry entry; (entry = reader.next()) != null; ) {
                entries.put(entry.name(), entry);
            }
        }
        return entries;
    }

    private static String xattrOnDisk(Path path, String name) throws IOException {
        String out = new String(run("getfattr", "--absolute-names", "-e", "hex", "-n", name, path.toString()),
                StandardCharsets.UTF_8);
        return out.substring(out.indexOf("=0x") + 3).strip();
    }

    private static String hex(byte[] value) {
        return value == null ? "(none)" : HexFormat.of().formatHex(value);
    }

    private static String mode(Path path) throws IOException {
        return Integer.toOctalString((Integer) Files.getAttribute(path, "unix:mode") & 07777);
    }
}
