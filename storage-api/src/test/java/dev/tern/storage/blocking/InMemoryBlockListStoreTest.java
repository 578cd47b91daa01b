package dev.tern.storage.blocking;

class InMemoryBlockListStoreTest extends BlockListStoreContract {

  private final InMemoryBlockListStore store = new InMemoryBlockListStore();

  @Override
  protected BlockListStore store() {
    return store;
  }
}
