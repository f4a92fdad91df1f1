/** Sign-in: the one user's credentials, signed session tokens and the failed-attempt throttle; no HTTP here. */
package io.github.cctv.dashboard.domain.auth;
