package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.recorders.Recorder;
import io.github.cctv.dashboard.domain.recorders.Recorders;
import io.github.cctv.nats.http.ServiceToken;
import io.github.cctv.nats.http.ServiceTokenConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.github.cctv.dashboard.domain.auth.Principal;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Streams {@code /api/recordings/**}, {@code /api/timeline/**}, {@code /api/storage} and {@code /api/exports/**} to
 * the recorder's HTTP API, so that the browser only talks to the
 * dashboard: method, path, query, {@code Range} and status codes pass through, bodies are piped with
 * back-pressure (an MJPEG playback or a large download never sits in memory). Playbacks, downloads and exports
 * go through one pool of connections to the recorder, listings and metadata through another, so that held
 * playbacks never make a listing wait; a request that gets no connection within {@code recorder-connect-timeout}
 * (the recorder absent, or every connection of its pool busy), or a listing the recorder does not answer within
 * {@code recorder-api-timeout}, is answered 503 with {@code Retry-After} and a JSON message. Reading is open to
 * every method-safe request; the few writes review needs ({@link #writable}: an export job started or cancelled, a
 * recording kept or released, a recording or a range deleted) go to {@link ReviewWrites}. Anything else is 405.
 * Only operators and admins get here ({@link AccessRules}). For a user limited to some cameras, a recording's or an
 * export's camera is asked of the recorder before its file, playback, export, thumbnail or frame is passed on (403
 * when it is not the user's; asked once, then remembered, since it never changes: a scrub's many range requests
 * wait for no extra question), a {@code camera=} of another camera is 403, and a listing of all cameras (recordings,
 * timeline, storage) is read whole and filtered to the user's cameras.
 * The browser's credentials stay here; the recorder is sent the service token instead.
 *
 * <p>With several recorders ({@link Recorders}: those announced in {@code cctv-recorders}), a listing (recordings,
 * timeline, storage, a position on the timeline) is asked of every recorder and answered with their answers merged
 * ({@link RecorderAnswers}; a recorder that does not answer is left out and named in {@value #UNAVAILABLE_HEADER},
 * 503 only when none answers), and a recording or an export goes to the recorder that has it: known from a listing
 * or an earlier answer, else asked of every recorder. With one recorder everything passes straight through.
 */
@Singleton
public class RecordingsProxy {

    static final String PREFIX = "/api/recordings";
    /** Every path under these goes to the recorder. */
    static final java.util.List<String> PREFIXES = java.util.List.of(PREFIX, "/api/timeline", "/api/storage",
            "/api/exports");

    private static final Logger LOG = Logger.getLogger(RecordingsProxy.class);
    /** Answer header naming the recorders that a merged listing lacks because they did not answer. */
    static final String UNAVAILABLE_HEADER = "X-CCTV-Recorders-Unavailable";
    /** The listings asked of every recorder and merged. */
    static final Set<String> LISTINGS = Set.of(PREFIX, "/api/timeline", "/api/storage", "/api/timeline/at");
    /** Seconds a client is told to wait after a 503. */
    static final String RETRY_AFTER = "2";

    /** Hop-by-hop headers (RFC 9110 7.6.1) are the proxy's own business and never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");
    /** The dashboard's own credentials (session cookie, Basic header) are never passed on to the recorder. */
    private static final Set<String> NOT_FORWARDED = Set.of("authorization", "cookie");

    private final DashboardConfig config;
    private final Recorders recorders;
    /** Sent with every request to the recorder, whose API requires it (cctv.http.service-token-file). */
    private final Optional<ServiceToken> serviceToken;
    /** Playbacks, downloads, exports: long streams. */
    private HttpClient streams;
    /** Listings and metadata: short answers. */
    private HttpClient api;

    public RecordingsProxy(DashboardConfig config, ServiceTokenConfig tokenConfig, Recorders recorders) {
        this.config = config;
        this.serviceToken = ServiceToken.from(tokenConfig);
        this.recorders = recorders;
    }

    void routes(@Observes Router router, Vertx vertx) {
        streams = vertx.createHttpClient(clientOptions(config.recorderMaxStreams()));
        api = vertx.createHttpClient(clientOptions(config.recorderMaxApiConnections()));
        for (String prefix : PREFIXES) {
            router.route(prefix).order(-10).handler(this::proxy);
            router.route(prefix + "/*").order(-10).handler(this::proxy);
        }
    }

    private HttpClientOptions clientOptions(int connections) {
        return new HttpClientOptions()
                .setConnectTimeout((int) config.recorderConnectTimeout().toMillis())
                .setMaxPoolSize(connections)
                // waiting requests are bounded in number as well as in time (the request's connect timeout)
                .setMaxWaitQueueSize(connections * 4);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (streams != null) {
            streams.close();
            api.close();
        }
    }

    private void proxy(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        HttpServerResponse out = ctx.response();
        String path = in.path();
        if (path.contains("..") || path.contains("//")) {
            fail(ctx, 400, "invalid recordings path");
            return;
        }
        boolean read = in.method() == HttpMethod.GET || in.method() == HttpMethod.HEAD;
        if (!read && writable(in.method(), path)) {
            ctx.next(); // the writes review makes: ReviewWrites, with their JSON bodies
            return;
        }
        if (!read) {
            fail(ctx, 405, in.method() + " " + path + " is not allowed through the dashboard");
            return;
        }
        Principal who = AuthFilter.principal(ctx);
        List<Recorder> all = recorders.all();
        if (all.size() > 1) {
            spread(ctx, path, who, all);
        } else if (who.allCameras()) {
            forward(ctx, path, all.get(0));
        } else {
            limited(ctx, path, who, all.get(0));
        }
    }

    /** A read with several recorders: a listing merged from all, a recording or export from the one that has it. */
    private void spread(RoutingContext ctx, String path, Principal who, List<Recorder> all) {
        String camera = ctx.request().getParam("camera");
        if (!who.allCameras() && camera != null && !camera.isEmpty() && !who.mayWatch(camera)) {
            fail(ctx, 403, "camera " + camera + " is not among your cameras");
            return;
        }
        String meta = metadataPath(path);
        if (meta != null) {
            Optional<String> known = who.allCameras() ? Optional.empty() : recorders.cameraOf(meta);
            if (known.isPresent() && !who.mayWatch(known.get())) {
                fail(ctx, 403, "camera " + known.get() + " is not among your cameras");
                return;
            }
            ctx.request().pause();
            locate(meta, all, !who.allCameras() && known.isEmpty()).onComplete(r -> {
                ctx.request().resume();
                if (r.failed()) {
                    unavailable(ctx, r.cause(), "no recorder");
                    return;
                }
                Located found = r.result();
                if (found.recorder() == null) {
                    ctx.response().setStatusCode(found.status()).putHeader("Content-Type", "application/json")
                            .end(found.body());
                    return;
                }
                if (!who.allCameras() && known.isEmpty()) {
                    String owner = cameraOf(found.body());
                    if (owner != null) {
                        recorders.isOf(meta, owner);
                    }
                    if (owner == null || !who.mayWatch(owner)) {
                        fail(ctx, 403, "camera " + owner + " is not among your cameras");
                        return;
                    }
                }
                forward(ctx, path, found.recorder());
            });
            return;
        }
        if (LISTINGS.contains(path)) {
            ctx.request().pause();
            merged(ctx, path, all).onComplete(r -> {
                ctx.request().resume();
                if (r.failed()) {
                    unavailable(ctx, r.cause(), "no recorder");
                    return;
                }
                Merged m = r.result();
                Buffer body = m.body();
                if (m.status() == 200 && !who.allCameras()) {
                    body = filtered(body, who);
                }
                if (!m.missing().isEmpty()) {
                    ctx.response().putHeader(UNAVAILABLE_HEADER, String.join(",", m.missing()));
                }
                ctx.response().setStatusCode(m.status()).putHeader("Content-Type", "application/json").end(body);
            });
            return;
        }
        forward(ctx, path, all.get(0));
    }

    /** Where a recording or export is: its recorder and metadata, or (recorder null) the answer to give instead. */
    private record Located(Recorder recorder, int status, Buffer body) {
    }

    /** One recorder's answer, or the reason it gave none. */
    private record Answer(Recorder recorder, Fetched fetched, Throwable failure) {
    }

    /** A merged listing: status and body, and the recorders that did not answer. */
    private record Merged(int status, Buffer body, List<String> missing) {
    }

    /**
     * The recorder of the recording or export at {@code meta} ({@code /api/recordings/<id>}): the one remembered
     * (without asking it when {@code needMeta} is false), else the one of all that answers 200, remembered.
     */
    private Future<Located> locate(String meta, List<Recorder> all, boolean needMeta) {
        java.util.Optional<Recorder> held = recorders.holder(meta);
        if (held.isPresent() && !needMeta) {
            return Future.succeededFuture(new Located(held.get(), 200, null));
        }
        return askAll(meta, held.map(List::of).orElse(all)).compose(answers -> {
            for (Answer a : answers) {
                if (a.fetched() != null && a.fetched().status() == 200) {
                    recorders.holds(meta, a.recorder());
                    return Future.succeededFuture(new Located(a.recorder(), 200, a.fetched().body()));
                }
            }
            if (held.isPresent()) {
                return askAll(meta, all).map(again -> located(meta, again));
            }
            return Future.succeededFuture(located(meta, answers));
        }).compose(l -> l == null ? Future.failedFuture(new java.io.IOException("no recorder answered")) : Future.succeededFuture(l));
    }

    /** The recorder that answered 200, else the first recorder's other answer; null when none answered. */
    private Located located(String meta, List<Answer> answers) {
        Answer other = null;
        for (Answer a : answers) {
            if (a.fetched() != null && a.fetched().status() == 200) {
                recorders.holds(meta, a.recorder());
                return new Located(a.recorder(), 200, a.fetched().body());
            }
            if (a.fetched() != null && other == null) {
                other = a;
            }
        }
        return other == null ? null : new Located(null, other.fetched().status(), other.fetched().body());
    }

    /** Asks {@code uri} of every recorder at once; each answer or failure, in the order of {@code all}. */
    private Future<List<Answer>> askAll(String uri, List<Recorder> all) {
        List<Future<Answer>> asked = new ArrayList<>();
        for (Recorder r : all) {
            asked.add(fetch(r, uri).map(f -> new Answer(r, f, null)).otherwise(e -> new Answer(r, null, e)));
        }
        return Future.all(asked).map(cf -> {
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> f : asked) {
                answers.add(f.result());
            }
            return answers;
        });
    }

    /** A listing asked of every recorder, merged; 503 (failed) only when none answers. */
    private Future<Merged> merged(RoutingContext ctx, String path, List<Recorder> all) {
        return askAll(ctx.request().uri(), all).compose(answers -> {
            List<String> missing = new ArrayList<>();
            List<Answer> ok = new ArrayList<>();
            Answer other = null;
            for (Answer a : answers) {
                if (a.fetched() == null) {
                    missing.add(a.recorder().id());
                } else if (a.fetched().status() == 200) {
                    ok.add(a);
                } else if (other == null) {
                    other = a;
                }
            }
            if (ok.isEmpty() && other == null) {
                return Future.failedFuture(answers.get(0).failure());
            }
            try {
                Buffer body = ok.isEmpty() ? null : merge(ctx, path, ok);
                if (body == null && other == null) {
                    return Future.succeededFuture(new Merged(404, ApiError.json(404, "no recorder has it"), missing));
                }
                if (body == null) {
                    return Future.succeededFuture(new Merged(other.fetched().status(), other.fetched().body(), missing));
                }
                return Future.succeededFuture(new Merged(200, body, missing));
            } catch (RuntimeException e) {
                LOG.debugf("unreadable recorder answer to %s: %s", path, e.toString());
                return Future.succeededFuture(new Merged(502, ApiError.json(502, "a recorder's answer is unreadable"), missing));
            }
        });
    }

    /** The recorders' 200 answers to a listing made one, remembering which recorder has which recording. */
    private Buffer merge(RoutingContext ctx, String path, List<Answer> ok) {
        List<String> ids = new ArrayList<>();
        List<JsonObject> objects = new ArrayList<>();
        if (path.equals(PREFIX)) {
            List<JsonArray> arrays = new ArrayList<>();
            for (Answer a : ok) {
                JsonArray items = a.fetched().body().toJsonArray();
                items.forEach(o -> remember(((JsonObject) o).getString("id"), a.recorder()));
                arrays.add(items);
            }
            String limit = ctx.request().getParam("limit");
            int max;
            try {
                max = limit == null || limit.isEmpty() ? RecorderAnswers.DEFAULT_LIMIT : Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                max = RecorderAnswers.DEFAULT_LIMIT; // the recorders refuse it first
            }
            return RecorderAnswers.recordings(arrays, max).toBuffer();
        }
        for (Answer a : ok) {
            JsonObject o = a.fetched().body().toJsonObject();
            ids.add(a.recorder().id());
            objects.add(o);
            if (path.equals("/api/timeline")) {
                for (Object line : o.getJsonArray("cameras", new JsonArray())) {
                    ((JsonObject) line).getJsonArray("segments", new JsonArray())
                            .forEach(seg -> remember(((JsonObject) seg).getString("id"), a.recorder()));
                }
            }
        }
        return switch (path) {
            case "/api/timeline" -> RecorderAnswers.timeline(objects).toBuffer();
            case "/api/storage" -> RecorderAnswers.storage(ids, objects).toBuffer();
            default -> {
                JsonObject at = RecorderAnswers.position(objects);
                yield at == null ? null : at.toBuffer();
            }
        };
    }

    private void remember(String recordingId, Recorder recorder) {
        if (recordingId != null) {
            recorders.holds(PREFIX + "/" + recordingId, recorder);
        }
    }

    private static String cameraOf(Buffer metadata) {
        try {
            return metadata == null ? null : metadata.toJsonObject().getString("cameraId");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A read by a user limited to some cameras: only what is of those cameras. */
    private void limited(RoutingContext ctx, String path, Principal who, Recorder recorder) {
        String camera = ctx.request().getParam("camera");
        if (camera != null && !camera.isEmpty()) {
            if (!who.mayWatch(camera)) {
                fail(ctx, 403, "camera " + camera + " is not among your cameras");
            } else {
                forward(ctx, path, recorder);
            }
            return;
        }
        String meta = metadataPath(path);
        if (meta != null) {
            Optional<String> known = recorders.cameraOf(meta);
            if (known.isPresent()) {
                if (who.mayWatch(known.get())) {
                    forward(ctx, path, recorder);
                } else {
                    fail(ctx, 403, "camera " + known.get() + " is not among your cameras");
                }
                return;
            }
            ctx.request().pause();
            fetch(recorder, meta).onComplete(r -> {
                ctx.request().resume();
                if (r.failed()) {
                    unavailable(ctx, r.cause(), recorder.base().toString());
                    return;
                }
                if (r.result().status() != 200) {
                    fail(ctx, r.result().status(), "no such recording or export: " + meta);
                    return;
                }
                String owner = cameraOf(r.result().body());
                if (owner != null) {
                    recorders.isOf(meta, owner);
                }
                if (owner == null || !who.mayWatch(owner)) {
                    fail(ctx, 403, "camera " + owner + " is not among your cameras");
                } else {
                    forward(ctx, path, recorder);
                }
            });
            return;
        }
        if (path.equals(PREFIX) || path.equals("/api/timeline") || path.equals("/api/storage")) {
            ctx.request().pause();
            fetch(recorder, ctx.request().uri()).onComplete(r -> {
                ctx.request().resume();
                if (r.failed()) {
                    unavailable(ctx, r.cause(), recorder.base().toString());
                    return;
                }
                Fetched f = r.result();
                Buffer body = f.body();
                if (f.status() == 200) {
                    try {
                        body = filtered(body, who);
                    } catch (RuntimeException e) {
                        fail(ctx, 502, "the recorder's answer is unreadable");
                        return;
                    }
                }
                ctx.response().setStatusCode(f.status()).putHeader("Content-Type", "application/json").end(body);
            });
            return;
        }
        // the timeline position of one camera needs camera=, which the recorder asks for
        forward(ctx, path, recorder);
    }

    /** {@code /api/recordings/<id>} of {@code /api/recordings/<id>/file} and the like; the same for exports; else null. */
    static String metadataPath(String path) {
        for (String prefix : new String[]{PREFIX + "/", "/api/exports/"}) {
            if (path.startsWith(prefix) && path.length() > prefix.length()) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                String id = slash < 0 ? rest : rest.substring(0, slash);
                return id.matches("[A-Za-z0-9_-]{1,128}") ? prefix + id : null;
            }
        }
        return null;
    }

    /**
     * A JSON array of things with a {@code cameraId}, or an object with such an array {@code cameras} (and, merged
     * from several recorders, each recorder's report with one): only the user's.
     */
    static Buffer filtered(Buffer body, Principal who) {
        Object json = Json.decodeValue(body);
        if (json instanceof JsonArray array) {
            return keep(array, who).toBuffer();
        }
        JsonObject object = (JsonObject) json;
        JsonArray cameras = object.getJsonArray("cameras");
        if (cameras != null) {
            object.put("cameras", keep(cameras, who));
        }
        // merged storage: each recorder's own report, its cameras filtered the same way
        JsonArray recorders = object.getJsonArray("recorders");
        if (recorders != null) {
            for (Object r : recorders) {
                JsonObject report = r instanceof JsonObject o ? o.getJsonObject("report") : null;
                if (report != null && report.getJsonArray("cameras") != null) {
                    report.put("cameras", keep(report.getJsonArray("cameras"), who));
                }
            }
        }
        return object.toBuffer();
    }

    private static JsonArray keep(JsonArray items, Principal who) {
        JsonArray kept = new JsonArray();
        for (Object item : items) {
            if (item instanceof JsonObject o && o.getString("cameraId") != null && who.mayWatch(o.getString("cameraId"))) {
                kept.add(o);
            }
        }
        return kept;
    }

    private record Fetched(int status, Buffer body) {
    }

    /** A short GET of a recorder's API, read whole. */
    private Future<Fetched> fetch(Recorder recorder, String uri) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(recorder.base().getHost())
                .setPort(recorder.port()).setSsl(recorder.https())
                .setURI(recorder.base().getRawPath() + uri).setConnectTimeout(config.recorderConnectTimeout().toMillis())
                .setIdleTimeout(config.recorderApiTimeout().toMillis());
        serviceToken.ifPresent(t -> options.putHeader(ServiceToken.HEADER, t.header()));
        return api.request(options).compose(req -> req.send())
                .compose(res -> res.body().map(b -> new Fetched(res.statusCode(), b)));
    }

    private void forward(RoutingContext ctx, String path, Recorder recorder) {
        HttpServerRequest in = ctx.request();
        HttpServerResponse out = ctx.response();
        String uri = recorder.base().getRawPath() + in.uri();
        boolean stream = isStream(path);
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(recorder.base().getHost())
                .setPort(recorder.port()).setSsl(recorder.https()).setURI(uri)
                // the time to get a connection: a new one, or a free one of the pool
                .setConnectTimeout(config.recorderConnectTimeout().toMillis())
                // a stream may pause for as long as the browser does (a paused video); a listing may not
                .setIdleTimeout(stream ? 0 : config.recorderApiTimeout().toMillis());
        in.pause();
        (stream ? streams : api).request(options).onComplete(req -> {
            if (req.failed()) {
                in.resume();
                unavailable(ctx, req.cause(), recorder.base().toString());
                return;
            }
            HttpClientRequest upstream = req.result();
            copyHeaders(in.headers(), upstream.headers(), NOT_FORWARDED);
            serviceToken.ifPresent(t -> upstream.putHeader(ServiceToken.HEADER, t.header()));
            // when the browser goes away (a closed playback), free the recorder's stream too
            out.closeHandler(v -> upstream.reset());
            upstream.send().onComplete(res -> {
                in.resume();
                if (res.failed()) {
                    unavailable(ctx, res.cause(), recorder.base().toString());
                    return;
                }
                HttpClientResponse answer = res.result();
                out.setStatusCode(answer.statusCode());
                out.setStatusMessage(answer.statusMessage());
                copyHeaders(answer.headers(), out.headers(), Set.of());
                String length = answer.getHeader("Content-Length");
                if (length != null) {
                    out.putHeader("Content-Length", length);
                } else {
                    out.setChunked(true);
                }
                answer.pipeTo(out).onFailure(e -> {
                    LOG.debugf("recordings proxy stream ended: %s", e.toString());
                    upstream.reset();
                });
            });
        });
    }

    private static void copyHeaders(MultiMap from, MultiMap to, Set<String> alsoDropped) {
        from.forEach(e -> {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !alsoDropped.contains(name)) {
                to.add(e.getKey(), e.getValue());
            }
        });
    }

    /**
     * The writes review makes: {@code POST /api/exports} (start a job), {@code DELETE /api/exports/{id}} (cancel),
     * {@code PUT /api/recordings/{id}/keep}, {@code DELETE /api/recordings/{id}}, {@code DELETE /api/recordings}
     * (a range, by its query).
     */
    static boolean writable(HttpMethod method, String path) {
        String[] parts = path.substring(1).split("/", -1); // api, recordings|exports, …
        if (parts.length < 2 || parts[parts.length - 1].isEmpty()) {
            return false;
        }
        boolean exports = "exports".equals(parts[1]);
        boolean recordings = "recordings".equals(parts[1]);
        if (method == HttpMethod.POST) {
            return exports && parts.length == 2;
        }
        if (method == HttpMethod.DELETE) {
            return (exports && parts.length == 3) || (recordings && parts.length <= 3);
        }
        if (method == HttpMethod.PUT) {
            return recordings && parts.length == 4 && "keep".equals(parts[3]);
        }
        return false;
    }

    /**
     * A playback, download or export ({@code /api/recordings/{id}/<something>}, {@code /api/exports/{id}/file}), as
     * opposed to a listing, metadata, a timeline or a job's state.
     */
    static boolean isStream(String path) {
        if (path.startsWith("/api/exports/")) {
            return path.endsWith("/file");
        }
        if (!path.startsWith(PREFIX + "/")) {
            return false;
        }
        String rest = path.substring(PREFIX.length() + 1);
        int slash = rest.indexOf('/');
        return slash >= 0 && slash < rest.length() - 1 && !rest.endsWith("/keep");
    }

    /** 503 with {@code Retry-After}: the recorder at {@code where} is busy or absent. */
    private void unavailable(RoutingContext ctx, Throwable cause, String where) {
        boolean busy = cause instanceof java.util.concurrent.TimeoutException
                || cause instanceof io.vertx.core.http.ConnectionPoolTooBusyException;
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader("Retry-After", RETRY_AFTER);
        }
        fail(ctx, 503, "the recorder at " + where + (busy ? " is busy" : " is not answering") + " ("
                + (cause == null ? "no answer" : cause.getMessage()) + "); recordings cannot be listed or played now, "
                + "try again in a moment");
    }

    private static void fail(RoutingContext ctx, int status, String message) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        ApiError.end(ctx, status, message);
    }
}
