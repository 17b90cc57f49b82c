#pragma once

// Expected failures (a counter that is closed, nothing waiting, a device timeout) are
// values, not exceptions. std::expected arrives with C++23; this is the small part we need.

#include <string>
#include <utility>
#include <variant>

namespace motcua
{

struct Error
{
    std::string code;    // stable, machine-readable: "nothing_waiting"
    std::string message; // one sentence for a person: "Nothing is waiting for counter 3."
};

template <class T>
class [[nodiscard]] Result
{
  public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void>
{
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}
    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return error_; }

  private:
    Error error_;
    bool ok_ = true;
};

inline Error make_error(std::string code, std::string message)
{
    return Error{std::move(code), std::move(message)};
}

} // namespace motcua
