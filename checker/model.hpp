#pragma once
// What the checker needs from a model, and nothing more: it never sees the domain.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <ranges>
#include <type_traits>

namespace alertflow::checker {

// States are stored, hashed and compared as raw bytes, so they must be plain values whose
// bytes are their whole meaning (no padding, no pointers to elsewhere). for_each_successor
// calls back once per enabled action, always in the same order, so runs are reproducible.
// progress is a measure the model claims strictly grows along every transition: the checker
// verifies the claim, because eventually-properties are only sound on an acyclic graph.
template <class M>
concept Model = requires(const M& m, const typename M::State& s, const typename M::Action& a) {
    requires std::is_trivially_copyable_v<typename M::State>;
    requires std::has_unique_object_representations_v<typename M::State>;
    requires std::is_trivially_copyable_v<typename M::Action>;
    { m.initial_states() } -> std::ranges::range;
    requires std::convertible_to<std::ranges::range_value_t<decltype(m.initial_states())>,
                                 typename M::State>;
    m.for_each_successor(s, [](const typename M::Action&, const typename M::State&) {});
    { m.is_fair(a) } -> std::convertible_to<bool>;  // an enabled fair action must eventually be taken
    { m.progress(s) } -> std::convertible_to<std::uint64_t>;
};

// A model whose states fall into classes that behave alike (symmetric states with
// interchangeable alerts, say, or histories that differ only in what nothing reads) may offer a
// representative of each state's class. With Options::symmetry the checker stores
// representatives only. This is sound for checks that cannot tell the members of a class apart
// when the classes are a bisimulation (equivalent states have equivalent successors); the
// representative must be a pure function of the state and a member of its class, and the
// progress measure the same on every member (the checker takes a stored state's measure from
// the first member it met in a batch). Counterexamples are lifted back onto the unreduced model
// (lift in replay.hpp), so they replay as they are.
template <class M>
concept SymmetricModel = Model<M> && requires(const M& m, const typename M::State& s) {
    { m.representative(s) } -> std::convertible_to<typename M::State>;
};

// A model may offer a partial-order reduction: for_each_ample_successor visits the successors by
// an ample subset of the enabled actions. With Options::reductions.partial_order the checker
// explores those only. The model answers for soundness: the ample actions must commute with
// every action outside the set along every path (and not be enabled or disabled by them),
// contain a fair action whenever they are not all the enabled ones (so no complete run can end
// without them), and leave the checks' verdicts intact (the model documents which checks).
// Counterexamples are real runs of the model, but may be longer than the shortest.
template <class M>
concept ReducibleModel = Model<M> && requires(const M& m, const typename M::State& s) {
    m.for_each_ample_successor(s, [](const typename M::Action&, const typename M::State&) {});
};

// A model may offer slices (cone-of-influence reduction): sliced(reads) is the model without the
// actions that only change facts no check reads (`reads`: the union of the checks' Check::reads)
// and nothing left in the slice reads either, or nullopt when nothing can be left out. With
// Options::reductions.slicing the checker explores the slice. The model answers for soundness:
// the slice has the same initial states, its actions are the model's own (enabled and with the
// same effect on what the checks read whatever the left-out facts hold), and the left-out fair
// actions can always complete a run without changing anything a check reads. Then the values
// the checks read, in reachable states and at the ends of complete runs, are the same. The
// checker carries counterexamples onto the model (carry_over in replay.hpp) and verifies them.
template <class M>
concept SliceableModel = Model<M> && requires(const M& m, std::uint32_t reads) {
    { m.sliced(reads) } -> std::convertible_to<std::optional<M>>;
};

// A model of interchangeable processes may offer a cutoff: cutoff(reads) is a smaller instance
// (fewer processes, the same environment) whose verdicts are the model's for checks that read
// only `reads` (the union of their Check::reads), or nullopt when it has none for them.
// With Options::reductions.cutoff the checker explores the cutoff instead. The model answers for
// soundness, for the checks it is asked about: typically processes that never read or write one
// another's part, and checks that are conjunctions over processes of facts about one process and
// the environment, so that a violation in the model projects onto one process of the cutoff and
// a run of the cutoff is a run of the model. The cutoff's initial states must be the model's and
// its actions the model's own: the checker carries counterexamples onto the model as it does a
// slice's (carry_over in replay.hpp) and verifies them there.
template <class M>
concept CutoffModel = Model<M> && requires(const M& m, std::uint32_t reads) {
    { m.cutoff(reads) } -> std::convertible_to<std::optional<M>>;
};

// A model may offer a compact form of its states: packed_size() bytes that pack writes and unpack
// reads back into the same state (a bijection on the reachable states). The checker then stores,
// hashes and compares packed states only; what the model computes with stays a plain value.
// unpack's buffer is padded to whole words (padded_size), the padding whatever it holds, so that
// it reads words, not a state's last few bytes one by one.
inline constexpr std::size_t padded_size(std::size_t bytes) { return (bytes + 7) / 8 * 8; }

template <class M>
concept CompactModel = Model<M> && requires(const M& m, const typename M::State& s, std::byte* out, const std::byte* in) {
    { m.packed_size() } -> std::convertible_to<std::size_t>;
    m.pack(s, out);
    { m.unpack(in) } -> std::convertible_to<typename M::State>;
};

// A compact model may pack a successor faster knowing its parent and the parent's packed form:
// pack_successor(parent, parent_packed, successor, out) must write what pack(successor, out)
// would (typically it packs anew only the parts the step changed), for any state `successor`
// (a representative, say); pack_successor(parent, parent_packed, action, successor, out) the
// same for the successor `action` makes from parent, which tells the model which parts may
// have changed without comparing them all. Both buffers are padded to
// whole words (padded_size): it may read the parent's padding, whatever it holds, and write
// anything into out's, so that it moves words, not a state's last few bytes one by one.

template <class M>
concept IncrementalCompactModel = CompactModel<M> && requires(const M& m, const typename M::State& s, const typename M::Action& a,
                                                              std::byte* out, const std::byte* in) {
    m.pack_successor(s, in, s, out);
    m.pack_successor(s, in, a, s, out);
};

// The bytes the checker keeps of a state: the model's packed form, or the state's own bytes.
template <Model M>
class Codec {
public:
    using State = typename M::State;
    explicit Codec(const M& model) : model_(model) {}

