#pragma once
// Exhaustive breadth-first exploration that evaluates every check in one pass, on one thread or
// several.
//
// Invariants are evaluated on each distinct state when it is expanded (it is unpacked then anyway;
// a search stopped by a limit checks the states it stored but did not expand before it ends),
// eventually-checks on each state that ends a complete run (no fair successor) when it is
// expanded. The search is level-synchronous: level d+1 is built only from level d, so the first
// violation found is at the smallest depth, and a counterexample is a shortest one (in the graph
// explored). Each level is expanded in batches, each batch in two phases: all threads expand
// chunks of the batch, each its own share of neighbouring chunks and then what it can take from
// the others' shares (claim_chunk), and drop the successors they made before (each thread's own
// set of the states it made in the batch, batch_set.hpp); then each shard of the visited set,
// taken by one thread, looks its candidates up and stores the new ones chunk by chunk in batch
// order. One thread looks each successor up and stores it as it goes, which is that order. The
// store's content, the counts and the counterexamples are therefore the
// same with any number of threads (but for which states of the last level a state limit let
// in, since shards fill side by side).
// Nothing is reported as holding unless the whole reachable graph was explored, and
// eventually-checks additionally need every transition to increase the model's progress
// measure (no cycles, so every run is finite).
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "checker/barrier.hpp"
#include "checker/batch_set.hpp"
#include "checker/memory.hpp"
#include "checker/model.hpp"
#include "checker/property.hpp"
#include "checker/replay.hpp"
#include "checker/result.hpp"
#include "checker/store.hpp"

namespace alertflow::checker {
struct Limits {
    std::uint64_t max_states = 0;        // distinct states stored; 0 = none
    double time_limit_seconds = 0;       // 0 = none
    std::uint64_t max_memory_bytes = 0;  // the process's resident memory; 0 = none
};

// Reductions keep verdicts exact. Symmetry keeps counterexamples shortest (they are lifted back
// onto the model); partial-order reduction gives real runs that may be longer than the shortest;
// slicing keeps invariants' counterexamples shortest and ends eventually-checks' with the
// left-out work (so they may be longer than the shortest).
struct Reductions {
    bool symmetry = false;       // store one representative per class of alike states (SymmetricModel only)
    bool partial_order = false;  // expand ample sets only (ReducibleModel only)
    bool slicing = false;        // explore the model's slice for what the checks read (SliceableModel only)
    bool cutoff = false;         // explore the model's smaller instance with the same verdicts (CutoffModel only)
};

// "none", or the reductions on joined by '+' ("symmetry+por+slicing+cutoff"): how tables and messages name a choice.
inline std::string to_string(Reductions r) {
    std::string name;
    for (const auto& [on, part] : {std::pair{r.symmetry, "symmetry"}, {r.partial_order, "por"}, {r.slicing, "slicing"}, {r.cutoff, "cutoff"}})
        if (on) name += (name.empty() ? "" : "+") + std::string(part);
    return name.empty() ? "none" : name;
}

struct Options {
    Limits limits;
    std::function<void(const Stats&)> on_progress = nullptr;  // about once a second, with the stats so far
    Reductions reductions{};
    const std::atomic<bool>* interrupt = nullptr;  // set (e.g. by a SIGINT handler) to stop: verdicts unknown
    unsigned threads = 1;                          // the results do not depend on it
    StoreMode store = StoreMode::Exact;            // Fingerprint: 64-bit hashes instead of states
};

namespace detail {

inline constexpr const char* cycle_note =
    "the reachable graph may contain a cycle (a transition did not increase the model's progress "
    "measure); eventually-properties need fairness-aware cycle checking, which this checker does not do";

// Shortest form that reads back as the same value: 5 -> "5", 0.25 -> "0.25".
inline std::string shortest(double value) {
    char text[32];
    return {text, std::to_chars(text, text + sizeof text, value).ptr};
}

template <Model M>
class Search {
    using State = typename M::State;
    using Action = typename M::Action;
    using Store = StateStore;
    using Index = typename Store::Index;
    using Clock = std::chrono::steady_clock;
    static constexpr int shards = Store::shards;
    static constexpr std::uint64_t none = std::numeric_limits<std::uint64_t>::max();

    // States of a level expanded between two looks at the clock, the limits and the checks.
    static constexpr std::uint64_t batch_size = 4096;
    // States of a batch a thread takes at a time (see claim_chunk): small enough that a thread
    // slowed down (by the machine, or by states with more successors) leaves little to wait for
    // at the end of the phase.
    static constexpr std::uint64_t chunk_size = 128;

