package dev.jetpack.cli;

import dev.jetpack.engine.fetch.trust.TrustedKey;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jetpack untrust FINGERPRINT ...}: removes trusted keys. */
@Command(name = "untrust", mixinStandardHelpOptions = true,
        description = {"Remove trusted keys by fingerprint, from every prefix they were trusted for.",
            "Prints FINGERPRINT and PREFIX (* for root) per removed key; a fingerprint that no trusted key has is a"
                + " failure (exit code 1)."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class UntrustCommand extends JetpackSubcommand {
    @Parameters(arity = "1..*", paramLabel = "FINGERPRINT", description = "Fingerprint as 'jetpack trust' lists"
            + " it (spaces and case do not matter).")
    List<String> fingerprints;

    @Override
    public Integer call() {
        for (String fingerprint : fingerprints) {
            for (TrustedKey key : jetpack().untrust(fingerprint)) {
                terminal().result(key.fingerprint() + "  " + (key.scope().isRoot() ? "*" : key.scope().prefix()));
            }
        }
        return ExitCode.OK;
    }
}
