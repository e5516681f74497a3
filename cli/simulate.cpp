// `alertflow simulate`: one random run, told step by step, reproducible by its seed.
#include <algorithm>
#include <limits>
#include <ostream>
#include <random>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "cli/commands.hpp"
#include "cli/config_yaml.hpp"
#include "cli/teach.hpp"

namespace alertflow::cli {

namespace {

// Uniform in [0, n), by rejection: the same on every platform (mt19937_64's output is standard).
std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n) {
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = max - max % n;
    for (;;)
        if (const std::uint64_t x = rng(); x < limit) return x % n;
}

}  // namespace

Simulation simulate(const model::System& system, std::uint64_t seed, int steps) {
    std::mt19937_64 rng(seed);
    Simulation sim;
    sim.run.states.push_back(system.initial_states().front());
    model::ActionList enabled;
    for (int i = 0;; ++i) {
        enabled.clear();
        system.enabled_actions(sim.run.states.back(), enabled);
        if (enabled.size() == 0 || i >= steps) break;
        const model::Action act = enabled[static_cast<int>(uniform_below(rng, static_cast<std::uint64_t>(enabled.size())))];
        sim.run.states.push_back(system.apply(sim.run.states.back(), act));
        sim.run.actions.push_back(act);
    }
    sim.dead_end = enabled.size() == 0;
    sim.complete_run_end = std::none_of(enabled.begin(), enabled.end(), [&](const model::Action& a) { return system.is_fair(a); });
    return sim;
}

int run_simulate(const SimulateRequest& request, std::ostream& out, std::ostream& err) {
    model::Config config;
    try {
        if (request.steps < 0) throw ConfigError(fmt::format("--steps {}: expected a number of steps, 0 or more", request.steps));
        config = request.config_path ? load_config(*request.config_path) : model::recommended_config();
    } catch (const std::runtime_error& e) {
        fmt::print(err, "alertflow: {}\n", e.what());
        return kBadInput;
    }
    const model::System system(config);
    const Simulation sim = simulate(system, request.seed, request.steps);
    const std::string name = request.config_path.value_or("(bundled default: the report's recommended set-up)");
    fmt::print(out, "alertflow simulate {} --seed {} --steps {}\n", name, request.seed, request.steps);
    fmt::print(out, "One random run: each step is chosen uniformly among the actions enabled at that moment. Seed {}: "
                    "run the same command again to see this very run.\n\n", request.seed);
    fmt::print(out, "{}\n\n", setup_sentences(config));
    for (const std::string& line : narrate(config, sim.run)) fmt::print(out, "{}\n", line);
    const std::size_t n = sim.run.actions.size();
    if (sim.dead_end) fmt::print(out, "{}The run ends after {} step{}: no action is enabled any more.\n", n ? "\n" : "", n, n == 1 ? "" : "s");
    else fmt::print(out, "{}The run stops after {} step{} (--steps {}), with actions still enabled.\n", n ? "\n" : "", n, n == 1 ? "" : "s", request.steps);

    const model::State& last = sim.run.states.back();
    const auto judge = [&](checker::PropertyKind kind) {
        std::vector<std::string_view> hold;
        for (const auto& p : properties::catalog()) {
            if (p.kind != kind) continue;
            if (p.holds(last)) {
                hold.push_back(p.id);
                continue;
            }
            fmt::print(out, "  VIOLATED {}: {}\n", p.id, fmt::join(breaking_facts(config, p, last), " "));
        }
        fmt::print(out, "  hold: {}\n", hold.empty() ? std::string("none") : fmt::format("{}", fmt::join(hold, ", ")));
    };
    fmt::print(out, "\nInvariants (must hold at every moment), in the final state:\n");
    judge(checker::PropertyKind::Invariant);
    for (const auto& p : properties::catalog()) {
        if (p.kind != checker::PropertyKind::Invariant || !p.holds(last)) continue;
        for (std::size_t i = 1; i < sim.run.states.size(); ++i)
            if (!p.holds(sim.run.states[i])) {
                fmt::print(out, "  (earlier: {} was broken after step {}, and no longer is)\n", p.id, i);
                break;
            }
    }
    if (sim.complete_run_end) {
        fmt::print(out, "\nEventually-properties (must hold wherever a complete run ends), at this run's end: it is a complete-run "
                        "end, since no connector, rule, sync or automation has anything left to do:\n");
        judge(checker::PropertyKind::Eventually);
    } else {
        std::vector<std::string> busy;
        model::ActionList enabled;
        system.enabled_actions(last, enabled);
        for (const model::Action& a : enabled) {
            const std::string who = component_name(model::actor(a.kind));
            if (system.is_fair(a) && std::find(busy.begin(), busy.end(), who) == busy.end()) busy.push_back(who);
        }
        fmt::print(out, "\nEventually-properties (must hold wherever a complete run ends): not judged, this is not a complete-run "
                        "end: {} still {} work to do.\n", and_list(busy), busy.size() == 1 ? "has" : "have");
    }
    fmt::print(out, "\nOne run proves nothing about the others: `alertflow check` explores them all, and `alertflow explain` tells "
                    "the shortest run that breaks a property.\n");
    return kAllHold;
}

}  // namespace alertflow::cli
