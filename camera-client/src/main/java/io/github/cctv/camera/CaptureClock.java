package io.github.cctv.camera;

/**
 * Capture times for a live camera's frames, epoch microseconds. Where the stream carries the camera's
 * own timestamps (RTSP: RTP time), a frame's time is its timestamp mapped onto the wall clock so that
 * the frame that arrived soonest after capture arrived at once: the spacing is the camera's, free of
 * network jitter and of bursts (see {@link #prime} for the backlog at the start). A jump, a restart or a camera clock running slow (a frame more than
 * {@link #TOLERANCE_MICROS} older than its arrival) maps afresh. Without timestamps (HTTP multipart
 * MJPEG carries none), the time is the arrival time. Times never go backwards. Not thread-safe.
 */
final class CaptureClock {

    static final long UNKNOWN = Long.MIN_VALUE;
    static final long TOLERANCE_MICROS = 1_000_000;

    private boolean mapped;
    private long offset;
    private long last = Long.MIN_VALUE;

    /**
     * @param timestampMicros the frame's timestamp in the stream, microseconds, or {@link #UNKNOWN} (also
     *                        where the demuxer makes timestamps up, as for multipart MJPEG)
     * @param arrivalMicros   wall-clock time the frame was read, epoch microseconds
     */
    long captureMicros(long timestampMicros, long arrivalMicros) {
        long t;
        if (timestampMicros == UNKNOWN) {
            t = arrivalMicros;
        } else {
            long o = arrivalMicros - timestampMicros;
            if (!mapped || o < offset) {
                offset = o; // this frame came sooner after capture than any before: it sets the mapping
                mapped = true;
            }
            t = timestampMicros + offset;
            if (arrivalMicros - t > TOLERANCE_MICROS) {
                offset = o;
                t = arrivalMicros;
            }
        }
        if (last != Long.MIN_VALUE && t <= last) {
            t = last + 1;
        }
        last = t;
        return t;
    }

    /**
     * Sets the mapping from a frame known to have arrived right after its capture (the first one that had
     * to be waited for, after the backlog FFmpeg buffered while probing the stream), so that the frames
     * before it get their true, earlier times instead of all the moment they came out of the buffer.
     */
    void prime(long timestampMicros, long arrivalMicros) {
        if (timestampMicros != UNKNOWN) {
            offset = arrivalMicros - timestampMicros;
            mapped = true;
        }
    }

    /** The stream starts again (reopened): map afresh. */
    void reset() {
        mapped = false;
        last = Long.MIN_VALUE;
    }
}
