package io.github.cctv.dashboard.domain.groups;

import io.github.cctv.protocol.CameraId;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A named group of cameras and its grid layout, as the live page shows it.
 *
 * @param id      the group's key: camera-id rules ({@code [A-Za-z0-9_-]{1,64}}), since it becomes a bucket key and a URL part
 * @param name    what the header's group picker shows, 1 to {@value #MAX_NAME} characters, no control characters
 * @param cameras the members' camera ids, no duplicates, at most {@value #MAX_CAMERAS}; in the order {@code order} "listed" keeps
 * @param columns grid columns, 1 to {@value #MAX_COLUMNS}, or 0 to let the page choose from the number of tiles
 * @param order   {@value #BY_NAME} (tiles by camera name, then id) or {@value #LISTED} (tiles in the order of {@code cameras})
 */
public record CameraGroup(String id, String name, List<String> cameras, int columns, String order) {

    public static final int MAX_NAME = 100;
    public static final int MAX_CAMERAS = 500;
    public static final int MAX_COLUMNS = 8;
    public static final String BY_NAME = "name";
    public static final String LISTED = "listed";

    /** Checks every field, so that a stored group is always one the page can show. */
    public CameraGroup {
        id = requireValidId(id);
        if (name == null || name.isBlank()) {
            throw new InvalidGroupException("the group needs a name");
        }
        name = name.strip();
        if (name.length() > MAX_NAME) {
            throw new InvalidGroupException("the group name is " + name.length() + " characters long, at most " + MAX_NAME
                    + " are allowed");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidGroupException("the group name may not contain control characters");
        }
        if (cameras == null) {
            cameras = List.of();
        }
        if (cameras.size() > MAX_CAMERAS) {
            throw new InvalidGroupException("the group has " + cameras.size() + " cameras, at most " + MAX_CAMERAS
                    + " are allowed");
        }
        Set<String> seen = new HashSet<>();
        for (String camera : cameras) {
            try {
                CameraId.requireValid(camera);
            } catch (IllegalArgumentException e) {
                throw new InvalidGroupException("member: " + e.getMessage());
            }
            if (!seen.add(camera)) {
                throw new InvalidGroupException("camera " + camera + " is listed twice");
            }
        }
        cameras = List.copyOf(cameras);
        if (columns < 0 || columns > MAX_COLUMNS) {
            throw new InvalidGroupException("columns must be 0 (automatic) to " + MAX_COLUMNS + ", not " + columns);
        }
        if (order == null || order.isEmpty()) {
            order = BY_NAME;
        }
        if (!BY_NAME.equals(order) && !LISTED.equals(order)) {
            throw new InvalidGroupException("order must be '" + BY_NAME + "' or '" + LISTED + "'");
        }
    }

    /** A group id follows the camera-id rules; the message says what is wrong with one that does not. */
    public static String requireValidId(String id) {
        try {
            return CameraId.requireValid(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidGroupException("group id: " + e.getMessage().replace("camera id", "the id"));
        }
    }

    /** A group that breaks the rules; its message says which. */
    public static final class InvalidGroupException extends IllegalArgumentException {
        public InvalidGroupException(String message) {
            super(message);
        }
    }
}
