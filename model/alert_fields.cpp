#include "model/alert_fields.hpp"

#include <bit>
#include <stdexcept>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace alertflow::model {

namespace {

// The fields whose width no configuration changes, adjacent in the slot from kBlock on: their
// places relative to the first's are constants.
constexpr std::size_t kBlock = offsetof(AlertSlot, future_start_time);
constexpr std::array<int, 8> kBlockWidths = {1, 3, 3, 1, 1, 1, 1, 1};
static_assert(offsetof(AlertSlot, sub_forwarding) == kBlock + 1 && offsetof(AlertSlot, tenant_delivery) == kBlock + 2 &&
              offsetof(AlertSlot, xdr) == kBlock + 3 && offsetof(AlertSlot, xdr_connector) == kBlock + 4 &&
              offsetof(AlertSlot, rule) == kBlock + 5 && offsetof(AlertSlot, time_window_rule) == kBlock + 6 &&
              offsetof(AlertSlot, presence) == kBlock + 7);
constexpr std::array<int, 8> kBlockPlaces = [] {
    std::array<int, 8> places{};
    for (std::size_t i = 1; i < places.size(); ++i) places[i] = places[i - 1] + kBlockWidths[i - 1];
    return places;
}();
// The others: the status (two bits, first) and the four the configuration sets.
constexpr std::size_t kMdc = offsetof(AlertSlot, mdc), kHistory = offsetof(AlertSlot, history),
                      kHistoryLen = offsetof(AlertSlot, history_len), kSubscription = offsetof(AlertSlot, subscription),
                      kRowCount = offsetof(AlertSlot, row_count);
static_assert(kMdc == 0 && kRowCount == kBlock + kBlockWidths.size() && kRowCount + 1 == offsetof(AlertSlot, rows));
constexpr std::array<std::size_t, 5> kAlone = {kMdc, kHistory, kHistoryLen, kSubscription, kRowCount};  // each at its own place

}  // namespace

AlertFields::AlertFields(const Widths& configured, bool bit_instructions)
    : bit_instructions_(bit_instructions && bit_instructions_available()) {
    std::array<int, kBytes> widths{};
    widths[kMdc] = 2;
    widths[kHistory] = configured.history;
    widths[kHistoryLen] = configured.history_len;
    widths[kSubscription] = configured.subscription;
    for (std::size_t i = 0; i < kBlockWidths.size(); ++i) widths[kBlock + i] = kBlockWidths[i];
    widths[kRowCount] = configured.row_count;
    for (std::size_t i = 0; i < kBytes; ++i) {
        if (widths[i] < 0 || widths[i] > 8) throw std::logic_error("an alert field is wider than its byte");
        field_masks_[i] = (std::uint64_t{1} << widths[i]) - 1;
        masks_[i / 8] |= field_masks_[i] << 8 * (i % 8);
        places_[i] = bits_;
        bits_ += widths[i];
    }
    low_bits_ = std::popcount(masks_[0]);
}

bool AlertFields::bit_instructions_available() {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("bmi2");
#else
    return false;
#endif
}

bool AlertFields::fast_bit_instructions() {
#if defined(__x86_64__)
    // AMD before Zen 3 (family 19h) runs pext and pdep in microcode: slower than shifts.
    return bit_instructions_available() && (!__builtin_cpu_is("amd") || __builtin_cpu_is("amdfam19h"));
#else
    return false;
#endif
}

#if defined(__x86_64__)
[[gnu::target("bmi2")]] std::uint64_t AlertFields::gather(const Words& words, const Words& masks, int low_bits) {
    return _pext_u64(words[0], masks[0]) | _pext_u64(words[1], masks[1]) << low_bits;
}
[[gnu::target("bmi2")]] AlertFields::Words AlertFields::scatter(std::uint64_t bits, const Words& masks, int low_bits) {
    return {_pdep_u64(bits, masks[0]), _pdep_u64(bits >> low_bits, masks[1])};
}
#else
std::uint64_t AlertFields::gather(const Words&, const Words&, int) { throw std::logic_error("no pext on this processor"); }
AlertFields::Words AlertFields::scatter(std::uint64_t, const Words&, int) { throw std::logic_error("no pdep on this processor"); }
#endif

std::uint64_t AlertFields::gather_by_shifts(const AlertSlot& slot) const {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&slot);
    const auto field = [&](std::size_t i) { return std::uint64_t{bytes[i]}; };
    std::uint64_t block = 0, bits = 0;
    for (std::size_t i = 0; i < kBlockWidths.size(); ++i) block |= field(kBlock + i) << kBlockPlaces[i];
    for (const std::size_t i : kAlone) bits |= field(i) << places_[i];
    return bits | block << places_[kBlock];
}

void AlertFields::scatter_by_shifts(std::uint64_t bits, AlertSlot& slot) const {
    auto* bytes = reinterpret_cast<std::uint8_t*>(&slot);
    const auto put = [&](std::size_t i, std::uint64_t value, std::uint64_t mask) { bytes[i] = static_cast<std::uint8_t>(value & mask); };
    for (const std::size_t i : kAlone) put(i, bits >> places_[i], field_masks_[i]);
    const std::uint64_t block = bits >> places_[kBlock];
    for (std::size_t i = 0; i < kBlockWidths.size(); ++i) put(kBlock + i, block >> kBlockPlaces[i], (1u << kBlockWidths[i]) - 1);
}

}  // namespace alertflow::model
