import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Unsafe;

/* A JVM that dies when told to: it prints "started", waits for a line on its standard
 * input, then Unsafe writes to address 0 (SIGSEGV), or, with the argument "oom", keeps
 * every array it allocates until the heap is gone. A test sees it alive (and scans it)
 * first, then makes it die. */
public class CrashOnInput {
    public static void main(String[] args) throws Exception {
        System.out.println("started");
        System.out.flush();
        System.in.read();
        if (args.length > 0 && args[0].equals("oom")) {
            List<long[]> kept = new ArrayList<>();
            while (true)
                kept.add(new long[1 << 16]);
        }
        Field f = Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Unsafe unsafe = (Unsafe) f.get(null);
        unsafe.putAddress(0, 42);
    }
}
