package org.opensts.iam.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.Account;
import org.opensts.iam.IamService;
import org.opensts.iam.TestStores;
import org.opensts.iam.jdbc.JdbcIdentityStore;

/**
 * The first start keeps the admin key with its journal before anything is stored, then stores the account, the admin
 * and its key in one transaction: no failure leaves a key whose secret nobody kept, nor a store with an admin and no
 * key.
 */
class FirstStartTest {
    private static final String ACCOUNT = "123456789012";

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final List<String> journal = new ArrayList<>();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theKeyIsJournaled_beforeItIsStored_andTheStoredKeyIsTheJournaledOne() throws Exception {
        var recording = new Recording(() -> assertThat(store.listAccounts()).as("stored before the journal").isEmpty());

        Optional<AccessKeyCredentials> admin = FirstStart.initializeIfEmpty(iam, ACCOUNT, clock, new SecureRandom(),
                recording);

        assertThat(admin).isPresent();
        String keyId = admin.get().accessKey().accessKeyId();
        assertThat(journal).containsExactly("record " + keyId);
        assertThat(store.findAccessKey(keyId)).isPresent();
        assertThat(iam.users().getUser(ACCOUNT, FirstStart.ADMIN_USER).userName()).isEqualTo("admin");
    }

    @Test
    void aJournalThatFails_leavesTheStoreEmpty_andTheNextStartBeginsAgain() throws Exception {
        var failing = new Recording(() -> {
            throw new IOException("disk full");
        });

        assertThatThrownBy(() -> FirstStart.initializeIfEmpty(iam, ACCOUNT, clock, new SecureRandom(), failing))
                .isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(store.listAccounts()).isEmpty();

        assertThat(FirstStart.initializeIfEmpty(iam, ACCOUNT, clock, new SecureRandom(), new Recording(() -> { })))
                .isPresent();
    }

    @Test
    void anotherNodeInitializingTheStoreMeanwhile_makesThisOneDiscardItsKey() throws Exception {
        // What the other node commits while this one writes its journal.
        var racing = new Recording(() -> store.write(writer -> {
            writer.createAccount(new Account(ACCOUNT, clock.instant()));
            return null;
        }));

        assertThat(FirstStart.initializeIfEmpty(iam, ACCOUNT, clock, new SecureRandom(), racing)).isEmpty();

        assertThat(journal).hasSize(2).last().isEqualTo("discard");
        assertThat(store.findUser(ACCOUNT, FirstStart.ADMIN_USER)).isEmpty();
    }

    @Test
    void aStoreThatIsNotEmpty_isLeftAsItIs_andNothingIsJournaled() throws Exception {
        FirstStart.initializeIfEmpty(iam, ACCOUNT);

        assertThat(FirstStart.initializeIfEmpty(iam, ACCOUNT, clock, new SecureRandom(), new Recording(() -> { })))
                .isEmpty();
        assertThat(journal).isEmpty();
    }

    /** Something the journal does when asked to record, before it records. */
    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    private final class Recording implements FirstStart.AdminKeyJournal {
        private final Step onRecord;

        Recording(Step onRecord) {
            this.onRecord = onRecord;
        }

        @Override
        public void record(AccessKeyCredentials admin) throws IOException {
            onRecord.run();
            journal.add("record " + admin.accessKey().accessKeyId());
        }

        @Override
        public void discard() {
            journal.add("discard");
        }
    }
}
