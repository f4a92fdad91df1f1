package io.github.cctv.recorder.messaging;

import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecorderMember;
import io.github.cctv.recorder.domain.cluster.Membership;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * This recorder's entry in {@code cctv-recorders} (key = its id, value its {@link RecorderMember} as JSON), which
 * expires after the bucket's max age (the lease) unless renewed; the live recorders are the keys present.
 */
public final class KvMembership implements Membership {

    private final KeyValue kv;
    private final RecorderMember me;

    /** The bucket must exist ({@link Topology#ensureRecorderClusterBuckets}). */
    public KvMembership(Connection nc, String id, String url, Instant since) throws IOException {
        this.kv = nc.keyValue(Topology.RECORDERS_BUCKET);
        this.me = new RecorderMember(id, url, since);
    }

    @Override
    public String self() {
        return me.id();
    }

    @Override
    public void renew() {
        try {
            kv.put(me.id(), Events.write(me));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot write " + Topology.RECORDERS_BUCKET + "." + me.id() + ": " + e, e);
        }
    }

    @Override
    public Set<String> live() {
        try {
            return new TreeSet<>(kv.keys());
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot read " + Topology.RECORDERS_BUCKET + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void leave() {
        try {
            kv.delete(me.id());
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot delete " + Topology.RECORDERS_BUCKET + "." + me.id() + ": " + e, e);
        }
    }
}
