package io.github.cctv.dashboard.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.auth.Role;
import io.github.cctv.dashboard.domain.auth.SessionStore.UnavailableException;
import io.github.cctv.dashboard.domain.auth.User;
import io.github.cctv.dashboard.domain.auth.UserStore;
import io.github.cctv.nats.NatsReadiness;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Users in the {@code cctv-users} key-value bucket (created here), shared by every dashboard on the same NATS. A watch
 * keeps this dashboard's copy current, so that checking a session never waits on NATS, and a user disabled or changed
 * on another dashboard reaches the {@link #onChange listeners} here as soon as the put arrives. Once the bucket is
 * read, the {@link #onLoaded} tasks run (the first admin). Readiness waits for that.
 */
@Singleton
public class NatsUserStore implements UserStore, NatsReadiness.Detail {

    private static final Logger LOG = Logger.getLogger(NatsUserStore.class);

    private final Connection connection;
    private final DashboardConfig config;
    /** Copies of the bucket and the audit stream a NATS cluster keeps ({@code cctv.nats.replicas}). */
    private final int replicas;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> loadedTasks = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cctv-dashboard-users");
        t.setDaemon(true);
        return t;
    });
    private volatile KeyValue bucket;
    private volatile boolean loaded;
    private volatile boolean started;

    public NatsUserStore(Connection connection, DashboardConfig config, io.github.cctv.nats.NatsConfig nats) {
        this.connection = connection;
        this.replicas = nats.replicas();
        this.config = config;
    }

    /** Starts reading the bucket (sign-in on only); {@code onLoaded} runs once, on this store's thread, after the first read. */
    public synchronized void start(Runnable onLoaded) {
        if (started || !config.auth().enabled()) {
            return;
        }
        started = true;
        loadedTasks.add(onLoaded);
        background.execute(this::open);
    }

    void stop(@jakarta.enterprise.event.Observes ShutdownEvent ev) {
        background.shutdownNow();
    }

    @Override
    public Optional<User> user(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(users.get(name));
    }

    @Override
    public Collection<User> users() {
        return List.copyOf(users.values());
    }

    @Override
    public boolean loaded() {
        return loaded;
    }

    @Override
    public boolean create(User user) throws UnavailableException {
        KeyValue kv = requireBucket();
        try {
            kv.create(user.name(), write(user));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == 10071) { // wrong last sequence: the key exists
                return false;
            }
            throw new UnavailableException("cannot write the user to NATS (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UnavailableException("cannot write the user to NATS (" + e.getMessage() + ")", e);
        }
        users.put(user.name(), user);
        return true;
    }

    @Override
    public void update(User user) throws UnavailableException {
        KeyValue kv = requireBucket();
        try {
            kv.put(user.name(), write(user));
        } catch (IOException | JetStreamApiException e) {
            throw new UnavailableException("cannot write the user to NATS (" + e.getMessage() + ")", e);
        }
        users.put(user.name(), user);
        listeners.forEach(l -> l.accept(user.name()));
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Holds readiness down until the users are read: before that nobody can sign in here. */
    @Override
    public boolean describe(HealthCheckResponseBuilder response) {
        if (!config.auth().enabled()) {
            return true;
        }
        response.withData("usersLoaded", loaded);
        return loaded;
    }

    private KeyValue requireBucket() throws UnavailableException {
        KeyValue kv = bucket;
        if (kv == null || connection.getStatus() != Connection.Status.CONNECTED) {
            throw new UnavailableException("not connected to NATS", null);
        }
        return kv;
    }

    private void open() {
        try {
            if (connection.getStatus() == Connection.Status.CONNECTED) {
                Topology.ensureDashboardPart(connection, replicas);
                bucket = connection.keyValue(Subjects.USERS_BUCKET);
                bucket.watchAll(new Watcher());
                LOG.infof("watching bucket %s", Subjects.USERS_BUCKET);
                return;
            }
        } catch (Exception e) {
            LOG.debugf("bucket %s not available yet: %s", Subjects.USERS_BUCKET, e.toString());
        }
        if (!background.isShutdown()) {
            background.schedule(this::open, config.watchRetry().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runLoadedTasks() {
        for (Runnable task : loadedTasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "after reading %s", Subjects.USERS_BUCKET);
            }
        }
        loaded = true;
    }

    static byte[] write(User u) {
        ObjectNode json = Events.mapper().createObjectNode().put("name", u.name()).put("role", u.role().id())
                .put("enabled", u.enabled()).put("passwordHash", u.passwordHash()).put("allCameras", u.allCameras())
                .put("stamp", u.stamp()).put("changedAt", u.changedAt().toString()).put("changedBy", u.changedBy());
        ArrayNode cameras = json.putArray("cameras");
        u.cameraList().forEach(cameras::add);
        return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static User read(byte[] value) throws IOException {
        JsonNode j = Events.mapper().readTree(value);
        Set<String> cameras = new TreeSet<>();
        j.path("cameras").forEach(c -> cameras.add(c.asText()));
        return new User(j.path("name").asText(), Role.of(j.path("role").asText()), j.path("enabled").asBoolean(false),
                j.path("passwordHash").asText(""), j.path("allCameras").asBoolean(false), cameras,
                j.path("stamp").asText(""), Instant.parse(j.path("changedAt").asText("1970-01-01T00:00:00Z")),
                j.path("changedBy").asText(""));
    }

    private final class Watcher implements KeyValueWatcher {

        @Override
        public void watch(KeyValueEntry entry) {
            String name = entry.getKey();
            if (entry.getOperation() != KeyValueOperation.PUT) {
                users.remove(name);
            } else {
                try {
                    User u = read(entry.getValue());
                    if (!u.name().equals(name)) {
                        throw new IOException("the entry names user " + u.name());
                    }
                    users.put(name, u);
                } catch (IOException | RuntimeException e) {
                    users.remove(name); // an unreadable user signs in nowhere
                    LOG.warnf("ignored unreadable user entry %s: %s", name, e.toString());
                }
            }
            if (loaded) {
                listeners.forEach(l -> l.accept(name));
            }
        }

        @Override
        public void endOfData() {
            LOG.infof("%s: %d users read", Subjects.USERS_BUCKET, users.size());
            // off the watch's dispatcher: the first admin is written to the bucket
            background.execute(NatsUserStore.this::runLoadedTasks);
        }
    }
}
