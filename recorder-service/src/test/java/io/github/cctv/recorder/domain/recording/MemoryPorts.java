package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.RecordingState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The recorder's other ports in memory: events, the desired-state store, the camera registry. */
final class MemoryPorts {

    private MemoryPorts() {
    }

    static final class Events implements RecordingEvents {
        final List<CameraEvent> published = new CopyOnWriteArrayList<>();

        @Override
        public void publish(CameraEvent event) {
            published.add(event);
        }

        <T extends CameraEvent> List<T> of(String cameraId, Class<T> type) {
            return published.stream().filter(type::isInstance).map(type::cast)
                    .filter(e -> e.cameraId().equals(cameraId)).toList();
        }
    }

    static final class StateStore implements RecordingStateStore {
        final Map<String, RecordingState> states = new ConcurrentHashMap<>();

        @Override
        public void put(RecordingState state) {
            states.put(state.cameraId(), state);
        }

        @Override
        public List<RecordingState> all() {
            return new ArrayList<>(states.values());
        }
    }

    static final class Registry implements CameraRegistry {
        final Set<String> known = ConcurrentHashMap.newKeySet();

        @Override
        public boolean isKnown(String cameraId) {
            return known.contains(cameraId);
        }
    }

    /** A disk whose free space a test sets. */
    static final class Disk implements io.github.cctv.recorder.domain.retention.DiskSpace {
        volatile long usable = Long.MAX_VALUE;

        @Override
        public long usableBytes() {
            return usable;
        }

        @Override
        public long totalBytes() {
            return Long.MAX_VALUE;
        }
    }
}
