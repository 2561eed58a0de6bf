package dev.jetpack.engine.ready;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.runtime.OutputSink;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ready once a line of the app's output (stdout or stderr) contains a match of the regular expression. It is an
 * {@link OutputSink}: give it the app's output from the start, so that a line written before the wait began
 * still counts.
 */
public final class LogReady implements ReadyCondition, OutputSink {
    private final Pattern pattern;
    private volatile boolean matched;

    private LogReady(Pattern pattern) {
        this.pattern = pattern;
    }

    /** @throws JetpackException unless {@code regex} is a valid Java regular expression */
    public static LogReady parse(String regex) {
        if (regex == null || regex.isEmpty()) {
            throw new JetpackException("The log wait is empty: give a regular expression that a line of the app's"
                    + " output contains once it is ready, e.g. 'Started .* in'");
        }
        try {
            return new LogReady(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new JetpackException("The log wait '" + regex + "' is not a valid regular expression: "
                    + e.getDescription() + " at index " + e.getIndex() + "; write a Java regular expression");
        }
    }

    @Override
    public void line(Stream stream, String line) {
        if (!matched && pattern.matcher(line).find()) {
            matched = true;
        }
    }

    @Override
    public boolean isMet() {
        return matched;
    }

    @Override
    public String describe() {
        return "log /" + pattern.pattern() + "/";
    }
}
