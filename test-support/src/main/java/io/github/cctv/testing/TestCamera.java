package io.github.cctv.testing;

import java.nio.file.Path;

/** What the third-party cameras of the tests have in common: a URL to open, one process, a log. */
public abstract class TestCamera implements AutoCloseable {

    private final String url;
    final CameraProcess process;

    TestCamera(String url, CameraProcess process) {
        this.url = url;
        this.process = process;
    }

    /** Where a client opens the camera. */
    public String url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    /** The camera program's output. */
    public Path log() {
        return process.log();
    }

    /** Stops the camera program (SIGTERM, then SIGKILL). */
    @Override
    public void close() {
        process.close();
    }

    /** Picture settings every test camera takes. */
    abstract static class Builder<B extends Builder<B>> {
        int width = 1280;
        int height = 720;
        int fps = 30;

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        public B size(int width, int height) {
            this.width = width;
            this.height = height;
            return self();
        }

        public B fps(int fps) {
            this.fps = fps;
            return self();
        }
    }
}
