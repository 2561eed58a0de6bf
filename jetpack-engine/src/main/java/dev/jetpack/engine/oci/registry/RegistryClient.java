package dev.jetpack.engine.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.ProxyAuthentication;
import dev.jetpack.engine.fetch.http.StallingBodyHandler;
import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.Digest;
import dev.jetpack.engine.oci.OciFormatException;
import dev.jetpack.engine.oci.OciJson;
import dev.jetpack.engine.oci.OciMediaTypes;
import dev.jetpack.engine.oci.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Speaks the distribution API v2 to one registry with the JDK HttpClient: manifests and blobs for pulls (every
 * document and blob checked against its digest), and the upload steps {@link BlobUploader} and
 * {@link ImagePusher} put together. Authentication is answered as the registry asks
 * ({@link RegistryAuthenticator}); TLS is always verified, and plain HTTP is used only when
 * {@link HttpSettings#allowPlainHttp()} allows it and the registry does not speak TLS (as skopeo's
 * {@code --tls-verify=false} and Jib's {@code allowInsecureRegistries} do). Thread-safe.
 */
public final class RegistryClient {
    /** distribution's own limit for manifests. */
    static final int MAX_MANIFEST_BYTES = 4 << 20;
    /** Configs are small JSON; a huge one is a wrong blob. */
    static final long MAX_CONFIG_BYTES = 64L << 20;
    private static final int MAX_ERROR_BYTES = 64 << 10;
    /** Uploads may take as long as the read timeout plus this many bytes per second of the body, at the slowest. */
    private static final long SLOWEST_UPLOAD_BYTES_PER_SECOND = 64 << 10;
    static final String ACCEPT_MANIFESTS = String.join(", ", OciMediaTypes.MANIFEST, OciMediaTypes.INDEX,
            OciMediaTypes.DOCKER_MANIFEST, OciMediaTypes.DOCKER_MANIFEST_LIST);

    private final RegistryReference registry;
    private final HttpSettings http;
    private final EngineLog log;
    private final HttpClient client;
    private final RegistryAuthenticator authenticator;
    private URI base;

    /**
     * A client for the registry of {@code registry} (its repository and tag do not matter here: every call names
     * its own).
     */
    public RegistryClient(RegistryReference registry, RegistryOptions options, EngineLog log) {
        this(registry, options, log, Clock.systemUTC());
    }

    /** @param clock tells when cached tokens expire (tests pass their own) */
    RegistryClient(RegistryReference registry, RegistryOptions options, EngineLog log, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.http = options.http();
        this.log = Objects.requireNonNull(log, "log");
        this.client = http.newClient();
        this.authenticator = new RegistryAuthenticator(registry, options.credentials(), client, http, log, clock);
    }

    /** The registry as users name it, {@code host[:port]}. */
    public String registry() {
        return registry.registry();
    }

    // ---- pull side -------------------------------------------------------------------------------------------

    /**
     * The manifest or index {@code reference} names (by tag or digest), as served: Accept names the OCI and
     * Docker schema 2 types. Its digest is computed over the bytes and must equal the reference's digest and the
     * registry's {@code Docker-Content-Digest}, else it is refused ({@link OciFormatException}).
     */
    public RegistryManifest fetchManifest(RegistryReference reference) {
        String what = "the manifest of " + reference;
        Request request = new Request("GET", endpoint(reference.repository(), "manifests/"
                + reference.manifestReference()), Scope.pull(reference.repository()), Map.of("Accept",
                ACCEPT_MANIFESTS), null, 0, what);
        HttpResponse<InputStream> response = send(request, new StallingBodyHandler(http.readTimeout()));
        byte[] bytes;
        try (InputStream body = response.body()) {
            check(response, request, 200);
            bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw RegistryException.transientFailure("Reading " + what + " from " + registry() + " broke off: "
                    + e.getMessage() + ". Try again", -1, e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new OciFormatException(what + " is larger than " + MAX_MANIFEST_BYTES + " bytes, the most a"
                    + " registry serves for a manifest: refused");
        }
        Digest pinned = reference.digest().orElse(null);
        MessageDigest md = pinned != null ? pinned.newMessageDigest() : Digest.newSha256();
        md.update(bytes);
        Digest actual = pinned != null ? new Digest(pinned.algorithm(), java.util.HexFormat.of().formatHex(md.digest()))
                : Digest.ofSha256(md);
        if (pinned != null && !pinned.equals(actual)) {
            throw new OciFormatException(what + " from " + registry() + " has the digest " + actual + ", not the "
                    + pinned + " that was asked for: the registry served the wrong or damaged content; refused");
        }
        Optional<String> announced = response.headers().firstValue("Docker-Content-Digest");
        if (announced.isPresent() && announced.get().startsWith(actual.algorithm() + ":")
                && !announced.get().strip().equals(actual.toString())) {
            throw new OciFormatException(what + " from " + registry() + " has the digest " + actual + " but the"
                    + " registry says it is " + announced.get().strip() + " (Docker-Content-Digest): refused");
        }
        String mediaType = mediaType(response, bytes, what);
        return new RegistryManifest(reference.withDigest(actual), new Descriptor(mediaType, actual, bytes.length),
                bytes);
    }

    /**
     * Opens the blob {@code blob} of {@code repository}'s repository for one pass of reading; the stream fails at
     * its end (with {@link OciFormatException}) if the bytes do not have the descriptor's size and digest, and
     * with an {@link IOException} if the registry stalls for longer than the read timeout. Redirects (to a
     * storage back end) are followed without the registry's credentials.
     */
    public InputStream openBlob(RegistryReference repository, Descriptor blob) {
        String what = "blob " + blob.digest() + " (" + blob.mediaType() + ") of " + repository.name();
        URI uri = endpoint(repository.repository(), "blobs/" + blob.digest());
        Request request = new Request("GET", uri, Scope.pull(repository.repository()), Map.of(), null, 0, what);
        HttpResponse<InputStream> response = send(request, new StallingBodyHandler(http.readTimeout()));
        for (int hop = 0; isRedirect(response.statusCode()); hop++) {
            closeQuietly(response.body());
            URI next = redirectTarget(response, what, hop);
            log.debug("Blob " + blob.digest() + " redirected to " + next.getScheme() + "://" + next.getAuthority());
            response = exchange(http.request(next).timeout(http.readTimeout()).GET().build(),
                    new StallingBodyHandler(http.readTimeout()), what);
        }
        try {
            check(response, request, 200);
        } catch (RuntimeException e) {
            closeQuietly(response.body());
            throw e;
        }
        return new VerifyingInputStream(response.body(), blob, what + " from " + registry());
    }

    /** Reads a small blob (a config) whole, checked like {@link #openBlob}. */
    public byte[] readBlob(RegistryReference repository, Descriptor blob) {
        if (blob.size() > MAX_CONFIG_BYTES) {
            throw new OciFormatException("The blob " + blob.digest() + " (" + blob.mediaType() + ") of "
                    + repository.name() + " is " + blob.size() + " bytes: too large to be read whole; refused");
        }
        try (InputStream in = openBlob(repository, blob)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw RegistryException.transientFailure("Reading blob " + blob.digest() + " of " + repository.name()
                    + " broke off: " + e.getMessage() + ". Try again", -1, e);
        }
    }

    /** Whether {@code repository} has the blob {@code digest} (HEAD). */
    public boolean blobExists(RegistryReference repository, Digest digest) {
        return blobExists(repository.repository(), digest, Scope.pull(repository.repository()));
    }

    // ---- push side (the steps BlobUploader and ImagePusher combine) ----------------------------------------

    boolean blobExists(String repository, Digest digest, Scope scope) {
        Request request = new Request("HEAD", endpoint(repository, "blobs/" + digest), scope, Map.of(), null, 0,
                "blob " + digest + " of " + registry() + "/" + repository);
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return false;
        }
        check(response, request, 200);
        return true;
    }

    /** Where an upload goes on: the registry's Location, resolved against the request. */
    sealed interface UploadStart {
        /** A mount succeeded: the registry linked the blob from the other repository, nothing to upload. */
        record Mounted() implements UploadStart {
        }

        record Session(URI location) implements UploadStart {
        }
    }

    /**
     * Starts an upload session (POST); with {@code mountFrom} it first asks to mount the blob from that
     * repository of the same registry (201 done; 202 means the registry did not mount, and the reply is the
     * session to upload to).
     */
    UploadStart startUpload(String repository, Digest digest, Optional<String> mountFrom) {
        String query = mountFrom.map(from -> "?mount=" + digest + "&from=" + from).orElse("");
        Scope scope = mountFrom.map(from -> Scope.push(repository).andPull(from)).orElse(Scope.push(repository));
        Request request = new Request("POST", endpoint(repository, "blobs/uploads/" + query), scope, Map.of(),
                HttpRequest.BodyPublishers::noBody, 0, "an upload of " + digest + " to " + registry() + "/"
                + repository);
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 201 && mountFrom.isPresent()) {
            return new UploadStart.Mounted();
        }
        check(response, request, 202);
        return new UploadStart.Session(location(response, request));
    }

    /**
     * Sends bytes {@code [offset, offset + length)} of a blob (PATCH with an inclusive Content-Range).
     *
     * @return the Location to send the next chunk (or the final PUT) to
     */
    URI uploadChunk(URI location, String repository, Supplier<HttpRequest.BodyPublisher> body, long offset,
            long length, String what) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Content-Range", offset + "-" + (offset + length - 1));
        Request request = new Request("PATCH", location, Scope.push(repository), headers, body, length, what);
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        check(response, request, 202);
        return location(response, request);
    }

    /**
     * Completes an upload (PUT with {@code digest=}), with the blob (monolithic) or the rest of it as body; the
     * registry checks the digest, and its own {@code Docker-Content-Digest} must agree.
     */
    void completeUpload(URI location, String repository, Digest digest, Supplier<HttpRequest.BodyPublisher> body,
            long length, String what) {
        String separator = location.getRawQuery() == null ? "?" : "&";
        URI target = URI.create(location + separator + "digest=" + digest);
        Request request = new Request("PUT", target, Scope.push(repository),
                Map.of("Content-Type", "application/octet-stream"), body, length, what);
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        check(response, request, 201, 204);
        requireDigest(response, digest, what);
    }

    /**
     * Cancels an upload session (DELETE) so that the registry drops what arrived of a failed upload; failures are
     * only logged. (distribution 2.8 refuses the DELETE when the cut transfer left more bytes than the session's
     * {@code _state} says, and keeps them until its own purge of abandoned uploads; no blob exists either way.)
     */
    void cancelUpload(URI location, String repository) {
        Request cancel = new Request("DELETE", location, Scope.push(repository), Map.of(), null, 0,
                "cancelling an upload to " + registry() + "/" + repository);
        try {
            int status = send(cancel, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
            log.debug("Cancelling the upload session " + location.getPath() + ": HTTP " + status);
        } catch (RuntimeException e) {
            log.debug("Could not cancel the upload session " + location.getPath() + " (the registry expires it"
                    + " itself): " + e.getMessage());
        }
    }

    /** Puts {@code bytes} as the manifest {@code reference} names, with its media type; returns its digest. */
    Digest putManifest(RegistryReference reference, String mediaType, byte[] bytes) {
        Digest digest = Digest.sha256(bytes);
        String what = "the manifest " + digest + " as " + reference;
        Request request = new Request("PUT", endpoint(reference.repository(), "manifests/"
                + reference.manifestReference()), Scope.push(reference.repository()),
                Map.of("Content-Type", mediaType), () -> HttpRequest.BodyPublishers.ofByteArray(bytes), bytes.length,
                what);
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        check(response, request, 201, 200, 204);
        requireDigest(response, digest, what);
        return digest;
    }

    // ---- exchanges -----------------------------------------------------------------------------------------

    /**
     * One API request.
     *
     * @param body a new publisher per attempt (a request may be sent again after a 401), or null for none
     */
    record Request(String method, URI uri, Scope scope, Map<String, String> headers,
                   Supplier<HttpRequest.BodyPublisher> body, long bodyLength, String what) {
    }

    /** Sends {@code request}, answering one authentication challenge if the registry makes one. */
    private <T> HttpResponse<T> send(Request request, HttpResponse.BodyHandler<T> handler) {
        Optional<String> authorization = authorizationFor(request);
        HttpResponse<T> response = exchange(build(request, authorization), handler, request.what());
        if (response.statusCode() != 401) {
            return response;
        }
        discard(response);
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse(null);
        if (challenge == null) {
            throw unauthorized(request, 401, "without saying how to authenticate (no WWW-Authenticate)");
        }
        boolean retry = authenticator.challenged(challenge, request.scope(), authorization.isPresent());
        Optional<String> next = authorizationFor(request);
        if (!retry || next.isEmpty()) {
            throw unauthorized(request, 401, "");
        }
        response = exchange(build(request, next), handler, request.what());
        if (response.statusCode() == 401) {
            discard(response);
            throw unauthorized(request, 401, "");
        }
        return response;
    }

    private Optional<String> authorizationFor(Request request) {
        URI base = base();
        // Credentials go only to the registry itself, never to another host a Location points at.
        if (!Objects.equals(request.uri().getAuthority(), base.getAuthority())
                || !Objects.equals(request.uri().getScheme(), base.getScheme())) {
            return Optional.empty();
        }
        return authenticator.authorization(request.scope());
    }

    private HttpRequest build(Request request, Optional<String> authorization) {
        Duration timeout = http.readTimeout().plusSeconds(request.bodyLength() / SLOWEST_UPLOAD_BYTES_PER_SECOND);
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : request.body().get();
        HttpRequest.Builder builder = http.request(request.uri())
                .timeout(timeout)
                .method(request.method(), body);
        request.headers().forEach(builder::header);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder.build();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what) {
        try {
            return client.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw RegistryException.transientFailure("Cannot reach the registry " + registry() + " for " + what
                    + ": no connection within " + http.connectTimeout().toMillis() + " ms. Check the host name, your"
                    + " network and proxy settings (https_proxy, no_proxy)", -1, e);
        } catch (HttpTimeoutException e) {
            throw RegistryException.transientFailure("The registry " + registry() + " did not answer within "
                    + http.readTimeout().toMillis() + " ms for " + what + "; try again later", -1, e);
        } catch (SSLHandshakeException e) {
            throw new RegistryException("The registry " + registry() + " was refused for " + what + ": its TLS"
                    + " certificate was not accepted (" + e.getMessage() + "). Certificates are checked against "
                    + http.tls().description() + " and must match the host name; add a private CA to a Java trust"
                    + " store (javax.net.ssl.trustStore)", -1, e);
        } catch (ConnectException e) {
            throw RegistryException.transientFailure("Cannot connect to the registry " + registry() + " at "
                    + request.uri().getScheme() + "://" + request.uri().getAuthority() + " for " + what + " ("
                    + e.getMessage() + "). Check that it runs, the host and port, and proxy settings", -1, e);
        } catch (IOException e) {
            throw RegistryException.transientFailure("The connection to the registry " + registry() + " failed"
                    + " during " + what + ": " + e + ". Try again; if it keeps happening, the registry or a proxy"
                    + " is cutting the transfer", -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("Interrupted during " + what, e);
        }
    }

    /**
     * The API root: https, or with plain HTTP allowed, http when the registry does not speak TLS. Found once, by
     * {@code GET /v2/} (the API version check), whose 401 also tells how to authenticate.
     */
    private synchronized URI base() {
        if (base != null) {
            return base;
        }
        URI https = URI.create("https://" + registry.apiHost() + "/");
        try {
            ping(https);
            base = https;
        } catch (RegistryException e) {
            boolean noTls = e.getCause() instanceof SSLException && !(e.getCause() instanceof SSLHandshakeException
                    && e.getCause().getMessage() != null && e.getCause().getMessage().contains("certificat"));
            if (noTls && !http.allowPlainHttp()) {
                throw new RegistryException("The registry " + registry() + " does not speak TLS at https://"
                        + registry.apiHost() + " (" + e.getCause().getMessage() + "). jetpack uses https with"
                        + " verified certificates; for a registry that serves plain HTTP (e.g. a local test"
                        + " registry), allow plain HTTP explicitly, accepting that the traffic can be read and"
                        + " altered", -1, e);
            }
            if (!http.allowPlainHttp() || !(noTls || e.getCause() instanceof ConnectException)) {
                throw e;
            }
            URI plain = URI.create("http://" + registry.apiHost() + "/");
            log.warn("The registry " + registry() + " is used over plain HTTP (allowed by option): what is pushed"
                    + " and pulled, and any credentials, can be read and altered in transit");
            ping(plain);
            base = plain;
        }
        return base;
    }

    private void ping(URI root) {
        URI uri = root.resolve("/v2/");
        HttpResponse<byte[]> response = exchange(http.request(uri).timeout(http.readTimeout()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray(),
                "the API version check (GET /v2/)");
        int status = response.statusCode();
        if (status == 401) {
            response.headers().firstValue("WWW-Authenticate")
                    .ifPresent(challenge -> authenticator.challenged(challenge, Scope.pull(""), false));
        } else if (status == 407) {
            throw proxyRefused(uri);
        } else if (status != 200) {
            throw new RegistryException(root.getScheme() + "://" + root.getAuthority() + " answered HTTP " + status
                    + " to GET /v2/: it is not a registry speaking the distribution API v2. Check the host and"
                    + " port of " + registry(), status, null);
        }
    }

    private URI endpoint(String repository, String suffix) {
        return base().resolve("/v2/" + repository + "/" + suffix);
    }

    private URI location(HttpResponse<?> response, Request request) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new RegistryException(
                "The registry " + registry() + " answered " + request.what() + " with HTTP "
                        + response.statusCode() + " but no Location to continue at; the registry is misbehaving",
                response.statusCode(), null));
        try {
            return request.uri().resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw new RegistryException("The registry " + registry() + " gave an invalid Location '" + location
                    + "' for " + request.what(), response.statusCode(), e);
        }
    }

    private URI redirectTarget(HttpResponse<?> response, String what, int hop) {
        if (hop >= http.maxRedirects()) {
            throw new RegistryException("Too many redirects for " + what + " from " + registry() + ": gave up after "
                    + http.maxRedirects(), response.statusCode(), null);
        }
        String location = response.headers().firstValue("Location").orElseThrow(() -> new RegistryException(
                "The registry " + registry() + " redirected " + what + " without a Location", response.statusCode(),
                null));
        URI next = response.uri().resolve(location.strip());
        if ("https".equals(response.uri().getScheme()) && !"https".equalsIgnoreCase(next.getScheme())
                && !http.allowPlainHttp()) {
            throw new RegistryException("The registry " + registry() + " redirects " + what + " to plain HTTP ("
                    + next.getScheme() + "://" + next.getAuthority() + "): refused, because the content could be"
                    + " altered in transit", response.statusCode(), null);
        }
        return next;
    }

    private static void requireDigest(HttpResponse<?> response, Digest expected, String what) {
        Optional<String> announced = response.headers().firstValue("Docker-Content-Digest");
        if (announced.isPresent() && !announced.get().strip().equals(expected.toString())) {
            throw new OciFormatException("The registry stored " + what + " as " + announced.get().strip()
                    + ", not " + expected + " (Docker-Content-Digest): what arrived is not what was sent; the"
                    + " push is not trustworthy");
        }
    }

    /** Throws, with the registry's own error codes and a hint, unless the status is one of {@code expected}. */
    private void check(HttpResponse<?> response, Request request, int... expected) {
        int status = response.statusCode();
        for (int ok : expected) {
            if (status == ok) {
                return;
            }
        }
        if (status == 407) {
            throw proxyRefused(response.uri());
        }
        String errors = errorText(response);
        if (status == 401 || status == 403) {
            throw unauthorized(request, status, errors);
        }
        String message = "The registry " + registry() + " answered HTTP " + status + " to " + request.method()
                + " for " + request.what() + (errors.isEmpty() ? "" : " (" + errors + ")") + ". ";
        if (status == 404) {
            throw new RegistryException(message + "Not found: check the repository, tag or digest", status, null);
        }
        if (status >= 500 || status == 429) {
            throw RegistryException.transientFailure(message + "A server-side failure: try again later", status,
                    null);
        }
        throw new RegistryException(message + "Expected HTTP " + expected[0], status, null);
    }

    private RegistryException proxyRefused(URI uri) {
        return new RegistryException(ProxyAuthentication.refused(http.proxyFor(uri), uri) + " (registry "
                + registry() + ")", 407, null);
    }

    private RegistryException unauthorized(Request request, int status, String detail) {
        String who = authenticator.describeCredentials();
        String hint = authenticator.hasCredentials()
                ? "Check the user name and password, and that the user may " + (request.scope().toString()
                .contains("push") ? "push to" : "pull from") + " this repository"
                : "Log in (skopeo login, podman login or docker login write these files) or give credentials";
        return new RegistryException("The registry " + registry() + " refused " + request.what() + " (HTTP "
                + status + (detail.isEmpty() ? "" : ", " + detail) + ") with " + who + ". " + hint, status, null);
    }

    /** The registry's {@code {"errors":[{"code","message"}]}} as "CODE: message; ...", or "". */
    private static String errorText(HttpResponse<?> response) {
        byte[] body;
        Object raw = response.body();
        if (raw instanceof byte[] bytes) {
            body = bytes;
        } else if (raw instanceof InputStream in) {
            try (in) {
                body = in.readNBytes(MAX_ERROR_BYTES);
            } catch (IOException e) {
                return "";
            }
        } else {
            return "";
        }
        if (body.length == 0) {
            return "";
        }
        try {
            JsonNode root = new ObjectMapper().readTree(body);
            List<String> parts = new ArrayList<>();
            for (JsonNode error : root.path("errors")) {
                parts.add(error.path("code").asText("?") + ": " + error.path("message").asText(""));
            }
            if (!parts.isEmpty()) {
                return String.join("; ", parts);
            }
        } catch (IOException e) {
            // not JSON: show the start of the text below
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        return text.replaceAll("\\s+", " ");
    }

    private static String mediaType(HttpResponse<?> response, byte[] bytes, String what) {
        String header = response.headers().firstValue("Content-Type").map(type -> type.split(";", 2)[0].strip()
                .toLowerCase(Locale.ROOT)).orElse("");
        if (OciMediaTypes.MANIFESTS.contains(header) || OciMediaTypes.INDEXES.contains(header)) {
            return header;
        }
        String declared = OciJson.mediaTypeOf(bytes, what);
        if (declared != null) {
            return declared;
        }
        throw new OciFormatException(what + " has no media type the registry or the document names (Content-Type "
                + (header.isEmpty() ? "missing" : header) + ", no mediaType field): it is not an OCI or Docker"
                + " schema 2 manifest");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream in) {
            closeQuietly(in);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing was kept from it
        }
    }
}
