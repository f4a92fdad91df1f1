package io.github.cctv.dashboard;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** Plays the rest of the system on the test NATS: ingest's streams, registry and frames, the recorder's state. */
public final class NatsFixtures {

    private static Connection connection;

    private NatsFixtures() {
    }

    /** A connection to the test server with the streams and buckets ingest and the recorder would create. */
    public static synchronized Connection nats() {
        if (connection == null) {
            try {
                connection = Nats.connect(NatsServerResource.server().url());
                var jsm = connection.jetStreamManagement();
                addStream(jsm, StreamConfiguration.builder().name(Subjects.FRAMES_STREAM)
                        .subjects(Subjects.FRAMES_ALL).storageType(StorageType.Memory)
                        .maxAge(Duration.ofSeconds(60)).build());
                addStream(jsm, StreamConfiguration.builder().name(Subjects.EVENTS_STREAM)
                        .subjects(Subjects.EVENTS_ALL).storageType(StorageType.Memory).build());
                var kvm = connection.keyValueManagement();
                for (String bucket : new String[]{Subjects.CAMERAS_BUCKET, Subjects.RECORDING_BUCKET}) {
                    if (!kvm.getBucketNames().contains(bucket)) {
                        kvm.create(KeyValueConfiguration.builder().name(bucket).storageType(StorageType.Memory).build());
                    }
                }
            } catch (IOException | JetStreamApiException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return connection;
    }

    private static void addStream(io.nats.client.JetStreamManagement jsm, StreamConfiguration config)
            throws IOException, JetStreamApiException {
        try {
            jsm.getStreamInfo(config.getName());
        } catch (JetStreamApiException e) {
            jsm.addStream(config);
        }
    }

    /** Publishes a frame as ingest does; returns the ingest time it carries. */
    public static long publishFrame(String cameraId, long seq, long captureUs, byte[] jpeg) {
        long ingestUs = Instant.now().toEpochMilli() * 1000 + seq % 1000;
        Headers h = new Headers()
                .put(FrameHeaders.SEQ, Long.toUnsignedString(seq))
                .put(FrameHeaders.CAPTURE_US, Long.toString(captureUs))
                .put(FrameHeaders.INGEST_US, Long.toString(ingestUs))
                .put(FrameHeaders.CODEC, "jpeg")
                .put(FrameHeaders.WIDTH, "64")
                .put(FrameHeaders.HEIGHT, "48")
                .put(FrameHeaders.KEY_FRAME, "1");
        nats().publish(Subjects.frames(cameraId), h, jpeg);
        return ingestUs;
    }

    public static void putStatus(CameraStatus status) {
        try {
            nats().keyValue(Subjects.CAMERAS_BUCKET).put(status.cameraId(), Events.write(status));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void putRecording(RecordingState state) {
        try {
            nats().keyValue(Subjects.RECORDING_BUCKET).put(state.cameraId(), Events.write(state));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void publishEvent(CameraEvent event) {
        try {
            nats().jetStream().publish(Subjects.event(event.cameraId(), event.type()), Events.toJson(event));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    public static CameraStatus online(String id, String name) {
        Instant now = Instant.now();
        return new CameraStatus(id, name, true, "jpeg", 64, 48, 10, now, now, now, "127.0.0.1:5000", 1, null);
    }

    public static CameraStatus offline(CameraStatus was) {
        Instant now = Instant.now();
        return new CameraStatus(was.cameraId(), was.name(), false, was.codec(), was.width(), was.height(), was.fps(),
                was.connectedSince(), was.lastFrameAt(), now, was.peer(), was.frames(),
                io.github.cctv.protocol.event.DisconnectReason.CONNECTION_LOST);
    }

    public static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
