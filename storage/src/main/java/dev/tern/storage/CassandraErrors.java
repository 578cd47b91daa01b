package dev.tern.storage;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NodeUnavailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.CASWriteUnknownException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import dev.tern.storage.errors.StoreErrors;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * What a failed Cassandra request means for whoever tries it again. One region's datacenter takes
 * part in every lightweight transaction of the other (Paxos at SERIAL), so on a loaded machine
 * these come up in normal operation, not only in outages.
 */
public final class CassandraErrors {

  /** These answers for code that sees the stores only through their interfaces. */
  public static final StoreErrors STORE_ERRORS = new StoreErrors() {
    @Override
    public boolean transientFailure(Throwable error) {
      return CassandraErrors.transientFailure(error);
    }

    @Override
    public boolean overloaded(Throwable error) {
      return CassandraErrors.overloaded(error);
    }
  };

  private CassandraErrors() {}

  /**
   * Whether a failed lightweight transaction may or may not have been applied: contention left
   * the Paxos round without a quorum, or it timed out. Read back (at SERIAL) before deciding.
   */
  public static boolean outcomeUnknown(Throwable error) {
    Throwable e = unwrap(error);
    return e instanceof CASWriteUnknownException
        || e instanceof WriteTimeoutException w && w.getWriteType() == WriteType.CAS;
  }

  /** Whether the replicas did not answer in time: a read or write timeout, or an unknown outcome. */
  public static boolean timedOut(Throwable error) {
    Throwable e = unwrap(error);
    return outcomeUnknown(e) || e instanceof WriteTimeoutException
        || e instanceof ReadTimeoutException;
  }

  /**
   * Whether the request may simply succeed if made again: {@link #timedOut}, the driver's own
   * timeout, or replicas unavailable for the moment.
   */
  public static boolean transientFailure(Throwable error) {
    Throwable e = unwrap(error);
    return timedOut(e) || e instanceof UnavailableException || e instanceof DriverTimeoutException;
  }

  /**
   * Whether the request was refused before it ran because too many were in flight: no connection
   * to the node had a free stream ({@code cassandra.connectionsPerNode}), a throttler had no room
   * left, or the node itself said it is overloaded. It had no effect; made again a
   * little later, once the wave has passed, it may succeed.
   */
  public static boolean overloaded(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof AllNodesFailedException all && !all.getAllErrors().isEmpty()) {
      return all.getAllErrors().values().stream().flatMap(List::stream)
          .allMatch(CassandraErrors::overloaded);
    }
    return e instanceof RequestThrottlingException || e instanceof NodeUnavailableException
        || e instanceof OverloadedException;
  }

  /**
   * Whether the request failed for the load or a passing outage, not for what it asked:
   * {@link #overloaded} or {@link #transientFailure}. Worth trying again after a pause, and worth
   * one line in a log rather than a stack trace.
   */
  public static boolean passing(Throwable error) {
    return overloaded(error) || transientFailure(error);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
  }
}