    struct Candidate {  // a successor not stored when its batch began
        std::uint64_t hash;
        Index parent;
        detail::BatchSet::Place place;  // its bytes, in its thread's BatchSet
        Index stored = Store::no_parent;  // its index once the storing phase has stored it (no_parent: not stored)
        std::uint16_t rank;               // which of its parent's successors it is
    };
    // The first violation each check met in this batch: the state's place in its level (smaller
    // is found first whatever the thread count) and its index.
    struct Found {
        std::uint64_t key = none;
        Index index = 0;
        void offer(std::uint64_t k, Index i) {
            if (k < key) *this = {k, i};
        }
    };
    // The successors of one expanded state that are new to the batch, hashed and waiting for
    // take_successors; their bytes are in the thread's BatchSet.
    struct Successor {
        std::uint64_t hash;
        detail::BatchSet::Place place;
        std::uint16_t rank;  // which of the state's successors it is
    };
    struct Successors {
        std::vector<Successor> kept;
        Index index = 0;  // the expanded state's, in the store
    };
    // A chunk a worker expanded: where its candidates begin in the worker's outboxes and in the
    // list of their shards.
    struct Chunk {
        std::array<std::uint32_t, shards> begin;
        std::uint32_t first_made;
        std::uint32_t first_stored;  // where its new states begin in the worker's stored_order
    };
    // Who expanded a chunk of the batch: the worker, and which of its chunks it is.
    struct ChunkOwner {
        unsigned worker = 0;
        std::uint32_t place = 0;
    };
    // A candidate waiting to be stored, and the BatchSet holding its bytes.
    struct Pending {
        Candidate* candidate;
        const detail::BatchSet* seen;
    };
    struct Worker {
        std::array<std::vector<Candidate>, shards> out;  // by the shard each candidate belongs to
        std::vector<std::uint8_t> made_shards;           // the shard of each candidate, in the order they were made
        static_assert(shards <= 256, "a shard fits a byte");
        std::vector<Index> stored_order;                 // the new states of its chunks, in one-thread order
        std::vector<Chunk> chunks;                        // the chunks it expanded in this batch, in batch order
        std::vector<Pending> pending;                     // the candidates of the shard it is storing, in batch order
        std::array<Successors, 3> expanded;  // of the state being expanded and of the two before
        std::vector<std::byte> parent;       // the packed state being expanded, padded as pack_successor reads it
        std::vector<std::uint64_t> progress;     // of each state in `seen`, by its place
        std::unique_ptr<detail::BatchSet> seen;  // every state made in this batch, once (it cannot move: its arena)
        std::vector<Found> found;
        std::uint64_t transitions = 0;
        std::uint64_t added = 0;
        bool may_cycle = false;
        std::exception_ptr failure;
    };

public:
    Search(const M& model, const std::vector<Check<State>>& checks, const Options& options)
        : model_(model), checks_(checks), options_(options), codec_(model), store_(options.store, codec_.bytes()),
          workers_(std::max(1u, options.threads)), shares_(workers_.size()) {
        for (const auto& check : checks) {
            results_.push_back({check.id, check.kind, Verdict::Unknown, std::nullopt, ""});
        }
        list_open_checks();
        for (Worker& w : workers_) {
            w.found.resize(checks.size());
            w.seen = std::make_unique<detail::BatchSet>(codec_.bytes());
            w.parent.resize(padded_size(codec_.bytes()));
        }
    }

    Result<State, Action> run() {
        std::vector<std::byte> bytes(codec_.bytes());
        const std::byte* packed = bytes.data();
        for (const State& given : model_.initial_states()) {
            codec_.pack(stored_form(given), bytes.data());
            const std::uint64_t h = store_.hash(packed);
            if (store_.contains(packed, h)) continue;
            if (full(Store::shard_of(h), options_.limits.max_states != 0)) break;
            next_order_.push_back(store_.add(packed, h, Store::no_parent, 0));
        }
        settle_batch();
        std::vector<std::jthread> helpers;
        for (unsigned t = 1; t < workers_.size(); ++t) helpers.emplace_back([this, t] { help(t); });
        std::exception_ptr failure;
        try {
            explore_levels();
        } catch (...) {
            failure = std::current_exception();
        }
        done_ = true;
        sync_.arrive_and_wait();  // releases the helpers, which then end
        helpers.clear();
        if (failure) std::rethrow_exception(failure);
        check_unexpanded();
        return finish();
    }

private:
    // The state as stored: its representative when symmetry reduction is on.
    State stored_form(const State& state) const {
        if constexpr (SymmetricModel<M>) {
            if (options_.reductions.symmetry) return model_.representative(state);
        }
        return state;
    }

