package io.holdfast.chaos.proxy;

import java.util.List;
import java.util.Locale;

/**
 * One command a client sent through the proxy, as its RESP arguments (bulk strings decoded as
 * UTF-8).
 *
 * @param args the command name followed by its arguments; never empty
 */
public record RespCommand(List<String> args) {

    public RespCommand {
        args = List.copyOf(args);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a command has at least its name");
        }
    }

    /** The command name, upper case ({@code evalsha}, {@code EVALSHA} both give {@code EVALSHA}). */
    public String name() {
        return args.get(0).toUpperCase(Locale.ROOT);
    }

    /** The argument at {@code index} (0 is the name), or {@code null} if there is none. */
    public String arg(int index) {
        return index < args.size() ? args.get(index) : null;
    }
}
