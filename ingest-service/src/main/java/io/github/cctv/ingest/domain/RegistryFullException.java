package io.github.cctv.ingest.domain;

/** The camera registry holds its most cameras, all of them online: no new camera can have an entry. */
public class RegistryFullException extends Exception {

    public RegistryFullException(String cameraId, int cameras) {
        super("the camera registry is full (" + cameras + " cameras, none offline to make room): camera " + cameraId
                + " cannot be registered");
    }
}
