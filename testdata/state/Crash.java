import java.lang.reflect.Field;
import sun.misc.Unsafe;

/* A JVM that dies of SIGSEGV: Unsafe writes to address 0 (after printing "started" and
 * waiting for its argument's milliseconds, so a test can see it alive first). */
public class Crash {
    public static void main(String[] args) throws Exception {
        System.out.println("started");
        System.out.flush();
        Thread.sleep(args.length > 0 ? Long.parseLong(args[0]) : 0);
        Field f = Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Unsafe unsafe = (Unsafe) f.get(null);
        unsafe.putAddress(0, 42);
    }
}
