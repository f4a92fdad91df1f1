package io.github.cctv.dashboard.domain.auth;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the users are kept, shared by every dashboard. {@link #user} answers from what this dashboard has seen (never
 * blocks: it runs for every request); writes go through and may block. A user changed on any dashboard reaches every
 * {@link #onChange listener} on every dashboard within moments.
 */
public interface UserStore {

    /** The user named {@code name} as last seen, if any. Never blocks. */
    Optional<User> user(String name);

    /** Every user as last seen. Never blocks. */
    Collection<User> users();

    /** Whether the users have been read once; before that, nobody can sign in. */
    boolean loaded();

    /** Creates {@code user}; false when the name is taken. Blocking. */
    boolean create(User user) throws SessionStore.UnavailableException;

    /** Writes {@code user} over its previous version. Blocking. */
    void update(User user) throws SessionStore.UnavailableException;

    /** Called with the name of every user changed or removed after the users were first read. */
    void onChange(Consumer<String> listener);
}
