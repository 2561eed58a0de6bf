package dev.jetpack.engine.base;

import static dev.jetpack.engine.testing.TestTrees.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.aci.AciFormatException;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.testing.TarTools;
import dev.jetpack.engine.testing.TestTrees;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rootfs tarballs from the real writers through makeaci, import and export -flat, compared with what GNU tar
 * extracts from the same tarball (issue 15: tar fidelity).
 */
class RootfsTarballTest {
    @TempDir
    Path tmp;

    /** Names with multi-byte characters across the 100-byte name field, long link targets, a hard link. */
    private Path utf8Tree(TarTools.Writer writer) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        if (writer.longNames) {
            TestTrees.file(src, "a" + "\u00fc".repeat(60), "two-byte characters across byte 100\n", 0644);
            TestTrees.file(src, "x".repeat(10) + "\u65e5".repeat(40), "three-byte characters\n", 0600);
            TestTrees.file(src, "\u00fc".repeat(30) + "/" + "\u65e5".repeat(30) + "/" + "\u00e9".repeat(40),
                    "a deep path of more than 256 bytes\n", 0640);
            TestTrees.symlink(src, "long-target", "\u00fc".repeat(70));
            Files.createLink(src.resolve("\u00e9".repeat(55)), src.resolve("a" + "\u00fc".repeat(60)));
        } else {
            TestTrees.file(src, "a" + "\u00fc".repeat(45), "two-byte characters\n", 0644);
            TestTrees.symlink(src, "target", "\u00fc".repeat(40));
            Files.createLink(src.resolve("\u00e9".repeat(40)), src.resolve("a" + "\u00fc".repeat(45)));
        }
        TestTrees.file(src, "etc/hostname", "box\n", 0644);
        // a target is opaque, kept byte for byte (ln, because NIO would normalize it while creating it)
        run("ln", "-s", "dir//./file/", src.resolve("odd-link").toString());
        TestTrees.setTimesDeepestFirst(src);
        return src;
    }

    private void assertSameAsGnuTar(Path tarball) throws IOException {
        Map<String, String> gnu = TreeSnapshot.ofWholeSeconds(TarTools.gnuExtract(tarball, tmp.resolve("gnu")));
        TarTools.RoundTrip trip = TarTools.roundTrip(tarball, Files.createDirectories(tmp.resolve("work")));
        assertThat(TreeSnapshot.lines(trip.storedSnapshot())).containsExactlyElementsOf(TreeSnapshot.lines(gnu));
        assertThat(TreeSnapshot.lines(trip.exportedSnapshot())).containsExactlyElementsOf(TreeSnapshot.lines(gnu));
    }

    /** Item 2 (and 6 for v7, which has no magic): every writer's long UTF-8 names survive. */
    @ParameterizedTest
    @EnumSource(TarTools.Writer.class)
    void longUtf8NamesFromEveryWriter(TarTools.Writer writer) throws IOException {
        Path src = utf8Tree(writer);
        Path tarball = tmp.resolve("rootfs.tar");
        writer.archive(src, tarball);

        assertSameAsGnuTar(tarball);
        // and the ACI's own header fields hold whole characters (the full names are in pax records)
        run("python3", "-c", "import gzip, sys\n"
                + "d = gzip.open(sys.argv[1]).read(); i = 0\n"
                + "while d[i:i + 512] != bytes(512):\n"
                + "    h = d[i:i + 512]\n"
                + "    for off, n in ((0, 100), (157, 100)) + (((345, 155),) if h[257:263] == b'ustar\\0' else ()):\n"
                + "        h[off:off + n].split(b'\\0')[0].decode('utf-8')\n"
                + "    size = int(h[124:136].split(b'\\0')[0].strip() or b'0', 8)\n"
                + "    i += 512 + (size + 511) // 512 * 512\n", tmp.resolve("work/made.aci").toString());
    }

    /** Item 3: later duplicates win, as GNU tar extracts them. */
    @ParameterizedTest
    @ValueSource(strings = {"append", "overlap", "spellings", "replaced-link-target", "late-top"})
    void laterDuplicatesWin(String how) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        TestTrees.file(src, "etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644);
        TestTrees.file(src, "f", "first\n", 0644);
        Path tarball = tmp.resolve("rootfs.tar");
        String t = tarball.toString();
        String s = src.toString();
        switch (how) {
            case "append" -> {
                run("tar", "-cf", t, "-C", s, ".");
                Files.writeString(src.resolve("f"), "second, longer\n");
                Files.setAttribute(src.resolve("f"), "unix:mode", 0600);
                run("tar", "-rf", t, "-C", s, "./f");
            }
            case "overlap" -> run("tar", "-cf", t, "-C", s, ".", "./etc");
            case "spellings" -> {
                run("tar", "--no-recursion", "-cf", t, "-C", s, ".", "./f");
                Files.writeString(src.resolve("f"), "plain spelling\n");
                run("tar", "-rf", t, "-C", s, "f", "etc");
            }
            case "replaced-link-target" -> {
                Files.createLink(src.resolve("g"), src.resolve("f"));
                run("tar", "--no-recursion", "-cf", t, "-C", s, ".", "./f", "./g");
                Files.delete(src.resolve("f"));
                Files.writeString(src.resolve("f"), "a new file under the old name\n");
                run("tar", "-rf", t, "-C", s, "./f");
            }
            case "late-top" -> {
                run("tar", "-cf", t, "-C", s, "./etc", "./f");
                Files.setAttribute(src, "unix:mode", 0700);
                Files.getFileAttributeView(src, BasicFileAttributeView.class)
                        .setTimes(FileTime.from(Instant.parse("2020-02-02T00:00:00Z")), null, null);
                run("tar", "--no-recursion", "-rf", t, "-C", s, ".");
            }
            default -> throw new AssertionError(how);
        }
        assertSameAsGnuTar(tarball);
    }

    /** Item 4: sparse files in every form are stored in full. */
    @ParameterizedTest
    @ValueSource(strings = {"gnu", "oldgnu", "pax-0.0", "pax-0.1", "pax-1.0", "bsdtar"})
    void sparseFilesAreStoredInFull(String format) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path sparse = src.resolve("disk.img");
        run("truncate", "-s", "5M", sparse.toString());
        run("sh", "-c", "printf 'middle' | dd of='" + sparse + "' bs=1 seek=2097152 conv=notrunc 2>/dev/null;"
                + " printf 'end' >> '" + sparse + "'");
        run("truncate", "-s", "3M", src.resolve("all-hole").toString());
        // 40 islands of data: more segments than the GNU header holds, so extension blocks follow it
        Path islands = src.resolve("islands");
        run("sh", "-c", "for i in $(seq 0 39); do printf \"island $i\" | dd of='" + islands + "' bs=1"
                + " seek=$((i * 65536)) conv=notrunc 2>/dev/null; done; truncate -s 3M '" + islands + "'");
        TestTrees.file(src, "plain", "not sparse\n", 0644);
        Path tarball = tmp.resolve("rootfs.tar");
        String t = tarball.toString();
        String s = src.toString();
        if (format.equals("bsdtar")) {
            run("bsdtar", "-cf", t, "-C", s, "."); // bsdtar writes sparse entries without being asked
        } else if (format.startsWith("pax")) {
            run("tar", "--format=posix", "--sparse", "--sparse-version=" + format.substring(4), "-cf", t, "-C", s,
                    ".");
        } else {
            run("tar", "--format=" + format, "--sparse", "-cf", t, "-C", s, ".");
        }
        assertThat(Files.size(tarball)).isLessThan(1024 * 1024);

        assertSameAsGnuTar(tarball);
    }

    /** Items 7 and 11: times before 1970 and after 2262, and ids near 2^32, survive the store. */
    @ParameterizedTest
    @ValueSource(strings = {"gnu", "posix", "python-pax", "python-gnu"})
    void oldAndFarFutureTimesAndBigIds(String format) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path old = TestTrees.file(src, "old", "1960\n", 0644);
        Path future = TestTrees.file(src, "future", "2300\n", 0644);
        Path big = TestTrees.file(src, "big-ids", "nobody of the kernel\n", 0644);
        run("touch", "-m", "-d", "1960-06-01T12:00:00Z", old.toString());
        run("touch", "-m", "-d", "2300-01-01T00:00:00Z", future.toString());
        run("chown", "4294967294:4000000000", big.toString());
        Path tarball = tmp.resolve("rootfs.tar");
        switch (format) {
            case "python-pax" -> TarTools.Writer.PYTHON_PAX.archive(src, tarball);
            case "python-gnu" -> TarTools.Writer.PYTHON_GNU.archive(src, tarball);
            default -> run("tar", "--format=" + format, "--numeric-owner", "-cf", tarball.toString(), "-C",
                    src.toString(), ".");
        }
        assertSameAsGnuTar(tarball);
        assertThat(TreeSnapshot.ofWholeSeconds(tmp.resolve("work/exported/rootfs")).get("big-ids"))
                .contains(" 4294967294:4000000000 ");
    }

    /** Item 9: GNU tar strips a leading '/' from member names (tar -P keeps it in the archive). */
    @Test
    void absoluteNamesAreMadeRelative() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        TestTrees.file(src, "etc/hostname", "box\n", 0644);
        Files.createLink(src.resolve("etc/hostname.link"), src.resolve("etc/hostname"));
        Path tarball = tmp.resolve("rootfs.tar");
        run("tar", "-P", "-cf", tarball.toString(), src.resolve("etc").toString());
        assertThat(new String(run("tar", "-tPf", tarball.toString()), StandardCharsets.UTF_8)).startsWith("/");

        assertSameAsGnuTar(tarball);
    }

    /** Items 6 and 12: an uncompressed v7 tar (no magic) and GNU tar's empty archive are tar archives. */
    @Test
    void v7AndEmptyArchivesAreRead() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        TestTrees.file(src, "etc/hostname", "box\n", 0644);
        Path v7 = tmp.resolve("v7.tar");
        TarTools.Writer.GNU_V7.archive(src, v7);
        assertSameAsGnuTar(v7);

        Path empty = tmp.resolve("empty.tar");
        run("tar", "-cf", empty.toString(), "-T", "/dev/null");
        assertThat(Files.readAllBytes(empty)).containsOnly(0);
        TarTools.RoundTrip trip = TarTools.roundTrip(empty, Files.createDirectories(tmp.resolve("work-empty")));
        assertThat(trip.storedSnapshot()).containsOnlyKeys(".");
    }

    /** Item 12: GNU incremental dumps ('D' entries) and Solaris 'X' headers are read as GNU tar reads them. */
    @Test
    void incrementalAndSolarisHeaders() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        TestTrees.file(src, "etc/hostname", "box\n", 0644);
        Path incremental = tmp.resolve("incremental.tar");
        run("tar", "--listed-incremental=" + tmp.resolve("snapshot"), "-cf", incremental.toString(), "-C",
                src.toString(), ".");
        assertThat(new String(run("python3", "-c", "import tarfile, sys\n"
                + "print(''.join(m.type.decode() for m in tarfile.open(sys.argv[1])))", incremental.toString()),
                StandardCharsets.US_ASCII)).contains("D");
        assertSameAsGnuTar(incremental);

        Path solaris = tmp.resolve("solaris.tar");
        run("python3", "-c", "import io, sys, tarfile\n"
                + "records = b'27 mtime=1234567890.000001\\n'\n"
                + "with tarfile.open(sys.argv[1], 'w', format=tarfile.USTAR_FORMAT) as t:\n"
                + "    x = tarfile.TarInfo('./PaxHeaders/f'); x.type = tarfile.SOLARIS_XHDTYPE; x.size = len(records)\n"
                + "    t.addfile(x, io.BytesIO(records))\n"
                + "    f = tarfile.TarInfo('./f'); f.size = 3; f.mtime = 1\n"
                + "    t.addfile(f, io.BytesIO(b'abc'))\n", solaris.toString());
        Path out = tmp.resolve("solaris");
        Files.createDirectories(out);
        TarTools.RoundTrip trip = TarTools.roundTrip(solaris, out);
        assertThat(trip.storedSnapshot().get("f")).contains("mtime=2009-02-13T23:31:30Z");
    }

    /** Item 12: a numeric field that starts with NUL (old writers) is read after the NUL, as GNU tar does. */
    @Test
    void mtimeFieldStartingWithNul() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path f = TestTrees.file(src, "f", "x\n", 0644);
        run("touch", "-m", "-d", "@1500000000", f.toString());
        Path tarball = tmp.resolve("rootfs.tar");
        run("tar", "--format=ustar", "-cf", tarball.toString(), "-C", src.toString(), "./f");
        // no writer at hand does this: shift the octal mtime of the first header right by one NUL, fix the checksum
        run("python3", "-c", "import sys\n"
                + "b = bytearray(open(sys.argv[1], 'rb').read())\n"
                + "b[136:148] = b'\\0' + b[136:147]\n"
                + "b[148:156] = b' ' * 8\n"
                + "b[148:156] = ('%06o\\0 ' % sum(b[:512])).encode()\n"
                + "open(sys.argv[1], 'wb').write(b)\n", tarball.toString());
        assertSameAsGnuTar(tarball);
        assertThat(TreeSnapshot.ofWholeSeconds(tmp.resolve("work/exported/rootfs")).get("f"))
                .contains("mtime=2017-07-14T02:40:00Z");
    }

    /** Refusals that name the entry and the rule (items 2, 10 and 12). */
    @Test
    void latin1NamesAreRefusedWithHowToConvert() throws IOException {
        Path tarball = python("t.addfile(tarfile.TarInfo('./caf\\xe9'))", "format=tarfile.GNU_FORMAT, encoding='latin-1'");
        assertRefused(tarball, "caf", "not valid UTF-8", "convmv");
    }

    @Test
    void writingThroughASymlinkIsRefused() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        TestTrees.symlink(src, "link", "/etc");
        Path tarball = tmp.resolve("rootfs.tar");
        run("tar", "-cf", tarball.toString(), "-C", src.toString(), "./link");
        Path other = Files.createDirectories(tmp.resolve("other"));
        TestTrees.file(other, "link/passwd", "evil\n", 0644);
        run("tar", "-rf", tarball.toString(), "-C", other.toString(), "./link/passwd");
        assertRefused(tarball, "./link/passwd", "parent 'link' is a SYMLINK");
    }

    @Test
    void hardLinkToADirectoryIsRefused() throws IOException {
        Path tarball = python("d = tarfile.TarInfo('./d'); d.type = tarfile.DIRTYPE; t.addfile(d)\n"
                + "    l = tarfile.TarInfo('./l'); l.type = tarfile.LNKTYPE; l.linkname = './d'; t.addfile(l)", "");
        assertRefused(tarball, "./l", "hard link to the directory");
    }

    @Test
    void xattrNameWithNulIsRefused() throws IOException {
        Path tarball = python("f = tarfile.TarInfo('./f'); f.pax_headers = {'SCHILY.xattr.user.a\\x00b': 'v'};"
                + " t.addfile(f)", "format=tarfile.PAX_FORMAT");
        assertRefused(tarball, "./f", "extended attribute 'user.a?b'", "NUL");
    }

    @Test
    void overlongComponentAndNulInPaxPathAreRefused() throws IOException {
        Path tarball = python("t.addfile(tarfile.TarInfo('./' + 'n' * 256))", "format=tarfile.PAX_FORMAT");
        assertRefused(tarball, "n".repeat(256), "256 bytes", "at most 255");
        Path nul = python("f = tarfile.TarInfo('./f'); f.pax_headers = {'path': 'a\\x00b'}; t.addfile(f)",
                "format=tarfile.PAX_FORMAT");
        assertRefused(nul, "a?b", "NUL");
    }

    @Test
    void linkTargetsNoLinkCanHoldAreRefused() throws IOException {
        Path nul = python("l = tarfile.TarInfo('./l'); l.type = tarfile.SYMTYPE; l.linkname = 'a\\x00' + 'b' * 200; t.addfile(l)",
                "format=tarfile.PAX_FORMAT");
        assertRefused(nul, "./l", "link target contains a NUL byte");
        Path empty = python("l = tarfile.TarInfo('./l'); l.type = tarfile.SYMTYPE; t.addfile(l)", "");
        assertRefused(empty, "./l", "symlink target is empty");
    }

    /** The refused compressions are named, with the accepted ones (the tarball made by the real tools). */
    @ParameterizedTest
    @ValueSource(strings = {"zstd -q", "xz --format=lzma"})
    void refusedCompressionsSayWhatIsAccepted(String compressor) throws IOException {
        Path tarball = python("t.addfile(tarfile.TarInfo('./f'))", "");
        Path compressed = tmp.resolve("rootfs.tar.compressed");
        run("sh", "-c", compressor + " -c < '" + tarball + "' > '" + compressed + "'");
        assertRefused(compressed, compressor.startsWith("zstd") ? "compressed with zstd" : "compressed with lzma",
                "accepted are xz", "gzip", "bzip2", "uncompressed tar");
    }

    /** (uid_t)-1 is no owner a file can have: chown(2) reads it as "leave unchanged". */
    @Test
    void idsBeyondWhatAFileCanHaveAreRefused() throws IOException {
        Path tarball = python("f = tarfile.TarInfo('./f'); f.uid = 4294967295; t.addfile(f)",
                "format=tarfile.GNU_FORMAT");
        assertRefused(tarball, "./f", "uid 4294967295 is out of range (0..4294967294");
    }

    @Test
    void dotDotStaysRefused() throws IOException {
        Path tarball = python("t.addfile(tarfile.TarInfo('./a/../../evil'))", "");
        assertRefused(tarball, "./a/../../evil", "'..'");
    }

    /** A tarball written by Python's tarfile: {@code body} runs inside {@code with tarfile.open(...) as t:}. */
    private Path python(String body, String openArguments) throws IOException {
        Path tarball = tmp.resolve("python.tar");
        run("python3", "-c", "import sys, tarfile\n"
                + "with tarfile.open(sys.argv[1], 'w'" + (openArguments.isEmpty() ? "" : ", " + openArguments)
                + ") as t:\n    " + body + "\n", tarball.toString());
        return tarball;
    }

    private void assertRefused(Path tarball, String... messageParts) {
        Path aci = tmp.resolve("refused.aci");
        assertThatThrownBy(() -> BaseImageMaker.fromTarball(tarball, TestTrees.MANIFEST, aci,
                WriterOptions.defaults())).isInstanceOf(AciFormatException.class)
                .hasMessageContainingAll(messageParts);
        assertThat(aci).doesNotExist();
    }
}