    // Packs the successor `action` makes from parent as stored: its representative (any state of
    // its class) with symmetry, else the successor itself, telling the model the step that made it.
    void pack_stored(const State& parent, const std::byte* parent_packed, const Action& action, const State& successor, std::byte* out) const {
        if constexpr (SymmetricModel<M>) {
            if (options_.reductions.symmetry) return codec_.pack_successor(parent, parent_packed, model_.representative(successor), out);
        }
        codec_.pack_successor(parent, parent_packed, action, successor, out);
    }

    // The successors to explore: an ample set's under partial-order reduction, else all.
    template <class F>
    void for_each_successor(const State& state, F&& visit) const {
        if constexpr (ReducibleModel<M>) {
            if (options_.reductions.partial_order) return model_.for_each_ample_successor(state, visit);
        }
        model_.for_each_successor(state, visit);
    }

    // ------------------------------------------------------------ levels and batches

    void explore_levels() {
        while (stop_reason_.empty()) {
            store_.start_level();
            order_level();
            const std::uint64_t level_states = level_order_.size();
            if (level_states == 0) return;
            for (batch_begin_ = 0; batch_begin_ < level_states && stop_reason_.empty(); batch_begin_ += batch_size) {
                batch_end_ = std::min(level_states, batch_begin_ + batch_size);
                chunk_owners_.resize((batch_end_ - batch_begin_ + chunk_size - 1) / chunk_size);
                share_chunks();
                next_shard_ = 0;
                sync_.arrive_and_wait();  // the batch is published
                run_phases(0);
                settle_batch();
            }
            ++level_;
        }
    }

    // A helper thread: the same phases as the coordinator, batch after batch.
    void help(unsigned t) {
        for (;;) {
            sync_.arrive_and_wait();
            if (done_) return;
            run_phases(t);
        }
    }

    void run_phases(unsigned t) {
        Worker& w = workers_[t];
        try {
            expand_chunks(t);
        } catch (...) {
            w.failure = std::current_exception();
        }
        sync_.arrive_and_wait();  // every successor of the batch made (and, on one thread, stored)
        try {
            if (!alone_) add_shards(t);
        } catch (...) {
            w.failure = std::current_exception();
        }
        sync_.arrive_and_wait();  // every new state stored
        if (alone_) return;
        try {
            note_stored_order(w);
        } catch (...) {
            w.failure = std::current_exception();
        }
        sync_.arrive_and_wait();  // every thread's new states in order
    }

    // The next level's states, in the order a one-thread search meets them (the order of their
    // keys): one thread noted them so as it stored them (see alone_), several after storing each
    // batch (note_stored_order, append_batch_order).
    void order_level() {
        level_order_.swap(next_order_);
        next_order_.clear();
    }

    // A successor's rank among its parent's, which the store keeps in fingerprint mode.
    static constexpr std::uint64_t max_rank = 0xffff;

    // Phase 1: expand chunks of the batch until none is left (claim_chunk); keep the successors not
    // yet stored. Within a run of chunks in batch order a thread meets the states it makes in the
    // order a one-thread search would, so its batch set drops the repeats; when it goes back to
    // chunks earlier in the batch (taken from another thread's share) it starts a new run.
    void expand_chunks(unsigned t) {
        Worker& w = workers_[t];
        w.seen->clear();
        w.progress.clear();
        std::uint64_t last = 0;
        for (std::optional<std::uint64_t> claimed; (claimed = claim_chunk(t));) {
            const std::uint64_t c = *claimed;
            if (c < last) w.seen->start_run();
            last = c;
            chunk_owners_[c] = {t, static_cast<std::uint32_t>(w.chunks.size())};
            Chunk& chunk = w.chunks.emplace_back();
            for (int s = 0; s < shards; ++s) chunk.begin[s] = static_cast<std::uint32_t>(w.out[s].size());
            chunk.first_made = static_cast<std::uint32_t>(w.made_shards.size());
            const std::uint64_t from = batch_begin_ + c * chunk_size;
            expand_chunk(w, from, std::min(batch_end_, from + chunk_size));
        }
    }

    // Each thread's share of the batch's chunks: a contiguous range, so that the states it makes
    // come from neighbouring parents and its batch set catches their repeats. Taking the next chunk
    // of the whole batch instead, the threads' chunks interleaved, made 58% more candidates for the
    // storing phase on two threads (15.8 M against 10.0 M on one, to 10 M states of all_connectors
    // at 3 alerts): repeats that one thread's set would have dropped, made once on each thread.
    // With shares, 12.0 M.
    void share_chunks() {
        const std::uint64_t n = chunk_owners_.size(), threads = workers_.size();
        for (std::uint64_t t = 0; t < threads; ++t) shares_[t] = {n * t / threads, n * (t + 1) / threads};
    }

