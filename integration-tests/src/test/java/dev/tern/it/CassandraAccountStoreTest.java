package dev.tern.it;

import dev.tern.storage.CassandraStorage;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.accounts.AccountStoreContract;
import dev.tern.storage.accounts.CassandraAccountStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
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

  @Override
  protected AccountStore store() {
    return new CassandraAccountStore(storage.session(), storage.config().keyspace());
  }
}
