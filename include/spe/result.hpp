// spe::result<T, E>: a value or an error, never both, never an exception.
//
// Every stage of spe reports failure as a value (simdjson's style): the CLI,
// fuzzers, properties and benchmarks branch on it, and nothing unwinds across
// the library's API. C++20 has no std::expected (and clang-14's libstdc++
// hides the C++23 one), so this is the small subset we need.
#pragma once

#include <utility>
#include <variant>

namespace spe {

template <class E>
struct unexpected {
  E error;
};

template <class E>
unexpected(E) -> unexpected<E>;

template <class T, class E>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(unexpected<E> e) : v_(std::in_place_index<1>, std::move(e.error)) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // Precondition: has_value(). Checked by std::get (it throws on misuse,
  // which is a programming error in spe, never a data-dependent path).
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Precondition: !has_value().
  const E& error() const& { return std::get<1>(v_); }
  E& error() & { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace spe
