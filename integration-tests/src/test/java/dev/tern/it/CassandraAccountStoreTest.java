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

  /** More than one connection's 1 024 streams, less than two connections' 2 048. */
  private static final int BURST = 1_800;

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
   * connection to a node carries (1 024 statements in flight): with one connection the excess
   * failed at once with "no connection was available"; {@code cassandra.connectionsPerNode}
   * (2 by default) carries it.
   */
  @Test
  void aBurstOfReadsBeyondWhatOneConnectionCarriesIsServed() throws Exception {
    AccountStore accounts = store();
    List<CompletableFuture<?>> reads = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
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
    assertThat(failed).as("reads failed of %d, the first with %s", BURST, first).isZero();
  }

  @Override
  protected AccountStore store() {
    return new CassandraAccountStore(storage.session(), storage.config().keyspace());
  }
}
