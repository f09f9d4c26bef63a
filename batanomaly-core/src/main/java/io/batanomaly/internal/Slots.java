package io.batanomaly.internal;

import io.batanomaly.spi.Attachment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The attachment slots of a scope: an {@code Object[]} the scope holds itself (one pointer hop
 * less on every detector's per-event read than a wrapper object). A slot is filled on first
 * access by its factory; if two threads race, one CAS wins and both use the winner's state (the
 * loser's is garbage).
 */
final class Slots {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

  private Slots() {}

  /**
   * Returns a slot's state, creating it on first access.
   *
   * @param values the scope's slots
   * @param attachment the slot's key
   * @param scope the scope, handed to the factory
   * @return the state
   */
  @SuppressWarnings("unchecked")
  static <S, T> T get(Object[] values, Attachment<T> attachment, S scope) {
    AttachmentKey<S, T> key = (AttachmentKey<S, T>) attachment;
    Object v = SLOT.getAcquire(values, key.index);
    if (v == null) {
      Object created = key.factory.apply(scope);
      Object witness = SLOT.compareAndExchange(values, key.index, null, created);
      v = witness == null ? created : witness;
    }
    return (T) v;
  }
}
