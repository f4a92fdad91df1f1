package io.github.cctv.ingest.config;

import io.quarkus.arc.DefaultBean;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** The clock that decides timeouts and timestamps; a test can replace it with a fixed one. */
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