    std::size_t bytes() const {
        if constexpr (CompactModel<M>) return model_.packed_size();
        return sizeof(State);
    }
    void pack(const State& s, std::byte* out) const {
        if constexpr (CompactModel<M>) model_.pack(s, out);
        else std::memcpy(out, &s, sizeof(State));
    }
    // What pack(successor, out) writes, for a successor of parent (whose bytes are parent_packed);
    // both buffers have padded_size(bytes()) bytes, and out's padding may be written.
    void pack_successor(const State& parent, const std::byte* parent_packed, const State& successor, std::byte* out) const {
        if constexpr (IncrementalCompactModel<M>) model_.pack_successor(parent, parent_packed, successor, out);
        else pack(successor, out);
    }
    // The same for the successor `action` makes from parent.
    void pack_successor(const State& parent, const std::byte* parent_packed, const typename M::Action& action, const State& successor,
                        std::byte* out) const {
        if constexpr (IncrementalCompactModel<M>) model_.pack_successor(parent, parent_packed, action, successor, out);
        else pack(successor, out);
    }
    // From bytes() bytes padded to padded_size(bytes()), the padding whatever it holds.
    State unpack(const std::byte* in) const {
        if constexpr (CompactModel<M>) return model_.unpack(in);
        State s;
        std::memcpy(&s, in, sizeof(State));
        return s;
    }

private:
    const M& model_;
};

}  // namespace alertflow::checker
