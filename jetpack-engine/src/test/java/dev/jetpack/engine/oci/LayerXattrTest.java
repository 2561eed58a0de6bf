package dev.jetpack.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.testing.TestTars;
import dev.jetpack.engine.testing.XattrTools;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI layers carry extended attributes as PAX {@code SCHILY.xattr.*} records: applied in every namespace, and a
 * directory over a lower layer's directory takes the upper entry's attributes (as the image spec says for
 * directory over directory), while the files below keep theirs.
 */
class LayerXattrTest {
    @TempDir
    Path tmp;

    @Test
    void attributesOfEveryNamespaceAndDirectoryOverDirectoryReplacesThem() throws IOException {
        byte[] lower = TestTars.tar(tar -> {
            TarArchiveEntry etc = new TarArchiveEntry("etc/", TarConstants.LF_DIR, true);
            etc.addPaxHeader("SCHILY.xattr.user.lower", "1");
            etc.addPaxHeader("SCHILY.xattr.trusted.lower", "2");
            tar.putArchiveEntry(etc);
            tar.closeArchiveEntry();
            TarArchiveEntry ping = new TarArchiveEntry("etc/ping", TarConstants.LF_NORMAL, true);
            // cap_net_raw+ep as setcap writes it (VFS_CAP_REVISION_2)
            ping.addPaxHeader("SCHILY.xattr.security.capability",
                    new String(new byte[] {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                            java.nio.charset.StandardCharsets.ISO_8859_1));
            tar.putArchiveEntry(ping);
            tar.closeArchiveEntry();
        });
        byte[] upper = TestTars.tar(tar -> {
            TarArchiveEntry etc = new TarArchiveEntry("etc/", TarConstants.LF_DIR, true);
            etc.addPaxHeader("SCHILY.xattr.user.upper", "3");
            tar.putArchiveEntry(etc);
            tar.closeArchiveEntry();
        });
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        LayerApplier applier = new LayerApplier(tree, ReaderOptions.untrusted());

        applier.apply(new ByteArrayInputStream(lower));
        assertThat(XattrTools.getfattrTree(tree)).containsEntry("etc", "trusted.lower=0x32 user.lower=0x31");
        applier.apply(new ByteArrayInputStream(upper));

        assertThat(XattrTools.getfattrTree(tree)).containsOnlyKeys("etc", "etc/ping")
                .containsEntry("etc", "user.upper=0x33");
        assertThat(XattrTools.getcap(tree.resolve("etc/ping"))).endsWith("cap_net_raw=ep");
    }
}
