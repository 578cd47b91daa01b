package dev.tern.storage.roster;

class InMemoryLastActivityStoreTest extends LastActivityStoreContract {

  private final InMemoryLastActivityStore store = new InMemoryLastActivityStore();

  @Override
  protected LastActivityStore store() {
    return store;
  }
}
