#pragma once
// The visited set with parent links, in shards so that threads can add states side by side.
//
// A state's shard is picked by bits of its 64-bit hash; each shard keeps, in discovery order,
// the index of the state each of its states was first reached from, plus either
//   - exact mode: the state's bytes, with a hash set of their positions (position_table.hpp: a
//     state costs its packed size + 4 bytes of parent + a 4-byte slot at a load of 7/16 to 7/8);
//     a trace's actions are found again by matching successors against the stored states, or
//   - fingerprint mode: only the state's 64-bit hash in a hash set (fingerprint_table.hpp), and
//     the rank of the successor that reached it among its parent's (8 + 4 + 2 bytes); the states
//     of the level being expanded and of the next are kept aside until they are expanded. A
//     trace is rebuilt by following the ranks from its initial state. Two states with one hash
//     are taken for one (see collision_probability).
//
// Threads never share a shard: while a level is expanded every thread may look states up
// (contains), and then each shard is added to by one thread only (add).
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

#include "checker/arena.hpp"
#include "checker/fingerprint_table.hpp"
#include "checker/position_table.hpp"
#include "checker/prefetch.hpp"

namespace alertflow::checker {

namespace detail {

// Whether n bytes at a and at b are the same: a word at a time, the last word overlapping the one
// before when n is not a multiple of 8. Inline, because memcmp, a call that dispatches on a size
// known only at run time, was 4% of one-thread exploration time.
inline bool same_bytes(const std::byte* a, const std::byte* b, std::size_t n) {
    if (n < 8) return std::memcmp(a, b, n) == 0;
    const auto word = [](const std::byte* p) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        return w;
    };
    std::uint64_t diff = word(a + n - 8) ^ word(b + n - 8);
    for (std::size_t i = 0; i + 8 < n; i += 8) diff |= word(a + i) ^ word(b + i);
    return diff == 0;
}

// Copies n bytes from `from` to `to` a word at a time, the last word overlapping the one before,
// inline for the same reason (a state is copied into the store and out of it once each). The
// empty asm keeps the compiler from making the loop a call to memcpy after all.
inline void copy_bytes(std::byte* to, const std::byte* from, std::size_t n) {
    if (n < 8) return static_cast<void>(std::memcpy(to, from, n));
    const auto move = [&](std::size_t at) {
        std::uint64_t w;
        std::memcpy(&w, from + at, 8);
        asm("" : "+r"(w));
        std::memcpy(to + at, &w, 8);
    };
    for (std::size_t i = 0; i + 8 < n; i += 8) move(i);
    move(n - 8);
}

// An append-only array in fixed-size chunks, cut from an arena. Growing never copies what is
// stored, so there is no transient doubling that a memory limit could not see coming, and
// references stay valid while elements are appended (the explorer reads a state while storing
// its successors). Elements are `stride` bytes each, a size fixed at construction (a model's
// packed state).
class ChunkedBytes {
public:
    static constexpr std::size_t chunk_size = std::size_t{1} << 14;  // elements per chunk

    ChunkedBytes(std::size_t stride, Arena& arena) : stride_(stride), arena_(&arena) {}
    ChunkedBytes(ChunkedBytes&& other) noexcept { swap(other); }
    ChunkedBytes& operator=(ChunkedBytes&& other) noexcept {
        ChunkedBytes(std::move(other)).swap(*this);
        return *this;
    }
    ~ChunkedBytes() {
        for (std::byte* chunk : chunks_) arena_->release(chunk, chunk_size * stride_);
    }

    std::size_t size() const { return size_; }
    std::size_t stride() const { return stride_; }
    const std::byte* operator[](std::size_t i) const { return chunks_[i / chunk_size] + i % chunk_size * stride_; }

    void push_back(const std::byte* value) { copy_bytes(append(), value, stride_); }
    // Room for one more element at the end, to be written (stride() bytes).
    std::byte* append() {
        if (size_ == chunks_.size() * chunk_size) chunks_.push_back(arena_->allocate(chunk_size * stride_));
        return chunks_.back() + size_++ % chunk_size * stride_;
    }

    std::uint64_t bytes() const { return chunks_.size() * chunk_size * stride_ + chunks_.capacity() * sizeof(std::byte*); }

private:
    void swap(ChunkedBytes& other) noexcept {
        std::swap(stride_, other.stride_);
        std::swap(arena_, other.arena_);
        std::swap(chunks_, other.chunks_);
        std::swap(size_, other.size_);
    }

