/** The camera TCP server: handshake, frame parsing with limits, heartbeats and the watchdog, on Vert.x event loops. */
package io.github.cctv.ingest.endpoint;
