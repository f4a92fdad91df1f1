package io.github.cctv.dashboard.domain.auth;

import java.util.List;
import java.util.Set;

/**
 * Who is making a request, as the server decides what they may do: a signed-in user, or everybody when sign-in is
 * off (then everybody may do everything, as the start-up warning says).
 */
public record Principal(String name, Role role, boolean allCameras, Set<String> cameras) {

    /** Sign-in off: the one anonymous operator of a trusted network, who may do everything. */
    public static final Principal ANYONE = new Principal(null, Role.ADMIN, true, Set.of());

    public Principal {
        cameras = Set.copyOf(cameras);
    }

    public static Principal of(User user) {
        return new Principal(user.name(), user.role(), user.allCameras(), user.cameras());
    }

    public boolean mayWatch(String cameraId) {
        return allCameras || cameras.contains(cameraId);
    }

    public boolean mayOperate() {
        return role.mayOperate();
    }

    public boolean mayAdminister() {
        return role.mayAdminister();
    }

    /** For audit events and {@code /api/me}: the user's name, or {@code anonymous} when sign-in is off. */
    public String who() {
        return name == null ? "anonymous" : name;
    }

    public List<String> cameraList() {
        return cameras.stream().sorted().toList();
    }
}
