package io.github.cctv.dashboard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting of the dashboard; each one can be set from the environment ({@code CCTV_DASHBOARD_*}). */
@ConfigMapping(prefix = "cctv.dashboard")
public interface DashboardConfig {

    /** Base URL of the recorder's HTTP API; {@code /api/recordings/**} is proxied to it. */
    @WithDefault("http://127.0.0.1:8081")
    String recorderUrl();

    /**
     * How long the proxy waits for a connection to the recorder (a new TCP connection, or a free one of its pool)
     * before answering 503 with {@code Retry-After}.
     */
    @WithDefault("2s")
    Duration recorderConnectTimeout();

    /** Connections to the recorder for playbacks, downloads and exports; more at once get 503 with {@code Retry-After}. */
    @WithDefault("64")
    int recorderMaxStreams();

    /** Connections to the recorder for listings and metadata, apart from the streams so that they never wait behind them. */
    @WithDefault("8")
    int recorderMaxApiConnections();

    /** How long a listing or metadata request waits for the recorder's answer before 503 with {@code Retry-After}. */
    @WithDefault("10s")
    Duration recorderApiTimeout();

    /**
     * Origins ({@code scheme://host[:port]}) whose pages may send state-changing requests and open the live WebSocket,
     * comma-separated; unset: only the dashboard's own origin as the browser sees it ({@code Host}, and
     * {@code X-Forwarded-Proto} for the scheme). Set it when a reverse proxy changes the host name.
     */
    Optional<List<String>> allowedOrigins();

    /**
     * A connection that sends nothing for this long while the dashboard waits for a request's headers is closed:
     * half-sent requests, idle keep-alive connections.
     */
    @WithDefault("10s")
    Duration headerTimeout();

    /** Once a request's headers are in, and on a live WebSocket, nothing read or written for this long closes the connection. */
    @WithDefault("30m")
    Duration idleTimeout();

    /** How long a recording command waits for a recorder's reply before answering 503. */
    @WithDefault("2s")
    Duration controlTimeout();

    /** A tile whose newest frame is older than this is shown as stale in the UI. */
    @WithDefault("3s")
    Duration staleAfter();

    /** Retry interval for watching the registry and recording buckets while NATS or a bucket is absent. */
    @WithDefault("2s")
    Duration watchRetry();

    /** Most cameras one browser may watch at once; the page is told and subscribes to no more than its visible tiles. */
    @WithDefault("64")
    int maxCamerasPerViewer();

    /** Per watched H.264 stream: most bytes of the frames since the newest key frame kept for viewers who join. */
    @WithDefault("8388608")
    long gopCacheBytes();

    /** Per viewer and H.264 camera: most bytes queued for the page before it skips to the next key frame. */
    @WithDefault("8388608")
    long viewerQueueBytes();

    /** Per viewer and H.264 camera: longest a queued frame may wait for the page before it skips to the next key frame. */
    @WithDefault("1s")
    Duration viewerQueueLag();

    /** Most H.264 snapshots decoded at once; more requests are answered 503. */
    @WithDefault("2")
    int maxSnapshotDecodes();

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

        /** The first admin's user name, made when the users bucket has no enabled admin. */
        @WithDefault("admin")
        String username();

        /**
         * The first admin's password; when unset, {@code password-file} is read, else a random one is generated and
         * logged once at WARN when the admin is made.
         */
        Optional<String> password();

        /** File holding the password (when {@code password} is unset); created with a random one, owner-only, if missing. */
        Optional<Path> passwordFile();

        /** Key that signs session cookies; when unset, {@code session-secret-file} is read, else a random key per start. */
        Optional<String> sessionSecret();

        /**
         * File holding the session key (when {@code session-secret} is unset), so that a restart keeps people signed in;
         * created with a random key, owner-only, if missing. Share it between load-balanced dashboards.
         */
        Optional<Path> sessionSecretFile();

        /** How long a sign-in lasts before the browser must sign in again. */
        @WithDefault("12h")
        Duration sessionMaxAge();

        /**
         * Failed sign-ins within {@code failure-window} before 429: counted per browser that signed in here before
         * (its device cookie), else per client address.
         */
        @WithDefault("5")
        int maxFailures();

        /** The window over which failed sign-ins are counted. */
        @WithDefault("1m")
        Duration failureWindow();

        /** How long a browser that signed in is remembered, so that failures from elsewhere never lock it out. */
        @WithDefault("90d")
        Duration deviceMaxAge();
    }
}
