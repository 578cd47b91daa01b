package dev.tern.storage.accounts;

class InMemoryAccountStoreTest extends AccountStoreContract {

  private final InMemoryAccountStore store = new InMemoryAccountStore();

  @Override
  protected AccountStore store() {
    return store;
  }
}
