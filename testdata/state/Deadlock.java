/* Two threads that take two locks in opposite orders at start: a Java-level deadlock. */
public class Deadlock {
    static final Object ORDERS = new Object();
    static final Object STOCK = new Object();

    static void both(Object first, Object second) {
        synchronized (first) {
            sleep(300);
            synchronized (second) {
                System.out.println("never");
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        Thread a = new Thread(() -> both(ORDERS, STOCK), "orders-loader");
        Thread b = new Thread(() -> both(STOCK, ORDERS), "stock-loader");
        a.start();
        b.start();
        sleep(600);
        System.out.println("started");
        System.out.flush();
        a.join();
    }
}
