package io.github.cctv.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"cam1", "front_door", "Yard-2", "a", "0123456789012345678901234567890123456789012345678901234567890123"})
    void acceptsLettersDigitsUnderscoreAndDash(String id) {
        assertThat(CameraId.isValid(id)).isTrue();
        assertThat(CameraId.requireValid(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "*", ">", "../x", "a/b", "..", "cam 1", "cam\n1", "café", "a\\b",
            "01234567890123456789012345678901234567890123456789012345678901234"})
    void rejectsSubjectAndPathInjection(String id) {
        assertThat(CameraId.isValid(id)).isFalse();
        assertThatThrownBy(() -> CameraId.requireValid(id)).isInstanceOf(CameraId.InvalidCameraIdException.class);
    }

    @Test
    void rejectsEmptyAndNullWithAClearMessage() {
        assertThat(CameraId.isValid(null)).isFalse();
        assertThatThrownBy(() -> CameraId.requireValid("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> CameraId.requireValid("x".repeat(65))).hasMessageContaining("65 characters");
        assertThatThrownBy(() -> CameraId.requireValid("a.b")).hasMessageContaining("letters, digits");
    }
}
