/**
 * HTTP and WebSocket: REST resources, the live socket, the recordings proxy, sign-in routes and the gate in front
 * of everything.
 */
package io.github.cctv.dashboard.endpoint;
