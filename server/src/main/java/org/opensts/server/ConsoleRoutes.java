package org.opensts.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Optional;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sts.RequestMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's routes beside the Query API on the node's port (docs/console-api.md): its static files under
 * {@code /console}, the federation endpoint ({@code /federation}, {@code POST /console/session}) and its JSON APIs.
 * Every answer carries the console's security headers ({@link ConsoleAnswer#toResponse}).
 */
final class ConsoleRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);
    static final String CONSOLE = "/console";

    private final ConsoleAssets assets;
    private final FederationEndpoint federation;
    private final Optional<ConsoleApi> api;

    ConsoleRoutes(ConsoleAssets assets, FederationEndpoint federation, Optional<ConsoleApi> api) {
        this.assets = assets;
        this.federation = federation;
        this.api = api;
    }

    /** Whether {@code path} is one of the console's, to be answered by {@link #answer}. */
    boolean handles(String path) {
        return path.equals(CONSOLE) || path.startsWith(CONSOLE + "/") || path.equals(FederationEndpoint.PATH)
                || api.isPresent() && ConsoleApi.handles(path);
    }

    /**
     * Answers a request for one of the console's paths; never throws. A call whose audit event cannot be recorded is
     * answered 503 {@code ServiceUnavailable}, as the Query APIs answer it.
     */
    ConsoleAnswer answer(SignableRequest request, RequestMetadata metadata) {
        try {
            return route(request, metadata);
        } catch (AuditUnavailableException e) {
            return ConsoleAnswer.error(ErrorCode.SERVICE_UNAVAILABLE.httpStatus(), ErrorCode.SERVICE_UNAVAILABLE.code(),
                    QueryDispatcher.AUDIT_UNAVAILABLE_MESSAGE);
        } catch (StoreException.UnavailableException e) {
            ApiException unavailable = StoreUnavailable.answer(e, metadata.requestId());
            return ConsoleAnswer.error(unavailable.errorCode().httpStatus(), unavailable.errorCode().code(),
                    unavailable.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Console request {} failed", metadata.requestId(), e);
            return ConsoleAnswer.error(500, "InternalFailure", QueryDispatcher.INTERNAL_FAILURE_MESSAGE);
        }
    }

    /**
     * Answers a request for one of the console's paths that the node refused before reading it (a body over the
     * node's limit, {@code error}) in the console's JSON error shape; a call of one of its APIs is audited as those
     * APIs audit their own refusals. Never throws.
     */
    ConsoleAnswer refuse(String path, ApiException error, RequestMetadata metadata) {
        try {
            if (api.isPresent() && ConsoleApi.handles(path)) {
                return api.get().refuse(path, error, metadata);
            }
            return ConsoleAnswer.error(error.errorCode().httpStatus(), error.errorCode().code(), error.getMessage());
        } catch (AuditUnavailableException e) {
            return ConsoleAnswer.error(ErrorCode.SERVICE_UNAVAILABLE.httpStatus(), ErrorCode.SERVICE_UNAVAILABLE.code(),
                    QueryDispatcher.AUDIT_UNAVAILABLE_MESSAGE);
        }
    }

    private ConsoleAnswer route(SignableRequest request, RequestMetadata metadata) {
        String path = request.path();
        String method = request.method();
        if (api.isPresent() && ConsoleApi.handles(path)) {
            return method.equals("POST") ? api.get().handle(request, metadata) : notAllowed("POST");
        }
        if (path.equals(FederationEndpoint.PATH)) {
            return method.equals("GET") || method.equals("POST") ? federation.federation(request, metadata)
                    : notAllowed("GET, POST");
        }
        if (path.equals(FederationEndpoint.SESSION_PATH)) {
            return method.equals("POST") ? federation.session(request, metadata) : notAllowed("POST");
        }
        // HEAD answers as GET does, headers and Content-Length included; the HTTP codec leaves out the body
        // (RFC 9110 §9.3.2).
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return notAllowed("GET, HEAD");
        }
        if (path.equals(CONSOLE)) {
            // The page's relative links resolve against the directory.
            return new ConsoleAnswer(302, "", new byte[0], java.util.List.of(java.util.Map.entry(
                    HttpHeaderNames.LOCATION.toString(), CONSOLE + "/"
                            + (request.query().isEmpty() ? "" : "?" + request.query()))));
        }
        return assets.get(path.substring(CONSOLE.length() + 1),
                request.firstHeader(HttpHeaderNames.IF_NONE_MATCH.toString()));
    }

    private static ConsoleAnswer notAllowed(String allow) {
        return ConsoleAnswer.error(405, "MethodNotAllowed", "Use " + allow.replace(", ", " or ") + " here.")
                .with(HttpHeaderNames.ALLOW.toString(), allow);
    }
}
