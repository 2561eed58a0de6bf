package dev.jetpack.maven;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;

/**
 * Why Maven could not get an image from its repositories, in the user's terms: for each repository that failed
 * other than by not having the image, which one (id and URL), what it answered, and what to fix: a 401 or 403
 * points at the {@code <server>} of that id in settings.xml, an unreachable host at the URL or the server. Maven's
 * resolver reports these as transfer errors of either of its transports (wagon in 3.8, the native HTTP client in
 * 3.9), whose exception types are not part of its API: the kind is read from the cause chain's types and
 * messages.
 */
final class RepositoryFailures {
    private static final Pattern DENIED = Pattern.compile("\\b(401|403)\\b|unauthori[sz]ed|forbidden"
            + "|authentication failed|not authorized", Pattern.CASE_INSENSITIVE);

    /** What went wrong with one repository: which one, Maven's words, and the advice. */
    record Failure(RemoteRepository repository, String reason, String advice) {
        String describe() {
            return "repository '" + repository.getId() + "' (" + repository.getUrl() + ") " + reason + ": " + advice;
        }
    }

    private RepositoryFailures() {
    }

    /** The repositories that failed other than by not having the artifact; empty when the image is just missing. */
    static List<Failure> of(ArtifactResolutionException e) {
        Set<Failure> failures = new LinkedHashSet<>();
        for (ArtifactResult result : e.getResults()) {
            for (Exception exception : result.getExceptions()) {
                if (exception instanceof ArtifactTransferException transfer
                        && !(exception instanceof ArtifactNotFoundException) && transfer.getRepository() != null) {
                    failures.add(classify(transfer));
                }
            }
        }
        return new ArrayList<>(failures);
    }

    private static Failure classify(ArtifactTransferException transfer) {
        RemoteRepository repository = transfer.getRepository();
        String answer = deepestMessage(transfer);
        if (denied(transfer)) {
            return new Failure(repository, "refused access (" + answer + ")", "check the <server> with id '"
                    + repository.getId() + "' in settings.xml: its username and password (an encrypted password"
                    + " needs the settings-security.xml it was encrypted with)");
        }
        if (unreachable(transfer)) {
            return new Failure(repository, "could not be reached (" + answer + ")", "check the repository's URL"
                    + " and that its server is up; with -o, Maven uses only images already in the local repository");
        }
        return new Failure(repository, "failed (" + answer + ")", "check the repository's URL and server");
    }

    private static boolean denied(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String type = cause.getClass().getSimpleName();
            if (type.equals("AuthenticationException") || type.equals("AuthorizationException")
                    || (cause.getMessage() != null && DENIED.matcher(cause.getMessage()).find())) {
                return true;
            }
        }
        return false;
    }

    private static boolean unreachable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException
                    || cause.getClass().getSimpleName().equals("HttpHostConnectException")
                    || (cause.getMessage() != null
                    && cause.getMessage().toLowerCase(Locale.ROOT).contains("connection refused"))) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause's message: the server's or the network's own words, without Maven's wrapping. */
    private static String deepestMessage(Throwable error) {
        String message = error.getMessage();
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage();
            }
        }
        return message == null ? error.getClass().getSimpleName() : message;
    }
}