    std::size_t stride_ = 0;
    Arena* arena_ = nullptr;
    std::vector<std::byte*> chunks_;
    std::size_t size_ = 0;
};

// The same for one trivially copyable type.
template <class T>
class ChunkedArray {
public:
    explicit ChunkedArray(Arena& arena) : bytes_(sizeof(T), arena) {}
    std::size_t size() const { return bytes_.size(); }
    T operator[](std::size_t i) const {
        T value;
        std::memcpy(&value, bytes_[i], sizeof(T));
        return value;
    }
    void push_back(const T& value) { std::memcpy(bytes_.append(), &value, sizeof(T)); }
    std::uint64_t bytes() const { return bytes_.bytes(); }

private:
    ChunkedBytes bytes_;
};

}  // namespace detail

enum class StoreMode { Exact, Fingerprint };

// States arrive as byte strings of one fixed length (a model's packed form, see Codec in model.hpp).
class StateStore {
public:
    // A state's index: its position in its shard, then the shard.
    using Index = std::uint32_t;
    static constexpr int shard_bits = 6;
    static constexpr int shards = 1 << shard_bits;
    static constexpr Index no_parent = ~Index{0};
    static constexpr std::uint64_t shard_capacity = detail::PositionTable::max_positions;
    static_assert(detail::PositionTable::position_bits + shard_bits <= 32, "an Index is a position and a shard");

    // Bits 20..25: the hash sets use the top bits (home slot) and the low bits (tag) themselves.
    static int shard_of(std::uint64_t hash) { return static_cast<int>((hash >> 20) & (shards - 1)); }
    static Index index(int shard, std::uint64_t position) { return static_cast<Index>(position << shard_bits | shard); }

    StateStore(StoreMode mode, std::size_t state_bytes) : mode_(mode), state_bytes_(state_bytes) {
        for (auto& shard : shards_) shard = std::make_unique<Shard>(state_bytes, arena_);
    }
    StateStore(const StateStore&) = delete;  // large, and never meant to be copied
    StateStore& operator=(const StateStore&) = delete;

    StoreMode mode() const { return mode_; }
    std::size_t state_bytes() const { return state_bytes_; }
    std::uint64_t hash(const std::byte* s) const { return XXH3_64bits(s, state_bytes_); }
    std::uint64_t size() const {
        std::uint64_t n = 0;
        for (const auto& shard : shards_) n += shard->parents.size();
        return n;
    }
    std::uint64_t shard_size(int shard) const { return shards_[shard]->parents.size(); }

    bool contains(const std::byte* s, std::uint64_t h) const {
        const Shard& shard = *shards_[shard_of(h)];
        if (mode_ == StoreMode::Fingerprint) return shard.fingerprints.contains(h);
        return shard.table.find(h, [&](std::uint64_t p) { return detail::same_bytes(shard.bytes[p], s, state_bytes_); }).has_value();
    }
    // Hints that contains(_, h) follows soon, in two steps a while apart: first the set's slot
    // is loaded, then (exact mode) the stored state a lookup would most likely compare.
    void prefetch_slot(std::uint64_t h) const {
        const Shard& shard = *shards_[shard_of(h)];
        if (mode_ == StoreMode::Exact) shard.table.prefetch(h);
        else shard.fingerprints.prefetch(h);
    }
    void prefetch_state(std::uint64_t h) const {
        if (mode_ == StoreMode::Fingerprint) return;
        const Shard& shard = *shards_[shard_of(h)];
        if (const auto p = shard.table.find(h, [](std::uint64_t) { return true; })) detail::prefetch(shard.bytes[*p]);
    }

    // Stores a state not stored yet (contains is false) in its shard, which must have room:
    // shard_size(shard) < shard_capacity. `rank`: which of its parent's successors it is.
    // Returns its index.
    Index add(const std::byte* s, std::uint64_t h, Index parent, std::uint16_t rank) {
        const int id = shard_of(h);
        Shard& shard = *shards_[id];
        assert(shard.parents.size() < shard_capacity);
        const std::uint64_t position = shard.parents.size();
        shard.parents.push_back(parent);
        if (mode_ == StoreMode::Fingerprint) {
            shard.ranks.push_back(rank);
            shard.fingerprints.insert(h);
            shard.next_level.push_back(s);
        } else {
            shard.bytes.push_back(s);
            shard.table.insert(position, h, [&](std::uint64_t p) { return hash(shard.bytes[p]); });
        }
        if (parent == no_parent) initial_.push_back({index(id, position), {s, s + state_bytes_}});
        return index(id, position);
    }

