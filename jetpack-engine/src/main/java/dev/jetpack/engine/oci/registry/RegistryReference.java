package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.oci.Digest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image in a registry, {@code HOST[:PORT]/REPOSITORY[:TAG][@DIGEST]}, parsed once by the rules docker, skopeo
 * and Jib share: the first path component is the registry only if it has a dot or a port or is
 * {@code localhost}, otherwise the image is on Docker Hub ({@code docker.io}), where one-component names get
 * {@code library/}; without tag and digest the tag is {@code latest}. A {@code docker://} prefix (skopeo's
 * transport name) is accepted and dropped. A reference that breaks the rules is a {@link RegistryException}.
 *
 * @param registry   the registry as users name it and as credentials are keyed: {@code host[:port]},
 *                   {@code docker.io} for Docker Hub
 * @param repository the repository path, lowercase, e.g. {@code team/app}
 * @param tag        the tag, if any (a digest reference may have none)
 * @param digest     the manifest digest, if pinned
 */
public record RegistryReference(String registry, String repository, Optional<String> tag, Optional<Digest> digest) {
    /** Docker Hub's name in references and credential files; its API lives on {@link #DOCKER_HUB_API}. */
    public static final String DOCKER_HUB = "docker.io";
    public static final String DOCKER_HUB_API = "registry-1.docker.io";
    /** The key Docker Hub credentials have in docker's config.json. */
    public static final String DOCKER_HUB_CREDENTIALS_KEY = "https://index.docker.io/v1/";
    public static final String DEFAULT_TAG = "latest";

    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final String FORM = "HOST[:PORT]/REPOSITORY[:TAG][@sha256:HEX], e.g. 127.0.0.1:5000/team/app:1.0";

    public RegistryReference {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(digest, "digest");
        if (!HOST.matcher(registry).matches()) {
            throw invalid(registry + "/" + repository, "the registry '" + registry + "' is not a host name or"
                    + " address with an optional port");
        }
        for (String component : repository.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(registry + "/" + repository, "the repository component '" + component + "' is not"
                        + " allowed: components are lowercase letters and digits, separated by '.', '_', '__' or '-'");
            }
        }
        tag.ifPresent(t -> {
            if (!TAG.matcher(t).matches()) {
                throw invalid(registry + "/" + repository + ":" + t, "the tag '" + t + "' is not allowed: up to"
                        + " 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'");
            }
        });
        if (tag.isEmpty() && digest.isEmpty()) {
            throw invalid(registry + "/" + repository, "it has neither a tag nor a digest");
        }
    }

    /** Parses {@code text}; see the class comment for the rules. */
    public static RegistryReference parse(String text) {
        Objects.requireNonNull(text, "reference");
        String rest = text.trim();
        if (rest.startsWith("docker://")) {
            rest = rest.substring("docker://".length());
        }
        if (rest.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        Optional<Digest> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Optional.of(Digest.parse(rest.substring(at + 1)));
            } catch (IllegalArgumentException e) {
                throw invalid(text, e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = Optional.of(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        String repository = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first.toLowerCase(Locale.ROOT);
                repository = rest.substring(slash + 1);
            }
        }
        if (registry.equals("index.docker.io") || registry.equals(DOCKER_HUB_API)) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = Optional.of(DEFAULT_TAG);
        }
        try {
            return new RegistryReference(registry, repository, tag, digest);
        } catch (RegistryException e) {
            throw new RegistryException(e.getMessage().replace("'" + registry + "/" + repository, "'" + text), e);
        }
    }

    /** The host[:port] the distribution API is spoken to. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
    }

    /**
     * The keys credential files may file this registry's credentials under, most specific first: for Docker
     * Hub also the keys docker itself writes.
     */
    public List<String> credentialKeys() {
        if (registry.equals(DOCKER_HUB)) {
            return List.of(DOCKER_HUB, DOCKER_HUB_CREDENTIALS_KEY, "index.docker.io", DOCKER_HUB_API);
        }
        return List.of(registry, "https://" + registry, "http://" + registry);
    }

    /** What the manifest URL names: the digest when pinned, else the tag. */
    public String manifestReference() {
        return digest.map(Digest::toString).orElseGet(tag::get);
    }

    public RegistryReference withDigest(Digest pinned) {
        return new RegistryReference(registry, repository, tag, Optional.of(pinned));
    }

    /** The same registry, another repository (a mount source); the tag is {@link #DEFAULT_TAG}. */
    public RegistryReference inRepository(String otherRepository) {
        return new RegistryReference(registry, otherRepository, Optional.of(DEFAULT_TAG), Optional.empty());
    }

    /** {@code registry/repository}, the image without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    @Override
    public String toString() {
        return name() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }

    private static RegistryException invalid(String text, String why) {
        return new RegistryException("Image reference '" + text + "' is invalid: " + why + ". Expected "
                + FORM);
    }
}
