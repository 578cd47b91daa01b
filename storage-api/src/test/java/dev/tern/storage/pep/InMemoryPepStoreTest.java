package dev.tern.storage.pep;

class InMemoryPepStoreTest extends PepStoreContract {

  private final InMemoryPepStore store = new InMemoryPepStore();

  @Override
  protected PepStore store() {
    return store;
  }
}
