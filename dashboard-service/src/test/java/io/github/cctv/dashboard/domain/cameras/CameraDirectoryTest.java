package io.github.cctv.dashboard.domain.cameras;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.RecordingState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class CameraDirectoryTest {

    static final Instant T = Instant.parse("2026-11-25T12:00:00Z");

    /** Every update the directory sends, as text. */
    static final class Updates implements CameraUpdates {
        final List<Object> sent = new CopyOnWriteArrayList<>();

        @Override
        public void cameraChanged(CameraView camera) {
            sent.add(camera);
        }

        @Override
        public void cameraRemoved(String cameraId) {
            sent.add("removed " + cameraId);
        }

        @Override
        public void eventHappened(CameraEvent event) {
            sent.add(event);
        }
    }

    final Updates updates = new Updates();
    final CameraDirectory directory = new CameraDirectory(updates);

    static CameraStatus online(String id) {
        return new CameraStatus(id, "Door", true, "jpeg", 640, 480, 25, T, T, T, "peer", 1, null);
    }

    @Test
    void joinsRegistryStatusAndRecordingStateAndSendsEachChange() {
        RecordingState rec = new RecordingState("cam1", true, T, "alice");
        directory.statusChanged(online("cam1"));
        directory.recordingChanged(rec);
        assertThat(updates.sent).containsExactly(new CameraView("cam1", online("cam1"), null),
                new CameraView("cam1", online("cam1"), rec));
        assertThat(directory.camera("cam1")).contains(new CameraView("cam1", online("cam1"), rec));

        directory.recordingRemoved("cam1");
        assertThat(updates.sent.get(2)).isEqualTo(new CameraView("cam1", online("cam1"), null));
        directory.statusRemoved("cam1");
        assertThat(updates.sent.get(3)).isEqualTo("removed cam1");
        assertThat(directory.camera("cam1")).isEmpty();
    }

    @Test
    void listsTheRegistrysCamerasSortedByIdAndARecordingStateOnlyWithItsCamera() {
        directory.statusChanged(online("yard"));
        directory.recordingChanged(new RecordingState("attic", false, null, "bob"));
        directory.statusChanged(online("door"));
        assertThat(directory.cameras()).extracting(CameraView::cameraId).containsExactly("door", "yard");
        assertThat(directory.camera("attic")).isEmpty();
        assertThat(directory.camera("nope")).isEmpty();
        // nothing was said of attic until its camera appears, with the state kept for it
        assertThat(updates.sent).extracting(u -> u instanceof CameraView v ? v.cameraId() : u)
                .containsExactly("yard", "door");
        directory.statusChanged(online("attic"));
        assertThat(directory.camera("attic").orElseThrow().recording()).isEqualTo(new RecordingState("attic", false, null, "bob"));
    }

    @Test
    void aDeletedRegistryEntryRemovesTheCameraOnceEvenWithARecordingState() {
        RecordingState rec = new RecordingState("gone", true, T, "alice");
        directory.statusChanged(online("gone"));
        directory.recordingChanged(rec);
        updates.sent.clear();

        directory.statusRemoved("gone");
        directory.statusRemoved("gone"); // the watch's delete after the API's own removal
        assertThat(updates.sent).containsExactly("removed gone");
        assertThat(directory.camera("gone")).isEmpty();
        assertThat(directory.cameras()).isEmpty();

        // the recorder touching its state does not bring it back; the camera connecting again does
        directory.recordingChanged(new RecordingState("gone", false, null, "alice"));
        assertThat(directory.cameras()).isEmpty();
        assertThat(updates.sent).containsExactly("removed gone");
        directory.statusChanged(online("gone"));
        assertThat(directory.cameras()).extracting(CameraView::cameraId).containsExactly("gone");
    }

    @Test
    void passesEventsOnAsTheyHappen() {
        CameraEvent e = new CameraEvent.RecordingStarted("cam1", T, 5);
        directory.eventHappened(e);
        assertThat(updates.sent).containsExactly(e);
    }
}
