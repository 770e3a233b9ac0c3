#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace janji {

/// A nullable text field as JSON: the string, or null.
inline boost::json::value json_or_null(const std::optional<std::string>& s,
                                       boost::json::storage_ptr sp = {}) {
  return s ? boost::json::value(*s, std::move(sp)) : boost::json::value(nullptr, std::move(sp));
}

/// A list's {page, limit, total, total_pages}: the `pagination` of every paged list.
inline boost::json::value pagination_json(std::int64_t page, std::int64_t limit,
                                          std::int64_t total) {
  return boost::json::object{{"page", page},
                             {"limit", limit},
                             {"total", total},
                             {"total_pages", (total + limit - 1) / limit}};
}

/// Appends `v` serialized to `out` (the same text boost::json::serialize makes).
void serialize_into(std::string& out, const boost::json::value& v);

/// The text of a JSON array built one element at a time: each element is made in scratch
/// memory that the next one reuses, then written out, so a list of thousands of rows costs
/// one growing string instead of a tree of thousands of allocations.
class JsonArrayText {
 public:
  JsonArrayText() : text_("[") {}
  /// `make(storage)` returns the element, allocated from `storage`.
  template <class Make>
  void add(Make&& make) {
    // Released after each element; a larger element spills onto the heap.
    boost::json::monotonic_resource scratch(buffer_, sizeof buffer_);
    append(make(boost::json::storage_ptr(&scratch)));
  }
  /// Says how many elements there will be in all: once the first is written, room for the
  /// rest is reserved at its size, so a long list is not copied each time the text doubles.
  void expect(std::size_t elements) { expected_ = elements; }
  /// The finished array; the builder is empty afterwards.
  std::string finish() &&;

 private:
  void append(const boost::json::value& element);

  std::string text_;
  std::size_t expected_ = 0;
  alignas(std::max_align_t) unsigned char buffer_[4096];
};

}  // namespace janji
