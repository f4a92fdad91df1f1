/**
 * The recordings folder: where files live, recording ids, and the index kept in sidecars (replaced atomically, forced
 * to the disk), cut back after a crash and rebuilt from the files.
 */
package io.github.cctv.recorder.domain.store;
