package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.health.RecorderMetrics;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which cameras are recorded: operator start/stop, "always record" cameras, the desired state kept in the store so
 * that a restart resumes every recording, and failures of one camera that touch no other: a storage error
 * interrupts a recording until writing works again (reported meanwhile, the desired state unchanged), any other
 * error stops it.
 */
public final class RecordingManager {

    private static final Logger LOG = Logger.getLogger(RecordingManager.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);
    private static final String INTERRUPTED = "interrupted, retrying: ";

    private final CameraRecorder.Settings settings;
    private final Duration preRoll;
    private final Set<String> alwaysRecord;
    private final FrameSource source;
    private final SegmentWriterFactory writers;
    private final RecordingIndex index;
    private final RecordingEvents events;
    private final RecordingStateStore store;
    private final CameraRegistry registry;
    private final RecorderMetrics metrics;
    private final Clock clock;
    private final Ownership ownership;
    private final RecordingProgress progress;

    private final Map<String, CameraRecorder> active = new HashMap<>();
    private final Map<String, Instant> since = new HashMap<>();
    private final Map<String, String> failures = new TreeMap<>();
    private volatile Runnable storageTrouble = () -> { };

    public RecordingManager(CameraRecorder.Settings settings, Duration preRoll, Set<String> alwaysRecord,
                            FrameSource source, SegmentWriterFactory writers, RecordingIndex index,
                            RecordingEvents events, RecordingStateStore store, CameraRegistry registry,
                            RecorderMetrics metrics, Clock clock) {
        this(settings, preRoll, alwaysRecord, source, writers, index, events, store, registry, metrics, clock,
                Ownership.SOLE, RecordingProgress.NONE);
    }

    /**
     * One of several recorders: a camera is recorded only once {@code ownership} gave it to this one, and a
     * recording resumes after the frames {@code progress} says some recorder made durable.
     */
    public RecordingManager(CameraRecorder.Settings settings, Duration preRoll, Set<String> alwaysRecord,
                            FrameSource source, SegmentWriterFactory writers, RecordingIndex index,
                            RecordingEvents events, RecordingStateStore store, CameraRegistry registry,
                            RecorderMetrics metrics, Clock clock, Ownership ownership, RecordingProgress progress) {
        this.ownership = ownership;
        this.progress = progress;
        this.settings = settings;
        this.preRoll = preRoll;
        this.alwaysRecord = Set.copyOf(alwaysRecord);
        this.source = source;
        this.writers = writers;
        this.index = index;
        this.events = events;
        this.store = store;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        alwaysRecord.forEach(CameraId::requireValid);
    }

    /** {@code action} runs (on the camera's thread, so it must not block) when a recording hits a storage error. */
    public void onStorageTrouble(Runnable action) {
        storageTrouble = action;
    }

    /** Resumes the recordings the store says were running, and starts the "always record" cameras. */
    public synchronized void resume() {
        for (RecordingState s : store.all()) {
            if (s.recording() && CameraId.isValid(s.cameraId()) && !active.containsKey(s.cameraId())) {
                LOG.infof("resuming the recording of %s (since %s)", s.cameraId(), s.since());
                launch(s.cameraId(), s.since(), s.since().minus(preRoll), true, s.by());
            }
        }
        for (String cam : alwaysRecord) {
            if (!active.containsKey(cam)) {
                Instant now = clock.instant();
                launch(cam, now, now, true, "config");
                store.put(new RecordingState(cam, true, now, "config"));
                events.publish(new CameraEvent.RecordingStarted(cam, now, 0));
            }
        }
    }

    /** Handles a control request for one camera. */
    public RecordingReply handle(String cameraId, RecordingCommand command) {
        if (!CameraId.isValid(cameraId)) {
            return new RecordingReply(cameraId, RecordingReply.INVALID, false, null, invalidId(cameraId));
        }
        if (command == null || command.action() == null) {
            return reply(cameraId, RecordingReply.INVALID, "missing action: use start, stop or status");
        }
        if (command.expiredAt(clock.instant())) {
            // the sender gave up waiting (the recorder was down or busy): doing it now would surprise the operator
            return reply(cameraId, RecordingReply.EXPIRED, "command arrived after its deadline " + command.deadline()
                    + " and was not carried out");
        }
        String by = command.by() == null || command.by().isBlank() ? "operator" : command.by();
        switch (command.action()) {
            case RecordingCommand.START:
                return start(cameraId, by);
            case RecordingCommand.STOP:
                return stop(cameraId, by);
            case RecordingCommand.STATUS:
                return reply(cameraId, RecordingReply.STATUS, failures.get(cameraId));
            default:
                return reply(cameraId, RecordingReply.INVALID,
                        "unknown action '" + command.action() + "': use start, stop or status");
        }
    }

