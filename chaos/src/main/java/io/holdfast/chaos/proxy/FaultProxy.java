package io.holdfast.chaos.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-process TCP proxy in front of one Redis server that injects faults into the connections
 * passing through it. Listens on 127.0.0.1 on a free port; each accepted client connection becomes
 * a {@link Link} with its own connection to Redis.
 *
 * <p>Proxy-wide faults ({@link #latency}, {@link #blackholeAll}) apply to every current link and
 * to every link accepted later, until {@link #clearFaults}. Per-link faults are on {@link Link}.
 * The client-to-server direction is parsed as RESP just enough to see commands; the other
 * direction is passed as bytes. All links share one event-loop thread; every method takes effect
 * before it returns and may be called from any thread.
 *
 * <p>When Redis is unreachable, an accepted client connection is closed at once.
 */
public final class FaultProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Consumer<Link>> hooks = new CopyOnWriteArrayList<>();
    private final Map<Direction, long[]> latency = new EnumMap<>(Direction.class);
    private boolean blackholed;
    private int nextId = 1;
    private Channel listener;

    private FaultProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Starts a proxy to {@code targetHost:targetPort}; it accepts connections when this returns. */
    public static FaultProxy start(String targetHost, int targetPort) {
        FaultProxy proxy = new FaultProxy(targetHost, targetPort);
        proxy.listener = new ServerBootstrap()
                .group(proxy.group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        proxy.accept(ch);
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
        return proxy;
    }

    /** The port the proxy listens on. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** {@code redis://127.0.0.1:<port>}: a URI for clients that should go through the proxy. */
    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    /** The live client connections, in accept order. */
    public List<Link> links() {
        return List.copyOf(links);
    }

    /** Runs {@code hook} (on the proxy's event loop) for every link accepted from now on, before any byte flows. */
    public void onNewLink(Consumer<Link> hook) {
        hooks.add(hook);
    }

    /**
     * Delays each chunk of direction {@code d} on every current and future link by a random delay
     * in {@code [minMillis, maxMillis]}, drawn from a generator seeded by {@code seed} and the
     * link's id; order within a link is kept.
     */
    public void latency(Direction d, long minMillis, long maxMillis, long seed) {
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("latency needs 0 <= min <= max, got " + minMillis + ".." + maxMillis);
        }
        onLoop(() -> {
            latency.put(d, new long[] {minMillis, maxMillis, seed});
            links.forEach(link -> applyLatency(link, d));
        });
    }

    /** While on, every current and future link silently drops bytes both ways. */
    public void blackholeAll(boolean on) {
        onLoop(() -> {
            blackholed = on;
            links.forEach(link -> applyBlackhole(link, on));
        });
    }

    /** Closes every current link at once. */
    public void resetAll() {
        onLoop(() -> links().forEach(Link::close));
    }

    /** Latency off, black hole off, held-back bytes released in order, on every link. */
    public void clearFaults() {
        onLoop(() -> {
            latency.clear();
            blackholed = false;
            for (Link link : links) {
                link.pipe(Direction.TO_SERVER).clear();
                link.pipe(Direction.TO_CLIENT).clear();
            }
        });
    }

    /** Closes every link and stops listening. */
    @Override
    public void close() {
        if (!group.isShuttingDown()) {
            onLoop(() -> {
                listener.close();
                links().forEach(Link::close);
            });
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void accept(SocketChannel client) {
        Link link = new Link(nextId++, client, links::remove);
        latency.keySet().forEach(d -> applyLatency(link, d));
        applyBlackhole(link, blackholed);
        links.add(link);
        hooks.forEach(hook -> hook.accept(link));
        client.pipeline().addLast(new Relay(link, true));
        new Bootstrap()
                .group(client.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new Relay(link, false))
                .connect(targetHost, targetPort)
                .addListener(connect -> {
                    if (connect.isSuccess()) {
                        link.run(() -> link.connected(((io.netty.channel.ChannelFuture) connect).channel()));
                    } else {
                        link.close();
                    }
                });
    }

    private void applyLatency(Link link, Direction d) {
        long[] l = latency.get(d);
        link.pipe(d).latency(l[0], l[1], l[2] * 31 + link.id() * 2 + d.ordinal());
    }

    private static void applyBlackhole(Link link, boolean on) {
        link.pipe(Direction.TO_SERVER).blackhole(on);
        link.pipe(Direction.TO_CLIENT).blackhole(on);
    }

    private void onLoop(Runnable action) {
        var loop = group.next();
        if (loop.inEventLoop()) {
            action.run();
        } else {
            loop.submit(action).syncUninterruptibly();
        }
    }

    /** Hands what one side of a link reads to the link. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Link link;
        private final boolean clientSide;

        Relay(Link link, boolean clientSide) {
            this.link = link;
            this.clientSide = clientSide;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (clientSide) {
                link.fromClient((ByteBuf) msg);
            } else {
                link.fromServer((ByteBuf) msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (clientSide) {
                link.clientGone();
            } else {
                link.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
