package io.github.cctv.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectsTest {

    @Test
    void buildsSubjectsPerCamera() {
        assertThat(Subjects.frames("cam1")).isEqualTo("cctv.frames.cam1");
        assertThat(Subjects.event("cam1", "connected")).isEqualTo("cctv.events.cam1.connected");
        assertThat(Subjects.events("cam1")).isEqualTo("cctv.events.cam1.*");
        assertThat(Subjects.recordingControl("cam1")).isEqualTo("cctv.control.cam1.recording");
        assertThat(Subjects.cameraControl("cam1")).isEqualTo("cctv.control.cam1.camera");
    }

    @Test
    void refusesIdsThatWouldInjectIntoASubject() {
        assertThatThrownBy(() -> Subjects.frames("a.b")).isInstanceOf(CameraId.InvalidCameraIdException.class);
        assertThatThrownBy(() -> Subjects.frames(">")).isInstanceOf(CameraId.InvalidCameraIdException.class);
        assertThatThrownBy(() -> Subjects.recordingControl("*")).isInstanceOf(CameraId.InvalidCameraIdException.class);
    }

    @Test
    void readsTheCameraIdBackFromASubject() {
        assertThat(Subjects.cameraIdOf(Subjects.frames("cam-7"))).isEqualTo("cam-7");
        assertThat(Subjects.cameraIdOf(Subjects.event("cam_8", "disconnected"))).isEqualTo("cam_8");
        assertThat(Subjects.cameraIdOf(Subjects.cameraControl("cam9"))).isEqualTo("cam9");
        assertThat(Subjects.cameraIdOf("other.frames.x")).isNull();
        assertThat(Subjects.cameraIdOf("cctv.frames")).isNull();
    }
}
