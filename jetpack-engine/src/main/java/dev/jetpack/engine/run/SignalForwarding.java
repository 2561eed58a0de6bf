package dev.jetpack.engine.run;

import dev.jetpack.engine.runtime.ProcessSignal;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * While a foreground app runs, SIGINT and SIGTERM to this JVM go to the app instead of shutting the JVM down:
 * the app decides how to end, its post-stop handler still runs, and its exit code becomes this process's. The
 * JDK offers no public API for signal handlers; {@code sun.misc.Signal} (module jdk.unsupported) is the one
 * every JDK since 1.2 keeps. The previous handlers are restored on {@link #close()}.
 */
final class SignalForwarding implements AutoCloseable {
    private static final ProcessSignal[] FORWARDED = {ProcessSignal.INT, ProcessSignal.TERM};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private SignalForwarding() {
    }

    static SignalForwarding to(AppRun app) {
        SignalForwarding forwarding = new SignalForwarding();
        for (ProcessSignal signal : FORWARDED) {
            Signal jvmSignal = new Signal(signal.name());
            try {
                forwarding.previous.put(jvmSignal, Signal.handle(jvmSignal, received -> app.signal(signal)));
            } catch (IllegalArgumentException e) {
                // The JVM keeps this signal (-Xrs): it then shuts down as usual, and the shutdown hooks stop the app.
            }
        }
        return forwarding;
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
