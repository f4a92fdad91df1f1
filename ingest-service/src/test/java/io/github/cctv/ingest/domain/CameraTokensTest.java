package io.github.cctv.ingest.domain;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraTokensTest {

    @Test
    void letsEveryCameraInWithoutTokens() {
        CameraTokens tokens = new CameraTokens(Optional.empty(), Optional.empty());
        assertThat(tokens.accepts("cam1", "")).isTrue();
        assertThat(tokens.accepts("cam1", "anything")).isTrue();
    }

    @Test
    void requiresSharedTokenAndPerCameraTokenWhereOneIsSet() {
        CameraTokens tokens = new CameraTokens(Optional.of("shared"), Optional.of("cam1:one, cam2:two"));
        assertThat(tokens.accepts("cam3", "shared")).isTrue();
        assertThat(tokens.accepts("cam3", "")).isFalse();
        assertThat(tokens.accepts("cam1", "one")).isTrue();
        assertThat(tokens.accepts("cam1", "shared")).isFalse();
        assertThat(tokens.accepts("cam2", "two")).isTrue();
        assertThat(tokens.accepts("cam2", "one")).isFalse();
    }

    @Test
    void refusesMalformedCameraTokensWithoutEchoingSecrets() {
        assertThatThrownBy(() -> new CameraTokens(Optional.empty(), Optional.of("cam1:ok,topsecret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 2")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> new CameraTokens(Optional.empty(), Optional.of("a.b:secret")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
