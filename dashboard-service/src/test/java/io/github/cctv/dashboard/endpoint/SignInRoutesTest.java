package io.github.cctv.dashboard.endpoint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignInRoutesTest {

    @Test
    void nextIsOnlyEverAPathOnThisServer() {
        assertThat(SignInRoutes.safeNext("/recordings.html?camera=cam1")).isEqualTo("/recordings.html?camera=cam1");
        assertThat(SignInRoutes.safeNext("/")).isEqualTo("/");
        for (String bad : new String[]{null, "", "//evil.example", "/\\evil.example", "https://evil.example/",
                "evil.example", "javascript:alert(1)", "/a b", "/x\r\nSet-Cookie: a=b", "/login.html?next=/"}) {
            assertThat(SignInRoutes.safeNext(bad)).as(String.valueOf(bad)).isEqualTo("/");
        }
    }

    @Test
    void sessionCookieIsHttpOnlyStrictAndSecureOnlyOverHttps() {
        assertThat(SignInRoutes.cookie("tok", 43200, false))
                .isEqualTo("cctv_session=tok; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
        assertThat(SignInRoutes.cookie("tok", 43200, true)).endsWith("; Secure");
    }
}
