package dev.jetpack.engine.testing;

import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Images with an {@code app}, like Jetpack's {@code example.showenv}: a busybox rootfs whose app prints who,
 * where and with what it runs as {@code key=value} lines, reads its {@code data} volume and writes to it, and
 * whose event handlers say when they run.
 */
public final class AppImages {
    /** What the showenv app runs: one line per fact, then the volume's input, then a file written to it. */
    public static final String SHOWENV_SCRIPT = String.join("; ",
            "echo uid=$(id -u) gid=$(id -g)",
            "echo groups=$(id -G)",
            "echo user=$(id -un)",
            "echo app=$AC_APP_NAME",
            "echo path=$PATH",
            "echo greeting=$GREETING",
            "echo overridden=$OVERRIDDEN",
            "echo home=$HOME",
            "echo cwd=$(pwd)",
            "echo args=\"$*\"",
            "echo input=$(cat /data/in.txt)",
            "echo written-by-app > /data/out.txt",
            "echo scratch=$(ls -A /scratch | wc -l)",
            "if touch /config/new 2>/dev/null; then echo config=writable; else echo config=read-only; fi",
            "exit ${EXIT_CODE:-0}");

    private final TestImages images;

    public AppImages(Path workDir) {
        this.images = new TestImages(workDir);
    }

    /**
     * The showenv image: user, group and supplementary gids as given (names from its /etc/passwd and
     * /etc/group: {@code app} is 1000:1000, group {@code extra} 2000), working directory {@code /work}, manifest
     * variables GREETING=hello and OVERRIDDEN=manifest, mount points {@code data} (writable), {@code config}
     * (read-only) and {@code scratch}, and pre-start/post-stop handlers that print their names.
     */
    public TestImages.Aci showenv(String user, String group, long... supplementaryGids) throws IOException {
        StringBuilder gids = new StringBuilder();
        for (long gid : supplementaryGids) {
            gids.append(gids.length() == 0 ? "" : ", ").append(gid);
        }
        return withApp("example.com/showenv", "{\"exec\": [\"/bin/sh\", \"-c\", " + json(SHOWENV_SCRIPT)
                + ", \"showenv\"], \"user\": " + json(user) + ", \"group\": " + json(group)
                + ", \"supplementaryGIDs\": [" + gids + "], \"workingDirectory\": \"/work\","
                + " \"environment\": [{\"name\": \"GREETING\", \"value\": \"hello\"},"
                + " {\"name\": \"OVERRIDDEN\", \"value\": \"manifest\"}],"
                + " \"eventHandlers\": [{\"name\": \"pre-start\", \"exec\": [\"/bin/sh\", \"-c\","
                + " \"echo pre-start uid=$(id -u) cwd=$(pwd); echo pre-start > /work/pre-start.ran\"]},"
                + " {\"name\": \"post-stop\", \"exec\": [\"/bin/sh\", \"-c\", \"echo post-stop; cat /work/pre-start.ran\"]}],"
                + " \"mountPoints\": [{\"name\": \"data\", \"path\": \"/data\"},"
                + " {\"name\": \"config\", \"path\": \"/config\", \"readOnly\": true},"
                + " {\"name\": \"scratch\", \"path\": \"/scratch\"}]}");
    }

    /** A busybox image whose manifest's {@code app} is {@code appJson} (null: no app). */
    public TestImages.Aci withApp(String name, String appJson) throws IOException {
        String manifest = "{\"acKind\": \"ImageManifest\", \"acVersion\": \"0.8.11\", \"name\": " + json(name)
                + ", \"labels\": [{\"name\": \"os\", \"value\": \"linux\"}]"
                + (appJson == null ? "" : ", \"app\": " + appJson) + "}";
        ImageManifest parsed = ManifestCodec.read(manifest.getBytes(StandardCharsets.UTF_8), "the test's manifest");
        TestImages.Aci aci = images.write(parsed, AppImages::busyboxTree);
        // The ACI has the tree; its absolute applet links would only make JUnit's temp dir cleanup warn.
        FileTrees.deleteRecursively(aci.file().resolveSibling("rootfs"));
        return aci;
    }

    /** A busybox rootfs with an {@code app} user (1000), groups {@code app} (1000) and {@code extra} (2000), /work. */
    public static void busyboxTree(Path rootfs) throws IOException {
        HostRootfs.busybox(rootfs);
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "app:x:1000:1000:app:/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\napp:x:1000:\nextra:x:2000:app\n");
        Files.createDirectories(rootfs.resolve("work"));
        Files.createDirectories(rootfs.resolve("home/app"));
        Files.setAttribute(rootfs.resolve("work"), "unix:uid", 1000);
        Files.setAttribute(rootfs.resolve("work"), "unix:gid", 1000);
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
