package dev.jetpack.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token server for {@link TestRegistry#token}, as distribution's token auth expects one: {@code GET /token
 * ?service=...&scope=...} answers {@code {"token": JWT, "expires_in": N}}, the JWT signed RS256 with an RSA key
 * whose self-signed certificate ({@code openssl req -x509}, made per test) is in its {@code x5c} header and is the
 * registry's root bundle. The one user given gets every action it asks for; anyone else (also anonymous) gets a
 * token with no access, as public token servers answer; wrong credentials get 401.
 */
public final class TestTokenServer implements AutoCloseable {
    public static final String ISSUER = "jetpack-test-issuer";

    private final HttpServer server;
    private final Path certificateFile;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final String user;
    private final String password;
    private final long expiresIn;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private TestTokenServer(Path directory, String user, String password, long expiresIn) throws Exception {
        Files.createDirectories(directory);
        this.certificateFile = directory.resolve("token.crt");
        Path keyFile = directory.resolve("token.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", keyFile.toString(), "-out", certificateFile.toString(), "-days", "2",
                "-subj", "/CN=jetpack test token issuer").redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (openssl.waitFor() != 0) {
            throw new IllegalStateException("openssl failed: " + output);
        }
        this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(keyFile)));
        this.certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificateFile)));
        this.user = user;
        this.password = password;
        this.expiresIn = expiresIn;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    /** A token server for one user; tokens live {@code expiresIn} seconds (0: say nothing, the 60 s default). */
    public static TestTokenServer start(Path directory, String user, String password, long expiresIn) {
        try {
            return new TestTokenServer(directory, user, password, expiresIn);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the token server (needs openssl): " + e, e);
        }
    }

    public URI realm() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    public String service() {
        return "jetpack-test-registry";
    }

    public Path certificateFile() {
        return certificateFile;
    }

    /** Each token request's query, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            boolean authenticated = false;
            if (authorization != null) {
                String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8));
                if (!authorization.equals(expected)) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                authenticated = true;
            }
            List<Map<String, Object>> access = new ArrayList<>();
            if (authenticated) {
                for (String scope : parameters(query, "scope")) {
                    String[] parts = scope.split(":");
                    if (parts.length == 3) {
                        access.add(Map.of("type", parts[0], "name", parts[1], "actions", List.of(parts[2].split(","))));
                    }
                }
            }
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("token", jwt(authenticated ? user : "", access));
            if (expiresIn > 0) {
                reply.put("expires_in", expiresIn);
            }
            byte[] body = new ObjectMapper().writeValueAsBytes(reply);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (Exception e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private String jwt(String subject, List<Map<String, Object>> access) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificate.getEncoded())));
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("aud", service());
        claims.put("exp", now + (expiresIn > 0 ? expiresIn : 60));
        claims.put("nbf", now - 10);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signed = url.encodeToString(json.writeValueAsBytes(header)) + "."
                + url.encodeToString(json.writeValueAsBytes(claims));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + url.encodeToString(rs256.sign());
    }

    private static List<String> parameters(String query, String name) {
        List<String> values = new ArrayList<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).equals(name)) {
                    values.add(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static byte[] pemBody(Path file) throws IOException {
        String text = Files.readString(file);
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
