package dev.jetpack.cli;

import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.trust.KeyAcceptance;
import dev.jetpack.engine.fetch.trust.TrustScope;
import dev.jetpack.engine.fetch.trust.TrustedKey;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetpack trust [-prefix PREFIX] [-root] [-fingerprint FP] [LOCATION ...]}: signing keys. */
@Command(name = "trust", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trust image signing keys, or list the trusted keys (no LOCATION).",
            "With -prefix or -root, each LOCATION is a public key file or URL. Without them, each LOCATION is a"
                + " name prefix whose discovery page publishes its keys (ac-discovery-pubkeys).",
            "A key is trusted only with -fingerprint (the fingerprint the publisher gave you) or"
                + " --trust-on-first-use. A key that is rejected (wrong fingerprint, revoked, unreadable) is a"
                + " failure: exit code 1, nothing trusted.",
            "The list has the columns PREFIX (* for root keys), FINGERPRINT, IDENTITY."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class TrustCommand extends JetpackSubcommand {
    @Option(names = {"-prefix", "--prefix"}, paramLabel = "PREFIX", description = "Trust the keys for images"
            + " named PREFIX or PREFIX/... (whole path segments).")
    String prefix;

    @Option(names = {"-root", "--root"}, description = "Trust the keys for every image.")
    boolean root;

    @Option(names = {"-fingerprint", "--fingerprint"}, paramLabel = "FP", description = "Accept only the key with"
            + " this fingerprint.")
    String fingerprint;

    @Option(names = {"--trust-on-first-use", "-trust-on-first-use"}, description = "Accept the keys offered"
            + " without a fingerprint check (a warning names each).")
    boolean trustOnFirstUse;

    @Option(names = {"--allow-http", "-allow-http"}, description = "Allow plain-HTTP key URLs and discovery"
            + " pages (insecure).")
    boolean allowHttp;

    @Parameters(arity = "0..*", paramLabel = "LOCATION", description = "Key file or URL (with -prefix or -root),"
            + " else a name prefix.")
    List<String> locations = new ArrayList<>();

    @Override
    public Integer call() {
        if (locations.isEmpty()) {
            if (prefix != null || root || fingerprint != null || trustOnFirstUse) {
                throw usage("Nothing to trust: give the key file or URL (with -prefix or -root) or a name prefix.");
            }
            list();
            return ExitCode.OK;
        }
        if (prefix != null && root) {
            throw usage("-prefix and -root exclude each other: a key is trusted either for one prefix or for all"
                    + " images.");
        }
        if ((fingerprint == null) == !trustOnFirstUse) {
            throw usage(fingerprint == null
                    ? "Give the key's fingerprint with -fingerprint FP (from the publisher), or opt into"
                            + " --trust-on-first-use explicitly."
                    : "-fingerprint and --trust-on-first-use exclude each other.");
        }
        KeyAcceptance acceptance = fingerprint != null ? new KeyAcceptance.ExpectedFingerprint(fingerprint)
                : new KeyAcceptance.TrustOnFirstUse();
        if (allowHttp) {
            terminal().warn("--allow-http: keys fetched over plain HTTP can be replaced in transit");
        }
        FetchOptions options = FetchOptions.builder()
                .http(HttpSettings.builder().allowPlainHttp(allowHttp).build()).build();
        for (String location : locations) {
            List<TrustedKey> added = prefix == null && !root
                    ? jetpack().trustFromDiscovery(location, acceptance, options)
                    : jetpack().trust(root ? TrustScope.root() : TrustScope.prefix(prefix), location, acceptance,
                            options);
            added.forEach(key -> terminal().result(key.fingerprint()));
        }
        return ExitCode.OK;
    }

    private void list() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("PREFIX", "FINGERPRINT", "IDENTITY"));
        for (TrustedKey key : jetpack().trustedKeys()) {
            rows.add(List.of(key.scope().isRoot() ? "*" : key.scope().prefix(), key.fingerprint(),
                    String.join("; ", key.userIds())));
        }
        Table.print(rows, terminal());
    }
}
