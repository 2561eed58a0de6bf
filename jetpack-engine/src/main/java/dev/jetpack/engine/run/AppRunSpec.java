package dev.jetpack.engine.run;

import dev.jetpack.engine.manifest.AcSyntax;
import dev.jetpack.engine.runtime.OutputSink;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.store.StoredImage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One app to run, as a face (command line, Maven plugin) asks for it: a stored image with an {@code app}, and
 * what the user adds to it. Start with {@link #builder(StoredImage)}.
 *
 * @param image       the image to run; its manifest must have an {@code app}
 * @param volumes     host paths by volume name; each satisfies the image's mount point of the same name
 * @param environment set after the manifest's environment, overriding it
 * @param arguments   appended to the app's {@code exec}
 * @param network     the app's network; {@link RunNetwork#HOST} unless set
 * @param runtime     what runs the app; empty: the settings' runtime
 * @param output      receives the app's and its event handlers' output, line by line
 * @param name        the instance name (an AC Name: lower-case letters, digits and single dashes), used in
 *                    logs and as {@code AC_APP_NAME}; empty: derived from the image name's last component
 */
public record AppRunSpec(StoredImage image, Map<String, Path> volumes, Map<String, String> environment,
                         List<String> arguments, RunNetwork network, Optional<RuntimeChoice> runtime,
                         OutputSink output, Optional<String> name) {

    public AppRunSpec {
        Objects.requireNonNull(image, "image");
        volumes = Collections.unmodifiableMap(new LinkedHashMap<>(volumes));
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(name, "name");
        for (String volume : volumes.keySet()) {
            if (!AcSyntax.isAcName(volume)) {
                throw new RunException("volume name '" + volume + "' is not an AC Name: it must be lower-case letters"
                        + " and digits, words joined by single dashes (as the image's mount point names are)");
            }
        }
        for (String variable : environment.keySet()) {
            if (!AcSyntax.isEnvironmentName(variable)) {
                throw new RunException("environment variable name '" + variable + "' is not allowed: it must start"
                        + " with a letter or '_' and contain only letters, digits, '_', '.' and '-'");
            }
        }
        if (name.isPresent() && !AcSyntax.isAcName(name.get())) {
            throw new RunException("app name '" + name.get() + "' is not an AC Name: use lower-case letters and"
                    + " digits, words joined by single dashes (e.g. my-app)");
        }
    }

    /** Starts a spec that runs {@code image}'s app as its manifest says, with the host network. */
    public static Builder builder(StoredImage image) {
        return new Builder(image);
    }

    public Builder toBuilder() {
        Builder builder = new Builder(image);
        builder.volumes.putAll(volumes);
        builder.environment.putAll(environment);
        builder.arguments = arguments;
        builder.network = network;
        builder.runtime = runtime.orElse(null);
        builder.output = output;
        builder.name = name.orElse(null);
        return builder;
    }

    /** Builds an {@link AppRunSpec}; everything but the image is optional. */
    public static final class Builder {
        private final StoredImage image;
        private final Map<String, Path> volumes = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private List<String> arguments = List.of();
        private RunNetwork network = RunNetwork.HOST;
        private RuntimeChoice runtime;
        private OutputSink output = OutputSink.DISCARD;
        private String name;

        private Builder(StoredImage image) {
            this.image = Objects.requireNonNull(image, "image");
        }

        /** Binds {@code hostPath} (a directory or file that exists) at the mount point called {@code name}. */
        public Builder volume(String name, Path hostPath) {
            volumes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(hostPath, "hostPath"));
            return this;
        }

        public Builder volumes(Map<String, Path> byName) {
            byName.forEach(this::volume);
            return this;
        }

        /** Sets (or overrides) one environment variable of the app. */
        public Builder env(String name, String value) {
            environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder environment(Map<String, String> variables) {
            variables.forEach(this::env);
            return this;
        }

        /** Appended to the app's {@code exec}. */
        public Builder arguments(List<String> appended) {
            this.arguments = new ArrayList<>(appended);
            return this;
        }

        public Builder network(RunNetwork appNetwork) {
            this.network = Objects.requireNonNull(appNetwork, "appNetwork");
            return this;
        }

        public Builder runtime(RuntimeChoice choice) {
            this.runtime = choice;
            return this;
        }

        public Builder output(OutputSink sink) {
            this.output = Objects.requireNonNull(sink, "sink");
            return this;
        }

        public Builder name(String instanceName) {
            this.name = instanceName;
            return this;
        }

        public AppRunSpec build() {
            return new AppRunSpec(image, volumes, environment, arguments, network, Optional.ofNullable(runtime),
                    output, Optional.ofNullable(name));
        }
    }
}
