package dev.jetpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, usage errors (exit 2) and config, each in its own jetpack process. */
class CliBasicsTest {
    @TempDir
    Path temp;

    private Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(temp.resolve("store"), temp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fetch", "import", "build", "makeaci", "images", "show-image", "image-manifest",
        "export", "destroy-image", "trust", "untrust", "config"})
    void everyCommandHasHelpWithItsUsageAndTheExitCodes(String command) {
        Cli.Result result = cli.run(command, "--help");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Usage: jetpack " + command).contains("Exit codes: 0 success, 1 the"
                + " operation failed, 2 usage error");
    }

    @Test
    void topLevelHelpListsTheCommands() {
        Cli.Result result = cli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("fetch", "import", "build", "makeaci", "images", "show-image",
                "image-manifest", "export", "destroy-image", "trust", "untrust", "config");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "images -x                                                | Unknown option: '-x'",
        "build -flat -layered base /bin/true                      | mutually exclusive",
        "build base                                               | Missing required parameter: 'COMMAND'",
        "makeaci --timestamp yesterday rootfs.tar m.json out.aci  | 'yesterday' is not a timestamp",
        "--compression zip images                                 | Unknown compression 'zip'",
        "export                                                   | Missing required parameter: 'IMAGE'",
        "trust -root -prefix example.com key.asc                  | -prefix and -root exclude each other",
        "trust -root key.asc                                      | --trust-on-first-use",
        "trust -root -fingerprint ABCD --trust-on-first-use k.asc | exclude each other",
        "untrust                                                  | FINGERPRINT",
        "config no.such.key                                       | Unknown setting 'no.such.key'",
        "no-such-command                                          | no-such-command"})
    void usageErrorsExitWithTwoAndNameTheProblemOnStderr(String arguments, String message) {
        Cli.Result result = cli.run(arguments.trim().split(" +"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(result.stderr()).startsWith("jetpack: ").contains(message.trim())
                .contains("--help' for more information");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void missingCommandIsAUsageError() {
        Cli.Result result = cli.runWithoutStore(null, List.of());

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.stderr()).contains("Missing command");
    }

    @Test
    void configPrintsTheEffectiveSettings() {
        Cli.Result result = cli.run("--compression", "gzip", "config");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines()).contains("store=" + cli.store().toAbsolutePath(), "runtime=auto",
                "compression=gzip");
        assertThat(result.lines()).anySatisfy(line -> assertThat(line).matches("runtime\\.resolved=\\w+"));
        assertThat(result.lines()).anySatisfy(line -> assertThat(line).startsWith("runtime.chroot="));
    }

    @Test
    void configPrintsOneValueForAKeyAndResolvesAForcedRuntime() {
        Cli.Result auto = cli.run("config", "runtime.resolved");
        String resolved = auto.out().strip();
        assertThat(resolved).isNotEmpty();

        Cli.Result forced = cli.run("--runtime", resolved, "config", "runtime.resolved");

        assertThat(forced.exitCode()).isZero();
        assertThat(forced.out()).isEqualTo(resolved + "\n");
    }

    @Test
    void storeComesFromJetpackStoreWhenNotGiven() {
        Path fromEnvironment = temp.resolve("env-store");
        cli.env("JETPACK_STORE", fromEnvironment.toString());

        Cli.Result result = cli.runWithoutStore(null, List.of("config", "store"));

        assertThat(result.out()).isEqualTo(fromEnvironment + "\n");
        assertThat(cli.run("config", "store").out()).as("--store wins over JETPACK_STORE")
                .isEqualTo(cli.store() + "\n");
    }

    @Test
    void globalOptionsWorkAfterTheCommandToo() {
        Cli.Result result = cli.runWithoutStore(null, List.of("config", "--store", temp.resolve("s2").toString(),
                "store"));

        assertThat(result.out()).isEqualTo(temp.resolve("s2") + "\n");
    }
}
