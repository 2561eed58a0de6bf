package dev.jetpack.engine.testing;

import dev.jetpack.engine.EngineLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An EngineLog that keeps every message, prefixed by its level, so tests can assert what the user is told. */
public final class RecordingLog implements EngineLog {
    private final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void debug(String message) {
        messages.add("DEBUG " + message);
    }

    @Override
    public void info(String message) {
        messages.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        messages.add("WARN " + message);
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    public List<String> warnings() {
        return messages.stream().filter(m -> m.startsWith("WARN ")).toList();
    }
}
