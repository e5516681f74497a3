#pragma once
// Fingerprint mode's hash set: the 64-bit hashes of a shard's states, in an open-addressing table
// of 64-bit slots (linear probing; nothing is ever removed; 0 marks an empty slot, so the hash 0
// is kept in a flag of its own). The table grows to twice its size when more than 7/8 is used.
//
// Why not boost::unordered_flat_set (which this replaced): a lookup's cost is the cache miss on
// its slot, and this table lets the explorer prefetch the slots of all a state's successors
// before it asks for any, as the exact store does (position_table.hpp), so the misses overlap.
// Its memory comes from the store's arena, on huge pages.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "checker/arena.hpp"
#include "checker/prefetch.hpp"

namespace alertflow::checker::detail {

class FingerprintTable {
public:
    explicit FingerprintTable(Arena& arena) : arena_(arena) {}
    FingerprintTable(const FingerprintTable&) = delete;
    FingerprintTable& operator=(const FingerprintTable&) = delete;
    ~FingerprintTable() { release(slots_, size_); }

    // Starts loading the slot where a lookup of `h` begins.
    void prefetch(std::uint64_t h) const {
        if (size_ != 0) detail::prefetch(&slots_[home(h)]);
    }

    bool contains(std::uint64_t h) const {
        if (h == 0) return has_zero_;
        if (size_ == 0) return false;
        for (std::size_t i = home(h);; i = (i + 1) & (size_ - 1)) {
            if (slots_[i] == h) return true;
            if (slots_[i] == 0) return false;
        }
    }

    // Adds `h`, which must not be in the table yet.
    void insert(std::uint64_t h) {
        if (h == 0) {
            has_zero_ = true;
            return;
        }
        if (8 * (used_ + 1) > 7 * size_) grow();
        place(h);
        ++used_;
    }

    std::uint64_t bytes() const { return size_ * sizeof(std::uint64_t); }

private:
    // The top bits pick the home slot: the store picks the shard with bits 20..25.
    std::size_t home(std::uint64_t h) const { return static_cast<std::size_t>(h >> shift_); }

    void place(std::uint64_t h) {
        std::size_t i = home(h);
        while (slots_[i] != 0) i = (i + 1) & (size_ - 1);
        slots_[i] = h;
    }

    // Twice as many slots (1024 at first), the hashes placed anew in the order of the old slots.
    void grow() {
        std::uint64_t* old = slots_;
        const std::size_t old_size = size_;
        size_ = size_ == 0 ? 1024 : 2 * size_;
        shift_ = 64 - std::countr_zero(size_);
        slots_ = reinterpret_cast<std::uint64_t*>(arena_.allocate(size_ * sizeof(std::uint64_t)));
        std::fill_n(slots_, size_, 0u);
        for (std::size_t i = 0; i < old_size; ++i)
            if (old[i] != 0) place(old[i]);
        release(old, old_size);
    }

    void release(std::uint64_t* slots, std::size_t size) {
        if (size != 0) arena_.release(reinterpret_cast<std::byte*>(slots), size * sizeof(std::uint64_t));
    }

    Arena& arena_;
    std::uint64_t* slots_ = nullptr;
    std::size_t size_ = 0, used_ = 0;
    int shift_ = 64;
    bool has_zero_ = false;
};

}  // namespace alertflow::checker::detail
