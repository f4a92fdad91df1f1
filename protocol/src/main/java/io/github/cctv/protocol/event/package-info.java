/** Events, registry entries, recording state and control messages as records, and their JSON. */
package io.github.cctv.protocol.event;
