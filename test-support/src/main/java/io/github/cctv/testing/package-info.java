/** Test-only: a real NATS server with deploy/nats.conf, service processes, a headless browser, a clock to move. */
package io.github.cctv.testing;
