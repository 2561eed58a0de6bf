package dev.jetpack.cli;

import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.FetchPolicy;
import dev.jetpack.engine.fetch.http.HttpSettings;
import picocli.CommandLine.Option;

/** The network and verification options that fetch and import share (a picocli mixin). */
final class FetchFlags {
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

    FetchOptions options(Terminal terminal) {
        if (allowHttp) {
            terminal.warn("--allow-http: plain-HTTP downloads are allowed; they can be altered in transit");
        }
        if (insecureSkipVerify) {
            terminal.warn("--insecure-skip-verify: discovered images are accepted without a valid signature");
        }
        return FetchOptions.builder().http(HttpSettings.builder().allowPlainHttp(allowHttp).build())
                .insecureSkipSignature(insecureSkipVerify).offline(offline)
                .policy(refresh ? FetchPolicy.REFRESH : FetchPolicy.PREFER_STORE).build();
    }
}
