/**
 * The recordings folder: where files live, recording ids, and the index kept in sidecars and rebuilt from the
 * files.
 */
package io.github.cctv.recorder.domain.store;
