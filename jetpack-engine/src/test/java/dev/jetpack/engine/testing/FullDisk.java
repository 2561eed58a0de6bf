package dev.jetpack.engine.testing;

import java.io.IOException;
import java.io.OutputStream;

/** An output stream whose every write fails as a full disk's would: for tests of how a failure downstream is reported. */
public final class FullDisk extends OutputStream {
    /** The message of every failure. */
    public static final String MESSAGE = "disk full";

    @Override
    public void write(int b) throws IOException {
        throw new IOException(MESSAGE);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException(MESSAGE);
    }
}
