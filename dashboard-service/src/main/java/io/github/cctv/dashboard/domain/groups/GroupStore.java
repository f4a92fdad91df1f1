package io.github.cctv.dashboard.domain.groups;

import java.util.List;
import java.util.Optional;

/** Where the camera groups are kept, shared by every dashboard and browser. Every call may block. */
public interface GroupStore {

    /** Every group, by name (then id). */
    List<CameraGroup> groups() throws UnavailableException;

    Optional<CameraGroup> group(String id) throws UnavailableException;

    /** Creates or replaces the group with its id. */
    void save(CameraGroup group) throws UnavailableException, FullException;

    /** Removes a group; false when there was none with this id. */
    boolean delete(String id) throws UnavailableException;

    /** The store cannot be reached or written now. */
    final class UnavailableException extends Exception {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The store holds as many groups as it may. */
    final class FullException extends Exception {
        public FullException(String message) {
            super(message);
        }
    }
}
