package io.batanomaly.spi;

import io.batanomaly.AnomalyConfig;
import java.time.InstantSource;

/** What a {@link NotifierProvider} gets to build its notifiers. */
public interface NotifierContext {

  /** @return the engine configuration, already validated */
  AnomalyConfig config();

  /** @return the engine clock, for timestamps and the ages of deliveries */
  InstantSource clock();
}
