package io.github.cctv.nats;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.ErrorListener;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The system's NATS users (deploy/nats-users.conf) on a real server started with the production configuration: each
 * service does what it must through nats-support's own connection, and the server refuses what it must not — the
 * dashboard cannot publish frames, the recorder cannot write the camera registry, nobody reads another's replies.
 */
class NatsPermissionsIT {

    private static final Duration REFUSAL = Duration.ofSeconds(20);

    static NatsTestServer server;
    static NatsConnection ingest;
    static Connection ingestConnection;

    @BeforeAll
    static void startServerAndIngest() throws Exception {
        server = NatsTestServer.startWithUsers();
        ingest = connect("ingest");
        ingestConnection = ingest.connection();
        // ingest's start-up: the streams and the registry, created as the ingest user
        Topology.defaults().ensureIngestPart(ingestConnection);
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A service's connection as nats-support makes it, signed in with the user's password file. */
    private static NatsConnection connect(String user) throws InterruptedException {
        NatsConnection nats = new NatsConnection(TestNatsConfig.of(server.url()).as(user, server.passwordFile(user)),
                new SimpleMeterRegistry());
        nats.awaitConnection();
        return nats;
    }

    /** A plain client as {@code user} that collects the errors the server sends it (permission violations). */
    private static Connection client(String user, List<String> errors) throws IOException, InterruptedException {
        Options.Builder options = user == null
                ? new Options.Builder().server(server.url()).maxReconnects(0)
                : server.optionsAs(user);
        return Nats.connect(options.errorListener(new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) {
                errors.add(error);
            }
        }).build());
    }

    private static NatsMessage frame(String cameraId, String body) {
        return NatsMessage.builder().subject(Subjects.frames(cameraId)).data(body.getBytes(StandardCharsets.US_ASCII)).build();
    }

    @Test
    void aServiceWithoutItsPasswordIsRefused() {
        NatsConfig wrong = new TestNatsConfig(server.url(), "cctv-test", Duration.ofMillis(100), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 512, java.util.Optional.of("ingest"), java.util.Optional.of("not-the-password"),
                java.util.Optional.empty());
        Options options = new NatsConnection(wrong, new SimpleMeterRegistry()).options();
        assertThatThrownBy(() -> Nats.connect(new Options.Builder(options).maxReconnects(0).build()).close())
                .hasMessageContaining("Authorization Violation");
    }

    @Test
    void ingestPublishesAFrameWithAnAcknowledgementOnItsOwnInbox() throws Exception {
        io.github.cctv.protocol.FrameMetadata m = new io.github.cctv.protocol.FrameMetadata(3, 10, 20, "jpeg", 0, 0, true);
        NatsMessage frame = FrameMessages.identifiedMessage("gate", m, new byte[]{1, 2}, false);
        io.nats.client.api.PublishAck first = ingestConnection.jetStream().publishAsync(frame).get(10, java.util.concurrent.TimeUnit.SECONDS);
        io.nats.client.api.PublishAck again = ingestConnection.jetStream().publishAsync(frame).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(first.getStream()).isEqualTo(Subjects.FRAMES_STREAM);
        assertThat(first.isDuplicate()).isFalse();
        assertThat(again.isDuplicate()).as("the same frame sent again is stored once").isTrue();
        assertThat(again.getSeqno()).isEqualTo(first.getSeqno());
    }

    @Test
    void theDashboardReadsFramesButCannotPublishThem() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Connection dashboard = client("dashboard", errors)) {
            Subscription live = dashboard.subscribe(Subjects.FRAMES_ALL);
            dashboard.flush(Duration.ofSeconds(5));

            dashboard.publish(frame("door", "forged"));
            ingestConnection.publish(frame("door", "genuine"));

            Message first = live.nextMessage(Duration.ofSeconds(10));
            assertThat(first).as("the dashboard receives ingest's frame").isNotNull();
            assertThat(new String(first.getData(), StandardCharsets.US_ASCII)).isEqualTo("genuine");
            await().atMost(REFUSAL).until(() -> errors.stream().anyMatch(e ->
                    e.contains("Permissions Violation for Publish to \"cctv.frames.door\"")));
            assertThat(live.nextMessage(Duration.ofMillis(500))).as("the forged frame never arrived").isNull();
            // nor did it reach the frame stream, where the recorder reads (the dashboard reads it for a camera's last frame)
            assertThat(dashboard.jetStreamManagement().getLastMessage(Subjects.FRAMES_STREAM, Subjects.frames("door"))
                    .getData()).isEqualTo("genuine".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void theRecorderCannotWriteTheCameraRegistryButWritesItsOwnBucket() throws Exception {
        ingestConnection.keyValue(Subjects.CAMERAS_BUCKET).put("yard", "{\"cameraId\":\"yard\",\"online\":true}");
        try (NatsConnection recorder = connect("recorder")) {
            Connection rc = recorder.connection();
            Topology.ensureRecordingBucket(rc);
            rc.keyValue(Subjects.RECORDING_BUCKET).put("yard", "{\"recording\":true}");
            assertThat(rc.keyValue(Subjects.RECORDING_BUCKET).get("yard").getValueAsString()).contains("recording");

            KeyValue registry = rc.keyValue(Subjects.CAMERAS_BUCKET);
            assertThat(registry.get("yard").getValueAsString()).as("the recorder reads the registry").contains("yard");
            assertThatThrownBy(() -> registry.put("yard", "{\"cameraId\":\"yard\",\"online\":false}"))
                    .as("a write to the registry is refused").isInstanceOf(IOException.class);
            assertThatThrownBy(() -> registry.delete("yard")).isInstanceOf(IOException.class);
            assertThat(server.log()).contains("Publish Violation").contains("$KV.cctv-cameras.yard");
        }
        KeyValueEntry entry = ingestConnection.keyValue(Subjects.CAMERAS_BUCKET).get("yard");
        assertThat(entry.getValueAsString()).as("the registry is as ingest wrote it").contains("\"online\":true");
    }

    @Test
    void theRecorderKeepsItsMemberEntryLeasesAndProgressMarksInItsClusterBuckets() throws Exception {
        try (NatsConnection recorder = connect("recorder")) {
            Connection rc = recorder.connection();
            Topology.ensureRecorderClusterBuckets(rc, Duration.ofSeconds(6));
            KeyValue members = rc.keyValue(Topology.RECORDERS_BUCKET);
            members.put("rec-a", "{\"id\":\"rec-a\"}");
            assertThat(members.keys()).contains("rec-a");
            members.delete("rec-a");

            KeyValue leases = rc.keyValue(Topology.RECORDER_LEASES_BUCKET);
            long revision = leases.create("yard", "{\"owner\":\"rec-a\"}".getBytes(StandardCharsets.UTF_8));
            revision = leases.update("yard", "{\"owner\":\"rec-a\"}".getBytes(StandardCharsets.UTF_8), revision);
            assertThat(leases.get("yard").getValueAsString()).contains("rec-a");
            leases.delete("yard", revision);

            KeyValue progress = rc.keyValue(Topology.RECORDER_PROGRESS_BUCKET);
            progress.put("yard", "{\"seq\":12}");
            assertThat(progress.get("yard").getValueAsString()).contains("12");
            assertThat(server.log()).doesNotContain("Violation for Publish to \"$JS.API.STREAM.CREATE.KV_cctv-recorder")
                    .doesNotContain("$KV.cctv-recorder");
        }
    }

    @Test
    void theRecorderReadsFramesThroughItsDurableConsumerAndAcknowledgesThem() throws Exception {
        ingestConnection.publish(frame("dock", "one"));
        ingestConnection.publish(frame("dock", "two"));
        ingestConnection.flush(Duration.ofSeconds(5));
        try (NatsConnection recorder = connect("recorder")) {
            Connection rc = recorder.connection();
            rc.jetStreamManagement().addOrUpdateConsumer(Subjects.FRAMES_STREAM, ConsumerConfiguration.builder()
                    .durable("recorder-dock").filterSubject(Subjects.frames("dock")).ackPolicy(AckPolicy.All).build());
            ConsumerContext consumer = rc.getStreamContext(Subjects.FRAMES_STREAM).getConsumerContext("recorder-dock");
            Message last = null;
            try (FetchConsumer fetch = consumer.fetchMessages(2)) {
                for (Message m = fetch.nextMessage(); m != null; m = fetch.nextMessage()) {
                    last = m;
                }
            }
            assertThat(last).isNotNull();
            assertThat(new String(last.getData(), StandardCharsets.US_ASCII)).isEqualTo("two");
            last.ackSync(Duration.ofSeconds(10));
            assertThat(consumer.getConsumerInfo().getAckFloor().getStreamSequence()).isEqualTo(last.metaData().streamSequence());
            rc.jetStreamManagement().deleteConsumer(Subjects.FRAMES_STREAM, "recorder-dock");
        }
    }

    @Test
    void onlyTheOwnerMakesOrChangesAStream() throws Exception {
        try (NatsConnection recorder = connect("recorder")) {
            var jsm = recorder.connection().jetStreamManagement();
            StreamConfiguration rogue = StreamConfiguration.builder().name("ROGUE").subjects("rogue.>")
                    .storageType(StorageType.Memory).build();
            assertThatThrownBy(() -> jsm.addStream(rogue)).isInstanceOfAny(IOException.class, JetStreamApiException.class);
            assertThatThrownBy(() -> jsm.deleteStream(Subjects.FRAMES_STREAM))
                    .isInstanceOfAny(IOException.class, JetStreamApiException.class);
        }
        assertThat(server.log()).contains("$JS.API.STREAM.CREATE.ROGUE", "$JS.API.STREAM.DELETE." + Subjects.FRAMES_STREAM);
        assertThat(ingestConnection.jetStreamManagement().getStreamInfo(Subjects.FRAMES_STREAM).getConfiguration().getName())
                .isEqualTo(Subjects.FRAMES_STREAM);
    }

    @Test
    void noServiceReadsAnotherServicesReplies() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Connection dashboard = client("dashboard", errors)) {
            dashboard.subscribe(Subjects.inboxPrefix("recorder") + ".>");
            dashboard.subscribe(Subjects.INBOX + ".>");
            await().atMost(REFUSAL).until(() -> errors.stream().filter(e -> e.contains("Permissions Violation for Subscription")).count() == 2);
        }
    }

    @Test
    void theDashboardSendsRecordingControlAndTheRecorderAnswersIt() throws Exception {
        try (NatsConnection recorder = connect("recorder"); NatsConnection dashboard = connect("dashboard")) {
            recorder.connection().createDispatcher(m -> m.getConnection().publish(m.getReplyTo(), "ok".getBytes(StandardCharsets.US_ASCII)))
                    .subscribe(Subjects.RECORDING_CONTROL_ALL);
            recorder.connection().flush(Duration.ofSeconds(5));
            Message reply = dashboard.connection().request(Subjects.recordingControl("door"), new byte[0], Duration.ofSeconds(10));
            assertThat(reply).isNotNull();
            assertThat(reply.getSubject()).startsWith(Subjects.inboxPrefix("dashboard") + ".");
            assertThat(new String(reply.getData(), StandardCharsets.US_ASCII)).isEqualTo("ok");
        }
    }

    @Test
    void aClientWithoutCredentialsOnlyReadsEvents() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Connection anonymous = client(null, errors)) {
            Subscription events = anonymous.subscribe(Subjects.EVENTS_ALL);
            anonymous.flush(Duration.ofSeconds(5));
            ingestConnection.jetStream().publish(Subjects.event("gate", "connected"), "{}".getBytes(StandardCharsets.US_ASCII));
            assertThat(events.nextMessage(Duration.ofSeconds(10))).as("events reach a client without credentials").isNotNull();

            anonymous.publish(Subjects.event("gate", "disconnected"), new byte[0]);
            anonymous.subscribe(Subjects.FRAMES_ALL);
            await().atMost(REFUSAL).until(() -> errors.stream().anyMatch(e -> e.contains("Permissions Violation for Publish"))
                    && errors.stream().anyMatch(e -> e.contains("Permissions Violation for Subscription")));
        }
    }

    @Test
    void ingestStoresTheEventsItOwnsAndNoOthers() throws Exception {
        long before = ingestConnection.jetStreamManagement().getStreamInfo(Subjects.EVENTS_STREAM).getStreamState().getMsgCount();
        var ack = ingestConnection.jetStream().publish(Subjects.event("lobby", "connected"), "{}".getBytes(StandardCharsets.US_ASCII));
        assertThat(ack.getStream()).isEqualTo(Subjects.EVENTS_STREAM);
        assertThat(ingestConnection.jetStreamManagement().getStreamInfo(Subjects.EVENTS_STREAM).getStreamState().getMsgCount())
                .isEqualTo(before + 1);
        // ingest publishes only the events it owns
        assertThatThrownBy(() -> ingestConnection.jetStream().publish(Subjects.event("lobby", "recording-started"), new byte[0],
                io.nats.client.PublishOptions.builder().streamTimeout(Duration.ofSeconds(3)).build()))
                .isInstanceOfAny(IOException.class, TimeoutException.class);
    }
}
