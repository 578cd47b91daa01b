package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.CassandraStorage;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.accounts.AccountStoreContract;
import dev.tern.storage.accounts.CassandraAccountStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The account store contract, against the real two-datacenter Cassandra. */
@Order(6)
@ExtendWith(TestFederation.class)
class CassandraAccountStoreTest extends AccountStoreContract {

  private static CassandraStorage storage;

  @BeforeAll
  static void connect() {
    storage = CassandraStorage.connect(Regions.config("region-a").cassandraConfig());
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  /**
   * A wave of logins (or of disconnects, each reading a roster) asks more at once than one
   * connection to a node carries (1 024 requests by the driver's default): the excess waits for
   * its turn instead of failing at once with "no connection was available".
   */
  @Test
  void aBurstOfReadsBeyondWhatOneConnectionCarriesWaitsInsteadOfFailing() throws Exception {
    AccountStore accounts = store();
    List<CompletableFuture<?>> reads = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      reads.add(accounts.find("burst-" + i).toCompletableFuture());
    }
    int failed = 0;
    Throwable first = null;
    for (CompletableFuture<?> read : reads) {
      try {
        read.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failed++;
        first = first == null ? e.getCause() : first;
      }
    }
    assertThat(failed).as("reads failed of 5 000, the first with %s", first).isZero();
  }

  @Override
  protected AccountStore store() {
    return new CassandraAccountStore(storage.session(), storage.config().keyspace());
  }
}
