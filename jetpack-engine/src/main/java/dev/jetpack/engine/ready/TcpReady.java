package dev.jetpack.engine.ready;

import dev.jetpack.engine.JetpackException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

/** Ready once a TCP connection to the port (on 127.0.0.1 unless a host is given) is accepted. */
public final class TcpReady implements ReadyCondition {
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    private final String host;
    private final int port;
    private volatile String lastAttempt;

    private TcpReady(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * {@code PORT} or {@code HOST:PORT}.
     *
     * @throws JetpackException unless the port is a number from 1 to 65535
     */
    public static TcpReady parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int colon = trimmed.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : trimmed.substring(0, colon);
        String portText = colon < 0 ? trimmed : trimmed.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535 || host.isEmpty()) {
            throw new JetpackException("The tcp wait '" + text + "' is not a port: write a number from 1 to 65535"
                    + " (the app's port on 127.0.0.1) or HOST:PORT");
        }
        return new TcpReady(host, port);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean isMet() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            lastAttempt = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return false;
        }
    }

    @Override
    public String describe() {
        return "tcp " + host + ":" + port;
    }

    @Override
    public Optional<String> lastAttempt() {
        return Optional.ofNullable(lastAttempt);
    }
}
