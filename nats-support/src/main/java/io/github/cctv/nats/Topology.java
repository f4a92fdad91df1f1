package io.github.cctv.nats;

import io.github.cctv.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.quarkus.runtime.configuration.DurationConverter;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;

/**
 * The JetStream streams and key-value buckets of the system, defined once: ingest creates its part at start-up
 * ({@link #ensureIngestPart}), the recorder its bucket ({@link #ensureRecordingBucket}), and the tests' fixtures
 * build the whole production topology from the same definitions ({@link #ensureAll}).
 *
 * @param framesMaxAge   how long frames stay in {@code CCTV_FRAMES} (recorder catch-up and pre-roll window)
 * @param framesMaxBytes most bytes {@code CCTV_FRAMES} holds in memory; the oldest frames go first
 * @param eventsMaxAge   how long events stay in {@code CCTV_EVENTS}
 * @param eventsMaxBytes most bytes {@code CCTV_EVENTS} keeps on disk; the oldest events go first
 * @param registryMaxCameras most cameras the registry {@code cctv-cameras} holds; its bucket is bounded to
 *                       {@link #REGISTRY_BYTES_PER_CAMERA} bytes per camera
 * @param replicas       copies of {@code CCTV_EVENTS} and {@code cctv-cameras} a NATS cluster keeps ({@code cctv.nats.replicas}):
 *                       1 on a single server, 3 on a three-node cluster so that one node may fail
 * @param framesReplicas copies of {@code CCTV_FRAMES} ({@code cctv.nats.frames-replicas}); a memory stream, so each
 *                       copy costs up to {@code framesMaxBytes} of memory on its node
 */