    // The next chunk of a thread's share, or, when its share is done, the first of the back half of
    // the largest share left (which becomes its share): a thread slowed down (by the machine, or by
    // states with more successors) does not keep the others waiting at the end of the phase.
    std::optional<std::uint64_t> claim_chunk(unsigned t) {
        const std::lock_guard lock(shares_mutex_);  // a few dozen claims per batch: no contention to speak of
        auto& mine = shares_[t];
        if (mine.first == mine.second) {
            auto& largest = *std::ranges::max_element(shares_, {}, [](const auto& r) { return r.second - r.first; });
            if (largest.first == largest.second) return std::nullopt;
            const std::uint64_t middle = largest.first + (largest.second - largest.first) / 2;
            mine = {middle, largest.second};
            largest.second = middle;
        }
        return mine.first++;
    }

    // One thread looks a state's successors up two states later, so that the cache misses of a lookup
    // (a slot of the visited set, then the stored state it names) overlap with work instead of
    // coming one after the other: their slots are prefetched once the state's successors are
    // made (all together: one prefetch after each successor, as it was made, held the core up at
    // each in turn, 5% of the one-thread row's time on a machine whose memory is 150 to 350 ns
    // away), the stored states those slots name after the next state's successors are made (when
    // the slots have arrived: prefetching them at once waited for the slots), and they are looked
    // up after the one after. The next state to expand is prefetched as well.
    void expand_chunk(Worker& w, std::uint64_t from, std::uint64_t to) {
        const auto made = [&](std::uint64_t order) -> Successors& { return w.expanded[order % w.expanded.size()]; };
        for (std::uint64_t order = from; order < to; ++order) {
            const Index index = level_order_[order];
            if (order + 1 < to) detail::prefetch(level_state(level_order_[order + 1]));
            expand(w, made(order), unpack(level_state(index), w.parent), w.parent.data(), index, order);
            prefetch_slots(made(order));
            if (order > from) prefetch_states(made(order - 1));
            if (order > from + 1) take_successors(w, made(order - 2));
        }
        if (to - from > 1) take_successors(w, made(to - 2));
        prefetch_states(made(to - 1));
        take_successors(w, made(to - 1));
    }

    void prefetch_slots(const Successors& made) const {
        if (!alone_) return;  // several threads look their successors up in the storing phase
        for (const Successor& s : made.kept) store_.prefetch_slot(s.hash);
    }

    void prefetch_states(const Successors& made) const {
        if (!alone_) return;
        for (const Successor& s : made.kept) store_.prefetch_state(s.hash);
    }

    // A state of the level being expanded, by its index.
    const std::byte* level_state(Index index) const {
        return store_.level_state(static_cast<int>(index & (shards - 1)), index >> Store::shard_bits);
    }

    // Makes a state's successors, packed (knowing the state's own bytes, `packed`, padded) and hashed,
    // and keeps in `made.kept` those new to the batch.
    void expand(Worker& w, Successors& made, const State& state, const std::byte* packed, Index index, std::uint64_t order) {
        const std::uint64_t progress = model_.progress(state);
        bool fair_successor = false;
        std::size_t rank = 0;
        made.kept.clear();
        for_each_successor(state, [&](const Action& action, const State& successor) {
            if (rank > max_rank) throw std::length_error("a state has more than 65,536 successors");
            fair_successor = fair_successor || model_.is_fair(action);
            std::byte* spot = w.seen->spot();
            pack_stored(state, packed, action, successor, spot);
            const std::uint64_t h = store_.hash(spot);
            const auto before = w.seen->find_or_keep(h);
            if (successor_progress(w, successor, before) <= progress) w.may_cycle = true;
            if (!before) {
                made.kept.push_back({h, static_cast<detail::BatchSet::Place>(w.seen->size() - 1), static_cast<std::uint16_t>(rank)});
            }
            ++rank;
        });
        w.transitions += rank;
        made.index = index;
        check(w, PropertyKind::Invariant, state, order, index);
        if (!fair_successor) check(w, PropertyKind::Eventually, state, order, index);
    }

    // The progress measure of a successor, made `before` in this batch or not (then it has just
    // been kept). Most successors are states the batch made before (see batch_set.hpp), and the
    // same bytes are the same state, or with symmetry one of the same class, whose measure is the
    // same (model.hpp): the one computed then (computing it again was 9% of the instructions).
    std::uint64_t successor_progress(Worker& w, const State& successor, std::optional<detail::BatchSet::Place> before) {
        if (before) return w.progress[*before];
        w.progress.push_back(model_.progress(successor));
        return w.progress.back();
    }

