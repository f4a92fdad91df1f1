package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;

/** Creates or updates the streams and the camera bucket ingest writes to. Safe to run any number of times. */
@ApplicationScoped
public class StreamSetup {

    private static final Logger LOG = Logger.getLogger(StreamSetup.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int BUCKET_NOT_FOUND = 10059;

    private final IngestConfig config;

    public StreamSetup(IngestConfig config) {
        this.config = config;
    }

    public StreamConfiguration framesStream() {
        return StreamConfiguration.builder()
                .name(Subjects.FRAMES_STREAM)
                .subjects(Subjects.FRAMES_ALL)
                .storageType(StorageType.Memory)
                .maxAge(config.framesStream().maxAge())
                .maxBytes(config.framesStream().maxBytes())
                .discardPolicy(DiscardPolicy.Old)
                .build();
    }

    public StreamConfiguration eventsStream() {
        return StreamConfiguration.builder()
                .name(Subjects.EVENTS_STREAM)
                .subjects(Subjects.EVENTS_ALL)
                .storageType(StorageType.File)
                .maxAge(config.eventsStream().maxAge())
                .discardPolicy(DiscardPolicy.Old)
                .build();
    }

    public KeyValueConfiguration camerasBucket() {
        return KeyValueConfiguration.builder()
                .name(Subjects.CAMERAS_BUCKET)
                .description("camera registry, written by ingest")
                .storageType(StorageType.File)
                .maxHistoryPerKey(1)
                .build();
    }

    /** Makes the streams and bucket match this service's configuration. Blocking: never call it on an event loop. */
    public void ensure(Connection connection) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = connection.jetStreamManagement();
        ensureStream(jsm, framesStream());
        ensureStream(jsm, eventsStream());
        KeyValueManagement kvm = connection.keyValueManagement();
        try {
            kvm.getStatus(Subjects.CAMERAS_BUCKET);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != BUCKET_NOT_FOUND) {
                throw e;
            }
            kvm.create(camerasBucket());
            LOG.infof("created key-value bucket %s", Subjects.CAMERAS_BUCKET);
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
                    || current.getDiscardPolicy() != wanted.getDiscardPolicy()) {
                jsm.updateStream(wanted);
                LOG.infof("updated stream %s (max age %s, max bytes %d)", wanted.getName(), wanted.getMaxAge(),
                        wanted.getMaxBytes());
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            jsm.addStream(wanted);
            LOG.infof("created stream %s over %s (%s, max age %s, max bytes %d)", wanted.getName(),
                    wanted.getSubjects(), wanted.getStorageType(), wanted.getMaxAge(), wanted.getMaxBytes());
        }
    }
}
