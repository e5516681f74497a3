#pragma once
// What one exploration found: a verdict per check, with a trace for each violation, and stats.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/property.hpp"

namespace alertflow::checker {

// Holds only after a complete exploration (and, for eventually-properties, a graph shown to be
// acyclic); Unknown says why not in CheckResult::note. Violated is always backed by a trace.
enum class Verdict { Holds, Violated, Unknown };

// states.size() == actions.size() + 1; actions[i] leads from states[i] to states[i + 1].
// states.front() is an initial state; a trace found by explore is as short as possible in the
// graph it explored (partial-order reduction explores a subgraph).
template <class State, class Action>
struct Trace {
    std::vector<State> states;
    std::vector<Action> actions;
};

template <class State, class Action>
struct CheckResult {
    std::string id;
    PropertyKind kind = PropertyKind::Invariant;
    Verdict verdict = Verdict::Unknown;
    std::optional<Trace<State, Action>> trace;  // set iff verdict == Violated
    std::string note;                           // why Unknown; empty otherwise
};

struct Stats {
    std::uint64_t states = 0;       // distinct states stored
    std::uint64_t transitions = 0;  // successors generated, including already-seen ones
    std::uint32_t depth = 0;        // deepest BFS level reached; initial states are level 0
    double seconds = 0;
    std::uint64_t peak_memory_bytes = 0;  // the whole process's peak resident memory
    std::uint64_t store_bytes = 0;        // what the visited set and parent links hold
    std::uint64_t state_bytes = 0;        // one state as the checker keeps it (packed, when the model packs)
    double collision_probability = 0;     // fingerprint mode: a bound on the chance a state was missed
    unsigned threads = 1;
    bool sliced = false;                  // the model's slice for what the checks read was explored (SliceableModel)
    bool cutoff = false;                  // the model's cutoff, a smaller instance, was explored (CutoffModel)
    bool complete = false;                // every reachable state was expanded
    std::string stop_reason;              // why not complete; empty when complete

    double states_per_second() const { return seconds > 0 ? static_cast<double>(states) / seconds : 0; }
};

template <class State, class Action>
struct Result {
    Stats stats;
    std::vector<CheckResult<State, Action>> checks;  // in the order the checks were given
};

}  // namespace alertflow::checker
