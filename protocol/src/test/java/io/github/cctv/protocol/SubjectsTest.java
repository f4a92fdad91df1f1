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
        assertThat(Subjects.cameraIdOf(Subjects.substreamFrames("cam-7"))).isEqualTo("cam-7");
        assertThat(Subjects.cameraIdOf("other.frames.x")).isNull();
        assertThat(Subjects.cameraIdOf("cctv.frames")).isNull();
    }

    @Test
    void aSubstreamHasItsOwnSubjectInsideTheFrameStreamButOutsideTheMainFrameWildcard() {
        assertThat(Subjects.substreamFrames("cam1")).isEqualTo("cctv.frames.cam1.sub");
        assertThat(Subjects.isSubstreamFrames("cctv.frames.cam1.sub")).isTrue();
        assertThat(Subjects.isSubstreamFrames(Subjects.frames("cam1"))).isFalse();
        assertThat(Subjects.isSubstreamFrames("cctv.frames.sub")).isFalse();
        assertThat(Subjects.isSubstreamFrames("cctv.frames.a.b.sub")).isFalse();
        assertThatThrownBy(() -> Subjects.substreamFrames("a.b")).isInstanceOf(CameraId.InvalidCameraIdException.class);
        // NATS wildcards: '>' covers both, '*' only the main stream
        assertThat(matches(Subjects.FRAMES_ALL, Subjects.substreamFrames("cam1"))).isTrue();
        assertThat(matches(Subjects.FRAMES_ALL, Subjects.frames("cam1"))).isTrue();
        assertThat(matches(Subjects.MAIN_FRAMES_ALL, Subjects.substreamFrames("cam1"))).isFalse();
        assertThat(matches(Subjects.MAIN_FRAMES_ALL, Subjects.frames("cam1"))).isTrue();
        assertThat(matches(Subjects.SUBSTREAM_FRAMES_ALL, Subjects.substreamFrames("cam1"))).isTrue();
        assertThat(matches(Subjects.SUBSTREAM_FRAMES_ALL, Subjects.frames("cam1"))).isFalse();
    }

    /** NATS subject matching: {@code *} is one token, {@code >} the rest (one or more). */
    private static boolean matches(String filter, String subject) {
        String[] f = filter.split("\\.");
        String[] s = subject.split("\\.");
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals(">")) {
                return s.length > i;
            }
            if (i >= s.length || !(f[i].equals("*") || f[i].equals(s[i]))) {
                return false;
            }
        }
        return f.length == s.length;
    }
}
