import java.lang.reflect.Field;
import sun.misc.Unsafe;

/* A JVM that dies of SIGSEGV when told to: it prints "started", waits for a line on its
 * standard input, then Unsafe writes to address 0. A test sees it alive (and scans it)
 * first, then makes it crash. */
public class CrashOnInput {
    public static void main(String[] args) throws Exception {
        System.out.println("started");
        System.out.flush();
        System.in.read();
        Field f = Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Unsafe unsafe = (Unsafe) f.get(null);
        unsafe.putAddress(0, 42);
    }
}
