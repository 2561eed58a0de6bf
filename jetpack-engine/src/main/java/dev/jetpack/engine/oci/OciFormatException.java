package dev.jetpack.engine.oci;

import dev.jetpack.engine.JetpackException;

/** An OCI document, layout or archive that breaks the image-spec; the message names it and the rule. */
public class OciFormatException extends JetpackException {
    public OciFormatException(String message) {
        super(message);
    }

    public OciFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
