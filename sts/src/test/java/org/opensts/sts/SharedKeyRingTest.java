package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.IdentityStore;

/**
 * A token naming a key this node does not hold makes it reload the ring from the store, at most once a second, and
 * never by queuing behind a reload already under way: the key id comes from a token anyone can send, and a call that
 * waited for a reload reading a silent database would hold its thread for as long.
 */
class SharedKeyRingTest {
    private static final long LIVENESS_SECONDS = 30;

    private final StsFixture fixture = new StsFixture();
    /** Counted down once the held read has started; the read waits until {@link #release} opens. */
    private final CountDownLatch reading = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean holdReads;

    @AfterEach
    void close() {
        release.countDown();
        fixture.close();
    }

    @Test
    void aKeyAnotherNodeAdded_isFoundByReloading_atMostOncePerInterval() throws Exception {
        SharedKeyRing mine = SharedKeyRing.open(fixture.store, fixture.masterKey, fixture.clock, fixture.random);
        int before = storedPrimaryKeyId();
        fixture.keyRing.rotate();
        int added = storedPrimaryKeyId();
        assertThat(added).isNotEqualTo(before);

        assertThat(mine.reloadFor(added)).as("within the interval of opening the ring").isFalse();
        fixture.clock.advance(SharedKeyRing.RELOAD_INTERVAL);
        assertThat(mine.reloadFor(added)).isTrue();

        fixture.keyRing.rotate();
        int second = storedPrimaryKeyId();
        assertThat(mine.reloadFor(second)).as("within the interval of the last reload").isFalse();
        fixture.clock.advance(SharedKeyRing.RELOAD_INTERVAL);
        assertThat(mine.reloadFor(second)).isTrue();
    }

    @Test
    void anUnknownKey_whileAReloadWaitsOnTheStore_isRefusedAtOnceInsteadOfQueuingBehindIt() throws Exception {
        SharedKeyRing ring = SharedKeyRing.open(heldStore(), fixture.masterKey, fixture.clock, fixture.random);
        holdReads = true;
        // The change feed's reload, say, reading a database that went silent.
        CompletableFuture<Void> feedReload = CompletableFuture.runAsync(ring::reload);
        assertThat(reading.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        fixture.clock.advance(Duration.ofSeconds(5));

        CompletableFuture<Boolean> call = CompletableFuture.supplyAsync(() -> ring.reloadFor(0x7fff_fff0));

        assertThat(call.get(LIVENESS_SECONDS, TimeUnit.SECONDS)).isFalse();
        assertThat(feedReload).isNotDone();
        release.countDown();
        feedReload.get(LIVENESS_SECONDS, TimeUnit.SECONDS);
    }

    private int storedPrimaryKeyId() throws GeneralSecurityException {
        return fixture.masterKey.unwrap(fixture.store.loadKeyRing().orElseThrow().wrapped()).primary().id();
    }

    /** The fixture's store, whose key ring reads wait for {@link #release} while {@link #holdReads} is set. */
    private IdentityStore heldStore() {
        return (IdentityStore) Proxy.newProxyInstance(IdentityStore.class.getClassLoader(),
                new Class<?>[] {IdentityStore.class}, (proxy, method, args) -> {
                    if (holdReads && method.getName().equals("loadKeyRing")) {
                        reading.countDown();
                        if (!release.await(LIVENESS_SECONDS * 2, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never released the read");
                        }
                    }
                    try {
                        return method.invoke(fixture.store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
