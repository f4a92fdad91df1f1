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

    /** TCP port cameras connect to (0 = any free port); it speaks TLS unless {@code tls.enabled} is false. */
    @WithDefault("9000")
    int port();

    /** TLS on the camera port. */
    Tls tls();

    /** A second camera port speaking plain TCP, for cameras that cannot do TLS; off unless enabled. */
    Plain plain();

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

    /** Silence (no byte at all) after which a camera is declared lost (heartbeat-timeout). */
    @WithDefault("3s")
    Duration sessionTimeout();

    /** Time a new connection has to deliver a complete hello. */
    @WithDefault("5s")
    Duration handshakeTimeout();

    /** Longest time one message (a frame) may take from its first byte to its last; a camera slower than that is declared lost. */
    @WithDefault("10s")
    Duration messageTimeout();

    /** File holding the camera secret from which each camera's token is derived (docs/ingest.md); the recommended way to authenticate cameras. */
    Optional<String> cameraSecretFile();

    /** The camera secret itself, for where a file is impractical; prefer camera-secret-file (environment variables leak more easily). */
    Optional<String> cameraSecret();

    /** Shared token any camera may present; weaker than per-camera tokens, logged as such at start. */
    Optional<String> token();

    /** Per-camera tokens, {@code cam1:secret1,cam2:secret2}; a listed camera must present its own token, an unlisted one is refused unless another way applies. */
    Optional<String> cameraTokens();

    /** Let in cameras for which no token is configured, without one; logged at WARN at start. */
    @WithDefault("false")
    boolean allowUnauthenticated();

    /** Codecs accepted in a hello, comma-separated wire names. */
    @WithDefault("jpeg,h264")
    String codecs();

    /** Most bytes all connections together hold for frames still arriving; beyond it connections wait (reading paused). 0 = a quarter of the maximum heap. */
    @WithDefault("0")
    long frameMemory();

    /** Connection attempts per source address. */
    ConnectionRate connectionRate();

    /** Least time between two log lines about refused connections of one reason; the others are counted in the next line. */
    @WithDefault("10s")
    Duration rejectLogInterval();

    /** Camera clocks. */
    CameraClock clock();

    /** The camera registry. */
    Registry registry();

    /**
     * This instance's name among the ingest instances on one NATS (letters, digits, '-' and '_'): it owns the claims
     * and registry entries of its cameras. Default: the host name and a short random suffix, new at every start.
     */
    Optional<String> instanceId();

    /**
     * How long a claim of a camera id outlives its ingest instance: renewed every third of it, and the time within
     * which another instance marks a dead instance's cameras offline. The same on every instance.
     */
    @WithDefault("10s")
    Duration lease();

    /** Longest time an event loop may take to answer the liveness probe before /q/health/live reports DOWN. */
    @WithDefault("5s")
    Duration livenessTimeout();

    /** Least time between two registry updates of a streaming camera. */
    @WithDefault("1s")
    Duration registryInterval();

    /**
     * How long after its NATS connection broke ingest keeps handing frames to the client, which holds them (up to
     * its reconnect buffer, 8 MB) and sends them once it is on another node: a NATS node's loss in a cluster costs
     * the recordings no frame. Past it, frames are dropped and counted until the connection is back ({@code 0s}:
     * dropped at once, as a live view would have it).
     */
    @WithDefault("5s")
    Duration natsReconnectGrace();

    /**
     * Publish frames with JetStream acknowledgements and send again, in order, those the frame stream did not
     * acknowledge (a replicated stream changing its leader stores nothing for a few seconds). Default: on exactly when
     * {@code cctv.nats.frames-replicas} is above 1; a single copy keeps the cheaper core publish.
     */
    Optional<Boolean> framesAcknowledged();

    /** Frames waiting for the frame stream's acknowledgement or to be sent again, with {@code frames-acknowledged}. */
    FramesAck framesAck();

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

    interface Tls {
        /** Serve TLS on the camera port; false makes it plain TCP (a closed network, or a TLS-terminating proxy in front), logged at WARN. */
        @WithDefault("true")
        boolean enabled();

        /** PEM file with the server's certificate, followed by any intermediate certificates; required while TLS is on. */
        Optional<String> certFile();

        /** PEM file with the certificate's private key (PKCS#8, or PKCS#1 RSA); required while TLS is on. */
        Optional<String> keyFile();
    }

    interface Plain {
        /** Open the plain TCP port as well, for cameras that cannot speak TLS (their tokens and frames cross the network in clear). */
        @WithDefault("false")
        boolean enabled();

        /** The plain TCP port (0 = any free port). */
        @WithDefault("9001")
        int port();
    }

    interface FramesStream {
        /** How long frames stay in the frame stream (recorder catch-up and pre-roll window). */
        @WithDefault(Topology.DEFAULT_FRAMES_MAX_AGE)
        Duration maxAge();

        /** Most bytes the frame stream holds in memory; the oldest frames go first. */
        @WithDefault(Topology.DEFAULT_FRAMES_MAX_BYTES)
        long maxBytes();
    }

    interface FramesAck {
        /** Longest wait for the acknowledgement of a frame before it is sent again. */
        @WithDefault("1s")
        Duration timeout();

        /** Most frames of one camera's stream waiting; beyond it the oldest is dropped ({@code unstored}). */
        @WithDefault("250")
        int maxFramesPerCamera();

        /** Most image bytes of one camera's stream waiting; beyond it the oldest frame is dropped. */
        @WithDefault("33554432")
        long maxBytesPerCamera();

        /** Most frames waiting, all cameras. */
        @WithDefault("20000")
        int maxFrames();

        /** Most image bytes waiting, all cameras; 0 = an eighth of the maximum heap. */
        @WithDefault("0")
        long maxBytes();
    }

    interface EventsStream {
        /** How long camera events stay in the event stream. */
        @WithDefault(Topology.DEFAULT_EVENTS_MAX_AGE)
        Duration maxAge();

        /** Most bytes the event stream keeps; the oldest events go first. */
        @WithDefault(Topology.DEFAULT_EVENTS_MAX_BYTES)
        long maxBytes();
    }

    interface ConnectionRate {
        /** Attempts per second each source address regains; beyond its burst an address is refused with SERVER_BUSY. */
        @WithDefault("5")
        double perSecond();

        /** Attempts an address may make at once (cameras behind one NAT reconnecting together). */
        @WithDefault("50")
        int burst();

        /** Addresses remembered; the least recently seen are forgotten first, which bounds the memory. */
        @WithDefault("10000")
        int maxAddresses();
    }

    interface CameraClock {
        /** Largest camera clock offset (capture time against ingest time, median over recent frames) not reported as clock-skewed. */
        @WithDefault("3s")
        Duration maxOffset();
    }

    interface Registry {
        /** Most cameras the registry holds; a new camera replaces the one offline longest. The bucket is bounded to 8 KiB per camera. */
        @WithDefault(Topology.DEFAULT_REGISTRY_MAX_CAMERAS)
        int maxCameras();

        /** Time offline after which a camera's registry entry is removed. */
        @WithDefault("7d")
        Duration offlineExpiry();
    }
}
