/**
 * Whole-system checks: the compose file, run.sh, and the services run as real processes against a real NATS and a
 * real browser.
 */
package io.github.cctv.system;
