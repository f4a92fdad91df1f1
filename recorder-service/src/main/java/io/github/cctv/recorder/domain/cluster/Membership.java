package io.github.cctv.recorder.domain.cluster;

import java.util.Set;

/** This recorder's entry among the live recorders, kept alive by renewing it. */
public interface Membership {

    /** This recorder's id. */
    String self();

    /** Writes this recorder's entry again, so that it outlives one more lease. */
    void renew();

    /** Ids of the recorders whose entries are alive, this one included once it renewed. */
    Set<String> live();

    /** Removes this recorder's entry at a clean shutdown, so that the others rebalance at once. */
    void leave();
}
