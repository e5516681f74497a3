#pragma once
// An alert's fields but its SecurityAlert rows, packed into one word and back. Each field is one
// byte of the AlertSlot; the packed word holds each byte's low bits, as many as its field needs,
// in the slot's order. That is BMI2's pext (gather the bits a mask names) and pdep (scatter them
// back), one instruction each where the processor runs them fast (Intel since Haswell, AMD since
// Zen 3): field-by-field shifts were a tenth of the checker's instructions. Elsewhere shifts do
// the same, most of them by constants: the fields whose width no configuration changes sit
// together in the slot. Both ways give the same word, so a state packs the same on any machine.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "model/state.hpp"

namespace alertflow::model {

class AlertFields {
public:
    // The widths the configuration sets (the others are fixed): the status history's, its
    // length's, the subscription's and the row count's, each at most 8 bits.
    struct Widths {
        int history, history_len, subscription, row_count;
    };
    // bit_instructions: use pext and pdep where the processor has them (shifts elsewhere: the
    // same words, never an illegal instruction).
    AlertFields(const Widths& widths, bool bit_instructions);

    // Whether this processor has pext and pdep; and runs them in a few cycles, not in microcode.
    static bool bit_instructions_available();
    static bool fast_bit_instructions();

    int bits() const { return bits_; }

    // Whether every field is within its width (else pack would lose bits).
    bool fits(const AlertSlot& slot) const {
        const Words words = words_of(slot);
        return ((words[0] & ~masks_[0]) | (words[1] & ~masks_[1] & kHighFieldBytes)) == 0;
    }
    // The fields' bits; they must fit.
    std::uint64_t pack(const AlertSlot& slot) const {
        return bit_instructions_ ? gather(words_of(slot), masks_, low_bits_) : gather_by_shifts(slot);
    }
    // Writes the fields (not the rows) from what pack gave: the low bits() bits of `bits` (the
    // others are not read).
    void unpack(std::uint64_t bits, AlertSlot& slot) const {
        if (!bit_instructions_) return scatter_by_shifts(bits, slot);
        const Words words = scatter(bits, masks_, low_bits_);
        auto* bytes = reinterpret_cast<std::byte*>(&slot);
        std::memcpy(bytes, &words[0], 8);
        std::memcpy(bytes + 8, &words[1], kBytes - 8);
    }

private:
    static constexpr std::size_t kBytes = offsetof(AlertSlot, rows);  // the fields, one byte each
    static constexpr std::uint64_t kHighFieldBytes = (std::uint64_t{1} << 8 * (kBytes - 8)) - 1;  // of the word at byte 8
    static_assert(kBytes > 8 && kBytes <= 16, "the fields are read as the words at bytes 0 and 8");
    // The slot's field bytes as the words at bytes 0 and 8 (the second's last bytes are rows).
    using Words = std::array<std::uint64_t, 2>;
    static Words words_of(const AlertSlot& slot) {
        const auto* bytes = reinterpret_cast<const std::byte*>(&slot);
        Words words;
        std::memcpy(&words[0], bytes, 8);
        std::memcpy(&words[1], bytes + 8, 8);
        return words;
    }

    // pext and pdep: out of line, as code for an instruction set the build does not assume
    // cannot be inlined into code that does not ask for it.
    static std::uint64_t gather(const Words& words, const Words& masks, int low_bits);
    static Words scatter(std::uint64_t bits, const Words& masks, int low_bits);
    // The same by shifts, a byte at a time (loading and storing bytes: taking them out of words
    // and putting them in cost two instructions more each).
    std::uint64_t gather_by_shifts(const AlertSlot& slot) const;
    void scatter_by_shifts(std::uint64_t bits, AlertSlot& slot) const;

    Words masks_{};                          // the bits the fields may use in the words at bytes 0 and 8
    std::array<std::uint64_t, kBytes> field_masks_{};  // the bits each field may use
    std::array<int, kBytes> places_{};       // where each field's bits start in the packed word
    int low_bits_ = 0, bits_ = 0;            // the bits of the first word's fields; of all
    bool bit_instructions_;
};

}  // namespace alertflow::model
