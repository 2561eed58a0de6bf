package dev.jetpack.engine.oci.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where registry credentials come from, first match wins, as skopeo and Jib read them:
 * <ol>
 * <li>explicit credentials (the command line's {@code --credentials-file}, the plugin's configuration);</li>
 * <li>Maven {@code settings.xml} servers whose id is the registry, {@code host:port} then {@code host} (the plugin
 * passes them, decrypted);</li>
 * <li>{@code $REGISTRY_AUTH_FILE};</li>
 * <li>containers' {@code auth.json}: {@code $XDG_RUNTIME_DIR/containers/auth.json}, then
 * {@code ~/.config/containers/auth.json};</li>
 * <li>docker's {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}, with {@code credHelpers}
 * and {@code credsStore} run as {@code docker-credential-NAME get}.</li>
 * </ol>
 * Immutable; the environment and home directory are given (tests pass their own), {@link #fromSystem()} takes
 * the process's.
 */
public final class CredentialStore {
    /** Credentials and the source they were found in, e.g. "/root/.docker/config.json". */
    public record Found(Credentials credentials, String source) {
    }

    private final Optional<Found> explicit;
    private final Optional<Map<String, Credentials>> mavenServers;
    private final Map<String, String> environment;
    private final Path home;
    private final Optional<String> explicitHint;

    private CredentialStore(Builder builder) {
        this.explicitHint = builder.explicitHint;
        this.explicit = builder.explicit;
        this.mavenServers = builder.mavenServers;
        this.environment = Map.copyOf(builder.environment);
        this.home = builder.home;
    }

    /** The process's environment and {@code user.home}; no explicit credentials, no Maven servers. */
    public static CredentialStore fromSystem() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder().environment(environment).home(home);
        builder.explicit = explicit;
        builder.mavenServers = mavenServers;
        builder.explicitHint = explicitHint;
        return builder;
    }

    /** The credentials for {@code reference}'s registry (and repository), from the first source that has some. */
    public Optional<Found> lookup(RegistryReference reference) {
        if (explicit.isPresent()) {
            return explicit;
        }
        if (mavenServers.isPresent()) {
            for (String id : serverIds(reference)) {
                Credentials server = mavenServers.get().get(id);
                if (server != null) {
                    return Optional.of(new Found(server, "the Maven settings.xml <server> with id " + id));
                }
            }
        }
        for (AuthFile file : authFiles()) {
            Optional<Credentials> found = file.lookup(reference);
            if (found.isPresent()) {
                return Optional.of(new Found(found.get(), file.file().toString()));
            }
        }
        return Optional.empty();
    }

    /** Every place credentials are read from for {@code reference}, in order, for an "access denied" message. */
    public String describeSources(RegistryReference reference) {
        List<String> sources = new ArrayList<>();
        explicit.ifPresent(found -> sources.add(found.source()));
        if (explicit.isEmpty()) {
            sources.add("explicit credentials (none given" + explicitHint.map(hint -> "; " + hint).orElse("") + ")");
        }
        mavenServers.ifPresent(servers -> sources.add("a Maven settings.xml <server> with id "
                + String.join(" or ", serverIds(reference))));
        String registryAuthFile = environment.get("REGISTRY_AUTH_FILE");
        sources.add(registryAuthFile == null || registryAuthFile.isEmpty() ? "$REGISTRY_AUTH_FILE (not set)"
                : "$REGISTRY_AUTH_FILE (" + registryAuthFile + ")");
        for (AuthFile file : authFiles()) {
            if (registryAuthFile == null || !file.file().toString().equals(registryAuthFile)) {
                sources.add(file.file().toString() + (java.nio.file.Files.exists(file.file()) ? "" : " (absent)"));
            }
        }
        return String.join("; ", sources);
    }

    /** {@code host:port} and {@code host}; for Docker Hub also the keys docker uses. */
    private static List<String> serverIds(RegistryReference reference) {
        List<String> ids = new ArrayList<>();
        ids.add(reference.registry());
        int colon = reference.registry().lastIndexOf(':');
        if (colon > 0 && !reference.registry().endsWith("]")) {
            ids.add(reference.registry().substring(0, colon));
        }
        for (String key : reference.credentialKeys()) {
            if (!ids.contains(key) && !key.contains("://")) {
                ids.add(key);
            }
        }
        return ids;
    }

    private List<AuthFile> authFiles() {
        String path = environment.getOrDefault("PATH", "");
        List<AuthFile> files = new ArrayList<>();
        String registryAuthFile = environment.get("REGISTRY_AUTH_FILE");
        if (registryAuthFile != null && !registryAuthFile.isEmpty()) {
            files.add(new AuthFile(Path.of(registryAuthFile), path));
        }
        String runtimeDir = environment.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isEmpty()) {
            files.add(new AuthFile(Path.of(runtimeDir, "containers", "auth.json"), path));
        }
        files.add(new AuthFile(home.resolve(".config/containers/auth.json"), path));
        String dockerConfig = environment.get("DOCKER_CONFIG");
        files.add(new AuthFile(dockerConfig != null && !dockerConfig.isEmpty()
                ? Path.of(dockerConfig, "config.json") : home.resolve(".docker/config.json"), path));
        return files;
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private Optional<Found> explicit = Optional.empty();
        private Optional<Map<String, Credentials>> mavenServers = Optional.empty();
        private Map<String, String> environment = System.getenv();
        private Path home = Path.of(System.getProperty("user.home", "/"));
        private Optional<String> explicitHint = Optional.empty();

        private Builder() {
        }

        /** How the face gives explicit credentials, for messages, e.g. "give them with --credentials-file FILE". */
        public Builder explicitHint(String value) {
            this.explicitHint = Optional.of(value);
            return this;
        }

        /**
         * Credentials to use whatever the files say.
         *
         * @param source names where they came from, for messages, e.g. "--credentials-file /run/secrets/reg"
         */
        public Builder explicit(Credentials credentials, String source) {
            this.explicit = Optional.of(new Found(Objects.requireNonNull(credentials, "credentials"),
                    Objects.requireNonNull(source, "source")));
            return this;
        }

        /** Maven's settings.xml servers by id, passwords decrypted (the plugin's). */
        public Builder mavenServers(Map<String, Credentials> servers) {
            this.mavenServers = Optional.of(Map.copyOf(new LinkedHashMap<>(servers)));
            return this;
        }

        public Builder environment(Map<String, String> value) {
            this.environment = Objects.requireNonNull(value, "environment");
            return this;
        }

        public Builder home(Path value) {
            this.home = Objects.requireNonNull(value, "home");
            return this;
        }

        public CredentialStore build() {
            return new CredentialStore(this);
        }
    }
}
