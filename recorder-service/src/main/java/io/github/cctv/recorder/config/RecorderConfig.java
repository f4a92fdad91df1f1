package io.github.cctv.recorder.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Configuration of the recorder, prefix {@code cctv.recorder} (env {@code CCTV_RECORDER_*}). */
@ConfigMapping(prefix = "cctv.recorder")
public interface RecorderConfig {

    /** Folder that holds the recordings, one sub-folder per camera. */
    @WithDefault("recordings")
    String root();

    /** Time zone of folder and file names. */
    @WithDefault("UTC")
    ZoneId zone();

    /**
     * File format of JPEG cameras: {@code copy} (JPEG frames copied into Matroska as MJPEG) or {@code h264} (re-encoded
     * with libopenh264); H.264 cameras are always copied into fragmented MP4.
     */
    @WithDefault("copy")
    Format format();

    /** Target bit rate of the {@code h264} format and of MP4 exports, bits per second. */
    @WithDefault("2000000")
    int h264Bitrate();

    /** Length of one segment file; a new file starts after it. */
    @WithDefault("10m")
    Duration segmentLength();

    /** Seconds before an operator's start that are taken from the frame stream into the recording. */
    @WithDefault("5s")
    Duration preRoll();

    /** Cameras recorded whenever they send frames, comma separated. */
    Optional<List<String>> alwaysRecord();

    /** Longest time between two flushes of an open file (and acknowledgements of its frames). */
    @WithDefault("1s")
    Duration flushInterval();

    /**
     * How long the stream waits for a frame's acknowledgement before it delivers the frame again (after a crash,
     * frames that were in flight come back after this); frames already written are skipped.
     */
    @WithDefault("5s")
    Duration ackWait();

    /** Frames fetched from the stream at once per camera (the bound of each camera's queue). */
    @WithDefault("64")
    int batchFrames();

    /**
     * Bytes fetched from the stream at once per camera; with every camera's fetch in flight their sum must stay
     * well under the NATS server's {@code max_pending}, or the server drops the recorder as a slow consumer.
     */
    @WithDefault("4194304")
    long batchBytes();

    /**
     * Once a camera's recording has caught up with the camera, how long its next frames gather before they are read
     * and written together; 0 writes each frame as it arrives (a thread wake-up per frame). Well under
     * {@link #flushInterval()}.
     */
    @WithDefault("100ms")
    Duration batchWait();

    /** Wait between attempts while the frame stream does not exist yet. */
    @WithDefault("2s")
    Duration streamRetry();

    /**
     * How far before the pre-roll point the stream is read to find the last keyframe at or before it (at least one
     * keyframe interval); also the longest a shutdown in the middle of a group of pictures writes on to the next one.
     */
    @WithDefault("4s")
    Duration keyframeLookback();

    /** First wait before writing is tried again after a storage error (full disk, unwritable folder); doubled per failure. */
    @WithDefault("1s")
    Duration storageRetry();

    /** Longest wait between two attempts after storage errors. */
    @WithDefault("30s")
    Duration storageRetryMax();

    /** Recordings older than this are deleted; 0 keeps them forever. */
    @WithDefault("30d")
    Duration retentionMaxAge();

    /** Total size of all recordings above which the oldest are deleted, bytes; 0 = unlimited. */
    @WithDefault("0")
    long retentionMaxBytes();

    /**
     * Free space kept on the recordings' file system, bytes: the oldest finished recordings are deleted while there is
     * less (also at once when a write fails); 0 = off.
     */
    @WithDefault("2147483648")
    long retentionMinFreeBytes();

    /** How often the retention policy runs. */
    @WithDefault("1m")
    Duration retentionInterval();

    /** MJPEG playbacks ({@code /play}) streamed at once; beyond, 503 with Retry-After. */
    @WithDefault("16")
    int maxPlaybacks();

    /** Exports (export jobs and {@code export.mp4}) made at once; beyond, 503 with Retry-After. */
    @WithDefault("2")
    int maxExports();

    /** Files ({@code /file}, export downloads) sent at once; beyond, 503 with Retry-After. */
    @WithDefault("64")
    int maxDownloads();

    /** The Retry-After of a 503 from a busy media limit. */
    @WithDefault("5s")
    Duration busyRetryAfter();

    /** Folder of export files; default {@code .exports} in the recordings folder (same disk, not a recording). */
    Optional<String> exportDir();

    /** How long the file of a finished export job is kept for download. */
    @WithDefault("1h")
    Duration exportKeep();

    /** Longest time range one export may cover. */
    @WithDefault("24h")
    Duration exportMaxRange();

    /** Prefix of the durable JetStream consumer name of each recorded camera. */
    @WithDefault("cctv-recorder")
    String consumerPrefix();

    /**
     * This recorder's id among the recorders sharing the cameras (its {@code cctv-recorders} key and lease owner
     * name); default the host name and a short random suffix, new at every start. Letters, digits, {@code _} and
     * {@code -}.
     */
    Optional<String> instanceId();

    /**
     * The base URL of this recorder's HTTP API as the other services reach it, published in its
     * {@code cctv-recorders} entry; default {@code http://<host name>:<HTTP port>}.
     */
    Optional<String> advertisedUrl();

    /**
     * How long a recorder's member entry and camera leases live unless renewed: a recorder that dies has its cameras
     * taken by the others within about this plus {@link #leaseRenew()}. The same on every recorder. Longer than a
     * NATS node's fail-over (its buckets' new leaders: up to 9 s seen on a loaded 2-core machine), during which no
     * lease can be renewed: a shorter one stops every recording at a node's loss.
     */
    @WithDefault("15s")
    Duration lease();

    /** How often a recorder renews its entry and leases and rebalances the cameras; well under {@link #lease()}. */
    @WithDefault("2s")
    Duration leaseRenew();

    /** How a segment file stores frames. */
    enum Format {
        /** JPEG frames copied as they are (MJPEG in Matroska): no decoding, almost no CPU. */
        COPY,
        /** Frames decoded and re-encoded as H.264 with libopenh264: smaller files, more CPU. */
        H264
    }

    /** The storage warning is shown when the disk fills within this at the current rate. */
    @WithDefault("3d")
    Duration storageWarnAhead();
}
