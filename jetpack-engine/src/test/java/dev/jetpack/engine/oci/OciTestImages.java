package dev.jetpack.engine.oci;

import static dev.jetpack.engine.testing.TestTrees.directory;
import static dev.jetpack.engine.testing.TestTrees.file;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A store holding a chain of three real images for the export tests: a flat busybox base, a layered middle image
 * that replaces a file and deletes a file and a directory of the base (by pathWhitelist, as Jetpack's layered
 * builds do), and a layered app on top that turns a file of the middle image into a directory and carries an app
 * with everything appc has (user by /path, environment, working directory, port, mount point, event handler,
 * isolator, supplementary GIDs).
 */
final class OciTestImages {
    /** What the app prints: its user, working directory, environment and arguments. */
    static final String RUN_SCRIPT = "#!/bin/sh\necho \"user=$(id -u):$(id -g) pwd=$(pwd) greeting=$GREETING"
            + " app=$AC_APP_NAME motd=$(cat /etc/motd) args=$*\"\n";
    static final String EXPECTED_OUTPUT = "user=1000:1001 pwd=/app greeting=hello app=app motd=mid motd args=";

    final ImageStore store;
    final StoredImage base;
    final StoredImage middle;
    final StoredImage app;

    OciTestImages(Path work, EngineLog log) throws IOException {
        TestImages images = new TestImages(Files.createDirectories(work.resolve("acis")));
        store = ImageStore.open(work.resolve("store"), log);
        base = store.importAci(images.write(labelled("example.com/base"), rootfs -> {
            HostRootfs.busybox(rootfs);
            file(rootfs, "etc/motd", "base motd", 0644);
            file(rootfs, "etc/removed-later", "gone in the middle image", 0600);
            file(rootfs, "var/cache/junk/a", "a", 0644);
            file(rootfs, "opt/tool", "a file that becomes a directory", 0755);
            directory(rootfs, "home/app", 0750);
            Files.setAttribute(rootfs.resolve("home/app"), "unix:uid", 1000);
            Files.setAttribute(rootfs.resolve("home/app"), "unix:gid", 1001);
        }).file(), ImportOptions.defaults());

        Path middleOwn = Files.createDirectories(work.resolve("middle-own"));
        file(middleOwn, "etc/motd", "mid motd", 0644);
        file(middleOwn, "usr/share/middle", "added by the middle image", 0644);
        List<String> whitelist = new ArrayList<>(paths(base.rootfs(), Set.of("/etc/removed-later", "/var/cache/junk")));
        whitelist.addAll(paths(middleOwn, Set.of()));
        ImageManifest middleManifest = labelled("example.com/middle")
                .withDependencies(List.of(TestImages.dependency("example.com/base", base.id())))
                .withPathWhitelist(whitelist.stream().distinct().sorted().toList());
        middle = store.importAci(images.write(middleManifest, rootfs -> copy(middleOwn, rootfs)).file(),
                ImportOptions.defaults());

        String appManifest = """
                {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/app",
                 "labels":[{"name":"version","value":"1.2.3"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"},
                           {"name":"channel","value":"stable"}],
                 "app":{"exec":["/bin/sh","/app/run.sh"],"user":"/home/app","group":"/home/app",
                        "supplementaryGIDs":[20,30],
                        "eventHandlers":[{"name":"pre-start","exec":["/bin/true"]}],
                        "workingDirectory":"/app",
                        "environment":[{"name":"GREETING","value":"hello"}],
                        "isolators":[{"name":"resource/memory","value":{"limit":"1G"}}],
                        "mountPoints":[{"name":"data","path":"/data","readOnly":true}],
                        "ports":[{"name":"http","protocol":"tcp","port":8080,"count":2}]},
                 "annotations":[{"name":"authors","value":"Jetpack Tests"},{"name":"created","value":"2026-01-02T03:04:05+01:00"},
                                {"name":"homepage","value":"https://example.com/app"}],
                 "dependencies":[{"imageName":"example.com/middle","imageID":"%s"}]}
                """.formatted(middle.id().value());
        app = store.importAci(images.write(ManifestCodec.read(appManifest.getBytes(StandardCharsets.UTF_8)), rootfs -> {
            file(rootfs, "app/run.sh", RUN_SCRIPT, 0755);
            file(rootfs, "opt/tool/readme", "now a directory", 0644);
            directory(rootfs, "data", 0755);
        }).file(), ImportOptions.defaults());
    }

    private static ImageManifest labelled(String name) {
        return TestImages.manifest(name, "version", "1.0", "os", "linux", "arch", "amd64");
    }

    /** Every path of {@code tree} as "/a/b", leaving out {@code without} and what is below them. */
    static List<String> paths(Path tree, Set<String> without) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            return walk.filter(path -> !path.equals(tree)).map(path -> "/" + tree.relativize(path))
                    .filter(path -> without.stream().noneMatch(gone -> path.equals(gone) || path.startsWith(gone + "/")))
                    .toList();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        HostCommand.check(List.of("cp", "-a", from + "/.", to.toString()));
    }
}