    // One thread looks the successors new to the batch up in the visited set and stores those not
    // there at once: the storing phase would take them in that very order (see alone_). Several
    // threads keep them all as candidates for their shards' storing phase, which looks each up:
    // it has to anyway (two threads, or two runs of one, may make the same state), and looking
    // them up here as well cost two threads 8% more CPU time on the 27 M-state row.
    void take_successors(Worker& w, const Successors& made) {
        for (const Successor& s : made.kept) {
            if (!alone_) {
                const int shard = Store::shard_of(s.hash);
                w.out[shard].push_back({.hash = s.hash, .parent = made.index, .place = s.place, .rank = s.rank});
                w.made_shards.push_back(static_cast<std::uint8_t>(shard));
                continue;
            }
            const std::byte* packed = (*w.seen)[s.place];
            if (store_.contains(packed, s.hash)) continue;
            if (const auto stored = store_new(w, packed, s.hash, made.index, s.rank, options_.limits.max_states != 0)) next_order_.push_back(*stored);
        }
    }

    // Stores a state not stored yet, unless its shard is full or the state limit is reached
    // (then nullopt); its index.
    std::optional<Index> store_new(Worker& w, const std::byte* packed, std::uint64_t h, Index parent, std::uint16_t rank, bool counted) {
        const int shard = Store::shard_of(h);
        if (full(shard, counted)) return std::nullopt;
        ++w.added;
        return store_.add(packed, h, parent, rank);
    }

    // Phase 2: store the new states of the shards this thread takes (the next one not taken,
    // until none is left), each shard's in batch order. The visited set's slot of a candidate a
    // few places ahead is prefetched while one is stored.
    static constexpr std::size_t prefetch_distance = 8;
    void add_shards(unsigned t) {
        Worker& w = workers_[t];
        const bool counted = limit_within_reach();
        add_candidates(w, counted);
        if (!counted) stored_.fetch_add(w.added, std::memory_order_relaxed);
    }

    // Whether the batch's candidates, were they all new, could pass the state limit: only then is
    // each state counted against it as it is stored. Counting every state on one counter made
    // the threads wait for each other's cache line (6% of two threads' CPU time to 10 M states).
    // A thread that finds the limit out of reach knows that no state of the batch can pass it,
    // whatever the other thread does, so the two may decide differently.
    bool limit_within_reach() const {
        const std::uint64_t max = options_.limits.max_states;
        if (max == 0) return false;
        std::uint64_t candidates = 0;
        for (const Worker& w : workers_)
            for (const auto& out : w.out) candidates += out.size();
        return stored_.load(std::memory_order_relaxed) + candidates > max;
    }

    // Phase 2's loop (see add_shards).
    void add_candidates(Worker& w, bool counted) {
        for (int shard; (shard = next_shard_.fetch_add(1, std::memory_order_relaxed)) < shards;) {
            gather(w.pending, shard);
            for (std::size_t i = 0; i < w.pending.size(); ++i) {
                if (i + prefetch_distance < w.pending.size()) store_.prefetch_slot(w.pending[i + prefetch_distance].candidate->hash);
                Candidate& c = *w.pending[i].candidate;
                const std::byte* packed = (*w.pending[i].seen)[c.place];
                if (store_.contains(packed, c.hash)) continue;  // reached twice in this batch
                const std::optional<Index> stored = store_new(w, packed, c.hash, c.parent, c.rank, counted);
                if (!stored) return;
                c.stored = *stored;
            }
        }
    }

    // A shard's candidates of the batch, chunk after chunk.
    void gather(std::vector<Pending>& pending, int shard) {
        pending.clear();
        for (const ChunkOwner& owner : chunk_owners_) {
            Worker& from = workers_[owner.worker];
            std::vector<Candidate>& out = from.out[shard];
            const auto [begin, end] = chunk_span(from, owner.place, [&](const Chunk& c) { return c.begin[shard]; }, out.size());
            for (std::size_t i = begin; i < end; ++i) pending.push_back({&out[i], from.seen.get()});
        }
    }

    // Reserves room for one more state in a shard (and, when `counted`, under the state limit):
    // true (and the flag saying why) when there is none.
    bool full(int shard, bool counted) {
        if (store_.shard_size(shard) >= Store::shard_capacity) {
            store_full_ = true;
            return true;
        }
        if (counted && count_stored() >= options_.limits.max_states) {
            full_ = true;
            return true;
        }
        return false;
    }

    // Counts one more state against the state limit; the count before it. One thread needs no
    // atomic read-modify-write, which waits for all the thread's pending stores.
    std::uint64_t count_stored() {
        if (!alone_) return stored_.fetch_add(1);
        const std::uint64_t before = stored_.load(std::memory_order_relaxed);
        stored_.store(before + 1, std::memory_order_relaxed);
        return before;
    }

