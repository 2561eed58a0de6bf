package dev.jetpack.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.base.RootfsSource;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.ExportedOciImage;
import dev.jetpack.engine.oci.OciExportFormat;
import dev.jetpack.engine.oci.OciExportOptions;
import dev.jetpack.engine.oci.OciReference;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestImages;
import dev.jetpack.engine.testing.TestTars;
import dev.jetpack.engine.testing.TestTrees;
import dev.jetpack.engine.testing.XattrTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extended attributes of every namespace on their way from a rootfs tarball made by GNU tar to the store and
 * out again: a file capability set by setcap, ACLs set by setfacl (access and default), trusted.* and user.*
 * attributes and SELinux labels (also on a symbolic link) set by setfattr. At each stop the tree is compared
 * with the source as getfattr, getcap and getfacl see it, and the archives as GNU tar extracts them.
 */
class XattrRoundTripTest {
    @TempDir
    Path tmp;

    private Path source;
    private Map<String, String> sourceAttributes;
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void makeSourceTree() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        Path ping = TestTrees.file(source, "bin/ping", "#!/bin/sh\necho pong\n", 0755);
        TestTrees.run("setcap", "cap_net_raw+ep", ping.toString());
        TestTrees.run("setfacl", "-m", "u:1234:rw", ping.toString());
        TestTrees.run("setfattr", "-n", "user.origin", "-v", "debian", ping.toString());
        Path shared = TestTrees.directory(source, "srv/shared", 0775);
        TestTrees.run("setfacl", "-d", "-m", "g:99:rx", shared.toString());
        TestTrees.run("setfacl", "-m", "g:99:rwx", shared.toString());
        TestTrees.run("setfattr", "-n", "trusted.md5", "-v", "0x00ff", shared.toString());
        Path config = TestTrees.file(source, "etc/ping.conf", "count=1\n", 0644);
        TestTrees.run("setfattr", "-n", "security.selinux", "-v", "system_u:object_r:etc_t:s0", config.toString());
        Path link = TestTrees.symlink(source, "usr/bin/ping", "../../bin/ping");
        TestTrees.run("setfattr", "-h", "-n", "security.selinux", "-v", "system_u:object_r:bin_t:s0",
                link.toString());
        sourceAttributes = XattrTools.getfattrTree(source);
        assertThat(sourceAttributes).as("what setcap, setfacl and setfattr made").containsOnlyKeys("bin/ping",
                "srv/shared", "etc/ping.conf", "usr/bin/ping");
        assertThat(sourceAttributes.get("bin/ping")).contains("security.capability=", "system.posix_acl_access=",
                "user.origin=");
    }

    @Test
    void gnuTarRootfsThroughMakeaciImportRenderAndExportFlatKeepsEveryAttribute() throws IOException {
        Path tarball = tmp.resolve("rootfs.tar.gz");
        TestTrees.run("tar", "--xattrs", "--xattrs-include=*", "--format=posix", "--numeric-owner", "-C",
                source.toString(), "-czf", tarball.toString(), ".");
        Jetpack jetpack = jetpack("store");
        Path aci = tmp.resolve("base.aci");
        jetpack.buildImage(ImageBuildSpec.base(new RootfsSource.Existing(tarball))
                .manifestFile(TestImages.manifestFile(tmp.resolve("manifest"), "example.com/xattrs", "1.0"))
                .output(aci).build());
        assertThat(XattrTools.getfattrTree(gnuExtract(aci, "from-makeaci").resolve("rootfs")))
                .as("GNU tar's view of the ACI makeaci wrote").isEqualTo(sourceAttributes);

        StoredImage imported = jetpack.importImage(aci.toString(), Optional.empty(), Optional.empty(),
                FetchOptions.defaults());

        assertSameAttributes(imported.rootfs(), "the store's tree");
        assertThat(XattrTools.getcap(imported.rootfs().resolve("bin/ping"))).endsWith("cap_net_raw=ep");
        assertThat(XattrTools.getfacl(imported.rootfs().resolve("srv/shared")))
                .isEqualTo(XattrTools.getfacl(source.resolve("srv/shared"))).contains("default:group:99:r-x");
        Path flat = tmp.resolve("flat.aci");
        jetpack.export(imported.id().value(), true, flat);
        assertThat(XattrTools.getfattrTree(gnuExtract(flat, "from-export").resolve("rootfs")))
                .as("GNU tar's view of export -flat").isEqualTo(sourceAttributes);
        assertThat(log.messages()).noneMatch(line -> line.contains("extended attribute"));
    }

    @Test
    void ociExportCarriesThemAsPaxRecordsAndOciImportRestoresThem() throws IOException {
        Jetpack jetpack = jetpack("store");
        Path aci = tmp.resolve("base.aci");
        jetpack.buildImage(ImageBuildSpec.base(new RootfsSource.Existing(source))
                .manifestFile(TestImages.manifestFile(tmp.resolve("manifest"), "example.com/xattrs", "1.0"))
                .output(aci).build());
        StoredImage image = jetpack.importImage(aci.toString(), Optional.empty(), Optional.empty(),
                FetchOptions.defaults());
        assertSameAttributes(image.rootfs(), "the store's tree of an image made from a directory");

        Path layout = tmp.resolve("layout");
        ExportedOciImage exported = jetpack.exportOci(image.id().value(),
                OciExportOptions.builder(OciExportFormat.OCI_LAYOUT, layout)
                        .reference(OciReference.parse("example.com/xattrs:1.0")).build());
        assertThat(exported.layers()).hasSize(1);
        Descriptor layer = exported.layers().get(0);
        Path unpacked = Files.createDirectories(tmp.resolve("layer-by-gnu-tar"));
        TestTrees.run("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf",
                exported.layout().blobPath(layer.digest()).toString(), "-C", unpacked.toString());
        assertThat(XattrTools.getfattrTree(unpacked)).as("GNU tar's view of the OCI layer")
                .isEqualTo(sourceAttributes);

        StoredImage back = jetpack("other-store").fetch("oci:" + layout + ":1.0", FetchOptions.defaults());
        assertSameAttributes(back.rootfs(), "an OCI import's tree");
    }

    /** A refused attribute (Linux keeps user.* off symbolic links) is a warning that names file and attribute. */
    @Test
    void anAttributeTheHostRefusesIsAWarningNamingTheFileAndTheAttribute() throws IOException {
        Path aci = tmp.resolve("link-with-user-xattr.aci");
        writeAci(aci, tar -> {
            for (String name : new String[] {"rootfs/a-link", "rootfs/b-link"}) {
                TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("target");
                link.addPaxHeader("SCHILY.xattr.user.comment", "not on links");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
        });

        StoredImage image = jetpack("store").importImage(aci.toString(), Optional.empty(), Optional.empty(),
                FetchOptions.defaults());

        assertThat(Files.readSymbolicLink(image.rootfs().resolve("a-link"))).isEqualTo(Path.of("target"));
        assertThat(log.warnings()).anyMatch(line -> line.contains("'rootfs/a-link'") && line.contains("'user.comment'")
                && line.contains("GNU tar") && line.contains("EPERM"));
        assertThat(log.warnings()).anyMatch(line -> line.contains("1 more files")
                && line.contains("'user.comment'"));
    }

    /**
     * overlayfs' own attributes in an image (trusted.overlay.* of an overlay mounted without userxattr,
     * user.overlay.* with it) would make files whiteouts or directories opaque in a later overlay: never restored.
     */
    @Test
    void overlayfsAttributesInAnImageAreNeverRestored() throws IOException {
        Path aci = tmp.resolve("overlay-attributes.aci");
        writeAci(aci, tar -> {
            TarArchiveEntry directory = new TarArchiveEntry("rootfs/etc/");
            directory.addPaxHeader("SCHILY.xattr.trusted.overlay.opaque", "y");
            directory.addPaxHeader("SCHILY.xattr.user.overlay.opaque", "y");
            directory.addPaxHeader("SCHILY.xattr.user.kept", "1");
            tar.putArchiveEntry(directory);
            tar.closeArchiveEntry();
            TarArchiveEntry file = new TarArchiveEntry("rootfs/etc/passwd");
            file.addPaxHeader("SCHILY.xattr.trusted.overlay.origin", "x");
            file.addPaxHeader("SCHILY.xattr.trusted.overlay.metacopy", "");
            tar.putArchiveEntry(file);
            tar.closeArchiveEntry();
        });

        StoredImage image = jetpack("store").importImage(aci.toString(), Optional.empty(), Optional.empty(),
                FetchOptions.defaults());

        assertThat(XattrTools.getfattrTree(image.rootfs())).containsOnlyKeys("etc")
                .containsEntry("etc", "user.kept=0x31");
    }

    /** An uncompressed ACI: a valid manifest, {@code rootfs/}, then {@code entries}. */
    private void writeAci(Path aci, TestTars.Entries entries) throws IOException {
        String manifest = Files.readString(TestImages.manifestFile(tmp.resolve("manifest"), "example.com/crafted",
                "1.0"));
        Files.write(aci, TestTars.tar(tar -> {
            TestTars.file(tar, "manifest", manifest);
            TestTars.dir(tar, "rootfs/");
            entries.write(tar);
        }));
    }

    private void assertSameAttributes(Path tree, String what) throws IOException {
        assertThat(XattrTools.getfattrTree(tree)).as(what).isEqualTo(sourceAttributes);
    }

    private Path gnuExtract(Path aci, String name) throws IOException {
        Path target = Files.createDirectories(tmp.resolve(name));
        TestTrees.run("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", aci.toString(), "-C",
                target.toString());
        return target;
    }

    private Jetpack jetpack(String store) {
        return new Jetpack(JetpackSettings.builder().storeLocation(tmp.resolve(store))
                .compression(Compression.GZIP).build(), log, ProgressListener.NONE);
    }

}
