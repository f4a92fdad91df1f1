package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.domain.groups.CameraGroup;
import io.github.cctv.dashboard.domain.groups.GroupStore;
import io.github.cctv.nats.RateLimitedLog;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.text.Collator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Camera groups in the {@code cctv-layouts} key-value bucket (made on first use), one entry per group, read afresh on
 * every call: groups change seldom and are read when a page loads, so a cache would only add staleness.
 */
@Singleton
public class NatsGroupStore implements GroupStore {

    /** Most groups kept; a save beyond it is refused, none is lost. */
    public static final int MAX_GROUPS = 200;

    private static final Logger LOG = Logger.getLogger(NatsGroupStore.class);

    private final Connection connection;
    /** Copies of the bucket a NATS cluster keeps ({@code cctv.nats.replicas}). */
    private final int replicas;
    private final RateLimitedLog unreadable;
    private volatile KeyValue bucket;

    public NatsGroupStore(Connection connection, io.github.cctv.nats.NatsConfig nats, Clock clock) {
        this.connection = connection;
        this.replicas = nats.replicas();
        this.unreadable = RateLimitedLog.to(LOG, Logger.Level.WARN, Duration.ofMinutes(1), clock);
    }

    @Override
    public List<CameraGroup> groups() throws UnavailableException {
        KeyValue kv = bucket();
        List<CameraGroup> groups = new ArrayList<>();
        try {
            for (String key : kv.keys()) {
                read(kv.get(key)).ifPresent(groups::add);
            }
        } catch (IOException | JetStreamApiException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new UnavailableException("cannot read the groups from NATS (" + e.getMessage() + ")", e);
        }
        Collator names = Collator.getInstance(Locale.ROOT);
        names.setStrength(Collator.SECONDARY);
        groups.sort(Comparator.comparing(CameraGroup::name, names).thenComparing(CameraGroup::id));
        return groups;
    }

    @Override
    public Optional<CameraGroup> group(String id) throws UnavailableException {
        CameraGroup.requireValidId(id);
        try {
            return read(bucket().get(id));
        } catch (IOException | JetStreamApiException e) {
            throw new UnavailableException("cannot read group " + id + " from NATS (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void save(CameraGroup group) throws UnavailableException, FullException {
        KeyValue kv = bucket();
        try {
            if (kv.get(group.id()) == null && kv.keys().size() >= MAX_GROUPS) {
                throw new FullException("there are already " + MAX_GROUPS + " groups; delete one first");
            }
            kv.put(group.id(), Events.mapper().writeValueAsBytes(group));
        } catch (IOException | JetStreamApiException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new UnavailableException("cannot save group " + group.id() + " in NATS (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public boolean delete(String id) throws UnavailableException {
        CameraGroup.requireValidId(id);
        KeyValue kv = bucket();
        try {
            if (kv.get(id) == null) {
                return false;
            }
            kv.delete(id);
            return true;
        } catch (IOException | JetStreamApiException e) {
            throw new UnavailableException("cannot delete group " + id + " in NATS (" + e.getMessage() + ")", e);
        }
    }

    private Optional<CameraGroup> read(KeyValueEntry entry) {
        if (entry == null || entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
            return Optional.empty();
        }
        try {
            CameraGroup stored = Events.mapper().readValue(entry.getValue(), CameraGroup.class);
            // the key is the id, whatever the value says
            return Optional.of(new CameraGroup(entry.getKey(), stored.name(), stored.cameras(), stored.columns(),
                    stored.order()));
        } catch (IOException | RuntimeException e) {
            unreadable.log(entry.getKey(), "ignored unreadable group " + entry.getKey() + " in " + Subjects.LAYOUTS_BUCKET
                    + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private KeyValue bucket() throws UnavailableException {
        KeyValue kv = bucket;
        if (kv != null) {
            return kv;
        }
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new UnavailableException("not connected to NATS", null);
        }
        synchronized (this) {
            if (bucket == null) {
                try {
                    Topology.ensureLayoutsBucket(connection, replicas);
                    bucket = connection.keyValue(Subjects.LAYOUTS_BUCKET);
                } catch (IOException | JetStreamApiException e) {
                    throw new UnavailableException("cannot open bucket " + Subjects.LAYOUTS_BUCKET + " (" + e.getMessage()
                            + ")", e);
                }
            }
            return bucket;
        }
    }
}
