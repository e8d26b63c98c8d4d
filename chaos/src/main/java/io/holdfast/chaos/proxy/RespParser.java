package io.holdfast.chaos.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds command boundaries in the client-to-server byte stream: RESP arrays of bulk strings
 * (pipelined, split anywhere across chunks) and inline commands. Not thread-safe: one per link,
 * used on the link's event loop.
 */
final class RespParser {

    private final ByteBuf pending = Unpooled.buffer();

    /** Reads {@code chunk} (without consuming it) and returns the commands that end in it. */
    List<RespCommand> feed(ByteBuf chunk) {
        pending.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
        List<RespCommand> complete = new ArrayList<>();
        RespCommand command;
        while (pending.isReadable() && (command = next()) != null) {
            complete.add(command);
        }
        pending.discardReadBytes();
        return complete;
    }

    void release() {
        pending.release();
    }

    /** One whole command from {@code pending}, consumed; or null with nothing consumed. */
    private RespCommand next() {
        int start = pending.readerIndex();
        List<String> args = pending.getByte(start) == '*' ? array() : inline();
        if (args == null) {
            pending.readerIndex(start);
            return null;
        }
        return args.isEmpty() ? next0() : new RespCommand(args);
    }

    private RespCommand next0() {
        return pending.isReadable() ? next() : null; // an empty array or blank line: skip it
    }

    private List<String> array() {
        String header = line();
        if (header == null) {
            return null;
        }
        int count = Integer.parseInt(header.substring(1));
        List<String> args = new ArrayList<>(Math.max(count, 0));
        for (int i = 0; i < count; i++) {
            String bulk = line();
            if (bulk == null) {
                return null;
            }
            int length = Integer.parseInt(bulk.substring(1));
            if (pending.readableBytes() < length + 2) {
                return null;
            }
            args.add(pending.readCharSequence(length, StandardCharsets.UTF_8).toString());
            pending.skipBytes(2);
        }
        return args;
    }

    private List<String> inline() {
        String text = line();
        if (text == null) {
            return null;
        }
        List<String> args = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                args.add(word);
            }
        }
        return args;
    }

    /** The next line without its CRLF, consumed; or null if no LF has arrived yet. */
    private String line() {
        int lf = pending.forEachByte(ByteProcessor.FIND_LF);
        if (lf < 0) {
            return null;
        }
        int end = lf > pending.readerIndex() && pending.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        String text = pending.toString(pending.readerIndex(), end - pending.readerIndex(), StandardCharsets.UTF_8);
        pending.readerIndex(lf + 1);
        return text;
    }
}