public record Topology(Duration framesMaxAge, long framesMaxBytes, Duration eventsMaxAge, long eventsMaxBytes,
                       int registryMaxCameras, int replicas, int framesReplicas) {

    /** Most replicas NATS keeps of a stream (JetStream's own limit). */
    public static final int MAX_REPLICAS = 5;

    /** Default of {@link #framesMaxAge}, in configuration syntax (ingest's {@code frames-stream.max-age}). */
    public static final String DEFAULT_FRAMES_MAX_AGE = "60s";
    /** Default of {@link #framesMaxBytes}: 1 GiB. */
    public static final String DEFAULT_FRAMES_MAX_BYTES = "1073741824";
    /** Default of {@link #eventsMaxAge}, in configuration syntax. */
    public static final String DEFAULT_EVENTS_MAX_AGE = "30d";
    /** Default of {@link #eventsMaxBytes}: 256 MiB, about 800,000 events. */
    public static final String DEFAULT_EVENTS_MAX_BYTES = "268435456";
    /** Default of {@link #registryMaxCameras}. */
    public static final String DEFAULT_REGISTRY_MAX_CAMERAS = "20000";
    /** Largest registry entry, bytes (a camera status is well under 2 KiB even with a 256-byte name). */
    public static final int REGISTRY_MAX_ENTRY_BYTES = 4096;
    /**
     * Bucket bytes per camera of {@link #registryMaxCameras}: an entry, its stored-message overhead and room for the
     * delete markers of removed cameras.
     */
    public static final int REGISTRY_BYTES_PER_CAMERA = 2 * REGISTRY_MAX_ENTRY_BYTES;

    /** JetStream API error: no such stream. */
    public static final int STREAM_NOT_FOUND = 10059;
    /** JetStream API error: no such consumer. */
    public static final int CONSUMER_NOT_FOUND = 10014;

    private static final Logger LOG = Logger.getLogger(Topology.class);

    /** The topology with every default, as ingest runs it unconfigured (its configuration defaults are these constants). */
    public static Topology defaults() {
        return new Topology(DurationConverter.parseDuration(DEFAULT_FRAMES_MAX_AGE), Long.parseLong(DEFAULT_FRAMES_MAX_BYTES),
                DurationConverter.parseDuration(DEFAULT_EVENTS_MAX_AGE), Long.parseLong(DEFAULT_EVENTS_MAX_BYTES),
                Integer.parseInt(DEFAULT_REGISTRY_MAX_CAMERAS));
    }

    /** A topology of one copy of everything: a single NATS server. */
    public Topology(Duration framesMaxAge, long framesMaxBytes, Duration eventsMaxAge, long eventsMaxBytes,
                    int registryMaxCameras) {
        this(framesMaxAge, framesMaxBytes, eventsMaxAge, eventsMaxBytes, registryMaxCameras, 1, 1);
    }

    public Topology {
        if (framesMaxBytes < 1 || eventsMaxBytes < 1 || registryMaxCameras < 1) {
            throw new IllegalArgumentException("stream and bucket limits must be positive: frames max bytes " + framesMaxBytes
                    + ", events max bytes " + eventsMaxBytes + ", registry max cameras " + registryMaxCameras);
        }
        checkReplicas(replicas);
        checkReplicas(framesReplicas);
    }

    /** This topology with {@code replicas} copies of the state and {@code framesReplicas} of the frames. */
    public Topology withReplicas(int replicas, int framesReplicas) {
        return new Topology(framesMaxAge, framesMaxBytes, eventsMaxAge, eventsMaxBytes, registryMaxCameras, replicas,
                framesReplicas);
    }

    private static int checkReplicas(int replicas) {
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas must be between 1 and " + MAX_REPLICAS + ", not " + replicas);
        }
        return replicas;
    }

    /** Most bytes of the registry bucket: {@link #REGISTRY_BYTES_PER_CAMERA} per camera. */
    public long registryMaxBytes() {
        return (long) registryMaxCameras * REGISTRY_BYTES_PER_CAMERA;
    }

    /**
     * How long {@code CCTV_FRAMES} remembers a frame's {@code Nats-Msg-Id}, so that a frame ingest sends again (no
     * acknowledgement came while the stream changed its leader) is stored once: longer than such a change and the
     * resends after it take, short because the server keeps each id in memory that long.
     */
    public static final Duration FRAMES_DUPLICATE_WINDOW = Duration.ofSeconds(20);

    /** {@link #FRAMES_DUPLICATE_WINDOW}, within the frame window (NATS refuses a duplicate window over the max age). */
    public Duration framesDuplicateWindow() {
        return framesMaxAge.isZero() || framesMaxAge.compareTo(FRAMES_DUPLICATE_WINDOW) >= 0 ? FRAMES_DUPLICATE_WINDOW
                : framesMaxAge;
    }

    /**
     * {@code CCTV_FRAMES} over {@code cctv.frames.>}: memory, bounded by age and bytes, oldest discarded, message ids
     * remembered for {@link #framesDuplicateWindow()}.
     */
    public StreamConfiguration framesStream() {
        return StreamConfiguration.builder()
                .name(Subjects.FRAMES_STREAM)
                .subjects(Subjects.FRAMES_ALL)
                .storageType(StorageType.Memory)
                .replicas(framesReplicas)
                .maxAge(framesMaxAge)
                .maxBytes(framesMaxBytes)
                .discardPolicy(DiscardPolicy.Old)
                .duplicateWindow(framesDuplicateWindow())
                .build();
    }

    /** {@code CCTV_EVENTS} over {@code cctv.events.>}: file, bounded by age and bytes, oldest discarded. */
    public StreamConfiguration eventsStream() {
        return StreamConfiguration.builder()
                .name(Subjects.EVENTS_STREAM)
                .subjects(Subjects.EVENTS_ALL)
                .storageType(StorageType.File)
                .replicas(replicas)
                .maxAge(eventsMaxAge)
                .maxBytes(eventsMaxBytes)
                .discardPolicy(DiscardPolicy.Old)
                .build();
    }

    /**
     * {@code cctv-cameras}: the camera registry, written by ingest, bounded in bytes ({@link #registryMaxBytes()})
     * and per entry ({@link #REGISTRY_MAX_ENTRY_BYTES}). Ingest keeps it within {@link #registryMaxCameras} itself,
     * removing the cameras offline longest, so the byte bound is a backstop that legitimate writes never meet.
     */
    public KeyValueConfiguration camerasBucket() {
        return KeyValueConfiguration.builder()
                .name(Subjects.CAMERAS_BUCKET)
                .description("camera registry, written by ingest")
                .storageType(StorageType.File)
                .replicas(replicas)
                .maxHistoryPerKey(1)
                .maxBucketSize(registryMaxBytes())
                .maximumValueSize(REGISTRY_MAX_ENTRY_BYTES)
                .build();
    }

    /** Largest entry of {@code cctv-ingest-claims}: an ingest instance id. */
    public static final int CLAIMS_MAX_ENTRY_BYTES = 256;
    /** Bucket bytes per camera of {@code cctv-ingest-claims}: its claim, the stored-message overhead and a delete marker. */
    public static final int CLAIMS_BYTES_PER_CAMERA = 1024;

    /**
     * {@code cctv-ingest-claims}: which ingest instance holds each camera's session, and a heartbeat per instance,
     * written by ingest. Every entry expires {@code lease} after it was written (NATS 2.9 has no per-key TTL: the
     * bucket's max age is the lease), so a holder renews its entries by updating them; memory storage, since a claim
     * is worth nothing once its lease is over. Bounded to {@link #CLAIMS_BYTES_PER_CAMERA} per camera of
     * {@code maxCameras}, plus room for the instances.
     */
    public static KeyValueConfiguration claimsBucket(Duration lease, int maxCameras) {
        return claimsBucket(lease, maxCameras, 1);
    }

    /** {@link #claimsBucket(Duration, int)} kept in {@code replicas} copies. */
    public static KeyValueConfiguration claimsBucket(Duration lease, int maxCameras, int replicas) {
        return KeyValueConfiguration.builder()
                .name(Subjects.CLAIMS_BUCKET)
                .description("CCTV ingest claims of camera ids and ingest heartbeats, written by ingest")
                .storageType(StorageType.Memory)
                .replicas(checkReplicas(replicas))
                .maxHistoryPerKey(1)
                .ttl(lease)
                .maxBucketSize((long) maxCameras * CLAIMS_BYTES_PER_CAMERA + 1024L * 1024)
                .maximumValueSize(CLAIMS_MAX_ENTRY_BYTES)
                .build();
    }

    /**
     * Creates the claims bucket if it is missing, or gives it {@code lease} and the bound if it has others: ingest's
     * start-up. Every ingest instance of a deployment must run with the same lease. Blocking.
     */
    public static void ensureClaimsBucket(Connection connection, Duration lease, int maxCameras)
            throws IOException, JetStreamApiException {
        ensureClaimsBucket(connection, lease, maxCameras, 1);
    }

    /** {@link #ensureClaimsBucket(Connection, Duration, int)} with {@code replicas} copies. Blocking. */
    public static void ensureClaimsBucket(Connection connection, Duration lease, int maxCameras, int replicas)
            throws IOException, JetStreamApiException {
        ensureTtlBucket(connection.keyValueManagement(), claimsBucket(lease, maxCameras, replicas));
    }

    /** {@code cctv-recording}: the desired recording state per camera, written by the recorder. */
    public static KeyValueConfiguration recordingBucket() {
        return recordingBucket(1);
    }

    /** {@link #recordingBucket()} kept in {@code replicas} copies. */
    public static KeyValueConfiguration recordingBucket(int replicas) {
        return KeyValueConfiguration.builder()
                .name(Subjects.RECORDING_BUCKET)
                .description("CCTV desired recording state per camera")
                .storageType(StorageType.File)
                .replicas(checkReplicas(replicas))
                .maxHistoryPerKey(1)
                .build();
    }

    /** Live recorders: key = recorder id, value a {@code RecorderMember} as JSON; entries expire after the lease. */
    public static final String RECORDERS_BUCKET = "cctv-recorders";
    /** Which recorder writes which camera now: key = camera id, value the owner's id; entries expire after the lease. */
    public static final String RECORDER_LEASES_BUCKET = "cctv-recorder-leases";
    /** Per camera, the stream sequence up to which some recorder's disk durably holds the frames; never expires. */
    public static final String RECORDER_PROGRESS_BUCKET = "cctv-recorder-progress";

    /**
     * {@code cctv-recorders}: one entry per live recorder, renewed well within {@code lease}; the bucket's max age
     * is the lease (NATS 2.9 has no per-key TTL), so a dead recorder's entry vanishes by itself.
     */
    public static KeyValueConfiguration recordersBucket(Duration lease, int replicas) {
        return leaseBucket(RECORDERS_BUCKET, "CCTV live recorders, each renewed by itself", lease, replicas);
    }

    /** {@code cctv-recorder-leases}: the camera leases of the recorders, created if absent, renewed by revision. */
    public static KeyValueConfiguration recorderLeasesBucket(Duration lease, int replicas) {
        return leaseBucket(RECORDER_LEASES_BUCKET, "CCTV camera leases of the recorders", lease, replicas);
    }

    /** {@code cctv-recorder-progress}: the durable "written up to" stream sequence per camera, written by the recorders. */
    public static KeyValueConfiguration recorderProgressBucket(int replicas) {
        return KeyValueConfiguration.builder()
                .name(RECORDER_PROGRESS_BUCKET)
                .description("CCTV stream sequence each camera is durably recorded up to")
                .storageType(StorageType.File)
                .replicas(checkReplicas(replicas))
                .maxHistoryPerKey(1)
                .maxValueSize(4096)
                .build();
    }

    private static KeyValueConfiguration leaseBucket(String name, String description, Duration lease, int replicas) {
        return KeyValueConfiguration.builder()
                .name(name)
                .description(description)
                .storageType(StorageType.File)
                .replicas(checkReplicas(replicas))
                .maxHistoryPerKey(1)
                .ttl(lease)
                .maxValueSize(1024)
                .build();
    }

    /**
     * Creates the recorder's cluster buckets if missing, giving the two lease buckets {@code lease} as max age if they
     * have another: the recorder's start-up. Every recorder of a deployment should use the same lease. Blocking.
     */
    public static void ensureRecorderClusterBuckets(Connection connection, Duration lease)
            throws IOException, JetStreamApiException {
        ensureRecorderClusterBuckets(connection, lease, 1);
    }

    /** {@link #ensureRecorderClusterBuckets(Connection, Duration)} with {@code replicas} copies. Blocking. */
    public static void ensureRecorderClusterBuckets(Connection connection, Duration lease, int replicas)
            throws IOException, JetStreamApiException {
        KeyValueManagement kvm = connection.keyValueManagement();
        ensureTtlBucket(kvm, recordersBucket(lease, replicas));
        ensureTtlBucket(kvm, recorderLeasesBucket(lease, replicas));
        ensureBucket(kvm, recorderProgressBucket(replicas));
    }

    /**
     * Creates a bucket whose entries expire ({@code wanted}'s max age), or gives an existing one {@code wanted}'s max
     * age, size bound and replicas when it has others.
     */
    private static void ensureTtlBucket(KeyValueManagement kvm, KeyValueConfiguration wanted)
            throws IOException, JetStreamApiException {
        try {
            KeyValueConfiguration current = kvm.getStatus(wanted.getBucketName()).getConfiguration();
            if (!wanted.getTtl().equals(current.getTtl()) || current.getReplicas() != wanted.getReplicas()
                    || current.getMaxBucketSize() != wanted.getMaxBucketSize()) {
                kvm.update(wanted);
                LOG.infof("updated key-value bucket %s (entries expire after %s)", wanted.getBucketName(), wanted.getTtl());
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            kvm.create(wanted);
            LOG.infof("created key-value bucket %s (entries expire after %s)", wanted.getBucketName(), wanted.getTtl());
        }
    }

    /** Most bytes {@code cctv-sessions} holds: about 100,000 sessions; beyond it a new sign-in is refused, none is lost. */
    public static final long SESSIONS_MAX_BYTES = 16L * 1024 * 1024;

    /**
     * {@code cctv-sessions}: the dashboard's sign-in sessions, written by the dashboard; file storage, so that sessions
     * outlive restarts of NATS and of the dashboards; each entry expires {@code maxAge} after it was written.
     */
    public static KeyValueConfiguration sessionsBucket(Duration maxAge) {
        return sessionsBucket(maxAge, 1);
    }

    /** {@link #sessionsBucket(Duration)} kept in {@code replicas} copies. */
    public static KeyValueConfiguration sessionsBucket(Duration maxAge, int replicas) {
        return KeyValueConfiguration.builder()
                .name(Subjects.SESSIONS_BUCKET)
                .description("CCTV dashboard sign-in sessions, written by the dashboard")
                .storageType(StorageType.File)
                .replicas(checkReplicas(replicas))
                .maxHistoryPerKey(1)
                .ttl(maxAge)
                .maxBucketSize(SESSIONS_MAX_BYTES)
                .maxValueSize(1024)
                .build();
    }

    /** Creates the sessions bucket if it is missing, or gives it {@code maxAge} if it has another: the dashboard's start-up. Blocking. */
    public static void ensureSessionsBucket(Connection connection, Duration maxAge) throws IOException, JetStreamApiException {
        ensureSessionsBucket(connection, maxAge, 1);
    }

    /** {@link #ensureSessionsBucket(Connection, Duration)} with {@code replicas} copies. Blocking. */
    public static void ensureSessionsBucket(Connection connection, Duration maxAge, int replicas)
            throws IOException, JetStreamApiException {
        KeyValueManagement kvm = connection.keyValueManagement();
        KeyValueConfiguration wanted = sessionsBucket(maxAge, replicas);
        try {
            KeyValueConfiguration current = kvm.getStatus(wanted.getBucketName()).getConfiguration();
            if (!maxAge.equals(current.getTtl()) || current.getReplicas() != wanted.getReplicas()) {
                kvm.update(wanted);
                LOG.infof("updated key-value bucket %s (entries expire after %s, %d replicas)", wanted.getBucketName(),
                        maxAge, wanted.getReplicas());
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            kvm.create(wanted);
            LOG.infof("created key-value bucket %s (entries expire after %s)", wanted.getBucketName(), maxAge);
        }
    }

    /** Largest entry of {@code cctv-layouts}: a group of a few hundred cameras with long ids fits. */
    public static final int LAYOUTS_MAX_ENTRY_BYTES = 64 * 1024;
    /** Most bytes {@code cctv-layouts} holds: room for hundreds of groups at their largest. */
    public static final long LAYOUTS_MAX_BYTES = 32L * 1024 * 1024;

    /**
     * {@code cctv-layouts}: camera groups and their grid layouts for the live page, written by the dashboard; file
     * storage, so that every browser and wall display sees the same groups across restarts.
     */
    public static KeyValueConfiguration layoutsBucket() {
        return layoutsBucket(1);
    }

    /** {@link #layoutsBucket()} kept in {@code replicas} copies. */
    public static KeyValueConfiguration layoutsBucket(int replicas) {
        return KeyValueConfiguration.builder()
                .name(Subjects.LAYOUTS_BUCKET)
                .description("CCTV camera groups and grid layouts of the live page, written by the dashboard")
                .storageType(StorageType.File)
                .replicas(checkReplicas(replicas))
                .maxHistoryPerKey(1)
                .maxBucketSize(LAYOUTS_MAX_BYTES)
                .maximumValueSize(LAYOUTS_MAX_ENTRY_BYTES)
                .build();
    }

    /** Creates the layouts bucket if it is missing (or bounds it as {@link #layoutsBucket()} says): the dashboard's start-up. Blocking. */
    public static void ensureLayoutsBucket(Connection connection) throws IOException, JetStreamApiException {
        ensureLayoutsBucket(connection, 1);
    }

    /** {@link #ensureLayoutsBucket(Connection)} with {@code replicas} copies. Blocking. */
    public static void ensureLayoutsBucket(Connection connection, int replicas) throws IOException, JetStreamApiException {
        ensureBucket(connection.keyValueManagement(), layoutsBucket(replicas));
    }

    /**
     * {@code cctv-users}: the dashboard's users (role, camera set, bcrypt hash of the password), written by the
     * dashboard; file storage, a few versions per user kept so that a change can be traced.
     */
    public static KeyValueConfiguration usersBucket() {
        return usersBucket(1);
    }

    /** {@link #usersBucket()} kept in {@code replicas} copies. */
    public static KeyValueConfiguration usersBucket(int replicas) {
        return KeyValueConfiguration.builder()
                .name(Subjects.USERS_BUCKET)
                .description("CCTV dashboard users, written by the dashboard")
                .storageType(StorageType.File)
                .replicas(checkReplicas(replicas))
                .maxHistoryPerKey(5)
                .maxBucketSize(16L * 1024 * 1024)
                .maximumValueSize(64 * 1024)
                .build();
    }

    /** Age after which an audit event is discarded. */
    public static final Duration AUDIT_MAX_AGE = Duration.ofDays(365);
    /** Most bytes the audit stream keeps; the oldest events go first. */
    public static final long AUDIT_MAX_BYTES = 256L * 1024 * 1024;

    /** {@code CCTV_AUDIT} over {@code cctv.audit.>}: file, a year or 256 MiB, oldest discarded. */
    public static StreamConfiguration auditStream() {
        return auditStream(1);
    }

    /** {@link #auditStream()} kept in {@code replicas} copies. */
    public static StreamConfiguration auditStream(int replicas) {
        return StreamConfiguration.builder()
                .name(Subjects.AUDIT_STREAM)
                .subjects(Subjects.AUDIT_ALL)
                .storageType(StorageType.File)
                .replicas(checkReplicas(replicas))
                .maxAge(AUDIT_MAX_AGE)
                .maxBytes(AUDIT_MAX_BYTES)
                .discardPolicy(DiscardPolicy.Old)
                .build();
    }

    /** Creates the users bucket and the audit stream if they are missing: the dashboard's start-up. Blocking. */
    public static void ensureDashboardPart(Connection connection) throws IOException, JetStreamApiException {
        ensureDashboardPart(connection, 1);
    }

    /** {@link #ensureDashboardPart(Connection)} with {@code replicas} copies. Blocking. */
    public static void ensureDashboardPart(Connection connection, int replicas) throws IOException, JetStreamApiException {
        ensureBucket(connection.keyValueManagement(), usersBucket(replicas));
        ensureStream(connection.jetStreamManagement(), auditStream(replicas));
    }

    /** Makes both streams and the camera bucket match this topology: ingest's start-up. Blocking. */
    public void ensureIngestPart(Connection connection) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = connection.jetStreamManagement();
        ensureStream(jsm, framesStream());
        ensureStream(jsm, eventsStream());
        ensureBucket(connection.keyValueManagement(), camerasBucket());
    }

    /** Creates the recording-state bucket if it is missing: the recorder's start-up. Blocking. */
    public static void ensureRecordingBucket(Connection connection) throws IOException, JetStreamApiException {
        ensureRecordingBucket(connection, 1);
    }

    /** {@link #ensureRecordingBucket(Connection)} with {@code replicas} copies. Blocking. */
    public static void ensureRecordingBucket(Connection connection, int replicas) throws IOException, JetStreamApiException {
        ensureBucket(connection.keyValueManagement(), recordingBucket(replicas));
    }

    /** Everything ingest and the recorder create, for tests that play their part, with this topology's replicas. Blocking. */
    public void ensureAll(Connection connection) throws IOException, JetStreamApiException {
        ensureIngestPart(connection);
        ensureRecordingBucket(connection, replicas);
    }

    private static void ensureBucket(KeyValueManagement kvm, KeyValueConfiguration wanted)
            throws IOException, JetStreamApiException {
        try {
            KeyValueConfiguration current = kvm.getStatus(wanted.getBucketName()).getConfiguration();
            if (current.getMaxBucketSize() != wanted.getMaxBucketSize()
                    || current.getMaximumValueSize() != wanted.getMaximumValueSize()
                    || current.getReplicas() != wanted.getReplicas()) {
                kvm.update(wanted);
                LOG.infof("updated key-value bucket %s (max bytes %d, max value bytes %d, %d replicas)",
                        wanted.getBucketName(), wanted.getMaxBucketSize(), wanted.getMaximumValueSize(),
                        wanted.getReplicas());
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            kvm.create(wanted);
            LOG.infof("created key-value bucket %s (%d replicas)", wanted.getBucketName(), wanted.getReplicas());
        }
    }

    private static void ensureStream(JetStreamManagement jsm, StreamConfiguration wanted)
            throws IOException, JetStreamApiException {
        try {
            StreamConfiguration current = jsm.getStreamInfo(wanted.getName()).getConfiguration();
            if (current.getStorageType() != wanted.getStorageType()) {
                // NATS cannot change a stream's storage in place: say so rather than fail obscurely
                throw new IllegalStateException("stream " + wanted.getName() + " exists with " + current.getStorageType()
                        + " storage, ingest needs " + wanted.getStorageType() + ": delete it (nats stream rm "
                        + wanted.getName() + ") and restart ingest");
            }
            if (!current.getMaxAge().equals(wanted.getMaxAge()) || current.getMaxBytes() != wanted.getMaxBytes()
                    || !current.getSubjects().equals(wanted.getSubjects())
                    || current.getDiscardPolicy() != wanted.getDiscardPolicy()
                    || current.getReplicas() != wanted.getReplicas()
                    || !wanted.getDuplicateWindow().isZero()
                            && !wanted.getDuplicateWindow().equals(current.getDuplicateWindow())) {
                // NATS 2.9 changes a stream's replicas in place on a cluster (a single server refuses more than one)
                jsm.updateStream(wanted);
                LOG.infof("updated stream %s (max age %s, max bytes %d, %d replicas)", wanted.getName(),
                        wanted.getMaxAge(), wanted.getMaxBytes(), wanted.getReplicas());
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            jsm.addStream(wanted);
            LOG.infof("created stream %s over %s (%s, max age %s, max bytes %d, %d replicas)", wanted.getName(),
                    wanted.getSubjects(), wanted.getStorageType(), wanted.getMaxAge(), wanted.getMaxBytes(),
                    wanted.getReplicas());
        }
    }
}
