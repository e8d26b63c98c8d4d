package io.holdfast.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script kept as a resource file, run by {@code EVALSHA} with its SHA-1 digest (see
 * {@link RedisGateway#eval}).
 */
public final class Script {

    private final String name;
    private final String source;
    private final String sha;

    private Script(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /**
     * Loads the resource {@code fileName} that sits next to {@code anchor}'s class file, e.g.
     * {@code Script.load(ReentrantKind.class, "acquire.lua")}.
     */
    public static Script load(Class<?> anchor, String fileName) {
        return new Script(anchor.getPackageName() + "/" + fileName, read(anchor, fileName));
    }

    /**
     * Loads the resource {@code fileName} with the resource {@code library} put before it, both
     * next to {@code anchor}'s class file: the way several scripts of one kind share Lua functions
     * (declared {@code local function} in the library) without copying them. Lua error line numbers
     * then count the library's lines too.
     */
    public static Script loadWithLibrary(Class<?> anchor, String library, String fileName) {
        String source = read(anchor, library) + "\n" + read(anchor, fileName);
        return new Script(anchor.getPackageName() + "/" + fileName, source);
    }

    private static String read(Class<?> anchor, String fileName) {
        try (InputStream in = anchor.getResourceAsStream(fileName)) {
            if (in == null) {
                throw new IllegalStateException("script resource " + fileName + " not found next to " + anchor.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + fileName, e);
        }
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    public String sha() {
        return sha;
    }

    @Override
    public String toString() {
        return name;
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