    // Evaluates the checks of one kind that are not yet violated on one state.
    void check(Worker& w, PropertyKind kind, const State& state, std::uint64_t key, Index index) {
        for (const std::size_t c : open_checks_[static_cast<std::size_t>(kind)])
            if (!checks_[c].holds(state)) w.found[c].offer(key, index);
    }

    // The checks of each kind not violated yet, which check() evaluates: verdicts change only in
    // take_found, between batches.
    void list_open_checks() {
        for (auto& open : open_checks_) open.clear();
        for (std::size_t c = 0; c < checks_.size(); ++c)
            if (results_[c].verdict != Verdict::Violated) open_checks_[static_cast<std::size_t>(checks_[c].kind)].push_back(c);
    }

    // Between batches, on one thread: gathers what the workers found and decides whether to go on.
    void settle_batch() {
        for (const Worker& w : workers_)
            if (w.failure) std::rethrow_exception(w.failure);  // before reading what a failed phase left half done
        if (!alone_) append_batch_order();
        for (Worker& w : workers_) {
            stats_.transitions += w.transitions;
            may_cycle_ = may_cycle_ || w.may_cycle;
            if (w.added) stats_.depth = level_ + 1;
            w.transitions = w.added = 0;
            for (auto& out : w.out) out.clear();
            w.made_shards.clear();
            w.chunks.clear();
        }
        take_found();
        if (full_) stop_reason_ = "state limit " + std::to_string(options_.limits.max_states) + " reached";
        else if (store_full_) stop_reason_ = "state store capacity reached (a shard holds 2^26 states)";
        else if (!checks_.empty() && violated_ == checks_.size()) stop_reason_ = "every property already violated";
        else limit_reached();
    }

    // Phase 3 (several threads): the new states of the chunks a thread expanded, in the order a
    // one-thread search stores them: each chunk's candidates as they were made, those the storing
    // phase stored (the first of each state's, in batch order). settle_batch appends them to the
    // next level's order chunk after chunk (append_batch_order). Sorting each level by the
    // states' keys instead was 3% of two threads' time; walking every chunk in settle_batch,
    // the other thread waiting, 3% as well.
    void note_stored_order(Worker& w) {
        w.stored_order.clear();
        for (std::size_t c = 0; c < w.chunks.size(); ++c) {
            Chunk& chunk = w.chunks[c];
            chunk.first_stored = static_cast<std::uint32_t>(w.stored_order.size());
            std::array<std::uint32_t, shards> at = chunk.begin;
            const auto [begin, end] = chunk_span(w, c, &Chunk::first_made, w.made_shards.size());
            for (std::size_t i = begin; i < end; ++i) {
                const std::uint8_t shard = w.made_shards[i];
                const Index stored = w.out[shard][at[shard]++].stored;
                if (stored != Store::no_parent) w.stored_order.push_back(stored);
            }
        }
    }

    void append_batch_order() {
        for (const ChunkOwner& owner : chunk_owners_) {
            const Worker& w = workers_[owner.worker];
            const auto [begin, end] = chunk_span(w, owner.place, &Chunk::first_stored, w.stored_order.size());
            next_order_.insert(next_order_.end(), w.stored_order.begin() + static_cast<std::ptrdiff_t>(begin),
                               w.stored_order.begin() + static_cast<std::ptrdiff_t>(end));
        }
    }

    // Where a worker's chunk (by its place among the worker's chunks) begins and ends in one of
    // the worker's lists: from where `first` says it begins to where the next chunk begins, or
    // to the list's end for its last chunk.
    template <class First>
    static std::pair<std::size_t, std::size_t> chunk_span(const Worker& w, std::size_t place, First first, std::size_t list_size) {
        const std::size_t next = place + 1;
        return {std::invoke(first, w.chunks[place]), next < w.chunks.size() ? std::invoke(first, w.chunks[next]) : list_size};
    }

    // Marks each check the workers found violated, with a trace to the first violation found.
    void take_found() {
        for (std::size_t c = 0; c < checks_.size(); ++c) {
            Found first;
            for (Worker& w : workers_) {
                first.offer(w.found[c].key, w.found[c].index);
                w.found[c] = {};
            }
            if (first.key == none) continue;
            results_[c].verdict = Verdict::Violated;
            results_[c].trace = trace_to(first.index);
            ++violated_;
        }
        list_open_checks();
    }

