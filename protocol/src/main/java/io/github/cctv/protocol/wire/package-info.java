/** The camera wire protocol: messages, codec, limits and reason codes (docs/protocol.md). */
package io.github.cctv.protocol.wire;
