package io.github.cctv.dashboard.domain.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordsTest {

    @Test
    void aHashIsSaltedBcryptAndMatchesOnlyItsPassword() {
        String a = Passwords.hash("s3cret-password");
        String b = Passwords.hash("s3cret-password");
        assertThat(a).matches("\\$2a\\$10\\$.{53}").doesNotContain("s3cret").isNotEqualTo(b);
        assertThat(Passwords.matches("s3cret-password", a)).isTrue();
        assertThat(Passwords.matches("s3cret-password", b)).isTrue();
        assertThat(Passwords.matches("s3cret-password ", a)).isFalse();
        assertThat(Passwords.matches(null, a)).isFalse();
        assertThat(Passwords.matches("s3cret-password", null)).isFalse();
        assertThat(Passwords.matches("s3cret-password", "not a hash")).isFalse();
        assertThat(Passwords.matches("x".repeat(200), a)).isFalse();
    }

    @Test
    void shortAndOverlongPasswordsAreRefusedWithAReason() {
        assertThatThrownBy(() -> Passwords.requireAcceptable("short")).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> Passwords.requireAcceptable("é".repeat(40))).hasMessageContaining("at most 72 bytes");
        assertThat(Passwords.requireAcceptable("long enough")).isEqualTo("long enough");
    }
}
