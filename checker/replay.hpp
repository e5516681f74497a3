#pragma once
// Replaying an action list (a counterexample) on the model, independently of any exploration.
#include <cstring>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "checker/model.hpp"
#include "checker/property.hpp"
#include "checker/result.hpp"

namespace alertflow::checker {

namespace detail {
// Only meaningful for types with unique object representations (no padding bytes).
template <class T>
bool same_bytes(const T& a, const T& b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}
}  // namespace detail

// The run that follows `actions` from the first initial state, in the model's order, from which
// every one of them is enabled; nullopt if there is no such initial state. An action is matched
// by its bytes among the successors; if two successors of one state carry the same action, the
// first is followed (a model whose actions name their effect has no such pair).
template <Model M>
std::optional<Trace<typename M::State, typename M::Action>> rerun(const M& model, const std::vector<typename M::Action>& actions) {
    using State = typename M::State;
    using Action = typename M::Action;
    static_assert(std::has_unique_object_representations_v<Action>,
                  "replay matches actions by their bytes, so Action must have no padding bytes");
    for (const State& initial : model.initial_states()) {
        Trace<State, Action> run{{initial}, {}};
        for (const Action& wanted : actions) {
            std::optional<State> next;
            model.for_each_successor(run.states.back(), [&](const Action& action, const State& successor) {
                if (!next && detail::same_bytes(action, wanted)) next = successor;
            });
            if (!next) break;
            run.actions.push_back(wanted);
            run.states.push_back(*next);
        }
        if (run.actions.size() == actions.size()) return run;
    }
    return std::nullopt;
}

// The state `actions` lead to (see rerun).
template <Model M>
std::optional<typename M::State> replay(const M& model, const std::vector<typename M::Action>& actions) {
    auto run = rerun(model, actions);
    if (!run) return std::nullopt;
    return run->states.back();
}

// Extends a run to the end of a complete run: the first enabled fair action, in the model's
// order, until none is left. False if a step does not increase the progress measure (then the
// model may cycle and the extension need not end).
template <Model M>
bool run_to_end(const M& model, Trace<typename M::State, typename M::Action>& run) {
    using State = typename M::State;
    using Action = typename M::Action;
    for (;;) {
        std::optional<std::pair<Action, State>> step;
        model.for_each_successor(run.states.back(), [&](const Action& action, const State& successor) {
            if (!step && model.is_fair(action)) step.emplace(action, successor);
        });
        if (!step) return true;
        if (model.progress(step->second) <= model.progress(run.states.back())) return false;
        run.actions.push_back(step->first);
        run.states.push_back(step->second);
    }
}

// A counterexample found on a slice of the model (SliceableModel) as a run of the model itself:
// the same actions, then, for an eventually-check, the left-out work completing the run. It is
// checked, not trusted: nullopt unless the run exists and still violates the check at its end.
template <Model M>
std::optional<Trace<typename M::State, typename M::Action>> carry_over(const M& model, const Check<typename M::State>& check,
                                                                        const Trace<typename M::State, typename M::Action>& trace) {
    auto run = rerun(model, trace.actions);
    if (!run || (check.kind == PropertyKind::Eventually && !run_to_end(model, *run))) return std::nullopt;
    if (check.holds(run->states.back())) return std::nullopt;
    return run;
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
