package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.domain.cameras.CameraControl.IngestUnavailableException;
import io.github.cctv.dashboard.domain.cameras.RecordingControl.RecorderUnavailableException;
import io.github.cctv.protocol.CameraId.InvalidCameraIdException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Bad input is a 400 with a message that says what is wrong; an absent recorder or ingest is a 503. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response invalidId(InvalidCameraIdException e) {
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequest e) {
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response recorderUnavailable(RecorderUnavailableException e) {
        return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ServerExceptionMapper
    public Response ingestUnavailable(IngestUnavailableException e) {
        return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** A request the API cannot act on. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }
}