    public synchronized RecordingReply start(String cameraId, String by) {
        if (!CameraId.isValid(cameraId)) {
            return new RecordingReply(cameraId, RecordingReply.INVALID, false, null, invalidId(cameraId));
        }
        if (active.containsKey(cameraId)) {
            return reply(cameraId, RecordingReply.ALREADY_RECORDING, null);
        }
        if (!alwaysRecord.contains(cameraId) && !registry.isKnown(cameraId)) {
            return reply(cameraId, RecordingReply.INVALID,
                    "camera '" + cameraId + "' is unknown: it has never connected");
        }
        if (!ownership.claim(cameraId)) {
            return reply(cameraId, RecordingReply.ERROR, "camera '" + cameraId + "' is recorded by another recorder");
        }
        Instant now = clock.instant();
        failures.remove(cameraId);
        store.put(new RecordingState(cameraId, true, now, by));
        launch(cameraId, now, now.minus(preRoll), false, by);
        events.publish(new CameraEvent.RecordingStarted(cameraId, now, (int) preRoll.toSeconds()));
        return reply(cameraId, RecordingReply.STARTED, null);
    }

    public RecordingReply stop(String cameraId, String by) {
        CameraRecorder recorder;
        synchronized (this) {
            recorder = active.remove(cameraId);
            if (recorder == null) {
                return reply(cameraId, RecordingReply.NOT_RECORDING, failures.get(cameraId));
            }
            since.remove(cameraId);
            if (failures.getOrDefault(cameraId, "").startsWith(INTERRUPTED)) {
                failures.remove(cameraId);
                metrics.interrupted(interruptions());
            }
            metrics.active(active.size());
            store.put(new RecordingState(cameraId, false, clock.instant(), by));
            recorder.requestStop(true);
        }
        // outside the lock: other cameras stay controllable while this one finishes its file
        if (recorder.awaitStopped(STOP_WAIT)) {
            release(cameraId);
        } else {
            LOG.warnf("recording of %s is still finishing; its lease runs out by itself", cameraId);
        }
        events.publish(new CameraEvent.RecordingStopped(cameraId, clock.instant(), "operator"));
        return reply(cameraId, RecordingReply.STOPPED, null);
    }

    /**
     * Starts recording a camera this recorder was given (it holds its lease), as its desired {@code state} says or
     * because it is always recorded: resumed right after the frames already recorded, here or by another recorder.
     * Nothing happens when it records the camera already or the camera is not to be recorded.
     */
    public synchronized void take(String cameraId, RecordingState state) {
        if (active.containsKey(cameraId) || !CameraId.isValid(cameraId)) {
            return;
        }
        if (state != null && state.recording()) {
            LOG.infof("taking the recording of %s (since %s)", cameraId, state.since());
            Instant since = state.since() == null ? clock.instant() : state.since();
            launch(cameraId, since, since.minus(preRoll), true, state.by());
        } else if (alwaysRecord.contains(cameraId)) {
            Instant now = clock.instant();
            launch(cameraId, now, now, true, "config");
            store.put(new RecordingState(cameraId, true, now, "config"));
            events.publish(new CameraEvent.RecordingStarted(cameraId, now, 0));
        }
    }

    /**
     * Ends the recording of a camera another recorder takes over: its file is closed (forced to the disk, the
     * progress mark written) and its desired state kept, so that the taker continues right after. Waits until the
     * file is closed; false when the camera was not recorded here.
     */
    public boolean handOver(String cameraId) {
        CameraRecorder recorder;
        synchronized (this) {
            recorder = active.remove(cameraId);
            if (recorder == null) {
                return false;
            }
            since.remove(cameraId);
            if (failures.getOrDefault(cameraId, "").startsWith(INTERRUPTED)) {
                failures.remove(cameraId);
                metrics.interrupted(interruptions());
            }
            metrics.active(active.size());
            recorder.requestStop(false);
        }
        while (!recorder.awaitStopped(STOP_WAIT)) {
            LOG.warnf("recording of %s is still finishing before it is handed over", cameraId);
        }
        return true;
    }

    /** True when this recorder records the camera now. */
    public synchronized boolean isRecording(String cameraId) {
        return active.containsKey(cameraId);
    }

    /** The cameras this recorder records now. */
    public synchronized Set<String> recordingCameras() {
        return Set.copyOf(active.keySet());
    }

    /** A camera disconnected at {@code at} (server time). */
    public synchronized void cameraDisconnected(String cameraId, Instant at) {
        CameraRecorder r = active.get(cameraId);
        if (r != null) {
            r.cameraDisconnected(EpochMicros.of(at));
        }
    }

