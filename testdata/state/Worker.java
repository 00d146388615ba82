import java.util.concurrent.CountDownLatch;

/* A healthy worker without ports: main starts a non-daemon thread that waits for work
 * (as a queue consumer does), prints "started" and returns, as Spring Boot's main does. */
public class Worker {
    public static void main(String[] args) {
        CountDownLatch work = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                work.await();
            } catch (InterruptedException e) {
                return;
            }
        }, "queue-consumer");
        t.start();
        System.out.println("started");
        System.out.flush();
    }
}
