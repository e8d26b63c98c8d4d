package io.holdfast.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script kept as a resource file, run by {@code EVALSHA} with its SHA-1 digest (see
 * {@link RedisGateway#eval}).
 *
 * <p><b>Fragments.</b> Scripts share code by including fragment files, never by copying. A line
 * that is exactly {@code --@include NAME} is replaced, when the script is loaded, by the text of
 * resource {@code NAME}: a plain name sits next to the file that includes it, a name starting
 * with {@code /} is a class-path path (core's fragments live in {@code /io/holdfast/spi/}).
 * Fragments define {@code local function}s only, so that including one changes no behaviour by
 * itself; they may include others; each is included once per script (a repeated include is
 * dropped). The digest and the line numbers in Redis error messages refer to the composed text,
 * {@link #source()}.
 *
 * <p><b>Wake-ups.</b> A script publishes through core's fragment {@code /io/holdfast/spi/publish.lua}
 * ({@code publish(channel, message)}, classic {@code PUBLISH}). Its {@link #withShardedPubSub()}
 * variant is the same script composed with {@code publish-sharded.lua} in that fragment's place
 * ({@code SPUBLISH}); the client runs that variant on a Redis Cluster of Redis 7+ (see
 * {@link RedisGateway#shardedPubSub()}). The two differ in that one fragment only.
 */
public final class Script {

    private static final Pattern INCLUDE = Pattern.compile("--@include\\s+(\\S+)\\s*");
    private static final String PUBLISH = "/io/holdfast/spi/publish.lua";
    private static final String PUBLISH_SHARDED = "/io/holdfast/spi/publish-sharded.lua";

    private final String name;
    private final String source;
    private final String sha;
    /** This script with sharded pub/sub: itself if it publishes nothing. */
    private final Script sharded;

    private Script(String name, String source, Script sharded) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
        this.sharded = sharded == null ? this : sharded;
    }

    /**
     * Loads the resource {@code fileName} that sits next to {@code anchor}'s class file, e.g.
     * {@code Script.load(ReentrantKind.class, "acquire.lua")}, with its includes resolved. On the
     * module path this class reads the file, so the anchor's module must open its package to
     * {@code io.holdfast.core} ({@code opens io.holdfast.reentrant to io.holdfast.core;}); core's
     * own fragments ({@code /io/holdfast/spi/...}) need nothing.
     *
     * @throws IllegalStateException if the file or a fragment it includes is missing
     */
    public static Script load(Class<?> anchor, String fileName) {
        String path = resolve("/" + anchor.getPackageName().replace('.', '/') + "/", fileName);
        String name = anchor.getPackageName() + "/" + fileName;
        Set<String> included = new HashSet<>();
        String source = compose(anchor, path, included, false);
        Script sharded = included.contains(PUBLISH)
                ? new Script(name + " (sharded pub/sub)", compose(anchor, path, new HashSet<>(), true), null) : null;
        return new Script(name, source, sharded);
    }

    /**
     * This script with sharded pub/sub: {@code publish-sharded.lua} ({@code SPUBLISH}) in place of
     * {@code publish.lua} ({@code PUBLISH}); this script itself if it includes neither (it
     * publishes nothing). For a Redis Cluster of Redis 7+, where a classic message would be
     * broadcast to every node.
     */
    public Script withShardedPubSub() {
        return sharded;
    }

    public String name() {
        return name;
    }

    /** The text sent to Redis: the file with its includes resolved. */
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

    /** The text of the resource at absolute {@code path}, its include lines replaced. */
    private static String compose(Class<?> anchor, String path, Set<String> included, boolean sharded) {
        included.add(path);
        String dir = path.substring(0, path.lastIndexOf('/') + 1);
        StringBuilder out = new StringBuilder();
        for (String line : read(anchor, path).split("\n", -1)) {
            Matcher m = INCLUDE.matcher(line);
            if (!m.matches()) {
                out.append(line).append('\n');
                continue;
            }
            String fragment = resolve(dir, m.group(1));
            if (sharded && fragment.equals(PUBLISH)) {
                fragment = PUBLISH_SHARDED;
            }
            if (included.contains(fragment)) {
                continue;
            }
            String text = compose(anchor, fragment, included, sharded);
            out.append("-- [included ").append(fragment).append("]\n").append(text)
                    .append(text.endsWith("\n") ? "" : "\n").append("-- [end of ").append(fragment).append("]\n");
        }
        out.setLength(out.length() - 1); // the split added one newline too many
        return out.toString();
    }

    private static String resolve(String dir, String name) {
        return name.startsWith("/") ? name : dir + name;
    }

    /** Reads a resource through the anchor's module, or core's for core's own fragments. */
    private static String read(Class<?> anchor, String path) {
        InputStream found = anchor.getResourceAsStream(path);
        if (found == null) {
            found = Script.class.getResourceAsStream(path);
        }
        if (found == null) {
            Module module = anchor.getModule();
            throw new IllegalStateException("script resource " + path + " not found (loading for " + anchor.getName()
                    + (module.isNamed() ? " in module " + module.getName() + ", which must open its package to "
                            + Script.class.getModule().getName() : "") + ")");
        }
        try (InputStream in = found) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + path, e);
        }
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
