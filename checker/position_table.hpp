#pragma once
// The exact store's hash set: the positions of a shard's stored states, in an open-addressing
// table of 32-bit slots (linear probing; nothing is ever removed). A slot holds position + 1 in
// its low bits (0: empty), as many as the table's size needs (a table is never full, so every
// position is below its size), and bits of the state's hash, its tag, in all the bits above
// them, so a probe reads a stored state only when the tags agree: one time in 2^14 in a table of
// 2^18 slots, one in 64 in the largest. (A fixed 6-bit tag made 2.3 M of the 30.8 M lookups to
// 10 M states of all_connectors at 3 alerts read a stored state at random, a cache miss each.)
//
// Why not a library set: a lookup's cost is two cache misses (the slot, then the stored state
// it names), and this table lets the explorer prefetch the slots of all a state's successors
// before probing any of them, so the misses overlap. Growing rebuilds the table from the stored
// states in the order they were stored, instead of visiting them at random through the slots.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "checker/arena.hpp"
#include "checker/prefetch.hpp"

namespace alertflow::checker::detail {

class PositionTable {
public:
    static constexpr int position_bits = 26;  // at most: positions below 2^26 - 1
    static constexpr std::uint64_t max_positions = (std::uint64_t{1} << position_bits) - 1;

    // max_load_eighths: the table grows when more than that many eighths of its slots are used.
    // The store's tables are large and mostly hit, so they run full (7); a table that is mostly
    // probed for states it does not hold wants shorter runs of used slots.
    explicit PositionTable(Arena& arena, int max_load_eighths = 7) : arena_(arena), max_load_eighths_(max_load_eighths) {}
    PositionTable(const PositionTable&) = delete;
    PositionTable& operator=(const PositionTable&) = delete;
    ~PositionTable() { release(); }

    // Starts loading the slot where a lookup of hash `h` begins.
    void prefetch(std::uint64_t h) const {
        if (size_ != 0) detail::prefetch(&slots_[home(h)]);
    }

    // The first position with hash `h` (on the table's bits) that satisfies same(position), if
    // any. With a `same` that accepts anything: the position a lookup of `h` will most likely
    // compare first (so it is worth prefetching).
    template <class Same>
    std::optional<std::uint64_t> find(std::uint64_t h, Same&& same) const {
        if (size_ == 0) return std::nullopt;
        const std::uint32_t want = tag(h);
        for (std::size_t i = home(h);; i = (i + 1) & (size_ - 1)) {
            const std::uint32_t slot = slots_[i];
            if (slot == 0) return std::nullopt;
            if ((slot >> slot_position_bits_) == want && same((slot & position_mask_) - 1)) return (slot & position_mask_) - 1;
        }
    }

    // Adds the state at `position` (< max_positions, not in the table yet) with hash `h`. When
    // the table is full to its load it is rebuilt twice as large from hash_of(p) for every
    // position p below `position` (all of them are stored).
    template <class HashOf>
    void insert(std::uint64_t position, std::uint64_t h, HashOf&& hash_of) {
        if (8 * (position + 1) > static_cast<std::uint64_t>(max_load_eighths_) * size_) {
            grow(size_ == 0 ? 1024 : 2 * size_);
            for (std::uint64_t p = 0; p < position; ++p) place(p, hash_of(p));
        }
        place(position, h);
    }

    // Forgets every position and keeps the slots, for positions that start again from 0.
    void clear() { std::fill_n(slots_, size_, 0u); }

    std::uint64_t bytes() const { return size_ * sizeof(std::uint32_t); }

private:
    // The top bits pick the home slot, the bits from 26 up the tag: the store's shard uses bits
    // 20..25, and the tag (32 - k bits for a table of 2^k slots) ends below the home's k bits.
    std::uint32_t tag(std::uint64_t h) const { return static_cast<std::uint32_t>(h >> 26) & tag_mask_; }
    std::size_t home(std::uint64_t h) const { return static_cast<std::size_t>(h >> shift_); }

    void grow(std::size_t size) {
        release();
        slots_ = reinterpret_cast<std::uint32_t*>(arena_.allocate(size * sizeof(std::uint32_t)));
        std::fill_n(slots_, size, 0u);
        size_ = size;
        shift_ = 64 - std::countr_zero(size);
        slot_position_bits_ = std::min(std::countr_zero(size), position_bits);
        position_mask_ = (std::uint32_t{1} << slot_position_bits_) - 1;
        tag_mask_ = ~std::uint32_t{0} >> slot_position_bits_;
    }

    void place(std::uint64_t position, std::uint64_t h) {
        std::size_t i = home(h);
        while (slots_[i] != 0) i = (i + 1) & (size_ - 1);
        slots_[i] = tag(h) << slot_position_bits_ | static_cast<std::uint32_t>(position + 1);
    }

    void release() {
        if (size_ != 0) arena_.release(reinterpret_cast<std::byte*>(slots_), size_ * sizeof(std::uint32_t));
        size_ = 0;
    }

    Arena& arena_;
    int max_load_eighths_;
    std::uint32_t* slots_ = nullptr;
    std::size_t size_ = 0;
    int shift_ = 64;
    int slot_position_bits_ = 0;  // log2 of the size, at most position_bits
    std::uint32_t position_mask_ = 0, tag_mask_ = 0;
};

}  // namespace alertflow::checker::detail
