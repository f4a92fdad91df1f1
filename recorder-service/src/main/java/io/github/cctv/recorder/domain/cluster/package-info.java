/**
 * Several recorders sharing the cameras: membership (live recorders by renewed entries), rendezvous hashing (which
 * live recorder should record a camera) and camera leases (which one may write it now), driven by
 * {@link io.github.cctv.recorder.domain.cluster.ClusterCoordinator}. No NATS here: the ports are implemented in
 * {@code messaging}.
 */
package io.github.cctv.recorder.domain.cluster;
