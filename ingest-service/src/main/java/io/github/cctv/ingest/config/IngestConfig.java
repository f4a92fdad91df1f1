package io.github.cctv.ingest.config;

import io.github.cctv.nats.Topology;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of the ingest service. Every key is also an environment variable: {@code cctv.ingest.max-frame-bytes} = {@code CCTV_INGEST_MAX_FRAME_BYTES}. */
@ConfigMapping(prefix = "cctv.ingest")
public interface IngestConfig {

    /** Address the camera TCP listener binds to. */
    @WithDefault("0.0.0.0")
    String host();

    /** TCP port cameras connect to (0 = any free port). */
    @WithDefault("9000")
    int port();

    /** Event loops that accept and read camera connections; 0 = one per CPU core. */
    @WithDefault("0")
    int eventLoops();

    /** Most simultaneous TCP connections; beyond it a camera is refused with SERVER_BUSY. */
    @WithDefault("10000")
    int maxConnections();

    /** Largest image accepted per frame, bytes; lowered to the NATS server's max_payload minus header room. */
    @WithDefault("4194304")
    int maxFrameBytes();

    /** How often ingest sends a heartbeat to each camera, announced to the camera in ACCEPT. */
    @WithDefault("1s")
    Duration heartbeatInterval();

    /** Silence (no frame, no heartbeat, no byte) after which a camera is declared lost (heartbeat-timeout). */
    @WithDefault("3s")
    Duration sessionTimeout();

    /** Time a new connection has to deliver a complete hello. */
    @WithDefault("5s")
    Duration handshakeTimeout();

    /** Shared token every camera must present; unset or empty = no authentication (unless camera-tokens names the camera). */
    Optional<String> token();

    /** Per-camera tokens, {@code cam1:secret1,cam2:secret2}; a camera listed here must present its own token. */
    Optional<String> cameraTokens();

    /** Codecs accepted in a hello, comma-separated wire names. */
    @WithDefault("jpeg")
    String codecs();

    /** Least time between two registry updates of a streaming camera. */
    @WithDefault("1s")
    Duration registryInterval();

    /** Events and registry updates kept while NATS is unreachable; beyond it the oldest are dropped and counted. */
    @WithDefault("10000")
    int outboxCapacity();

    /** Longest wait at shutdown for queued events and registry updates to reach NATS. */
    @WithDefault("5s")
    Duration shutdownTimeout();

    /** The frame stream (memory storage). */
    FramesStream framesStream();

    /** The event stream (file storage). */
    EventsStream eventsStream();

    interface FramesStream {
        /** How long frames stay in the frame stream (recorder catch-up and pre-roll window). */
        @WithDefault(Topology.DEFAULT_FRAMES_MAX_AGE)
        Duration maxAge();

        /** Most bytes the frame stream holds in memory; the oldest frames go first. */
        @WithDefault(Topology.DEFAULT_FRAMES_MAX_BYTES)
        long maxBytes();
    }

    interface EventsStream {
        /** How long camera events stay in the event stream. */
        @WithDefault(Topology.DEFAULT_EVENTS_MAX_AGE)
        Duration maxAge();
    }
}
