package dev.bulklinks.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP responses: every error leaves the service in the
 * contract's envelope, and no stack trace ever reaches a caller.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return respond(e.error());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return respond(JsonProblems.badRequest(e, "").error());
    }

    /** Declared on its own to take precedence over Quarkus's built-in mapper for this type. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        JsonProcessingException unreadable = Causes.find(e.getCause(), JsonProcessingException.class);
        if (unreadable != null) {
            // A body Quarkus failed to read: say where and why, not just "Bad Request".
            return json(unreadable);
        }
        int status = e.getResponse().getStatus();
        String message = switch (status) {
            case 404 -> "No such resource. The API is described at /q/openapi.";
            case 405 -> "Method not allowed here" + allowed(e) + ".";
            case 406 -> "The Accept header names no type this resource answers: application/json, or"
                    + " application/x-ndjson for the .ndjson resources.";
            case 415 -> unsupported(e);
            default -> e.getMessage();
        };
        if (status >= 500) {
            return internal(e);
        }
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Envelope.error(new ApiError(status, message, null)));
        if (e instanceof NotAllowedException) {
            response.header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (ClosedConnection.causedBy(e)) {
            LOG.infof("Request abandoned: %s", ClosedConnection.ERROR.message());
            return respond(ClosedConnection.ERROR);
        }
        ApiException api = Causes.find(e, ApiException.class);
        if (api != null) {
            return respond(api.error());
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                ApiError error = Database.describe(sql);
                if (error != null) {
                    // One line per refused request, without a stack trace: an overload or an outage
                    // is the operator's to see, not a bug of the service.
                    if (Database.isPoolExhausted(sql)) {
                        LOG.warn("Answered 503: every database connection was in use for"
                                + " quarkus.datasource.jdbc.acquisition-timeout (the pool holds"
                                + " quarkus.datasource.jdbc.max-size)");
                    } else if (error.code() == 503) {
                        LOG.warnf("Answered 503, SQLSTATE %s: %s", sql.getSQLState(), sql.getMessage());
                    } else {
                        // Most likely the request's fault, but a bug of the service's own SQL reads the same.
                        LOG.infof("Answered %d for SQLSTATE %s: %s", error.code(), sql.getSQLState(), sql.getMessage());
                    }
                    return respond(error);
                }
            }
        }
        return internal(e);
    }

    private static Response internal(Throwable e) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error, reference %s", reference);
        return respond(new ApiError(500, "Internal error; quote reference " + reference + " when reporting it.", null));
    }

    static Response respond(ApiError error) {
        Response.ResponseBuilder response = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON).entity(Envelope.error(error));
        if (error.code() == 503) {
            response.header(HttpHeaders.RETRY_AFTER, "5");
        }
        if (error.code() == 408) {
            // The rest of the body never came: the connection cannot carry another request.
            response.header("Connection", "close");
        }
        if (error.code() == 429) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(error.info().getOrDefault("retryAfter", 1)));
        }
        if (error.code() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"bulk-links\"");
        }
        return response.build();
    }

    /**
     * Answers {@code error} in the envelope from a Vert.x route that runs before any resource
     * ({@link RequestGate}, the socket.io route), and closes the connection: the request's body, if any, is left unread.
     */
    public static void respond(RoutingContext context, ApiError error, ObjectMapper json) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Envelope.error(error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An error envelope is always writable", e);
        }
        context.response().setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
                .putHeader("Connection", "close")
                .end(Buffer.buffer(body));
    }

    private static String allowed(WebApplicationException e) {
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        return allow == null ? "" : "; use " + allow;
    }

    private static String unsupported(WebApplicationException e) {
        return e instanceof NotSupportedException
                ? "Unsupported Content-Type; send application/json (bulk link submissions also take application/x-ndjson)."
                : e.getMessage();
    }
}
