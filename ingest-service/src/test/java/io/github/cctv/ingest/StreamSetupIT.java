package io.github.cctv.ingest;

import io.github.cctv.ingest.messaging.StreamSetup;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class StreamSetupIT extends IngestTestSupport {

    @Inject
    StreamSetup setup;

    @Test
    void startupIsIdempotentAndRestoresConfiguredLimits() throws Exception {
        JetStreamManagement jsm = probe.connection.jetStreamManagement();
        // someone changed the limits behind ingest's back
        jsm.updateStream(StreamConfiguration.builder(setup.framesStream()).maxAge(Duration.ofSeconds(5))
                .duplicateWindow(Duration.ofSeconds(2)).maxBytes(1_000_000).build());
        jsm.updateStream(StreamConfiguration.builder(setup.eventsStream()).maxAge(Duration.ofHours(1)).build());

        setup.ensure(probe.connection);
        setup.ensure(probe.connection);

        StreamConfiguration frames = jsm.getStreamInfo(Subjects.FRAMES_STREAM).getConfiguration();
        assertThat(frames.getMaxAge()).isEqualTo(Duration.ofSeconds(60));
        assertThat(frames.getMaxBytes()).isEqualTo(1L << 30);
        assertThat(frames.getSubjects()).containsExactly(Subjects.FRAMES_ALL);
        assertThat(frames.getStorageType()).isEqualTo(io.nats.client.api.StorageType.Memory);
        StreamConfiguration events = jsm.getStreamInfo(Subjects.EVENTS_STREAM).getConfiguration();
        assertThat(events.getMaxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(events.getStorageType()).isEqualTo(io.nats.client.api.StorageType.File);
        assertThat(probe.connection.keyValueManagement().getBucketNames()).contains(Subjects.CAMERAS_BUCKET);
    }
}
