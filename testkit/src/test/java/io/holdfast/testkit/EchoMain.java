package io.holdfast.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Child-JVM program for {@link ChildJvmTest}. Prints {@code ready <greeting>}, then for each
 * stdin line: {@code exit N} exits with code N, {@code err TEXT} writes TEXT to stderr, anything
 * else is echoed as {@code echo: LINE}. Exits with 0 when stdin closes.
 */
public final class EchoMain {

    private EchoMain() {}

    public static void main(String[] args) throws IOException {
        System.out.println("ready " + System.getProperty("holdfast.greeting", "-")
                + " args=" + String.join(",", args));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("exit ")) {
                System.exit(Integer.parseInt(line.substring(5)));
            } else if (line.startsWith("err ")) {
                System.err.println(line.substring(4));
                System.err.flush();
                System.out.println("wrote stderr");
            } else {
                System.out.println("echo: " + line);
            }
        }
    }
}
