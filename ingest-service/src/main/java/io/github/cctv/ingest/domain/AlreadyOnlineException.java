package io.github.cctv.ingest.domain;

/** A camera with this id already has an open session. */
public class AlreadyOnlineException extends Exception {

    public AlreadyOnlineException(String cameraId) {
        super("camera " + cameraId + " is already online");
    }
}
