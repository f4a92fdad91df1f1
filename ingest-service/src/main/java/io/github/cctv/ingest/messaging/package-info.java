/** NATS side of ingest's ports: frame publishing, the outbox worker, stream and bucket set-up. */
package io.github.cctv.ingest.messaging;
