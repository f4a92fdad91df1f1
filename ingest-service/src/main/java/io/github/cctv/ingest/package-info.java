/**
 * The ingest service: camera connections in, frames, events and the registry out to NATS; start and stop order in
 * IngestLifecycle.
 */
package io.github.cctv.ingest;
