#pragma once
// Exhaustive breadth-first exploration that evaluates every check in one pass.
//
// Invariants are evaluated on each distinct state when it is first reached, eventually-checks
// on each state that ends a complete run (no fair successor) when it is expanded; BFS order
// makes the first violation found a shortest counterexample. Nothing is reported as holding
// unless the whole reachable graph was explored, and eventually-checks additionally need every
// transition to increase the model's progress measure (no cycles, so every run is finite).
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

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

struct Options {
    Limits limits;
    std::function<void(const Stats&)> on_progress = nullptr;  // about once a second, with the stats so far
    bool symmetry = false;  // store one representative per symmetry class (SymmetricModel only)
    const std::atomic<bool>* interrupt = nullptr;  // set (e.g. by a SIGINT handler) to stop: verdicts unknown
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
    using Store = StateStore<State, Action>;
    using Index = typename Store::Index;
    using Clock = std::chrono::steady_clock;

    // Clock, memory and progress are looked at once per this much work (expansions plus
    // transitions), so a model with many successors per state is not checked less often.
    static constexpr std::uint64_t poll_interval = 4096;

public:
    Search(const M& model, const std::vector<Check<State>>& checks, const Options& options)
        : model_(model), checks_(checks), options_(options) {
        for (const auto& check : checks) {
            results_.push_back({check.id, check.kind, Verdict::Unknown, std::nullopt, ""});
        }
    }

    Result<State, Action> run() {
        for (const State& given : model_.initial_states()) {
            const State initial = stored_form(given);
            if (store_.find(initial)) continue;
            if (at_state_limit()) return finish();
            check(PropertyKind::Invariant, store_.add_initial(initial));
        }
        std::uint64_t level_end = store_.size();
        std::uint64_t next_poll = 0;
        for (std::uint64_t next = 0; next < store_.size(); ++next) {
            if (next == level_end) {
                ++level_;
                level_end = store_.size();
            }
            if (!checks_.empty() && violated_ == checks_.size()) {
                stop_reason_ = "every property already violated";
                break;
            }
            if (next + stats_.transitions >= next_poll) {
                if (limit_reached()) break;
                next_poll = next + stats_.transitions + poll_interval;
            }
            if (!expand(static_cast<Index>(next))) break;
        }
        return finish();
    }

private:
    // The state as stored: its representative when symmetry reduction is on.
    State stored_form(const State& state) const {
        if constexpr (SymmetricModel<M>) {
            if (options_.symmetry) return model_.representative(state);
        }
        return state;
    }

    // Generates the successors of one state, storing the new ones. False when the state limit
    // stopped the search part-way through.
    bool expand(Index index) {
        const State& state = store_.state(index);  // stays valid while successors are stored
        const std::uint64_t progress = model_.progress(state);
        bool fair_successor = false;
        bool full = false;
        model_.for_each_successor(state, [&](const Action& action, const State& successor) {
            if (full) return;  // the model's loop cannot be interrupted: ignore the rest
            ++stats_.transitions;
            if (model_.is_fair(action)) fair_successor = true;
            if (static_cast<std::uint64_t>(model_.progress(successor)) <= progress) may_cycle_ = true;
            const State stored = stored_form(successor);
            if (store_.find(stored)) return;
            if (at_state_limit()) {
                full = true;
                return;
            }
            stats_.depth = level_ + 1;
            check(PropertyKind::Invariant, store_.add(stored, index, action));
        });
        if (full) return false;
        if (!fair_successor) check(PropertyKind::Eventually, index);
        return true;
    }

    // Evaluates the checks of one kind that are not yet violated on one state.
    void check(PropertyKind kind, Index index) {
        for (std::size_t i = 0; i < checks_.size(); ++i) {
            auto& result = results_[i];
            if (result.kind != kind || result.verdict == Verdict::Violated) continue;
            if (checks_[i].holds(store_.state(index))) continue;
            result.verdict = Verdict::Violated;
            result.trace = store_.trace_to(index);
            ++violated_;
        }
    }

    // Called before storing a new state: true (with the reason) when there is no room for it.
    bool at_state_limit() {
        const std::uint64_t max = options_.limits.max_states;
        if (max != 0 && max < Store::capacity) {
            if (store_.size() < max) return false;
            stop_reason_ = "state limit " + std::to_string(max) + " reached";
        } else {
            if (store_.size() < Store::capacity) return false;
            stop_reason_ = "state store capacity " + std::to_string(Store::capacity) + " reached (32-bit indices)";
        }
        return true;
    }

    // Checks the time and memory limits, and reports progress about once a second.
    bool limit_reached() {
        if (options_.interrupt && options_.interrupt->load(std::memory_order_relaxed)) {
            stop_reason_ = "interrupted";
            return true;
        }
        const Limits& limits = options_.limits;
        const double elapsed = seconds();
        if (limits.time_limit_seconds > 0 && elapsed >= limits.time_limit_seconds) {
            stop_reason_ = "time limit " + shortest(limits.time_limit_seconds) + " s reached";
            return true;
        }
        // RSS sees everything the process holds; the store's own estimate also counts memory
        // it has reserved but not yet touched.
        if (limits.max_memory_bytes > 0 &&
            std::max(resident_bytes(), store_.bytes()) >= limits.max_memory_bytes) {
            stop_reason_ = "memory limit " + shortest(static_cast<double>(limits.max_memory_bytes) / (1 << 20)) +
                           " MiB reached";
            return true;
        }
        if (options_.on_progress && elapsed >= next_report_) {
            next_report_ = elapsed + 1;
            options_.on_progress(stats());
        }
        return false;
    }

    double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

    Stats stats() {
        stats_.states = store_.size();
        stats_.seconds = seconds();
        stats_.peak_memory_bytes = peak_resident_bytes();
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
            if (!options_.symmetry) return;
            auto run = lift(model_, *check.trace);
            if (!run) throw std::logic_error("symmetry reduction: a counterexample did not lift onto the model");
            check.trace = std::move(*run);
        }
    }

    const M& model_;
    const std::vector<Check<State>>& checks_;
    const Options& options_;
    const Clock::time_point start_ = Clock::now();
    Store store_;
    std::vector<CheckResult<State, Action>> results_;
    std::size_t violated_ = 0;
    std::uint32_t level_ = 0;  // BFS level of the state being expanded
    bool may_cycle_ = false;   // some transition did not increase progress
    Stats stats_;
    std::string stop_reason_;
    double next_report_ = 1;
};

}  // namespace detail

template <Model M>
Result<typename M::State, typename M::Action> explore(const M& model,
                                                      const std::vector<Check<typename M::State>>& checks,
                                                      const Options& options = {}) {
    return detail::Search<M>(model, checks, options).run();
}

}  // namespace alertflow::checker
