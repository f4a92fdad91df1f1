package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory stand-ins for ingest's ports. */
final class Fakes {

    private Fakes() {
    }

    /** A published frame as the port saw it. */
    record Published(String cameraId, FrameMetadata frame, byte[] data) {
    }

    static final class Frames implements FramePublisher {
        final List<Published> published = new CopyOnWriteArrayList<>();
        final List<Published> substream = new CopyOnWriteArrayList<>();

        @Override
        public boolean publish(String cameraId, FrameMetadata frame, byte[] data) {
            published.add(new Published(cameraId, frame, data));
            return true;
        }

        @Override
        public boolean publishSubstream(String cameraId, FrameMetadata frame, byte[] data) {
            substream.add(new Published(cameraId, frame, data));
            return true;
        }
    }

    static final class Events implements CameraEvents {
        final List<CameraEvent> published = new CopyOnWriteArrayList<>();

        @Override
        public void publish(CameraEvent event) {
            published.add(event);
        }
    }

    static final class Registry implements CameraRegistry {
        final List<CameraStatus> updates = new CopyOnWriteArrayList<>();
        final List<String> removed = new CopyOnWriteArrayList<>();

        @Override
        public void update(CameraStatus status) {
            updates.add(status);
        }

        @Override
        public void remove(String cameraId) {
            removed.add(cameraId);
        }

        CameraStatus last() {
            return updates.get(updates.size() - 1);
        }
    }
}
