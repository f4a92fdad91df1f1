package io.github.cctv.dashboard.domain.auth;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The users of one dashboard, in memory: the port's fake for tests of the sign-in and user rules. */
public final class InMemoryUserStore implements UserStore {

    public final Map<String, User> users = new ConcurrentHashMap<>();
    public volatile boolean loaded = true;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Optional<User> user(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(users.get(name));
    }

    @Override
    public Collection<User> users() {
        return List.copyOf(users.values());
    }

    @Override
    public boolean loaded() {
        return loaded;
    }

    @Override
    public boolean create(User user) {
        if (users.putIfAbsent(user.name(), user) != null) {
            return false;
        }
        listeners.forEach(l -> l.accept(user.name()));
        return true;
    }

    @Override
    public void update(User user) {
        users.put(user.name(), user);
        listeners.forEach(l -> l.accept(user.name()));
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }
}
