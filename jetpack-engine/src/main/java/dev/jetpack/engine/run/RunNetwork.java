package dev.jetpack.engine.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The network an app runs with. rkt's default was a private network with a NAT'd address; this engine has no
 * network set-up of its own, so the default is {@link #HOST}, the closest to what users of rkt expect: the app
 * reaches the network, and its listening ports are reachable on the host's addresses.
 */
public enum RunNetwork {
    /** The host's network namespace, with the host's {@code /etc/resolv.conf} bound read-only. */
    HOST,
    /** A fresh network namespace with only loopback. */
    NONE;

    /**
     * The network named {@code text} ({@code host} or {@code none}, case-insensitive).
     *
     * @throws RunException for any other name, listing the accepted ones
     */
    public static RunNetwork parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(network -> network.displayName().equals(wanted)).findFirst()
                .orElseThrow(() -> new RunException("unknown network '" + text + "': choose one of "
                        + Arrays.stream(values()).map(RunNetwork::displayName).collect(Collectors.joining(", "))));
    }

    /** The name users write: {@code host} or {@code none}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return displayName();
    }
}
