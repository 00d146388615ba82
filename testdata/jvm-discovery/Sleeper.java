// A stand-in service for the discovery tests: it prints a start line, holds a log file
// open like a logger would, and sleeps until the test stops it by pid.
import java.io.FileWriter;

public class Sleeper {
    public static void main(String[] args) throws Exception {
        String log = System.getProperty("sleeper.log");
        FileWriter out = log != null ? new FileWriter(log, true) : null;
        if (out != null) {
            out.write("2026-11-27 02:19:18,123 INFO  [main] Sleeper - started\n");
            out.flush();
        }
        System.out.println("started");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
