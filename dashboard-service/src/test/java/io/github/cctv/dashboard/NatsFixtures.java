package io.github.cctv.dashboard;

import io.github.cctv.nats.FrameMessages;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;

import java.io.IOException;
import java.time.Instant;

/** Plays the rest of the system on the test NATS: ingest's streams, registry and frames, the recorder's state. */
public final class NatsFixtures {

    private static Connection connection;

    private NatsFixtures() {
    }

    /** A connection to the test server with the streams and buckets ingest and the recorder create (the production definitions). */
    public static synchronized Connection nats() {
        if (connection == null) {
            try {
                connection = Nats.connect(NatsServerResource.server().url());
                Topology.defaults().ensureAll(connection);
            } catch (IOException | JetStreamApiException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return connection;
    }

    /** Publishes a frame as ingest does; returns the ingest time it carries. */
    public static long publishFrame(String cameraId, long seq, long captureUs, byte[] jpeg) {
        long ingestUs = Instant.now().toEpochMilli() * 1000 + seq % 1000;
        nats().publish(FrameMessages.message(cameraId, new FrameMetadata(seq, captureUs, ingestUs, "jpeg", 64, 48, true), jpeg));
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