    // Invariants are checked on a state when it is expanded. When a limit stops the search, the
    // states stored but not expanded (the rest of the level, then the next level) are checked
    // here, level by level and each in one-thread order, so that a violation among the states
    // stored is reported whatever stopped the search, and a shortest one.
    void check_unexpanded() {
        const auto open_invariant = [&](std::size_t c) {
            return checks_[c].kind == PropertyKind::Invariant && results_[c].verdict != Verdict::Violated;
        };
        if (stop_reason_.empty() || !std::ranges::any_of(std::views::iota(std::size_t{0}, checks_.size()), open_invariant)) return;
        Worker& w = workers_[0];
        for (std::uint64_t order = batch_end_; order < level_order_.size(); ++order)
            check(w, PropertyKind::Invariant, unpack(level_state(level_order_[order]), w.parent), order, level_order_[order]);
        take_found();
        for (std::uint64_t order = 0; order < next_order_.size(); ++order)
            check(w, PropertyKind::Invariant, unpack(store_.next_level_state(next_order_[order]), w.parent), order, next_order_[order]);
        take_found();
    }

    // A stored state, copied into `padded` (padded_size bytes) for the model to unpack.
    State unpack(const std::byte* stored, std::vector<std::byte>& padded) const {
        detail::copy_bytes(padded.data(), stored, codec_.bytes());
        return codec_.unpack(padded.data());
    }

    // The path to a stored state. Its states are the stored ones (exact mode) or those reached by
    // taking, from its initial state, the successor of each rank stored (fingerprint mode); the
    // actions are those that lead from each state to the next.
    Trace<State, Action> trace_to(Index index) const {
        const std::vector<Index> path = store_.path_to(index);
        std::vector<std::byte> padded(padded_size(codec_.bytes()));
        Trace<State, Action> trace{{unpack(store_.state(path.front()), padded)}, {}};
        std::vector<std::byte> packed(codec_.bytes());
        for (std::size_t i = 1; i < path.size(); ++i) {
            std::optional<std::pair<Action, State>> step;
            std::uint64_t rank = 0;
            for_each_successor(trace.states.back(), [&](const Action& action, const State& successor) {
                if (step) return;
                const State stored = stored_form(successor);
                if (store_.mode() == StoreMode::Fingerprint) {
                    if (rank++ == store_.rank(path[i])) step.emplace(action, stored);
                    return;
                }
                codec_.pack(stored, packed.data());
                if (std::memcmp(packed.data(), store_.state(path[i]), packed.size()) == 0) step.emplace(action, stored);
            });
            if (!step) throw std::logic_error("a stored step is not a successor on replay: the model is not deterministic");
            trace.actions.push_back(step->first);
            trace.states.push_back(step->second);
        }
        return trace;
    }

    // Checks the time and memory limits and Ctrl-C, and reports progress about once a second.
    void limit_reached() {
        if (options_.interrupt && options_.interrupt->load(std::memory_order_relaxed)) {
            stop_reason_ = "interrupted";
            return;
        }
        const Limits& limits = options_.limits;
        const double elapsed = seconds();
        if (limits.time_limit_seconds > 0 && elapsed >= limits.time_limit_seconds) {
            stop_reason_ = "time limit " + shortest(limits.time_limit_seconds) + " s reached";
            return;
        }
        // RSS sees everything the process holds; the store's own estimate also counts memory
        // it has reserved but not yet touched.
        if (limits.max_memory_bytes > 0 && std::max(resident_bytes(), store_.bytes()) >= limits.max_memory_bytes) {
            stop_reason_ = "memory limit " + shortest(static_cast<double>(limits.max_memory_bytes) / (1 << 20)) + " MiB reached";
            return;
        }
        if (options_.on_progress && elapsed >= next_report_) {
            next_report_ = elapsed + 1;
            options_.on_progress(stats());
        }
    }

    double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

    Stats stats() {
        stats_.states = store_.size();
        stats_.seconds = seconds();
        stats_.peak_memory_bytes = peak_resident_bytes();
        stats_.store_bytes = store_.bytes();
        stats_.state_bytes = store_.state_bytes();
        stats_.collision_probability = store_.collision_probability();
        stats_.threads = static_cast<unsigned>(workers_.size());
        return stats_;
    }

    Result<State, Action> finish() {
        Result<State, Action> result{stats(), std::move(results_)};
        result.stats.complete = stop_reason_.empty();
        result.stats.stop_reason = stop_reason_;
        for (auto& check : result.checks) {
            if (check.verdict == Verdict::Violated) {  // a real run reaches it: final
                lift_trace(check);
                continue;
            }
            std::string& note = check.note;
            note = stop_reason_;
            if (check.kind == PropertyKind::Eventually && may_cycle_) {
                note += (note.empty() ? "" : "; ") + std::string(cycle_note);
            }
            check.verdict = note.empty() ? Verdict::Holds : Verdict::Unknown;
        }
        return result;
    }

