package dev.tern.storage.roster;

class InMemoryRosterStoreTest extends RosterStoreContract {

  private final InMemoryRosterStore store = new InMemoryRosterStore();

  @Override
  protected RosterStore store() {
    return store;
  }
}
