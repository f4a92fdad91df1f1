package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.domain.auth.Principal;
import io.github.cctv.protocol.CameraId;
import io.vertx.core.http.HttpMethod;

import java.util.Optional;

/**
 * What a signed-in user may reach, by path, decided before any route runs ({@link AuthFilter}): user management and
 * the service's internals for admins, recordings and review for operators, a camera's own API only for the users with
 * that camera. What a path cannot tell (a recording's camera, a list of cameras, the live subscriptions) is checked
 * where it is known: {@link RecordingsProxy}, {@link ReviewWrites}, {@link CameraResource}, {@link LiveSocket}.
 */
final class AccessRules {

    private AccessRules() {
    }

    /** Why {@code who} may not make this request, or empty when the path allows it. */
    static Optional<String> refusal(Principal who, HttpMethod method, String path) {
        if (path.equals("/users.html") || path.equals("/js/users.js") || path.equals("/api/users")
                || path.startsWith("/api/users/") || path.equals("/api/viewers")
                || (path.startsWith("/q/") && !PublicHealth.covers(path))) {
            return who.mayAdminister() ? Optional.empty() : Optional.of("only an admin may do this");
        }
        if (path.equals("/recordings.html") || isRecordings(path)) {
            return who.mayOperate() ? Optional.empty()
                    : Optional.of("a viewer watches live only: recordings are for operators and admins");
        }
        if ((path.equals("/api/groups") || path.startsWith("/api/groups/"))
                && method != HttpMethod.GET && method != HttpMethod.HEAD && !who.mayOperate()) {
            return Optional.of("a viewer watches live only: camera groups are arranged by operators");
        }
        if (path.startsWith("/api/cameras/")) {
            String rest = path.substring("/api/cameras/".length());
            int slash = rest.indexOf('/');
            String camera = slash < 0 ? rest : rest.substring(0, slash);
            if (CameraId.isValid(camera) && !who.mayWatch(camera)) {
                return Optional.of("camera " + camera + " is not among your cameras");
            }
            boolean write = method != HttpMethod.GET && method != HttpMethod.HEAD;
            if (write && !who.mayOperate()) {
                return Optional.of("a viewer watches live only: recording and forgetting cameras are for operators");
            }
        }
        return Optional.empty();
    }

    static boolean isRecordings(String path) {
        for (String prefix : RecordingsProxy.PREFIXES) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
