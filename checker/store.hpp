#pragma once
// The visited set with parent links: every distinct state is stored once, in discovery order,
// beside the index of the state it was first reached from and the action that reached it.
// The hash set holds only 32-bit indices and hashes and compares the states they refer to,
// so a state costs sizeof(State) + sizeof(Action) + 4 bytes (parent), plus a set slot of
// 4 bytes and a control byte in a table kept at most 87.5% full.
#include <boost/unordered/unordered_flat_set.hpp>

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

#include "checker/result.hpp"

namespace alertflow::checker {

namespace detail {

// Only meaningful for types with unique object representations (no padding bytes).
template <class T>
bool same_bytes(const T& a, const T& b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// An append-only array in fixed-size chunks. Growing never copies what is stored, so there is
// no transient doubling that a memory limit could not see coming, and references stay valid
// while elements are appended (the explorer reads a state while storing its successors).
template <class T>
class ChunkedArray {
public:
    static constexpr std::size_t chunk_size = std::size_t{1} << 14;

    std::size_t size() const { return size_; }
    const T& operator[](std::size_t i) const { return chunks_[i / chunk_size][i % chunk_size]; }

    void push_back(const T& value) {
        if (size_ == chunks_.size() * chunk_size) chunks_.emplace_back().reserve(chunk_size);
        chunks_.back().push_back(value);
        ++size_;
    }

    std::uint64_t bytes() const {
        return chunks_.size() * chunk_size * sizeof(T) + chunks_.capacity() * sizeof(std::vector<T>);
    }

private:
    std::vector<std::vector<T>> chunks_;
    std::size_t size_ = 0;
};

}  // namespace detail

template <class State, class Action>
class StateStore {
public:
    using Index = std::uint32_t;
    static constexpr std::uint64_t capacity = std::uint64_t{1} << 32;  // every Index value

    StateStore() : set_(0, Hash{this}, Equal{this}) {}
    StateStore(const StateStore&) = delete;  // the set's hasher points back at this store
    StateStore& operator=(const StateStore&) = delete;

    std::uint64_t size() const { return states_.size(); }
    const State& state(Index i) const { return states_[i]; }

    std::optional<Index> find(const State& s) const {
        const auto it = set_.find(s);
        if (it == set_.end()) return std::nullopt;
        return it->index;
    }

    // Initial states come first, so only the states after them need a parent and an action.
    // Both add functions require that the state is not stored yet and size() < capacity.
    Index add_initial(const State& s) {
        assert(parents_.size() == 0);
        ++initial_count_;
        return append(s);
    }
    Index add(const State& s, Index parent, const Action& action) {
        parents_.push_back(parent);
        actions_.push_back(action);
        return append(s);
    }

    // The path by which BFS first reached state i: a shortest one.
    Trace<State, Action> trace_to(Index i) const {
        Trace<State, Action> trace;
        trace.states.push_back(state(i));
        for (; i >= initial_count_; i = parents_[i - initial_count_]) {
            trace.actions.push_back(actions_[i - initial_count_]);
            trace.states.push_back(state(parents_[i - initial_count_]));
        }
        std::reverse(trace.states.begin(), trace.states.end());
        std::reverse(trace.actions.begin(), trace.actions.end());
        return trace;
    }

    // An estimate of the memory held: allocated chunks and set slots (index + 1 control byte).
    std::uint64_t bytes() const {
        return states_.bytes() + parents_.bytes() + actions_.bytes() +
               set_.bucket_count() * (sizeof(Slot) + 1);
    }

private:
    // A distinct key type, so that looking up a State never means an index, even if State is
    // an integer.
    struct Slot {
        Index index;
    };
    struct Hash {
        using is_transparent = void;
        using is_avalanching = void;  // XXH3 mixes well: the set need not mix again
        const StateStore* store;
        std::size_t operator()(const State& s) const { return XXH3_64bits(&s, sizeof(State)); }
        std::size_t operator()(Slot slot) const { return (*this)(store->state(slot.index)); }
    };
    struct Equal {
        using is_transparent = void;
        const StateStore* store;
        bool operator()(Slot a, Slot b) const { return (*this)(a, store->state(b.index)); }
        bool operator()(Slot a, const State& b) const { return detail::same_bytes(store->state(a.index), b); }
        bool operator()(const State& a, Slot b) const { return (*this)(b, a); }
    };

    Index append(const State& s) {
        assert(size() < capacity);
        const auto index = static_cast<Index>(states_.size());
        states_.push_back(s);
        [[maybe_unused]] const bool inserted = set_.insert(Slot{index}).second;
        assert(inserted);
        return index;
    }

    detail::ChunkedArray<State> states_;
    detail::ChunkedArray<Index> parents_;    // for states from initial_count_ on
    detail::ChunkedArray<Action> actions_;   // likewise
    Index initial_count_ = 0;
    boost::unordered_flat_set<Slot, Hash, Equal> set_;
};

}  // namespace alertflow::checker
