import java.io.InputStream;
import java.net.Socket;

/* A start that hangs: it connects to a server (argument: its port) that accepts and never
 * answers, and reads. Prints "started" once connected, so the test knows it waits. */
public class Hang {
    public static void main(String[] args) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(args[0]))) {
            System.out.println("started");
            System.out.flush();
            InputStream in = socket.getInputStream();
            in.read();
        }
    }
}
