package io.holdfast.internal;

import io.holdfast.spi.LockKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.HoldfastException;
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
}
