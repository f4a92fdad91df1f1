/** The load benchmark run by bench.sh: simulated cameras through the real services and a private NATS, measured. */
package io.github.cctv.bench;
