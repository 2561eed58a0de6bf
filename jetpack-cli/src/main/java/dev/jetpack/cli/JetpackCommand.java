package dev.jetpack.cli;

/** Entry point of the {@code jetpack} command; the commands arrive with the command-line issue. */
public final class JetpackCommand {
    private JetpackCommand() {
    }

    public static void main(String[] args) {
        System.err.println("jetpack: no commands yet");
        System.exit(2);
    }
}
