package io.github.cctv.recorder.endpoint;

import io.github.cctv.protocol.ErrorBody;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Error answers of the API, every one with the system's {@link ErrorBody}. */
final class ApiError {

    private ApiError() {
    }

    /** Thrown by a resource method: the answer {@code status} with {@code message}. */
    static WebApplicationException of(Response.Status status, String message) {
        return new WebApplicationException(message, response(status.getStatusCode(), message).build());
    }

    /** The answer {@code status} with {@code message}, to add headers to. */
    static Response.ResponseBuilder response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(status, message));
    }
}
