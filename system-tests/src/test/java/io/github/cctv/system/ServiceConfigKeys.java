package io.github.cctv.system;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration properties a service really has, read from its {@code @ConfigMapping} interfaces on
 * the test classpath, and the environment variable names that set them (SmallRye's rule: upper case,
 * every non-alphanumeric character becomes {@code _}).
 */
final class ServiceConfigKeys {

    /** One property; {@code prefixOnly} for a map whose keys are free. */
    record Key(String property, boolean prefixOnly) {
        String envName() {
            return toEnv(property);
        }
    }

    private ServiceConfigKeys() {
    }

    static String toEnv(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * Every key of every {@code @ConfigMapping} found in the classpath entry of {@code module} and of the modules of
     * this repository it depends on (the shared {@code cctv.nats} keys live in {@code nats-support}).
     */
    static List<Key> of(String module) {
        List<Key> keys = new ArrayList<>();
        for (String m : withOwnDependencies(module)) {
            for (Class<?> type : mappings(m)) {
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                collect(type, mapping.prefix(), mapping.namingStrategy(), keys, 0);
            }
        }
        return keys;
    }

    /** {@code module} and the modules of this repository its pom.xml depends on outside the test scope. */
    static List<String> withOwnDependencies(String module) {
        List<String> modules = new ArrayList<>(List.of(module));
        String pom;
        try {
            pom = Files.readString(Repo.ROOT.resolve(module).resolve("pom.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher dep = Pattern.compile("<dependency>\\s*<groupId>io\\.github\\.cctv</groupId>\\s*<artifactId>([^<]+)</artifactId>"
                + "((?:(?!</dependency>).)*)</dependency>", Pattern.DOTALL).matcher(pom);
        while (dep.find()) {
            if (!dep.group(2).contains("<scope>test</scope>")) {
                modules.add(dep.group(1).trim());
            }
        }
        return modules;
    }

    /** True if {@code env} sets one of {@code keys}. */
    static boolean matches(List<Key> keys, String env) {
        for (Key k : keys) {
            String e = k.envName();
            if (k.prefixOnly() ? env.startsWith(e + "_") : env.equals(e)) {
                return true;
            }
        }
        return false;
    }

    static List<Class<?>> mappings(String module) {
        List<Class<?>> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            String norm = p.toAbsolutePath().normalize().toString().replace('\\', '/');
            boolean ours = norm.contains("/" + module + "/target/") || p.getFileName().toString().startsWith(module + "-");
            if (!ours) {
                continue;
            }
            for (String className : classNames(p)) {
                try {
                    Class<?> c = Class.forName(className, false, ServiceConfigKeys.class.getClassLoader());
                    if (c.isInterface() && c.isAnnotationPresent(ConfigMapping.class)) {
                        found.add(c);
                    }
                } catch (Throwable ignored) {
                    // a class that cannot load outside its application is not a mapping
                }
            }
        }
        return found;
    }

    private static List<String> classNames(Path entry) {
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    files.filter(f -> f.toString().endsWith(".class")).forEach(f -> names.add(className(entry.relativize(f).toString())));
                }
            } else if (Files.isRegularFile(entry)) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    Enumeration<JarEntry> en = jar.entries();
                    while (en.hasMoreElements()) {
                        String n = en.nextElement().getName();
                        if (n.endsWith(".class") && n.startsWith("io/github/cctv/")) {
                            names.add(className(n));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.removeIf(n -> !n.startsWith("io.github.cctv.") || n.endsWith("module-info"));
        return names;
    }

    private static String className(String path) {
        return path.replace('\\', '/').replace('/', '.').replaceAll("\\.class$", "");
    }

    private static void collect(Class<?> type, String prefix, ConfigMapping.NamingStrategy naming, List<Key> keys, int depth) {
        if (depth > 5) {
            return;
        }
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault() || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            WithName withName = m.getAnnotation(WithName.class);
            String name = withName != null ? withName.value() : name(m.getName(), naming);
            String property = prefix.isEmpty() ? name : prefix + "." + name;
            Class<?> raw = m.getReturnType();
            Type generic = m.getGenericReturnType();
            if (raw == Optional.class && generic instanceof ParameterizedType pt
                    && pt.getActualTypeArguments()[0] instanceof Class<?> inner && isGroup(inner)) {
                collect(inner, property, naming, keys, depth + 1);
            } else if (Map.class.isAssignableFrom(raw)) {
                keys.add(new Key(property, true));
            } else if (isGroup(raw)) {
                collect(raw, property, naming, keys, depth + 1);
            } else {
                keys.add(new Key(property, false));
            }
        }
    }

    private static boolean isGroup(Class<?> c) {
        return c.isInterface() && c.getName().startsWith("io.github.cctv.") && !c.isAnnotation();
    }

    private static String name(String method, ConfigMapping.NamingStrategy naming) {
        if (naming == ConfigMapping.NamingStrategy.VERBATIM) {
            return method;
        }
        String sep = naming == ConfigMapping.NamingStrategy.SNAKE_CASE ? "_" : "-";
        return method.replaceAll("([a-z0-9])([A-Z])", "$1" + sep + "$2").toLowerCase(Locale.ROOT);
    }

    static TreeSet<String> envNames(List<Key> keys) {
        TreeSet<String> s = new TreeSet<>();
        keys.forEach(k -> s.add(k.envName() + (k.prefixOnly() ? "_*" : "")));
        return s;
    }
}
