package io.github.cctv.dashboard.endpoint;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginsTest {

    private static final String OWN = "http://cctv.local:8080";
    private final Origins own = new Origins(Optional.empty());

    @Test
    void byDefaultOnlyTheDashboardsOwnOriginIsAllowed() {
        assertThat(own.check("http://cctv.local:8080", null, null, OWN).allowed()).isTrue();
        assertThat(own.check("HTTP://CCTV.local:8080", null, null, OWN).allowed()).isTrue();
        // another port of the same host is the same site but another origin
        assertThat(own.check("http://cctv.local:9999", null, null, OWN).allowed()).isFalse();
        assertThat(own.check("https://cctv.local:8080", null, null, OWN).allowed()).isFalse();
        assertThat(own.check("http://evil.example", null, null, OWN).allowed()).isFalse();
        assertThat(own.check("null", null, null, OWN).allowed()).isFalse();
        assertThat(own.check("http://cctv.local:8080", null, null, null).allowed()).isFalse();
        assertThat(own.check("http://evil.example", "same-origin", OWN + "/", OWN).reason())
                .contains("Origin 'http://evil.example' is not allowed");
    }

    @Test
    void defaultPortsAreTheSameOrigin() {
        assertThat(own.check("https://cctv.example.com", null, null, "https://cctv.example.com:443").allowed()).isTrue();
        assertThat(own.check("http://cctv.example.com:80", null, null, "http://cctv.example.com").allowed()).isTrue();
        assertThat(own.check("http://[::1]:8080", null, null, "http://[::1]:8080").allowed()).isTrue();
    }

    @Test
    void withoutOriginSecFetchSiteThenRefererDecide() {
        assertThat(own.check(null, "same-origin", null, OWN).allowed()).isTrue();
        assertThat(own.check(null, "same-site", null, OWN).allowed()).isFalse();
        assertThat(own.check(null, "cross-site", OWN + "/index.html", OWN).allowed()).isFalse();
        assertThat(own.check(null, null, OWN + "/index.html?x=1", OWN).allowed()).isTrue();
        assertThat(own.check(null, null, "http://evil.example/page", OWN).allowed()).isFalse();
        assertThat(own.check(null, null, "not a url", OWN).allowed()).isFalse();
    }

    @Test
    void aRequestThatNamesNoOriginAtAllIsNotFromABrowserPageAndPasses() {
        assertThat(own.check(null, null, null, OWN).allowed()).isTrue();
    }

    @Test
    void configuredOriginsReplaceTheOwnOne() {
        Origins proxied = new Origins(Optional.of(List.of("https://cctv.example.com/", " https://cctv.example.org:8443")));
        assertThat(proxied.check("https://cctv.example.com", null, null, "http://127.0.0.1:8080").allowed()).isTrue();
        assertThat(proxied.check("https://cctv.example.org:8443", null, null, OWN).allowed()).isTrue();
        assertThat(proxied.check(OWN, null, null, OWN).allowed()).isFalse();
        assertThatThrownBy(() -> new Origins(Optional.of(List.of("cctv.example.com"))))
                .hasMessageContaining("allowed-origins").hasMessageContaining("cctv.example.com");
        assertThatThrownBy(() -> new Origins(Optional.of(List.of("https://cctv.example.com/path"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyJsonIsJson() {
        assertThat(CrossSiteGuard.isJson("application/json")).isTrue();
        assertThat(CrossSiteGuard.isJson("Application/JSON; charset=utf-8")).isTrue();
        for (String other : new String[]{null, "", "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonx", "text/plain; application/json"}) {
            assertThat(CrossSiteGuard.isJson(other)).as(String.valueOf(other)).isFalse();
        }
    }

    @Test
    void playbacksAndDownloadsAreStreamsListingsAndMetadataAreNot() {
        assertThat(RecordingsProxy.isStream("/api/recordings")).isFalse();
        assertThat(RecordingsProxy.isStream("/api/recordings/")).isFalse();
        assertThat(RecordingsProxy.isStream("/api/recordings/r1")).isFalse();
        assertThat(RecordingsProxy.isStream("/api/recordings/r1/")).isFalse();
        assertThat(RecordingsProxy.isStream("/api/recordings/r1/play")).isTrue();
        assertThat(RecordingsProxy.isStream("/api/recordings/r1/file")).isTrue();
        assertThat(RecordingsProxy.isStream("/api/recordings/r1/export.mp4")).isTrue();
    }
}
