import java.net.InetAddress;
import java.net.ServerSocket;

/* A server that listens (backlog 1) and never accepts: connections pile up in its accept
 * queue. Prints its port, then "started". */
public class Stuck {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.out.println("port " + server.getLocalPort());
            System.out.println("started");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
