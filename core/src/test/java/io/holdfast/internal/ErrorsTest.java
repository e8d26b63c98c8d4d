package io.holdfast.internal;

import io.holdfast.spi.LockKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.HoldfastException;
import io.holdfast.RedisUnavailableException;
import io.holdfast.WrongKeyTypeException;
import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;

/** Error replies as Redis 6.2 and 7.x word them; real servers of both versions are in it-tests. */
class ErrorsTest {

    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    private static final LockKeys KEYS = LockKeys.of("holdfast:", "orders");

    @Test
    void wrongType_raisedInsideAScript_isWrongKeyType_onRedis7_andOnRedis62WhichWrapsIt() {
        String redis62 = "ERR Error running script (call to f_7f541355f35e209982954b5ad66fecb7500885ca): "
                + "@user_script:12: " + WRONGTYPE;
        for (String reply : new String[] {WRONGTYPE, redis62}) {
            RuntimeException e = Errors.translate(new RedisCommandExecutionException(reply), "acquiring lock 'orders'",
                    KEYS, "127.0.0.1:6379");
            assertThat(e).as(reply).isInstanceOf(WrongKeyTypeException.class)
                    .hasMessageContaining("'holdfast:{orders}'");
        }
    }

    @Test
    void otherScriptErrors_readTheSameOnBothVersions() {
        String reply = "OOM command not allowed when used memory > 'maxmemory'.";
        String redis62 = "ERR Error running script (call to f_0123abcd): @user_script:3: " + reply;
        RuntimeException e = Errors.translate(new RedisCommandExecutionException(redis62), "acquiring lock 'orders'",
                KEYS, "127.0.0.1:6379");
        assertThat(e).isExactlyInstanceOf(HoldfastException.class)
                .hasMessage("acquiring lock 'orders': Redis at 127.0.0.1:6379 answered with an error: " + reply);
    }

    /**
     * Regression (found by the fault harness on a Cluster, {@code ./holdfast chaos --cluster}): during a
     * failover the lock's node answered {@code CLUSTERDOWN The cluster is down}, which reached the caller
     * of {@code lock()} and {@code unlock()} as a bare {@code HoldfastException}, not as the documented
     * "Redis unavailable" failure to retry; a worker that did not retry its unlock kept a stale hold.
     */
    @Test
    void clusterDown_andTheOtherPassingRefusals_areRedisUnavailable_onBothVersions() {
        for (String reply : new String[] {"CLUSTERDOWN The cluster is down",
                "TRYAGAIN Multiple keys request during rehashing of slot",
                "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
                "LOADING Redis is loading the dataset in memory",
                "READONLY You can't write against a read only replica."}) {
            for (String asSent : new String[] {reply, "ERR Error running script (call to f_0123abcd): @user_script:3: " + reply}) {
                RuntimeException e = Errors.translate(new RedisCommandExecutionException(asSent), "unlocking lock 'orders'",
                        KEYS, "127.0.0.1:6379");
                assertThat(e).as(asSent).isInstanceOf(RedisUnavailableException.class)
                        .hasMessageContaining("unlocking lock 'orders'").hasMessageContaining(reply)
                        .hasMessageContaining("nothing changed");
            }
        }
    }

    @Test
    void anErrorThatOnlyStartsLikeARefusal_isNotOne() {
        RuntimeException e = Errors.translate(new RedisCommandExecutionException("ERR LOADINGX is not a command"),
                "acquiring lock 'orders'", KEYS, "127.0.0.1:6379");
        assertThat(e).isExactlyInstanceOf(HoldfastException.class);
    }

    @Test
    void causes_endAtACycle_soAConnectFailureWhoseCausesLoopIsStillTranslated() {
        RuntimeException outer = new RuntimeException("outer");
        RuntimeException inner = new RuntimeException("inner", outer);
        outer.initCause(inner); // outer -> inner -> outer
        assertThat(Errors.causes(outer)).containsExactly(outer, inner);

        io.lettuce.core.RedisConnectionException connect = new io.lettuce.core.RedisConnectionException("Unable to connect");
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        connect.initCause(a);
        assertThat(Errors.translate(connect, "connecting", KEYS, "127.0.0.1:6379"))
                .isInstanceOf(RedisUnavailableException.class);
    }

    @Test
    void unwrap_stripsFutureWrappers_andEndsOnAChainOfWrappersThatLoops() {
        IllegalStateException cause = new IllegalStateException("cause");
        assertThat(Errors.unwrap(new java.util.concurrent.CompletionException(
                new java.util.concurrent.ExecutionException(cause)))).isSameAs(cause);
        assertThat(Errors.unwrap(cause)).isSameAs(cause);

        java.util.concurrent.CompletionException a = new java.util.concurrent.CompletionException("a") { };
        java.util.concurrent.CompletionException b = new java.util.concurrent.CompletionException("b", a);
        a.initCause(b); // a -> b -> a: nothing but wrappers, for ever
        assertThat(Errors.unwrap(a)).isSameAs(b);
        assertThat(Errors.translate(a, "acquiring lock 'orders'", KEYS, "127.0.0.1:6379"))
                .isInstanceOf(io.holdfast.HoldfastException.class);
    }
}
