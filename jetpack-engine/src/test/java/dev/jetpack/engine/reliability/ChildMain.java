package dev.jetpack.engine.reliability;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.testing.StdoutLog;
import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.ImageBuild;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.store.StoredImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A separate JVM for the tests that kill or race whole processes (as Maven would be killed or run twice):
 * <ul>
 * <li>{@code build STORE RUNTIME PARENT COMMAND} builds PARENT (a stored image or a URL fetched first) with
 * {@code sh -c COMMAND} through the facade; the command's output is printed as it comes;</li>
 * <li>{@code fetch STORE URL} fetches an image (plain HTTP allowed: the test server is on loopback);</li>
 * <li>{@code write ROOTFS OUTPUT} writes an xz ACI of ROOTFS.</li>
 * </ul>
 * Every log line is printed with its level; the last line is {@code DONE <image id>}.
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) {
        EngineLog log = new StdoutLog();
        switch (args[0]) {
            case "build" -> {
                Jetpack jetpack = jetpack(args[1], args[2], log);
                String parent = args[3];
                if (parent.startsWith("http")) {
                    parent = fetch(jetpack, parent).id().value();
                }
                ImageBuild built = jetpack.buildImage(ImageBuildSpec.derivative(jetpack.find(parent))
                        .command(List.of("/bin/sh", "-c", args[4]))
                        .commandOutput((stream, line) -> System.out.println("OUT " + line)).build());
                System.out.println("DONE " + built.id());
            }
            case "fetch" -> System.out.println("DONE " + fetch(jetpack(args[1], "chroot", log), args[2]).id());
            case "write" -> {
                AciWriter.Result result = AciWriter.write("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
                        .concat("\"name\":\"example.com/big\"}").getBytes(StandardCharsets.UTF_8), Path.of(args[1]),
                        Path.of(args[2]), WriterOptions.builder().compression(Compression.XZ).level(9).build());
                System.out.println("DONE " + result.id());
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
    }

    static Jetpack jetpack(String store, String runtime, EngineLog log) {
        return new Jetpack(JetpackSettings.builder().storeLocation(Path.of(store))
                .runtime(RuntimeChoice.parse(runtime)).compression(Compression.GZIP).build(), log,
                ProgressListener.NONE);
    }

    static StoredImage fetch(Jetpack jetpack, String url) {
        return jetpack.fetch(url, FetchOptions.builder().http(HttpSettings.builder()
                .allowPlainHttp(true).build()).build());
    }
}
