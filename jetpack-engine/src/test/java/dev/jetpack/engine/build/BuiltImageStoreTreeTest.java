package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A built image goes into the store as the tree the build laid out while writing the ACI ({@link TreeMirror}),
 * not by unpacking the ACI again: that tree must be exactly what unpacking gives, with and without the stage
 * cache, flat and layered, with kept and with fixed times; and the files the build did not touch are the
 * parent's own inodes, linked rather than written.
 */
class BuiltImageStoreTreeTest {
    @TempDir
    Path dir;
    StagedBuildFixture fixture;
    RecordingLog log = new RecordingLog();
    Jetpack jetpack;
    StoredImage parent;

    @BeforeEach
    void project() throws Exception {
        fixture = new StagedBuildFixture(dir, dir.resolve("store"));
        jetpack = fixture.jetpack(log);
        parent = fixture.create(jetpack);
    }

    private StoredImage build(boolean cache, boolean fixedTime, OutputForm form, String output) {
        ImageBuildSpec.Builder spec = fixture.spec(parent, cache, dir.resolve(output)).outputForm(form);
        if (!fixedTime) {
            spec.fixedTimestamp(Optional.empty());
        }
        return jetpack.buildImage(spec.build()).stored().orElseThrow();
    }

    /** The store's tree against the one unpacking the same ACI gives, entry by entry, times to the nanosecond. */
    private void assertStoredTreeIsTheUnpackedAci(StoredImage stored, String name) {
        Path unpacked = dir.resolve("unpacked-" + name);
        AciReader.extract(stored.aciFile(), unpacked, ReaderOptions.defaults());
        assertThat(TreeSnapshot.lines(TreeSnapshot.ofInTreeLinks(stored.rootfs())))
                .as("stored tree of " + name + " against its unpacked ACI")
                .containsExactlyElementsOf(TreeSnapshot.lines(TreeSnapshot.ofInTreeLinks(unpacked)));
    }

    @Test
    void theStoredTreeIsTheUnpackedAciWithAndWithoutTheCacheAndFixedTimes() {
        assertStoredTreeIsTheUnpackedAci(build(false, true, OutputForm.FLAT, "plain-fixed.aci"), "plain-fixed");
        assertStoredTreeIsTheUnpackedAci(build(false, false, OutputForm.FLAT, "plain.aci"), "plain");
        assertStoredTreeIsTheUnpackedAci(build(true, false, OutputForm.FLAT, "cold.aci"), "cold");
        assertStoredTreeIsTheUnpackedAci(build(true, false, OutputForm.FLAT, "warm.aci"), "warm");
        assertStoredTreeIsTheUnpackedAci(build(true, true, OutputForm.FLAT, "warm-fixed.aci"), "warm-fixed");
    }

    @Test
    void filesTheBuildDidNotTouchAreTheParentsInodesAndTheParentIsUnchanged() throws Exception {
        var parentBefore = TreeSnapshot.ofInTreeLinks(parent.rootfs());
        StoredImage built = build(true, false, OutputForm.FLAT, "linked.aci");

        Object parentInode = Files.getAttribute(parent.rootfs().resolve("sbin/apk"), "unix:ino",
                LinkOption.NOFOLLOW_LINKS);
        assertThat(Files.getAttribute(built.rootfs().resolve("sbin/apk"), "unix:ino", LinkOption.NOFOLLOW_LINKS))
                .as("an untouched parent file is linked, not written").isEqualTo(parentInode);
        assertThat(Files.getAttribute(built.rootfs().resolve("srv/all"), "unix:nlink", LinkOption.NOFOLLOW_LINKS))
                .as("a file the build wrote is the store's own").isEqualTo(1);
        assertThat(log.messages()).anyMatch(m -> m.matches("INFO Laid out the image's tree in the store while"
                + " writing it: [1-9][0-9]* files linked from the build's layers, [1-9][0-9]* written"));
        assertThat(TreeSnapshot.ofInTreeLinks(parent.rootfs())).as("the parent's tree").isEqualTo(parentBefore);
    }

    @Test
    void aLayeredImageRendersOverItsParentAsTheFlatOneIs() {
        StoredImage flat = build(true, false, OutputForm.FLAT, "flat.aci");
        StoredImage layered = build(true, false, OutputForm.LAYERED, "layered.aci");
        assertThat(TreeSnapshot.lines(TreeSnapshot.withoutTimes(layered.rootfs(), java.util.Set.of())))
                .containsExactlyElementsOf(TreeSnapshot.lines(TreeSnapshot.withoutTimes(flat.rootfs(),
                        java.util.Set.of())));
    }

    @Test
    void aFixedTimestampWritesEveryFile() {
        build(false, true, OutputForm.FLAT, "fixed.aci");
        assertThat(log.messages()).anyMatch(m -> m.matches("INFO Laid out the image's tree in the store while"
                + " writing it: 0 files linked from the build's layers, [1-9][0-9]* written"));
    }
}
