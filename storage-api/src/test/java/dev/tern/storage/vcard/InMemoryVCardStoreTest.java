package dev.tern.storage.vcard;

class InMemoryVCardStoreTest extends VCardStoreContract {

  private final InMemoryVCardStore store = new InMemoryVCardStore();

  @Override
  protected VCardStore store() {
    return store;
  }
}
