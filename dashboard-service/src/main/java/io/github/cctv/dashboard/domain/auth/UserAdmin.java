package io.github.cctv.dashboard.domain.auth;

import io.github.cctv.protocol.CameraId;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Managing users: the first admin when the store has no enabled admin, adding users, and changing one (enabled, role,
 * cameras, password). Every change gives the user a new stamp, which ends the user's sessions on every dashboard.
 * The last enabled admin cannot be disabled or demoted, so that someone can always manage users. Blocking.
 */
public class UserAdmin {

    /** What to change of a user; null fields stay as they are. */
    public record Change(Boolean enabled, Role role, Boolean allCameras, Set<String> cameras, String password) {
    }

    /** A change the rules refuse (409). */
    public static final class ConflictException extends Exception {
        public ConflictException(String message) {
            super(message);
        }
    }

    private static final Logger LOG = Logger.getLogger(UserAdmin.class);

    private final UserStore store;
    private final Clock clock;

    public UserAdmin(UserStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Makes {@code name} an enabled admin with {@code password} when the store has no enabled admin: the first
     * start, or every admin disabled by hand in NATS (then this is the way back in). Called once the users are read.
     */
    public void bootstrap(String name, java.util.function.Supplier<String> password) throws SessionStore.UnavailableException {
        if (store.users().stream().anyMatch(u -> u.enabled() && u.role() == Role.ADMIN)) {
            return;
        }
        Optional<User> existing = store.user(name);
        User admin = new User(name, Role.ADMIN, true, Passwords.hash(password.get()), true, Set.of(), User.newStamp(),
                clock.instant(), "configuration");
        if (existing.isPresent()) {
            store.update(admin);
            LOG.warnf("No enabled admin among the dashboard's users: '%s' is an admin again, with the configured "
                    + "password", name);
        } else if (store.create(admin)) {
            LOG.infof("First dashboard admin '%s' made from the configuration", name);
        }
    }

    public Collection<User> users() {
        return store.users().stream().sorted(java.util.Comparator.comparing(User::name)).toList();
    }

    /** Adds a user. */
    public User create(String name, Role role, String password, boolean allCameras, Set<String> cameras, String by)
            throws SessionStore.UnavailableException, ConflictException {
        User.requireValidName(name);
        Passwords.requireAcceptable(password);
        User user = new User(name, role, true, Passwords.hash(password), allCameras, cameraSet(cameras),
                User.newStamp(), clock.instant(), by);
        if (!store.create(user)) {
            throw new ConflictException("user " + name + " exists");
        }
        return user;
    }

    /** Changes a user; empty when there is no such user. */
    public Optional<User> change(String name, Change change, String by)
            throws SessionStore.UnavailableException, ConflictException {
        Optional<User> found = store.user(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        User was = found.get();
        boolean enabled = change.enabled() == null ? was.enabled() : change.enabled();
        Role role = change.role() == null ? was.role() : change.role();
        if (was.enabled() && was.role() == Role.ADMIN && (!enabled || role != Role.ADMIN)
                && store.users().stream().filter(u -> u.enabled() && u.role() == Role.ADMIN).count() <= 1) {
            throw new ConflictException(name + " is the last enabled admin: make another admin first");
        }
        String hash = change.password() == null ? was.passwordHash()
                : Passwords.hash(Passwords.requireAcceptable(change.password()));
        boolean all = change.allCameras() == null ? was.allCameras() : change.allCameras();
        Set<String> cameras = change.cameras() == null ? was.cameras() : cameraSet(change.cameras());
        User now = was.changed(role, enabled, hash, all, cameras, clock.instant(), by);
        store.update(now);
        return Optional.of(now);
    }

    private static Set<String> cameraSet(Collection<String> cameras) {
        Set<String> set = new TreeSet<>();
        for (String c : cameras == null ? List.<String>of() : cameras) {
            set.add(CameraId.requireValid(c));
        }
        if (set.size() > 10_000) {
            throw new IllegalArgumentException("at most 10000 cameras per user");
        }
        return set;
    }
}
