#pragma once
// Replaying an action list (a counterexample) on the model, independently of any exploration.
#include <optional>
#include <type_traits>
#include <vector>

#include "checker/model.hpp"
#include "checker/result.hpp"
#include "checker/store.hpp"

namespace alertflow::checker {

// The states a run passes through when it follows `actions` from `initial`, each successor
// passed through `as_stored` (the identity, or the representative a reduced search stored);
// nullopt if an action is not enabled on the way. An action is matched by its bytes among the
// successors; if two successors of one state carry the same action, the first is followed (a
// model whose actions name their effect has no such pair).
template <Model M, class F>
std::optional<std::vector<typename M::State>> replay_from(const M& model, const typename M::State& initial,
                                                          const std::vector<typename M::Action>& actions, F&& as_stored) {
    using State = typename M::State;
    using Action = typename M::Action;
    static_assert(std::has_unique_object_representations_v<Action>,
                  "replay matches actions by their bytes, so Action must have no padding bytes");
    std::vector<State> states{initial};
    for (const Action& wanted : actions) {
        std::optional<State> next;
        model.for_each_successor(states.back(), [&](const Action& action, const State& successor) {
            if (!next && detail::same_bytes(action, wanted)) next = as_stored(successor);
        });
        if (!next) return std::nullopt;
        states.push_back(*next);
    }
    return states;
}

// Follows `actions` from the first initial state, in the model's order, from which every one
// of them is enabled, and returns the state reached; nullopt if there is no such initial state.
template <Model M>
std::optional<typename M::State> replay(const M& model, const std::vector<typename M::Action>& actions) {
    using State = typename M::State;
    for (const State& initial : model.initial_states())
        if (auto states = replay_from(model, initial, actions, [](const State& s) { return s; })) return states->back();
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
