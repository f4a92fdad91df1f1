package io.github.cctv.dashboard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Every setting of the dashboard; each one can be set from the environment ({@code CCTV_DASHBOARD_*}). */
@ConfigMapping(prefix = "cctv.dashboard")
public interface DashboardConfig {

    /** Base URL of the recorder's HTTP API; {@code /api/recordings/**} is proxied to it. */
    @WithDefault("http://127.0.0.1:8081")
    String recorderUrl();

    /** How long the proxy waits for a TCP connection to the recorder before answering 503. */
    @WithDefault("2s")
    Duration recorderConnectTimeout();

    /** How long a recording command waits for a recorder's reply before answering 503. */
    @WithDefault("2s")
    Duration controlTimeout();

    /** A tile whose newest frame is older than this is shown as stale in the UI. */
    @WithDefault("3s")
    Duration staleAfter();

    /** Retry interval for watching the registry and recording buckets while NATS or a bucket is absent. */
    @WithDefault("2s")
    Duration watchRetry();

    /** Most cameras one browser may watch at once. */
    @WithDefault("64")
    int maxCamerasPerViewer();

    /** Status messages a browser may leave unread before it is disconnected (the page reconnects afresh). */
    @WithDefault("1000")
    int maxPendingTextMessages();

    /** How many of the newest messages of the events stream one history query scans. */
    @WithDefault("10000")
    int eventScanLimit();

    /** Most events one history query returns. */
    @WithDefault("1000")
    int maxEventLimit();

    /** Frames the NATS frame subscription may buffer before NATS drops (and counts) for this service. */
    @WithDefault("256")
    int framePendingMessages();

    /** Bytes the NATS frame subscription may buffer before NATS drops (and counts) for this service. */
    @WithDefault("134217728")
    long framePendingBytes();

    /** Sign-in: who may watch. */
    Auth auth();

    /** Sign-in settings ({@code cctv.dashboard.auth.*}, env {@code CCTV_DASHBOARD_AUTH_*}). */
    interface Auth {

        /** Whether every page, API call and the live WebSocket require a signed-in user (or HTTP Basic). */
        @WithDefault("true")
        boolean enabled();

        /** The user name to sign in with. */
        @WithDefault("admin")
        String username();

        /** The password; when unset a random one is generated at start-up and logged once at WARN. */
        Optional<String> password();

        /** Key that signs session cookies (random per start when unset); share it between load-balanced dashboards. */
        Optional<String> sessionSecret();

        /** How long a sign-in lasts before the browser must sign in again. */
        @WithDefault("12h")
        Duration sessionMaxAge();

        /** Failed sign-ins from one client address within {@code failure-window} before it gets 429. */
        @WithDefault("5")
        int maxFailures();

        /** The window over which failed sign-ins per client address are counted. */
        @WithDefault("1m")
        Duration failureWindow();
    }
}
