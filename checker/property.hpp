#pragma once
// A property as the checker sees it: a name, a kind and a predicate on one state.
#include <cstdint>
#include <functional>
#include <string>

namespace alertflow::checker {

// Invariant: holds in every reachable state.
// Eventually: holds at the end of every complete run. A state ends a complete run iff no fair
// action is enabled in it (unfair actions may simply never happen). This is only sound when
// every run is finite, which the checker verifies through the model's progress measure.
enum class PropertyKind { Invariant, Eventually };

// `reads` says which of the model's facts the predicate reads, as bits the model defines (see
// SliceableModel and CutoffModel); every bit set means "anything", which is always safe.
template <class State>
struct Check {
    std::string id;
    PropertyKind kind = PropertyKind::Invariant;
    std::function<bool(const State&)> holds;
    std::uint32_t reads = ~std::uint32_t{0};
};

}  // namespace alertflow::checker
