/**
 * The one contract of the system: camera ids, NATS subject names, frame metadata and its headers, epoch
 * microseconds, the HTTP error body.
 */
package io.github.cctv.protocol;
