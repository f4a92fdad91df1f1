package io.github.cctv.nats;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a service reaches NATS, prefix {@code cctv.nats} (env {@code CCTV_NATS_*}): the same keys, defaults and
 * meaning in ingest, the recorder and the dashboard.
 */
@ConfigMapping(prefix = "cctv.nats")
public interface NatsConfig {

    /**
     * NATS server URL; several may be given comma-separated (the nodes of a cluster): the service connects to one and,
     * when that node goes, reconnects to another (and learns the cluster's other nodes from the server).
     */
    @WithDefault("nats://127.0.0.1:4222")
    String url();

    /**
     * Copies a NATS cluster keeps of each stream and bucket this service creates (events, audit, camera registry,
     * recording state, recorders, sessions, users, layouts): 1 on a single server, 3 on a three-node cluster so that
     * any one node may fail. Applied when created, and changed in place when it differs (a cluster allows that).
     */
    @WithDefault("1")
    int replicas();

    /**
     * Copies of the frame window {@code CCTV_FRAMES} (created by ingest). A memory stream: each copy holds up to
     * {@code cctv.ingest.frames-stream.max-bytes} in the memory of its node, and every frame is sent to each copy.
     */
    @WithDefault("1")
    int framesReplicas();

    /** Name of the connection in the NATS server's monitoring; each service sets its own in its application.properties. */
    @WithDefault("cctv")
    String connectionName();

    /** Pause between reconnect attempts; every service retries forever. */
    @WithDefault("1s")
    Duration reconnectWait();

    /** Longest wait for one attempt to connect to a server. */
    @WithDefault("5s")
    Duration connectionTimeout();

    /** Longest wait at shutdown for what was published to reach NATS before the connection closes. */
    @WithDefault("5s")
    Duration drainTimeout();

    /**
     * Messages that may wait in the client's outgoing queue; when it is full, a new message is discarded and
     * counted rather than waited for, so that a stalled connection never blocks a caller (ingest's camera event
     * loops above all). It bounds memory: 512 frames of 200 KB are 100 MB, about a second of 16 cameras at 720p30.
     */
    @WithDefault("512")
    int maxOutgoingMessages();

    /**
     * NATS user this service signs in as ({@code ingest}, {@code recorder}, {@code dashboard} in deploy/nats.conf,
     * each with only the subjects it needs); none for a server without users.
     */
    Optional<String> username();

    /** Password of {@link #username()}; {@link #passwordFile()} is the better place for it. */
    Optional<String> password();

    /** File holding the password of {@link #username()} (surrounding white space ignored); wins over {@link #password()}. */
    Optional<Path> passwordFile();
}
