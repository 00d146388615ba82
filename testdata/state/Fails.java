/* A main that fails at start: a class its code needs is missing from the classpath. */
public class Fails {
    public static void main(String[] args) {
        System.out.println("starting");
        System.out.println(new com.acme.missing.Config().port());
    }
}
