/*
 * JarHellCheck - the reference checker `make bench` times wrench against.
 *
 * It does what Elasticsearch's JarHell does, without the early exit: resolve every classpath
 * element to its real path (a jar listed twice is read once), open each jar with
 * java.util.jar.JarFile, enumerate every entry, and put each class name into a
 * HashMap<String, List<String>> of class name -> jars holding it. Classes held by two or more
 * jars are the report. The class rules follow wrench's (see wrench/reader.c), so that both
 * count the same thing: module-info and package-info are not classes, other META-INF/ entries
 * are not classes, and META-INF/versions/N/ entries overlay the jar's own classes only in a
 * Multi-Release jar.
 *
 * Usage: java -cp DIR JarHellCheck CLASSPATH [--list N]
 * CLASSPATH is ':'-separated; "dir/*" expands to dir's .jar/.JAR files, as the java launcher
 * does. Prints one summary line of key=value pairs (parsed by scripts/bench.sh), then with
 * --list the first N multi-jar classes. Always exits 0 unless the arguments are wrong: the
 * bench measures, it does not judge.
 */
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

public final class JarHellCheck {
    private static final String CLASS_SUFFIX = ".class";
    private static final String META_INF = "META-INF/";
    private static final String VERSIONS = "META-INF/versions/";

    private final Map<String, List<String>> classes = new HashMap<>();
    private long jars;
    private long zipEntries;
    private long classEntries;
    private long skipped;

    private JarHellCheck() {
    }

    /* Expand the classpath the way the java launcher does, then resolve real paths. */
    private List<Path> parseClassPath(String classPath) throws IOException {
        List<Path> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (String element : classPath.split(File.pathSeparator)) {
            if (element.isEmpty()) {
                continue;
            }
            List<Path> expanded = new ArrayList<>();
            if (element.endsWith("/*") || element.equals("*")) {
                File dir = new File(element.substring(0, element.length() - 1));
                File[] files = dir.listFiles();
                if (files != null) {
                    for (File f : files) {
                        String n = f.getName();
                        if (f.isFile() && (n.endsWith(".jar") || n.endsWith(".JAR"))) {
                            expanded.add(f.toPath());
                        }
                    }
                }
            } else {
                expanded.add(Paths.get(element));
            }
            for (Path p : expanded) {
                if (!Files.exists(p)) {
                    skipped++;
                    continue;
                }
                // JarHell throws on a jar listed twice; here it is read once, as wrench does.
                if (seen.add(p.toRealPath())) {
                    out.add(p.toRealPath());
                }
            }
        }
        return out;
    }

    /* Each jar's class names are a set and each jar is read once, so no holder repeats. */
    private void add(String name, String jar) {
        classes.computeIfAbsent(name, k -> new ArrayList<>(1)).add(jar);
    }

    private static boolean isInfoClass(String stem) {
        return stem.equals("module-info") || stem.endsWith("/module-info")
            || stem.equals("package-info") || stem.endsWith("/package-info");
    }

    /* Offset of the class name after META-INF/versions/N/, or 0 when the entry is not versioned. */
    private static int versionedOffset(String stem) {
        if (!stem.startsWith(VERSIONS)) {
            return 0;
        }
        int i = VERSIONS.length();
        while (i < stem.length() && Character.isDigit(stem.charAt(i))) {
            i++;
        }
        if (i == VERSIONS.length() || i >= stem.length() || stem.charAt(i) != '/') {
            return 0;
        }
        return i + 1;
    }

    private void checkJar(Path path) {
        String jar = path.toString();
        try (JarFile file = new JarFile(jar)) {
            jars++;
            boolean multiRelease = file.isMultiRelease();
            Set<String> base = new HashSet<>();
            List<String> versioned = new ArrayList<>();
            Enumeration<JarEntry> elements = file.entries();
            while (elements.hasMoreElements()) {
                String entry = elements.nextElement().getName();
                zipEntries++;
                if (!entry.endsWith(CLASS_SUFFIX)) {
                    continue;
                }
                String stem = entry.substring(0, entry.length() - CLASS_SUFFIX.length());
                int off = versionedOffset(stem);
                if (off > 0) {
                    versioned.add(stem.substring(off));
                } else if (!stem.startsWith(META_INF) && !isInfoClass(stem)) {
                    base.add(stem);
                }
            }
            if (multiRelease) {
                base.addAll(versioned);
            }
            for (String stem : base) {
                classEntries++;
                add(stem.replace('/', '.'), jar);
            }
        } catch (IOException | SecurityException e) {
            System.err.println("JarHellCheck: " + jar + ": " + e.getMessage());
            skipped++;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--list"))) {
            System.err.println("usage: JarHellCheck CLASSPATH [--list N]");
            System.exit(2);
        }
        long start = System.nanoTime();
        JarHellCheck check = new JarHellCheck();
        for (Path p : check.parseClassPath(args[0])) {
            check.checkJar(p);
        }
        List<String> multi = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : check.classes.entrySet()) {
            if (e.getValue().size() > 1) {
                multi.add(e.getKey());
            }
        }
        long scanMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println("jars=" + check.jars + " zip_entries=" + check.zipEntries
            + " class_entries=" + check.classEntries + " classes=" + check.classes.size()
            + " multi_jar_classes=" + multi.size() + " skipped=" + check.skipped
            + " scan_ms=" + scanMs);
        if (args.length == 3) {
            int n = Integer.parseInt(args[2]);
            multi.sort(null);
            for (String name : multi.subList(0, Math.min(n, multi.size()))) {
                System.out.println(name + " " + check.classes.get(name));
            }
        }
    }
}
