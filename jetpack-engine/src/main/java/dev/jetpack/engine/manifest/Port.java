package dev.jetpack.engine.manifest;

/**
 * One entry of {@code app.ports}: a port or a contiguous range of ports the app listens on.
 *
 * @param name            an AC Name, e.g. {@code http}; {@code null} when the JSON omitted it
 * @param protocol        e.g. {@code tcp}; {@code null} when the JSON omitted it
 * @param port            the (first) port number; {@code null} when the JSON omitted it
 * @param count           the size of the range; {@code null} when omitted, which means 1
 * @param socketActivated whether the app expects socket activation on these ports
 */
public record Port(String name, String protocol, Integer port, Integer count, boolean socketActivated) {
    /** The number of ports in the range, with the spec's default of 1 when {@code count} is absent. */
    public int effectiveCount() {
        return count == null ? 1 : count;
    }
}
