package io.github.cctv.dashboard.domain.auth;

import java.util.Locale;

/**
 * What a user may do. {@link #VIEWER} watches live; {@link #OPERATOR} also records, reviews, exports, deletes, keeps
 * and forgets cameras; {@link #ADMIN} also manages users and sees the service's internals (viewers, metrics, API
 * document). Every role is further limited to the user's cameras.
 */
public enum Role {
    ADMIN, OPERATOR, VIEWER;

    /** Start and stop recordings, browse, play, export, delete and keep recordings, forget cameras. */
    public boolean mayOperate() {
        return this != VIEWER;
    }

    /** Manage users; see who watches what, metrics and the API document. */
    public boolean mayAdminister() {
        return this == ADMIN;
    }

    /** The name used in JSON and the UI: {@code admin}, {@code operator}, {@code viewer}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code id} ({@code admin}, {@code operator}, {@code viewer}). */
    public static Role of(String id) {
        if (id != null) {
            for (Role r : values()) {
                if (r.id().equals(id)) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("role must be admin, operator or viewer");
    }
}
