package dev.pipec.plannercheck;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every configuration key that this Flink version declares, found by reflection.
 *
 * <p>Flink ignores a {@code SET} key that no option reads (TableConfig#set(String, String) stores
 * any string), so a key that was renamed or removed between 1.20 and 2.x would silently do nothing.
 * This index holds every {@code ConfigOption} constant of every {@code org.apache.flink.**.*Options}
 * class on the class path (core, runtime, streaming, table, connector and format options), with
 * its fallback and deprecated keys, so the harness can reject an unknown key and warn on a
 * deprecated one, and check that the value parses as the option's type.
 */
final class ConfigKeys {

    /** What the index knows about one key. */
    static final class Entry {
        final ConfigOption<?> option;
        final String declaredIn;
        /** null when the key is the option's own key; else the option's key it falls back to. */
        final String replacedBy;
        /** A deprecated fallback key, or the key of an option (or class) marked @Deprecated. */
        final boolean deprecated;

        Entry(ConfigOption<?> option, String declaredIn, String replacedBy, boolean deprecated) {
            this.option = option;
            this.declaredIn = declaredIn;
            this.replacedBy = replacedBy;
            this.deprecated = deprecated;
        }

        /** Lower is better: own key, then non-deprecated, wins when several options name a key. */
        int rank() {
            return (replacedBy == null ? 0 : 2) + (deprecated ? 1 : 0);
        }
    }

    private final Map<String, Entry> byKey = new HashMap<>();

    static ConfigKeys scanClassPath() {
        ConfigKeys keys = new ConfigKeys();
        ClassLoader loader = ConfigKeys.class.getClassLoader();
        for (String className : optionClassNames()) {
            Class<?> cls;
            try {
                cls = Class.forName(className, false, loader);
            } catch (Throwable e) {
                continue;
            }
            keys.addFrom(cls);
        }
        return keys;
    }

    private void addFrom(Class<?> cls) {
        Field[] fields;
        boolean deprecatedClass;
        try {
            fields = cls.getDeclaredFields();
            deprecatedClass = cls.isAnnotationPresent(Deprecated.class);
        } catch (Throwable e) {
            return;
        }
        for (Field f : fields) {
            try {
                if (!Modifier.isStatic(f.getModifiers())
                        || !ConfigOption.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                f.setAccessible(true);
                ConfigOption<?> option = (ConfigOption<?>) f.get(null);
                if (option == null) {
                    continue;
                }
                boolean deprecated = deprecatedClass || f.isAnnotationPresent(Deprecated.class);
                String where = cls.getName() + "." + f.getName();
                put(option.key(), new Entry(option, where, null, deprecated));
                for (FallbackKey fk : option.fallbackKeys()) {
                    put(fk.getKey(), new Entry(option, where, option.key(), fk.isDeprecated() || deprecated));
                }
            } catch (Throwable e) {
                // a class whose static initializer fails on this class path: skip it
            }
        }
    }

    private void put(String key, Entry candidate) {
        Entry old = byKey.get(key);
        if (old == null || candidate.rank() < old.rank()) {
            byKey.put(key, candidate);
        }
    }

    /** The option for {@code key}, or null when no option on the class path declares it. */
    Entry lookup(String key) {
        return byKey.get(key);
    }

    int size() {
        return byKey.size();
    }

    /**
     * Parses {@code value} as the option's type, the way the planner will read it; returns the
     * parse error or null.
     */
    static String checkValue(Entry entry, String key, String value) {
        try {
            Map<String, String> m = new HashMap<>();
            m.put(key, value);
            Configuration c = Configuration.fromMap(m);
            c.get(entry.option);
            return null;
        } catch (Throwable e) {
            String msg = e.getMessage();
            Throwable cause = e.getCause();
            if (cause != null && cause.getMessage() != null && (msg == null || !msg.contains(cause.getMessage()))) {
                msg = msg + ": " + cause.getMessage();
            }
            return msg;
        }
    }

    private static List<String> optionClassNames() {
        List<String> names = new ArrayList<>();
        String cp = System.getProperty("java.class.path", "");
        for (String element : cp.split(File.pathSeparator)) {
            if (element.isEmpty()) {
                continue;
            }
            Path p = Path.of(element);
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.map(x -> p.relativize(x).toString().replace(File.separatorChar, '/'))
                            .filter(ConfigKeys::isOptionClassEntry)
                            .forEach(e -> names.add(toClassName(e)));
                } catch (IOException e) {
                    // ignore unreadable directories
                }
            } else if (element.endsWith(".jar") && Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        String name = entries.nextElement().getName();
                        if (isOptionClassEntry(name)) {
                            names.add(toClassName(name));
                        }
                    }
                } catch (IOException e) {
                    // ignore unreadable jars
                }
            }
        }
        return names;
    }

    /**
     * Classes of configuration options. Connector, format and hint options are table options for
     * WITH (...) or hints, not SET keys, so they are left out (else SET 'topic' would pass).
     */
    private static boolean isOptionClassEntry(String name) {
        if (!name.startsWith("org/apache/flink/")
                || !name.endsWith("Options.class")
                || name.contains("$")
                || name.contains("/shaded/")
                || name.startsWith("org/apache/flink/formats/")
                || name.startsWith("org/apache/flink/connector/")
                || name.startsWith("org/apache/flink/streaming/connectors/")) {
            return false;
        }
        String simple = name.substring(name.lastIndexOf('/') + 1, name.length() - ".class".length());
        return !(simple.endsWith("ConnectorOptions")
                || simple.endsWith("FormatOptions")
                || simple.endsWith("HintOptions")
                || simple.endsWith("SinkOptions")
                || simple.endsWith("SourceOptions")
                || simple.equals("MLPredictRuntimeConfigOptions"));
    }

    /**
     * Key prefixes of options declared by modules that are not on the harness class path (state
     * backends, reporters): such keys cannot be checked here and are passed with a warning.
     */
    static final List<String> UNCHECKED_PREFIXES =
            List.of(
                    "state.backend.rocksdb.",
                    "state.backend.forst.",
                    "metrics.reporter.",
                    "traces.reporter.",
                    "events.reporter.");

    static boolean isUnchecked(String key) {
        for (String p : UNCHECKED_PREFIXES) {
            if (key.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static String toClassName(String entry) {
        return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    }
}
