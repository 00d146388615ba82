import java.util.ArrayList;
import java.util.List;

/* A JVM that runs out of heap at start: it keeps every array it allocates. */
public class Oom {
    public static void main(String[] args) {
        System.out.println("started");
        List<long[]> kept = new ArrayList<>();
        while (true)
            kept.add(new long[1 << 16]);
    }
}
