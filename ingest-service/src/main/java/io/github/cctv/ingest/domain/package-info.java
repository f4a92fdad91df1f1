/**
 * Camera sessions and their rules: one session per id, exactly one disconnect per connect, tokens, the outbox,
 * stale registry entries; no NATS here.
 */
package io.github.cctv.ingest.domain;
