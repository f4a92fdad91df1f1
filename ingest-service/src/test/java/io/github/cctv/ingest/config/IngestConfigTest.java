package io.github.cctv.ingest.config;

import io.github.cctv.nats.Topology;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IngestConfigTest {

    @Test
    void theDefaultStreamLimitsAreTheTopologyTheTestsBuild() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(IngestConfig.class).build();
        IngestConfig ingest = config.getConfigMapping(IngestConfig.class);
        Topology configured = new Topology(ingest.framesStream().maxAge(), ingest.framesStream().maxBytes(),
                ingest.eventsStream().maxAge());
        assertThat(configured).isEqualTo(Topology.defaults());
    }
}
