/**
 * How every service talks to NATS: cctv.nats configuration, the one connection, its readiness check, the stream
 * and bucket definitions, frame messages.
 */
package io.github.cctv.nats;
