package io.github.cctv.ingest.config;

import io.github.cctv.nats.Topology;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IngestConfigTest {

    /** The configuration with nothing set: every default. */
    static IngestConfig defaults() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(IngestConfig.class).build();
        return config.getConfigMapping(IngestConfig.class);
    }

    @Test
    void theDefaultStreamLimitsAreTheTopologyTheTestsBuild() {
        IngestConfig ingest = defaults();
        Topology configured = new Topology(ingest.framesStream().maxAge(), ingest.framesStream().maxBytes(),
                ingest.eventsStream().maxAge(), ingest.eventsStream().maxBytes(), ingest.registry().maxCameras());
        assertThat(configured).isEqualTo(Topology.defaults());
        assertThat(new io.github.cctv.ingest.messaging.StreamSetup(ingest).topology()).isEqualTo(Topology.defaults());
    }

    @Test
    void outOfTheBoxCamerasMustAuthenticateAndBothCodecsAreTaken() {
        IngestConfig ingest = defaults();
        assertThat(ingest.allowUnauthenticated()).isFalse();
        assertThat(ingest.codecs()).isEqualTo("jpeg,h264");
        assertThat(ingest.messageTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(ingest.registry().offlineExpiry()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(ingest.lease()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(ingest.instanceId()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IngestBeans().tokens(ingest))
                .hasMessageContaining("no camera authentication is configured");
    }

    @Test
    void outOfTheBoxTheCameraPortSpeaksTlsAndThePlainPortIsOff() {
        IngestConfig ingest = defaults();
        assertThat(ingest.tls().enabled()).isTrue();
        assertThat(ingest.plain().enabled()).isFalse();
        assertThat(ingest.port()).isEqualTo(9000);
        assertThat(ingest.plain().port()).isEqualTo(9001);
    }
}