    /** Stops every recording and closes the files, keeping the desired state so that a restart resumes them. */
    public void shutdown() {
        List<CameraRecorder> all;
        synchronized (this) {
            all = new ArrayList<>(active.values());
            active.clear();
            since.clear();
            metrics.active(0);
        }
        all.forEach(r -> r.requestStop(false));
        for (CameraRecorder r : all) {
            r.awaitStopped(STOP_WAIT);
        }
    }

    /** State of every camera that is recording or has been. */
    public synchronized List<RecordingState> states() {
        Map<String, RecordingState> out = new TreeMap<>();
        for (RecordingState s : store.all()) {
            out.put(s.cameraId(), new RecordingState(s.cameraId(), active.containsKey(s.cameraId()),
                    active.containsKey(s.cameraId()) ? since.get(s.cameraId()) : null, s.by()));
        }
        for (Map.Entry<String, Instant> e : since.entrySet()) {
            out.putIfAbsent(e.getKey(), new RecordingState(e.getKey(), true, e.getValue(), null));
        }
        List<RecordingState> list = new ArrayList<>(out.values());
        list.sort(Comparator.comparing(RecordingState::cameraId));
        return list;
    }

    /** Cameras whose recording stopped on an error, with the error. */
    public synchronized Map<String, String> failures() {
        return new TreeMap<>(failures);
    }

    /** Ids of the segments being written now: retention never touches them. */
    public synchronized Set<String> openRecordings() {
        Set<String> ids = new HashSet<>();
        for (CameraRecorder r : active.values()) {
            String id = r.openRecordingId();
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    private void launch(String cameraId, Instant startedAt, Instant startAt, boolean resume, String by) {
        CameraRecorder r = new CameraRecorder(cameraId, settings, source, writers, index, events, metrics, clock,
                new Listener(), startAt, resume, progress, ownership);
        active.put(cameraId, r);
        since.put(cameraId, startedAt);
        metrics.active(active.size());
        r.start();
    }

    /** Cameras whose recording is interrupted by a storage error (caller holds the lock). */
    private int interruptions() {
        return (int) failures.values().stream().filter(f -> f.startsWith(INTERRUPTED)).count();
    }

    /** What the cameras' recorders report. */
    private final class Listener implements CameraRecorder.Listener {

        @Override
        public void failed(String cameraId, String message) {
            synchronized (RecordingManager.this) {
                active.remove(cameraId);
                since.remove(cameraId);
                failures.put(cameraId, message);
                metrics.active(active.size());
                metrics.failed();
                try {
                    store.put(new RecordingState(cameraId, false, clock.instant(), "error"));
                } catch (RuntimeException e) {
                    LOG.warnf("could not store the stopped state of %s: %s", cameraId, e.getMessage());
                }
            }
            release(cameraId);
            Instant now = clock.instant();
            events.publish(new CameraEvent.RecordingFailed(cameraId, now, message));
            events.publish(new CameraEvent.RecordingStopped(cameraId, now, "error"));
        }

        @Override
        public void interrupted(String cameraId, Instant at, String message) {
            synchronized (RecordingManager.this) {
                if (!active.containsKey(cameraId)) {
                    return; // stopped meanwhile
                }
                failures.put(cameraId, INTERRUPTED + message);
                metrics.interrupted(interruptions());
            }
            events.publish(new CameraEvent.RecordingFailed(cameraId, at, message + " (retrying until it works again)"));
            storageTrouble.run();
        }

        /** Not a failure: the desired state stays, and the camera may be taken again through the normal path. */
        @Override
        public void leaseLost(String cameraId) {
            synchronized (RecordingManager.this) {
                if (active.remove(cameraId) != null) {
                    since.remove(cameraId);
                    failures.remove(cameraId);
                    metrics.active(active.size());
                    metrics.interrupted(interruptions());
                }
            }
            release(cameraId);
        }

        @Override
        public void resumed(String cameraId, Instant failedAt, String message) {
            synchronized (RecordingManager.this) {
                failures.remove(cameraId);
                metrics.interrupted(interruptions());
            }
            events.publish(new CameraEvent.RecordingResumed(cameraId, clock.instant(), failedAt, message));
        }
    }

    private void release(String cameraId) {
        try {
            ownership.release(cameraId);
        } catch (RuntimeException e) {
            LOG.warnf("could not release %s (its lease runs out by itself): %s", cameraId, e.getMessage());
        }
    }

    private synchronized RecordingReply reply(String cameraId, String result, String message) {
        boolean rec = active.containsKey(cameraId);
        return new RecordingReply(cameraId, result, rec, rec ? since.get(cameraId) : null, message);
    }

    private static String invalidId(String cameraId) {
        try {
            CameraId.requireValid(cameraId);
            return "invalid camera id";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
