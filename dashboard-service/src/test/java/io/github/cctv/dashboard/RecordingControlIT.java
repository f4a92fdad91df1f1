package io.github.cctv.dashboard;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.Dispatcher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class RecordingControlIT {

    @TestHTTPResource("/api/cameras")
    URI cameras;

    @Test
    void startCommandReachesTheRecorderAndItsReplyComesBack() throws Exception {
        List<RecordingCommand> received = new CopyOnWriteArrayList<>();
        Instant since = Instant.parse("2026-03-01T12:00:00Z");
        Dispatcher recorder = NatsFixtures.nats().createDispatcher(msg -> {
            RecordingCommand cmd = Events.read(msg.getData(), RecordingCommand.class);
            received.add(cmd);
            NatsFixtures.nats().publish(msg.getReplyTo(), Events.write(
                    new RecordingReply("rc-cam", RecordingReply.STARTED, true, since, "recording")));
        });
        recorder.subscribe(Subjects.recordingControl("rc-cam"));
        NatsFixtures.nats().flush(java.time.Duration.ofSeconds(1));
        try {
            Instant sent = Instant.now();
            var response = Http.postJson(URI.create(cameras + "/rc-cam/recording"), "{\"action\":\"start\"}");

            assertThat(response.statusCode()).isEqualTo(200);
            var reply = Http.json(response);
            assertThat(reply.path("result").asText()).isEqualTo("started");
            assertThat(reply.path("recording").asBoolean()).isTrue();
            assertThat(reply.path("since").asText()).isEqualTo("2026-03-01T12:00:00Z");
            assertThat(received).extracting(RecordingCommand::action).containsExactly("start");
            assertThat(received.get(0).by()).isEqualTo("dashboard");
            // the deadline is the dashboard's own wait (control-timeout, 2 s): the recorder ignores it when later
            assertThat(received.get(0).deadline()).isBetween(sent.plusMillis(1500), Instant.now().plusMillis(2500));
        } finally {
            NatsFixtures.nats().closeDispatcher(recorder);
        }
    }

    @Test
    void answers503WithAClearMessageWhenNoRecorderAnswers() throws Exception {
        var response = Http.postJson(URI.create(cameras + "/rc-nobody/recording"), "{\"action\":\"stop\"}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Http.json(response).path("message").asText()).contains("no recorder answered");
    }

    @Test
    void rejectsInvalidCameraIdsAndActions() throws Exception {
        var badId = Http.postJson(URI.create(cameras + "/bad%2Eid/recording"), "{\"action\":\"start\"}");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(Http.json(badId).path("message").asText()).contains("bad.id");

        var badAction = Http.postJson(URI.create(cameras + "/rc-cam/recording"), "{\"action\":\"format-disk\"}");
        assertThat(badAction.statusCode()).isEqualTo(400);
        assertThat(Http.json(badAction).path("message").asText()).contains("start");
    }
}
