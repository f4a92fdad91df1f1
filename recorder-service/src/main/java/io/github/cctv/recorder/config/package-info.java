/** Configuration (cctv.recorder.*), the clock, and the producers that build the domain from them. */
package io.github.cctv.recorder.config;
