package io.github.cctv.camera;

/** Counters of one session, written by the streaming thread only, read by anyone. */
final class SessionStats {
    volatile long frames;
    volatile long substreamFrames;
    volatile long bytes;
    volatile long dropped;
    volatile long reconnects;
    volatile long sessions;
    volatile long rejects;
    volatile long heartbeats;
    volatile long sourceErrors;
}
