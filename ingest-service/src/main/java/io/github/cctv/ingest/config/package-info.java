/** Configuration (cctv.ingest.*), the clock, and the producers that build the domain from them. */
package io.github.cctv.ingest.config;
