package dev.tern.storage.archive;

class InMemoryArchiveStoreTest extends ArchiveStoreContract {

  private final InMemoryArchiveStore store = new InMemoryArchiveStore();

  @Override
  protected ArchiveStore store() {
    return store;
  }
}
