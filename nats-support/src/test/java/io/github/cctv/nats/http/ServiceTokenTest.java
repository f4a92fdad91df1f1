package io.github.cctv.nats.http;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceTokenTest {

    @Test
    void admitsOnlyTheBearerOfThisToken() {
        ServiceToken token = ServiceToken.of("a-long-service-token-123");
        assertThat(token.admits(token.header())).isTrue();
        assertThat(token.admits("bearer a-long-service-token-123")).as("the scheme is case-insensitive").isTrue();
        assertThat(token.admits("Bearer a-long-service-token-12")).isFalse();
        assertThat(token.admits("Bearer a-long-service-token-1234")).isFalse();
        assertThat(token.admits("Basic a-long-service-token-123")).isFalse();
        assertThat(token.admits("a-long-service-token-123")).isFalse();
        assertThat(token.admits("Bearer ")).isFalse();
        assertThat(token.admits(null)).isFalse();
        assertThat(token.toString()).doesNotContain("a-long");
    }

    @Test
    void readsTheTokenFromItsFileWhichWinsOverTheValue(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  from-the-file-0123456789\n");
        ServiceToken token = ServiceToken.from(Optional.of(file), Optional.of("from-the-value-0123456789")).orElseThrow();
        assertThat(token.header()).isEqualTo("Bearer from-the-file-0123456789");
        assertThat(ServiceToken.from(Optional.empty(), Optional.of("from-the-value-0123456789")).orElseThrow().header())
                .isEqualTo("Bearer from-the-value-0123456789");
        assertThat(ServiceToken.from(Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void refusesAShortTokenAnEmptyOrMissingFileWithItsName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ServiceToken.of("short")).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> ServiceToken.of("has a space in it, 0123456789")).hasMessageContaining("without spaces");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> ServiceToken.from(Optional.of(empty), Optional.empty())).hasMessageContaining(empty.toString())
                .hasMessageContaining("empty");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> ServiceToken.from(Optional.of(missing), Optional.empty())).hasMessageContaining(missing.toString());
    }
}
