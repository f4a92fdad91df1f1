package io.github.cctv.dashboard.endpoint;

import io.github.cctv.protocol.ErrorBody;
import io.github.cctv.protocol.event.Events;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;

/** Error answers, from REST resources and from Vert.x routes alike, every one with the system's {@link ErrorBody}. */
final class ApiError {

    private ApiError() {
    }

    static Response response(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(status.getStatusCode(), message)).build();
    }

    /** The body of an error answer, for a Vert.x route that sets its own status. */
    static io.vertx.core.buffer.Buffer json(int status, String message) {
        return io.vertx.core.buffer.Buffer.buffer(Events.write(ErrorBody.of(status, message)));
    }

    /** Ends a Vert.x route with {@code status} and {@code message}. */
    static void end(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(new String(Events.write(ErrorBody.of(status, message)), StandardCharsets.UTF_8));
    }
}
