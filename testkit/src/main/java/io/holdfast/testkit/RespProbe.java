package io.holdfast.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A minimal RESP client used only to see whether a server is ready: one short-lived socket,
 * optional {@code AUTH}, then {@code PING}. Cheaper and quieter than a full Lettuce client.
 */
final class RespProbe {

    private RespProbe() {}

    /**
     * Whether the server answers {@code +PONG} within {@code timeout}; any I/O failure, a
     * refused {@code AUTH} or a {@code -LOADING} reply count as "not ready".
     */
    static boolean answersPing(String host, int port, String password, Duration timeout) {
        int millis = (int) timeout.toMillis();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            if (password != null) {
                out.write(command("AUTH", password));
                if (!"+OK".equals(in.readLine())) {
                    return false;
                }
            }
            out.write(command("PING"));
            return "+PONG".equals(in.readLine());
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] command(String... parts) {
        StringBuilder resp = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            resp.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
    }
}
