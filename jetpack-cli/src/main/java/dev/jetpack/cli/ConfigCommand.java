package dev.jetpack.cli;

import dev.jetpack.engine.Configuration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jetpack config [KEY]}: the effective settings as KEY=VALUE lines, or one value. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the effective settings as KEY=VALUE lines, or only the value of KEY.",
            "Keys: store, runtime (as asked), runtime.resolved (what a build would use; empty when none works),"
                + " compression, and runtime.NAME for each known runtime (available, or why not)."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class ConfigCommand extends JetpackSubcommand {
    @Parameters(arity = "0..1", paramLabel = "KEY", description = "Print only this setting's value.")
    String key;

    @Override
    public Integer call() {
        Configuration config = jetpack().config();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("store", config.storeLocation().toString());
        values.put("runtime", config.runtimeSetting());
        values.put("runtime.resolved", config.resolvedRuntime().orElse(""));
        values.put("compression", config.compression().configName());
        for (Configuration.RuntimeStatus runtime : config.runtimes()) {
            values.put("runtime." + runtime.name(), runtime.unavailableReason()
                    .map(reason -> "unavailable: " + reason.replace('\n', ' ')).orElse("available"));
        }
        config.runtimeProblem().ifPresent(problem -> terminal().warn(problem));
        if (key != null) {
            String value = values.get(key);
            if (value == null) {
                throw usage("Unknown setting '" + key + "': the settings are " + String.join(", ", values.keySet())
                        + ".");
            }
            terminal().result(value);
            return ExitCode.OK;
        }
        values.forEach((name, value) -> terminal().result(name + "=" + value));
        return ExitCode.OK;
    }
}
