package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One page of a list, as {@code GET /api/v1/audit/anomalies} returns it.
 *
 * @param content the items of this page, possibly empty
 * @param totalElements how many items match the query across all pages
 * @param totalPages how many pages of {@code size} items that makes
 * @param page the zero-based index of this page
 * @param size the page size that was asked for
 * @param <T> the item type
 */
@JsonPropertyOrder({"content", "totalElements", "totalPages", "page", "size"})
public record AnomalyPage<T>(
    @JsonProperty("content") List<T> content,
    @JsonProperty("totalElements") long totalElements,
    @JsonProperty("totalPages") int totalPages,
    @JsonProperty("page") int page,
    @JsonProperty("size") int size) {

  /** Creates a page, copying the content. */
  public AnomalyPage {
    content = List.copyOf(content);
  }

  /**
   * Cuts one page out of a complete, already ordered list of matches.
   *
   * @param matches every match, in display order
   * @param page the zero-based page index
   * @param size the page size, at least 1
   * @param <T> the item type
   * @return the page; empty content when {@code page} is past the end
   * @throws IllegalArgumentException if {@code page} is negative or {@code size} is below 1
   */
  public static <T> AnomalyPage<T> of(List<T> matches, int page, int size) {
    if (page < 0) {
      throw new IllegalArgumentException("page must be 0 or more, but was " + page);
    }
    if (size < 1) {
      throw new IllegalArgumentException("size must be 1 or more, but was " + size);
    }
    int total = matches.size();
    int totalPages = (int) ((total + (long) size - 1) / size);
    long from = (long) page * size;
    List<T> content =
        from >= total ? List.of() : matches.subList((int) from, (int) Math.min(total, from + size));
    return new AnomalyPage<>(content, total, totalPages, page, size);
  }
}
