#pragma once
// Replaying an action list (a counterexample) on the model, independently of any exploration.
#include <cstring>
#include <optional>
#include <type_traits>
#include <vector>

#include "checker/model.hpp"
#include "checker/result.hpp"

namespace alertflow::checker {

namespace detail {
// Only meaningful for types with unique object representations (no padding bytes).
template <class T>
bool same_bytes(const T& a, const T& b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}
}  // namespace detail

// Follows `actions` from the first initial state, in the model's order, from which every one
// of them is enabled, and returns the state reached; nullopt if there is no such initial state.
// An action is matched by its bytes among the successors; if two successors of one state carry
// the same action, the first is followed (a model whose actions name their effect has no such
// pair).
template <Model M>
std::optional<typename M::State> replay(const M& model, const std::vector<typename M::Action>& actions) {
    using State = typename M::State;
    using Action = typename M::Action;
    static_assert(std::has_unique_object_representations_v<Action>,
                  "replay matches actions by their bytes, so Action must have no padding bytes");
    for (const State& initial : model.initial_states()) {
        std::optional<State> state = initial;
        for (const Action& wanted : actions) {
            std::optional<State> next;
            model.for_each_successor(*state, [&](const Action& action, const State& successor) {
                if (!next && detail::same_bytes(action, wanted)) next = successor;
            });
            state = next;
            if (!state) break;
        }
        if (state) return state;
    }
    return std::nullopt;
}

// A trace found on representatives (states[i+1] is the representative of a successor of
// states[i]) turned into a run of the unreduced model: from a real initial state whose
// representative is states[0], each step takes the first action whose successor has the next
// representative. Symmetric states have symmetric successors, so such an action always exists
// and the lifted run is as long as the trace; nullopt would mean the symmetry is not one.
template <SymmetricModel M>
std::optional<Trace<typename M::State, typename M::Action>> lift(const M& model,
                                                                  const Trace<typename M::State, typename M::Action>& trace) {
    using State = typename M::State;
    using Action = typename M::Action;
    for (const State& initial : model.initial_states()) {
        if (!detail::same_bytes(State(model.representative(initial)), trace.states.front())) continue;
        Trace<State, Action> run{{initial}, {}};
        for (std::size_t i = 0; i + 1 < trace.states.size(); ++i) {
            std::optional<std::pair<Action, State>> step;
            model.for_each_successor(run.states.back(), [&](const Action& action, const State& successor) {
                if (!step && detail::same_bytes(State(model.representative(successor)), trace.states[i + 1]))
                    step.emplace(action, successor);
            });
            if (!step) return std::nullopt;
            run.actions.push_back(step->first);
            run.states.push_back(step->second);
        }
        return run;
    }
    return std::nullopt;
}

}  // namespace alertflow::checker
