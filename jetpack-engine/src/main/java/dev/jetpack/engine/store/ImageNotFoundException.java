package dev.jetpack.engine.store;

/** No stored image matches what was asked for; callers that can fetch catch this and go to the network. */
public class ImageNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ImageNotFoundException(String message) {
        super(message);
    }
}
