package io.github.cctv.dashboard.domain.recorders;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recorders the dashboard's review talks to: every recorder that has announced itself (bucket
 * {@code cctv-recorders}), or, while none has, the one of {@code cctv.dashboard.recorder-url}. It also remembers which
 * recorder answered for a recording or an export, so that a file, a playback or a write goes straight to the recorder
 * that has it.
 */
public final class Recorders {

    /** The id of the configured recorder, used while no recorder has announced itself. */
    public static final String CONFIGURED = "configured";
    /** Most recording and export ids remembered; beyond it the memory starts afresh (a miss only costs a question). */
    static final int MAX_REMEMBERED = 100_000;

    private final Recorder configured;
    private final Map<String, Recorder> members = new ConcurrentHashMap<>();
    private final Map<String, String> holders = new ConcurrentHashMap<>();
    private final Map<String, String> cameras = new ConcurrentHashMap<>();

    public Recorders(String configuredUrl) {
        this.configured = Recorder.of(CONFIGURED, configuredUrl);
    }

    /** The recorders now, sorted by id: the announced ones, or the configured one alone. Never empty. */
    public List<Recorder> all() {
        if (members.isEmpty()) {
            return List.of(configured);
        }
        return List.copyOf(new TreeMap<>(members).values());
    }

    /** A recorder announced itself (or changed its URL). */
    public void joined(Recorder recorder) {
        members.put(recorder.id(), recorder);
    }

    /** A recorder's announcement went (it stopped, or its entry expired). */
    public void left(String id) {
        members.remove(id);
    }

    /** The recorder that answered for recording or export {@code id}, if it is still among {@link #all()}. */
    public Optional<Recorder> holder(String id) {
        String holder = holders.get(id);
        if (holder == null) {
            return Optional.empty();
        }
        return all().stream().filter(r -> r.id().equals(holder)).findFirst();
    }

    /** The camera of recording or export {@code id} as its recorder said (it never changes), if remembered. */
    public Optional<String> cameraOf(String id) {
        return Optional.ofNullable(cameras.get(id));
    }

    /** Remembers that recording or export {@code id} is of camera {@code cameraId}. */
    public void isOf(String id, String cameraId) {
        if (cameras.size() >= MAX_REMEMBERED) {
            cameras.clear();
        }
        cameras.put(id, cameraId);
    }

    /** Remembers that {@code recorder} has recording or export {@code id}. */
    public void holds(String id, Recorder recorder) {
        if (holders.size() >= MAX_REMEMBERED) {
            holders.clear();
        }
        holders.put(id, recorder.id());
    }
}
