package io.batanomaly.testkit;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * One documented {@code curl} command, parsed the way a POSIX shell and curl read it: line
 * continuations, single and double quotes, {@code -X}, {@code -H} and {@code -d}. Other options
 * are refused, so a command this cannot reproduce fails the test instead of being run
 * differently. The example server's and the Spring Boot sample's tests run the specification's
 * commands through it.
 *
 * @param method the {@code -X} method
 * @param url the URL
 * @param headers the {@code -H} headers, as {@code name: value}
 * @param data the {@code -d} body, or {@code null}
 */
public record CurlCommand(String method, String url, List<String> headers, String data) {

  /**
   * Parses every command of a text in which commands are separated by blank lines.
   *
   * @param text the commands
   * @return the commands, in order
   */
  public static List<CurlCommand> parseAll(String text) {
    List<CurlCommand> commands = new ArrayList<>();
    for (String block : text.split("\n\n")) {
      if (!block.isBlank()) {
        commands.add(parse(block.strip()));
      }
    }
    return commands;
  }

  public static CurlCommand parse(String command) {
    List<String> words = words(command.replace("\\\n", " "));
    if (words.isEmpty() || !words.get(0).equals("curl")) {
      throw new IllegalArgumentException("not a curl command: " + command);
    }
    String method = null;
    String url = null;
    String data = null;
    List<String> headers = new ArrayList<>();
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      switch (w) {
        case "-X" -> method = words.get(++i);
        case "-H" -> headers.add(words.get(++i));
        case "-d" -> data = words.get(++i);
        default -> {
          if (w.startsWith("-") || url != null) {
            throw new IllegalArgumentException("unsupported curl word '" + w + "'");
          }
          url = w;
        }
      }
    }
    if (method == null) {
      method = data == null ? "GET" : "POST";
    }
    return new CurlCommand(method, url, List.copyOf(headers), data);
  }

  /** Splits a command line into words as a shell does, honouring quotes. */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder current = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        current = current == null ? new StringBuilder() : current;
      } else if (Character.isWhitespace(c)) {
        if (current != null) {
          words.add(current.toString());
          current = null;
        }
      } else {
        current = current == null ? new StringBuilder() : current;
        current.append(c);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unbalanced quote in: " + line);
    }
    if (current != null) {
      words.add(current.toString());
    }
    return words;
  }

  /**
   * Builds the request curl would send, with only the documentation's host and token
   * replaced.
   *
   * @param base the server's base URI, such as {@code http://localhost:8080}
   * @param token the bearer token for {@code <token>}
   */
  public HttpRequest toRequest(String base, String token) {
    String target = url.replace("https://policy.aster-lang.dev", base);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target));
    boolean contentType = false;
    for (String h : headers) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).trim();
      contentType |= name.equalsIgnoreCase("Content-Type");
      b.header(name, h.substring(colon + 1).trim().replace("<token>", token));
    }
    if (data != null && !contentType) {
      b.header("Content-Type", "application/x-www-form-urlencoded"); // what curl -d sends
    }
    b.method(method, data == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(data));
    return b.build();
  }
}
