/**
 * What the dashboard knows about cameras: registry status, recording state, events, and the ports to history and
 * recording control.
 */
package io.github.cctv.dashboard.domain.cameras;
