/**
 * Sign-in and who may do what: users with roles and camera sets (bcrypt hashes), the first admin, signed session
 * tokens and the failed-attempt throttle; no HTTP and no NATS here.
 */
package io.github.cctv.dashboard.domain.auth;
