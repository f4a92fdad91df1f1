/**
 * How every service talks to NATS: cctv.nats configuration, the one connection, its readiness check, the stream
 * and bucket definitions, frame messages; and the clock every service runs by.
 */
package io.github.cctv.nats;
