#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace motcua
{

// SHA-256 (FIPS 180-4), used for the journal's hash chain. Small and dependency-free
// because the chain must be checkable by `motcuactl verify` anywhere.
class Sha256
{
  public:
    Sha256();
    void update(std::string_view data);
    std::array<std::uint8_t, 32> finish();

  private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t used_ = 0;
    std::uint64_t total_ = 0;
};

// Lower-case hex digest of data.
std::string sha256_hex(std::string_view data);

} // namespace motcua
