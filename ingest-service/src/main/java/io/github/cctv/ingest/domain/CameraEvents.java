package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.event.CameraEvent;

/** Publishes camera events. Never blocks: events are queued and delivered when NATS can take them. */
public interface CameraEvents {

    void publish(CameraEvent event);
}
