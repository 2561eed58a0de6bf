package dev.jetpack.engine.runtime;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which container runtime runs build commands and apps, as a user chooses it ({@code --runtime}, the plugin's
 * {@code runtime}): {@link #AUTO} lets {@link Runtimes#select} take the first that works on this host.
 */
public enum RuntimeChoice {
    AUTO, CRUN, RUNC, BWRAP, CHROOT;

    /**
     * The choice named {@code text}, case-insensitive; {@code bubblewrap} is {@link #BWRAP}, null or blank is
     * {@link #AUTO}.
     *
     * @throws ContainerException for any other name, listing the accepted ones
     */
    public static RuntimeChoice parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (wanted.isEmpty()) {
            return AUTO;
        }
        if (wanted.equals("bubblewrap")) {
            return BWRAP;
        }
        return Arrays.stream(values()).filter(choice -> choice.displayName().equals(wanted)).findFirst()
                .orElseThrow(() -> new ContainerException("unknown container runtime '" + text + "': choose one of "
                        + Arrays.stream(values()).map(RuntimeChoice::displayName).collect(Collectors.joining(", "))
                        + " (or bubblewrap)"));
    }

    /** The name users write: {@code auto}, {@code crun}, ... */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return displayName();
    }
}
