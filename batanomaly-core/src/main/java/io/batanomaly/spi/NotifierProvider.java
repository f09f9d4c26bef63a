package io.batanomaly.spi;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyListener;
import io.batanomaly.Setting;
import java.util.List;

/**
 * Creates the notifiers an engine runs because its configuration asks for them, such as
 * webhooks when {@code ANOMALY_WEBHOOK_URLS} is set. Providers are found with
 * {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.batanomaly.spi.NotifierProvider}) or registered explicitly on the
 * engine builder; an explicit provider comes first, and a discovered provider of the same class
 * is then skipped, so a host can register a provider it configured itself in place of the
 * discovered default. Two providers of different classes with the same {@link #name()} make the
 * engine build fail with a message naming both classes.
 *
 * <p>The engine validates {@link #settings()} with its own when it is built and reports every
 * problem in one message; it calls {@link #check} only when every one of them parses. It adds
 * each listener {@link #create} returns after the host's listeners, and closes the ones that are
 * {@link AutoCloseable} when it is closed, after the notification threads have handed over what
 * was queued.
 *
 * <p>Implementations need a public no-argument constructor to be found by {@code ServiceLoader}.
 */
public interface NotifierProvider {

  /**
   * Returns the provider's unique name, such as {@code webhooks}.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the settings the notifiers read, so the engine validates them at build time and the
   * settings table can list them.
   *
   * @return the settings, possibly empty
   */
  default List<Setting<?>> settings() {
    return List.of();
  }

  /**
   * Checks the rules that span several settings (a URL needs a secret, a key needs its pair).
   * Called only when every setting of {@link #settings()} parses.
   *
   * @param config the configuration
   * @return one message per broken rule, naming the key and the value given; empty when all
   *     hold
   */
  default List<String> check(AnomalyConfig config) {
    return List.of();
  }

  /**
   * Creates the notifiers the configuration asks for. Called once per engine, while the engine
   * is being built, after {@link #check} found nothing wrong.
   *
   * @param context the configuration and the engine clock
   * @return the notifiers, empty when the configuration asks for none
   */
  List<AnomalyListener> create(NotifierContext context);
}
