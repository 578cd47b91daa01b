package dev.tern.storage.errors;

/**
 * What a store's failure means for whoever tries the request again, as told by the implementation
 * that raised it: code above the stores (the router's retries, its logs) decides by this without
 * knowing the database. The Cassandra stores' answer is {@code CassandraErrors.STORE_ERRORS}
 * (tern-storage).
 */
public interface StoreErrors {

  /** No failure passes: the in-memory stores fail only on bad arguments or bugs. */
  StoreErrors NONE = new StoreErrors() {
    @Override
    public boolean transientFailure(Throwable error) {
      return false;
    }

    @Override
    public boolean overloaded(Throwable error) {
      return false;
    }
  };

  /**
   * Whether the request may simply succeed if made again at once: it timed out (and may or may
   * not have taken effect), or the replicas were unavailable for the moment.
   */
  boolean transientFailure(Throwable error);

  /**
   * Whether the request was refused before it ran because too many were in flight: it had no
   * effect, and made again a little later, once the wave has passed, it may succeed.
   */
  boolean overloaded(Throwable error);

  /**
   * Whether the request failed for the load or a passing outage, not for what it asked:
   * {@link #overloaded} or {@link #transientFailure}. Worth trying again after a pause, and worth
   * one line in a log rather than a stack trace.
   */
  default boolean passing(Throwable error) {
    return overloaded(error) || transientFailure(error);
  }
}
