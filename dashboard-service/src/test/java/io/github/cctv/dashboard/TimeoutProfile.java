package io.github.cctv.dashboard;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** A short header timeout, so that tests see connections closed within seconds. */
public class TimeoutProfile implements QuarkusTestProfile {

    static final int HEADER_TIMEOUT_SECONDS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("cctv.dashboard.header-timeout", HEADER_TIMEOUT_SECONDS + "s");
    }
}