    // Traces found on representatives become runs of the unreduced model, so they replay as is.
    void lift_trace(CheckResult<State, Action>& check) const {
        if constexpr (SymmetricModel<M>) {
            if (!options_.reductions.symmetry) return;
            auto run = lift(model_, *check.trace);
            if (!run) throw std::logic_error("symmetry reduction: a counterexample did not lift onto the model");
            check.trace = std::move(*run);
        }
    }

    const M& model_;
    const std::vector<Check<State>>& checks_;
    const Options& options_;
    const Codec<M> codec_;
    const Clock::time_point start_ = Clock::now();
    Store store_;
    std::vector<Worker> workers_;
    detail::SpinningBarrier sync_{static_cast<unsigned>(workers_.size())};
    std::array<std::vector<std::size_t>, 2> open_checks_;  // by PropertyKind
    std::atomic<bool> done_{false};
    // One thread stores each new state as soon as it is looked up, which is the order the storing
    // phase would take it in (its chunks are in batch order and so are their successors): the
    // candidates' copies and gathering are not needed (take_successors).
    const bool alone_ = workers_.size() == 1;
    std::atomic<std::uint64_t> stored_{0};  // states stored or reserved, against the state limit (see limit_within_reach)
    std::atomic<bool> full_{false}, store_full_{false};
    std::vector<Index> level_order_;                          // the level being expanded, in one-thread order
    std::vector<Index> next_order_;                           // the next level's, in one-thread order
    std::uint64_t batch_begin_ = 0, batch_end_ = 0;
    std::vector<ChunkOwner> chunk_owners_;  // of each chunk of the batch
    std::vector<std::pair<std::uint64_t, std::uint64_t>> shares_;  // by thread: the chunks [first, second) it has still to take
    std::mutex shares_mutex_;
    std::atomic<int> next_shard_{0};            // the first shard no thread has taken
    std::vector<CheckResult<State, Action>> results_;
    std::size_t violated_ = 0;
    std::uint32_t level_ = 0;  // BFS level being expanded
    bool may_cycle_ = false;   // some transition did not increase progress
    Stats stats_;
    std::string stop_reason_;
    double next_report_ = 1;
};

// A smaller model to explore instead, and which reductions gave it.
template <class M>
struct Smaller {
    std::optional<M> model;  // nullopt: none applies
    bool cutoff = false, sliced = false;
};

// The smaller model the options allow: the model's cutoff, then the slice of that for what the
// checks read.
template <Model M>
Smaller<M> smaller_model(const M& model, const std::vector<Check<typename M::State>>& checks, const Reductions& reductions) {
    std::uint32_t reads = 0;
    for (const auto& check : checks) reads |= check.reads;
    Smaller<M> smaller;
    if constexpr (CutoffModel<M>) {
        if (reductions.cutoff) smaller.model = model.cutoff(reads);
        smaller.cutoff = smaller.model.has_value();
    }
    if constexpr (SliceableModel<M>) {
        if (reductions.slicing)
            if (std::optional<M> slice = (smaller.model ? *smaller.model : model).sliced(reads)) {
                smaller.model = std::move(slice);
                smaller.sliced = true;
            }
    }
    return smaller;
}

// The search on a smaller model (its cutoff or slice), its counterexamples carried back onto the
// model and verified there; nullopt when the model has nothing smaller for these checks.
template <Model M>
std::optional<Result<typename M::State, typename M::Action>> explore_smaller(const M& model,
                                                                            const std::vector<Check<typename M::State>>& checks,
                                                                            const Options& options) {
    const Smaller<M> smaller = smaller_model(model, checks, options.reductions);
    if (!smaller.model) return std::nullopt;
    auto result = Search<M>(*smaller.model, checks, options).run();
    result.stats.sliced = smaller.sliced;
    result.stats.cutoff = smaller.cutoff;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        auto& trace = result.checks[i].trace;
        if (!trace) continue;
        trace = carry_over(model, checks[i], *trace);
        if (!trace) throw std::logic_error("a counterexample on the model's cutoff or slice did not carry over onto the model");
    }
    return result;
}

}  // namespace detail

template <Model M>
Result<typename M::State, typename M::Action> explore(const M& model,
                                                      const std::vector<Check<typename M::State>>& checks,
                                                      const Options& options = {}) {
    if (auto result = detail::explore_smaller(model, checks, options)) return std::move(*result);
    return detail::Search<M>(model, checks, options).run();
}

}  // namespace alertflow::checker
