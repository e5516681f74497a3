#pragma once
// The distinct states one thread made while expanding its chunks of a batch, each once.
//
// Why: most successors are states the same batch makes again (two orders of the same two steps
// lead to one state, and both orders are expanded side by side, their parents being siblings).
// On all_connectors at 3 alerts, 36 of the 59 million transitions to the first 10 million states
// are such repeats: before this set each was looked up in the visited set, a cache miss, and
// (its first occurrence not stored yet) copied out as a candidate and found only when the
// candidates were stored. This set is small and recent enough to stay in the core's cache, so a
// repeat is dropped at once for a probe there. The first time a state is
// made in a run of the set it is also the first time in one-thread order (within a run a thread
// takes its chunks in batch order; going back to earlier ones it starts a new run), so dropping
// repeats changes nothing a search reports.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "checker/arena.hpp"
#include "checker/model.hpp"
#include "checker/position_table.hpp"
#include "checker/store.hpp"

namespace alertflow::checker::detail {

class BatchSet {
public:
    using Place = std::uint32_t;

    explicit BatchSet(std::size_t state_bytes) : state_bytes_(state_bytes) {}

    // Where the next state is to be written, before find_or_keep() decides on it: state_bytes
    // long, with room for a model's padded write (padded_size in model.hpp) over the next spot's.
    std::byte* spot() {
        const std::size_t end = size_ * state_bytes_ + padded_size(state_bytes_);
        if (bytes_.size() < end) bytes_.resize(2 * end);
        return bytes_.data() + size_ * state_bytes_;
    }
    // The place of the state written at spot() (whose hash is h) if the batch made it before;
    // else it is kept, at place size() - 1, and the answer is nullopt (the spot is written over
    // next time when it was made before).
    std::optional<Place> find_or_keep(std::uint64_t h) {
        const std::byte* s = bytes_.data() + size_ * state_bytes_;
        if (size_ >= PositionTable::max_positions) {  // too many to look up: kept, repeats and all
            ++size_;
            return std::nullopt;
        }
        const auto same = [&](std::uint64_t p) { return p >= run_begin_ && same_bytes((*this)[static_cast<Place>(p)], s, state_bytes_); };
        if (const auto p = table_.find(h, same))
            return static_cast<Place>(*p);
        hashes_.push_back(h);
        table_.insert(size_, h, [&](std::uint64_t p) { return hashes_[p]; });
        ++size_;
        return std::nullopt;
    }
    const std::byte* operator[](Place p) const { return bytes_.data() + std::size_t{p} * state_bytes_; }
    std::size_t size() const { return size_; }
    // Forgets the batch's states; their memory is kept for the next batch's.
    void clear() {
        if (size_ != 0) table_.clear();
        hashes_.clear();
        size_ = 0;
        run_begin_ = 0;
    }
    // From now on find_or_keep finds only states kept after this call (the others stay where they
    // are). For a thread that goes on with states earlier in the batch than those it made so far:
    // a state it made before is then not necessarily the first in one-thread order, so it must be
    // kept again and left to the storing phase, which takes candidates in batch order.
    void start_run() { run_begin_ = size_; }

private:
    std::size_t state_bytes_;
    std::vector<std::byte> bytes_;
    std::vector<std::uint64_t> hashes_;  // of the states in the table, to rebuild it when it grows
    std::size_t size_ = 0;
    std::size_t run_begin_ = 0;  // the first place find_or_keep may answer
    Arena arena_;  // before the table, which gives its memory back to it when it dies
    PositionTable table_{arena_, 4};  // half full at most: a probe mostly meets a new state
};

}  // namespace alertflow::checker::detail
