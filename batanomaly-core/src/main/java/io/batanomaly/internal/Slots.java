package io.batanomaly.internal;

import io.batanomaly.spi.Attachment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The attachment slots of one scope. A slot is filled on first access by its factory; if two
 * threads race, one CAS wins and both use the winner's state (the loser's is garbage).
 */
final class Slots {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

  private final Object[] values;

  Slots(int size) {
    values = new Object[size];
  }

  @SuppressWarnings("unchecked")
  <S, T> T get(Attachment<T> attachment, S scope) {
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
