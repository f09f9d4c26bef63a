package io.batanomaly.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** A local HTTP receiver on a free port, answering as the test programs it. */
final class Receiver implements AutoCloseable {

  /** One answer: a status, headers, or hang until the receiver closes. */
  record Answer(int status, Map<String, String> headers, boolean hang) {
    static Answer status(int status) {
      return new Answer(status, Map.of(), false);
    }

    static Answer status(int status, String header, String value) {
      return new Answer(status, Map.of(header, value), false);
    }

    static Answer hanging() {
      return new Answer(0, Map.of(), true);
    }
  }

  /** What arrived. */
  record Request(String path, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-receiver");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile java.util.function.BiFunction<Integer, Request, Answer> answers;

  /**
   * Starts a receiver.
   *
   * @param answers the answer to the n-th request (from 0)
   */
  Receiver(IntFunction<Answer> answers) throws IOException {
    this((n, r) -> answers.apply(n));
  }

  /**
   * Starts a receiver.
   *
   * @param answers the answer to the n-th request (from 0), given the request
   */
  Receiver(java.util.function.BiFunction<Integer, Request, Answer> answers) throws IOException {
    this.answers = answers;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Request request = new Request(exchange.getRequestURI().getPath(),
          Map.copyOf(exchange.getRequestHeaders()), body);
      requests.add(request);
      synchronized (requests) {
        requests.notifyAll();
      }
      Answer a = this.answers.apply(count.getAndIncrement(), request);
      if (a.hang()) {
        try {
          closing.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
        return;
      }
      a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(a.status(), -1);
      exchange.close();
    });
    server.start();
  }

  /** Waits until at least {@code n} requests have arrived; the test's @Timeout bounds it. */
  void awaitRequests(int n) throws InterruptedException {
    synchronized (requests) {
      while (requests.size() < n) {
        requests.wait(100);
      }
    }
  }

  void answer(IntFunction<Answer> answers) {
    this.answers = (n, r) -> answers.apply(n);
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
