package dev.tern.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NodeUnavailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.CASWriteUnknownException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import dev.tern.storage.errors.StoreErrors;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CassandraErrorsTest {

  private final CASWriteUnknownException unknown =
      new CASWriteUnknownException(null, DefaultConsistencyLevel.SERIAL, 1, 2);
  private final WriteTimeoutException casTimeout =
      new WriteTimeoutException(null, DefaultConsistencyLevel.SERIAL, 1, 2, WriteType.CAS);
  private final WriteTimeoutException plainTimeout = new WriteTimeoutException(null,
      DefaultConsistencyLevel.LOCAL_QUORUM, 1, 2, WriteType.SIMPLE);

  @Test
  void casWriteUnknownAndCasTimeoutsLeaveTheOutcomeUnknownOtherErrorsDoNot() {
    assertThat(CassandraErrors.outcomeUnknown(unknown)).isTrue();
    assertThat(CassandraErrors.outcomeUnknown(new CompletionException(unknown))).isTrue();
    assertThat(CassandraErrors.outcomeUnknown(casTimeout)).isTrue();
    assertThat(CassandraErrors.outcomeUnknown(plainTimeout)).isFalse();
    assertThat(CassandraErrors.outcomeUnknown(new IllegalStateException())).isFalse();
  }

  @Test
  void timeoutsOfEveryKindAreWorthAnotherTryOtherErrorsAreNot() {
    var readTimeout = new ReadTimeoutException(null, DefaultConsistencyLevel.SERIAL, 1, 2, false);
    assertThat(CassandraErrors.timedOut(plainTimeout)).isTrue();
    assertThat(CassandraErrors.timedOut(new CompletionException(readTimeout))).isTrue();
    assertThat(CassandraErrors.timedOut(new DriverTimeoutException("slow"))).isFalse();
    assertThat(CassandraErrors.transientFailure(new DriverTimeoutException("slow"))).isTrue();
    assertThat(CassandraErrors.transientFailure(unknown)).isTrue();
    assertThat(CassandraErrors.transientFailure(new IllegalStateException())).isFalse();
  }

  /** A node that only names itself, for the driver's messages. */
  private static final Node NODE = (Node) Proxy.newProxyInstance(Node.class.getClassLoader(),
      new Class<?>[] {Node.class}, (proxy, method, args) -> switch (method.getName()) {
        case "toString" -> "node-1";
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> null;
      });

  @Test
  void aRequestRefusedForTheLoadOfTheMomentIsOverloadedOthersAreNot() {
    RequestThrottlingException queueFull = new RequestThrottlingException("queue full");
    NodeUnavailableException noStream = new NodeUnavailableException(NODE);

    assertThat(CassandraErrors.overloaded(queueFull)).isTrue();
    assertThat(CassandraErrors.overloaded(new CompletionException(queueFull))).isTrue();
    assertThat(CassandraErrors.overloaded(new OverloadedException(null))).isTrue();
    assertThat(CassandraErrors.overloaded(
        AllNodesFailedException.fromErrors(List.of(Map.entry(NODE, noStream))))).isTrue();
    assertThat(CassandraErrors.overloaded(AllNodesFailedException.fromErrors(
        List.of(Map.entry(NODE, new IllegalStateException("bad query")))))).isFalse();
    assertThat(CassandraErrors.overloaded(plainTimeout)).isFalse();
    assertThat(CassandraErrors.overloaded(new IllegalStateException())).isFalse();
  }

  @Test
  void loadAndTimeoutsArePassingOtherErrorsAreNot() {
    assertThat(CassandraErrors.passing(new RequestThrottlingException("queue full"))).isTrue();
    assertThat(CassandraErrors.passing(new CompletionException(plainTimeout))).isTrue();
    assertThat(CassandraErrors.passing(new DriverTimeoutException("slow"))).isTrue();
    assertThat(CassandraErrors.passing(new IllegalStateException())).isFalse();
  }

  @Test
  void theStoreErrorsOfTheInterfacesAnswerTheSame() {
    StoreErrors errors = CassandraErrors.STORE_ERRORS;

    assertThat(errors.transientFailure(new CompletionException(plainTimeout))).isTrue();
    assertThat(errors.overloaded(new RequestThrottlingException("queue full"))).isTrue();
    assertThat(errors.passing(new DriverTimeoutException("slow"))).isTrue();
    assertThat(errors.passing(new IllegalStateException())).isFalse();
  }
}
