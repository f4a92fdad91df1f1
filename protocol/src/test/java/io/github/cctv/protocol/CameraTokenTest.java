package io.github.cctv.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraTokenTest {

    @Test
    void isWhatOpensslComputesFromTheSecretAndTheCameraId() {
        // printf 'cctv-camera:%s' demo-01 | openssl dgst -sha256 -hmac "test-secret-0123456789" -binary \
        //   | openssl base64 -A | tr '+/' '-_' | tr -d '='
        assertThat(CameraToken.derive("test-secret-0123456789", "demo-01")).isEqualTo("l49cHoVw7RN8dbcbu8bW-8c0IhrL9I_bqNLrblAoN6k");
        // the secret's UTF-8 bytes are the key, as a UTF-8 terminal hands them to openssl
        assertThat(CameraToken.derive("ünï-secret-with-utf8!", "cam_2-X")).isEqualTo("C6XJrG0Sm4tS_8bCEmxsOUsQONP-CoT3q0HusTcPaqo");
    }

    @Test
    void differsPerCameraAndPerSecretAndIsUrlSafeWithoutPadding() {
        String a = CameraToken.derive("s3cret-s3cret-s3cret", "cam1");
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(CameraToken.derive("s3cret-s3cret-s3cret", "cam2")).isNotEqualTo(a);
        assertThat(CameraToken.derive("s3cret-s3cret-s3creT", "cam1")).isNotEqualTo(a);
    }

    @Test
    void refusesAnEmptySecretAndAnInvalidCameraId() {
        assertThatThrownBy(() -> CameraToken.derive("", "cam1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CameraToken.derive("secret", "a.b")).isInstanceOf(IllegalArgumentException.class);
    }
}
