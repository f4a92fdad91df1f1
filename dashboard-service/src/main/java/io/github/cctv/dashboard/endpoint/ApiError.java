package io.github.cctv.dashboard.endpoint;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The JSON body of every error answer: {@code {"error": "...", "message": "..."}}. */
public record ApiError(String error, String message) {

    static Response response(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status.getReasonPhrase(), message)).build();
    }
}
