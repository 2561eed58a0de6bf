package dev.jetpack.cli;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.DevicePolicy;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.build.stage.StageCacheOptions;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.FetchPolicy;
import dev.jetpack.engine.fetch.http.HttpSettings;
import picocli.CommandLine.Option;

/**
 * The network, verification and unpacking options of the commands that get images into the store (fetch,
 * import, run), as a picocli mixin.
 */
final class FetchFlags {
    /** How these options are spelled, for the engine's messages about a refused image. */
    static final ReaderOptions.SettingNames SETTING_NAMES = new ReaderOptions.SettingNames("--devices {}",
            "--max-image-size {}", "--max-expansion-ratio {}");

    @Option(names = {"--allow-http", "-allow-http"}, description = "Allow plain-HTTP URLs, discovery pages and"
            + " downloads (insecure: anyone on the path can change the image; a warning is printed).")
    boolean allowHttp;

    @Option(names = {"--insecure-skip-verify", "-insecure-skip-verify"}, description = "Accept discovered"
            + " images without a valid signature (insecure; a warning is printed).")
    boolean insecureSkipVerify;

    @Option(names = {"--offline"}, description = "Use only the store; download nothing.")
    boolean offline;

    @Option(names = {"--refresh"}, description = "For names and docker:// references: ask the network even when"
            + " the store has a matching image (an unchanged image is not downloaded again).")
    boolean refresh;

    @Option(names = {"--devices", "-devices"}, paramLabel = "POLICY", description = "Device nodes an image may"
            + " bring into the store: standard (the default: null, zero, full, random, urandom, tty, console, ptmx),"
            + " all (for images you made or trust, e.g. a local file from makeaci) or none.")
    String devices;

    @Option(names = {"--max-image-size", "-max-image-size"}, paramLabel = "SIZE", description = "The largest"
            + " uncompressed image accepted: bytes, or with K, M, G, T (default 256G).")
    String maxImageSize;

    @Option(names = {"--max-expansion-ratio", "-max-expansion-ratio"}, paramLabel = "N", description = "The largest"
            + " ratio of uncompressed to compressed size accepted, checked after the first 64M (default 1000);"
            + " raise it for an image with large files of zeros.")
    Long maxExpansionRatio;

    FetchOptions options(Terminal terminal) {
        if (allowHttp) {
            terminal.warn("--allow-http: plain-HTTP downloads are allowed; they can be altered in transit");
        }
        if (insecureSkipVerify) {
            terminal.warn("--insecure-skip-verify: discovered images are accepted without a valid signature");
        }
        return FetchOptions.builder().http(HttpSettings.builder().allowPlainHttp(allowHttp).build())
                .insecureSkipSignature(insecureSkipVerify).offline(offline)
                .policy(refresh ? FetchPolicy.REFRESH : FetchPolicy.PREFER_STORE)
                .readerOptions(readerOptions()).build();
    }

    /** The untrusted defaults, with what the user set. */
    private ReaderOptions readerOptions() {
        ReaderOptions.Builder options = ReaderOptions.untrusted().toBuilder().settingNames(SETTING_NAMES);
        if (devices != null) {
            options.devices(DevicePolicy.parse(devices, "--devices"));
        }
        if (maxImageSize != null) {
            options.maxUncompressedBytes(StageCacheOptions.parseSize(maxImageSize, "--max-image-size"));
        }
        if (maxExpansionRatio != null) {
            options.maxExpansionRatio(maxExpansionRatio);
        }
        try {
            return options.build();
        } catch (IllegalArgumentException e) {
            throw new JetpackException("Invalid --max-image-size or --max-expansion-ratio: "
                    + e.getMessage());
        }
    }
}