    // The level being expanded: in each shard, the states added since the previous call.
    void start_level() {
        for (auto& shard : shards_) {
            shard->level_begin = shard->level_end;
            shard->level_end = shard->parents.size();
            if (mode_ == StoreMode::Fingerprint) {  // the expanded level's states are freed
                shard->level = std::move(shard->next_level);
                shard->next_level = detail::ChunkedBytes(state_bytes_, arena_);
            }
        }
    }
    // A state of the level being expanded, by its position in its shard.
    const std::byte* level_state(int shard, std::uint64_t position) const {
        const Shard& s = *shards_[shard];
        return mode_ == StoreMode::Fingerprint ? s.level[position - s.level_begin] : s.bytes[position];
    }

    // A state of the next level (stored, not expanded yet) by its index.
    const std::byte* next_level_state(Index i) const {
        const Shard& s = *shards_[i & (shards - 1)];
        const std::uint64_t position = i >> shard_bits;
        return mode_ == StoreMode::Fingerprint ? s.next_level[position - s.level_end] : s.bytes[position];
    }

    // The states from an initial state to state i, first to last.
    std::vector<Index> path_to(Index i) const {
        std::vector<Index> path{i};
        for (Index parent; (parent = at(i, &Shard::parents)) != no_parent; i = parent) path.push_back(parent);
        return {path.rbegin(), path.rend()};
    }
    // Exact mode: a stored state. Either mode: an initial state.
    const std::byte* state(Index i) const {
        if (mode_ == StoreMode::Exact) return shards_[i & (shards - 1)]->bytes[i >> shard_bits];
        for (const auto& [index, bytes] : initial_)
            if (index == i) return bytes.data();
        throw std::logic_error("fingerprint mode keeps only the initial states");
    }
    // Fingerprint mode: which successor of its parent a state is.
    std::uint16_t rank(Index i) const { return at(i, &Shard::ranks); }

    // The memory held: allocated chunks, the exact table's slots, the fingerprint set's slots
    // and levels.
    std::uint64_t bytes() const {
        std::uint64_t n = 0;
        for (const auto& s : shards_)
            n += s->bytes.bytes() + s->parents.bytes() + s->ranks.bytes() +
                 s->table.bytes() +
                 s->fingerprints.bytes() +
                 s->level.bytes() + s->next_level.bytes();
        return n;
    }

    // Fingerprint mode: an upper bound on the probability that two of the states stored had
    // the same 64-bit hash, so that one was never explored: n(n-1)/2 pairs, each 2^-64.
    double collision_probability() const {
        if (mode_ == StoreMode::Exact) return 0;
        const double n = static_cast<double>(size());
        return std::min(1.0, n * (n - 1) / 2 / 18446744073709551616.0);
    }

private:
    // A cache line of its own (at least): threads store into different shards at once, and a
    // shard's counters on a line with its neighbour's would make each wait for the other core.
    struct alignas(64) Shard {
        Shard(std::size_t state_bytes, detail::Arena& arena)
            : bytes(state_bytes, arena), parents(arena), ranks(arena), table(arena), fingerprints(arena), level(state_bytes, arena),
              next_level(state_bytes, arena) {}
        detail::ChunkedBytes bytes;  // exact mode: the states
        detail::ChunkedArray<Index> parents;
        detail::ChunkedArray<std::uint16_t> ranks;  // fingerprint mode
        detail::PositionTable table;  // exact mode
        detail::FingerprintTable fingerprints;  // fingerprint mode
        detail::ChunkedBytes level, next_level;  // fingerprint mode
        std::uint64_t level_begin = 0, level_end = 0;
    };

    template <class T>
    T at(Index i, detail::ChunkedArray<T> Shard::*array) const {
        return (shards_[i & (shards - 1)].get()->*array)[i >> shard_bits];
    }

    StoreMode mode_;
    std::size_t state_bytes_;
    detail::Arena arena_;  // before the shards, which give their memory back to it when they die
    std::array<std::unique_ptr<Shard>, shards> shards_;
    std::vector<std::pair<Index, std::vector<std::byte>>> initial_;
};

}  // namespace alertflow::checker
