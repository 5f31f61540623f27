package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded store's group commit: each write waits for a sync that began after it committed, and writes that commit
 * while a sync runs share the next one. The connection here only counts and holds {@code CHECKPOINT SYNC}s, so the
 * test controls when a sync ends instead of timing a disk.
 */
class EmbeddedCommitSyncTest {
    private final AtomicInteger syncs = new AtomicInteger();
    private final CountDownLatch firstSyncStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstSync = new CountDownLatch(1);
    private final ExecutorService writers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        releaseFirstSync.countDown();
        writers.shutdownNow();
    }

    @Test
    void aWriteAlone_isSyncedOnce() throws Exception {
        releaseFirstSync.countDown();

        new EmbeddedCommitSync().afterCommit(connection());

        assertThat(syncs).hasValue(1);
    }

    @Test
    void writesCommittedDuringASync_waitForTheNextOne_andShareIt() throws Exception {
        var sync = new EmbeddedCommitSync();
        Future<?> first = writers.submit(() -> afterCommit(sync));
        assertThat(firstSyncStarted.await(10, TimeUnit.SECONDS)).isTrue();

        List<Future<?>> later = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            later.add(writers.submit(() -> afterCommit(sync)));
        }
        // They committed after the running sync began: it does not cover them, so none may return yet.
        Thread.sleep(100);
        assertThat(later).noneMatch(Future::isDone);

        releaseFirstSync.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<?> write : later) {
            write.get(10, TimeUnit.SECONDS);
        }
        assertThat(syncs.get()).as("one sync for the first write; the eight share theirs").isBetween(2, 8);
    }

    private void afterCommit(EmbeddedCommitSync sync) {
        try {
            sync.afterCommit(connection());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connection whose statements only count {@code CHECKPOINT SYNC}, the first held until released. */
    private Connection connection() {
        Statement statement = (Statement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Statement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("execute") && "CHECKPOINT SYNC".equals(args[0])) {
                        if (syncs.incrementAndGet() == 1) {
                            firstSyncStarted.countDown();
                            releaseFirstSync.await();
                        }
                        return false;
                    }
                    return null;
                });
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> method.getName().equals("createStatement") ? statement : null);
    }
}
