package dev.jetpack.maven;

/**
 * A plugin parameter (or a project property the plugin reads) has a value the plugin cannot use.
 *
 * <p>Thrown by the translators, which know nothing of mojos; the mojos turn it into a
 * {@link org.apache.maven.plugin.MojoFailureException} ("the project is wrong"), never an execution exception.
 * The message names the parameter, the value and what is accepted.
 */
public class ConfigurationException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
